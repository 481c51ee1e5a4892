// Shape views: View, Reshape, Flatten, Unsqueeze, Squeeze, with the values
// PyTorch 1.13 gives.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class ShapeViewTests {
  // int_repr 0 .. 23 in shape [2, 3, 4], scale 1, zero point 0 (value = integer).
  static Tensor Counting() {
    var ints = new sbyte[24];
    for (int i = 0; i < ints.Length; ++i) ints[i] = (sbyte)i;
    return Tensor.MakePerTensorQuantized(ints, new long[] { 2, 3, 4 }, 1.0, 0);
  }

  [Test]
  public void ViewSharesTheStorageAndInfersMinusOne() {
    using (Tensor t = Counting())
    using (Tensor v = t.View(6, -1))
    using (Tensor flat = t.View(-1)) {
      Assert.AreEqual(new long[] { 6, 4 }, v.Shape);
      Assert.AreEqual(new long[] { 4, 1 }, v.Strides);
      Assert.AreEqual(t.IntRepr<sbyte>(), v.IntRepr<sbyte>());
      Assert.IsTrue(v.SharesStorageWith(t));
      flat.SetValue(new long[] { 5 }, 100f);
      Assert.AreEqual(100f, t.GetValue(0, 1, 1));
    }
  }

  [Test]
  public void ReshapeCopiesWhereNoViewExists() {
    using (Tensor t = Counting())
    using (Tensor transposed = t.Transpose(1, 2))
    using (Tensor copy = transposed.Reshape(2, -1))
    using (Tensor view = t.Reshape(4, 6)) {
      var error = Assert.Throws<QTensorShapeException>(() => transposed.View(-1));
      StringAssert.StartsWith("view size is not compatible with input tensor's size and stride",
                              error.Message);
      Assert.AreEqual(new sbyte[] { 0, 4, 8, 1, 5, 9 }, copy.IntRepr<sbyte>().Prefix(6));
      Assert.IsFalse(copy.SharesStorageWith(t));
      Assert.IsTrue(view.SharesStorageWith(t));
    }
  }

  [Test]
  public void FlattenUnsqueezeSqueeze() {
    using (Tensor t = Counting())
    using (Tensor all = t.Flatten())
    using (Tensor tail = t.Flatten(1))
    using (Tensor unsqueezed = t.Unsqueeze(1))
    using (Tensor squeezed = unsqueezed.Squeeze())
    using (Tensor dropped = unsqueezed.Squeeze(-3))
    using (Tensor kept = t.Squeeze(0)) {
      Assert.AreEqual(new long[] { 24 }, all.Shape);
      Assert.AreEqual(new long[] { 2, 12 }, tail.Shape);
      Assert.AreEqual(new long[] { 2, 1, 3, 4 }, unsqueezed.Shape);
      Assert.AreEqual(new long[] { 12, 12, 4, 1 }, unsqueezed.Strides);
      Assert.AreEqual(new long[] { 2, 3, 4 }, squeezed.Shape);
      Assert.AreEqual(new long[] { 2, 3, 4 }, dropped.Shape);
      Assert.AreEqual(new long[] { 2, 3, 4 }, kept.Shape);
      Assert.IsTrue(squeezed.SharesStorageWith(t));
    }
  }

  [Test]
  public void PerChannelViewsFollowTheChannelDim() {
    var data = new float[24];
    for (int i = 0; i < data.Length; ++i) data[i] = 0.37f * i - 2f;
    var scales = new[] { 0.05, 0.1, 0.2 };
    using (Tensor q = Tensor.QuantizePerChannel(data, new long[] { 2, 3, 4 }, scales,
                                                new long[] { 0, 1, 2 }, 1, DType.QInt8))
    using (Tensor v = q.View(1, 2, 3, 4)) {
      Assert.AreEqual(2, v.QPerChannelAxis);  // torch 1.13 keeps 1
      Assert.AreEqual(scales, v.QPerChannelScales);
      Assert.AreEqual(q.Dequantize(), v.Dequantize());
      var merged = Assert.Throws<QTensorArgumentException>(() => q.Flatten());
      StringAssert.Contains("channel dim", merged.Message);
    }
  }

  [Test]
  public void BadShapes() {
    using (Tensor t = Counting()) {
      Assert.AreEqual("only one dimension can be inferred",
                      Assert.Throws<QTensorArgumentException>(() => t.View(-1, -1)).Message);
      Assert.AreEqual("shape '[5]' is invalid for input of size 24",
                      Assert.Throws<QTensorShapeException>(() => t.Reshape(5)).Message);
      Assert.Throws<QTensorIndexException>(() => t.Unsqueeze(4));
      Assert.Throws<QTensorIndexException>(() => t.Squeeze(3));
      Assert.Throws<QTensorArgumentException>(() => t.Flatten(2, 1));
      Assert.Throws<ArgumentNullException>(() => t.View(null));
    }
  }
}

}  // namespace QTensor.Tests

// PackedLinear and Tensor.Linear / LinearRelu: PyTorch 1.13's integers for
// the small layer of tests/c/test_linear.c (per tensor, relu, per channel),
// leading dims, the weight and bias read back, bad input and disposed objects.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class LinearTests {
  static readonly byte[] Input = { 0, 10, 255, 128, 7, 200 };
  static readonly sbyte[] Weight = { 1, -2, 3, 127, -128, 0, 5, 5, 5, -7, 0, 9 };
  static readonly float[] Bias = { 0.5f, -1.0f, 0.0f, 2.25f };
  static readonly long[] WeightShape = { 4, 3 };
  static readonly byte[] Plain = { 141, 24, 139, 251, 140, 255, 151, 204 };
  static readonly byte[] Relu = { 141, 100, 139, 251, 140, 255, 151, 204 };
  // qnnpack's integers (onednn gives 46 for the second).
  static readonly byte[] PerChannel = { 141, 45, 159, 194, 140, 255, 176, 182 };

  static Tensor MakeInput(params long[] shape) =>
      Tensor.MakePerTensorQuantized(Input, shape, 0.05, 10);

  static Tensor MakeWeight() => Tensor.MakePerTensorQuantized(Weight, WeightShape, 0.02, 0);

  [Test]
  public void SmallLayerGivesPyTorchsIntegers() {
    using (var x = MakeInput(2, 3))
    using (var w = MakeWeight())
    using (var packed = PackedLinear.Prepack(w, Bias))
    using (var y = x.Linear(packed, 0.03, 100))
    using (var relu = x.LinearRelu(packed, 0.03, 100)) {
      Assert.AreEqual(new long[] { 2, 4 }, y.Shape);
      Assert.AreEqual(DType.QUInt8, y.DType);
      Assert.AreEqual(0.03, y.QScale);
      Assert.AreEqual(100, y.QZeroPoint);
      Assert.AreEqual(Plain, y.IntRepr<byte>());
      Assert.AreEqual(Relu, relu.IntRepr<byte>());
    }
  }

  [Test]
  public void PerChannelWeightsGiveQnnpacksIntegers() {
    var scales = new[] { 0.02, 0.01, 0.03, 0.005 };
    using (var quantizer = Quantizer.PerChannel(scales, new long[4], 0, DType.QInt8))
    using (var w = Tensor.FromIntRepr(Weight, WeightShape, quantizer))
    using (var x = MakeInput(2, 3))
    using (var packed = PackedLinear.Prepack(w, Bias))
    using (var y = x.Linear(packed, 0.03, 100))
    using (var back = packed.Weight) {
      Assert.AreEqual(PerChannel, y.IntRepr<byte>());
      Assert.AreEqual(scales, back.QPerChannelScales);
    }
  }

  [Test]
  public void LeadingDimsAreKept() {
    using (var x = MakeInput(1, 2, 3))
    using (var w = MakeWeight())
    using (var packed = PackedLinear.Prepack(w, Bias))
    using (var y = x.Linear(packed, 0.03, 100)) {
      Assert.AreEqual(new long[] { 1, 2, 4 }, y.Shape);
      Assert.AreEqual(Plain, y.IntRepr<byte>());
    }
  }

  [Test]
  public void WeightAndBiasReadBack() {
    using (var w = MakeWeight())
    using (var packed = PackedLinear.Prepack(w, Bias)) {
      w.Fill(0f);  // the packed weights are a copy
      using (var back = packed.Weight) {
        Assert.AreEqual(Weight, back.IntRepr<sbyte>());
        Assert.AreEqual(WeightShape, back.Shape);
        Assert.AreEqual(0.02, back.QScale);
        Assert.AreEqual(0, back.QZeroPoint);
      }
      Assert.AreEqual(Bias, packed.Bias);
      Assert.AreEqual(3, packed.InFeatures);
      Assert.AreEqual(4, packed.OutFeatures);
      Assert.AreEqual("PackedLinear(InFeatures=3, OutFeatures=4)", packed.ToString());
    }
    using (var w = MakeWeight())
    using (var packed = PackedLinear.Prepack(w, null)) {
      Assert.IsNull(packed.Bias);
    }
  }

  [Test]
  public void BadInputThrowsTheLibrarysExceptions() {
    using (var x = MakeInput(2, 3))
    using (var flat = MakeInput(6))
    using (var w = MakeWeight())
    using (var flatWeight = Tensor.MakePerTensorQuantized(Weight, new long[] { 12 }, 0.02, 0))
    using (var wrongDType = Tensor.MakePerTensorQuantized(new byte[12], WeightShape, 0.02, 0))
    using (var ints = Tensor.MakePerTensorQuantized(new int[6], new long[] { 2, 3 }, 0.05, 0))
    using (var packed = PackedLinear.Prepack(w, Bias)) {
      Assert.Throws<QTensorTypeException>(() => PackedLinear.Prepack(wrongDType, null));
      Assert.Throws<QTensorShapeException>(() => PackedLinear.Prepack(w, new float[3]));
      Assert.Throws<QTensorShapeException>(() => PackedLinear.Prepack(w, new float[0]));
      Assert.Throws<QTensorShapeException>(() => PackedLinear.Prepack(flatWeight, null));
      var nan = Assert.Throws<QTensorArgumentException>(
          () => PackedLinear.Prepack(w, new[] { 0f, float.NaN, 0f, 0f }));
      StringAssert.Contains("finite", nan.Message);
      Assert.Throws<QTensorShapeException>(() => flat.Linear(packed, 0.03, 100));
      Assert.Throws<QTensorTypeException>(() => ints.Linear(packed, 0.03, 100));
      Assert.Throws<QTensorArgumentException>(() => x.Linear(packed, 0.0, 100));
      Assert.Throws<QTensorArgumentException>(() => x.LinearRelu(packed, 0.03, 300));
      Assert.Throws<ArgumentNullException>(() => x.Linear(null, 0.03, 100));
      Assert.Throws<ArgumentNullException>(() => PackedLinear.Prepack(null, Bias));
    }
  }

  [Test]
  public void DisposedPackedWeightsThrow() {
    using (var x = MakeInput(2, 3))
    using (var w = MakeWeight()) {
      var packed = PackedLinear.Prepack(w, Bias);
      packed.Dispose();
      packed.Dispose();
      Assert.AreEqual("PackedLinear(closed)", packed.ToString());
      Assert.Throws<ObjectDisposedException>(() => x.Linear(packed, 0.03, 100));
      Assert.Throws<ObjectDisposedException>(() => { long unused = packed.InFeatures; });
      Assert.Throws<ObjectDisposedException>(() => { float[] unused = packed.Bias; });
      Assert.Throws<ObjectDisposedException>(() => { Tensor unused = packed.Weight; });
    }
  }
}

}  // namespace QTensor.Tests

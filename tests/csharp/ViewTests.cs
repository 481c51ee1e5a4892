// Views: select, the indexer, slice, narrow, transpose, permute, contiguous.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class ViewTests {
  // int_repr 0 .. 23 in shape [2, 3, 4], scale 1, zero point 0 (value = integer).
  static Tensor Counting() {
    var ints = new sbyte[24];
    for (int i = 0; i < ints.Length; ++i) ints[i] = (sbyte)i;
    return Tensor.MakePerTensorQuantized(ints, new long[] { 2, 3, 4 }, 1.0, 0);
  }

  [Test]
  public void SelectAndIndexerDropTheDimension() {
    using (Tensor t = Counting())
    using (Tensor first = t[1])
    using (Tensor last = t[-1])
    using (Tensor column = t.Select(2, -2)) {
      Assert.AreEqual(new long[] { 3, 4 }, first.Shape);
      Assert.AreEqual(12f, first.GetValue(0, 0));
      Assert.AreEqual(first.IntRepr<sbyte>(), last.IntRepr<sbyte>());
      Assert.AreEqual(new long[] { 2, 3 }, column.Shape);
      Assert.AreEqual(new sbyte[] { 2, 6, 10, 14, 18, 22 }, column.IntRepr<sbyte>());
      Assert.IsTrue(column.SharesStorageWith(t));
      Assert.AreEqual(1.0, column.QScale);
    }
  }

  [Test]
  public void ChainedIndexerReachesAScalar() {
    using (Tensor t = Counting())
    using (Tensor row = t[1])
    using (Tensor element = row[2]) {
      using (Tensor scalar = element[3]) {
        Assert.AreEqual(0, scalar.Dim);
        Assert.AreEqual(23f, scalar.Item());
      }
    }
  }

  [Test]
  public void SliceWithStepsAndOpenEnds() {
    using (Tensor t = Counting())
    using (Tensor everySecond = t.Slice(2, null, null, 2))
    using (Tensor middle = t.Slice(1, 1, 3))
    using (Tensor backwards = t.Slice(2, null, null, -1))
    using (Tensor clamped = t.Slice(2, -100, 100, 3)) {
      Assert.AreEqual(new long[] { 2, 3, 2 }, everySecond.Shape);
      Assert.AreEqual(new sbyte[] { 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22 },
                      everySecond.IntRepr<sbyte>());
      Assert.IsFalse(everySecond.IsContiguous);
      Assert.AreEqual(new long[] { 2, 2, 4 }, middle.Shape);
      Assert.AreEqual(4f, middle.GetValue(0, 0, 0));
      Assert.AreEqual(new sbyte[] { 3, 2, 1, 0 }, backwards.IntRepr<sbyte>().Prefix(4));
      Assert.AreEqual(new long[] { 2, 3, 2 }, clamped.Shape);
      Assert.AreEqual(new sbyte[] { 0, 3, 4, 7 }, clamped.IntRepr<sbyte>().Prefix(4));
    }
  }

  [Test]
  public void NarrowTransposePermute() {
    using (Tensor t = Counting())
    using (Tensor narrow = t.Narrow(2, 1, 2))
    using (Tensor transposed = t.Transpose(0, 2))
    using (Tensor permuted = t.Permute(2, 0, 1)) {
      Assert.AreEqual(new long[] { 2, 3, 2 }, narrow.Shape);
      Assert.AreEqual(new sbyte[] { 1, 2, 5, 6 }, narrow.IntRepr<sbyte>().Prefix(4));
      Assert.AreEqual(new long[] { 4, 3, 2 }, transposed.Shape);
      Assert.AreEqual(new long[] { 1, 4, 12 }, transposed.Strides);
      Assert.AreEqual(new sbyte[] { 0, 12, 4, 16 }, transposed.IntRepr<sbyte>().Prefix(4));
      Assert.AreEqual(new long[] { 4, 2, 3 }, permuted.Shape);
      Assert.AreEqual(new sbyte[] { 0, 4, 8, 12 }, permuted.IntRepr<sbyte>().Prefix(4));
      Assert.IsFalse(permuted.IsContiguous);
    }
  }

  [Test]
  public void ContiguousCopiesOnlyWhenNeeded() {
    using (Tensor t = Counting())
    using (Tensor same = t.Contiguous())
    using (Tensor transposed = t.Transpose(1, 2))
    using (Tensor copy = transposed.Contiguous()) {
      Assert.IsTrue(t.IsContiguous);
      Assert.IsTrue(same.SharesStorageWith(t));
      Assert.IsTrue(copy.IsContiguous);
      Assert.IsFalse(copy.SharesStorageWith(t));
      Assert.AreEqual(transposed.IntRepr<sbyte>(), copy.IntRepr<sbyte>());
      Assert.AreEqual(new long[] { 12, 3, 1 }, copy.Strides);
    }
  }

  // Share is the same view (shape, strides, offset) through a second handle.
  [Test]
  public void ShareIsASecondHandleToTheSameView() {
    using (Tensor t = Counting())
    using (Tensor view = t.Slice(2, 1, null, 2))
    using (Tensor shared = view.Share()) {
      Assert.AreNotSame(view, shared);
      Assert.AreEqual(new long[] { 2, 3, 2 }, shared.Shape);
      Assert.AreEqual(new long[] { 12, 4, 2 }, shared.Strides);
      Assert.AreEqual(1, shared.StorageOffset);
      Assert.AreEqual(new sbyte[] { 1, 3, 5, 7 }, shared.IntRepr<sbyte>().Prefix(4));
      Assert.IsTrue(shared.SharesStorageWith(t));
      shared.SetValue(new long[] { 0, 0, 0 }, -5f);
      Assert.AreEqual(-5f, view.GetValue(0, 0, 0));
      Assert.AreEqual(-5f, t.GetValue(0, 0, 1));
    }
  }

  [Test]
  public void WritesThroughAViewReachTheBase() {
    using (Tensor t = Counting())
    using (Tensor row = t[0]) {
      row.Fill(-7f);
      Assert.AreEqual(-7f, t.GetValue(0, 2, 3));
      Assert.AreEqual(12f, t.GetValue(1, 0, 0));
    }
  }

  [Test]
  public void PerChannelViewsKeepEachElementsParameters() {
    var data = new float[12];
    for (int i = 0; i < data.Length; ++i) data[i] = (float)i * 0.37f - 2.0f;
    using (Tensor q = Tensor.QuantizePerChannel(data, new long[] { 3, 4 },
                                                new[] { 0.05, 0.1, 0.2 }, new long[] { 0, 128, 255 },
                                                0, DType.QUInt8))
    using (Tensor view = q.Transpose(0, 1))
    using (Tensor sliced = view.Slice(0, 0, 4, 2))
    using (Tensor channel = q.Select(0, 2)) {
      Assert.AreEqual(new long[] { 2, 3 }, sliced.Shape);
      Assert.AreEqual(1, sliced.QPerChannelAxis);
      Assert.AreEqual(new[] { 0.05, 0.1, 0.2 }, sliced.QPerChannelScales);
      float[] all = q.Dequantize();
      float[] part = sliced.Dequantize();
      // sliced[i, c] is q[c, 2 * i].
      for (int i = 0; i < 2; ++i) {
        for (int c = 0; c < 3; ++c) Assert.AreEqual(all[c * 4 + 2 * i], part[i * 3 + c]);
      }
      Assert.AreEqual(QScheme.PerTensorAffine, channel.QScheme);
      Assert.AreEqual(0.2, channel.QScale);
      Assert.AreEqual(255, channel.QZeroPoint);
    }
  }
}

static class ArrayPrefix {
  public static T[] Prefix<T>(this T[] values, int count) {
    var prefix = new T[count];
    Array.Copy(values, prefix, count);
    return prefix;
  }
}

}  // namespace QTensor.Tests

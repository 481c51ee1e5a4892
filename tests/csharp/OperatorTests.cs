// Requantize, Relu, ReluInPlace, Relu6 and Clamp: integers and parameters of
// known cases (the Python suite compares them with PyTorch).
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class OperatorTests {
  // qint8, scale 0.5, zero point 2: integers -8, 0, 2, 3, 14, 127.
  static Tensor Sample() =>
      Tensor.QuantizePerTensor(new float[] { -5f, -1f, 0f, 0.5f, 6f, 100f }, new long[] { 2, 3 },
                               0.5, 2, DType.QInt8);

  [Test]
  public void ClampsKeepTheParameters() {
    using (var q = Sample())
    using (var relu = q.Relu())
    using (var relu6 = q.Relu6())
    using (var clamped = q.Clamp(-0.6f, 1.25f))
    using (var swapped = q.Clamp(1f, -1f)) {
      Assert.AreEqual(new sbyte[] { 2, 2, 2, 3, 14, 127 }, relu.IntRepr<sbyte>());
      Assert.AreEqual(new sbyte[] { 2, 2, 2, 3, 14, 14 }, relu6.IntRepr<sbyte>());
      // -0.6 / 0.5 = -1.2 rounds to -1; 1.25 / 0.5 = 2.5 rounds to 2 (even).
      Assert.AreEqual(new sbyte[] { 1, 1, 2, 3, 4, 4 }, clamped.IntRepr<sbyte>());
      Assert.AreEqual(new sbyte[] { 0, 0, 0, 0, 0, 0 }, swapped.IntRepr<sbyte>());  // max wins
      Assert.AreEqual(0.5, relu6.QScale);
      using (var sigmoid = q.Sigmoid())
      using (var tanh = q.Tanh()) {
        // sigmoid(-5, -1, 0, 0.5, 6, 62.5) * 256 - 128, rounded half to even.
        Assert.AreEqual(new sbyte[] { -126, -59, 0, 31, 127, 127 }, sigmoid.IntRepr<sbyte>());
        Assert.AreEqual(1.0 / 256, sigmoid.QScale);
        // tanh(...) * 128: -128 (saturated), -97, 0, 59, 127, 127.
        Assert.AreEqual(new sbyte[] { -128, -97, 0, 59, 127, 127 }, tanh.IntRepr<sbyte>());
      }
      using (var hardswish = q.Hardswish(0.25, 0)) {
        // x * min(max(x + 3, 0), 6) / 6: 0, -1/3, 0, 0.2917, 6, 62.5 at scale 0.25.
        Assert.AreEqual(new sbyte[] { 0, -1, 0, 1, 24, 127 }, hardswish.IntRepr<sbyte>());
      }
      using (var leaky = q.LeakyRelu(0.25f)) {
        // -5 * 0.25 = -1.25 -> -2.5 steps -> -2 (even); -1 * 0.25 -> -0.5 -> 0.
        Assert.AreEqual(new sbyte[] { 0, 2, 2, 3, 14, 127 }, leaky.IntRepr<sbyte>());
      }
      Assert.AreEqual(2, clamped.QZeroPoint);
    }
  }

  [Test]
  public void ReluInPlaceWritesTheViewOnly() {
    using (var q = Sample())
    using (var column = q.Select(1, 0)) {
      Assert.AreSame(column, column.ReluInPlace());
      Assert.AreEqual(new sbyte[] { 2, 0, 2, 3, 14, 127 }, q.IntRepr<sbyte>());
    }
  }

  [Test]
  public void RequantizeEqualsQuantizingTheDequantizedValues() {
    using (var q = Sample())
    using (var view = q.Transpose(0, 1))
    using (var target = Quantizer.PerChannel(new[] { 0.3, 1.0 }, new long[] { 128, 0 }, 1,
                                             DType.QUInt8))
    using (var requantized = view.Requantize(target))
    using (var expected = Tensor.Quantize(view.Dequantize(), view.Shape, target)) {
      Assert.AreEqual(expected.IntRepr<byte>(), requantized.IntRepr<byte>());
      Assert.AreEqual(new long[] { 3, 2 }, requantized.Shape);
    }
  }

  [Test]
  public void AddAndMulFollowPyTorchsFormulas() {
    // Values -5, -1, 0, 0.5, 6, 62.5; into scale 1, zero point 0.
    using (var q = Sample())
    using (var sum = q.Add(q, 1.0, 0))
    using (var relu = q.AddRelu(q, 1.0, 0))
    using (var product = q.Mul(q, 1.0, 0))
    using (var productRelu = q.MulRelu(q, 1.0, 0))
    using (var row = q.Select(0, 1))
    using (var broadcast = q.Add(row, 1.0, 0)) {
      Assert.AreEqual(new sbyte[] { -10, -2, 0, 1, 12, 125 }, sum.IntRepr<sbyte>());
      Assert.AreEqual(new sbyte[] { 0, 0, 0, 1, 12, 125 }, relu.IntRepr<sbyte>());
      // (q - 2)^2 * 0.25: 25, 1, 0, 0.25 -> 0, 36, 3906.25 -> 127.
      Assert.AreEqual(new sbyte[] { 25, 1, 0, 0, 36, 127 }, product.IntRepr<sbyte>());
      Assert.AreEqual(new sbyte[] { 25, 1, 0, 0, 36, 127 }, productRelu.IntRepr<sbyte>());
      // Row 1 (0.5, 6, 62.5) added to both rows.
      Assert.AreEqual(new sbyte[] { -4, 5, 62, 1, 12, 125 }, broadcast.IntRepr<sbyte>());
    }
  }

  [Test]
  public void CatJoinsAndRequantizes() {
    using (var q = Sample())
    using (var other = Tensor.QuantizePerTensor(new[] { 1f, -1f, 2f }, new long[] { 1, 3 }, 0.25, 0,
                                                DType.QInt8))
    using (var joined = Tensor.Cat(new[] { q, other }, 0))
    using (var target = Quantizer.PerTensor(1.0, 0, DType.QInt8))
    using (var row = q.Select(0, 0))
    using (var relu = Tensor.CatRelu(new[] { row, row }, -1, target)) {
      Assert.AreEqual(new long[] { 3, 3 }, joined.Shape);
      Assert.AreEqual(0.5, joined.QScale);  // the first tensor's parameters
      // other's values 1, -1, 2 requantized into scale 0.5, zero point 2.
      Assert.AreEqual(new sbyte[] { -8, 0, 2, 3, 14, 127, 4, 0, 6 }, joined.IntRepr<sbyte>());
      Assert.AreEqual(new sbyte[] { 0, 0, 0, 0, 0, 0 }, relu.IntRepr<sbyte>());
      Assert.Throws<QTensorShapeException>(() => Tensor.Cat(new[] { q, other }, 1));
      Assert.Throws<QTensorArgumentException>(() => Tensor.Cat(new Tensor[0], 0));
      Assert.Throws<ArgumentNullException>(() => Tensor.Cat(new[] { q, null }, 0));
      Assert.Throws<ArgumentNullException>(() => Tensor.Cat(null, 0));
    }
  }

  [Test]
  public void BadArgumentsThrow() {
    using (var q = Sample())
    using (var wide = Quantizer.PerChannel(new[] { 1.0, 1, 1, 1 }, new long[] { 0, 0, 0, 0 }, 0,
                                           DType.QInt8)) {
      Assert.Throws<QTensorArgumentException>(() => q.Clamp(float.NaN, 1f));
      Assert.Throws<QTensorShapeException>(() => q.Requantize(wide));
      Assert.Throws<ArgumentNullException>(() => q.Requantize(null));
      Assert.Throws<ArgumentNullException>(() => q.Add(null, 1.0, 0));
      Assert.Throws<QTensorArgumentException>(() => q.Mul(q, 0.0, 0));
      using (var column = q.Select(1, 0)) {
        Assert.Throws<QTensorShapeException>(() => q.AddRelu(column, 1.0, 0));
      }
      Assert.AreEqual(new sbyte[] { -8, 0, 2, 3, 14, 127 }, q.IntRepr<sbyte>());
    }
  }
}

}  // namespace QTensor.Tests

// The operators' scalar, out= and in-place forms: integers and parameters
// PyTorch 1.13 gives on the same inputs, and bad outputs refused with the
// output unchanged.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class OperatorFormsTests {
  static Tensor Int8(sbyte[] ints, long[] shape, double scale, long zeroPoint) {
    using (var quantizer = Quantizer.PerTensor(scale, zeroPoint, DType.QInt8)) {
      return Tensor.FromIntRepr(ints, shape, quantizer);
    }
  }

  // qint8, scale 0.5, zero point 2.
  static Tensor Sample() => Int8(new sbyte[] { -8, 0, 2, 3, 14, 127 }, new long[] { 2, 3 }, 0.5, 2);

  static Tensor Zeros(long[] shape, double scale, long zeroPoint) {
    long n = 1;
    foreach (long size in shape) n *= size;
    return Int8(new sbyte[n], shape, scale, zeroPoint);
  }

  [Test]
  public void ScalarFormsDeriveTorchsParameters() {
    using (var q = Sample())
    using (var shifted = q.AddScalar(1.0))
    using (var stretched = q.AddScalar(-70.0))
    using (var stretchedRelu = q.AddScalarRelu(-70.0))
    using (var mirrored = q.MulScalar(-2.0))
    using (var mirroredRelu = q.MulScalarRelu(-2.0)) {
      Assert.AreEqual(new sbyte[] { -8, 0, 2, 3, 14, 127 }, shifted.IntRepr<sbyte>());
      Assert.AreEqual(0, shifted.QZeroPoint);
      Assert.AreEqual(0.5, shifted.QScale);
      // 140 steps down moves the zero point past 127: the range stretches.
      Assert.AreEqual(new sbyte[] { -15, -7, -5, -4, 6, 113 }, stretched.IntRepr<sbyte>());
      Assert.AreEqual(270.0 / 255.0 * 0.5, stretched.QScale);
      Assert.AreEqual(127, stretched.QZeroPoint);
      Assert.AreEqual(new sbyte[] { 127, 127, 127, 127, 127, 127 }, stretchedRelu.IntRepr<sbyte>());
      Assert.AreEqual(new sbyte[] { 7, -1, -3, -4, -15, -128 }, mirrored.IntRepr<sbyte>());
      Assert.AreEqual(1.0, mirrored.QScale);
      Assert.AreEqual(-3, mirrored.QZeroPoint);
      Assert.AreEqual(new sbyte[] { 7, -1, -3, -3, -3, -3 }, mirroredRelu.IntRepr<sbyte>());
    }
  }

  [Test]
  public void OutFormsWriteTheGivenTensor() {
    using (var q = Sample())
    using (var output = Zeros(new long[] { 2, 3 }, 1.0, 0))
    using (var joined = Zeros(new long[] { 4, 3 }, 0.25, -1)) {
      Assert.AreSame(output, q.Add(q, output));
      Assert.AreEqual(new sbyte[] { -10, -2, 0, 1, 12, 125 }, output.IntRepr<sbyte>());
      Assert.AreSame(output, q.MulRelu(q, output));
      Assert.AreEqual(new sbyte[] { 25, 1, 0, 0, 36, 127 }, output.IntRepr<sbyte>());
      Assert.AreSame(joined, Tensor.CatRelu(new[] { q, q }, 0, joined));
      Assert.AreEqual(new sbyte[] { -1, -1, -1, 1, 23, 127, -1, -1, -1, 1, 23, 127 },
                      joined.IntRepr<sbyte>());
    }
  }

  [Test]
  public void InPlaceFormsWriteTheViewItself() {
    using (var q = Sample()) {
      Assert.AreSame(q, q.LeakyReluInPlace(0.25f));
      Assert.AreEqual(new sbyte[] { 0, 2, 2, 3, 14, 127 }, q.IntRepr<sbyte>());
    }
    using (var q = Sample()) {
      Assert.AreSame(q, q.ClampInPlace(-0.6f, 1.25f));
      Assert.AreEqual(new sbyte[] { 1, 1, 2, 3, 4, 4 }, q.IntRepr<sbyte>());
    }
    using (var q = Sample())
    using (var row = q.Select(0, 1)) {
      row.Relu6InPlace();
      Assert.AreEqual(new sbyte[] { -8, 0, 2, 3, 14, 14 }, q.IntRepr<sbyte>());
    }
  }

  [Test]
  public void BadOutputsAndNumbersAreRefused() {
    using (var q = Sample())
    using (var output = Sample())
    using (var int32 = Quantizer.PerTensor(0.5, 0, DType.QInt32))
    using (var wide = Tensor.FromIntRepr(new[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 }, int32))
    using (var row = output.Select(0, 0)) {
      Assert.Throws<QTensorTypeException>(() => q.Add(q, wide));
      Assert.Throws<QTensorShapeException>(() => q.Mul(q, row));
      Assert.Throws<ArgumentNullException>(() => q.Add(q, (Tensor)null));
      Assert.Throws<QTensorArgumentException>(() => q.AddScalar(double.NaN));
      Assert.Throws<QTensorArgumentException>(() => q.MulScalar(1e308));
      Assert.Throws<QTensorShapeException>(() => Tensor.Cat(new[] { q, q }, 1, output));
      Assert.AreEqual(new sbyte[] { -8, 0, 2, 3, 14, 127 }, output.IntRepr<sbyte>());
      Assert.AreEqual(new sbyte[] { -8, 0, 2, 3, 14, 127 }, q.IntRepr<sbyte>());
    }
  }
}

}  // namespace QTensor.Tests

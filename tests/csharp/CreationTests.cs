// Making tensors: quantize per tensor and per channel, empty, from integers.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class CreationTests {
  static readonly float[] Values = { -1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f, 0.05f, -0.15f, 0.25f,
                                     -13.0f, 12.75f, 1e9f };

  [TestCase(DType.QInt8, 0.1, 0L)]
  [TestCase(DType.QUInt8, 0.05, 128L)]
  [TestCase(DType.QInt32, 1e-4, 2L)]
  [TestCase(DType.QInt8, 0.5, -3L)]
  public void QuantizePerTensorFollowsTheFormula(DType dtype, double scale, long zeroPoint) {
    using (Tensor q = Tensor.QuantizePerTensor(Values, new long[] { 3, 4 }, scale, zeroPoint,
                                               dtype)) {
      Assert.AreEqual(dtype, q.DType);
      Assert.AreEqual(QScheme.PerTensorAffine, q.QScheme);
      Assert.AreEqual(new long[] { 3, 4 }, q.Shape);
      Assert.AreEqual(scale, q.QScale);
      Assert.AreEqual(zeroPoint, q.QZeroPoint);
      long[] expected = Expected.Quantize(Values, scale, zeroPoint, dtype);
      Assert.AreEqual(expected, Expected.Longs(q.IntRepr()));
      float[] dequantized = q.Dequantize();
      for (int i = 0; i < expected.Length; ++i) {
        Assert.AreEqual(Expected.DequantizePerTensor(expected[i], scale, zeroPoint),
                        dequantized[i]);
      }
    }
  }

  [Test]
  public void QuantizeRoundsHalfToEvenAndSaturates() {
    float[] ties = { 0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 1000f, -1000f };
    using (Tensor q = Tensor.QuantizePerTensor(ties, new long[] { 7 }, 1.0, 0, DType.QInt8)) {
      Assert.AreEqual(new sbyte[] { 0, 2, 2, 0, -2, 127, -128 }, q.IntRepr<sbyte>());
    }
  }

  [Test]
  public void QuantizePerChannelUsesEachChannelsParameters() {
    var data = new float[12];
    for (int i = 0; i < data.Length; ++i) data[i] = (float)i * 0.37f - 2.0f;
    double[] scales = { 0.05, 0.1, 0.2 };
    long[] zeroPoints = { 0, 128, 255 };
    using (Tensor q = Tensor.QuantizePerChannel(data, new long[] { 3, 4 }, scales, zeroPoints, 0,
                                                DType.QUInt8)) {
      Assert.AreEqual(QScheme.PerChannelAffine, q.QScheme);
      Assert.AreEqual(scales, q.QPerChannelScales);
      Assert.AreEqual(zeroPoints, q.QPerChannelZeroPoints);
      Assert.AreEqual(0, q.QPerChannelAxis);
      byte[] ints = q.IntRepr<byte>();
      float[] dequantized = q.Dequantize();
      for (int i = 0; i < data.Length; ++i) {
        int channel = i / 4;
        long expected = Expected.Quantize(data[i], scales[channel], zeroPoints[channel],
                                          DType.QUInt8);
        Assert.AreEqual(expected, ints[i], "element " + i);
        Assert.AreEqual(Expected.DequantizePerChannel(expected, scales[channel],
                                                      zeroPoints[channel]),
                        dequantized[i], "element " + i);
      }
    }
  }

  [Test]
  public void QuantizeWithAQuantizerObject() {
    using (Quantizer quantizer = Quantizer.PerTensor(1e-3, -7, DType.QInt32))
    using (Tensor q = Tensor.Quantize(new float[] { 10000f, -25000f, 3.25f, 0f }, new long[] { 4 },
                                      quantizer)) {
      Assert.AreEqual(new int[] { 9999992, -25000005, 3243, -7 }, q.IntRepr<int>());
    }
  }

  [Test]
  public void EmptyQuantizedHasTheShapeAndParameters() {
    using (Quantizer quantizer = Quantizer.PerTensor(1e-4, 2, DType.QInt32))
    using (Tensor q = Tensor.EmptyQuantized(new long[] { 10 }, quantizer)) {
      Assert.AreEqual(new long[] { 10 }, q.Shape);
      Assert.AreEqual(10, q.Numel);
      Assert.AreEqual(DType.QInt32, q.DType);
      Assert.AreEqual(1e-4, q.QScale);
      Assert.AreEqual(2, q.QZeroPoint);
      Assert.AreEqual(new int[10], q.IntRepr<int>());  // every integer zero
    }
  }

  [Test]
  public void FromIntReprKeepsTheIntegersOfEachDType() {
    using (Quantizer int8 = Quantizer.PerTensor(0.5, -1, DType.QInt8))
    using (Quantizer uint8 = Quantizer.PerTensor(0.25, 10, DType.QUInt8))
    using (Quantizer int32 = Quantizer.PerTensor(2.0, 5, DType.QInt32))
    using (Tensor a = Tensor.FromIntRepr(new sbyte[] { -128, -1, 0, 127 }, new long[] { 2, 2 }, int8))
    using (Tensor b = Tensor.FromIntRepr(new byte[] { 0, 10, 255 }, new long[] { 3 }, uint8))
    using (Tensor c = Tensor.FromIntRepr(new int[] { int.MinValue, 5, int.MaxValue },
                                         new long[] { 3, 1 }, int32)) {
      Assert.AreEqual(new sbyte[] { -128, -1, 0, 127 }, a.IntRepr());
      Assert.AreEqual(new float[] { -63.5f, 0f, 0.5f, 64f }, a.Dequantize());
      Assert.AreEqual(new byte[] { 0, 10, 255 }, b.IntRepr());
      Assert.AreEqual(new float[] { -2.5f, 0f, 61.25f }, b.Dequantize());
      Assert.AreEqual(new int[] { int.MinValue, 5, int.MaxValue }, c.IntRepr());
      Assert.AreEqual(new long[] { 3, 1 }, c.Shape);
      Assert.AreEqual(0f, c.Dequantize()[1]);
    }
  }

  [Test]
  public void FromIntReprOfPerChannelQuantizer() {
    using (Quantizer quantizer = Quantizer.PerChannel(new[] { 0.1, 1.0 }, new long[] { 0, -2 }, 1,
                                                      DType.QInt8))
    using (Tensor q = Tensor.FromIntRepr(new sbyte[] { 1, 2, 3, 4 }, new long[] { 2, 2 }, quantizer)) {
      Assert.AreEqual(new float[] { (float)(1 * 0.1), 4f, (float)(3 * 0.1), 6f }, q.Dequantize());
    }
  }

  [Test]
  public void MakePerTensorQuantizedTakesTheDTypeFromTheArray() {
    using (Tensor u = Tensor.MakePerTensorQuantized(new byte[] { 66, 95, 39 }, 1e-4, 2))
    using (Tensor s = Tensor.MakePerTensorQuantized(new sbyte[] { -5, 7 }, 0.5, 1))
    using (Tensor i = Tensor.MakePerTensorQuantized(new int[] { 1000, -1000, 0, 1 },
                                                    new long[] { 2, 2 }, 0.001, 0)) {
      Assert.AreEqual(DType.QUInt8, u.DType);
      Assert.AreEqual(new long[] { 3 }, u.Shape);
      Assert.AreEqual(new byte[] { 66, 95, 39 }, u.IntRepr<byte>());
      Assert.AreEqual(DType.QInt8, s.DType);
      Assert.AreEqual(new float[] { -3f, 3f }, s.Dequantize());
      Assert.AreEqual(DType.QInt32, i.DType);
      Assert.AreEqual(new long[] { 2, 2 }, i.Shape);
      Assert.AreEqual(new int[] { 1000, -1000, 0, 1 }, i.IntRepr<int>());
    }
  }

  [Test]
  public void ZeroDimensionalTensor() {
    using (Tensor q = Tensor.QuantizePerTensor(new float[] { 2.5f }, new long[0], 0.5, -3,
                                               DType.QInt8)) {
      Assert.AreEqual(0, q.Dim);
      Assert.AreEqual(new long[0], q.Shape);
      Assert.AreEqual(1, q.Numel);
      Assert.AreEqual(2.5f, q.Item());
      Assert.AreEqual(new sbyte[] { 2 }, q.IntRepr<sbyte>());
    }
  }
}

}  // namespace QTensor.Tests

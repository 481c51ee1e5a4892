// ONNX's rounding, the scale type and per-block parameters (ONNX's blocked
// quantization).
using System;
using System.IO;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class QuantizerOptionsTests : ScratchDirectoryTests {
  // ONNX Runtime's QuantizeLinear and PyTorch differ on this value.
  const double OnnxScale = 0.00214854861f;
  const float OnnxX = 0.273939937f;

  // Shape {2, 5}, blocks of 2 along dim 1: parameters of shape {2, 3}, the
  // last block of each row one element long.
  static readonly long[] Shape = { 2, 5 };
  static readonly double[] Scales = { 0.5, 0.25, 1.0, 0.125, 2.0, 0.5 };
  static readonly long[] ZeroPoints = { 8, 7, 9, 6, 8, 10 };
  static readonly float[] X = { 0.5f, -1.0f, 0.75f, 0.3f, 2.0f, -0.2f, 0.1f, 0.4f, -3.0f, 1.5f };

  static int BlockOf(int i) => (i / 5) * 3 + (i % 5) / 2;

  // ONNX's quantize of X: x / scale in float32, half to even, saturated to 0..15.
  static byte[] OnnxQuantized() {
    var q = new byte[X.Length];
    for (int i = 0; i < X.Length; i++) {
      float quotient = X[i] / (float)Scales[BlockOf(i)];
      double rounded = Math.Round(quotient, MidpointRounding.ToEven) + ZeroPoints[BlockOf(i)];
      q[i] = (byte)Math.Max(0, Math.Min(15, rounded));
    }
    return q;
  }

  static float[] Dequantized(byte[] q) {
    var values = new float[q.Length];
    for (int i = 0; i < q.Length; i++) {
      values[i] = (float)(q[i] - ZeroPoints[BlockOf(i)]) * (float)Scales[BlockOf(i)];
    }
    return values;
  }

  static Quantizer Blocks() {
    using (var plain = Quantizer.PerBlock(Scales, ZeroPoints, 1, 2, DType.QUInt4))
    using (var onnx = plain.WithRounding(Rounding.Onnx)) {
      return onnx.WithScaleType(ScaleType.Float16);
    }
  }

  [Test]
  public void OptionsHaveTheLibrarysNames() {
    Assert.AreEqual("pytorch", Rounding.PyTorch.Name());
    Assert.AreEqual("onnx", Rounding.Onnx.Name());
    Assert.AreEqual("gguf", Rounding.Gguf.Name());
    Assert.AreEqual("float64", ScaleType.Float64.Name());
    Assert.AreEqual("float32", ScaleType.Float32.Name());
    Assert.AreEqual("float16", ScaleType.Float16.Name());
    Assert.AreEqual("bfloat16", ScaleType.BFloat16.Name());
    Assert.AreEqual("per_block_affine", QScheme.PerBlockAffine.TorchName());
    Assert.Throws<QTensorArgumentException>(() => ((Rounding)4).Name());
    Assert.Throws<QTensorArgumentException>(() => ((ScaleType)0).Name());
  }

  [Test]
  public void OnnxRoundingDividesAndSendsNaNToQmin() {
    float[] x = { OnnxX, float.NaN };
    using (var plain = Quantizer.PerTensor(OnnxScale, 10, DType.QUInt8))
    using (var onnx = plain.WithRounding(Rounding.Onnx))
    using (var pytorchQ = Tensor.Quantize(x, new long[] { 2 }, plain))
    using (var onnxQ = Tensor.Quantize(x, new long[] { 2 }, onnx))
    using (var read = onnxQ.Quantizer) {
      Assert.AreEqual(Rounding.PyTorch, plain.Rounding);
      Assert.AreEqual(Rounding.Onnx, onnx.Rounding);
      Assert.AreNotEqual(plain, onnx);
      Assert.AreEqual(new byte[] { 138, 10 }, pytorchQ.IntRepr<byte>());
      Assert.AreEqual(new byte[] { 137, 0 }, onnxQ.IntRepr<byte>());
      Assert.AreEqual(Rounding.Onnx, read.Rounding);
    }
  }

  [Test]
  public void AScaleTypeIsKeptAndRefusesOtherValues() {
    using (var plain = Quantizer.PerTensor(0.125, 0, DType.QInt8))
    using (var half = plain.WithScaleType(ScaleType.Float16)) {
      Assert.AreEqual(ScaleType.Float64, plain.ScaleType);
      Assert.AreEqual(ScaleType.Float16, half.ScaleType);
    }
    using (var tenth = Quantizer.PerTensor(0.1, 0, DType.QInt8)) {
      var refused =
          Assert.Throws<QTensorArgumentException>(() => tenth.WithScaleType(ScaleType.Float16));
      StringAssert.Contains("the nearest is 0.0999755859375", refused.Message);
    }
  }

  [Test]
  public void PerBlockFollowsOnnxsLayout() {
    byte[] expected = OnnxQuantized();
    using (var quantizer = Blocks())
    using (var q = Tensor.Quantize(X, Shape, quantizer)) {
      Assert.AreEqual(QScheme.PerBlockAffine, quantizer.QScheme);
      Assert.AreEqual(2, quantizer.BlockSize);
      Assert.AreEqual(1, quantizer.Axis);
      Assert.AreEqual(6, quantizer.NumChannels);
      Assert.AreEqual(Scales, quantizer.Scales);
      Assert.AreEqual(ZeroPoints, quantizer.ZeroPoints);
      Assert.AreEqual(QScheme.PerBlockAffine, q.QScheme);
      Assert.AreEqual(expected, q.IntRepr<byte>());
      Assert.AreEqual(Dequantized(expected), q.Dequantize());
      StringAssert.EndsWith("axis=1, block_size=2)", quantizer.ToString());
    }
  }

  [Test]
  public void FloatQParamsArePyTorchs() {
    float[] scales = { 0.5f, 0.25f };
    float[] zeroPoints = { 1.5f, -300.25f };
    float[] x = { 0.5f, -1.0f, 2.25f, 7.0f, -0.5f, 1e30f };
    using (var quantizer = Quantizer.PerChannelFloatQParams(scales, zeroPoints, 0, DType.QUInt4x2))
    using (var q = Tensor.Quantize(x, new long[] { 2, 3 }, quantizer))
    using (var row = q.Select(0, 1)) {
      Assert.AreEqual(QScheme.PerChannelAffineFloatQParams, quantizer.QScheme);
      Assert.AreEqual("per_channel_affine_float_qparams",
                      QScheme.PerChannelAffineFloatQParams.TorchName());
      Assert.AreEqual(ScaleType.Float32, quantizer.ScaleType);
      Assert.AreEqual(zeroPoints, quantizer.FloatZeroPoints);
      Assert.AreEqual(zeroPoints, q.QPerChannelFloatZeroPoints);
      // lrintf(x * (1 / scale) + zp) clamped to [0, 15]; 1e30 overflows to 0.
      byte[] expected = { 2, 0, 6, 0, 0, 0 };
      Assert.AreEqual(expected, q.IntRepr<byte>());
      float[] values = q.Dequantize();
      for (int i = 0; i < x.Length; i++) {
        Assert.AreEqual((expected[i] - zeroPoints[i / 3]) * scales[i / 3], values[i]);
      }
      Assert.AreEqual(QScheme.PerChannelAffineFloatQParams, row.QScheme);
      Assert.AreEqual(new[] { -300.25f }, row.QPerChannelFloatZeroPoints);
      StringAssert.Contains("per_channel_affine_float_qparams", quantizer.ToString());
      Assert.Throws<QTensorTypeException>(() => { var unused = quantizer.ZeroPoints; });
      Assert.Throws<QTensorTypeException>(() => { var unused = q.QPerChannelZeroPoints; });
    }
    var refused = Assert.Throws<QTensorArgumentException>(
        () => Quantizer.PerChannelFloatQParams(new[] { 1f }, new[] { float.NaN }, 0, DType.QUInt8));
    StringAssert.Contains("zero_points[0] must be finite", refused.Message);
  }

  [Test]
  public void ViewsDequantizeAsTheBase() {
    using (var quantizer = Blocks())
    using (var q = Tensor.Quantize(X, Shape, quantizer))
    using (var transposed = q.Transpose(0, 1))
    using (var odd = q.Slice(1, 1, 5, 3)) {
      float[] b = q.Dequantize();
      float[] t = transposed.Dequantize();
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 5; j++) Assert.AreEqual(b[i * 5 + j], t[j * 2 + i]);
      }
      Assert.AreEqual(new[] { b[1], b[4], b[6], b[9] }, odd.Dequantize());
      Assert.AreEqual(QScheme.PerBlockAffine, odd.QScheme);
    }
  }

  [Test]
  public void FilesKeepRoundingScaleTypeAndBlocks() {
    string path = Path.Combine(directory, "blocks.qt");
    using (var quantizer = Blocks())
    using (var q = Tensor.Quantize(X, Shape, quantizer)) {
      q.Save(path);
      using (var loaded = Tensor.Load(path))
      using (var copy = Tensor.Deserialize(q.Serialize()))
      using (var read = loaded.Quantizer)
      using (var copied = copy.Quantizer) {
        Assert.AreEqual(quantizer, read);
        Assert.AreEqual(quantizer, copied);
        Assert.AreEqual(Rounding.Onnx, read.Rounding);
        Assert.AreEqual(ScaleType.Float16, read.ScaleType);
        Assert.AreEqual(2, read.BlockSize);
        Assert.AreEqual(q.Dequantize(), loaded.Dequantize());
      }
    }
  }

  [Test]
  public void BadInputIsRefused() {
    using (var wide = Quantizer.PerTensor(0.5, 0, DType.QInt32)) {
      Assert.Throws<QTensorArgumentException>(() => wide.WithRounding(Rounding.Onnx));
      Assert.Throws<QTensorTypeException>(() => { long unused = wide.BlockSize; });
      Assert.Throws<QTensorArgumentException>(() => wide.WithRounding((Rounding)7));
    }
    Assert.Throws<QTensorArgumentException>(
        () => Quantizer.PerBlock(new[] { 1.0 }, new long[] { 0 }, 0, 0, DType.QUInt4));
    Assert.Throws<QTensorArgumentException>(
        () => Quantizer.PerBlock(new[] { 1.0 }, new long[] { 0, 0 }, 0, 2, DType.QUInt4));
    Assert.Throws<ArgumentNullException>(
        () => Quantizer.PerBlock(null, new long[] { 0 }, 0, 2, DType.QUInt4));
    using (var two = Quantizer.PerBlock(new[] { 1.0, 1.0 }, new long[] { 0, 0 }, 0, 2,
                                        DType.QUInt4)) {
      Assert.Throws<QTensorShapeException>(
          () => Tensor.Quantize(new float[5], new long[] { 5 }, two));
    }
    using (var quantizer = Blocks())
    using (var q = Tensor.Quantize(X, Shape, quantizer)) {
      Assert.Throws<QTensorTypeException>(() => { double unused = q.QScale; });
      Assert.Throws<QTensorTypeException>(() => { double[] unused = q.QPerChannelScales; });
    }
  }
}

}  // namespace QTensor.Tests

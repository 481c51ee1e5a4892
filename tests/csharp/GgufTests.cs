// GGUF blocks as tensors (Tensor.QuantizeGguf, Quantizer.Gguf) and GGUF files
// as bundles.
using System;
using System.IO;
using System.Text;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class GgufTests : ScratchDirectoryTests {
  // The golden "ties_q4" block of tests/data/gguf_golden/blocks.txt: -16..15.
  static float[] Ties() {
    var x = new float[32];
    for (int i = 0; i < 32; i++) x[i] = i - 16;
    return x;
  }

  // llama.cpp's quantize_row_q4_0_ref on a block whose first largest
  // magnitude is -16: d = -16 / -8, q = min(15, (int)(x / d + 8.5f)).
  static byte[] Q4Expected(float[] x) {
    float id = 1f / (-16f / -8f);
    var q = new byte[32];
    for (int j = 0; j < 32; j++) q[j] = (byte)Math.Min(15, (int)(x[j] * id + 8.5f));
    return q;
  }

  [Test]
  public void QuantizeGgufGivesLlamaCppsKnownBlock() {
    float[] x = Ties();
    using (Tensor q4 = Tensor.QuantizeGguf(x, new long[] { 1, 32 }, GgufType.Q4_0))
    using (Quantizer quantizer = q4.Quantizer) {
      Assert.AreEqual(DType.QUInt4, q4.DType);
      Assert.AreEqual(new[] { 2.0 }, quantizer.Scales);
      Assert.AreEqual(new long[] { 8 }, quantizer.ZeroPoints);
      Assert.AreEqual(Rounding.Gguf, quantizer.Rounding);
      Assert.AreEqual(ScaleType.Float16, quantizer.ScaleType);
      Assert.AreEqual(Q4Expected(x), q4.IntRepr<byte>());
      byte[] nibbles = q4.IntRepr<byte>();
      Assert.AreEqual(new byte[] { 0, 1, 1, 2 }, new[] { nibbles[0], nibbles[1], nibbles[2], nibbles[3] });
      Assert.AreEqual(15, nibbles[31]);
    }
    using (Tensor q8 = Tensor.QuantizeGguf(x, new long[] { 32 }, GgufType.Q8_0))
    using (Quantizer quantizer = q8.Quantizer) {
      Assert.AreEqual(DType.QInt8, q8.DType);
      Assert.AreEqual(new[] { 0.1259765625 }, quantizer.Scales);  // 16 / 127 as float16
      sbyte[] ints = q8.IntRepr<sbyte>();
      Assert.AreEqual(new sbyte[] { -127, -119, -111 }, new[] { ints[0], ints[1], ints[2] });
      Assert.AreEqual(0, ints[16]);
      Assert.AreEqual(71, ints[25]);
      Assert.AreEqual(119, ints[31]);
    }
  }

  static Bundle Sample() {
    var ints = new sbyte[128];
    for (int i = 0; i < ints.Length; i++) ints[i] = (sbyte)(i - 64);
    var bundle = new Bundle();
    using (Quantizer q8 = Quantizer.Gguf(GgufType.Q8_0, new[] { -0.5, 0.0, -0.0, 2.0 }))
    using (Tensor signed = Tensor.FromIntRepr(ints, new long[] { 1, 128 }, q8))
    using (Tensor q4 = Tensor.QuantizeGguf(Ties(), new long[] { 32 }, GgufType.Q4_0)) {
      bundle.Add("q8", signed);
      bundle.Add("q4", q4);
    }
    bundle.Metadata["general.architecture"] = "STRING \"llama\"";
    bundle.Metadata["llama.block_count"] = "UINT32 32";
    return bundle;
  }

  [Test]
  public void GgufBytesRoundTripIdenticalWithSignedAndZeroScales() {
    using (Bundle bundle = Sample()) {
      byte[] file = bundle.SerializeGguf();
      Assert.AreEqual("GGUF", Encoding.ASCII.GetString(file, 0, 4));
      using (Bundle back = Bundle.DeserializeGguf(file))
      using (Tensor q8 = back["q8"])
      using (Quantizer quantizer = q8.Quantizer) {
        Assert.AreEqual(file, back.SerializeGguf());
        Assert.AreEqual("UINT32 32", back.Metadata["llama.block_count"]);
        Assert.AreEqual("STRING \"llama\"", back.Metadata["general.architecture"]);
        double[] scales = quantizer.Scales;
        Assert.AreEqual(BitConverter.DoubleToInt64Bits(-0.5), BitConverter.DoubleToInt64Bits(scales[0]));
        Assert.AreEqual(BitConverter.DoubleToInt64Bits(0.0), BitConverter.DoubleToInt64Bits(scales[1]));
        Assert.AreEqual(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(scales[2]));
        float[] values = q8.Dequantize();
        Assert.AreEqual(32.0f, values[0]);     // -64 * -0.5
        Assert.AreEqual(126.0f, values[127]);  // 63 * 2
      }
      string path = Path.Combine(directory, "model.gguf");
      bundle.SaveGguf(path);
      Assert.AreEqual(file, File.ReadAllBytes(path));
      using (Bundle loaded = Bundle.LoadGguf(path)) Assert.AreEqual(file, loaded.SerializeGguf());
    }
  }

  [Test]
  public void RefusalsNameTheTensor() {
    var zeros = new float[64];
    using (var plain = new Bundle())
    using (Tensor perTensor = Tensor.QuantizePerTensor(zeros, new long[] { 2, 32 }, 0.5, 0,
                                                       DType.QInt8)) {
      plain.Add("w", perTensor);
      var refused = Assert.Throws<QTensorArgumentException>(() => plain.SerializeGguf());
      StringAssert.Contains("'w'", refused.Message);
    }
    byte[] file;
    using (var one = new Bundle())
    using (Tensor q8 = Tensor.QuantizeGguf(zeros, new long[] { 64 }, GgufType.Q8_0)) {
      one.Add("weird", q8);
      file = one.SerializeGguf();
    }
    // Tensor info: name (u64 length, bytes), n_dims u32, one u64 ne, type u32: Q8_0 -> Q4_1.
    int typeAt = IndexOf(file, Encoding.ASCII.GetBytes("weird")) + 5 + 4 + 8;
    Assert.AreEqual(8, BitConverter.ToInt32(file, typeAt));
    file[typeAt] = 3;
    var corrupt = Assert.Throws<QTensorCorruptDataException>(() => Bundle.DeserializeGguf(file));
    StringAssert.Contains("(\"weird\") is of ggml type Q4_1", corrupt.Message);
    Assert.Throws<QTensorArgumentException>(
        () => Tensor.QuantizeGguf(zeros, new long[] { 64, 1 }, GgufType.Q4_0));
    Assert.Throws<QTensorShapeException>(
        () => Tensor.QuantizeGguf(zeros, new long[] { 32 }, GgufType.Q4_0));
    Assert.Throws<QTensorArgumentException>(() => Quantizer.Gguf(GgufType.Q8_0, new[] { 0.1 }));
    Assert.Throws<QTensorArgumentException>(
        () => Tensor.QuantizeGguf(zeros, new long[] { 64 }, (GgufType)3));
    Assert.Throws<QTensorIOException>(() => Bundle.LoadGguf(Path.Combine(directory, "none.gguf")));
  }

  static int IndexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.Length <= haystack.Length; i++) {
      int j = 0;
      while (j < needle.Length && haystack[i + j] == needle[j]) j++;
      if (j == needle.Length) return i;
    }
    throw new InvalidOperationException("not found");
  }
}

}  // namespace QTensor.Tests

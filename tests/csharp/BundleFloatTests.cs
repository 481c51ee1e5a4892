// A bundle's unquantized float entries: bit for bit through bytes and files,
// in order among tensors, replaced in place, removed, and the refusals.
using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class BundleFloatTests : ScratchDirectoryTests {
  // float32: a NaN with a payload, -0.0, the smallest subnormal, 1.5.
  static readonly byte[] F32 = Ints(0x7fc00123u, 0x80000000u, 0x00000001u, 0x3fc00000u);
  // float16: a signalling NaN, -0.0, the smallest subnormal, 1.0, -2.0, 65504.
  static readonly byte[] F16 = Shorts(0x7c01, 0x8000, 0x0001, 0x3c00, 0xc000, 0x7bff);
  // bfloat16: a signalling NaN, -0.0, the smallest subnormal, 1.0.
  static readonly byte[] BF16 = Shorts(0x7f81, 0x8000, 0x0001, 0x3f80);

  static byte[] Ints(params uint[] values) =>
      values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24) })
          .ToArray();
  static byte[] Shorts(params int[] values) =>
      values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8) }).ToArray();

  static Tensor Small(float value) =>
      Tensor.QuantizePerTensor(new[] { value, -value }, new long[] { 2 }, 0.5, 3, DType.QInt8);

  static Bundle Mixed() {
    var bundle = new Bundle();
    using (Tensor q0 = Small(1f)) bundle["q0"] = q0;
    bundle.SetFloat("norm", F32, new long[] { 4 }, FloatDType.Float32);
    bundle.SetFloat("emb", F16, new long[] { 2, 3 }, FloatDType.Float16);
    bundle.SetFloat("bf", BF16, new long[] { 2, 2 }, FloatDType.BFloat16);
    using (Tensor q1 = Small(2f)) bundle["q1"] = q1;
    return bundle;
  }

  static void CheckMixed(Bundle bundle) {
    Assert.AreEqual(new[] { "q0", "norm", "emb", "bf", "q1" }, bundle.Keys.ToArray());
    Assert.IsFalse(bundle.IsFloat("q0"));
    Assert.IsTrue(bundle.IsFloat("bf"));
    Assert.AreEqual(FloatDType.Float32, bundle.FloatDType("norm"));
    Assert.AreEqual(FloatDType.Float16, bundle.FloatDType("emb"));
    Assert.AreEqual(FloatDType.BFloat16, bundle.FloatDType("bf"));
    Assert.AreEqual(new long[] { 2, 3 }, bundle.FloatShape("emb"));
    Assert.AreEqual(F32, bundle.FloatData("norm"));
    Assert.AreEqual(F16, bundle.FloatData("emb"));
    Assert.AreEqual(BF16, bundle.FloatData("bf"));
    using (Tensor q1 = bundle["q1"]) Assert.AreEqual(new[] { 2f, -2f }, q1.Dequantize());
  }

  [Test]
  public void FloatEntriesRoundTripBitForBit() {
    using (Bundle bundle = Mixed()) {
      CheckMixed(bundle);
      byte[] bytes = bundle.Serialize();
      using (Bundle back = Bundle.Deserialize(bytes)) {
        CheckMixed(back);
        Assert.AreEqual(bytes, back.Serialize());
      }
      string path = Path.Combine(directory, "m.qtb");
      bundle.Save(path);
      using (Bundle loaded = Bundle.Load(path)) CheckMixed(loaded);
    }
  }

  [Test]
  public void ValuesWidenToFloat() {
    using (Bundle bundle = Mixed()) {
      float[] f16 = bundle.FloatValues("emb");
      Assert.AreEqual(0x7fc02000, BitConverter.SingleToInt32Bits(f16[0]));  // quiet, payload kept
      Assert.AreEqual(unchecked((int)0x80000000), BitConverter.SingleToInt32Bits(f16[1]));
      Assert.AreEqual(1f / (1 << 24), f16[2]);
      Assert.AreEqual(new[] { 1f, -2f, 65504f }, f16.Skip(3).ToArray());
      float[] bf16 = bundle.FloatValues("bf");
      Assert.AreEqual(0x00010000, BitConverter.SingleToInt32Bits(bf16[2]));
      Assert.AreEqual(1f, bf16[3]);
      Assert.AreEqual(0x7fc00123, BitConverter.SingleToInt32Bits(bundle.FloatValues("norm")[0]));
      Assert.AreEqual("float16", FloatDType.Float16.Name());
      Assert.AreEqual(2, FloatDType.BFloat16.ItemSize());
    }
  }

  [Test]
  public void ReplaceInPlaceAcrossKindsAndRemove() {
    using (Bundle bundle = Mixed())
    using (Tensor q = Small(3f)) {
      bundle.SetFloat("q0", Ints(0x40000000u), new long[0], FloatDType.Float32);
      bundle["emb"] = q;
      Assert.AreEqual(new[] { "q0", "norm", "emb", "bf", "q1" }, bundle.Keys.ToArray());
      Assert.IsTrue(bundle.IsFloat("q0"));
      Assert.AreEqual(new long[0], bundle.FloatShape("q0"));
      Assert.AreEqual(new[] { 2f }, bundle.FloatValues("q0"));
      Assert.IsFalse(bundle.IsFloat("emb"));
      Assert.IsTrue(bundle.Remove("norm"));
      Assert.IsFalse(bundle.Remove("norm"));
      Assert.AreEqual(4, bundle.Count);
    }
  }

  [Test]
  public void EnumerationGivesEveryEntryWithNullForFloatEntries() {
    using (Bundle bundle = Mixed()) {
      var entries = bundle.ToList();
      try {
        Assert.AreEqual(new[] { "q0", "norm", "emb", "bf", "q1" },
                        entries.Select(e => e.Key).ToArray());
        Assert.AreEqual(new[] { false, true, true, true, false },
                        entries.Select(e => e.Value == null).ToArray());
        Assert.AreEqual(new[] { 2f, -2f }, entries[4].Value.Dequantize());
      } finally {
        foreach (var entry in entries) entry.Value?.Dispose();
      }
    }
  }

  [Test]
  public void Refusals() {
    using (Bundle bundle = Mixed()) {
      Assert.Throws<QTensorTypeException>(() => bundle["emb"].Dispose());
      Assert.Throws<QTensorTypeException>(() => bundle[1].Dispose());
      Assert.Throws<QTensorTypeException>(() => bundle.FloatData("q0"));
      Assert.Throws<QTensorKeyNotFoundException>(() => bundle.IsFloat("nope"));
      Assert.Throws<QTensorShapeException>(
          () => bundle.SetFloat("x", new byte[3], new long[] { 1 }, FloatDType.Float32));
      Assert.Throws<QTensorArgumentException>(
          () => bundle.SetFloat("x", new byte[0], new long[] { -1 }, FloatDType.Float16));
      Assert.Throws<QTensorOutOfMemoryException>(
          () => bundle.SetFloat("x", new byte[0], new long[] { 1L << 40, 1L << 40 },
                                FloatDType.Float32));
      Assert.Throws<QTensorArgumentException>(
          () => bundle.SetFloat("x", new byte[4], new long[] { 1 }, (FloatDType)7));
      Assert.Throws<ArgumentNullException>(
          () => bundle.SetFloat("x", null, new long[] { 1 }, FloatDType.Float32));
      Assert.Throws<ArgumentException>(
          () => bundle.SetFloat("x\0", new byte[4], new long[] { 1 }, FloatDType.Float32));
      Assert.IsFalse(bundle.ContainsKey("x"));
      CheckMixed(bundle);
    }
  }
}

}  // namespace QTensor.Tests

// Library: version, SIMD target and the thread count.
using System;
using System.Linq;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class LibraryTests {
  // Highway's x86 target names, best first.
  static readonly string[] Targets = { "AVX3_DL", "AVX3", "AVX2", "SSE4", "SSSE3", "EMU128", "SCALAR" };

  [TearDown]
  public void OneThreadNoCap() {
    Library.NumThreads = 1;
    Library.SetMaxSimdTarget("");
  }

  [Test]
  public void VersionAndSimdTarget() {
    StringAssert.IsMatch(@"^\d+\.\d+\.\d+$", Library.Version);
    CollectionAssert.Contains(new[] { "AVX3_DL", "AVX3", "AVX2", "SSE4", "SSSE3", "EMU128", "SCALAR" },
                              Library.SimdTarget);
  }

  [Test]
  public void ThreadCounts() {
    Assert.AreEqual(1, Library.NumThreads);
    Library.NumThreads = 3;
    Assert.AreEqual(3, Library.NumThreads);
    Library.NumThreads = 0;
    Assert.AreEqual(Math.Min(Environment.ProcessorCount, 64), Library.NumThreads);
  }

  [Test]
  public void BadThreadCountsLeaveTheSetting() {
    Library.NumThreads = 2;
    foreach (int bad in new[] { -1, 65, int.MaxValue, int.MinValue }) {
      var error = Assert.Throws<QTensorArgumentException>(() => Library.NumThreads = bad);
      Assert.AreEqual(Status.InvalidArgument, error.Status);
      Assert.AreEqual($"threads = {bad} is out of range [0, 64] (0: one per logical core)",
                      error.Message);
      Assert.AreEqual(2, Library.NumThreads);
    }
  }

  // 2^20 elements and more are split across threads: the same integers and
  // floats as one thread, per tensor and per channel.
  [Test]
  public void ThreadsGiveTheSameResults() {
    const int rows = 1024, columns = 1100;
    float[] x = Enumerable.Range(0, rows * columns)
                    .Select(i => (float)((long)i * 7919 % 2001 - 1000) / 97f)
                    .ToArray();
    double[] scales = Enumerable.Range(0, columns).Select(c => 0.01 + c * 1e-4).ToArray();
    long[] zeroPoints = Enumerable.Range(0, columns).Select(c => (long)(c % 5)).ToArray();
    long[] shape = { rows, columns };
    foreach (bool perChannel in new[] { false, true }) {
      Func<Tensor> quantize = () =>
          perChannel ? Tensor.QuantizePerChannel(x, shape, scales, zeroPoints, 1, DType.QInt32)
                     : Tensor.QuantizePerTensor(x, shape, 0.07, 3, DType.QInt8);
      Library.NumThreads = 1;
      Array ints;
      float[] floats;
      using (Tensor one = quantize()) {
        ints = one.IntRepr();
        floats = one.Dequantize();
      }
      Library.NumThreads = 2;
      using (Tensor two = quantize()) {
        CollectionAssert.AreEqual(ints, two.IntRepr());
        CollectionAssert.AreEqual(floats, two.Dequantize());
      }
    }
  }

  [Test]
  public void VersionNumber() {
    int[] parts = Library.Version.Split('.').Select(int.Parse).ToArray();
    Assert.AreEqual(3, parts.Length);
    Assert.AreEqual(parts[0] * 10000 + parts[1] * 100 + parts[2], Library.VersionNumber);
  }

  [Test]
  public void MaxSimdTarget() {
    Library.SetMaxSimdTarget("");
    string best = Library.SimdTarget;
    Func<string, int> Rank = target => Array.IndexOf(Targets, target);
    foreach (string name in Targets) {
      Library.SetMaxSimdTarget(name);
      string capped = Library.SimdTarget;
      // Never above the CPU's best; at or below the cap, but for the
      // fallback (SCALAR, or EMU128 where SCALAR is not built).
      Assert.GreaterOrEqual(Rank(capped), Rank(best), name + " -> " + capped);
      Assert.IsTrue(Rank(capped) >= Rank(name) || name == "SCALAR" && capped == "EMU128",
                    name + " -> " + capped);
      if (Rank(name) <= Rank(best)) Assert.AreEqual(best, capped);
      Library.SetMaxSimdTarget(name.ToLowerInvariant());  // any case
      Assert.AreEqual(capped, Library.SimdTarget);
    }
    Library.SetMaxSimdTarget("EMU128");
    CollectionAssert.Contains(new[] { "EMU128", "SCALAR" }, Library.SimdTarget);
    if (Rank(best) <= Rank("AVX2")) {  // x86-64: always built
      foreach (string name in new[] { "avx2", "Sse4", "SSSE3" }) {
        Library.SetMaxSimdTarget(name);
        Assert.AreEqual(name.ToUpperInvariant(), Library.SimdTarget);
      }
    }
    Library.SetMaxSimdTarget("");
    Assert.AreEqual(best, Library.SimdTarget);
  }

  [Test]
  public void UnknownSimdTargetsLeaveTheCap() {
    Library.SetMaxSimdTarget("SSE4");
    string capped = Library.SimdTarget;
    foreach (string bad in new[] { "AVX9", "Unknown", "AVX2 ", "SSE2", "\u00e4" }) {
      var error = Assert.Throws<QTensorArgumentException>(() => Library.SetMaxSimdTarget(bad));
      Assert.AreEqual(Status.InvalidArgument, error.Status);
      StringAssert.StartsWith($"unknown SIMD target \"{bad}\" (expected one of ", error.Message);
      StringAssert.Contains("EMU128", error.Message);
      Assert.AreEqual(capped, Library.SimdTarget);
    }
    var unencodable = new[] {
      new[] { "AVX2\0", "the character U+0000" },
      new[] { "\0", "the character U+0000" },
      new[] { "AVX2\uD800", "an unpaired surrogate (U+D800 at index 4)" },
      new[] { "\uDC80AVX2", "an unpaired surrogate (U+DC80 at index 0)" },
      new[] { "A\uDBFF\uDBFF\uDC00", "an unpaired surrogate (U+DBFF at index 1)" },
    };
    foreach (string[] bad in unencodable) {
      var error = Assert.Throws<ArgumentException>(() => Library.SetMaxSimdTarget(bad[0]));
      Assert.AreEqual("target", error.ParamName);
      StringAssert.StartsWith($"target may not contain {bad[1]}", error.Message);
      Assert.AreEqual(capped, Library.SimdTarget);
    }
    // A paired surrogate is a character: the library reports the name.
    var emoji = Assert.Throws<QTensorArgumentException>(
        () => Library.SetMaxSimdTarget("\uD83D\uDE00"));
    StringAssert.StartsWith("unknown SIMD target \"\uD83D\uDE00\"", emoji.Message);
    Assert.Throws<ArgumentNullException>(() => Library.SetMaxSimdTarget(null));
    Assert.AreEqual(capped, Library.SimdTarget);
  }

  // The same integers and floats on every target the cap can select.
  [Test]
  public void EveryTargetGivesTheSameResults() {
    const int rows = 3, columns = 4099;
    float[] x = Enumerable.Range(0, rows * columns)
                    .Select(i => (float)((long)i * 7919 % 60001 - 30000) / 97f)
                    .ToArray();
    x[0] = float.NaN;
    x[1] = float.PositiveInfinity;
    x[2] = float.NegativeInfinity;
    x[3] = 2.5f;
    double[] scales = Enumerable.Range(0, columns).Select(c => 0.5 + c % 13 * 0.25).ToArray();
    long[] zeroPoints = Enumerable.Range(0, columns).Select(c => (long)(120 + c % 7)).ToArray();
    long[] shape = { rows, columns };
    Func<Tensor>[] quantizers = {
      () => Tensor.QuantizePerTensor(x, shape, 0.9, 3, DType.QInt8),
      () => Tensor.QuantizePerChannel(x, shape, scales, zeroPoints, 1, DType.QUInt8),
      () => Tensor.QuantizePerChannel(x, shape, new[] { 0.01, 0.02, 0.5 }, new long[] { -5, 0, 7 },
                                      0, DType.QInt32),
    };
    Func<Tensor, byte[]> bytes = q => {
      Array ints = q.IntRepr();
      float[] floats = q.Dequantize();
      var all = new byte[Buffer.ByteLength(ints) + floats.Length * 4];
      Buffer.BlockCopy(ints, 0, all, 0, Buffer.ByteLength(ints));
      Buffer.BlockCopy(floats, 0, all, Buffer.ByteLength(ints), floats.Length * 4);
      return all;  // bit for bit
    };
    Library.SetMaxSimdTarget("");
    string best = Library.SimdTarget;
    var reference = quantizers.Select(make => { using (Tensor q = make()) return bytes(q); }).ToArray();
    var seen = new System.Collections.Generic.HashSet<string> { best };
    foreach (string name in Targets) {
      Library.SetMaxSimdTarget(name);
      seen.Add(Library.SimdTarget);
      for (int k = 0; k < quantizers.Length; ++k) {
        using (Tensor q = quantizers[k]()) {
          CollectionAssert.AreEqual(reference[k], bytes(q), Library.SimdTarget);
        }
      }
    }
    Assert.GreaterOrEqual(seen.Count, 2);
  }
}

}  // namespace QTensor.Tests

// Library: version, SIMD target and the thread count.
using System;
using System.Linq;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class LibraryTests {
  [TearDown]
  public void OneThread() {
    Library.NumThreads = 1;
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
}

}  // namespace QTensor.Tests

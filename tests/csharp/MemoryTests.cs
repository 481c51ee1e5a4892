// Creating and disposing 100 000 tensors leaves resident memory flat.
using System;
using System.IO;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class MemoryTests {
  const int Count = 100000;
  // Each iteration makes a [2, 128] quint8 tensor and a view of it. Kept
  // alive, 100 000 such tensors add about 110 MB of resident memory
  // (measured), so a leak of even 84 bytes per tensor would exceed the 8 MiB
  // allowed; the slack covers the allocator's and the GC's own variation,
  // mostly settled by a warm-up round (measured growth: under 0.5 MB).
  const long AllowedGrowthBytes = 8L << 20;

  static long ResidentBytes() {
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
    return long.Parse(fields[1]) * Environment.SystemPageSize;
  }

  static void CreateAndDispose(int count, float[] data, long[] shape) {
    for (int i = 0; i < count; ++i) {
      using (Tensor q = Tensor.QuantizePerTensor(data, shape, 0.01, 3, DType.QUInt8))
      using (Tensor view = q[1]) {
        if (view.Numel != 128) throw new InvalidOperationException("wrong view");
      }
    }
  }

  [Test]
  public void DisposedTensorsReturnTheirMemory() {
    var data = new float[256];
    for (int i = 0; i < data.Length; ++i) data[i] = i * 0.01f;
    var shape = new long[] { 2, 128 };
    CreateAndDispose(10000, data, shape);
    long before = ResidentBytes();
    CreateAndDispose(Count, data, shape);
    long growth = ResidentBytes() - before;
    Console.WriteLine("resident growth over {0} tensors: {1} bytes", Count, growth);
    Assert.Less(growth, AllowedGrowthBytes);
  }

  // Observers of 4096 channels keep two floats per channel (32 KiB):
  // keeping 20 000 of them would add over 600 MB.
  static long CreateAndDisposeObservers(int count, float[] batch) {
    long checksum = 0;
    for (int i = 0; i < count; ++i) {
      using (var observer = new PerChannelMinMaxObserver()) {
        observer.Forward(batch, new long[] { batch.Length / 2, 2 });
        checksum += observer.CalculateQParams().ZeroPoints[i % (batch.Length / 2)];
      }
    }
    return checksum;
  }

  [Test]
  public void DisposedObserversReturnTheirMemory() {
    var batch = new float[2 * 4096];
    for (int c = 0; c < 4096; ++c) {
      batch[2 * c] = -c;
      batch[2 * c + 1] = c + 1;
    }
    CreateAndDisposeObservers(2000, batch);
    long before = ResidentBytes();
    long checksum = CreateAndDisposeObservers(20000, batch);
    long growth = ResidentBytes() - before;
    Console.WriteLine("resident growth over 20000 observers: {0} bytes", growth);
    Assert.Greater(checksum, 0);
    Assert.Less(growth, AllowedGrowthBytes);
  }
}

}  // namespace QTensor.Tests

package io.qtensor.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.ObserverQParams;
import io.qtensor.PerChannelMinMaxObserver;
import io.qtensor.QTensor;
import io.qtensor.Quantizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.Test;

/**
 * Creating and closing 100 000 tensors leaves resident memory flat. Run in a
 * JVM whose heap is fixed and pre-touched (-Xms64m -Xmx64m
 * -XX:+AlwaysPreTouch, set by tests/java/CMakeLists.txt), so the Java heap
 * cannot grow the resident set and what is measured is native memory.
 */
public class MemoryTest {
  static final int COUNT = 100_000;
  static final int WARM_UP = 10_000;
  static final int ELEMENTS = 256;
  // A leaked tensor keeps at least its 256 int32 integers (1 KiB) plus its
  // handle, view and storage records: leaking all of them would add over
  // 100 MB. 16 MiB is far below that and well above the noise of the
  // allocator and the JIT after warm-up (under 2 MiB here).
  static final long BOUND_BYTES = 16L << 20;
  static final long PAGE_BYTES = 4096;

  static long residentBytes() throws IOException {
    String[] fields = new String(Files.readAllBytes(Paths.get("/proc/self/statm"))).trim()
                          .split(" ");
    return Long.parseLong(fields[1]) * PAGE_BYTES;
  }

  static long churn(int count, float[] data, Quantizer quantizer) {
    long checksum = 0;
    for (int i = 0; i < count; i++) {
      try (QTensor q = QTensor.quantize(data, new long[] {16, 16}, quantizer);
           QTensor row = q.get(i % 16)) {
        checksum += row.intRepr()[0];
      }
    }
    return checksum;
  }

  @Test
  public void createAndCloseKeepsResidentMemoryFlat() throws IOException {
    float[] data = Expected.ramp(ELEMENTS, 1.0f, 0.0f);
    try (Quantizer quantizer = Quantizer.perTensor(0.5, 3, DType.QINT32)) {
      churn(WARM_UP, data, quantizer);
      long before = residentBytes();
      long checksum = churn(COUNT, data, quantizer);
      long growth = residentBytes() - before;
      System.out.println("resident growth over " + COUNT + " tensors: " + growth + " bytes");
      // Row r starts with element 16 r, quantized to 2 * 16 r + 3.
      long expected = 0;
      for (int i = 0; i < COUNT; i++) {
        expected += 32 * (i % 16) + 3;
      }
      assertEquals(expected, checksum);
      assertTrue("resident memory grew by " + growth + " bytes", growth < BOUND_BYTES);
    }
  }

  // Observers of 4096 channels keep two floats per channel (32 KiB):
  // leaking 20 000 of them would add over 600 MB.
  static long churnObservers(int count, float[] batch) {
    long checksum = 0;
    for (int i = 0; i < count; i++) {
      try (PerChannelMinMaxObserver observer =
               new PerChannelMinMaxObserver(0, DType.QUINT8, false, false)) {
        observer.forward(batch, new long[] {batch.length / 2, 2});
        ObserverQParams p = observer.calculateQParams();
        checksum += p.zeroPoint(i % (batch.length / 2));
      }
    }
    return checksum;
  }

  @Test
  public void closedObserversReturnTheirMemory() throws IOException {
    // Channel c holds -c and c + 1: zero point round(c / ((2c + 1) / 255)).
    float[] batch = new float[2 * 4096];
    for (int c = 0; c < 4096; c++) {
      batch[2 * c] = -c;
      batch[2 * c + 1] = c + 1;
    }
    churnObservers(2_000, batch);
    long before = residentBytes();
    long checksum = churnObservers(20_000, batch);
    long growth = residentBytes() - before;
    System.out.println("resident growth over 20000 observers: " + growth + " bytes");
    assertTrue(checksum > 0);
    assertTrue("resident memory grew by " + growth + " bytes", growth < BOUND_BYTES);
  }
}

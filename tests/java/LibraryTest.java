package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.Library;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import java.util.Set;
import org.junit.After;
import org.junit.Test;

public class LibraryTest {
  @After
  public void oneThread() {
    Library.setNumThreads(1);
  }

  @Test
  public void versionAndSimdTarget() {
    assertTrue(Library.version(), Library.version().matches("\\d+\\.\\d+\\.\\d+"));
    assertTrue(Library.simdTarget(),
               Set.of("AVX3_DL", "AVX3", "AVX2", "SSE4", "SSSE3", "EMU128", "SCALAR")
                   .contains(Library.simdTarget()));
  }

  @Test
  public void threadCounts() {
    assertEquals(1, Library.getNumThreads());
    Library.setNumThreads(3);
    assertEquals(3, Library.getNumThreads());
    Library.setNumThreads(0);
    assertEquals(Math.min(Runtime.getRuntime().availableProcessors(), 64),
                 Library.getNumThreads());
  }

  @Test
  public void badThreadCountsLeaveTheSetting() {
    Library.setNumThreads(2);
    for (int bad : new int[] {-1, 65, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      QTensorException error =
          assertThrows(QTensorException.class, () -> Library.setNumThreads(bad));
      assertEquals(Status.INVALID_ARGUMENT, error.status());
      assertEquals("threads = " + bad + " is out of range [0, 64] (0: one per logical core)",
                   error.getMessage());
      assertEquals(2, Library.getNumThreads());
    }
  }

  // 2^20 elements and more are split across threads: the same integers and
  // floats as one thread, per tensor and per channel.
  @Test
  public void threadsGiveTheSameResults() {
    final int rows = 1024, columns = 1100;
    float[] x = new float[rows * columns];
    for (int i = 0; i < x.length; ++i) x[i] = ((i * 7919) % 2001 - 1000) / 97f;
    double[] scales = new double[columns];
    long[] zeroPoints = new long[columns];
    for (int c = 0; c < columns; ++c) {
      scales[c] = 0.01 + c * 1e-4;
      zeroPoints[c] = c % 5;
    }
    long[] shape = {rows, columns};
    try (Quantizer perTensor = Quantizer.perTensor(0.07, 3, DType.QINT8);
         Quantizer perChannel = Quantizer.perChannel(scales, zeroPoints, 1, DType.QINT32)) {
      for (Quantizer quantizer : new Quantizer[] {perTensor, perChannel}) {
        Library.setNumThreads(1);
        int[] ints;
        float[] floats;
        try (QTensor one = QTensor.quantize(x, shape, quantizer)) {
          ints = one.intRepr();
          floats = one.dequantize();
        }
        Library.setNumThreads(2);
        try (QTensor two = QTensor.quantize(x, shape, quantizer)) {
          assertArrayEquals(ints, two.intRepr());
          assertArrayEquals(floats, two.dequantize(), 0.0f);
        }
      }
    }
  }
}

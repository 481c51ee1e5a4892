package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.qtensor.DType;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import org.junit.Test;

/**
 * maxPool2d, avgPool2d and adaptiveAvgPool2d: integers and parameters of
 * known cases (the C++ and Python suites compare them with PyTorch), and
 * their errors.
 */
public class PoolingTest {
  // quint8, zero point 3: a 1 x 1 x 4 x 4 tensor of integers 0..15.
  static QTensor sample() {
    short[] ints = new short[16];
    for (short i = 0; i < 16; ++i) ints[i] = i;
    return QTensor.fromIntRepr(ints, new long[] {1, 1, 4, 4},
                               Quantizer.perTensor(0.5, 3, DType.QUINT8));
  }

  @Test
  public void poolsKeepTheParameters() {
    try (QTensor q = sample();
         QTensor max = q.maxPool2d(new long[] {2}, null, new long[] {0}, new long[] {1}, false);
         QTensor padded = q.maxPool2d(new long[] {3, 3}, new long[] {2, 2}, new long[] {1, 1},
                                      new long[] {1, 1}, true);
         QTensor avg = q.avgPool2d(new long[] {2}, null, new long[] {0}, false, true, 0);
         QTensor divided = q.avgPool2d(new long[] {2}, null, new long[] {0}, false, true, 3);
         QTensor adaptive = q.adaptiveAvgPool2d(3, 2)) {
      assertArrayEquals(new long[] {1, 1, 2, 2}, max.shape());
      assertArrayEquals(new short[] {5, 7, 13, 15}, max.intReprUInt8());
      // Windows from -1, 1 and 3 (ceil mode: the last starts inside the input).
      assertArrayEquals(new short[] {5, 7, 7, 13, 15, 15, 13, 15, 15}, padded.intReprUInt8());
      // (0 + 1 + 4 + 5) / 4 = 2.5 rounds to 2 (even); 12.5 to 12.
      assertArrayEquals(new short[] {2, 4, 10, 12}, avg.intReprUInt8());
      // (sum - 4 * 3) / 3 + 3 for sums 10, 18, 42, 50: 2.33, 5, 13, 15.67.
      assertArrayEquals(new short[] {2, 5, 13, 16}, divided.intReprUInt8());
      // Rows 0-1, 1-2, 2-3 (floor(i * 4 / 3) to ceil((i + 1) * 4 / 3)); columns 0-1, 2-3.
      assertArrayEquals(new short[] {2, 4, 6, 8, 10, 12}, adaptive.intReprUInt8());
      assertEquals(0.5, avg.qScale(), 0.0);
      assertEquals(3, adaptive.qZeroPoint());
    }
  }

  @Test
  public void badWindowsAreInvalidArguments() {
    try (QTensor q = sample()) {
      QTensorException e = assertThrows(QTensorException.class,
          () -> q.maxPool2d(new long[] {3}, null, new long[] {2}, new long[] {1}, false));
      assertEquals(Status.INVALID_ARGUMENT, e.status());
      e = assertThrows(QTensorException.class,
          () -> q.avgPool2d(new long[] {0}, null, new long[] {0}, false, true, 0));
      assertEquals(Status.INVALID_ARGUMENT, e.status());
      e = assertThrows(QTensorException.class, () -> q.adaptiveAvgPool2d(1, 2, 3));
      assertEquals(Status.INVALID_ARGUMENT, e.status());
      assertThrows(NullPointerException.class,
          () -> q.maxPool2d(null, null, new long[] {0}, new long[] {1}, false));
      assertArrayEquals(new short[] {0, 1, 2, 3}, java.util.Arrays.copyOf(q.intReprUInt8(), 4));
    }
  }
}

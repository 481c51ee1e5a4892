package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import io.qtensor.DType;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import org.junit.Test;

/**
 * requantize, relu, reluInPlace, relu6 and clamp: integers and parameters
 * of known cases (the Python suite compares them with PyTorch).
 */
public class OperatorsTest {
  // qint8, scale 0.5, zero point 2: integers -8, 0, 2, 3, 14, 127.
  static QTensor sample() {
    return QTensor.quantizePerTensor(new float[] {-5f, -1f, 0f, 0.5f, 6f, 100f},
                                     new long[] {2, 3}, 0.5, 2, DType.QINT8);
  }

  @Test
  public void clampsKeepTheParameters() {
    try (QTensor q = sample(); QTensor relu = q.relu(); QTensor relu6 = q.relu6();
         QTensor clamped = q.clamp(-0.6f, 1.25f); QTensor swapped = q.clamp(1f, -1f)) {
      assertArrayEquals(new byte[] {-8, 0, 2, 3, 14, 127}, q.intReprInt8());
      assertArrayEquals(new byte[] {2, 2, 2, 3, 14, 127}, relu.intReprInt8());
      assertArrayEquals(new byte[] {2, 2, 2, 3, 14, 14}, relu6.intReprInt8());
      // -0.6 / 0.5 = -1.2 rounds to -1; 1.25 / 0.5 = 2.5 rounds to 2 (even).
      assertArrayEquals(new byte[] {1, 1, 2, 3, 4, 4}, clamped.intReprInt8());
      assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0}, swapped.intReprInt8());  // max wins
      assertEquals(0.5, relu6.qScale(), 0.0);
      try (QTensor sigmoid = q.sigmoid(); QTensor tanh = q.tanh()) {
        // sigmoid(-5, -1, 0, 0.5, 6, 62.5) * 256 - 128, rounded half to even.
        assertArrayEquals(new byte[] {-126, -59, 0, 31, 127, 127}, sigmoid.intReprInt8());
        assertEquals(1.0 / 256, sigmoid.qScale(), 0.0);
        // tanh(...) * 128: -128 (saturated), -97, 0, 59, 127, 127.
        assertArrayEquals(new byte[] {-128, -97, 0, 59, 127, 127}, tanh.intReprInt8());
      }
      try (QTensor hardswish = q.hardswish(0.25, 0)) {
        // x * min(max(x + 3, 0), 6) / 6: 0, -1/3, 0, 0.2917, 6, 62.5 at scale 0.25.
        assertArrayEquals(new byte[] {0, -1, 0, 1, 24, 127}, hardswish.intReprInt8());
      }
      try (QTensor leaky = q.leakyRelu(0.25f)) {
        // -5 * 0.25 = -1.25 -> -2.5 steps -> -2 (even); -1 * 0.25 -> -0.5 -> 0.
        assertArrayEquals(new byte[] {0, 2, 2, 3, 14, 127}, leaky.intReprInt8());
      }
      assertEquals(2, clamped.qZeroPoint());
    }
  }

  @Test
  public void reluInPlaceWritesTheViewOnly() {
    try (QTensor q = sample(); QTensor column = q.select(1, 0)) {
      assertSame(column, column.reluInPlace());
      assertArrayEquals(new byte[] {2, 0, 2, 3, 14, 127}, q.intReprInt8());
    }
  }

  @Test
  public void requantizeEqualsQuantizingTheDequantizedValues() {
    try (QTensor q = sample(); QTensor view = q.transpose(0, 1);
         Quantizer target = Quantizer.perChannel(new double[] {0.3, 1.0}, new long[] {128, 0},
                                                 1, DType.QUINT8);
         QTensor requantized = view.requantize(target);
         QTensor expected = QTensor.quantize(view.dequantize(), view.shape(), target)) {
      assertArrayEquals(expected.intReprUInt8(), requantized.intReprUInt8());
      assertArrayEquals(new long[] {3, 2}, requantized.shape());
    }
  }

  @Test
  public void addAndMulFollowPyTorchsFormulas() {
    // Values -5, -1, 0, 0.5, 6, 62.5; into scale 1, zero point 0.
    try (QTensor q = sample(); QTensor sum = q.add(q, 1.0, 0); QTensor relu = q.addRelu(q, 1.0, 0);
         QTensor product = q.mul(q, 1.0, 0); QTensor row = q.select(0, 1);
         QTensor broadcast = q.add(row, 1.0, 0)) {
      assertArrayEquals(new byte[] {-10, -2, 0, 1, 12, 125}, sum.intReprInt8());
      assertArrayEquals(new byte[] {0, 0, 0, 1, 12, 125}, relu.intReprInt8());
      // (q - 2)^2 * 0.25: 25, 1, 0, 0.25 -> 0, 36, 3906.25 -> 127.
      assertArrayEquals(new byte[] {25, 1, 0, 0, 36, 127}, product.intReprInt8());
      // Row 1 (0.5, 6, 62.5) added to both rows.
      assertArrayEquals(new byte[] {-4, 5, 62, 1, 12, 125}, broadcast.intReprInt8());
      assertEquals(1.0, sum.qScale(), 0.0);
    }
  }

  @Test
  public void catJoinsAndRequantizes() {
    try (QTensor q = sample();
         QTensor other = QTensor.quantizePerTensor(new float[] {1f, -1f, 2f}, new long[] {1, 3},
                                                   0.25, 0, DType.QINT8);
         QTensor joined = QTensor.cat(new QTensor[] {q, other}, 0);
         Quantizer target = Quantizer.perTensor(1.0, 0, DType.QINT8)) {
      assertArrayEquals(new long[] {3, 3}, joined.shape());
      assertEquals(0.5, joined.qScale(), 0.0);  // the first tensor's parameters
      // other's values 1, -1, 2 requantized into scale 0.5, zero point 2.
      assertArrayEquals(new byte[] {-8, 0, 2, 3, 14, 127, 4, 0, 6}, joined.intReprInt8());
      assertThrows(QTensorException.class, () -> QTensor.catRelu(new QTensor[] {q, other}, 1,
                                                                 target));
    }
    try (QTensor q = sample(); QTensor row = q.select(0, 0);
         Quantizer target = Quantizer.perTensor(1.0, 0, DType.QINT8);
         QTensor relu = QTensor.catRelu(new QTensor[] {row, row}, 0, target)) {
      // Row 0's values -5, -1, 0 twice, at scale 1, then relu.
      assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0}, relu.intReprInt8());
      assertThrows(NullPointerException.class, () -> QTensor.cat(new QTensor[] {row, null}, 0));
      assertEquals(Status.INVALID_ARGUMENT,
          assertThrows(QTensorException.class, () -> QTensor.cat(new QTensor[0], 0)).status());
    }
  }

  @Test
  public void badArgumentsThrow() {
    try (QTensor q = sample();
         Quantizer wide = Quantizer.perChannel(new double[] {1, 1, 1, 1}, new long[] {0, 0, 0, 0},
                                               0, DType.QINT8)) {
      assertEquals(Status.INVALID_ARGUMENT,
          assertThrows(QTensorException.class, () -> q.clamp(Float.NaN, 1f)).status());
      assertEquals(Status.SHAPE_MISMATCH,
          assertThrows(QTensorException.class, () -> q.requantize(wide)).status());
      assertThrows(NullPointerException.class, () -> q.requantize(null));
      assertThrows(NullPointerException.class, () -> q.add(null, 1.0, 0));
      assertEquals(Status.INVALID_ARGUMENT,
          assertThrows(QTensorException.class, () -> q.mul(q, 0.0, 0)).status());
      try (QTensor column = q.select(1, 0)) {
        assertEquals(Status.SHAPE_MISMATCH,
            assertThrows(QTensorException.class, () -> q.addRelu(column, 1.0, 0)).status());
      }
      assertArrayEquals(new byte[] {-8, 0, 2, 3, 14, 127}, q.intReprInt8());
    }
  }
}

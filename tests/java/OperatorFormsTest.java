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
 * The operators' scalar, out= and in-place forms: integers and parameters
 * PyTorch 1.13 gives on the same inputs, and bad outputs refused with the
 * output unchanged.
 */
public class OperatorFormsTest {
  // qint8, scale 0.5, zero point 2.
  static QTensor sample() {
    return int8(new byte[] {-8, 0, 2, 3, 14, 127}, new long[] {2, 3}, 0.5, 2);
  }

  static QTensor int8(byte[] ints, long[] shape, double scale, long zeroPoint) {
    try (Quantizer quantizer = Quantizer.perTensor(scale, zeroPoint, DType.QINT8)) {
      return QTensor.fromIntRepr(ints, shape, quantizer);
    }
  }

  static QTensor zeros(long[] shape, double scale, long zeroPoint) {
    int n = 1;
    for (long size : shape) n *= (int) size;
    return int8(new byte[n], shape, scale, zeroPoint);
  }

  @Test
  public void scalarFormsDeriveTorchsParameters() {
    try (QTensor q = sample(); QTensor shifted = q.addScalar(1.0);
         QTensor stretched = q.addScalar(-70.0); QTensor stretchedRelu = q.addScalarRelu(-70.0);
         QTensor mirrored = q.mulScalar(-2.0); QTensor mirroredRelu = q.mulScalarRelu(-2.0)) {
      assertArrayEquals(new byte[] {-8, 0, 2, 3, 14, 127}, shifted.intReprInt8());
      assertEquals(0, shifted.qZeroPoint());
      assertEquals(0.5, shifted.qScale(), 0.0);
      // 140 steps down moves the zero point past 127: the range stretches.
      assertArrayEquals(new byte[] {-15, -7, -5, -4, 6, 113}, stretched.intReprInt8());
      assertEquals(270.0 / 255.0 * 0.5, stretched.qScale(), 0.0);
      assertEquals(127, stretched.qZeroPoint());
      assertArrayEquals(new byte[] {127, 127, 127, 127, 127, 127}, stretchedRelu.intReprInt8());
      assertArrayEquals(new byte[] {7, -1, -3, -4, -15, -128}, mirrored.intReprInt8());
      assertEquals(1.0, mirrored.qScale(), 0.0);
      assertEquals(-3, mirrored.qZeroPoint());
      assertArrayEquals(new byte[] {7, -1, -3, -3, -3, -3}, mirroredRelu.intReprInt8());
    }
  }

  @Test
  public void outFormsWriteTheGivenTensor() {
    try (QTensor q = sample(); QTensor out = zeros(new long[] {2, 3}, 1.0, 0)) {
      assertSame(out, q.add(q, out));
      assertArrayEquals(new byte[] {-10, -2, 0, 1, 12, 125}, out.intReprInt8());
      assertSame(out, q.mulRelu(q, out));
      assertArrayEquals(new byte[] {25, 1, 0, 0, 36, 127}, out.intReprInt8());
      try (QTensor joined = zeros(new long[] {4, 3}, 0.25, -1)) {
        assertSame(joined, QTensor.catRelu(new QTensor[] {q, q}, 0, joined));
        assertArrayEquals(new byte[] {-1, -1, -1, 1, 23, 127, -1, -1, -1, 1, 23, 127},
                          joined.intReprInt8());
      }
    }
  }

  @Test
  public void inPlaceFormsWriteTheViewItself() {
    try (QTensor q = sample()) {
      assertSame(q, q.leakyReluInPlace(0.25f));
      assertArrayEquals(new byte[] {0, 2, 2, 3, 14, 127}, q.intReprInt8());
    }
    try (QTensor q = sample()) {
      assertSame(q, q.clampInPlace(-0.6f, 1.25f));
      assertArrayEquals(new byte[] {1, 1, 2, 3, 4, 4}, q.intReprInt8());
    }
    try (QTensor q = sample(); QTensor row = q.select(0, 1)) {
      row.relu6InPlace();
      assertArrayEquals(new byte[] {-8, 0, 2, 3, 14, 14}, q.intReprInt8());
    }
  }

  @Test
  public void badOutputsAndNumbersAreRefused() {
    try (QTensor q = sample(); QTensor out = sample();
         Quantizer int32 = Quantizer.perTensor(0.5, 0, DType.QINT32);
         QTensor wide = QTensor.fromIntRepr(new int[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3},
                                            int32);
         QTensor row = out.select(0, 0)) {
      QTensorException e = assertThrows(QTensorException.class, () -> q.add(q, wide));
      assertEquals(Status.TYPE_MISMATCH, e.status());
      e = assertThrows(QTensorException.class, () -> q.mul(q, row));
      assertEquals(Status.SHAPE_MISMATCH, e.status());
      assertThrows(NullPointerException.class, () -> q.add(q, (QTensor) null));
      e = assertThrows(QTensorException.class, () -> q.addScalar(Double.NaN));
      assertEquals(Status.INVALID_ARGUMENT, e.status());
      e = assertThrows(QTensorException.class, () -> q.mulScalar(1e308));
      assertEquals(Status.INVALID_ARGUMENT, e.status());
      e = assertThrows(QTensorException.class,
                       () -> QTensor.cat(new QTensor[] {q, q}, 1, out));
      assertEquals(Status.SHAPE_MISMATCH, e.status());
      assertArrayEquals(new byte[] {-8, 0, 2, 3, 14, 127}, out.intReprInt8());
      assertArrayEquals(new byte[] {-8, 0, 2, 3, 14, 127}, q.intReprInt8());
    }
  }
}

package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.QScheme;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.Test;

public class CreationTest {
  static final float[] VALUES = {-1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f};

  @Test
  public void quantizePerTensorQint8() {
    try (QTensor q = QTensor.quantizePerTensor(VALUES, new long[] {2, 3}, 0.1, 0, DType.QINT8)) {
      assertArrayEquals(new int[] {-16, 40, 70, 33, 66, 86}, q.intRepr());
      assertArrayEquals(Expected.quantizePerTensor(VALUES, 0.1, 0, -128, 127), q.intRepr());
      assertArrayEquals(new byte[] {-16, 40, 70, 33, 66, 86}, q.intReprInt8());
      assertArrayEquals(Expected.dequantizePerTensor(q.intRepr(), 0.1, 0), q.dequantize(), 0f);
      assertEquals(DType.QINT8, q.dtype());
      assertEquals(QScheme.PER_TENSOR_AFFINE, q.qscheme());
      assertArrayEquals(new long[] {2, 3}, q.shape());
      assertEquals(0.1, q.qScale(), 0.0);
      assertEquals(0, q.qZeroPoint());
    }
  }

  @Test
  public void quantizeSaturatesAndRoundsHalfToEven() {
    float[] x = {0.5f, 1.5f, 2.5f, -0.5f, 300f, -300f, Float.NaN, Float.POSITIVE_INFINITY,
                 Float.NEGATIVE_INFINITY};
    try (QTensor q = QTensor.quantizePerTensor(x, new long[] {9}, 1.0, 10, DType.QUINT8)) {
      assertArrayEquals(new int[] {10, 12, 12, 10, 255, 0, 10, 255, 0}, q.intRepr());
      assertArrayEquals(new short[] {10, 12, 12, 10, 255, 0, 10, 255, 0}, q.intReprUInt8());
    }
  }

  @Test
  public void quantizeQint32KeepsLargeValuesExact() {
    float[] x = {10000.0f, -25000.0f, 3.25f, 0.0f};
    try (QTensor q = QTensor.quantizePerTensor(x, new long[] {4}, 0.001, -7, DType.QINT32)) {
      int[] expected = Expected.quantizePerTensor(x, 0.001, -7, Integer.MIN_VALUE,
                                                  Integer.MAX_VALUE);
      assertArrayEquals(expected, q.intReprInt32());
      assertEquals(9999992, q.intRepr()[0]);
      assertArrayEquals(Expected.dequantizePerTensor(expected, 0.001, -7), q.dequantize(), 0f);
    }
  }

  @Test
  public void quantizePerChannelOnFirstAxis() {
    float[] x = Expected.ramp(12, 0.37f, -2.0f);
    double[] scales = {0.05, 0.1, 0.2};
    long[] zeroPoints = {0, 128, 255};
    try (QTensor q = QTensor.quantizePerChannel(x, new long[] {3, 4}, scales, zeroPoints, 0,
                                                DType.QUINT8)) {
      int[] expected = Expected.quantizePerChannel(x, 4, scales, zeroPoints, 0, 255);
      assertArrayEquals(expected, q.intRepr());
      assertArrayEquals(Expected.dequantizePerChannel(expected, 4, scales, zeroPoints),
                        q.dequantize(), 0f);
      assertEquals(QScheme.PER_CHANNEL_AFFINE, q.qscheme());
      assertArrayEquals(scales, q.qPerChannelScales(), 0.0);
      assertArrayEquals(zeroPoints, q.qPerChannelZeroPoints());
      assertEquals(0, q.qPerChannelAxis());
    }
  }

  @Test
  public void quantizePerChannelOnLastAxisGivenNegatively() {
    float[] x = Expected.ramp(12, 0.71f, -4.26f);
    double[] scales = {0.01, 0.001, 0.0001};
    long[] zeroPoints = {-1, 0, 1};
    try (QTensor q = QTensor.quantizePerChannel(x, new long[] {2, 2, 3}, scales, zeroPoints, -1,
                                                DType.QINT32)) {
      int[] expected = Expected.quantizePerChannel(x, 1, scales, zeroPoints, Integer.MIN_VALUE,
                                                   Integer.MAX_VALUE);
      assertArrayEquals(expected, q.intReprInt32());
      assertEquals(2, q.qPerChannelAxis());
    }
  }

  @Test
  public void emptyQuantizedHoldsZeroIntegers() {
    try (Quantizer quantizer = Quantizer.perTensor(1e-4, 2, DType.QINT32);
         QTensor q = QTensor.emptyQuantized(new long[] {10}, quantizer)) {
      assertArrayEquals(new int[10], q.intRepr());
      for (float value : q.dequantize()) {
        assertEquals((float) -2 * (float) 1e-4, value, 0f);
      }
      assertEquals(10, q.numel());
    }
  }

  @Test
  public void fromIntReprTakesTheMatchingJavaType() {
    try (Quantizer int8 = Quantizer.perTensor(0.5, -3, DType.QINT8);
         Quantizer uint8 = Quantizer.perTensor(0.5, 3, DType.QUINT8);
         Quantizer int32 = Quantizer.perTensor(0.5, 0, DType.QINT32);
         QTensor a = QTensor.fromIntRepr(new byte[] {-128, 0, 127}, new long[] {3}, int8);
         QTensor b = QTensor.fromIntRepr(new short[] {0, 200, 255}, new long[] {3}, uint8);
         QTensor c = QTensor.fromIntRepr(new int[] {Integer.MIN_VALUE, 5}, new long[] {2}, int32)) {
      assertArrayEquals(new byte[] {-128, 0, 127}, a.intReprInt8());
      assertArrayEquals(new float[] {-62.5f, 1.5f, 65f}, a.dequantize(), 0f);
      assertArrayEquals(new short[] {0, 200, 255}, b.intReprUInt8());
      assertArrayEquals(new float[] {-1.5f, 98.5f, 126f}, b.dequantize(), 0f);
      assertArrayEquals(new int[] {Integer.MIN_VALUE, 5}, c.intReprInt32());
    }
  }

  @Test
  public void fromIntReprRejectsTheWrongJavaTypeAndOutOfRangeShorts() {
    try (Quantizer uint8 = Quantizer.perTensor(0.5, 3, DType.QUINT8)) {
      QTensorException wrongType = assertThrows(QTensorException.class,
          () -> QTensor.fromIntRepr(new byte[] {1}, new long[] {1}, uint8));
      assertEquals(Status.TYPE_MISMATCH, wrongType.status());
      assertEquals("fromIntRepr(byte[]) does not take a QUINT8 quantizer"
          + ReadOutTest.INT_REPR_TYPES, wrongType.getMessage());
      IllegalArgumentException outOfRange = assertThrows(IllegalArgumentException.class,
          () -> QTensor.fromIntRepr(new short[] {5, 256}, new long[] {2}, uint8));
      assertEquals("quint8 value 256 at index 1 is outside 0..255", outOfRange.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> QTensor.fromIntRepr(new short[] {-1}, new long[] {1}, uint8));
    }
  }

  @Test
  public void makePerTensorQuantizedPicksTheDtypeFromTheJavaType() {
    try (QTensor a = QTensor.makePerTensorQuantized(new byte[] {-5, 5}, new long[] {2}, 0.25, 1);
         QTensor b = QTensor.makePerTensorQuantized(new int[] {-5, 5}, new long[] {2}, 0.25, 1);
         QTensor c = QTensor.makePerTensorQuantizedUInt8(new short[] {66, 255}, new long[] {2},
                                                         1e-4, 2)) {
      assertEquals(DType.QINT8, a.dtype());
      assertArrayEquals(new float[] {-1.5f, 1.0f}, a.dequantize(), 0f);
      assertEquals(DType.QINT32, b.dtype());
      assertArrayEquals(new int[] {-5, 5}, b.intRepr());
      assertEquals(DType.QUINT8, c.dtype());
      assertArrayEquals(new int[] {66, 255}, c.intRepr());
      assertEquals(1e-4, c.qScale(), 0.0);
      assertEquals(2, c.qZeroPoint());
    }
  }

  @Test
  public void zeroDimTensorHoldsOneValue() {
    try (QTensor q = QTensor.quantizePerTensor(new float[] {2.5f}, new long[0], 0.5, -3,
                                               DType.QINT8)) {
      assertEquals(0, q.dim());
      assertEquals(1, q.numel());
      assertArrayEquals(new int[] {2}, q.intRepr());
      assertEquals(2.5f, q.item(), 0f);
    }
  }

  @Test
  public void directFloatBufferFromItsPosition() {
    FloatBuffer buffer = ByteBuffer.allocateDirect(6 * Float.BYTES)
                             .order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.put(new float[] {99f, 0.5f, 1.5f, 2.5f, 3.5f, 99f});
    buffer.position(1).limit(5);
    try (QTensor q = QTensor.quantizePerTensor(buffer, new long[] {2, 2}, 1.0, 0, DType.QINT8)) {
      assertArrayEquals(new int[] {0, 2, 2, 4}, q.intRepr());
    }
    assertEquals(1, buffer.position());
  }

  @Test
  public void misalignedDirectBufferIsReadAndWrittenInPlace() {
    ByteBuffer bytes = ByteBuffer.allocateDirect(5 * Float.BYTES + 1);
    FloatBuffer buffer = bytes.position(1).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.put(new float[] {0.5f, 1.5f, 2.5f, 3.5f, -7f}).flip();
    try (QTensor q = QTensor.quantizePerTensor(buffer, new long[] {5}, 0.5, 0, DType.QINT8)) {
      assertArrayEquals(new int[] {1, 3, 5, 7, -14}, q.intRepr());
      buffer.clear();
      q.fill(2f);
      q.dequantizeTo(buffer);
      assertEquals(2f, buffer.get(4), 0f);
    }
  }

  @Test
  public void emptyInputsMakeEmptyTensors() {
    FloatBuffer none = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()).asFloatBuffer();
    try (Quantizer quantizer = Quantizer.perTensor(0.5, 0, DType.QINT8);
         QTensor a = QTensor.quantize(new float[0], new long[] {0, 3}, quantizer);
         QTensor b = QTensor.quantize(none, new long[] {0}, quantizer);
         QTensor c = QTensor.fromIntRepr(new byte[0], new long[] {2, 0}, quantizer)) {
      assertEquals(0, a.numel());
      assertArrayEquals(new long[] {0, 3}, a.shape());
      assertArrayEquals(new float[0], a.dequantize(), 0f);
      assertArrayEquals(new int[0], b.intRepr());
      assertArrayEquals(new byte[0], c.intReprInt8());
    }
  }

  @Test
  public void heapAndForeignOrderBuffersAreCopiedFirst() {
    FloatBuffer heap = FloatBuffer.wrap(new float[] {0.5f, 1.5f, 2.5f, 3.5f});
    FloatBuffer bigEndian = ByteBuffer.allocateDirect(4 * Float.BYTES)
                                .order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
    bigEndian.put(new float[] {0.5f, 1.5f, 2.5f, 3.5f}).flip();
    try (QTensor a = QTensor.quantizePerTensor(heap, new long[] {4}, 1.0, 0, DType.QINT8);
         QTensor b = QTensor.quantizePerTensor(bigEndian, new long[] {4}, 1.0, 0, DType.QINT8)) {
      assertArrayEquals(new int[] {0, 2, 2, 4}, a.intRepr());
      assertArrayEquals(new int[] {0, 2, 2, 4}, b.intRepr());
    }
  }

  @Test
  public void quantizePerChannelFromDirectBuffer() {
    float[] x = Expected.ramp(12, 0.37f, -2.0f);
    FloatBuffer buffer = ByteBuffer.allocateDirect(12 * Float.BYTES)
                             .order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.put(x).flip();
    double[] scales = {0.05, 0.1, 0.2};
    long[] zeroPoints = {0, 128, 255};
    try (QTensor q = QTensor.quantizePerChannel(buffer, new long[] {3, 4}, scales, zeroPoints, 0,
                                                DType.QUINT8)) {
      assertArrayEquals(Expected.quantizePerChannel(x, 4, scales, zeroPoints, 0, 255),
                        q.intRepr());
    }
  }

  @Test
  public void quantizerGettersAndEquality() {
    try (Quantizer a = Quantizer.perTensor(0.1, -3, DType.QINT8);
         Quantizer b = Quantizer.perTensor(0.1, -3, DType.QINT8);
         Quantizer c = Quantizer.perChannel(new double[] {0.5, 0.25}, new long[] {1, 2}, 1,
                                            DType.QUINT8)) {
      assertEquals(DType.QINT8, a.dtype());
      assertEquals(QScheme.PER_TENSOR_AFFINE, a.qscheme());
      assertEquals(0.1, a.scale(), 0.0);
      assertEquals(-3, a.zeroPoint());
      assertEquals(1, a.numChannels());
      assertEquals(a, b);
      assertEquals(a.hashCode(), b.hashCode());
      assertFalse(a.equals(c));
      assertEquals("Quantizer(qint8, per_tensor_affine, scale=0.1, zero_point=-3)", a.toString());
      assertEquals(QScheme.PER_CHANNEL_AFFINE, c.qscheme());
      assertEquals(1, c.axis());
      assertEquals(2, c.numChannels());
      assertArrayEquals(new double[] {0.5, 0.25}, c.scales(), 0.0);
      assertArrayEquals(new long[] {1, 2}, c.zeroPoints());
      assertEquals("Quantizer(quint8, per_channel_affine, scales=[0.5, 0.25], zero_points=[1, 2],"
          + " axis=1)", c.toString());
      QTensorException error = assertThrows(QTensorException.class, c::scale);
      assertEquals(Status.TYPE_MISMATCH, error.status());
      assertTrue(error.getMessage(), error.getMessage().contains("per-channel"));
    }
  }

  @Test
  public void tensorQuantizerIsTheViewsEffectiveQuantizer() {
    float[] x = Expected.ramp(12, 0.37f, -2.0f);
    try (QTensor q = QTensor.quantizePerChannel(x, new long[] {3, 4}, new double[] {0.05, 0.1, 0.2},
                                                new long[] {0, 128, 255}, 0, DType.QUINT8);
         QTensor row = q.get(1);
         Quantizer quantizer = row.quantizer()) {
      assertEquals(QScheme.PER_TENSOR_AFFINE, quantizer.qscheme());
      assertEquals(0.1, quantizer.scale(), 0.0);
      assertEquals(128, quantizer.zeroPoint());
    }
  }

  @Test
  public void dtypeAndSchemeNamesAndSizes() {
    assertEquals("qint8", DType.QINT8.torchName());
    assertEquals("quint8", DType.QUINT8.torchName());
    assertEquals("qint32", DType.QINT32.torchName());
    assertEquals(1, DType.QINT8.itemSize());
    assertEquals(1, DType.QUINT8.itemSize());
    assertEquals(4, DType.QINT32.itemSize());
    assertEquals("per_tensor_affine", QScheme.PER_TENSOR_AFFINE.torchName());
    assertEquals("per_channel_affine", QScheme.PER_CHANNEL_AFFINE.torchName());
    // The names a tensor prints.
    try (QTensor q = QTensor.quantizePerTensor(new float[] {1f}, new long[] {1}, 0.5, 0,
                                               DType.QUINT8)) {
      assertTrue(q.toString(), q.toString().contains(
          "dtype=qtensor." + q.dtype().torchName() + ",\n"
          + "       quantization_scheme=qtensor." + q.qscheme().torchName() + ","));
    }
  }
}

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

/** The storage dtypes: QINT16, QUINT16 and the packed QUINT4X2, QUINT2X4, QINT4, QUINT4. */
public class StorageDTypesTest {
  private static final long[] SHAPE = {3, 5};

  /** Values packed as the library keeps them: the first in the lowest bits. */
  static byte[] pack(int[] values, int bits) {
    byte[] out = new byte[(values.length * bits + 7) / 8];
    int mask = (1 << bits) - 1;
    for (int i = 0; i < values.length; i++) {
      out[i * bits / 8] |= (byte) ((values[i] & mask) << (i * bits % 8));
    }
    return out;
  }

  /** Fifteen values from low to high and back, covering both ends. */
  static int[] spread(int low, int high) {
    int[] values = new int[15];
    for (int i = 0; i < values.length; i++) {
      values[i] = low + (int) ((long) (high - low) * ((i * 7) % 15) / 14);
    }
    return values;
  }

  @Test
  public void dtypesNameTheirStorage() {
    assertEquals(16, DType.QINT16.bits());
    assertEquals(2, DType.QINT16.itemSize());
    assertEquals(16, DType.QUINT16.bits());
    assertEquals(4, DType.QUINT4X2.bits());
    assertEquals(1, DType.QUINT4X2.itemSize());
    assertEquals(2, DType.QUINT2X4.bits());
    assertEquals(4, DType.QINT4.bits());
    assertEquals(4, DType.QUINT4.bits());
    assertEquals(8, DType.QUINT8.bits());
    assertEquals("quint4x2", DType.QUINT4X2.torchName());
    assertEquals("qint16", DType.QINT16.torchName());
  }

  @Test
  public void qint16TravelsAsShorts() {
    int[] ints = spread(-32768, 32767);
    short[] shorts = new short[ints.length];
    for (int i = 0; i < ints.length; i++) {
      shorts[i] = (short) ints[i];
    }
    try (Quantizer quantizer = Quantizer.perTensor(0.5, -3, DType.QINT16);
         QTensor q = QTensor.fromIntRepr(shorts, SHAPE, quantizer)) {
      assertEquals(DType.QINT16, q.dtype());
      assertArrayEquals(shorts, q.intReprInt16());
      assertArrayEquals(ints, q.intRepr());
      short[] marked = new short[16];
      marked[15] = 99;
      q.intReprTo(marked);
      assertEquals(99, marked[15]);
      assertEquals(shorts[14], marked[14]);
      assertArrayEquals(Expected.dequantizePerTensor(ints, 0.5, -3), q.dequantize(), 0f);
      assertEquals(30, q.packedRepr().length);
      try (QTensor back = QTensor.fromPacked(q.packedRepr(), SHAPE, quantizer)) {
        assertArrayEquals(ints, back.intRepr());
      }
    }
  }

  @Test
  public void quint16TravelsAsInts() {
    int[] ints = spread(0, 65535);
    try (Quantizer quantizer = Quantizer.perTensor(0.25, 40000, DType.QUINT16);
         QTensor q = QTensor.fromIntRepr(ints, SHAPE, quantizer)) {
      assertArrayEquals(ints, q.intReprUInt16());
      assertArrayEquals(ints, q.intRepr());
      int[] into = new int[15];
      q.intReprTo(into);
      assertArrayEquals(ints, into);
      assertArrayEquals(Expected.dequantizePerTensor(ints, 0.25, 40000), q.dequantize(), 0f);
      IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
          () -> QTensor.fromIntRepr(new int[] {65536}, new long[] {1}, quantizer));
      assertEquals("quint16 value 65536 at index 0 is outside 0..65535", outside.getMessage());
    }
    float[] far = {-1e9f, 1e9f};
    try (QTensor q = QTensor.quantizePerTensor(far, new long[] {2}, 1.0, 7, DType.QUINT16)) {
      assertArrayEquals(new int[] {0, 65535}, q.intRepr());
    }
  }

  @Test
  public void unsignedPackedDtypesTravelAsShortsAndPack() {
    DType[] dtypes = {DType.QUINT4X2, DType.QUINT2X4, DType.QUINT4};
    for (DType dtype : dtypes) {
      int high = (1 << dtype.bits()) - 1;
      int[] ints = spread(0, high);
      short[] shorts = new short[ints.length];
      for (int i = 0; i < ints.length; i++) {
        shorts[i] = (short) ints[i];
      }
      try (Quantizer quantizer = Quantizer.perTensor(0.5, 1, dtype);
           QTensor q = QTensor.fromIntRepr(shorts, SHAPE, quantizer)) {
        assertArrayEquals(shorts, q.intReprUInt8());
        assertArrayEquals(ints, q.intRepr());
        assertArrayEquals(pack(ints, dtype.bits()), q.packedRepr());
        try (QTensor back = QTensor.fromPacked(pack(ints, dtype.bits()), SHAPE, quantizer)) {
          assertArrayEquals(ints, back.intRepr());
        }
        QTensorException outside = assertThrows(QTensorException.class,
            () -> QTensor.fromIntRepr(new short[] {(short) (high + 1)}, new long[] {1},
                                      quantizer));
        assertEquals(Status.INVALID_ARGUMENT, outside.status());
      }
    }
  }

  @Test
  public void qint4TravelsAsBytes() {
    int[] ints = spread(-8, 7);
    byte[] bytes = new byte[ints.length];
    for (int i = 0; i < ints.length; i++) {
      bytes[i] = (byte) ints[i];
    }
    try (Quantizer quantizer = Quantizer.perTensor(0.5, 0, DType.QINT4);
         QTensor q = QTensor.fromIntRepr(bytes, SHAPE, quantizer)) {
      assertArrayEquals(bytes, q.intReprInt8());
      assertArrayEquals(ints, q.intRepr());
      assertArrayEquals(pack(ints, 4), q.packedRepr());
      QTensorException outside = assertThrows(QTensorException.class,
          () -> QTensor.fromIntRepr(new byte[] {-9}, new long[] {1}, quantizer));
      assertEquals(Status.INVALID_ARGUMENT, outside.status());
    }
  }

  @Test
  public void viewsAtOddOffsetsPackFromTheirFirstValue() {
    int[] ints = spread(0, 15);
    short[] shorts = new short[ints.length];
    for (int i = 0; i < ints.length; i++) {
      shorts[i] = (short) ints[i];
    }
    try (Quantizer quantizer = Quantizer.perTensor(0.5, 0, DType.QUINT4X2);
         QTensor q = QTensor.fromIntRepr(shorts, SHAPE, quantizer);
         QTensor row = q.select(0, 1);
         QTensor tail = row.slice(0, 1, 5);
         QTensor columns = q.transpose(0, 1)) {
      int[] expected = {ints[6], ints[7], ints[8], ints[9]};
      assertEquals(6, tail.storageOffset());
      assertArrayEquals(expected, tail.intRepr());
      assertArrayEquals(pack(expected, 4), tail.packedRepr());
      int[] transposed = new int[15];
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 3; j++) {
          transposed[i * 3 + j] = ints[j * 5 + i];
        }
      }
      assertArrayEquals(transposed, columns.intRepr());
      assertArrayEquals(pack(transposed, 4), columns.packedRepr());
      tail.fill(7.5f);
      assertArrayEquals(new int[] {ints[5], 15, 15, 15, 15}, row.intRepr());
      try (QTensor loaded = QTensor.deserialize(tail.serialize())) {
        assertEquals(DType.QUINT4X2, loaded.dtype());
        assertArrayEquals(new int[] {15, 15, 15, 15}, loaded.intRepr());
      }
    }
  }

  @Test
  public void badInputIsRefused() {
    try (Quantizer quantizer = Quantizer.perTensor(1.0, 0, DType.QUINT4X2)) {
      QTensorException size = assertThrows(QTensorException.class,
          () -> QTensor.fromPacked(new byte[3], new long[] {3}, quantizer));
      assertEquals(Status.SHAPE_MISMATCH, size.status());
      QTensorException padding = assertThrows(QTensorException.class,
          () -> QTensor.fromPacked(new byte[] {0x21, 0x13}, new long[] {3}, quantizer));
      assertEquals(Status.CORRUPT_DATA, padding.status());
      QTensorException wrongArray = assertThrows(QTensorException.class,
          () -> QTensor.fromIntRepr(new int[] {1}, new long[] {1}, quantizer));
      assertEquals(Status.TYPE_MISMATCH, wrongArray.status());
      try (QTensor q = QTensor.fromPacked(new byte[] {0x21, 0x03}, new long[] {3}, quantizer)) {
        assertArrayEquals(new int[] {1, 2, 3}, q.intRepr());
        QTensorException compute = assertThrows(QTensorException.class, q::relu);
        assertEquals(Status.TYPE_MISMATCH, compute.status());
        assertThrows(QTensorException.class, () -> q.intReprTo(new byte[3]));
        assertThrows(QTensorException.class, q::intReprInt16);
        try (Quantizer uint8 = Quantizer.perTensor(1.0, 0, DType.QUINT8);
             QTensor wide = q.requantize(uint8);
             QTensor relu = wide.relu()) {
          assertArrayEquals(new int[] {1, 2, 3}, relu.intRepr());
        }
      }
    }
  }
}

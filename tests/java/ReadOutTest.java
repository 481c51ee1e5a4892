package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.qtensor.DType;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/**
 * dequantizeTo and intReprTo write into the caller's array: numel values at
 * its start, the rest left as it was; a shorter one is INVALID_ARGUMENT and
 * stays untouched; a wrong element type for the dtype is TYPE_MISMATCH.
 */
public class ReadOutTest {
  /** The end of every message about an integer array of the wrong type. */
  static final String INT_REPR_TYPES = " (integers are byte[] for QINT8 and QINT4, short[] for "
      + "QUINT8, QUINT4X2, QUINT2X4, QUINT4 and QINT16, int[] for QINT32 and QUINT16)";

  static final float MARK = -777f;

  static float[] marked(int length) {
    float[] values = new float[length];
    Arrays.fill(values, MARK);
    return values;
  }

  static float[] concat(float[] head, float... tail) {
    float[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  static void assertTooShort(long capacity, long numel, ThrowingRunnable action) {
    QTensorException error = assertThrows(QTensorException.class, action);
    assertEquals(Status.INVALID_ARGUMENT, error.status());
    assertEquals("the destination holds " + capacity + " elements, the tensor has " + numel,
                 error.getMessage());
  }

  static void assertWrongType(String array, DType got, ThrowingRunnable action) {
    QTensorException error = assertThrows(QTensorException.class, action);
    assertEquals(Status.TYPE_MISMATCH, error.status());
    assertEquals("intReprTo(" + array + ") does not take a " + got + " tensor" + INT_REPR_TYPES,
                 error.getMessage());
  }

  @Test
  public void dequantizeToAnArrayLeavesTheTail() {
    try (QTensor q = ViewsAndWritesTest.notebookTensor();
         QTensor reversed = q.slice(0, null, null, -1)) {
      float[] expected = Expected.dequantizePerTensor(q.intRepr(), 1e-4, 2);
      float[] exact = new float[10];
      q.dequantizeTo(exact);
      assertArrayEquals(expected, exact, 0f);
      float[] longer = marked(13);
      q.dequantizeTo(longer);
      assertArrayEquals(concat(expected, MARK, MARK, MARK), longer, 0f);
      // A view writes its own elements, row-major.
      float[] backwards = marked(11);
      reversed.dequantizeTo(backwards);
      float[] reversedExpected = new float[10];
      for (int i = 0; i < 10; i++) {
        reversedExpected[i] = expected[9 - i];
      }
      assertArrayEquals(concat(reversedExpected, MARK), backwards, 0f);
      float[] shorter = marked(9);
      assertTooShort(9, 10, () -> q.dequantizeTo(shorter));
      assertArrayEquals(marked(9), shorter, 0f);
      assertThrows(NullPointerException.class, () -> q.dequantizeTo((float[]) null));
    }
    try (QTensor empty = QTensor.quantizePerTensor(new float[0], new long[] {0}, 1, 0,
                                                   DType.QINT8)) {
      float[] none = new float[0];
      empty.dequantizeTo(none);
      float[] one = marked(1);
      empty.dequantizeTo(one);
      assertArrayEquals(marked(1), one, 0f);
    }
  }

  @Test
  public void dequantizeToABufferWritesFromItsPosition() {
    try (QTensor q = ViewsAndWritesTest.notebookTensor()) {
      float[] expected = Expected.dequantizePerTensor(q.intRepr(), 1e-4, 2);
      // Direct, native order: written in place, from position, up to numel.
      FloatBuffer direct = ByteBuffer.allocateDirect(14 * Float.BYTES)
                               .order(ByteOrder.nativeOrder()).asFloatBuffer();
      direct.put(marked(14)).position(2).limit(13);
      q.dequantizeTo(direct);
      assertEquals(2, direct.position());
      assertEquals(13, direct.limit());
      float[] all = new float[14];
      direct.clear().get(all);
      assertArrayEquals(concat(concat(new float[] {MARK, MARK}, expected), MARK, MARK), all, 0f);
      // Backed by an array at an offset: written into the array in place.
      float[] backing = marked(16);
      FloatBuffer heap = FloatBuffer.wrap(backing).position(3).slice().position(1);
      q.dequantizeTo(heap);
      assertEquals(1, heap.position());
      assertArrayEquals(concat(concat(marked(4), expected), MARK, MARK), backing, 0f);
      // Direct in the other byte order: through a copy, the same result.
      ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
                            ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      FloatBuffer foreign = ByteBuffer.allocateDirect(12 * Float.BYTES).order(other)
                                .asFloatBuffer();
      foreign.put(marked(12)).position(1);
      q.dequantizeTo(foreign);
      assertEquals(1, foreign.position());
      float[] foreignAll = new float[12];
      foreign.clear().get(foreignAll);
      assertArrayEquals(concat(concat(new float[] {MARK}, expected), MARK), foreignAll, 0f);
    }
  }

  @Test
  public void dequantizeToATooShortBufferWritesNothing() {
    try (QTensor q = ViewsAndWritesTest.notebookTensor()) {
      FloatBuffer direct = ByteBuffer.allocateDirect(12 * Float.BYTES)
                               .order(ByteOrder.nativeOrder()).asFloatBuffer();
      direct.put(marked(12)).position(3);
      assertTooShort(9, 10, () -> q.dequantizeTo(direct));
      float[] heap = marked(12);
      assertTooShort(9, 10, () -> q.dequantizeTo(FloatBuffer.wrap(heap, 3, 9)));
      FloatBuffer foreign = ByteBuffer.allocateDirect(9 * Float.BYTES)
                                .order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
      FloatBuffer littleForeign = ByteBuffer.allocateDirect(9 * Float.BYTES)
                                      .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      for (FloatBuffer buffer : new FloatBuffer[] {foreign, littleForeign}) {
        buffer.put(marked(9)).clear();
        assertTooShort(9, 10, () -> q.dequantizeTo(buffer));
        float[] after = new float[9];
        buffer.get(after);
        assertArrayEquals(marked(9), after, 0f);
      }
      float[] directAfter = new float[12];
      direct.clear().get(directAfter);
      assertArrayEquals(marked(12), directAfter, 0f);
      assertArrayEquals(marked(12), heap, 0f);
      IllegalArgumentException readOnly = assertThrows(IllegalArgumentException.class,
          () -> q.dequantizeTo(FloatBuffer.allocate(10).asReadOnlyBuffer()));
      assertEquals("the FloatBuffer is read-only", readOnly.getMessage());
      assertThrows(NullPointerException.class, () -> q.dequantizeTo((FloatBuffer) null));
    }
  }

  @Test
  public void intReprToTheDtypesOwnArrayType() {
    try (QTensor int8 = QTensor.makePerTensorQuantized(new byte[] {-128, -1, 0, 127},
                                                       new long[] {2, 2}, 0.5, 0);
         QTensor uint8 = QTensor.makePerTensorQuantizedUInt8(new short[] {0, 1, 128, 200, 255},
                                                             new long[] {5}, 0.5, 3);
         QTensor int32 = QTensor.makePerTensorQuantized(
             new int[] {Integer.MIN_VALUE, -1, 70000, Integer.MAX_VALUE}, new long[] {4}, 0.5, 0);
         QTensor int8Transposed = int8.transpose(0, 1)) {
      byte[] bytes = {9, 9, 9, 9, 9, 9};
      int8.intReprTo(bytes);
      assertArrayEquals(new byte[] {-128, -1, 0, 127, 9, 9}, bytes);
      int8Transposed.intReprTo(bytes);
      assertArrayEquals(new byte[] {-128, 0, -1, 127, 9, 9}, bytes);
      short[] shorts = {-9, -9, -9, -9, -9, -9, -9};
      uint8.intReprTo(shorts);
      assertArrayEquals(new short[] {0, 1, 128, 200, 255, -9, -9}, shorts);
      int[] ints = {9, 9, 9, 9, 9};
      int32.intReprTo(ints);
      assertArrayEquals(new int[] {Integer.MIN_VALUE, -1, 70000, Integer.MAX_VALUE, 9}, ints);
      int[] exactInts = new int[4];
      int32.intReprTo(exactInts);
      assertArrayEquals(int32.intReprInt32(), exactInts);
    }
  }

  // quint8 integers are widened to short in the caller's array itself: many
  // of them, every value 0..255, a view, and a tail to keep.
  @Test
  public void intReprToShortsWidensEveryValue() {
    short[] values = new short[4099];
    for (int i = 0; i < values.length; i++) {
      values[i] = (short) ((i * 37) % 256);
    }
    try (QTensor q = QTensor.makePerTensorQuantizedUInt8(values, new long[] {4099}, 1, 0);
         QTensor backwards = q.slice(0, null, null, -3)) {
      short[] out = new short[4101];
      out[4099] = 1234;
      out[4100] = -1;
      q.intReprTo(out);
      assertArrayEquals(values, Arrays.copyOf(out, 4099));
      assertEquals(1234, out[4099]);
      assertEquals(-1, out[4100]);
      short[] fromView = new short[(int) backwards.numel() + 1];
      fromView[fromView.length - 1] = 77;
      backwards.intReprTo(fromView);
      short[] expected = backwards.intReprUInt8();
      assertArrayEquals(expected, Arrays.copyOf(fromView, expected.length));
      assertEquals(values[4098], fromView[0]);
      assertEquals(77, fromView[fromView.length - 1]);
    }
  }

  @Test
  public void intReprToRefusesTheWrongTypeAndShortArrays() {
    try (QTensor int8 = QTensor.makePerTensorQuantized(new byte[] {1, 2, 3}, new long[] {3}, 1, 0);
         QTensor uint8 = QTensor.makePerTensorQuantizedUInt8(new short[] {1, 2, 3},
                                                             new long[] {3}, 1, 0);
         QTensor int32 = QTensor.makePerTensorQuantized(new int[] {1, 2, 3}, new long[] {3}, 1,
                                                        0)) {
      assertWrongType("byte[]", DType.QUINT8, () -> uint8.intReprTo(new byte[3]));
      assertWrongType("byte[]", DType.QINT32, () -> int32.intReprTo(new byte[12]));
      assertWrongType("short[]", DType.QINT8, () -> int8.intReprTo(new short[3]));
      assertWrongType("int[]", DType.QINT8, () -> int8.intReprTo(new int[3]));
      assertWrongType("int[]", DType.QUINT8, () -> uint8.intReprTo(new int[3]));
      // The type is checked first, then the length.
      assertWrongType("short[]", DType.QINT32, () -> int32.intReprTo(new short[0]));
      byte[] bytes = {9, 9};
      assertTooShort(2, 3, () -> int8.intReprTo(bytes));
      assertArrayEquals(new byte[] {9, 9}, bytes);
      short[] shorts = {9, 9};
      assertTooShort(2, 3, () -> uint8.intReprTo(shorts));
      assertArrayEquals(new short[] {9, 9}, shorts);
      int[] ints = {};
      assertTooShort(0, 3, () -> int32.intReprTo(ints));
      assertThrows(NullPointerException.class, () -> int8.intReprTo((byte[]) null));
      assertThrows(NullPointerException.class, () -> uint8.intReprTo((short[]) null));
      assertThrows(NullPointerException.class, () -> int32.intReprTo((int[]) null));
    }
  }
}

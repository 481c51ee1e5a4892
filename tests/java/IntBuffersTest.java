package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.qtensor.DType;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import org.junit.Test;

/**
 * Integers in and out through ByteBuffer (QINT8, QUINT8) and IntBuffer
 * (QINT32), heap and direct, the buffers' positions and limits untouched.
 */
public class IntBuffersTest {
  @Test
  public void bytesGoInAndOutOfHeapAndDirectBuffers() {
    byte[] ints = {-128, -1, 0, 1, 127, 42};
    for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocate(8), ByteBuffer.allocateDirect(8)}) {
      buffer.put((byte) 99).put(ints).put((byte) 99);
      buffer.position(1).limit(7);
      try (Quantizer quantizer = Quantizer.perTensor(0.5, 3, DType.QINT8);
           QTensor q = QTensor.fromIntRepr(buffer, new long[] {2, 3}, quantizer)) {
        assertArrayEquals(ints, q.intReprInt8());
        assertEquals(1, buffer.position());
        assertEquals(7, buffer.limit());
        assertEquals((float) ((42 - 3) * 0.5), q.getValue(1, 2), 0.0f);
        ByteBuffer out = buffer.isDirect() ? ByteBuffer.allocateDirect(9) : ByteBuffer.allocate(9);
        out.put(0, (byte) 7).put(7, (byte) 7).put(8, (byte) 7).position(1);
        q.intReprTo(out);
        assertEquals(1, out.position());
        byte[] back = new byte[9];
        out.duplicate().position(0).get(back);
        assertArrayEquals(new byte[] {7, -128, -1, 0, 1, 127, 42, 7, 7}, back);
      }
    }
  }

  @Test
  public void quint8BytesAreUnsigned() {
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {(byte) 255, (byte) 128, 0});
    try (Quantizer quantizer = Quantizer.perTensor(1.0, 128, DType.QUINT8);
         QTensor q = QTensor.fromIntRepr(buffer, new long[] {3}, quantizer)) {
      assertArrayEquals(new short[] {255, 128, 0}, q.intReprUInt8());
      assertEquals(127.0f, q.getValue(0), 0.0f);
      ByteBuffer out = ByteBuffer.allocate(3);
      q.intReprTo(out);
      assertArrayEquals(new byte[] {(byte) 255, (byte) 128, 0}, out.array());
    }
  }

  @Test
  public void qint32GoesThroughIntBuffers() {
    IntBuffer buffer = ByteBuffer.allocateDirect(16).asIntBuffer();
    buffer.put(new int[] {Integer.MIN_VALUE, -7, 7, Integer.MAX_VALUE}).flip();
    try (Quantizer quantizer = Quantizer.perTensor(0.25, 0, DType.QINT32);
         QTensor q = QTensor.fromIntRepr(buffer, new long[] {2, 2}, quantizer)) {
      assertArrayEquals(new int[] {Integer.MIN_VALUE, -7, 7, Integer.MAX_VALUE}, q.intReprInt32());
      assertEquals(0, buffer.position());
      IntBuffer out = IntBuffer.allocate(5);
      out.put(4, 11);
      q.intReprTo(out);
      assertEquals(0, out.position());
      assertArrayEquals(new int[] {Integer.MIN_VALUE, -7, 7, Integer.MAX_VALUE, 11}, out.array());
    }
  }

  @Test
  public void wrongTypesAndShortBuffersAreRefused() {
    try (Quantizer int8 = Quantizer.perTensor(1.0, 0, DType.QINT8);
         Quantizer int32 = Quantizer.perTensor(1.0, 0, DType.QINT32);
         QTensor q = QTensor.fromIntRepr(ByteBuffer.wrap(new byte[] {1, 2, 3}), new long[] {3},
                                         int8)) {
      QTensorException e = assertThrows(QTensorException.class,
          () -> QTensor.fromIntRepr(ByteBuffer.allocate(3), new long[] {3}, int32));
      assertEquals(Status.TYPE_MISMATCH, e.status());
      e = assertThrows(QTensorException.class,
          () -> QTensor.fromIntRepr(IntBuffer.allocate(3), new long[] {3}, int8));
      assertEquals(Status.TYPE_MISMATCH, e.status());
      e = assertThrows(QTensorException.class,
          () -> QTensor.fromIntRepr(ByteBuffer.allocate(2), new long[] {3}, int8));
      assertEquals(Status.SHAPE_MISMATCH, e.status());
      ByteBuffer shortBuffer = ByteBuffer.wrap(new byte[] {9, 9});
      e = assertThrows(QTensorException.class, () -> q.intReprTo(shortBuffer));
      assertEquals(Status.INVALID_ARGUMENT, e.status());
      assertArrayEquals(new byte[] {9, 9}, shortBuffer.array());
      e = assertThrows(QTensorException.class, () -> q.intReprTo(IntBuffer.allocate(3)));
      assertEquals(Status.TYPE_MISMATCH, e.status());
      assertThrows(NullPointerException.class, () -> q.intReprTo((ByteBuffer) null));
    }
  }
}

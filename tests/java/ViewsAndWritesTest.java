package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.QScheme;
import io.qtensor.QTensor;
import io.qtensor.Quantizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.Function;
import org.junit.Test;

public class ViewsAndWritesTest {
  static final short[] NOTEBOOK_INTS = {66, 95, 39, 25, 1, 71, 94, 43, 13, 48};
  static final String NOTEBOOK_STRING =
      "tensor([ 6.4000e-03,  9.3000e-03,  3.7000e-03,  2.3000e-03, -1.0000e-04,\n"
      + "         6.9000e-03,  9.2000e-03,  4.1000e-03,  1.1000e-03,  4.6000e-03],\n"
      + "       size=(10,), dtype=qtensor.quint8,\n"
      + "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)";

  static QTensor notebookTensor() {
    return QTensor.makePerTensorQuantizedUInt8(NOTEBOOK_INTS, new long[] {10}, 1e-4, 2);
  }

  static QTensor range(int count, long... shape) {
    int[] ints = new int[count];
    for (int i = 0; i < count; i++) {
      ints[i] = i;
    }
    return QTensor.makePerTensorQuantized(ints, shape, 0.5, 0);
  }

  @Test
  public void printsAsPyTorchDoes() {
    try (QTensor q = notebookTensor(); QTensor element = q.get(0)) {
      assertEquals(NOTEBOOK_STRING, q.toString());
      assertEquals("tensor(0.0064, size=(), dtype=qtensor.quint8,\n"
          + "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)",
          element.toString());
    }
  }

  @Test
  public void inspection() {
    try (QTensor q = range(24, 2, 3, 4)) {
      assertEquals(3, q.dim());
      assertEquals(24, q.numel());
      assertArrayEquals(new long[] {2, 3, 4}, q.shape());
      assertEquals(4, q.size(-1));
      assertEquals(3, q.size(1));
      assertArrayEquals(new long[] {12, 4, 1}, q.strides());
      assertEquals(0, q.storageOffset());
      assertTrue(q.isQuantized());
      assertTrue(q.isContiguous());
      assertEquals(11.5f, q.getValue(1, 2, 3), 0f);
      assertEquals(11.5f, q.getValue(-1, -1, -1), 0f);
    }
  }

  @Test
  public void selectAndGetDropADim() {
    try (QTensor q = notebookTensor(); QTensor s = q.get(2); QTensor last = q.select(0, -1)) {
      assertEquals(0, s.dim());
      assertEquals(Expected.dequantizePerTensor(new int[] {39}, 1e-4, 2)[0], s.item(), 0f);
      assertArrayEquals(new int[] {48}, last.intRepr());
      assertTrue(s.sharesStorageWith(q));
    }
    try (QTensor q = range(24, 2, 3, 4); QTensor plane = q.select(1, 2)) {
      assertArrayEquals(new long[] {2, 4}, plane.shape());
      assertArrayEquals(new int[] {8, 9, 10, 11, 20, 21, 22, 23}, plane.intRepr());
    }
  }

  @Test
  public void slicesWithStepsAndOpenEnds() {
    try (QTensor q = range(10, 10);
         QTensor stepped = q.slice(0, 1, 8, 3);
         QTensor reversed = q.slice(0, Long.MAX_VALUE, Long.MIN_VALUE, -1);
         QTensor tail = q.slice(0, -3, Long.MAX_VALUE);
         QTensor clamped = q.slice(0, 7, 100)) {
      assertArrayEquals(new int[] {1, 4, 7}, stepped.intRepr());
      assertArrayEquals(new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, reversed.intRepr());
      assertArrayEquals(new int[] {7, 8, 9}, tail.intRepr());
      assertArrayEquals(new int[] {7, 8, 9}, clamped.intRepr());
      assertFalse(stepped.isContiguous());
      assertEquals(1, stepped.storageOffset());
    }
  }

  // null is an open end, from the first element the step walks to past the
  // last: the same views as Python's omitted bounds.
  @Test
  public void slicesWithNullEnds() {
    Object[][] cases = {
      // q[::-1], q[:3], q[7:], q[::3], q[:2:-2], q[6::-2], q[-3:], q[:-8:-1], q[::-4],
      // q[2::-1], q[20::-1], q[:-20:-1]
      {(Function<QTensor, QTensor>) q -> q.slice(0, null, null, -1),
       new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, null, 3L), new int[] {0, 1, 2}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, 7L, null), new int[] {7, 8, 9}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, null, null, 3), new int[] {0, 3, 6, 9}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, null, 2L, -2), new int[] {9, 7, 5, 3}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, 6L, null, -2), new int[] {6, 4, 2, 0}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, -3L, null), new int[] {7, 8, 9}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, null, -8L, -1),
       new int[] {9, 8, 7, 6, 5, 4, 3}},
      {(Function<QTensor, QTensor>) q -> q.slice(-1, null, null, -4), new int[] {9, 5, 1}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, 2L, null, -1), new int[] {2, 1, 0}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, 20L, null, -1),
       new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
      {(Function<QTensor, QTensor>) q -> q.slice(0, null, -20L, -1),
       new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
    };
    try (QTensor q = range(10, 10)) {
      for (Object[] c : cases) {
        @SuppressWarnings("unchecked")
        Function<QTensor, QTensor> slicing = (Function<QTensor, QTensor>) c[0];
        try (QTensor view = slicing.apply(q)) {
          assertArrayEquals((int[]) c[1], view.intRepr());
          assertTrue(view.sharesStorageWith(q));
        }
      }
      try (QTensor all = q.slice(0, null, null);
           QTensor reversed = q.slice(0, null, null, -1);
           QTensor empty = q.slice(0, null, 0L);
           QTensor emptyBackwards = q.slice(0, null, 9L, -1)) {
        assertArrayEquals(q.intRepr(), all.intRepr());
        assertTrue(all.isContiguous());
        assertArrayEquals(new long[] {-1}, reversed.strides());
        assertEquals(9, reversed.storageOffset());
        assertEquals(0, empty.numel());
        assertEquals(0, emptyBackwards.numel());
      }
    }
    try (QTensor q = range(12, 3, 4); QTensor columns = q.slice(1, null, null, -2)) {
      assertArrayEquals(new long[] {3, 2}, columns.shape());
      assertArrayEquals(new int[] {3, 1, 7, 5, 11, 9}, columns.intRepr());
    }
  }

  @Test
  public void shareIsASecondHandleToTheSameView() {
    try (QTensor q = range(12, 3, 4)) {
      QTensor view = q.slice(1, 1, 4, 2);
      QTensor shared = view.share();
      assertArrayEquals(view.shape(), shared.shape());
      assertArrayEquals(new long[] {4, 2}, shared.strides());
      assertEquals(1, shared.storageOffset());
      assertTrue(shared.sharesStorageWith(q));
      assertArrayEquals(new int[] {1, 3, 5, 7, 9, 11}, shared.intRepr());
      shared.setValue(new long[] {0, 0}, -0.5f);  // a write through one is seen by the other
      assertEquals(-0.5f, view.getValue(0, 0), 0f);
      assertEquals(-1, q.intRepr()[1]);
      view.close();  // closing one handle leaves the other usable
      assertArrayEquals(new int[] {-1, 3, 5, 7, 9, 11}, shared.intRepr());
      QTensor again = shared.share();
      shared.close();
      assertEquals("QTensor(closed)", shared.toString());
      assertArrayEquals(new int[] {-1, 3, 5, 7, 9, 11}, again.intRepr());
      assertArrayEquals(new long[] {3, 2}, again.shape());
      again.close();
      assertArrayEquals(new int[] {0, -1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, q.intRepr());
    }
  }

  @Test
  public void narrowTransposePermuteContiguousClone() {
    try (QTensor q = range(6, 2, 3);
         QTensor narrowed = q.narrow(1, 1, 2);
         QTensor transposed = q.transpose(0, 1);
         QTensor permuted = q.permute(1, 0);
         QTensor packed = transposed.contiguous();
         QTensor again = q.contiguous();
         QTensor cloned = q.clone()) {
      assertArrayEquals(new int[] {1, 2, 4, 5}, narrowed.intRepr());
      assertArrayEquals(new long[] {3, 2}, transposed.shape());
      assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, transposed.intRepr());
      assertFalse(transposed.isContiguous());
      assertArrayEquals(transposed.intRepr(), permuted.intRepr());
      assertArrayEquals(new long[] {1, 3}, permuted.strides());
      assertTrue(packed.isContiguous());
      assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, packed.intRepr());
      assertFalse(packed.sharesStorageWith(q));
      assertTrue(again.sharesStorageWith(q));
      assertFalse(cloned.sharesStorageWith(q));
      assertArrayEquals(q.intRepr(), cloned.intRepr());
    }
  }

  @Test
  public void perChannelViewsKeepTheirParameters() {
    float[] x = Expected.ramp(12, 0.37f, -2.0f);
    double[] scales = {0.05, 0.1, 0.2};
    long[] zeroPoints = {0, 128, 255};
    try (QTensor q = QTensor.quantizePerChannel(x, new long[] {3, 4}, scales, zeroPoints, 0,
                                                DType.QUINT8);
         QTensor transposed = q.transpose(0, 1);
         QTensor view = transposed.slice(0, 0, 4, 2);
         QTensor channel = q.get(2)) {
      assertEquals(1, transposed.qPerChannelAxis());
      assertEquals(3, q.qNumChannels());
      assertEquals(3, transposed.qNumChannels());
      assertEquals(1, channel.qNumChannels());  // the channel dim selected away
      try (QTensor everyOther = q.slice(0, null, null, 2);
           QTensor perTensor = QTensor.quantizePerTensor(x, new long[] {3, 4}, 0.1, 0,
                                                         DType.QINT8)) {
        assertEquals(2, everyOther.qNumChannels());
        assertArrayEquals(new double[] {0.05, 0.2}, everyOther.qPerChannelScales(), 0.0);
        assertEquals(1, perTensor.qNumChannels());
      }
      assertArrayEquals(new long[] {2, 3}, view.shape());
      assertEquals(QScheme.PER_CHANNEL_AFFINE, view.qscheme());
      assertArrayEquals(scales, view.qPerChannelScales(), 0.0);
      float[] base = q.dequantize();
      assertArrayEquals(new float[] {base[0], base[4], base[8], base[2], base[6], base[10]},
                        view.dequantize(), 0f);
      assertEquals(QScheme.PER_TENSOR_AFFINE, channel.qscheme());
      assertEquals(0.2, channel.qScale(), 0.0);
      assertEquals(255, channel.qZeroPoint());
    }
  }

  @Test
  public void setValueQuantizesIntoTheSharedStorage() {
    try (QTensor q = notebookTensor(); QTensor tail = q.slice(0, 5, 10)) {
      q.setValue(new long[] {0}, 3.5f);
      assertEquals(255, q.intRepr()[0]);
      tail.setValue(new long[] {1}, 0.0005f);
      assertEquals(7, q.intRepr()[6]);
      assertEquals(Expected.dequantizePerTensor(new int[] {7}, 1e-4, 2)[0], q.getValue(6), 0f);
      tail.setValue(new long[] {-1}, 0.0002f);
      assertEquals(4, q.intRepr()[9]);
    }
    try (QTensor q = range(6, 2, 3)) {
      q.setValue(new long[] {1, -1}, -1.0f);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, -2}, q.intRepr());
      try (QTensor row = q.get(1)) {
        row.fill(-1.0f);
      }
      assertArrayEquals(new int[] {0, 1, 2, -2, -2, -2}, q.intRepr());
      assertSame(q, q.fill(1.0f));
      assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2}, q.intRepr());
    }
  }

  @Test
  public void copyIntoWholeTensorTakesSourceParameters() {
    try (QTensor q1 = QTensor.quantizePerTensor(CreationTest.VALUES, new long[] {2, 3}, 0.1, 0,
                                                DType.QINT8);
         Quantizer other = Quantizer.perTensor(1, -1, DType.QINT8);
         QTensor q2 = QTensor.emptyQuantized(new long[] {2, 3}, other)) {
      assertSame(q2, q2.copyFrom(q1));
      assertEquals(0.1, q2.qScale(), 0.0);
      assertEquals(0, q2.qZeroPoint());
      assertArrayEquals(q1.intRepr(), q2.intRepr());
      assertEquals("tensor([[-1.6000,  4.0000,  7.0000],\n"
          + "        [ 3.3000,  6.6000,  8.6000]], size=(2, 3), dtype=qtensor.qint8,\n"
          + "       quantization_scheme=qtensor.per_tensor_affine, scale=0.1, zero_point=0)",
          q2.toString());
    }
  }

  @Test
  public void copyIntoPartialViewRequantizes() {
    try (QTensor source = QTensor.quantizePerTensor(new float[] {1.0f, 2.0f}, new long[] {2}, 0.1,
                                                    0, DType.QINT32);
         QTensor q = range(4, 4);
         QTensor head = q.narrow(0, 0, 2)) {
      assertSame(head, head.copyFrom(source));
      assertArrayEquals(new int[] {2, 4, 2, 3}, q.intRepr());
      assertEquals(0.5, q.qScale(), 0.0);
    }
  }

  @Test
  public void copyFromFloats() {
    try (QTensor q = range(4, 2, 2)) {
      q.copyFrom(new float[] {0.5f, 1.0f, 1.5f, -0.5f});
      assertArrayEquals(new int[] {1, 2, 3, -1}, q.intRepr());
      FloatBuffer buffer = ByteBuffer.allocateDirect(4 * Float.BYTES)
                               .order(ByteOrder.nativeOrder()).asFloatBuffer();
      buffer.put(new float[] {2.0f, 2.5f, 3.0f, 3.5f}).flip();
      q.copyFrom(buffer);
      assertArrayEquals(new int[] {4, 5, 6, 7}, q.intRepr());
      q.copyFrom(FloatBuffer.wrap(new float[] {0f, 0f, 0f, 0.5f}));
      assertArrayEquals(new int[] {0, 0, 0, 1}, q.intRepr());
    }
  }
}

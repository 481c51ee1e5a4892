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
import io.qtensor.Status;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/** view, reshape, flatten, unsqueeze and squeeze, with the values PyTorch 1.13 gives. */
public class ShapeViewsTest {
  static QTensor range(int count, long... shape) {
    int[] ints = new int[count];
    for (int i = 0; i < count; i++) {
      ints[i] = i;
    }
    return QTensor.makePerTensorQuantized(ints, shape, 0.5, 0);
  }

  static void assertStatus(Status status, String message, ThrowingRunnable action) {
    QTensorException error = assertThrows(QTensorException.class, action);
    assertEquals(status, error.status());
    assertEquals(message, error.getMessage());
  }

  @Test
  public void viewSharesTheStorageAndInfersMinusOne() {
    try (QTensor q = range(24, 2, 3, 4); QTensor v = q.view(6, -1); QTensor flat = q.view(-1)) {
      assertArrayEquals(new long[] {6, 4}, v.shape());
      assertArrayEquals(new long[] {4, 1}, v.strides());
      assertArrayEquals(q.intRepr(), v.intRepr());
      assertTrue(v.sharesStorageWith(q));
      flat.setValue(new long[] {5}, 10f);
      assertEquals(20, q.intRepr()[5]);
    }
  }

  @Test
  public void reshapeCopiesWhereNoViewExists() {
    try (QTensor q = range(6, 2, 3);
         QTensor t = q.transpose(0, 1);
         QTensor copy = t.reshape(-1);
         QTensor view = q.reshape(3, 2)) {
      assertStatus(Status.SHAPE_MISMATCH,
          "view size is not compatible with input tensor's size and stride (at least one "
              + "dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
          () -> t.view(-1));
      assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, copy.intRepr());
      assertFalse(copy.sharesStorageWith(q));
      assertTrue(view.sharesStorageWith(q));
      assertArrayEquals(new long[] {2, 1}, view.strides());
    }
  }

  @Test
  public void flattenUnsqueezeSqueeze() {
    try (QTensor q = range(24, 2, 3, 4);
         QTensor all = q.flatten();
         QTensor tail = q.flatten(1, 2);
         QTensor unsqueezed = q.unsqueeze(1);
         QTensor last = q.unsqueeze(-1);
         QTensor squeezed = unsqueezed.squeeze();
         QTensor kept = q.squeeze(0);
         QTensor dropped = unsqueezed.squeeze(1)) {
      assertArrayEquals(new long[] {24}, all.shape());
      assertArrayEquals(new long[] {2, 12}, tail.shape());
      assertArrayEquals(new long[] {2, 1, 3, 4}, unsqueezed.shape());
      assertArrayEquals(new long[] {12, 12, 4, 1}, unsqueezed.strides());
      assertArrayEquals(new long[] {12, 4, 1, 1}, last.strides());
      assertArrayEquals(new long[] {2, 3, 4}, squeezed.shape());
      assertArrayEquals(new long[] {2, 3, 4}, kept.shape());
      assertArrayEquals(new long[] {2, 3, 4}, dropped.shape());
      assertArrayEquals(q.intRepr(), squeezed.intRepr());
      assertTrue(squeezed.sharesStorageWith(q));
    }
  }

  @Test
  public void perChannelViewsFollowTheChannelDim() {
    float[] x = Expected.ramp(24, 0.37f, -2.0f);
    double[] scales = {0.05, 0.1, 0.2};
    long[] zeroPoints = {0, 1, 2};
    try (QTensor q = QTensor.quantizePerChannel(x, new long[] {2, 3, 4}, scales, zeroPoints, 1,
                                                DType.QINT8);
         QTensor v = q.view(1, 2, 3, 4);
         QTensor split = q.view(2, 3, 2, 2)) {
      assertEquals(2, v.qPerChannelAxis());  // torch 1.13 keeps 1
      assertArrayEquals(scales, v.qPerChannelScales(), 0.0);
      assertArrayEquals(q.dequantize(), v.dequantize(), 0f);
      assertEquals(1, split.qPerChannelAxis());
      assertStatus(Status.INVALID_ARGUMENT,
          "the channel dim (dim 1, size 3) of a per-channel quantized tensor [2, 3, 4] "
              + "would be merged with or split across other dims in shape [24]; a quantizer "
              + "has one channel axis",
          () -> q.flatten());
    }
    try (QTensor q = QTensor.quantizePerChannel(new float[] {1f, 2f}, new long[] {2, 1},
                                                new double[] {0.5}, new long[] {3}, 1,
                                                DType.QUINT8);
         QTensor squeezed = q.squeeze()) {
      assertEquals(QScheme.PER_TENSOR_AFFINE, squeezed.qscheme());  // torch refuses
      assertEquals(0.5, squeezed.qScale(), 0.0);
      assertEquals(3, squeezed.qZeroPoint());
    }
  }

  @Test
  public void emptyAndBadShapes() {
    try (QTensor q = range(24, 2, 3, 4); QTensor empty = range(0, 0, 3);
         QTensor e = empty.view(3, -1)) {
      assertArrayEquals(new long[] {3, 0}, e.shape());
      assertStatus(Status.INVALID_ARGUMENT, "only one dimension can be inferred",
          () -> q.view(-1, -1));
      assertStatus(Status.SHAPE_MISMATCH, "shape '[5]' is invalid for input of size 24",
          () -> q.view(5));
      assertStatus(Status.OUT_OF_RANGE,
          "dimension out of range (expected to be in range of [-4, 3], but got 4)",
          () -> q.unsqueeze(4));
      assertStatus(Status.INVALID_ARGUMENT,
          "flatten() has invalid args: start_dim cannot come after end_dim",
          () -> q.flatten(2, 1));
      assertThrows(NullPointerException.class, () -> q.view((long[]) null));
    }
  }
}

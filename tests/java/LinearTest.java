package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.PackedLinear;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/**
 * PackedLinear and QTensor.linear / linearRelu: PyTorch 1.13's integers for
 * the small layer of tests/c/test_linear.c (per tensor, relu, per channel),
 * leading dims, the weight and bias read back, bad input and closed objects.
 */
public class LinearTest {
  static final short[] INPUT = {0, 10, 255, 128, 7, 200};
  static final byte[] WEIGHT = {1, -2, 3, 127, -128, 0, 5, 5, 5, -7, 0, 9};
  static final float[] BIAS = {0.5f, -1.0f, 0.0f, 2.25f};
  static final long[] INPUT_SHAPE = {2, 3};
  static final long[] WEIGHT_SHAPE = {4, 3};
  static final int[] PLAIN = {141, 24, 139, 251, 140, 255, 151, 204};
  static final int[] RELU = {141, 100, 139, 251, 140, 255, 151, 204};
  // qnnpack's integers (onednn gives 46 for the second).
  static final int[] PER_CHANNEL = {141, 45, 159, 194, 140, 255, 176, 182};

  static QTensor input(long... shape) {
    return QTensor.makePerTensorQuantizedUInt8(INPUT, shape, 0.05, 10);
  }

  static QTensor weight() {
    return QTensor.makePerTensorQuantized(WEIGHT, WEIGHT_SHAPE, 0.02, 0);
  }

  static void assertStatus(Status status, ThrowingRunnable call) {
    QTensorException e = assertThrows(QTensorException.class, call);
    assertEquals(e.getMessage(), status, e.status());
  }

  @Test
  public void smallLayerGivesPyTorchsIntegers() {
    try (QTensor x = input(INPUT_SHAPE); QTensor w = weight();
         PackedLinear packed = PackedLinear.prepack(w, BIAS);
         QTensor y = x.linear(packed, 0.03, 100); QTensor r = x.linearRelu(packed, 0.03, 100)) {
      assertArrayEquals(new long[] {2, 4}, y.shape());
      assertEquals(DType.QUINT8, y.dtype());
      assertEquals(0.03, y.qScale(), 0.0);
      assertEquals(100, y.qZeroPoint());
      assertArrayEquals(PLAIN, y.intRepr());
      assertArrayEquals(RELU, r.intRepr());
    }
  }

  @Test
  public void perChannelWeightsGiveQnnpacksIntegers() {
    double[] scales = {0.02, 0.01, 0.03, 0.005};
    try (Quantizer q = Quantizer.perChannel(scales, new long[4], 0, DType.QINT8);
         QTensor w = QTensor.fromIntRepr(WEIGHT, WEIGHT_SHAPE, q); QTensor x = input(INPUT_SHAPE);
         PackedLinear packed = PackedLinear.prepack(w, BIAS);
         QTensor y = x.linear(packed, 0.03, 100); QTensor back = packed.weight()) {
      assertArrayEquals(PER_CHANNEL, y.intRepr());
      assertArrayEquals(scales, back.qPerChannelScales(), 0.0);
    }
  }

  @Test
  public void leadingDimsAreKept() {
    try (QTensor x = input(1, 2, 3); QTensor w = weight();
         PackedLinear packed = PackedLinear.prepack(w, BIAS);
         QTensor y = x.linear(packed, 0.03, 100)) {
      assertArrayEquals(new long[] {1, 2, 4}, y.shape());
      assertArrayEquals(PLAIN, y.intRepr());
    }
  }

  @Test
  public void weightAndBiasReadBack() {
    try (QTensor w = weight(); PackedLinear packed = PackedLinear.prepack(w, BIAS)) {
      w.fill(0.0f);  // the packed weights are a copy
      try (QTensor back = packed.weight()) {
        assertArrayEquals(WEIGHT, back.intReprInt8());
        assertArrayEquals(WEIGHT_SHAPE, back.shape());
        assertEquals(0.02, back.qScale(), 0.0);
        assertEquals(0, back.qZeroPoint());
      }
      assertArrayEquals(BIAS, packed.bias(), 0.0f);
      assertEquals(3, packed.inFeatures());
      assertEquals(4, packed.outFeatures());
      assertEquals("PackedLinear(inFeatures=3, outFeatures=4)", packed.toString());
    }
    try (QTensor w = weight(); PackedLinear packed = PackedLinear.prepack(w, null)) {
      assertNull(packed.bias());
    }
  }

  @Test
  public void badInputThrowsTheLibrarysStatus() {
    try (QTensor x = input(INPUT_SHAPE); QTensor w = weight();
         QTensor wrongDType = QTensor.makePerTensorQuantizedUInt8(new short[12], WEIGHT_SHAPE,
                                                                  0.02, 0);
         QTensor flat = input(6); QTensor ints = QTensor.makePerTensorQuantized(
             new int[6], INPUT_SHAPE, 0.05, 0);
         QTensor flatWeight = QTensor.makePerTensorQuantized(WEIGHT, new long[] {12}, 0.02, 0);
         PackedLinear packed = PackedLinear.prepack(w, BIAS)) {
      assertStatus(Status.TYPE_MISMATCH, () -> PackedLinear.prepack(wrongDType, null));
      assertStatus(Status.SHAPE_MISMATCH, () -> PackedLinear.prepack(w, new float[3]));
      assertStatus(Status.SHAPE_MISMATCH, () -> PackedLinear.prepack(w, new float[0]));
      assertStatus(Status.SHAPE_MISMATCH, () -> PackedLinear.prepack(flatWeight, null));
      assertStatus(Status.INVALID_ARGUMENT,
                   () -> PackedLinear.prepack(w, new float[] {0, Float.NaN, 0, 0}));
      assertStatus(Status.SHAPE_MISMATCH, () -> flat.linear(packed, 0.03, 100));
      assertStatus(Status.TYPE_MISMATCH, () -> ints.linear(packed, 0.03, 100));
      assertStatus(Status.INVALID_ARGUMENT, () -> x.linear(packed, 0.0, 100));
      assertStatus(Status.INVALID_ARGUMENT, () -> x.linearRelu(packed, 0.03, 300));
      assertThrows(NullPointerException.class, () -> x.linear(null, 0.03, 100));
      assertThrows(NullPointerException.class, () -> PackedLinear.prepack(null, BIAS));
    }
  }

  @Test
  public void closedPackedWeightsThrowIllegalState() {
    try (QTensor x = input(INPUT_SHAPE); QTensor w = weight()) {
      PackedLinear packed = PackedLinear.prepack(w, BIAS);
      packed.close();
      packed.close();
      assertTrue(packed.isClosed());
      assertEquals("PackedLinear(closed)", packed.toString());
      assertThrows(IllegalStateException.class, () -> x.linear(packed, 0.03, 100));
      assertThrows(IllegalStateException.class, packed::weight);
      assertThrows(IllegalStateException.class, packed::bias);
      assertThrows(IllegalStateException.class, packed::inFeatures);
      assertThrows(IllegalStateException.class, packed::outFeatures);
    }
  }
}

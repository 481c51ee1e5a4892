package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.PackedConv2d;
import io.qtensor.PackedLinear;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Status;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/**
 * PackedConv2d and QTensor.conv2d / conv2dRelu: PyTorch 1.13's integers for
 * the small convolution of tests/c/test_conv2d.c, the settings, weight and
 * bias read back, bad input and closed objects; PackedLinear.linearDynamic:
 * qnnpack's float bits for tests/c/test_linear.c's layer.
 */
public class Conv2dTest {
  static final long[] INPUT_SHAPE = {1, 2, 4, 4};
  static final long[] WEIGHT_SHAPE = {3, 2, 3, 3};
  static final float[] BIAS = {0.25f, -0.5f, 1.0f};
  static final long[] PAIR_1 = {1, 1};
  static final long[] PAIR_2 = {2, 2};
  static final int[] PLAIN = {68, 40, 12, 0, 157, 195, 61, 144, 80, 112, 157, 206};
  static final int[] RELU = {128, 128, 128, 128, 157, 195, 128, 144, 128, 128, 157, 206};
  static final byte[] LINEAR_WEIGHT = {1, -2, 3, 127, -128, 0, 5, 5, 5, -7, 0, 9};
  static final float[] LINEAR_BIAS = {0.5f, -1.0f, 0.0f, 2.25f};
  static final float[] DYNAMIC_INPUT = {0.5f, -1.25f, 3.0f, 2.0f, 0.0f, -0.75f};
  static final float[] DYNAMIC_OUTPUT = {0x1.7ae148p-1f, 0x1.bc28f4p+1f, 0x1.ccccccp-3f,
                                         0x1.5c28f6p+1f, 0x1.fae148p-2f, 0x1.051eb8p+2f,
                                         0x1.0p-3f,      0x1.d5c29p+0f};

  static QTensor input() {
    short[] ints = new short[32];
    for (int i = 0; i < ints.length; ++i) {
      ints[i] = (short) (7 * i);
    }
    return QTensor.makePerTensorQuantizedUInt8(ints, INPUT_SHAPE, 0.05, 20);
  }

  static byte[] weightInts() {
    byte[] ints = new byte[54];
    for (int i = 0; i < ints.length; ++i) {
      ints[i] = (byte) ((37 * i) % 255 - 127);
    }
    return ints;
  }

  static QTensor weight() {
    return QTensor.makePerTensorQuantized(weightInts(), WEIGHT_SHAPE, 0.01, 0);
  }

  static PackedConv2d smallConv(QTensor weight) {
    return PackedConv2d.prepack(weight, BIAS, PAIR_2, PAIR_1, PAIR_1, 1);
  }

  static void assertStatus(Status status, ThrowingRunnable call) {
    QTensorException e = assertThrows(QTensorException.class, call);
    assertEquals(e.getMessage(), status, e.status());
  }

  @Test
  public void smallConvolutionGivesPyTorchsIntegers() {
    try (QTensor x = input(); QTensor w = weight(); PackedConv2d packed = smallConv(w);
         QTensor y = x.conv2d(packed, 0.1, 128); QTensor r = x.conv2dRelu(packed, 0.1, 128)) {
      assertArrayEquals(new long[] {1, 3, 2, 2}, y.shape());
      assertEquals(DType.QUINT8, y.dtype());
      assertEquals(0.1, y.qScale(), 0.0);
      assertEquals(128, y.qZeroPoint());
      assertArrayEquals(PLAIN, y.intRepr());
      assertArrayEquals(RELU, r.intRepr());
    }
  }

  @Test
  public void weightBiasAndSettingsReadBack() {
    try (QTensor w = weight();
         PackedConv2d packed = PackedConv2d.prepack(w, BIAS, new long[] {2, 1},
                                                    new long[] {0, 1}, new long[] {1, 2}, 1)) {
      w.fill(0.0f);  // the packed weights are a copy
      try (QTensor back = packed.weight()) {
        assertArrayEquals(weightInts(), back.intReprInt8());
        assertArrayEquals(WEIGHT_SHAPE, back.shape());
        assertEquals(0.01, back.qScale(), 0.0);
      }
      assertArrayEquals(BIAS, packed.bias(), 0.0f);
      assertArrayEquals(new long[] {2, 1}, packed.stride());
      assertArrayEquals(new long[] {0, 1}, packed.padding());
      assertArrayEquals(new long[] {1, 2}, packed.dilation());
      assertEquals(1, packed.groups());
      assertEquals("PackedConv2d(stride=[2, 1], padding=[0, 1], dilation=[1, 2], groups=1)",
                   packed.toString());
    }
    try (QTensor w = weight();
         PackedConv2d packed = PackedConv2d.prepack(w, null, PAIR_1, PAIR_1, PAIR_1, 1)) {
      assertNull(packed.bias());
    }
  }

  @Test
  public void badConvolutionsThrowTheLibrarysStatus() {
    try (QTensor x = input(); QTensor w = weight(); PackedConv2d packed = smallConv(w);
         QTensor threeChannels = QTensor.makePerTensorQuantizedUInt8(
             new short[48], new long[] {1, 3, 4, 4}, 0.05, 20);
         QTensor wrongDType = QTensor.makePerTensorQuantizedUInt8(new short[54], WEIGHT_SHAPE,
                                                                  0.01, 0)) {
      long[] zero = {0, 0};
      assertStatus(Status.INVALID_ARGUMENT,
                   () -> PackedConv2d.prepack(w, BIAS, zero, PAIR_1, PAIR_1, 1));
      assertStatus(Status.INVALID_ARGUMENT,
                   () -> PackedConv2d.prepack(w, BIAS, PAIR_1, new long[] {-1, 0}, PAIR_1, 1));
      assertStatus(Status.INVALID_ARGUMENT,
                   () -> PackedConv2d.prepack(w, BIAS, PAIR_1, PAIR_1, PAIR_1, 2));
      assertStatus(Status.INVALID_ARGUMENT,
                   () -> PackedConv2d.prepack(w, BIAS, new long[] {1}, PAIR_1, PAIR_1, 1));
      assertStatus(Status.INVALID_ARGUMENT,
                   () -> PackedConv2d.prepack(w, new float[] {0, Float.NaN, 0}, PAIR_1, PAIR_1,
                                              PAIR_1, 1));
      assertStatus(Status.SHAPE_MISMATCH,
                   () -> PackedConv2d.prepack(w, new float[2], PAIR_1, PAIR_1, PAIR_1, 1));
      assertStatus(Status.SHAPE_MISMATCH,
                   () -> PackedConv2d.prepack(w, new float[0], PAIR_1, PAIR_1, PAIR_1, 1));
      assertStatus(Status.TYPE_MISMATCH,
                   () -> PackedConv2d.prepack(wrongDType, null, PAIR_1, PAIR_1, PAIR_1, 1));
      assertStatus(Status.SHAPE_MISMATCH, () -> threeChannels.conv2d(packed, 0.1, 128));
      assertStatus(Status.INVALID_ARGUMENT, () -> x.conv2d(packed, 0.0, 128));
      assertStatus(Status.INVALID_ARGUMENT, () -> x.conv2dRelu(packed, 0.1, 256));
      assertThrows(NullPointerException.class, () -> x.conv2d(null, 0.1, 128));
      assertThrows(NullPointerException.class,
                   () -> PackedConv2d.prepack(w, BIAS, null, PAIR_1, PAIR_1, 1));
    }
  }

  @Test
  public void closedPackedConvolutionsThrowIllegalState() {
    try (QTensor x = input(); QTensor w = weight()) {
      PackedConv2d packed = smallConv(w);
      packed.close();
      packed.close();
      assertTrue(packed.isClosed());
      assertEquals("PackedConv2d(closed)", packed.toString());
      assertThrows(IllegalStateException.class, () -> x.conv2d(packed, 0.1, 128));
      assertThrows(IllegalStateException.class, packed::weight);
      assertThrows(IllegalStateException.class, packed::bias);
      assertThrows(IllegalStateException.class, packed::stride);
      assertThrows(IllegalStateException.class, packed::groups);
    }
  }

  @Test
  public void linearDynamicGivesQnnpacksFloatBits() {
    try (QTensor w = QTensor.makePerTensorQuantized(LINEAR_WEIGHT, new long[] {4, 3}, 0.02, 0)) {
      PackedLinear packed = PackedLinear.prepack(w, LINEAR_BIAS);
      float[] y = packed.linearDynamic(DYNAMIC_INPUT, new long[] {2, 3}, false);
      assertEquals(8, y.length);
      for (int i = 0; i < y.length; ++i) {
        assertEquals("element " + i, Float.floatToRawIntBits(DYNAMIC_OUTPUT[i]),
                     Float.floatToRawIntBits(y[i]));
      }
      assertArrayEquals(y, packed.linearDynamic(DYNAMIC_INPUT, new long[] {1, 2, 3}), 0.0f);
      float[] nan = DYNAMIC_INPUT.clone();
      nan[1] = Float.NaN;
      assertStatus(Status.INVALID_ARGUMENT, () -> packed.linearDynamic(nan, new long[] {2, 3}));
      assertStatus(Status.SHAPE_MISMATCH,
                   () -> packed.linearDynamic(DYNAMIC_INPUT, new long[] {3, 2}));
      assertStatus(Status.SHAPE_MISMATCH,
                   () -> packed.linearDynamic(DYNAMIC_INPUT, new long[] {2, 2}));
      assertThrows(NullPointerException.class, () -> packed.linearDynamic(null, new long[] {3}));
      packed.close();
      assertThrows(IllegalStateException.class,
                   () -> packed.linearDynamic(DYNAMIC_INPUT, new long[] {2, 3}));
    }
  }
}

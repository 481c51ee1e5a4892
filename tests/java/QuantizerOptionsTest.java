package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.QScheme;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Rounding;
import io.qtensor.ScaleType;
import io.qtensor.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/** ONNX's rounding, the scale type and per-block parameters (ONNX's blocked quantization). */
public class QuantizerOptionsTest {
  // ONNX Runtime's QuantizeLinear and PyTorch differ on this value.
  private static final double ONNX_SCALE = 0.00214854861f;
  private static final float ONNX_X = 0.273939937f;

  // Shape {2, 5}, blocks of 2 along dim 1: parameters of shape {2, 3}, the
  // last block of each row one element long.
  private static final long[] SHAPE = {2, 5};
  private static final double[] SCALES = {0.5, 0.25, 1.0, 0.125, 2.0, 0.5};
  private static final long[] ZERO_POINTS = {8, 7, 9, 6, 8, 10};
  private static final float[] X = {0.5f, -1.0f, 0.75f, 0.3f, 2.0f, -0.2f, 0.1f, 0.4f, -3.0f, 1.5f};

  /** ONNX's quantize of X: x / scale in float32, half to even, saturated to 0..15. */
  static int[] onnxQuantized() {
    int[] out = new int[X.length];
    for (int i = 0; i < X.length; i++) {
      int block = (i / 5) * 3 + (i % 5) / 2;
      float quotient = X[i] / (float) SCALES[block];
      long q = (long) Math.rint(quotient) + ZERO_POINTS[block];
      out[i] = (int) Math.max(0, Math.min(15, q));
    }
    return out;
  }

  static float[] dequantized(int[] ints) {
    float[] out = new float[ints.length];
    for (int i = 0; i < ints.length; i++) {
      int block = (i / 5) * 3 + (i % 5) / 2;
      out[i] = (float) (ints[i] - ZERO_POINTS[block]) * (float) SCALES[block];
    }
    return out;
  }

  static Quantizer blocks() {
    try (Quantizer plain = Quantizer.perBlock(SCALES, ZERO_POINTS, 1, 2, DType.QUINT4);
         Quantizer onnx = plain.withRounding(Rounding.ONNX)) {
      return onnx.withScaleType(ScaleType.FLOAT16);
    }
  }

  @Test
  public void optionsHaveTheLibrarysNames() {
    assertEquals("pytorch", Rounding.PYTORCH.libraryName());
    assertEquals("onnx", Rounding.ONNX.libraryName());
    assertEquals("float64", ScaleType.FLOAT64.libraryName());
    assertEquals("float32", ScaleType.FLOAT32.libraryName());
    assertEquals("float16", ScaleType.FLOAT16.libraryName());
    assertEquals("bfloat16", ScaleType.BFLOAT16.libraryName());
    assertEquals("per_block_affine", QScheme.PER_BLOCK_AFFINE.torchName());
  }

  @Test
  public void onnxRoundingDividesAndSendsNanToQmin() {
    float[] x = {ONNX_X, Float.NaN};
    try (Quantizer plain = Quantizer.perTensor(ONNX_SCALE, 10, DType.QUINT8);
         Quantizer onnx = plain.withRounding(Rounding.ONNX);
         QTensor pytorchQ = QTensor.quantize(x, new long[] {2}, plain);
         QTensor onnxQ = QTensor.quantize(x, new long[] {2}, onnx);
         Quantizer read = onnxQ.quantizer()) {
      assertEquals(Rounding.PYTORCH, plain.rounding());
      assertEquals(Rounding.ONNX, onnx.rounding());
      assertNotEquals(plain, onnx);
      assertArrayEquals(new int[] {138, 10}, pytorchQ.intRepr());
      assertArrayEquals(new int[] {137, 0}, onnxQ.intRepr());
      assertEquals(Rounding.ONNX, read.rounding());
    }
  }

  @Test
  public void aScaleTypeIsKeptAndRefusesOtherValues() {
    try (Quantizer plain = Quantizer.perTensor(0.125, 0, DType.QINT8);
         Quantizer half = plain.withScaleType(ScaleType.FLOAT16)) {
      assertEquals(ScaleType.FLOAT64, plain.scaleType());
      assertEquals(ScaleType.FLOAT16, half.scaleType());
    }
    try (Quantizer tenth = Quantizer.perTensor(0.1, 0, DType.QINT8)) {
      QTensorException refused = assertThrows(QTensorException.class,
          () -> tenth.withScaleType(ScaleType.FLOAT16));
      assertEquals(Status.INVALID_ARGUMENT, refused.status());
      assertTrue(refused.getMessage(),
                 refused.getMessage().contains("the nearest is 0.0999755859375"));
    }
  }

  @Test
  public void perBlockFollowsOnnxsLayout() {
    int[] expected = onnxQuantized();
    try (Quantizer quantizer = blocks();
         QTensor q = QTensor.quantize(X, SHAPE, quantizer)) {
      assertEquals(QScheme.PER_BLOCK_AFFINE, quantizer.qscheme());
      assertEquals(2, quantizer.blockSize());
      assertEquals(1, quantizer.axis());
      assertEquals(6, quantizer.numChannels());
      assertArrayEquals(SCALES, quantizer.scales(), 0.0);
      assertArrayEquals(ZERO_POINTS, quantizer.zeroPoints());
      assertEquals(QScheme.PER_BLOCK_AFFINE, q.qscheme());
      assertArrayEquals(expected, q.intRepr());
      assertArrayEquals(dequantized(expected), q.dequantize(), 0f);
      assertTrue(quantizer.toString(), quantizer.toString().endsWith("axis=1, block_size=2)"));
    }
  }

  @Test
  public void floatQParamsArePyTorchs() {
    float[] scales = {0.5f, 0.25f};
    float[] zeroPoints = {1.5f, -300.25f};
    float[] x = {0.5f, -1.0f, 2.25f, 7.0f, -0.5f, 1e30f};
    try (Quantizer quantizer =
             Quantizer.perChannelFloatQParams(scales, zeroPoints, 0, DType.QUINT4X2);
         QTensor q = QTensor.quantize(x, new long[] {2, 3}, quantizer);
         QTensor row = q.select(0, 1)) {
      assertEquals(QScheme.PER_CHANNEL_AFFINE_FLOAT_QPARAMS, quantizer.qscheme());
      assertEquals("per_channel_affine_float_qparams", quantizer.qscheme().torchName());
      assertEquals(ScaleType.FLOAT32, quantizer.scaleType());
      assertArrayEquals(zeroPoints, quantizer.floatZeroPoints(), 0f);
      assertArrayEquals(zeroPoints, q.qPerChannelFloatZeroPoints(), 0f);
      // lrintf(x * (1 / scale) + zp) clamped to [0, 15]; 1e30 overflows to 0.
      int[] expected = {2, 0, 6, 0, 0, 0};
      assertArrayEquals(expected, q.intRepr());
      float[] values = q.dequantize();
      for (int i = 0; i < x.length; i++) {
        int c = i / 3;
        assertEquals((expected[i] - zeroPoints[c]) * scales[c], values[i], 0f);
      }
      assertEquals(QScheme.PER_CHANNEL_AFFINE_FLOAT_QPARAMS, row.qscheme());
      assertArrayEquals(new float[] {-300.25f}, row.qPerChannelFloatZeroPoints(), 0f);
      try (Quantizer one = row.quantizer()) {
        assertTrue(one.toString(), one.toString().endsWith("zero_points=[-300.25])"));
      }
      assertTrue(quantizer.toString(),
                 quantizer.toString().contains("zero_points=[1.5, -300.25], axis=0"));
      QTensorException integer = assertThrows(QTensorException.class, quantizer::zeroPoints);
      assertEquals(Status.TYPE_MISMATCH, integer.status());
      assertThrows(QTensorException.class, q::qPerChannelZeroPoints);
    }
    QTensorException refused = assertThrows(QTensorException.class,
        () -> Quantizer.perChannelFloatQParams(new float[] {1f}, new float[] {Float.NaN}, 0,
                                               DType.QUINT8));
    assertEquals(Status.INVALID_ARGUMENT, refused.status());
    assertTrue(refused.getMessage(), refused.getMessage().contains("zero_points[0] must be finite"));
  }

  @Test
  public void viewsDequantizeAsTheBase() {
    try (Quantizer quantizer = blocks();
         QTensor q = QTensor.quantize(X, SHAPE, quantizer);
         QTensor transposed = q.transpose(0, 1);
         QTensor odd = q.slice(1, 1, 5, 3)) {
      float[] base = q.dequantize();
      float[] t = transposed.dequantize();
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 5; j++) {
          assertEquals(base[i * 5 + j], t[j * 2 + i], 0f);
        }
      }
      assertArrayEquals(new float[] {base[1], base[4], base[6], base[9]}, odd.dequantize(), 0f);
      assertEquals(QScheme.PER_BLOCK_AFFINE, odd.qscheme());
    }
  }

  @Test
  public void filesKeepRoundingScaleTypeAndBlocks() throws Exception {
    Path dir = Files.createTempDirectory("qtensor-options");
    Path path = dir.resolve("blocks.qt");
    try (Quantizer quantizer = blocks();
         QTensor q = QTensor.quantize(X, SHAPE, quantizer)) {
      q.save(path);
      try (QTensor loaded = QTensor.load(path);
           QTensor copy = QTensor.deserialize(q.serialize());
           Quantizer read = loaded.quantizer();
           Quantizer copied = copy.quantizer()) {
        assertEquals(quantizer, read);
        assertEquals(quantizer, copied);
        assertEquals(Rounding.ONNX, read.rounding());
        assertEquals(ScaleType.FLOAT16, read.scaleType());
        assertEquals(2, read.blockSize());
        assertArrayEquals(q.dequantize(), loaded.dequantize(), 0f);
      }
    } finally {
      Files.deleteIfExists(path);
      Files.delete(dir);
    }
  }

  @Test
  public void badInputIsRefused() {
    try (Quantizer wide = Quantizer.perTensor(0.5, 0, DType.QINT32)) {
      QTensorException onnx = assertThrows(QTensorException.class,
          () -> wide.withRounding(Rounding.ONNX));
      assertEquals(Status.INVALID_ARGUMENT, onnx.status());
      assertEquals(Status.TYPE_MISMATCH,
                   assertThrows(QTensorException.class, wide::blockSize).status());
    }
    QTensorException zero = assertThrows(QTensorException.class,
        () -> Quantizer.perBlock(new double[] {1.0}, new long[] {0}, 0, 0, DType.QUINT4));
    assertEquals(Status.INVALID_ARGUMENT, zero.status());
    try (Quantizer two = Quantizer.perBlock(new double[] {1.0, 1.0}, new long[] {0, 0}, 0, 2,
                                            DType.QUINT4)) {
      QTensorException count = assertThrows(QTensorException.class,
          () -> QTensor.quantize(new float[5], new long[] {5}, two));
      assertEquals(Status.SHAPE_MISMATCH, count.status());
    }
    try (Quantizer quantizer = blocks();
         QTensor q = QTensor.quantize(X, SHAPE, quantizer)) {
      assertEquals(Status.TYPE_MISMATCH,
                   assertThrows(QTensorException.class, q::qScale).status());
      assertEquals(Status.TYPE_MISMATCH,
                   assertThrows(QTensorException.class, q::qPerChannelScales).status());
    }
    assertThrows(NullPointerException.class, () -> {
      try (Quantizer plain = Quantizer.perTensor(0.5, 0, DType.QINT8)) {
        plain.withRounding(null);
      }
    });
  }
}

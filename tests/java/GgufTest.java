package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.Bundle;
import io.qtensor.DType;
import io.qtensor.GgufType;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Rounding;
import io.qtensor.ScaleType;
import io.qtensor.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/** GGUF blocks as tensors and GGUF files as bundles. */
public class GgufTest {
  /** The golden "ties_q4" block of tests/data/gguf_golden/blocks.txt: -16..15. */
  static float[] ties() {
    float[] x = new float[32];
    for (int i = 0; i < 32; i++) {
      x[i] = i - 16;
    }
    return x;
  }

  /** llama.cpp's quantize_row_q4_0_ref on one block whose first largest magnitude is -16. */
  static int[] q4Expected(float[] x) {
    float d = -16f / -8f;
    float id = 1f / d;
    int[] q = new int[32];
    for (int j = 0; j < 32; j++) {
      q[j] = Math.min(15, (int) (x[j] * id + 8.5f));
    }
    return q;
  }

  @Test
  public void quantizeGgufGivesLlamaCppsKnownBlock() {
    float[] x = ties();
    try (QTensor q4 = QTensor.quantizeGguf(x, new long[] {1, 32}, GgufType.Q4_0);
         Quantizer quantizer = q4.quantizer()) {
      assertEquals(DType.QUINT4, q4.dtype());
      assertArrayEquals(new double[] {2.0}, quantizer.scales(), 0.0);
      assertArrayEquals(new long[] {8}, quantizer.zeroPoints());
      assertEquals(Rounding.GGUF, quantizer.rounding());
      assertEquals(ScaleType.FLOAT16, quantizer.scaleType());
      assertArrayEquals(q4Expected(x), q4.intRepr());
      assertArrayEquals(new int[] {0, 1, 1, 2}, java.util.Arrays.copyOf(q4.intRepr(), 4));
    }
    try (QTensor q8 = QTensor.quantizeGguf(x, new long[] {32}, GgufType.Q8_0);
         Quantizer quantizer = q8.quantizer()) {
      assertEquals(DType.QINT8, q8.dtype());
      // d = 16 / 127 as float16 (0x3008).
      assertArrayEquals(new double[] {0.1259765625}, quantizer.scales(), 0.0);
      int[] ints = q8.intRepr();
      assertArrayEquals(new int[] {-127, -119, -111}, java.util.Arrays.copyOf(ints, 3));
      assertEquals(0, ints[16]);
      assertEquals(71, ints[25]);
      assertEquals(119, ints[31]);
    }
    assertEquals("gguf", Rounding.GGUF.libraryName());
  }

  static Bundle sample() {
    double[] scales = {-0.5, 0.0, -0.0, 2.0};
    byte[] ints = new byte[128];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = (byte) (i - 64);
    }
    Bundle bundle = new Bundle();
    try (Quantizer q8 = Quantizer.gguf(GgufType.Q8_0, scales);
         QTensor signed = QTensor.fromIntRepr(ints, new long[] {1, 128}, q8);
         QTensor q4 = QTensor.quantizeGguf(ties(), new long[] {32}, GgufType.Q4_0)) {
      bundle.put("q8", signed);
      bundle.put("q4", q4);
    }
    bundle.putMetadata("general.architecture", "STRING \"llama\"");
    bundle.putMetadata("llama.block_count", "UINT32 32");
    return bundle;
  }

  @Test
  public void ggufBytesRoundTripIdenticalWithSignedAndZeroScales() throws Exception {
    try (Bundle bundle = sample()) {
      byte[] file = bundle.serializeGguf();
      assertEquals("GGUF", new String(file, 0, 4, StandardCharsets.US_ASCII));
      try (Bundle back = Bundle.deserializeGguf(file);
           QTensor q8 = back.get("q8");
           Quantizer quantizer = q8.quantizer()) {
        assertArrayEquals(file, back.serializeGguf());
        assertEquals("UINT32 32", back.getMetadata("llama.block_count"));
        double[] scales = quantizer.scales();
        assertEquals(Double.doubleToRawLongBits(-0.5), Double.doubleToRawLongBits(scales[0]));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(scales[1]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(scales[2]));
        float[] values = q8.dequantize();
        assertEquals(32.0f, values[0], 0.0f); // -64 * -0.5
        assertEquals(126.0f, values[127], 0.0f); // 63 * 2
      }
      Path path = Files.createTempDirectory("qtensor_gguf").resolve("model.gguf");
      bundle.saveGguf(path.toString());
      assertArrayEquals(file, Files.readAllBytes(path));
      try (Bundle loaded = Bundle.loadGguf(path.toString())) {
        assertArrayEquals(file, loaded.serializeGguf());
      }
      Files.delete(path);
      Files.delete(path.getParent());
    }
  }

  @Test
  public void refusalsNameTheTensor() {
    float[] zeros = new float[64];
    try (Bundle plain = new Bundle();
         QTensor perTensor = QTensor.quantizePerTensor(zeros, new long[] {2, 32}, 0.5, 0,
                                                       DType.QINT8)) {
      plain.put("w", perTensor);
      QTensorException refused = assertThrows(QTensorException.class, plain::serializeGguf);
      assertEquals(Status.INVALID_ARGUMENT, refused.status());
      assertTrue(refused.getMessage(), refused.getMessage().contains("'w'"));
    }
    byte[] file;
    try (Bundle one = new Bundle();
         QTensor q8 = QTensor.quantizeGguf(zeros, new long[] {64}, GgufType.Q8_0)) {
      one.put("weird", q8);
      file = one.serializeGguf();
    }
    // Tensor info: name (u64 length, bytes), n_dims u32, one u64 ne, type u32: Q8_0 -> Q4_1.
    int typeAt = indexOf(file, "weird".getBytes(StandardCharsets.US_ASCII)) + 5 + 4 + 8;
    ByteBuffer view = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(8, view.getInt(typeAt));
    view.putInt(typeAt, 3);
    QTensorException corrupt =
        assertThrows(QTensorException.class, () -> Bundle.deserializeGguf(file));
    assertEquals(Status.CORRUPT_DATA, corrupt.status());
    assertTrue(corrupt.getMessage(),
               corrupt.getMessage().contains("(\"weird\") is of ggml type Q4_1"));
    QTensorException shape = assertThrows(
        QTensorException.class, () -> QTensor.quantizeGguf(zeros, new long[] {64, 1},
                                                           GgufType.Q4_0));
    assertEquals(Status.INVALID_ARGUMENT, shape.status());
    QTensorException scale = assertThrows(
        QTensorException.class, () -> Quantizer.gguf(GgufType.Q8_0, new double[] {0.1}));
    assertEquals(Status.INVALID_ARGUMENT, scale.status());
    assertThrows(NullPointerException.class, () -> QTensor.quantizeGguf(zeros, null,
                                                                        GgufType.Q8_0));
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}

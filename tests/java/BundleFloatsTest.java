package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.Bundle;
import io.qtensor.DType;
import io.qtensor.FloatDType;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A bundle's unquantized float entries: bit for bit through bytes and files, in order. */
public class BundleFloatsTest {
  @Rule public TemporaryFolder folder = new TemporaryFolder();

  // float32: a NaN with a payload, -0.0, the smallest subnormal, 1.5.
  static final byte[] F32 = littleEndianInts(0x7fc00123, 0x80000000, 0x00000001, 0x3fc00000);
  // float16: a signalling NaN, -0.0, the smallest subnormal, 1.0, -2.0, 65504.
  static final byte[] F16 = littleEndianShorts(0x7c01, 0x8000, 0x0001, 0x3c00, 0xc000, 0x7bff);
  // bfloat16: a signalling NaN, -0.0, the smallest subnormal, 1.0.
  static final byte[] BF16 = littleEndianShorts(0x7f81, 0x8000, 0x0001, 0x3f80);

  static byte[] littleEndianInts(int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int value : values) {
      buffer.putInt(value);
    }
    return buffer.array();
  }

  static byte[] littleEndianShorts(int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int value : values) {
      buffer.putShort((short) value);
    }
    return buffer.array();
  }

  static Bundle mixed() {
    Bundle bundle = new Bundle();
    try (QTensor q0 = QTensor.quantizePerTensor(new float[] {1, -1}, new long[] {2}, 0.5, 3,
                                                DType.QINT8);
         QTensor q1 = QTensor.quantizePerTensor(new float[] {2, -2}, new long[] {2}, 0.5, 3,
                                                DType.QINT8)) {
      bundle.put("q0", q0)
          .putFloat("norm", F32, new long[] {4}, FloatDType.FLOAT32)
          .putFloat("emb", F16, new long[] {2, 3}, FloatDType.FLOAT16)
          .putFloat("bf", BF16, new long[] {2, 2}, FloatDType.BFLOAT16)
          .put("q1", q1);
    }
    return bundle;
  }

  static void checkMixed(Bundle bundle) {
    assertEquals(List.of("q0", "norm", "emb", "bf", "q1"), bundle.names());
    assertFalse(bundle.isFloat("q0"));
    assertTrue(bundle.isFloat("emb"));
    assertEquals(FloatDType.FLOAT32, bundle.floatDType("norm"));
    assertEquals(FloatDType.FLOAT16, bundle.floatDType("emb"));
    assertEquals(FloatDType.BFLOAT16, bundle.floatDType("bf"));
    assertArrayEquals(new long[] {2, 3}, bundle.floatShape("emb"));
    assertArrayEquals(F32, bundle.floatData("norm"));
    assertArrayEquals(F16, bundle.floatData("emb"));
    assertArrayEquals(BF16, bundle.floatData("bf"));
    try (QTensor q1 = bundle.get("q1")) {
      assertArrayEquals(new float[] {2, -2}, q1.dequantize(), 0f);
    }
  }

  @Test
  public void floatEntriesRoundTripBitForBit() throws Exception {
    Path path = folder.getRoot().toPath().resolve("m.qtb");
    try (Bundle bundle = mixed()) {
      checkMixed(bundle);
      byte[] bytes = bundle.serialize();
      try (Bundle back = Bundle.deserialize(bytes)) {
        checkMixed(back);
        assertArrayEquals(bytes, back.serialize());
      }
      bundle.save(path);
      try (Bundle loaded = Bundle.load(path)) {
        checkMixed(loaded);
      }
    }
  }

  @Test
  public void valuesWidenToFloat() {
    try (Bundle bundle = mixed()) {
      float[] f16 = bundle.floatValues("emb");
      assertEquals(0x7fc02000, Float.floatToRawIntBits(f16[0]));  // quiet, payload kept
      assertEquals(0x80000000, Float.floatToRawIntBits(f16[1]));
      assertEquals(0x1p-24f, f16[2], 0f);
      assertArrayEquals(new float[] {1, -2, 65504}, new float[] {f16[3], f16[4], f16[5]}, 0f);
      float[] bf16 = bundle.floatValues("bf");
      assertEquals(0x00010000, Float.floatToRawIntBits(bf16[2]));
      assertEquals(1f, bf16[3], 0f);
      assertEquals(0x7fc00123, Float.floatToRawIntBits(bundle.floatValues("norm")[0]));
      assertEquals("bfloat16", FloatDType.BFLOAT16.libraryName());
    }
  }

  @Test
  public void replaceInPlaceAcrossKindsAndRemove() {
    try (Bundle bundle = mixed();
         QTensor q = QTensor.quantizePerTensor(new float[] {3}, new long[] {1}, 0.5, 0,
                                               DType.QINT8)) {
      bundle.putFloat("q0", littleEndianInts(0x40000000), new long[] {}, FloatDType.FLOAT32);
      bundle.put("emb", q);
      assertEquals(List.of("q0", "norm", "emb", "bf", "q1"), bundle.names());
      assertTrue(bundle.isFloat("q0"));
      assertEquals(0, bundle.floatShape("q0").length);
      assertArrayEquals(new float[] {2}, bundle.floatValues("q0"), 0f);
      assertFalse(bundle.isFloat("emb"));
      assertTrue(bundle.remove("norm"));
      assertFalse(bundle.remove("norm"));
      assertEquals(List.of("q0", "emb", "bf", "q1"), bundle.names());
    }
  }

  static void assertStatus(Status status, Runnable call) {
    QTensorException error = assertThrows(QTensorException.class, call::run);
    assertEquals(error.getMessage(), status, error.status());
  }

  @Test
  public void refusals() {
    try (Bundle bundle = mixed()) {
      assertStatus(Status.TYPE_MISMATCH, () -> bundle.get("emb").close());
      assertStatus(Status.TYPE_MISMATCH, () -> bundle.get(1).close());
      assertStatus(Status.TYPE_MISMATCH, () -> bundle.floatData("q0"));
      assertStatus(Status.NOT_FOUND, () -> bundle.isFloat("nope"));
      assertStatus(Status.SHAPE_MISMATCH,
                   () -> bundle.putFloat("x", new byte[3], new long[] {1}, FloatDType.FLOAT32));
      assertStatus(Status.INVALID_ARGUMENT,
                   () -> bundle.putFloat("x", new byte[0], new long[] {-1}, FloatDType.FLOAT16));
      assertStatus(Status.OUT_OF_MEMORY,
                   () -> bundle.putFloat("x", new byte[0], new long[] {1L << 40, 1L << 40},
                                         FloatDType.FLOAT32));
      assertStatus(Status.INVALID_ARGUMENT,
                   () -> bundle.putFloat("", new byte[2], new long[] {1}, FloatDType.BFLOAT16));
      assertThrows(NullPointerException.class,
                   () -> bundle.putFloat("x", null, new long[] {1}, FloatDType.FLOAT32));
      assertThrows(IllegalArgumentException.class,
                   () -> bundle.putFloat("x\0", new byte[4], new long[] {1}, FloatDType.FLOAT32));
      assertFalse(bundle.containsKey("x"));
      checkMixed(bundle);
    }
  }
}

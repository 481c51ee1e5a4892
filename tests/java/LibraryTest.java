package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.Library;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.After;
import org.junit.Test;

public class LibraryTest {
  // Highway's x86 target names, best first.
  private static final List<String> TARGETS =
      List.of("AVX3_DL", "AVX3", "AVX2", "SSE4", "SSSE3", "EMU128", "SCALAR");

  @After
  public void oneThreadNoCap() {
    Library.setNumThreads(1);
    Library.setMaxSimdTarget("");
  }

  @Test
  public void versionAndSimdTarget() {
    assertTrue(Library.version(), Library.version().matches("\\d+\\.\\d+\\.\\d+"));
    assertTrue(Library.simdTarget(),
               Set.of("AVX3_DL", "AVX3", "AVX2", "SSE4", "SSSE3", "EMU128", "SCALAR")
                   .contains(Library.simdTarget()));
  }

  @Test
  public void threadCounts() {
    assertEquals(1, Library.getNumThreads());
    Library.setNumThreads(3);
    assertEquals(3, Library.getNumThreads());
    Library.setNumThreads(0);
    assertEquals(Math.min(Runtime.getRuntime().availableProcessors(), 64),
                 Library.getNumThreads());
  }

  @Test
  public void badThreadCountsLeaveTheSetting() {
    Library.setNumThreads(2);
    for (int bad : new int[] {-1, 65, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      QTensorException error =
          assertThrows(QTensorException.class, () -> Library.setNumThreads(bad));
      assertEquals(Status.INVALID_ARGUMENT, error.status());
      assertEquals("threads = " + bad + " is out of range [0, 64] (0: one per logical core)",
                   error.getMessage());
      assertEquals(2, Library.getNumThreads());
    }
  }

  // 2^20 elements and more are split across threads: the same integers and
  // floats as one thread, per tensor and per channel.
  @Test
  public void threadsGiveTheSameResults() {
    final int rows = 1024, columns = 1100;
    float[] x = new float[rows * columns];
    for (int i = 0; i < x.length; ++i) x[i] = ((i * 7919) % 2001 - 1000) / 97f;
    double[] scales = new double[columns];
    long[] zeroPoints = new long[columns];
    for (int c = 0; c < columns; ++c) {
      scales[c] = 0.01 + c * 1e-4;
      zeroPoints[c] = c % 5;
    }
    long[] shape = {rows, columns};
    try (Quantizer perTensor = Quantizer.perTensor(0.07, 3, DType.QINT8);
         Quantizer perChannel = Quantizer.perChannel(scales, zeroPoints, 1, DType.QINT32)) {
      for (Quantizer quantizer : new Quantizer[] {perTensor, perChannel}) {
        Library.setNumThreads(1);
        int[] ints;
        float[] floats;
        try (QTensor one = QTensor.quantize(x, shape, quantizer)) {
          ints = one.intRepr();
          floats = one.dequantize();
        }
        Library.setNumThreads(2);
        try (QTensor two = QTensor.quantize(x, shape, quantizer)) {
          assertArrayEquals(ints, two.intRepr());
          assertArrayEquals(floats, two.dequantize(), 0.0f);
        }
      }
    }
  }

  @Test
  public void versionNumber() {
    String[] parts = Library.version().split("\\.");
    assertEquals(3, parts.length);
    assertEquals(Integer.parseInt(parts[0]) * 10000 + Integer.parseInt(parts[1]) * 100
                 + Integer.parseInt(parts[2]),
                 Library.versionNumber());
  }

  @Test
  public void maxSimdTarget() {
    Library.setMaxSimdTarget("");
    String best = Library.simdTarget();
    for (String name : TARGETS) {
      Library.setMaxSimdTarget(name);
      String capped = Library.simdTarget();
      // Never above the CPU's best; at or below the cap, but for the
      // fallback (SCALAR, or EMU128 where SCALAR is not built).
      assertTrue(name + " -> " + capped, TARGETS.indexOf(capped) >= TARGETS.indexOf(best));
      assertTrue(name + " -> " + capped, TARGETS.indexOf(capped) >= TARGETS.indexOf(name)
                 || name.equals("SCALAR") && capped.equals("EMU128"));
      if (TARGETS.indexOf(name) <= TARGETS.indexOf(best)) {
        assertEquals(best, capped);
      }
      Library.setMaxSimdTarget(name.toLowerCase(Locale.ROOT));  // any case
      assertEquals(capped, Library.simdTarget());
    }
    Library.setMaxSimdTarget("EMU128");
    assertTrue(Set.of("EMU128", "SCALAR").contains(Library.simdTarget()));
    if (TARGETS.indexOf(best) <= TARGETS.indexOf("AVX2")) {  // x86-64: always built
      for (String name : new String[] {"avx2", "Sse4", "SSSE3"}) {
        Library.setMaxSimdTarget(name);
        assertEquals(name.toUpperCase(Locale.ROOT), Library.simdTarget());
      }
    }
    Library.setMaxSimdTarget("");
    assertEquals(best, Library.simdTarget());
  }

  @Test
  public void unknownSimdTargetsLeaveTheCap() {
    Library.setMaxSimdTarget("SSE4");
    String capped = Library.simdTarget();
    for (String bad : new String[] {"AVX9", "Unknown", "AVX2 ", "SSE2", "\u00e4"}) {
      QTensorException error =
          assertThrows(QTensorException.class, () -> Library.setMaxSimdTarget(bad));
      assertEquals(Status.INVALID_ARGUMENT, error.status());
      assertTrue(error.getMessage(),
                 error.getMessage().startsWith("unknown SIMD target \"" + bad + "\" (expected one of ")
                 && error.getMessage().contains("EMU128"));
      assertEquals(capped, Library.simdTarget());
    }
    // No UTF-8 string carries these: refused before the library sees them.
    String[][] unencodable = {
      {"AVX2\u0000", "the character U+0000"},
      {"\u0000", "the character U+0000"},
      {"AVX2\ud800", "an unpaired surrogate (U+D800 at index 4)"},
      {"\udc80AVX2", "an unpaired surrogate (U+DC80 at index 0)"},
      {"A\udbff\udbff\udc00", "an unpaired surrogate (U+DBFF at index 1)"},
    };
    for (String[] bad : unencodable) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> Library.setMaxSimdTarget(bad[0]));
      assertEquals("a name, key or path may not contain " + bad[1], error.getMessage());
      assertEquals(capped, Library.simdTarget());
    }
    // A paired surrogate is a character: the library reports the name.
    QTensorException emoji = assertThrows(QTensorException.class,
        () -> Library.setMaxSimdTarget("\ud83d\ude00"));
    assertTrue(emoji.getMessage(),
               emoji.getMessage().startsWith("unknown SIMD target \"\ud83d\ude00\""));
    assertThrows(NullPointerException.class, () -> Library.setMaxSimdTarget(null));
    assertEquals(capped, Library.simdTarget());
  }

  // The same integers and floats on every target the cap can select.
  @Test
  public void everyTargetGivesTheSameResults() {
    final int rows = 3, columns = 4099;
    float[] x = new float[rows * columns];
    for (int i = 0; i < x.length; ++i) x[i] = ((i * 7919L) % 60001 - 30000) / 97f;
    x[0] = Float.NaN;
    x[1] = Float.POSITIVE_INFINITY;
    x[2] = Float.NEGATIVE_INFINITY;
    x[3] = 2.5f;
    double[] scales = new double[columns];
    long[] zeroPoints = new long[columns];
    for (int c = 0; c < columns; ++c) {
      scales[c] = 0.5 + (c % 13) * 0.25;
      zeroPoints[c] = 120 + c % 7;
    }
    long[] shape = {rows, columns};
    try (Quantizer perTensor = Quantizer.perTensor(0.9, 3, DType.QINT8);
         Quantizer perChannel = Quantizer.perChannel(scales, zeroPoints, 1, DType.QUINT8);
         Quantizer wide = Quantizer.perChannel(new double[] {0.01, 0.02, 0.5},
                                               new long[] {-5, 0, 7}, 0, DType.QINT32)) {
      Library.setMaxSimdTarget("");
      String best = Library.simdTarget();
      List<int[]> ints = new ArrayList<>();
      List<int[]> floats = new ArrayList<>();  // as raw bits: bit for bit
      for (Quantizer quantizer : new Quantizer[] {perTensor, perChannel, wide}) {
        try (QTensor q = QTensor.quantize(x, shape, quantizer)) {
          ints.add(q.intRepr());
          floats.add(bits(q.dequantize()));
        }
      }
      Set<String> seen = new HashSet<>(Arrays.asList(best));
      for (String name : TARGETS) {
        Library.setMaxSimdTarget(name);
        seen.add(Library.simdTarget());
        int k = 0;
        for (Quantizer quantizer : new Quantizer[] {perTensor, perChannel, wide}) {
          try (QTensor q = QTensor.quantize(x, shape, quantizer)) {
            assertArrayEquals(Library.simdTarget(), ints.get(k), q.intRepr());
            assertArrayEquals(Library.simdTarget(), floats.get(k), bits(q.dequantize()));
          }
          ++k;
        }
      }
      assertTrue(seen.toString(), seen.size() >= 2);
    }
  }

  private static int[] bits(float[] values) {
    int[] raw = new int[values.length];
    for (int i = 0; i < values.length; ++i) raw[i] = Float.floatToRawIntBits(values[i]);
    return raw;
  }
}

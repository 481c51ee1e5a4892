package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.DType;
import io.qtensor.QScheme;
import io.qtensor.QTensor;
import io.qtensor.QTensorException;
import io.qtensor.Quantizer;
import io.qtensor.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/**
 * indexSelect, repeat, maskedFillInPlace, indexPutInPlace and emptyLike:
 * PyTorch 1.13's integers and parameters bit for bit (tests/data/index_golden.txt,
 * written by tests/data/make_index_golden.py; ctest passes its path in the
 * system property qtensor.index_golden), then what PyTorch refuses
 * (per-channel tensors, each element keeping its own channel), views, empty
 * index lists and bad input.
 */
public class IndexingTest {
  /** "input|output DTYPE SCALE ZERO_POINT RANK SIZES..." and the data line after it. */
  static final class Golden {
    DType dtype;
    double scale;
    long zeroPoint;
    long[] shape;
    int[] ints;

    static Golden read(String[] fields, String dataLine) {
      Golden g = new Golden();
      g.dtype = DType.valueOf(fields[1].toUpperCase());
      g.scale = Double.parseDouble(fields[2]);
      g.zeroPoint = Long.parseLong(fields[3]);
      int rank = Integer.parseInt(fields[4]);
      g.shape = new long[rank];
      for (int d = 0; d < rank; d++) {
        g.shape[d] = Long.parseLong(fields[5 + d]);
      }
      String[] data = tokens(dataLine);
      if (!data[0].equals("data")) {
        throw new AssertionError("expected a data line, got " + dataLine);
      }
      g.ints = new int[data.length - 1];
      for (int i = 0; i < g.ints.length; i++) {
        g.ints[i] = Integer.parseInt(data[i + 1]);
      }
      return g;
    }

    QTensor make() {
      try (Quantizer quantizer = Quantizer.perTensor(scale, zeroPoint, dtype)) {
        switch (dtype) {
          case QINT8: {
            byte[] bytes = new byte[ints.length];
            for (int i = 0; i < ints.length; i++) {
              bytes[i] = (byte) ints[i];
            }
            return QTensor.fromIntRepr(bytes, shape, quantizer);
          }
          case QUINT8: {
            short[] shorts = new short[ints.length];
            for (int i = 0; i < ints.length; i++) {
              shorts[i] = (short) ints[i];
            }
            return QTensor.fromIntRepr(shorts, shape, quantizer);
          }
          default:
            return QTensor.fromIntRepr(ints, shape, quantizer);
        }
      }
    }
  }

  static String[] tokens(String line) {
    String trimmed = line.trim();
    return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
  }

  static long[] longs(String[] fields, int from, int count) {
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] = Long.parseLong(fields[from + i]);
    }
    return values;
  }

  // The result of one golden case's operation on a fresh input tensor.
  static QTensor apply(QTensor q, String[] op) {
    switch (op[0]) {
      case "index_select": {
        int count = Integer.parseInt(op[2]);
        return q.indexSelect(Long.parseLong(op[1]), longs(op, 3, count));
      }
      case "repeat":
        return q.repeat(longs(op, 2, Integer.parseInt(op[1])));
      case "masked_fill": {
        float value = (float) Double.parseDouble(op[1]);
        boolean[] mask = new boolean[op.length - 2];
        for (int i = 0; i < mask.length; i++) {
          mask[i] = !op[i + 2].equals("0");
        }
        QTensor result = q.clone();
        assertSame(result, result.maskedFillInPlace(mask, value));
        return result;
      }
      case "index_put": {
        long dim = Long.parseLong(op[1]);
        int count = Integer.parseInt(op[2]);
        long[] indices = longs(op, 3, count);
        float[] values = new float[op.length - 3 - count];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) Double.parseDouble(op[3 + count + i]);
        }
        QTensor result = q.clone();
        assertSame(result, result.indexPutInPlace(dim, indices, values));
        return result;
      }
      default:
        throw new AssertionError("unknown operation " + op[0]);
    }
  }

  @Test
  public void goldenCasesMatchPyTorch() throws IOException {
    String path = System.getProperty("qtensor.index_golden");
    if (path == null) {
      throw new AssertionError("qtensor.index_golden is not set (ctest's java_indexing sets it)");
    }
    List<String> lines = Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8);
    String name = null;
    String[] op = null;
    Golden input = null;
    Golden output = null;
    int cases = 0;
    for (int n = 0; n < lines.size(); n++) {
      String[] fields = tokens(lines.get(n));
      if (fields.length == 0 || fields[0].startsWith("#")) {
        continue;
      }
      switch (fields[0]) {
        case "case":
          name = fields[1];
          break;
        case "input":
          input = Golden.read(fields, lines.get(++n));
          break;
        case "output":
          output = Golden.read(fields, lines.get(++n));
          break;
        case "end":
          try (QTensor q = input.make(); QTensor result = apply(q, op)) {
            assertArrayEquals(name, output.shape, result.shape());
            assertEquals(name, output.dtype, result.dtype());
            assertEquals(name, output.scale, result.qScale(), 0.0);
            assertEquals(name, output.zeroPoint, result.qZeroPoint());
            assertArrayEquals(name, output.ints, result.intRepr());
          }
          ++cases;
          break;
        default:
          op = fields;
      }
    }
    assertEquals(45, cases);
  }

  // A 3x4x5 per-channel tensor along axis, with distinct parameters per channel.
  static QTensor perChannel(long axis, DType dtype) {
    long[] shape = {3, 4, 5};
    float[] data = new float[60];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i % 13) * 0.37f - 2.0f;
    }
    int channels = (int) shape[(int) axis];
    double[] scales = new double[channels];
    long[] zeroPoints = new long[channels];
    for (int c = 0; c < channels; c++) {
      scales[c] = 0.01 + 0.013 * c;
      zeroPoints[c] = c * 3 % 7;
    }
    return QTensor.quantizePerChannel(data, shape, scales, zeroPoints, axis, dtype);
  }

  static double scaleOf(int channel) {
    return 0.01 + 0.013 * channel;
  }

  @Test
  public void indexSelectAlongTheChannelAxisPicksTheChannels() {
    try (QTensor q = perChannel(1, DType.QINT8);
        QTensor r = q.indexSelect(1, new long[] {3, 0, 3});
        QTensor none = q.indexSelect(1, new long[0])) {
      assertArrayEquals(new long[] {3, 3, 5}, r.shape());
      assertEquals(QScheme.PER_CHANNEL_AFFINE, r.qscheme());
      assertEquals(1, r.qPerChannelAxis());
      assertArrayEquals(new double[] {scaleOf(3), scaleOf(0), scaleOf(3)},
                        r.qPerChannelScales(), 0.0);
      assertArrayEquals(new long[] {2, 0, 2}, r.qPerChannelZeroPoints());
      for (long i = 0; i < 3; i++) {
        for (long k = 0; k < 5; k++) {
          assertEquals(q.getValue(i, 3, k), r.getValue(i, 0, k), 0f);
          assertEquals(q.getValue(i, 0, k), r.getValue(i, 1, k), 0f);
          assertEquals(q.getValue(i, 3, k), r.getValue(i, 2, k), 0f);
        }
      }
      // The integers, too: slice 0 of r is slice 3 of q.
      int[] source = q.intRepr();
      int[] picked = r.intRepr();
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 5; k++) {
          assertEquals(source[i * 20 + 15 + k], picked[i * 15 + k]);
        }
      }
      assertArrayEquals(new long[] {3, 0, 5}, none.shape());
      assertEquals(0, none.intRepr().length);
      assertEquals(0, none.qPerChannelScales().length);
    }
  }

  @Test
  public void indexSelectAndRepeatOffTheChannelAxisKeepEveryChannel() {
    try (QTensor q = perChannel(2, DType.QINT8);
        QTensor r = q.indexSelect(0, new long[] {2, 2});
        QTensor tiled = q.repeat(1, 1, 2);
        QTensor row = q.select(2, 4);
        QTensor copy = row.repeat(2, 1, 1)) {
      assertArrayEquals(q.qPerChannelScales(), r.qPerChannelScales(), 0.0);
      for (long j = 0; j < 4; j++) {
        for (long k = 0; k < 5; k++) {
          assertEquals(q.getValue(2, j, k), r.getValue(0, j, k), 0f);
          assertEquals(q.getValue(2, j, k), r.getValue(1, j, k), 0f);
        }
      }
      assertArrayEquals(new long[] {3, 4, 10}, tiled.shape());
      assertEquals(10, tiled.qPerChannelScales().length);
      assertEquals(scaleOf(4), tiled.qPerChannelScales()[9], 0.0);
      for (long k = 0; k < 5; k++) {
        assertEquals(q.getValue(2, 3, k), tiled.getValue(2, 3, k + 5), 0f);
      }
      // A view without its channel dim keeps its channel's parameters.
      assertArrayEquals(new long[] {2, 3, 4}, copy.shape());
      for (long i = 0; i < 3; i++) {
        assertEquals(row.getValue(i, 0), copy.getValue(1, i, 0), 0f);
      }
    }
  }

  @Test
  public void maskedFillAndIndexPutQuantizeWithEachElementsChannel() {
    try (QTensor q = perChannel(1, DType.QINT8); QTensor reference = q.clone()) {
      boolean[] mask = new boolean[60];
      for (int i = 0; i < 60; i++) {
        mask[i] = i % 3 == 0;
        if (mask[i]) {
          reference.setValue(new long[] {i / 20, i / 5 % 4, i % 5}, 0.77f);
        }
      }
      assertSame(q, q.maskedFillInPlace(mask, 0.77f));
      assertArrayEquals(reference.intRepr(), q.intRepr());
      // Element 6 is [0, 1, 1]: 0.77 in channel 1 (scale 0.023, zero point 3),
      // round(33.48) + 3 = 36.
      assertEquals(36, q.intRepr()[6]);

      float[] values = new float[30];  // 3 x 2 x 5
      for (int i = 0; i < values.length; i++) {
        values[i] = i * 0.11f - 1.5f;
      }
      assertSame(q, q.indexPutInPlace(1, new long[] {2, -1}, values));
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 5; k++) {
          reference.setValue(new long[] {i, 2, k}, values[i * 10 + k]);
          reference.setValue(new long[] {i, 3, k}, values[i * 10 + 5 + k]);
        }
      }
      assertArrayEquals(reference.intRepr(), q.intRepr());
    }
  }

  @Test
  public void theOperatorsWorkOnViewsAndWriteThroughThem() {
    try (QTensor q = perChannel(0, DType.QUINT8);
        QTensor transposed = q.transpose(0, 2);
        QTensor view = transposed.slice(1, 3L, null, -2);  // 5x2x3
        QTensor r = view.indexSelect(2, new long[] {1});
        QTensor empty = QTensor.emptyLike(view)) {
      assertArrayEquals(new long[] {5, 2, 3}, view.shape());
      for (long i = 0; i < 5; i++) {
        for (long j = 0; j < 2; j++) {
          assertEquals(view.getValue(i, j, 1), r.getValue(i, j, 0), 0f);
        }
      }
      float[] values = new float[10];  // 5 x 2 x 1
      Arrays.fill(values, 0.5f);
      view.indexPutInPlace(2, new long[] {1}, values);
      // 0.5 in channel 1 (scale 0.023, zero point 3): round(21.7) = 22 steps.
      assertEquals((float) (22 * 0.023), view.getValue(0, 0, 1), 0f);
      assertEquals(view.getValue(0, 0, 1), q.getValue(1, 3, 0), 0f);

      assertArrayEquals(view.shape(), empty.shape());
      assertEquals(DType.QUINT8, empty.dtype());
      assertEquals(2, empty.qPerChannelAxis());
      assertArrayEquals(view.qPerChannelScales(), empty.qPerChannelScales(), 0.0);
      assertArrayEquals(view.qPerChannelZeroPoints(), empty.qPerChannelZeroPoints());
      assertTrue(empty.isContiguous());
      assertArrayEquals(new int[30], empty.intRepr());
    }
  }

  @Test
  public void emptyLikeOfAPerTensorTensorKeepsItsParameters() {
    try (QTensor q = QTensor.quantizePerTensor(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3},
                                               0.25, 7, DType.QINT32);
        QTensor empty = QTensor.emptyLike(q)) {
      assertArrayEquals(new long[] {2, 3}, empty.shape());
      assertEquals(DType.QINT32, empty.dtype());
      assertEquals(0.25, empty.qScale(), 0.0);
      assertEquals(7, empty.qZeroPoint());
      assertArrayEquals(new int[6], empty.intRepr());
      assertFalse(empty.sharesStorageWith(q));
    }
  }

  @Test
  public void storageDTypesTakeTheSamePaths() {
    for (DType dtype : new DType[] {DType.QINT16, DType.QUINT16, DType.QUINT4X2, DType.QUINT2X4,
                                    DType.QINT4, DType.QUINT4}) {
      float[] data = new float[12];
      for (int i = 0; i < data.length; i++) {
        data[i] = i % 5 % 4;  // inside every dtype's range (QUINT2X4: 0..3)
      }
      try (QTensor q = QTensor.quantizePerTensor(data, new long[] {3, 4}, 1.0, 0, dtype);
          QTensor picked = q.indexSelect(1, new long[] {3, 0});
          QTensor tiled = q.repeat(2, 1);
          QTensor filled = q.clone();
          QTensor empty = QTensor.emptyLike(q)) {
        String name = dtype.toString();
        int[] ints = q.intRepr();
        int[] pickedInts = picked.intRepr();
        for (int i = 0; i < 3; i++) {
          assertEquals(name, ints[i * 4 + 3], pickedInts[i * 2]);
          assertEquals(name, ints[i * 4], pickedInts[i * 2 + 1]);
        }
        assertArrayEquals(name, ints, Arrays.copyOfRange(tiled.intRepr(), 12, 24));
        boolean[] mask = new boolean[12];
        mask[0] = true;
        filled.maskedFillInPlace(mask, 2.0f);
        int[] expected = ints.clone();
        expected[0] = 2;
        assertArrayEquals(name, expected, filled.intRepr());
        assertArrayEquals(name, new int[12], empty.intRepr());
      }
    }
  }

  static void assertStatus(Status status, ThrowingRunnable action) {
    QTensorException error = assertThrows(QTensorException.class, action);
    assertEquals(status, error.status());
    assertTrue(error.getMessage(), error.getMessage().length() > 10);
  }

  @Test
  public void badInputThrowsAndWritesNothing() {
    try (QTensor q = perChannel(1, DType.QINT8)) {
      int[] before = q.intRepr();
      assertStatus(Status.OUT_OF_RANGE, () -> q.indexSelect(1, new long[] {4}).close());
      assertStatus(Status.OUT_OF_RANGE, () -> q.indexSelect(1, new long[] {-1}).close());
      assertStatus(Status.OUT_OF_RANGE, () -> q.indexSelect(3, new long[] {0}).close());
      assertStatus(Status.INVALID_ARGUMENT, () -> q.repeat(2, 2).close());
      assertStatus(Status.INVALID_ARGUMENT, () -> q.repeat(1, -1, 1).close());
      assertStatus(Status.OUT_OF_MEMORY, () -> q.repeat(Long.MAX_VALUE, 1, 1).close());
      assertStatus(Status.SHAPE_MISMATCH, () -> q.maskedFillInPlace(new boolean[59], 1.0f));
      assertStatus(Status.OUT_OF_RANGE,
                   () -> q.indexPutInPlace(1, new long[] {4}, new float[15]));
      assertStatus(Status.OUT_OF_RANGE,
                   () -> q.indexPutInPlace(-4, new long[] {0}, new float[20]));
      assertStatus(Status.SHAPE_MISMATCH,
                   () -> q.indexPutInPlace(1, new long[] {0}, new float[14]));
      assertThrows(NullPointerException.class, () -> q.indexSelect(0, null));
      assertThrows(NullPointerException.class, () -> q.repeat((long[]) null));
      assertThrows(NullPointerException.class, () -> q.maskedFillInPlace(null, 1.0f));
      assertThrows(NullPointerException.class, () -> q.indexPutInPlace(0, null, new float[0]));
      assertThrows(NullPointerException.class, () -> q.indexPutInPlace(0, new long[0], null));
      assertThrows(NullPointerException.class, () -> QTensor.emptyLike(null));
      assertArrayEquals(before, q.intRepr());
    }
  }

  @Test
  public void aClosedTensorIsRefused() {
    QTensor q = perChannel(1, DType.QINT8);
    q.close();
    assertThrows(IllegalStateException.class, () -> q.indexSelect(1, new long[] {0}));
    assertThrows(IllegalStateException.class, () -> q.repeat(1, 1, 1));
    assertThrows(IllegalStateException.class, () -> q.maskedFillInPlace(new boolean[60], 1f));
    assertThrows(IllegalStateException.class,
                 () -> q.indexPutInPlace(1, new long[0], new float[0]));
    assertThrows(IllegalStateException.class, () -> QTensor.emptyLike(q));
  }
}

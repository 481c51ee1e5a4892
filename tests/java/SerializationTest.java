package io.qtensor.test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.qtensor.Bundle;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SerializationTest {
  @Rule public TemporaryFolder folder = new TemporaryFolder();

  static QTensor perChannel() {
    return QTensor.quantizePerChannel(Expected.ramp(12, 0.37f, -2.0f), new long[] {3, 4},
                                      new double[] {0.05, 0.1, 0.2}, new long[] {0, 128, 255}, 0,
                                      DType.QUINT8);
  }

  static void assertSameTensor(QTensor expected, QTensor actual) {
    assertEquals(expected.dtype(), actual.dtype());
    assertArrayEquals(expected.shape(), actual.shape());
    assertEquals(expected.qscheme(), actual.qscheme());
    assertArrayEquals(expected.intRepr(), actual.intRepr());
    assertEquals(expected.toString(), actual.toString());
  }

  @Test
  public void serializeRoundTripsEveryScheme() {
    try (QTensor a = ViewsAndWritesTest.notebookTensor();
         QTensor b = perChannel();
         QTensor a2 = QTensor.deserialize(a.serialize());
         QTensor b2 = QTensor.deserialize(b.serialize())) {
      assertSameTensor(a, a2);
      assertEquals(1e-4, a2.qScale(), 0.0);
      assertSameTensor(b, b2);
      assertArrayEquals(new long[] {0, 128, 255}, b2.qPerChannelZeroPoints());
    }
  }

  @Test
  public void viewIsSavedAsItsOwnElements() throws Exception {
    Path path = folder.getRoot().toPath().resolve("view.qt");
    try (QTensor q = perChannel();
         QTensor transposed = q.transpose(0, 1);
         QTensor view = transposed.slice(0, 0, 4, 2)) {
      view.save(path);
      try (QTensor loaded = QTensor.load(path)) {
        assertSameTensor(view, loaded);
        assertTrue(loaded.isContiguous());
        assertEquals(QScheme.PER_CHANNEL_AFFINE, loaded.qscheme());
        assertEquals(1, loaded.qPerChannelAxis());
      }
    }
    try (QTensor fromString = QTensor.load(path.toString())) {
      assertArrayEquals(new long[] {2, 3}, fromString.shape());
    }
    assertTrue(Files.size(path) > 0);
  }

  @Test
  public void badInputFailsWithStatus() {
    QTensorException corrupt = assertThrows(QTensorException.class,
        () -> QTensor.deserialize(new byte[] {1, 2, 3, 4, 5}));
    assertEquals(Status.CORRUPT_DATA, corrupt.status());
    QTensorException missing = assertThrows(QTensorException.class,
        () -> QTensor.load(folder.getRoot().toPath().resolve("absent.qt")));
    assertEquals(Status.IO, missing.status());
    assertTrue(missing.getMessage(), missing.getMessage().contains("absent.qt"));
  }

  // ONNX models (docs/onnx.md): a float16 per-block uint4 tensor and a
  // per-channel qint8 one with float32 scales come back with the same
  // integers, parameters and dequantized bits; the rounding is ONNX's.
  @Test
  public void onnxRoundTripsBytesAndFiles() throws Exception {
    Path path = folder.getRoot().toPath().resolve("weights.onnx");
    try (Quantizer blocks = Quantizer.perBlock(new double[] {0.5, 0.25, 0.75, 1.0},
                                               new long[] {1, 2, 3, 15}, 1, 3, DType.QUINT4);
         Quantizer blocks16 = blocks.withScaleType(ScaleType.FLOAT16);
         Quantizer channels = Quantizer.perChannel(new double[] {0.125, 2.0}, new long[] {-3, 4},
                                                   0, DType.QINT8);
         Quantizer channels32 = channels.withScaleType(ScaleType.FLOAT32);
         QTensor a = QTensor.quantize(Expected.ramp(12, 0.9f, 0.0f), new long[] {2, 6}, blocks16);
         QTensor b = QTensor.quantize(Expected.ramp(6, 0.37f, -1.0f), new long[] {2, 3},
                                      channels32);
         Bundle bundle = new Bundle()) {
      bundle.put("blocked", a).put("channels", b).putMetadata("writer", "java");
      bundle.saveOnnx(path);
      assertArrayEquals(bundle.serializeOnnx(), Files.readAllBytes(path));
      try (Bundle fromBytes = Bundle.deserializeOnnx(bundle.serializeOnnx());
           Bundle fromFile = Bundle.loadOnnx(path);
           Bundle fromString = Bundle.loadOnnx(path.toString())) {
        for (Bundle loaded : List.of(fromBytes, fromFile, fromString)) {
          assertEquals(List.of("blocked", "channels"), loaded.names());
          assertEquals("java", loaded.getMetadata("writer"));
          for (QTensor want : List.of(a, b)) {
            String name = want == a ? "blocked" : "channels";
            try (QTensor got = loaded.get(name); Quantizer q = got.quantizer();
                 Quantizer w = want.quantizer()) {
              assertArrayEquals(want.intRepr(), got.intRepr());
              assertArrayEquals(want.dequantize(), got.dequantize(), 0.0f);
              assertEquals(w.scaleType(), q.scaleType());
              assertEquals(Rounding.ONNX, q.rounding());
            }
          }
        }
      }
    }
  }

  @Test
  public void onnxRefusalsHaveTheirStatus() {
    try (QTensor q = QTensor.quantizePerTensor(new float[] {1.0f}, new long[] {1}, 0.1, 0,
                                               DType.QINT8);
         Bundle bundle = new Bundle()) {
      bundle.put("w", q);
      QTensorException refused = assertThrows(QTensorException.class, bundle::serializeOnnx);
      assertEquals(Status.INVALID_ARGUMENT, refused.status());
      assertTrue(refused.getMessage(), refused.getMessage().contains("not a float32 value"));
    }
    QTensorException corrupt = assertThrows(QTensorException.class,
        () -> Bundle.deserializeOnnx(new byte[] {8, 10}));
    assertEquals(Status.CORRUPT_DATA, corrupt.status());
    assertEquals("ONNX model ModelProto: has no graph", corrupt.getMessage());
    QTensorException missing = assertThrows(QTensorException.class,
        () -> Bundle.loadOnnx(folder.getRoot().toPath().resolve("absent.onnx")));
    assertEquals(Status.IO, missing.status());
  }

  // Listing and looking up every name and metadata key of a large bundle (a
  // file from a stranger may hold many) within a generous budget: the C ABI
  // once walked its key map from the start for every index.
  @Test
  public void manyNamesAndMetadataKeysCostLinearTime() {
    final int count = 40000;
    QTensor[] tensors = new QTensor[7];
    for (int v = 0; v < 7; ++v) {
      tensors[v] = QTensor.quantizePerTensor(new float[] {v}, new long[0], 1.0, 0, DType.QINT8);
    }
    try (Bundle bundle = new Bundle()) {
      for (int i = count - 1; i >= 0; --i) {
        bundle.putMetadata(String.format("key%06d", i), Integer.toString(i));
        bundle.put(String.format("t%06d", i), tensors[i % 7]);
      }
      try (Bundle loaded = Bundle.deserialize(bundle.serialize())) {
        long start = System.nanoTime();
        List<String> keys = loaded.metadataKeys();
        assertEquals(count, keys.size());
        for (int i = 0; i < count; ++i) assertEquals(String.format("key%06d", i), keys.get(i));
        List<String> names = loaded.names();
        assertEquals(count, names.size());
        for (int i = 0; i < count; ++i) {
          String name = String.format("t%06d", count - 1 - i);
          assertEquals(name, names.get(i));
          assertTrue(loaded.containsKey(name));
        }
        assertFalse(loaded.containsKey("t"));
        try (QTensor t = loaded.get("t000012")) {
          assertEquals(5.0f, t.item(), 0.0f);
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        assertTrue("listed in " + seconds + " s", seconds < 10.0);
      }
    } finally {
      for (QTensor t : tensors) t.close();
    }
  }

  @Test
  public void bundleIsAnOrderedNamedCollection() {
    try (QTensor a = ErrorsAndLifetimeTest.small();
         QTensor b = perChannel();
         Bundle bundle = new Bundle()) {
      assertTrue(bundle.isEmpty());
      assertEquals(0, bundle.metadataSize());
      bundle.put("a", a).put("b", b).putMetadata("framework", "qtensor").putMetadata("writer", "java");
      assertEquals(2, bundle.size());
      assertEquals(Arrays.asList("a", "b"), bundle.names());
      assertEquals("b", bundle.name(1));
      assertTrue(bundle.containsKey("a"));
      assertFalse(bundle.containsKey("c"));
      try (QTensor got = bundle.get("b"); QTensor first = bundle.get(0)) {
        assertSameTensor(b, got);
        assertTrue(got.sharesStorageWith(b));
        assertSameTensor(a, first);
      }
      assertEquals("qtensor", bundle.getMetadata("framework"));
      assertEquals(Arrays.asList("framework", "writer"), bundle.metadataKeys());
      assertEquals(2, bundle.metadataSize());
      assertEquals("Bundle[a, b]", bundle.toString());
      bundle.put("a", b);
      assertEquals(Arrays.asList("a", "b"), bundle.names());
      assertTrue(bundle.remove("a"));
      assertEquals(List.of("b"), bundle.names());
      assertEquals(1, bundle.size());
      assertEquals(Status.NOT_FOUND,
          assertThrows(QTensorException.class, () -> bundle.get("a")).status());
      assertFalse(bundle.remove("a"));  // no entry: false, as Map.remove gives null
      assertFalse(bundle.remove(""));
      assertEquals(List.of("b"), bundle.names());
      assertEquals(2, bundle.metadataSize());  // tensors only
      bundle.putMetadata("writer", "again");
      assertEquals(2, bundle.metadataSize());
      assertEquals(Status.NOT_FOUND,
          assertThrows(QTensorException.class, () -> bundle.getMetadata("absent")).status());
      assertEquals(Status.OUT_OF_RANGE,
          assertThrows(QTensorException.class, () -> bundle.get(5)).status());
      assertEquals(Status.OUT_OF_RANGE,
          assertThrows(QTensorException.class, () -> bundle.name(-1)).status());
      assertEquals(Status.INVALID_ARGUMENT,
          assertThrows(QTensorException.class, () -> bundle.put("", a)).status());
    }
  }

  @Test
  public void bundleRoundTripsThroughBytesAndFiles() {
    Path path = folder.getRoot().toPath().resolve("state.qtb");
    try (QTensor a = ErrorsAndLifetimeTest.small();
         QTensor b = perChannel();
         Bundle bundle = new Bundle()) {
      bundle.put("a", a).put("b", b).putMetadata("writer", "java");
      bundle.save(path);
      try (Bundle fromBytes = Bundle.deserialize(bundle.serialize());
           Bundle fromFile = Bundle.load(path)) {
        for (Bundle loaded : new Bundle[] {fromBytes, fromFile}) {
          assertEquals(Arrays.asList("a", "b"), loaded.names());
          assertEquals(1, loaded.metadataSize());
          assertEquals("java", loaded.getMetadata("writer"));
          try (QTensor la = loaded.get("a"); QTensor lb = loaded.get("b")) {
            assertSameTensor(a, la);
            assertSameTensor(b, lb);
          }
        }
      }
      assertEquals(Status.CORRUPT_DATA,
          assertThrows(QTensorException.class, () -> Bundle.deserialize(a.serialize())).status());
      assertEquals(Status.CORRUPT_DATA,
          assertThrows(QTensorException.class, () -> QTensor.deserialize(bundle.serialize()))
              .status());
    }
  }

  @Test
  public void namesAndPathsAreUnicode() {
    String name = "gewicht_\u00fc_\ud83d\ude00";
    Path path = folder.getRoot().toPath().resolve("z\u00e4hler_\ud83d\ude00.qtb");
    try (QTensor a = ErrorsAndLifetimeTest.small(); Bundle bundle = new Bundle()) {
      bundle.put(name, a).putMetadata("note", "\u4e2d\u6587 \ud83d\ude00");
      bundle.save(path);
      try (Bundle loaded = Bundle.load(path)) {
        assertEquals(List.of(name), loaded.names());
        assertTrue(loaded.containsKey(name));
        assertEquals("\u4e2d\u6587 \ud83d\ude00", loaded.getMetadata("note"));
      }
      IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
          () -> bundle.put("a\u0000b", a));
      assertEquals("a name, key or path may not contain the character U+0000", nul.getMessage());
      // An unpaired surrogate has no UTF-8: rejected, never stored as '?'.
      IllegalArgumentException lone = assertThrows(IllegalArgumentException.class,
          () -> bundle.put("a\ud800b", a));
      assertEquals("a name, key or path may not contain an unpaired surrogate (U+D800 at index 1)",
                   lone.getMessage());
      assertThrows(IllegalArgumentException.class, () -> bundle.putMetadata("k", "\udfff"));
      assertFalse(bundle.containsKey("a?b"));
      assertEquals(List.of(name), bundle.names());
      QTensorException missing = assertThrows(QTensorException.class,
          () -> bundle.get("\ud83d\ude00"));
      assertTrue(missing.getMessage(), missing.getMessage().contains("\ud83d\ude00"));
    }
  }

  @Test
  public void closedBundleThrowsAndItsTensorsLiveOn() {
    Bundle bundle = new Bundle();
    try (QTensor a = ErrorsAndLifetimeTest.small()) {
      bundle.put("a", a);
      QTensor taken = bundle.get("a");
      bundle.close();
      bundle.close();
      assertEquals("Bundle(closed)", bundle.toString());
      IllegalStateException error = assertThrows(IllegalStateException.class, bundle::size);
      assertEquals("this Bundle is closed", error.getMessage());
      assertThrows(IllegalStateException.class, () -> bundle.put("b", a));
      assertArrayEquals(a.intRepr(), taken.intRepr());
      taken.close();
    }
  }

  // Every String parameter refuses what no UTF-8 string can carry (U+0000,
  // an unpaired surrogate) with IllegalArgumentException, before the library
  // sees it: nothing is stored, written or read.
  @Test
  public void everyStringParameterRefusesNulAndUnpairedSurrogates() throws Exception {
    Path dir = folder.getRoot().toPath();
    String prefix = "a name, key or path may not contain ";
    String[][] bad = {
      {"x\u0000y", prefix + "the character U+0000"},
      {"x\ud800y", prefix + "an unpaired surrogate (U+D800 at index 1)"},
      {"x\udc00", prefix + "an unpaired surrogate (U+DC00 at index 1)"},
    };
    try (QTensor a = ErrorsAndLifetimeTest.small(); Bundle bundle = new Bundle()) {
      bundle.put("a", a).putMetadata("k", "v");
      Map<String, Consumer<String>> uses = new LinkedHashMap<>();
      uses.put("Bundle.put(name)", text -> bundle.put(text, a));
      uses.put("Bundle.get(name)", text -> bundle.get(text).close());
      uses.put("Bundle.remove(name)", bundle::remove);
      uses.put("Bundle.containsKey(name)", bundle::containsKey);
      uses.put("Bundle.putMetadata(key)", text -> bundle.putMetadata(text, "v"));
      uses.put("Bundle.putMetadata(value)", text -> bundle.putMetadata("k2", text));
      uses.put("Bundle.getMetadata(key)", bundle::getMetadata);
      uses.put("Bundle.save(path)", text -> bundle.save(dir + "/" + text));
      uses.put("Bundle.load(path)", text -> Bundle.load(dir + "/" + text).close());
      uses.put("QTensor.save(path)", text -> a.save(dir + "/" + text));
      uses.put("QTensor.load(path)", text -> QTensor.load(dir + "/" + text).close());
      for (Map.Entry<String, Consumer<String>> use : uses.entrySet()) {
        for (String[] text : bad) {
          IllegalArgumentException error = assertThrows(use.getKey(),
              IllegalArgumentException.class, () -> use.getValue().accept(text[0]));
          String expected = text[1].replace("index 1", "index " + (dir.toString().length() + 2));
          assertEquals(use.getKey(),
                       use.getKey().endsWith("(path)") ? expected : text[1], error.getMessage());
        }
      }
      assertEquals(List.of("a"), bundle.names());
      assertEquals(List.of("k"), bundle.metadataKeys());
      assertEquals("v", bundle.getMetadata("k"));
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(0, files.count());
      }
    }
  }
}

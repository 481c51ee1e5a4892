import io.qtensor.Bundle;
import io.qtensor.BundleFile;
import io.qtensor.BundleWriter;
import io.qtensor.DType;
import io.qtensor.FloatDType;
import io.qtensor.GgufType;
import io.qtensor.QScheme;
import io.qtensor.QTensor;
import io.qtensor.Quantizer;
import io.qtensor.Rounding;
import io.qtensor.ScaleType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/**
 * The Java side of the cross-language file test (tests/cross/SPEC.md):
 * {@code write DIR} writes the files; {@code read DIR WRITER} loads the
 * files another language wrote and checks them against tensors built here.
 */
public final class CrossJava {
  static final String[] TENSOR_FILES = {"qint8_per_tensor.qt", "quint8_per_channel.qt",
                                        "qint32_per_tensor.qt", "qint32_per_channel.qt",
                                        "scalar.qt", "view.qt", "qint16_per_tensor.qt",
                                        "quint4x2_view.qt", "quint4_per_block.qt"};

  private CrossJava() {}

  /** value(i) computed in double, then rounded to float32 (as SPEC.md's writers do). */
  static float[] values(int count, IntToDoubleFunction value) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) value.applyAsDouble(i);
    }
    return values;
  }

  /** The tensor SPEC.md describes for a file name (the caller closes it). */
  static QTensor build(String file) {
    switch (file) {
      case "qint8_per_tensor.qt":
        return QTensor.quantizePerTensor(new float[] {-1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f},
                                         new long[] {2, 3}, 0.1, 0, DType.QINT8);
      case "quint8_per_channel.qt":
        return QTensor.quantizePerChannel(values(12, i -> i * 0.37 - 2.0), new long[] {3, 4},
                                          new double[] {0.05, 0.1, 0.2}, new long[] {0, 128, 255},
                                          0, DType.QUINT8);
      case "qint32_per_tensor.qt":
        return QTensor.quantizePerTensor(new float[] {10000.0f, -25000.0f, 3.25f, 0.0f},
                                         new long[] {4}, 0.001, -7, DType.QINT32);
      case "qint32_per_channel.qt":
        return QTensor.quantizePerChannel(values(12, i -> (i - 6) * 0.71), new long[] {2, 2, 3},
                                          new double[] {0.01, 0.001, 0.0001},
                                          new long[] {-1, 0, 1}, 2, DType.QINT32);
      case "scalar.qt":
        return QTensor.quantizePerTensor(new float[] {2.5f}, new long[0], 0.5, -3, DType.QINT8);
      case "view.qt":
        try (QTensor base = build("quint8_per_channel.qt");
             QTensor transposed = base.transpose(0, 1)) {
          return transposed.slice(0, 0, 4, 2);
        }
      case "qint16_per_tensor.qt":
        return QTensor.quantizePerTensor(new float[] {-300.0f, 1000.25f, 0.0f, 12345.5f},
                                         new long[] {4}, 0.25, -7, DType.QINT16);
      case "quint4x2_view.qt":
        try (QTensor base = QTensor.quantizePerTensor(values(15, i -> i * 0.5 - 1.0),
                                                      new long[] {3, 5}, 0.5, 2,
                                                      DType.QUINT4X2)) {
          return base.slice(1, 1, 4);
        }
      case "quint4_per_block.qt":
        try (Quantizer blocks = Quantizer.perBlock(
                 new double[] {0.125, 0.25, 0.5, 0.0625, 0.1875, 0.375},
                 new long[] {8, 7, 9, 6, 8, 10}, 1, 2, DType.QUINT4);
             Quantizer onnx = blocks.withRounding(Rounding.ONNX);
             Quantizer half = onnx.withScaleType(ScaleType.FLOAT16)) {
          return QTensor.quantize(values(10, i -> i * 0.3 - 1.4), new long[] {2, 5}, half);
        }
      case "model.gguf q8":
        return QTensor.quantizeGguf(values(128, i -> i * 0.37 - 20.0), new long[] {2, 64},
                                    GgufType.Q8_0);
      case "model.gguf q4": // the largest magnitude is positive, so d is negative
        return QTensor.quantizeGguf(values(32, i -> i * 0.25 - 3.0), new long[] {32},
                                    GgufType.Q4_0);
      default:
        throw new IllegalArgumentException("no such file in SPEC.md: " + file);
    }
  }

  static Bundle buildBundle(String writer) {
    Bundle bundle = new Bundle();
    try (QTensor a = build("qint8_per_tensor.qt"); QTensor b = build("qint32_per_channel.qt")) {
      bundle.put("a", a).put("b", b);
    }
    return bundle.putMetadata("framework", "qtensor").putMetadata("writer", writer);
  }

  static final String GGUF_ARCHITECTURE = "STRING \"qtensor\"";

  static Bundle buildGgufBundle(String writer) {
    Bundle bundle = new Bundle();
    try (QTensor q8 = build("model.gguf q8"); QTensor q4 = build("model.gguf q4")) {
      bundle.put("q8", q8).put("q4", q4);
    }
    return bundle.putMetadata("general.architecture", GGUF_ARCHITECTURE)
        .putMetadata("writer", writer);
  }

  // float_entries.qtb's float entries (SPEC.md): name, dtype, shape, little-endian bytes.
  static final String[] FLOAT_NAMES = {"f32", "f16", "bf16"};
  static final FloatDType[] FLOAT_DTYPES = {FloatDType.FLOAT32, FloatDType.FLOAT16,
                                            FloatDType.BFLOAT16};
  static final long[][] FLOAT_SHAPES = {{2, 2}, {3}, {2}};
  static final byte[][] FLOAT_BYTES = {
      {0x23, 0x01, (byte) 0xc0, 0x7f, 0, 0, 0, (byte) 0x80, 0x01, 0, 0, 0, 0, 0, (byte) 0xc0, 0x3f},
      {0x01, 0x7c, 0x00, (byte) 0x80, 0x01, 0x00},
      {(byte) 0x81, 0x7f, 0x01, 0x00}};

  static Bundle buildFloatEntries() {
    Bundle bundle = new Bundle();
    try (QTensor q = build("qint8_per_tensor.qt")) {
      bundle.put("q", q);
    }
    for (int i = 0; i < FLOAT_NAMES.length; i++) {
      bundle.putFloat(FLOAT_NAMES[i], FLOAT_BYTES[i], FLOAT_SHAPES[i], FLOAT_DTYPES[i]);
    }
    return bundle;
  }

  static void write(Path dir) throws Exception {
    Files.createDirectories(dir);
    for (String file : TENSOR_FILES) {
      try (QTensor tensor = build(file)) {
        tensor.save(dir.resolve(file));
      }
    }
    try (Bundle bundle = buildBundle("java")) {
      bundle.save(dir.resolve("bundle.qtb"));
    }
    try (Bundle bundle = buildGgufBundle("java")) {
      bundle.saveGguf(dir.resolve("model.gguf").toString());
    }
    try (Bundle bundle = buildFloatEntries()) {
      bundle.save(dir.resolve("float_entries.qtb"));
    }
    writeMapped(dir.resolve("mapped.qtc"), "java");
  }

  // mapped.qtc's entries (SPEC.md): name, the file whose tensor it holds (null: the float entry).
  static final String[][] MAPPED_ENTRIES = {{"w", "quint8_per_channel.qt"}, {"v", "view.qt"},
                                            {"p", "quint4_per_block.qt"}, {"f16", null}};
  static final long[][] MAPPED_SHAPES = {{3, 4}, {2, 3}, {2, 5}, {3}};
  static final DType[] MAPPED_DTYPES = {DType.QUINT8, DType.QUINT8, DType.QUINT4, null};

  /** mapped.qtc: written with the streaming writer, one entry at a time. */
  static void writeMapped(Path path, String writer) {
    try (BundleWriter out = BundleWriter.open(path)) {
      for (String[] entry : MAPPED_ENTRIES) {
        if (entry[1] == null) {
          out.addFloat(entry[0], FLOAT_BYTES[1], FLOAT_SHAPES[1], FLOAT_DTYPES[1]);
          continue;
        }
        try (QTensor tensor = build(entry[1])) {
          out.add(entry[0], tensor);
        }
      }
      out.setMetadata("format", "container").setMetadata("writer", writer);
      out.finish();
    }
  }

  /** What differs between a loaded tensor and the expected one (empty if nothing). */
  static List<String> compare(QTensor got, QTensor want) {
    List<String> differences = new ArrayList<>();
    check(differences, "dtype", got.dtype(), want.dtype());
    check(differences, "shape", Arrays.toString(got.shape()), Arrays.toString(want.shape()));
    check(differences, "qscheme", got.qscheme(), want.qscheme());
    if (!differences.isEmpty()) {
      return differences;
    }
    if (want.qscheme() == QScheme.PER_TENSOR_AFFINE) {
      check(differences, "scale", got.qScale(), want.qScale());
      check(differences, "zero point", got.qZeroPoint(), want.qZeroPoint());
    } else if (want.qscheme() == QScheme.PER_BLOCK_AFFINE) {
      try (Quantizer gotQuantizer = got.quantizer(); Quantizer wantQuantizer = want.quantizer()) {
        if (!gotQuantizer.equals(wantQuantizer)) {
          differences.add("quantizer: got " + gotQuantizer + " " + gotQuantizer.rounding() + " "
                          + gotQuantizer.scaleType() + ", want " + wantQuantizer + " "
                          + wantQuantizer.rounding() + " " + wantQuantizer.scaleType());
        }
      }
    } else {
      check(differences, "scales", Arrays.toString(got.qPerChannelScales()),
            Arrays.toString(want.qPerChannelScales()));
      check(differences, "zero points", Arrays.toString(got.qPerChannelZeroPoints()),
            Arrays.toString(want.qPerChannelZeroPoints()));
      check(differences, "axis", got.qPerChannelAxis(), want.qPerChannelAxis());
    }
    int[] gotInts = got.intRepr();
    int[] wantInts = want.intRepr();
    for (int i = 0; i < wantInts.length; i++) {
      if (gotInts[i] != wantInts[i]) {
        differences.add("integer " + i + ": got " + gotInts[i] + ", want " + wantInts[i]);
      }
    }
    check(differences, "packed bytes", Arrays.toString(got.packedRepr()),
          Arrays.toString(want.packedRepr()));
    check(differences, "printed form", "\n" + got + "\n", "\n" + want + "\n");
    return differences;
  }

  static void check(List<String> differences, String what, Object got, Object want) {
    if (!Objects.equals(got, want)) {
      differences.add(what + ": got " + got + ", want " + want);
    }
  }

  static List<String> readTensor(Path dir, String file) {
    Path path = dir.resolve(file);
    if (!Files.exists(path)) {
      return List.of("missing file " + path);
    }
    try (QTensor got = QTensor.load(path); QTensor want = build(file)) {
      return compare(got, want);
    }
  }

  static List<String> readBundle(Path dir, String writer) {
    Path path = dir.resolve("bundle.qtb");
    if (!Files.exists(path)) {
      return List.of("missing file " + path);
    }
    try (Bundle got = Bundle.load(path)) {
      return compareBundle(got, new String[][] {{"a", "qint8_per_tensor.qt"},
                                                {"b", "qint32_per_channel.qt"}},
                           new String[][] {{"framework", "qtensor"}, {"writer", writer}});
    }
  }

  /** The GGUF file: its metadata values come back as typed text. */
  static List<String> readGguf(Path dir, String writer) {
    Path path = dir.resolve("model.gguf");
    if (!Files.exists(path)) {
      return List.of("missing file " + path);
    }
    try (Bundle got = Bundle.loadGguf(path.toString())) {
      return compareBundle(got, new String[][] {{"q8", "model.gguf q8"}, {"q4", "model.gguf q4"}},
                           new String[][] {{"general.architecture", GGUF_ARCHITECTURE},
                                           {"writer", "STRING \"" + writer + "\""}});
    }
  }

  /** Names in order, each tensor against build(file), and metadata (key, value) in key order. */
  static List<String> compareBundle(Bundle got, String[][] entries, String[][] metadata) {
    List<String> differences = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String[] entry : entries) {
      names.add(entry[0]);
    }
    check(differences, "names", got.names(), names);
    if (!differences.isEmpty()) {
      return differences;
    }
    for (String[] entry : entries) {
      try (QTensor tensor = got.get(entry[0]); QTensor want = build(entry[1])) {
        for (String difference : compare(tensor, want)) {
          differences.add(entry[0] + ": " + difference);
        }
      }
    }
    List<String> keys = new ArrayList<>();
    for (String[] entry : metadata) {
      keys.add(entry[0]);
    }
    check(differences, "metadata keys", got.metadataKeys(), keys);
    if (differences.isEmpty()) {
      for (String[] entry : metadata) {
        check(differences, "metadata " + entry[0], got.getMetadata(entry[0]), entry[1]);
      }
    }
    return differences;
  }

  static List<String> readFloatEntries(Path dir) {
    Path path = dir.resolve("float_entries.qtb");
    if (!Files.exists(path)) {
      return List.of("missing file " + path);
    }
    List<String> differences = new ArrayList<>();
    try (Bundle got = Bundle.load(path)) {
      check(differences, "names", got.names(), List.of("q", "f32", "f16", "bf16"));
      if (!differences.isEmpty()) {
        return differences;
      }
      try (QTensor tensor = got.get("q"); QTensor want = build("qint8_per_tensor.qt")) {
        differences.addAll(compare(tensor, want));
      }
      for (int i = 0; i < FLOAT_NAMES.length; i++) {
        String name = FLOAT_NAMES[i];
        check(differences, name + " dtype", got.floatDType(name), FLOAT_DTYPES[i]);
        check(differences, name + " shape", Arrays.toString(got.floatShape(name)),
              Arrays.toString(FLOAT_SHAPES[i]));
        check(differences, name + " bytes", Arrays.toString(got.floatData(name)),
              Arrays.toString(FLOAT_BYTES[i]));
      }
    }
    return differences;
  }

  /** Whether the file starts with the first count bytes of the container magic. */
  static List<String> checkMagic(Path path, int count) throws IOException {
    byte[] magic = {(byte) 0x89, 'Q', 'T', 'B', 'N', 'D', 'L', '\n'};
    byte[] head;
    try (InputStream in = Files.newInputStream(path)) {
      head = in.readNBytes(count);
    }
    if (!Arrays.equals(head, Arrays.copyOf(magic, count))) {
      return List.of("does not start with the container magic's first " + count + " bytes: "
                     + Arrays.toString(head));
    }
    return List.of();
  }

  /** mapped.qtc: the header alone first, then checksums, tensors and the float entry. */
  static List<String> readMapped(Path dir, String writer) throws IOException {
    Path path = dir.resolve("mapped.qtc");
    if (!Files.exists(path)) {
      return List.of("missing file " + path);
    }
    List<String> differences = new ArrayList<>(checkMagic(path, 8));
    if (!differences.isEmpty()) {
      return differences;
    }
    try (BundleFile file = BundleFile.open(path)) {
      check(differences, "names", file.names(), List.of("w", "v", "p", "f16"));
      if (!differences.isEmpty()) {
        return differences;
      }
      for (int i = 0; i < MAPPED_ENTRIES.length; i++) {
        String name = MAPPED_ENTRIES[i][0];
        boolean isFloat = MAPPED_ENTRIES[i][1] == null;
        check(differences, name + " is float", file.isFloat(name), isFloat);
        check(differences, name + " shape", Arrays.toString(file.shape(name)),
              Arrays.toString(MAPPED_SHAPES[i]));
        check(differences, name + " dtype", isFloat ? file.floatDType(name) : file.dtype(name),
              isFloat ? FloatDType.FLOAT16 : MAPPED_DTYPES[i]);
        check(differences, name + " payload offset % 64", file.payloadOffset(name) % 64, 0L);
      }
      check(differences, "metadata keys", file.metadataKeys(), List.of("format", "writer"));
      check(differences, "metadata format", file.getMetadata("format"), "container");
      check(differences, "metadata writer", file.getMetadata("writer"), writer);
      if (!differences.isEmpty()) {
        return differences;
      }
      file.verify();
      for (String[] entry : MAPPED_ENTRIES) {
        if (entry[1] == null) {
          continue;
        }
        try (QTensor tensor = file.get(entry[0]); QTensor want = build(entry[1])) {
          check(differences, entry[0] + " read-only", tensor.isReadOnly(), true);
          for (String difference : compare(tensor, want)) {
            differences.add(entry[0] + ": " + difference);
          }
        }
      }
      try (Bundle selection = file.select("f16")) {
        check(differences, "f16 bytes", Arrays.toString(selection.floatData("f16")),
              Arrays.toString(FLOAT_BYTES[1]));
      }
    }
    return differences;
  }

  static boolean read(Path dir, String writer) {
    boolean ok = true;
    List<String> files = new ArrayList<>(Arrays.asList(TENSOR_FILES));
    files.add("bundle.qtb");
    files.add("model.gguf");
    files.add("float_entries.qtb");
    files.add("mapped.qtc");
    for (String file : files) {
      List<String> differences;
      try {
        differences = file.equals("bundle.qtb")          ? readBundle(dir, writer)
                      : file.equals("model.gguf")        ? readGguf(dir, writer)
                      : file.equals("float_entries.qtb") ? readFloatEntries(dir)
                      : file.equals("mapped.qtc")        ? readMapped(dir, writer)
                                                         : readTensor(dir, file);
        if (differences.isEmpty() && file.endsWith(".qtb")) {
          differences = checkMagic(dir.resolve(file), 1);
        }
      } catch (RuntimeException | IOException error) {
        differences = List.of(error.toString());
      }
      if (differences.isEmpty()) {
        System.out.println("ok " + file);
      } else {
        ok = false;
        for (String difference : differences) {
          System.out.println("FAIL " + file + " (written by " + writer + "): " + difference);
        }
      }
    }
    return ok;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("write")) {
      write(Paths.get(args[1]));
      return;
    }
    if (args.length == 3 && args[0].equals("read")) {
      System.exit(read(Paths.get(args[1]), args[2]) ? 0 : 1);
    }
    System.err.println("usage: CrossJava write DIR | CrossJava read DIR WRITER");
    System.exit(2);
  }
}

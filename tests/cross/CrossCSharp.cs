// The C# side of the cross-language file test (tests/cross/SPEC.md):
//   mono CrossCSharp.exe write DIR          writes the files of SPEC.md
//   mono CrossCSharp.exe read DIR WRITER    checks WRITER's files against
//                                           tensors built here
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QTensor;

static class CrossCSharp {
  static Tensor QInt8PerTensor() {
    return Tensor.QuantizePerTensor(new[] { -1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f },
                                    new long[] { 2, 3 }, 0.1, 0, DType.QInt8);
  }

  // Inputs computed in double, then rounded to float, as the other writers do.
  static float[] Ramp(int count, Func<int, double> value) {
    return Enumerable.Range(0, count).Select(i => (float)value(i)).ToArray();
  }

  static Tensor QUInt8PerChannel() {
    return Tensor.QuantizePerChannel(Ramp(12, i => i * 0.37 - 2.0), new long[] { 3, 4 },
                                     new[] { 0.05, 0.1, 0.2 }, new long[] { 0, 128, 255 }, 0,
                                     DType.QUInt8);
  }

  static Tensor QInt32PerTensor() {
    return Tensor.QuantizePerTensor(new[] { 10000.0f, -25000.0f, 3.25f, 0.0f }, new long[] { 4 },
                                    0.001, -7, DType.QInt32);
  }

  static Tensor QInt32PerChannel() {
    return Tensor.QuantizePerChannel(Ramp(12, i => (i - 6) * 0.71), new long[] { 2, 2, 3 },
                                     new[] { 0.01, 0.001, 0.0001 }, new long[] { -1, 0, 1 }, 2,
                                     DType.QInt32);
  }

  static Tensor Scalar() {
    return Tensor.QuantizePerTensor(new[] { 2.5f }, new long[0], 0.5, -3, DType.QInt8);
  }

  static Tensor View() {
    using (Tensor based = QUInt8PerChannel())
    using (Tensor transposed = based.Transpose(0, 1)) {
      return transposed.Slice(0, 0, 4, 2);
    }
  }

  static Tensor QInt16PerTensor() {
    return Tensor.QuantizePerTensor(new[] { -300.0f, 1000.25f, 0.0f, 12345.5f },
                                    new long[] { 4 }, 0.25, -7, DType.QInt16);
  }

  // Starts at element 1, inside the base's first byte.
  static Tensor QUInt4x2View() {
    using (Tensor based = Tensor.QuantizePerTensor(Ramp(15, i => i * 0.5 - 1.0),
                                                   new long[] { 3, 5 }, 0.5, 2, DType.QUInt4x2)) {
      return based.Slice(1, 1, 4);
    }
  }

  // Blocks of columns {0, 1}, {2, 3}, {4} per row; ONNX rounding, float16 scales.
  static Tensor QUInt4PerBlock() {
    using (var blocks = Quantizer.PerBlock(new[] { 0.125, 0.25, 0.5, 0.0625, 0.1875, 0.375 },
                                           new long[] { 8, 7, 9, 6, 8, 10 }, 1, 2, DType.QUInt4))
    using (var onnx = blocks.WithRounding(Rounding.Onnx))
    using (var half = onnx.WithScaleType(ScaleType.Float16)) {
      return Tensor.Quantize(Ramp(10, i => i * 0.3 - 1.4), new long[] { 2, 5 }, half);
    }
  }

  // GGUF blocks as llama.cpp makes them; q4's largest magnitude is positive,
  // so its d is negative.
  static Tensor GgufQ8() {
    return Tensor.QuantizeGguf(Ramp(128, i => i * 0.37 - 20.0), new long[] { 2, 64 },
                               GgufType.Q8_0);
  }

  static Tensor GgufQ4() {
    return Tensor.QuantizeGguf(Ramp(32, i => i * 0.25 - 3.0), new long[] { 32 }, GgufType.Q4_0);
  }

  static readonly KeyValuePair<string, Func<Tensor>>[] TensorFiles = {
    new KeyValuePair<string, Func<Tensor>>("qint8_per_tensor.qt", QInt8PerTensor),
    new KeyValuePair<string, Func<Tensor>>("quint8_per_channel.qt", QUInt8PerChannel),
    new KeyValuePair<string, Func<Tensor>>("qint32_per_tensor.qt", QInt32PerTensor),
    new KeyValuePair<string, Func<Tensor>>("qint32_per_channel.qt", QInt32PerChannel),
    new KeyValuePair<string, Func<Tensor>>("scalar.qt", Scalar),
    new KeyValuePair<string, Func<Tensor>>("view.qt", View),
    new KeyValuePair<string, Func<Tensor>>("qint16_per_tensor.qt", QInt16PerTensor),
    new KeyValuePair<string, Func<Tensor>>("quint4x2_view.qt", QUInt4x2View),
    new KeyValuePair<string, Func<Tensor>>("quint4_per_block.qt", QUInt4PerBlock),
  };
  const string BundleFileName = "bundle.qtb";
  const string GgufFile = "model.gguf";
  const string GgufArchitecture = "STRING \"qtensor\"";

  static readonly KeyValuePair<string, Func<Tensor>>[] BundleEntries = {
    new KeyValuePair<string, Func<Tensor>>("a", QInt8PerTensor),
    new KeyValuePair<string, Func<Tensor>>("b", QInt32PerChannel),
  };
  static readonly KeyValuePair<string, Func<Tensor>>[] GgufEntries = {
    new KeyValuePair<string, Func<Tensor>>("q8", GgufQ8),
    new KeyValuePair<string, Func<Tensor>>("q4", GgufQ4),
  };

  static Bundle MakeBundle(KeyValuePair<string, Func<Tensor>>[] entries,
                           params KeyValuePair<string, string>[] metadata) {
    var bundle = new Bundle();
    foreach (var entry in entries) {
      using (Tensor tensor = entry.Value()) bundle[entry.Key] = tensor;
    }
    foreach (var entry in metadata) bundle.Metadata[entry.Key] = entry.Value;
    return bundle;
  }

  const string FloatEntriesFile = "float_entries.qtb";
  // float_entries.qtb's float entries (SPEC.md): name, dtype, shape, little-endian bytes.
  static readonly (string Name, FloatDType DType, long[] Shape, byte[] Bytes)[] FloatEntries = {
      ("f32", FloatDType.Float32, new long[] { 2, 2 },
       new byte[] { 0x23, 0x01, 0xc0, 0x7f, 0, 0, 0, 0x80, 0x01, 0, 0, 0, 0, 0, 0xc0, 0x3f }),
      ("f16", FloatDType.Float16, new long[] { 3 }, new byte[] { 0x01, 0x7c, 0x00, 0x80, 0x01, 0x00 }),
      ("bf16", FloatDType.BFloat16, new long[] { 2 }, new byte[] { 0x81, 0x7f, 0x01, 0x00 }),
  };

  static Bundle MakeFloatEntries() {
    var bundle = new Bundle();
    using (Tensor q = QInt8PerTensor()) bundle["q"] = q;
    foreach (var e in FloatEntries) bundle.SetFloat(e.Name, e.Bytes, e.Shape, e.DType);
    return bundle;
  }

  static string FloatEntriesDifference(Bundle got) {
    string[] names = got.Keys.ToArray();
    if (!names.SequenceEqual(new[] { "q", "f32", "f16", "bf16" })) {
      return $"names [{string.Join(", ", names)}], expected [q, f32, f16, bf16]";
    }
    using (Tensor q = got["q"])
    using (Tensor want = QInt8PerTensor()) {
      string difference = Difference(q, want);
      if (difference != null) return "\"q\": " + difference;
    }
    foreach (var e in FloatEntries) {
      if (got.FloatDType(e.Name) != e.DType || !got.FloatShape(e.Name).SequenceEqual(e.Shape) ||
          !got.FloatData(e.Name).SequenceEqual(e.Bytes)) {
        return $"\"{e.Name}\": {got.FloatDType(e.Name)} [{string.Join(", ", got.FloatShape(e.Name))}] " +
               $"bytes [{string.Join(", ", got.FloatData(e.Name))}], expected {e.DType} " +
               $"[{string.Join(", ", e.Shape)}] bytes [{string.Join(", ", e.Bytes)}]";
      }
    }
    return null;
  }

  static bool CheckFloatEntriesFile(string directory) {
    try {
      using (Bundle got = Bundle.Load(Path.Combine(directory, FloatEntriesFile))) {
        return Report(FloatEntriesFile, FloatEntriesDifference(got));
      }
    } catch (QTensorException error) {
      return Report(FloatEntriesFile, error.GetType().Name + ": " + error.Message);
    }
  }

  static void Write(string directory) {
    Directory.CreateDirectory(directory);
    foreach (var file in TensorFiles) {
      using (Tensor tensor = file.Value()) tensor.Save(Path.Combine(directory, file.Key));
    }
    using (Bundle bundle = MakeBundle(BundleEntries, Pair("framework", "qtensor"),
                                      Pair("writer", "csharp"))) {
      bundle.Save(Path.Combine(directory, BundleFileName));
    }
    using (Bundle bundle = MakeBundle(GgufEntries, Pair("general.architecture", GgufArchitecture),
                                      Pair("writer", "csharp"))) {
      bundle.SaveGguf(Path.Combine(directory, GgufFile));
    }
    using (Bundle bundle = MakeFloatEntries()) bundle.Save(Path.Combine(directory, FloatEntriesFile));
    WriteMapped(Path.Combine(directory, MappedFile), "csharp");
  }

  const string MappedFile = "mapped.qtc";
  // mapped.qtc's entries (SPEC.md): name, shape, dtype and the file of the
  // tensor it holds (null: the float entry).
  static readonly (string Name, long[] Shape, DType DType, string File)[] MappedEntries = {
      ("w", new long[] { 3, 4 }, DType.QUInt8, "quint8_per_channel.qt"),
      ("v", new long[] { 2, 3 }, DType.QUInt8, "view.qt"),
      ("p", new long[] { 2, 5 }, DType.QUInt4, "quint4_per_block.qt"),
      ("f16", new long[] { 3 }, default(DType), null),
  };

  static Tensor Make(string file) => TensorFiles.First(f => f.Key == file).Value();

  // mapped.qtc: written with the streaming writer, one entry at a time.
  static void WriteMapped(string path, string writer) {
    var f16 = FloatEntries[1];
    using (BundleWriter output = BundleWriter.Open(path)) {
      foreach (var entry in MappedEntries) {
        if (entry.File == null) {
          output.AddFloat(entry.Name, f16.Bytes, f16.Shape, f16.DType);
          continue;
        }
        using (Tensor tensor = Make(entry.File)) output.Add(entry.Name, tensor);
      }
      output.SetMetadata("format", "container");
      output.SetMetadata("writer", writer);
      output.Finish();
    }
  }

  // Null if the file starts with the first count bytes of the container magic.
  static string MagicDifference(string path, int count) {
    var magic = new byte[] { 0x89, (byte)'Q', (byte)'T', (byte)'B', (byte)'N', (byte)'D',
                             (byte)'L', (byte)'\n' };
    var head = new byte[count];
    int read;
    using (FileStream stream = File.OpenRead(path)) read = stream.Read(head, 0, count);
    return read == count && head.SequenceEqual(magic.Take(count))
               ? null
               : $"does not start with the container magic's first {count} bytes";
  }

  // The header alone first, then the checksums, each tensor and the float entry.
  static string MappedDifference(BundleFile file, string writer) {
    string[] names = file.Keys.ToArray();
    if (!names.SequenceEqual(MappedEntries.Select(e => e.Name))) {
      return $"names [{string.Join(", ", names)}], expected [w, v, p, f16]";
    }
    foreach (var e in MappedEntries) {
      bool isFloat = e.File == null;
      string dtype = isFloat ? file.FloatDType(e.Name).ToString() : file.DType(e.Name).ToString();
      string wantDType = isFloat ? FloatDType.Float16.ToString() : e.DType.ToString();
      if (file.IsFloat(e.Name) != isFloat || !file.Shape(e.Name).SequenceEqual(e.Shape) ||
          dtype != wantDType || file.PayloadOffset(e.Name) % 64 != 0) {
        return $"the header describes \"{e.Name}\" as float {file.IsFloat(e.Name)} " +
               $"[{string.Join(", ", file.Shape(e.Name))}] {dtype} at {file.PayloadOffset(e.Name)}";
      }
    }
    if (!file.Metadata.Keys.SequenceEqual(new[] { "format", "writer" }) ||
        file.Metadata["format"] != "container" || file.Metadata["writer"] != writer) {
      return $"metadata [{string.Join(", ", file.Metadata)}], expected format container and " +
             $"writer {writer}";
    }
    file.Verify();
    foreach (var e in MappedEntries.Where(e => e.File != null)) {
      using (Tensor got = file.Get(e.Name))
      using (Tensor want = Make(e.File)) {
        if (!got.IsReadOnly) return $"\"{e.Name}\" is not read-only";
        string difference = Difference(got, want);
        if (difference != null) return $"\"{e.Name}\": {difference}";
      }
    }
    using (Bundle selection = file.Select("f16")) {
      byte[] bytes = selection.FloatData("f16");
      if (!bytes.SequenceEqual(FloatEntries[1].Bytes)) {
        return $"\"f16\" bytes [{string.Join(", ", bytes)}]";
      }
    }
    return null;
  }

  static bool CheckMappedFile(string directory, string writer) {
    string path = Path.Combine(directory, MappedFile);
    if (!File.Exists(path)) return Report(MappedFile, "missing file " + path);
    try {
      string difference = MagicDifference(path, 8);
      if (difference != null) return Report(MappedFile, difference);
      using (BundleFile file = BundleFile.Open(path)) {
        return Report(MappedFile, MappedDifference(file, writer));
      }
    } catch (Exception error) when (error is QTensorException || error is IOException) {
      return Report(MappedFile, error.GetType().Name + ": " + error.Message);
    }
  }

  // What differs between a loaded tensor and the expected one, or null.
  static string Difference(Tensor got, Tensor want) {
    if (got.DType != want.DType) return $"dtype {got.DType}, expected {want.DType}";
    if (!got.Shape.SequenceEqual(want.Shape)) {
      return $"shape [{string.Join(", ", got.Shape)}], expected [{string.Join(", ", want.Shape)}]";
    }
    if (got.QScheme != want.QScheme) return $"qscheme {got.QScheme}, expected {want.QScheme}";
    if (want.QScheme == QScheme.PerTensorAffine) {
      if (got.QScale != want.QScale || got.QZeroPoint != want.QZeroPoint) {
        return $"scale {got.QScale:R} zero point {got.QZeroPoint}, " +
               $"expected {want.QScale:R} and {want.QZeroPoint}";
      }
    } else if (want.QScheme == QScheme.PerBlockAffine) {
      using (Quantizer gotQuantizer = got.Quantizer)
      using (Quantizer wantQuantizer = want.Quantizer) {
        if (!gotQuantizer.Equals(wantQuantizer)) {
          return $"quantizer {gotQuantizer} {gotQuantizer.Rounding} {gotQuantizer.ScaleType}, " +
                 $"expected {wantQuantizer} {wantQuantizer.Rounding} {wantQuantizer.ScaleType}";
        }
      }
    } else if (got.QPerChannelAxis != want.QPerChannelAxis ||
               !got.QPerChannelScales.SequenceEqual(want.QPerChannelScales) ||
               !got.QPerChannelZeroPoints.SequenceEqual(want.QPerChannelZeroPoints)) {
      return $"axis {got.QPerChannelAxis} scales [{string.Join(", ", got.QPerChannelScales)}] " +
             $"zero points [{string.Join(", ", got.QPerChannelZeroPoints)}], expected axis " +
             $"{want.QPerChannelAxis} scales [{string.Join(", ", want.QPerChannelScales)}] " +
             $"zero points [{string.Join(", ", want.QPerChannelZeroPoints)}]";
    }
    Array gotInts = got.IntRepr();
    Array wantInts = want.IntRepr();
    for (int i = 0; i < wantInts.Length; ++i) {
      if (!gotInts.GetValue(i).Equals(wantInts.GetValue(i))) {
        return $"integer {i} is {gotInts.GetValue(i)}, expected {wantInts.GetValue(i)}";
      }
    }
    byte[] gotPacked = got.PackedRepr();
    byte[] wantPacked = want.PackedRepr();
    if (!gotPacked.SequenceEqual(wantPacked)) {
      return $"packed bytes [{string.Join(", ", gotPacked)}], expected " +
             $"[{string.Join(", ", wantPacked)}]";
    }
    string gotText = got.ToString();
    string wantText = want.ToString();
    return gotText == wantText ? null : $"prints\n{gotText}\nexpected\n{wantText}";
  }

  static bool Report(string file, string difference) {
    Console.WriteLine(difference == null ? $"ok {file}" : $"{file}: {difference}");
    return difference == null;
  }

  static bool CheckTensorFile(string directory, string file, Func<Tensor> make) {
    try {
      using (Tensor got = Tensor.Load(Path.Combine(directory, file)))
      using (Tensor want = make()) {
        return Report(file, Difference(got, want));
      }
    } catch (QTensorException error) {
      return Report(file, error.GetType().Name + ": " + error.Message);
    }
  }

  static KeyValuePair<string, string> Pair(string key, string value) {
    return new KeyValuePair<string, string>(key, value);
  }

  // Names in order, metadata (in key order), then each tensor.
  static string BundleDifference(Bundle got, KeyValuePair<string, Func<Tensor>>[] entries,
                                 KeyValuePair<string, string>[] metadata) {
    string[] names = got.Keys.ToArray();
    string[] wantNames = entries.Select(entry => entry.Key).ToArray();
    if (!names.SequenceEqual(wantNames)) {
      return $"names [{string.Join(", ", names)}], expected [{string.Join(", ", wantNames)}]";
    }
    if (got.Metadata.Count != metadata.Length) {
      return $"{got.Metadata.Count} metadata entries, expected {metadata.Length}";
    }
    foreach (var entry in metadata) {
      if (got.Metadata[entry.Key] != entry.Value) {
        return $"{entry.Key} \"{got.Metadata[entry.Key]}\", expected \"{entry.Value}\"";
      }
    }
    foreach (var entry in entries) {
      using (Tensor tensor = got[entry.Key])
      using (Tensor want = entry.Value()) {
        string difference = Difference(tensor, want);
        if (difference != null) return $"\"{entry.Key}\": {difference}";
      }
    }
    return null;
  }

  static bool CheckBundleFile(string directory, string file, Func<string, Bundle> load,
                              KeyValuePair<string, Func<Tensor>>[] entries,
                              params KeyValuePair<string, string>[] metadata) {
    try {
      using (Bundle got = load(Path.Combine(directory, file))) {
        return Report(file, BundleDifference(got, entries, metadata));
      }
    } catch (QTensorException error) {
      return Report(file, error.GetType().Name + ": " + error.Message);
    }
  }

  static bool Read(string directory, string writer) {
    bool ok = true;
    foreach (var file in TensorFiles) ok &= CheckTensorFile(directory, file.Key, file.Value);
    ok &= CheckBundleFile(directory, BundleFileName, Bundle.Load, BundleEntries,
                          Pair("framework", "qtensor"), Pair("writer", writer));
    // The GGUF file's metadata values come back as typed text.
    ok &= CheckBundleFile(directory, GgufFile, Bundle.LoadGguf, GgufEntries,
                          Pair("general.architecture", GgufArchitecture),
                          Pair("writer", $"STRING \"{writer}\""));
    ok &= CheckFloatEntriesFile(directory);
    foreach (string file in new[] { BundleFileName, FloatEntriesFile }) {
      string path = Path.Combine(directory, file);
      string difference = File.Exists(path) ? MagicDifference(path, 1) : "missing";
      if (difference != null) ok &= Report(file, difference);
    }
    ok &= CheckMappedFile(directory, writer);
    return ok;
  }

  static int Main(string[] args) {
    if (args.Length == 2 && args[0] == "write") {
      Write(args[1]);
      return 0;
    }
    if (args.Length == 3 && args[0] == "read") return Read(args[1], args[2]) ? 0 : 1;
    Console.Error.WriteLine("usage: CrossCSharp.exe write DIR | read DIR WRITER");
    return 2;
  }
}

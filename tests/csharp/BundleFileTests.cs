// Containers: the streaming writer, the lazy reader, read-only mapped
// tensors, payload bytes, checksums and the refusals.
using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class BundleFileTests : ScratchDirectoryTests {
  // float16: a signalling NaN, -0.0, the smallest subnormal.
  static readonly byte[] F16 = { 0x01, 0x7c, 0x00, 0x80, 0x01, 0x00 };
  static readonly double[] Scales = { 0.05, 0.1, 0.2 };

  // [3, 4] quint8 per channel (axis 0), value(i) = i * 0.37 - 2.0.
  static Tensor PerChannel() {
    float[] values = Enumerable.Range(0, 12).Select(i => (float)(i * 0.37 - 2.0)).ToArray();
    return Tensor.QuantizePerChannel(values, new long[] { 3, 4 }, Scales,
                                     new long[] { 0, 128, 255 }, 0, DType.QUInt8);
  }

  // [4] qint32 per tensor: integers {9993, -25007, -4, -7}.
  static Tensor Wide() =>
      Tensor.QuantizePerTensor(new[] { 10f, -25f, 0.003f, 0f }, new long[] { 4 }, 0.001, -7,
                               DType.QInt32);

  // "w" (quint8 per channel), "f16" (float entry), "i" (qint32), two metadata keys.
  string WriteSample() {
    string path = Path.Combine(directory, "sample.qtc");
    using (BundleWriter writer = BundleWriter.Open(path))
    using (Tensor w = PerChannel())
    using (Tensor i = Wide()) {
      writer.Add("w", w);
      writer.AddFloat("f16", F16, new long[] { 3 }, FloatDType.Float16);
      writer.Add("i", i);
      writer.SetMetadata("format", "container");
      writer.SetMetadata("writer", "csharp");
      writer.Finish();
    }
    return path;
  }

  [Test]
  public void TheHeaderDescribesEveryEntryBeforeAnyPayloadIsRead() {
    string path = WriteSample();
    Assert.AreEqual(new byte[] { 0x89, (byte)'Q', (byte)'T', (byte)'B', (byte)'N', (byte)'D',
                                 (byte)'L', (byte)'\n' },
                    File.ReadAllBytes(path).Take(8).ToArray());
    using (BundleFile file = BundleFile.Open(path)) {
      Assert.AreEqual(3, file.Count);
      Assert.AreEqual(new[] { "w", "f16", "i" }, file.Keys.ToArray());
      Assert.IsTrue(file.Contains("f16"));
      Assert.IsFalse(file.Contains("x"));
      Assert.IsFalse(file.IsFloat("w"));
      Assert.IsTrue(file.IsFloat("f16"));
      Assert.AreEqual(new long[] { 3, 4 }, file.Shape("w"));
      Assert.AreEqual(new long[] { 3 }, file.Shape("f16"));
      Assert.AreEqual(DType.QUInt8, file.DType("w"));
      Assert.AreEqual(DType.QInt32, file.DType("i"));
      Assert.AreEqual(FloatDType.Float16, file.FloatDType("f16"));
      using (Quantizer quantizer = file.Quantizer("w")) {
        Assert.AreEqual(Scales, quantizer.Scales);
        Assert.AreEqual(new long[] { 0, 128, 255 }, quantizer.ZeroPoints);
        Assert.AreEqual(0, quantizer.Axis);
      }
      using (Quantizer quantizer = file.Quantizer("i")) {
        Assert.AreEqual(0.001, quantizer.Scale);
        Assert.AreEqual(-7, quantizer.ZeroPoint);
      }
      foreach (string name in file.Keys) Assert.AreEqual(0, file.PayloadOffset(name) % 64, name);
      Assert.AreEqual(12, file.PayloadLength("w"));
      Assert.AreEqual(6, file.PayloadLength("f16"));
      Assert.AreEqual(16, file.PayloadLength("i"));
      Assert.AreEqual(2, file.Metadata.Count);
      Assert.AreEqual(new[] { "format", "writer" }, file.Metadata.Keys.ToArray());
      Assert.AreEqual(new[] { "container", "csharp" }, file.Metadata.Values.ToArray());
      Assert.AreEqual("csharp", file.Metadata["writer"]);
      Assert.IsTrue(file.Metadata.ContainsKey("format"));
      string missing;
      Assert.IsFalse(file.Metadata.TryGetValue("missing", out missing));
      Assert.IsNull(missing);
      Assert.AreEqual("BundleFile[w, f16, i]", file.ToString());
      file.Verify();
      file.Verify("w");
    }
  }

  [Test]
  public void MappedTensorsHoldTheWrittenIntegersAndAreReadOnly() {
    using (BundleFile file = BundleFile.Open(WriteSample()))
    using (Tensor expected = PerChannel())
    using (Tensor w = file.Get("w")) {
      Assert.IsTrue(w.IsReadOnly);
      Assert.IsFalse(expected.IsReadOnly);
      Assert.AreEqual(expected.IntRepr<byte>(), w.IntRepr<byte>());
      Assert.AreEqual(Scales, w.QPerChannelScales);
      Assert.AreEqual(expected.Dequantize(), w.Dequantize());
      Assert.Throws<QTensorArgumentException>(() => w.Fill(1f));
      using (Tensor row = w[1]) {
        Assert.IsTrue(row.IsReadOnly);
        Assert.Throws<QTensorArgumentException>(() => row.ReluInPlace());
      }
      Assert.AreEqual(expected.IntRepr<byte>(), w.IntRepr<byte>());
      using (Tensor copy = w.Clone()) {
        Assert.IsFalse(copy.IsReadOnly);
        copy.Fill(0f);
        using (Tensor row = copy[0]) Assert.AreEqual(new byte[4], row.IntRepr<byte>());
      }
      Assert.Throws<QTensorTypeException>(() => file.Get("f16"));
    }
  }

  [Test]
  public void ReadPayloadGivesTheStoredBytes() {
    using (BundleFile file = BundleFile.Open(WriteSample()))
    using (Tensor w = PerChannel())
    using (Tensor i = Wide()) {
      Assert.AreEqual(w.IntRepr<byte>(), file.ReadPayload("w"));
      Assert.AreEqual(new[] { 9993, -25007, -4, -7 }, i.IntRepr<int>());
      byte[] wide = file.ReadPayload("i");
      Assert.AreEqual(16, wide.Length);
      Assert.AreEqual(i.IntRepr<int>(),
                      Enumerable.Range(0, 4).Select(k => BitConverter.ToInt32(wide, 4 * k)));
      Assert.AreEqual(F16, file.ReadPayload("f16"));
    }
  }

  [Test]
  public void TensorsOutliveTheDisposedFile() {
    string path = WriteSample();
    Tensor w;
    Bundle selected;
    using (BundleFile file = BundleFile.Open(path)) {
      w = file.Get("w");
      selected = file.Select("f16", "w");
    }
    using (Tensor expected = PerChannel())
    using (w)
    using (selected) {
      Assert.AreEqual(expected.IntRepr<byte>(), w.IntRepr<byte>());
      Assert.AreEqual(new[] { "f16", "w" }, selected.Keys.ToArray());
      Assert.AreEqual(F16, selected.FloatData("f16"));
      Assert.AreEqual("container", selected.Metadata["format"]);
      using (Tensor again = selected["w"]) {
        Assert.IsTrue(again.IsReadOnly);
        Assert.AreEqual(expected.IntRepr<byte>(), again.IntRepr<byte>());
      }
    }
    using (BundleFile file = BundleFile.Open(path))
    using (Bundle all = file.ToBundle()) {
      Assert.AreEqual(new[] { "w", "f16", "i" }, all.Keys.ToArray());
      Assert.AreEqual(new[] { "format", "writer" }, all.Metadata.Keys.ToArray());
    }
  }

  [Test]
  public void VerifyFindsAFlippedPayloadByte() {
    string path = WriteSample();
    long offset;
    using (BundleFile file = BundleFile.Open(path)) offset = file.PayloadOffset("i") + 5;
    byte[] bytes = File.ReadAllBytes(path);
    bytes[offset] ^= 0x01;
    File.WriteAllBytes(path, bytes);
    using (BundleFile file = BundleFile.Open(path)) {
      file.Verify("w");
      file.Verify("f16");
      var one = Assert.Throws<QTensorCorruptDataException>(() => file.Verify("i"));
      StringAssert.Contains("\"i\"", one.Message);
      Assert.Throws<QTensorCorruptDataException>(() => file.Verify());
    }
  }

  [Test]
  public void AFileTruncatedWhileMappedReadsZerosInsteadOfEndingTheProcess() {
    string path = Path.Combine(directory, "cut.qtc");
    float[] values = Enumerable.Range(0, 65536).Select(i => (i % 250 + 1) * 0.5f).ToArray();
    using (BundleWriter writer = BundleWriter.Open(path))
    using (Tensor big = Tensor.QuantizePerTensor(values, new long[] { values.Length }, 0.5, 0,
                                                 DType.QUInt8)) {
      writer.Add("big", big);  // 64 KiB: 16 pages
      writer.Finish();
    }
    using (BundleFile file = BundleFile.Open(path))
    using (Tensor mapped = file.Get("big")) {
      long offset = file.PayloadOffset("big");
      using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write)) {
        stream.SetLength(offset + 16384);  // another writer cuts the file
      }
      byte[] integers = mapped.IntRepr<byte>();  // a SIGBUS the library handles
      Assert.AreEqual(values.Length, integers.Length);
      Assert.AreEqual(1, integers[0]);
      Assert.AreEqual(0, integers[values.Length - 1]);
      Assert.Throws<QTensorCorruptDataException>(() => file.Verify());
      Assert.Throws<QTensorCorruptDataException>(() => file.Get("big").Dispose());
    }
  }

  [Test]
  public void AnAbandonedWriterLeavesNoFile() {
    string path = Path.Combine(directory, "abandoned.qtc");
    using (BundleWriter writer = BundleWriter.Open(path))
    using (Tensor w = PerChannel()) {
      writer.Add("w", w);
    }
    Assert.IsEmpty(Directory.GetFileSystemEntries(directory));
    File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
    using (BundleWriter writer = BundleWriter.Open(path))
    using (Tensor w = PerChannel()) {
      writer.Add("w", w);
    }
    Assert.AreEqual(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
  }

  [Test]
  public void SaveContainerAndSaveMessageWriteTheTwoForms() {
    string container = Path.Combine(directory, "c.qtb");
    string message = Path.Combine(directory, "m.qtb");
    string saved = Path.Combine(directory, "s.qtb");
    using (var bundle = new Bundle())
    using (Tensor w = PerChannel()) {
      bundle["w"] = w;
      bundle.Metadata["k"] = "v";
      bundle.SaveContainer(container);
      bundle.SaveMessage(message);
      bundle.Save(saved);
    }
    Assert.AreEqual(0x89, File.ReadAllBytes(container)[0]);
    Assert.AreEqual(0x89, File.ReadAllBytes(saved)[0]);
    Assert.AreEqual(0x0a, File.ReadAllBytes(message)[0]);
    using (Bundle fromContainer = Bundle.Load(container))
    using (Bundle fromMessage = Bundle.Load(message))
    using (Tensor a = fromContainer["w"])
    using (Tensor b = fromMessage["w"]) {
      Assert.IsTrue(a.IsReadOnly);
      Assert.IsFalse(b.IsReadOnly);
      Assert.AreEqual(a.IntRepr<byte>(), b.IntRepr<byte>());
      Assert.AreEqual("v", fromMessage.Metadata["k"]);
    }
    Assert.Throws<QTensorCorruptDataException>(() => BundleFile.Open(message));
  }

  [Test]
  public void BadInputIsRefusedWithTheRightException() {
    string path = WriteSample();
    using (BundleFile file = BundleFile.Open(path)) {
      Assert.AreEqual("name", Assert.Throws<ArgumentNullException>(() => file.Get(null)).ParamName);
      Assert.Throws<ArgumentNullException>(() => file.Select("w", null));
      Assert.Throws<ArgumentNullException>(() => file.Select(null));
      Assert.AreEqual("name",
                      Assert.Throws<ArgumentException>(() => file.Get("w\0")).ParamName);
      Assert.Throws<ArgumentException>(() => file.Shape("\ud800"));
      Assert.Throws<ArgumentException>(() => file.Select("w", "\udc00x"));
      Assert.Throws<QTensorKeyNotFoundException>(() => file.Get("missing"));
      Assert.Throws<QTensorKeyNotFoundException>(() => file.ReadPayload("missing"));
      Assert.Throws<QTensorKeyNotFoundException>(() => file.Select("w", "missing"));
      Assert.Throws<QTensorKeyNotFoundException>(() => { string v = file.Metadata["missing"]; });
      Assert.Throws<QTensorArgumentException>(() => file.Select("w", "w"));
      Assert.Throws<QTensorTypeException>(() => file.DType("f16"));
      Assert.Throws<QTensorTypeException>(() => file.FloatDType("w"));
    }
    Assert.Throws<QTensorIOException>(() => BundleFile.Open(Path.Combine(directory, "no.qtc")));
    string garbage = Path.Combine(directory, "garbage.qtc");
    File.WriteAllBytes(garbage, new byte[] { 0x89, (byte)'Q', (byte)'T', (byte)'B', (byte)'N',
                                             (byte)'D', (byte)'L', (byte)'\n', 1, 2, 3 });
    Assert.Throws<QTensorCorruptDataException>(() => BundleFile.Open(garbage));
    byte[] whole = File.ReadAllBytes(path);
    string truncated = Path.Combine(directory, "truncated.qtc");
    File.WriteAllBytes(truncated, whole.Take(whole.Length - 1).ToArray());
    Assert.Throws<QTensorCorruptDataException>(() => BundleFile.Open(truncated));

    string output = Path.Combine(directory, "out.qtc");
    using (BundleWriter writer = BundleWriter.Open(output))
    using (Tensor w = PerChannel()) {
      Assert.Throws<ArgumentNullException>(() => writer.Add(null, w));
      Assert.Throws<ArgumentNullException>(() => writer.Add("w", null));
      Assert.Throws<ArgumentException>(() => writer.Add("\ud800", w));
      Assert.Throws<ArgumentException>(() => writer.SetMetadata("k", "v\0"));
      Assert.Throws<QTensorShapeException>(
          () => writer.AddFloat("f", F16, new long[] { 4 }, FloatDType.Float16));
      Assert.Throws<QTensorArgumentException>(() => writer.Add("", w));
      writer.Add("w", w);
      Assert.Throws<QTensorArgumentException>(() => writer.Add("w", w));
    }
    Assert.IsFalse(File.Exists(output));
    Assert.Throws<QTensorIOException>(
        () => BundleWriter.Open(Path.Combine(directory, "no", "such", "x.qtc")));
  }

  [Test]
  public void UseAfterDisposeThrows() {
    BundleFile file = BundleFile.Open(WriteSample());
    BundleFileMetadata metadata = file.Metadata;
    file.Dispose();
    file.Dispose();
    Assert.AreEqual("BundleFile(closed)", file.ToString());
    Assert.Throws<ObjectDisposedException>(() => file.Get("w"));
    Assert.Throws<ObjectDisposedException>(() => { int n = metadata.Count; });
    BundleWriter writer = BundleWriter.Open(Path.Combine(directory, "x.qtc"));
    writer.Dispose();
    writer.Dispose();
    Assert.Throws<ObjectDisposedException>(() => writer.Finish());
  }
}

}  // namespace QTensor.Tests

// Serialize / Deserialize / Save / Load of tensors, and bundles.
using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class SerializationTests : ScratchDirectoryTests {
  static void AssertSameTensor(Tensor expected, Tensor actual) {
    Assert.AreEqual(expected.DType, actual.DType);
    Assert.AreEqual(expected.Shape, actual.Shape);
    Assert.AreEqual(expected.QScheme, actual.QScheme);
    Assert.AreEqual(expected.IntRepr(), actual.IntRepr());
    Assert.AreEqual(expected.ToString(), actual.ToString());
  }

  [Test]
  public void SerializeRoundTripsEveryDType() {
    using (Tensor a = Tensor.QuantizePerTensor(new float[] { -1.6f, 4f, 7f, 3.3f, 6.6f, 8.6f },
                                               new long[] { 2, 3 }, 0.1, 0, DType.QInt8))
    using (Tensor b = Tensor.MakePerTensorQuantized(new byte[] { 66, 95, 39 }, 1e-4, 2))
    using (Tensor c = Tensor.QuantizePerChannel(new float[] { 1f, -2f, 3f, -4f }, new long[] { 2, 2 },
                                                new[] { 0.01, 0.001 }, new long[] { -1, 1 }, 1,
                                                DType.QInt32)) {
      foreach (Tensor original in new[] { a, b, c }) {
        byte[] bytes = original.Serialize();
        Assert.Greater(bytes.Length, 0);
        using (Tensor copy = Tensor.Deserialize(bytes)) AssertSameTensor(original, copy);
      }
      using (Tensor copy = Tensor.Deserialize(c.Serialize())) {
        Assert.AreEqual(new[] { 0.01, 0.001 }, copy.QPerChannelScales);
        Assert.AreEqual(new long[] { -1, 1 }, copy.QPerChannelZeroPoints);
        Assert.AreEqual(1, copy.QPerChannelAxis);
      }
    }
  }

  [Test]
  public void SaveAndLoadAView() {
    string path = Path.Combine(directory, "view.qt");
    using (Tensor q = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2, 3, 4, 5, 6 },
                                                    new long[] { 2, 3 }, 0.5, 1))
    using (Tensor view = q.Transpose(0, 1)) {
      view.Save(path);
      using (Tensor loaded = Tensor.Load(path)) {
        AssertSameTensor(view, loaded);
        Assert.IsTrue(loaded.IsContiguous);
      }
    }
  }

  [Test]
  public void CorruptInputThrows() {
    using (Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 1, 2, 3 }, 1.0, 0)) {
      byte[] bytes = q.Serialize();
      Assert.That(() => Tensor.Deserialize(bytes.Take(bytes.Length - 2).ToArray()),
                  Throws.InstanceOf<QTensorException>());
      Assert.Throws<QTensorCorruptDataException>(() => Tensor.Deserialize(new byte[] { 0xff, 0xff }));
      Assert.Throws<QTensorIOException>(() => Tensor.Load(Path.Combine(directory, "missing.qt")));
    }
  }

  // ONNX models (docs/onnx.md): the integers, parameters, scale types and
  // dequantized bits come back; the rounding is ONNX's.
  [Test]
  public void OnnxRoundTripsBytesAndFiles() {
    string path = Path.Combine(directory, "weights.onnx");
    using (var blocks = Quantizer.PerBlock(new[] { 0.5, 0.25, 0.75, 1.0 }, new long[] { 1, 2, 3, 15 },
                                           1, 3, DType.QUInt4))
    using (var blocks16 = blocks.WithScaleType(ScaleType.Float16))
    using (var channels = Quantizer.PerChannel(new[] { 0.125, 2.0 }, new long[] { -3, 4 }, 0,
                                               DType.QInt8))
    using (var channels32 = channels.WithScaleType(ScaleType.Float32))
    using (Tensor a = Tensor.Quantize(Enumerable.Range(0, 12).Select(i => i * 0.9f).ToArray(),
                                      new long[] { 2, 6 }, blocks16))
    using (Tensor b = Tensor.Quantize(new[] { -1f, 0.37f, 2f, -0.5f, 3f, 9f }, new long[] { 2, 3 },
                                      channels32))
    using (var bundle = new Bundle()) {
      bundle["blocked"] = a;
      bundle["channels"] = b;
      bundle.Metadata["writer"] = "csharp";
      bundle.SaveOnnx(path);
      Assert.AreEqual(bundle.SerializeOnnx(), File.ReadAllBytes(path));
      using (Bundle fromBytes = Bundle.DeserializeOnnx(bundle.SerializeOnnx()))
      using (Bundle fromFile = Bundle.LoadOnnx(path)) {
        foreach (Bundle loaded in new[] { fromBytes, fromFile }) {
          Assert.AreEqual(new[] { "blocked", "channels" }, loaded.Keys);
          Assert.AreEqual("csharp", loaded.Metadata["writer"]);
          foreach (string name in new[] { "blocked", "channels" }) {
            Tensor want = name == "blocked" ? a : b;
            using (Tensor got = loaded[name])
            using (Quantizer q = got.Quantizer)
            using (Quantizer w = want.Quantizer) {
              Assert.AreEqual(want.IntRepr(), got.IntRepr());
              Assert.AreEqual(want.Dequantize(), got.Dequantize());
              Assert.AreEqual(w.ScaleType, q.ScaleType);
              Assert.AreEqual(Rounding.Onnx, q.Rounding);
            }
          }
        }
      }
    }
  }

  [Test]
  public void OnnxRefusalsThrow() {
    using (var bundle = new Bundle())
    using (Tensor q = Tensor.QuantizePerTensor(new[] { 1f }, new long[] { 1 }, 0.1, 0, DType.QInt8)) {
      bundle["w"] = q;
      var refused = Assert.Throws<QTensorArgumentException>(() => bundle.SerializeOnnx());
      StringAssert.Contains("not a float32 value", refused.Message);
    }
    var corrupt = Assert.Throws<QTensorCorruptDataException>(
        () => Bundle.DeserializeOnnx(new byte[] { 8, 10 }));
    Assert.AreEqual("ONNX model ModelProto: has no graph", corrupt.Message);
    Assert.Throws<QTensorIOException>(() => Bundle.LoadOnnx(Path.Combine(directory, "no.onnx")));
  }

  [Test]
  public void BundleIsDictionaryLike() {
    using (var bundle = new Bundle())
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2 }, 0.5, 0))
    using (Tensor b = Tensor.MakePerTensorQuantized(new byte[] { 3 }, 0.25, 1)) {
      Assert.AreEqual(0, bundle.Count);
      bundle.Add("weight", a);
      bundle["bias"] = b;
      Assert.AreEqual(2, bundle.Count);
      Assert.AreEqual(new[] { "weight", "bias" }, bundle.Keys);
      Assert.IsTrue(bundle.ContainsKey("bias"));
      Assert.IsFalse(bundle.ContainsKey("other"));
      Assert.Throws<QTensorArgumentException>(() => bundle.Add("weight", b));
      Assert.Throws<QTensorKeyNotFoundException>(() => { Tensor unused = bundle["other"]; });
      Tensor found;
      Assert.IsFalse(bundle.TryGetValue("other", out found));
      Assert.IsNull(found);
      Assert.IsTrue(bundle.TryGetValue("weight", out found));
      using (found) Assert.AreEqual(new sbyte[] { 1, 2 }, found.IntRepr<sbyte>());
      bundle["weight"] = b;
      Assert.AreEqual(new[] { "weight", "bias" }, bundle.Keys);
      using (Tensor replaced = bundle["weight"]) Assert.AreEqual(DType.QUInt8, replaced.DType);
      Assert.IsTrue(bundle.Remove("weight"));
      Assert.IsFalse(bundle.Remove("weight"));
      Assert.AreEqual(new[] { "bias" }, bundle.Keys);
      string[] enumerated = bundle.Select(pair => {
        using (pair.Value) return pair.Key + "=" + pair.Value.Numel;
      }).ToArray();
      Assert.AreEqual(new[] { "bias=1" }, enumerated);
    }
  }

  [Test]
  public void BundleIndexerByPosition() {
    using (var bundle = new Bundle())
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2 }, 0.5, 0))
    using (Tensor b = Tensor.MakePerTensorQuantized(new byte[] { 3 }, 0.25, 1)) {
      bundle["weight"] = a;
      bundle["bias"] = b;
      using (Tensor first = bundle[0])
      using (Tensor second = bundle[1]) {
        Assert.AreEqual(new sbyte[] { 1, 2 }, first.IntRepr<sbyte>());
        Assert.AreEqual(0.5, first.QScale);
        Assert.IsTrue(first.SharesStorageWith(a));
        Assert.AreEqual(new byte[] { 3 }, second.IntRepr<byte>());
        Assert.AreEqual(1, second.QZeroPoint);
      }
      // Replacing keeps the position; removing moves the later ones up.
      using (Tensor c = Tensor.MakePerTensorQuantized(new int[] { 4 }, 1.0, 0)) {
        bundle["weight"] = c;
        using (Tensor first = bundle[0]) Assert.IsTrue(first.SharesStorageWith(c));
      }
      bundle.Remove("weight");
      using (Tensor first = bundle[0]) {
        Assert.IsTrue(first.SharesStorageWith(b));
        Assert.AreEqual(DType.QUInt8, first.DType);
      }
      var past = Assert.Throws<QTensorIndexException>(() => { Tensor unused = bundle[1]; });
      Assert.AreEqual(Status.OutOfRange, past.Status);
      Assert.AreEqual("index 1 is out of range for 1 tensors", past.Message);
      var negative = Assert.Throws<QTensorIndexException>(() => { Tensor unused = bundle[-1]; });
      Assert.AreEqual("index -1 is out of range for 1 tensors", negative.Message);
      Assert.Throws<QTensorIndexException>(() => { Tensor unused = bundle[int.MinValue]; });
    }
  }

  [Test]
  public void BundleMetadata() {
    using (var bundle = new Bundle()) {
      bundle.Metadata["framework"] = "qtensor";
      bundle.Metadata["writer"] = "csharp";
      bundle.Metadata["framework"] = "qtensor 0.1";
      Assert.AreEqual(2, bundle.Metadata.Count);
      Assert.AreEqual(new[] { "framework", "writer" }, bundle.Metadata.Keys);
      Assert.AreEqual("qtensor 0.1", bundle.Metadata["framework"]);
      Assert.IsTrue(bundle.Metadata.ContainsKey("writer"));
      Assert.IsFalse(bundle.Metadata.ContainsKey("other"));
      Assert.Throws<QTensorKeyNotFoundException>(() => { string unused = bundle.Metadata["other"]; });
      // Strings cross the native boundary as UTF-8.
      bundle.Metadata["auteur"] = "Zoë, 量化";
      using (Bundle copy = Bundle.Deserialize(bundle.Serialize())) {
        Assert.AreEqual("Zoë, 量化", copy.Metadata["auteur"]);
      }
    }
  }

  // Listing and looking up every name and metadata key of a large bundle (a
  // file from a stranger may hold many) within a generous budget: rebuilding
  // the key list per index or per lookup, as Metadata.Keys and ContainsKey
  // once did, takes minutes at this size.
  [Test]
  public void ManyNamesAndMetadataKeysCostLinearTime() {
    const int count = 20000;
    var tensors = new Tensor[7];
    for (int v = 0; v < 7; ++v) {
      tensors[v] = Tensor.QuantizePerTensor(new float[] { v }, new long[0], 1.0, 0, DType.QInt8);
    }
    using (var bundle = new Bundle()) {
      for (int i = count - 1; i >= 0; --i) {
        bundle.Metadata[$"key{i:D6}"] = i.ToString();
        bundle[$"t{i:D6}"] = tensors[i % 7];
      }
      using (Bundle loaded = Bundle.Deserialize(bundle.Serialize())) {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string[] keys = Enumerable.Range(0, count).Select(i => $"key{i:D6}").ToArray();
        Assert.AreEqual(keys, loaded.Metadata.Keys);
        Assert.AreEqual(count, loaded.Metadata.Count);
        Assert.IsTrue(keys.All(key => loaded.Metadata.ContainsKey(key)));
        Assert.IsFalse(loaded.Metadata.ContainsKey("key"));
        Assert.AreEqual("17", loaded.Metadata["key000017"]);
        string[] names = Enumerable.Range(0, count).Reverse().Select(i => $"t{i:D6}").ToArray();
        Assert.AreEqual(names, loaded.Keys);
        Assert.IsTrue(names.All(name => loaded.ContainsKey(name)));
        using (Tensor t = loaded["t000012"]) Assert.AreEqual(5.0f, t.Item());
        Assert.Less(watch.Elapsed.TotalSeconds, 10.0);
      }
    }
    foreach (Tensor t in tensors) t.Dispose();
  }

  [Test]
  public void BundleRoundTripsThroughBytesAndFiles() {
    string path = Path.Combine(directory, "state.qtb");
    using (var bundle = new Bundle())
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2 }, 0.5, 0))
    using (Tensor b = Tensor.QuantizePerChannel(new float[] { 1f, 2f }, new long[] { 2 },
                                                new[] { 0.5, 0.25 }, new long[] { 0, 1 }, 0,
                                                DType.QInt32)) {
      bundle["a"] = a;
      bundle["b"] = b;
      bundle.Metadata["writer"] = "csharp";
      bundle.Save(path);
      using (Bundle fromBytes = Bundle.Deserialize(bundle.Serialize()))
      using (Bundle fromFile = Bundle.Load(path)) {
        foreach (Bundle copy in new[] { fromBytes, fromFile }) {
          Assert.AreEqual(new[] { "a", "b" }, copy.Keys);
          Assert.AreEqual("csharp", copy.Metadata["writer"]);
          using (Tensor copyA = copy["a"]) AssertSameTensor(a, copyA);
          using (Tensor copyB = copy["b"]) AssertSameTensor(b, copyB);
        }
      }
    }
  }
}

}  // namespace QTensor.Tests

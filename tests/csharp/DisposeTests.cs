// IDisposable: disposing twice is harmless; a disposed object prints as
// closed and a disposed quantizer keeps its equality and hash code; every
// other use after dispose throws ObjectDisposedException; other views of the
// storage stay valid.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class DisposeTests {
  // What a disposed object may still do (docs/bindings.md): be disposed
  // again, print, be compared and hashed.
  static readonly string[] StillAllowed = { "Dispose", "ToString", "Equals", "GetHashCode" };

  [Test]
  public void TensorUseAfterDisposeThrows() {
    Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 1, 2, 3 }, 1.0, 0);
    q.Dispose();
    q.Dispose();
    Assert.Throws<ObjectDisposedException>(() => { long unused = q.Numel; });
    Assert.Throws<ObjectDisposedException>(() => q.Dequantize());
    Assert.Throws<ObjectDisposedException>(() => q.IntRepr());
    Assert.Throws<ObjectDisposedException>(() => { Tensor unused = q[0]; });
    Assert.Throws<ObjectDisposedException>(() => q.Fill(1f));
    Assert.Throws<ObjectDisposedException>(() => q.Serialize());
    Assert.Throws<ObjectDisposedException>(() => q.Share());
    Assert.Throws<ObjectDisposedException>(() => { Quantizer unused = q.Quantizer; });
  }

  [Test]
  public void DisposedObjectsPrintAsClosed() {
    Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 1, 2, 3 }, 1.0, 0);
    Quantizer quantizer = Quantizer.PerTensor(0.5, 3, DType.QInt8);
    var bundle = new Bundle();
    bundle["weight"] = q;
    bundle["bias"] = q;
    StringAssert.StartsWith("tensor([1., 2., 3.]", q.ToString());
    Assert.AreEqual("Quantizer(dtype=QInt8, per_tensor_affine, scale=0.5, zero_point=3)",
                    quantizer.ToString());
    Assert.AreEqual("Bundle[weight, bias]", bundle.ToString());
    q.Dispose();
    quantizer.Dispose();
    bundle.Dispose();
    Assert.AreEqual("Tensor(closed)", q.ToString());
    Assert.AreEqual("Quantizer(closed)", quantizer.ToString());
    Assert.AreEqual("Bundle(closed)", bundle.ToString());
    Assert.AreEqual("Tensor(closed) Quantizer(closed) Bundle(closed)",
                    $"{q} {quantizer} {bundle}");
  }

  // A quantizer's hash code is computed once: a disposed one is still found
  // in the hash set that holds it, and equals only itself.
  [Test]
  public void DisposedQuantizerStaysInItsHashSet() {
    Quantizer quantizer = Quantizer.PerTensor(0.5, 1, DType.QInt8);
    using (Quantizer twin = Quantizer.PerTensor(0.5, 1, DType.QInt8)) {
      var set = new HashSet<Quantizer> { quantizer };
      int hash = quantizer.GetHashCode();
      Assert.IsTrue(set.Contains(twin));
      quantizer.Dispose();
      Assert.AreEqual(hash, quantizer.GetHashCode());
      Assert.IsTrue(set.Contains(quantizer));
      Assert.IsFalse(set.Contains(twin));
      Assert.IsTrue(quantizer.Equals(quantizer));
      Assert.IsTrue(quantizer.Equals((object)quantizer));
      Assert.IsFalse(quantizer.Equals(twin));
      Assert.IsFalse(twin.Equals(quantizer));
      Assert.IsFalse(quantizer.Equals(null));
      Assert.IsTrue(set.Remove(quantizer));
      Assert.AreEqual(0, set.Count);
    }
  }

  // Equal open quantizers are equal with equal hash codes, per tensor and
  // per channel; a quantizer read twice from a tensor equals itself.
  [Test]
  public void EqualQuantizersHaveEqualHashCodes() {
    using (Quantizer a = Quantizer.PerChannel(new[] { 0.5, 0.25 }, new long[] { 0, 1 }, 1,
                                              DType.QUInt8))
    using (Quantizer b = Quantizer.PerChannel(new[] { 0.5, 0.25 }, new long[] { 0, 1 }, 1,
                                              DType.QUInt8))
    using (Quantizer otherScale = Quantizer.PerChannel(new[] { 0.5, 0.125 }, new long[] { 0, 1 },
                                                       1, DType.QUInt8))
    using (Tensor q = Tensor.QuantizePerTensor(new float[4], new long[] { 4 }, 1e-4, 2,
                                               DType.QInt32))
    using (Quantizer first = q.Quantizer)
    using (Quantizer second = q.Quantizer)
    using (Quantizer made = Quantizer.PerTensor(1e-4, 2, DType.QInt32)) {
      Assert.AreNotSame(a, b);
      Assert.IsTrue(a.Equals(b));
      Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
      Assert.IsFalse(a.Equals(otherScale));
      Assert.IsTrue(first.Equals(second));
      Assert.IsTrue(first.Equals(made));
      Assert.AreEqual(first.GetHashCode(), second.GetHashCode());
      Assert.AreEqual(first.GetHashCode(), made.GetHashCode());
      Assert.AreEqual(1, new HashSet<Quantizer> { first, second, made }.Count);
    }
  }

  // Every public instance member of Tensor, Quantizer, Bundle,
  // BundleMetadata, PackedLinear, PackedConv2d, BundleFile, BundleFileMetadata
  // and BundleWriter but those of StillAllowed throws
  // ObjectDisposedException once its object is disposed (the metadata's once
  // its bundle or file is).
  [Test]
  public void EveryOtherUseOfADisposedObjectThrows() {
    Tensor tensor = Tensor.MakePerTensorQuantized(new sbyte[] { 1 }, 1.0, 0);
    Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8);
    var bundle = new Bundle();
    BundleMetadata metadata = bundle.Metadata;
    PackedLinear packed = PackedLinear.Prepack(tensor.View(1, 1), null);
    var one = new long[] { 1, 1 };
    PackedConv2d conv = PackedConv2d.Prepack(tensor.View(1, 1, 1, 1), null, one, new long[2], one,
                                             1);
    string container = TemporaryContainer();
    BundleFile file = BundleFile.Open(container);
    BundleFileMetadata fileMetadata = file.Metadata;
    BundleWriter writer = BundleWriter.Open(container + ".w");
    tensor.Dispose();
    quantizer.Dispose();
    bundle.Dispose();
    packed.Dispose();
    conv.Dispose();
    file.Dispose();
    writer.Dispose();
    File.Delete(container);
    var failures = new List<string>();
    int checkedCount = 0;
    using (Tensor open = Tensor.MakePerTensorQuantized(new sbyte[] { 1 }, 1.0, 0))
    using (Quantizer openQuantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8)) {
      foreach (object disposed in new object[] { tensor, quantizer, bundle, metadata, packed,
                                                    conv, file, fileMetadata, writer }) {
        foreach (MethodInfo method in PublicApi.InstanceMethods(disposed.GetType())) {
          if (StillAllowed.Contains(method.Name)) continue;
          ++checkedCount;
          Exception thrown = PublicApi.Thrown(method, disposed,
                                              PublicApi.Samples(method, open, openQuantizer));
          if (!(thrown is ObjectDisposedException)) {
            failures.Add(PublicApi.Describe(method) + ": " +
                         (thrown?.GetType().Name ?? "no exception"));
          }
        }
      }
    }
    Assert.IsEmpty(failures, string.Join("\n", failures));
    Assert.GreaterOrEqual(checkedCount, 60);
  }

  // An empty container in a new file under the temporary directory.
  static string TemporaryContainer() {
    string path =
        Path.Combine(Path.GetTempPath(), "qtensor-dispose-" + Guid.NewGuid().ToString("N") + ".qtc");
    using (var empty = new Bundle()) empty.SaveContainer(path);
    return path;
  }

  // Every public member taking a Tensor, Quantizer, PackedLinear or
  // PackedConv2d throws
  // ObjectDisposedException for a disposed one (Quantizer.Equals excepted).
  [Test]
  public void DisposedArgumentsThrow() {
    Tensor disposedTensor = Tensor.MakePerTensorQuantized(new sbyte[] { 1 }, 1.0, 0);
    Quantizer disposedQuantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8);
    PackedLinear disposedPacked = PackedLinear.Prepack(disposedTensor.View(1, 1), null);
    var one = new long[] { 1, 1 };
    PackedConv2d disposedConv = PackedConv2d.Prepack(disposedTensor.View(1, 1, 1, 1), null, one,
                                                     new long[2], one, 1);
    disposedTensor.Dispose();
    disposedQuantizer.Dispose();
    disposedPacked.Dispose();
    disposedConv.Dispose();
    var failures = new List<string>();
    var checkedMembers = new List<string>();
    using (Tensor open = Tensor.MakePerTensorQuantized(new sbyte[] { 1 }, 1.0, 0))
    using (Quantizer openQuantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8))
    using (var bundle = new Bundle())
    using (BundleWriter writer = BundleWriter.Open(
               Path.Combine(Path.GetTempPath(), "qtensor-" + Guid.NewGuid().ToString("N")))) {
      var targets = new Dictionary<Type, object> {
        { typeof(Tensor), open }, { typeof(Quantizer), openQuantizer }, { typeof(Bundle), bundle },
        { typeof(BundleMetadata), bundle.Metadata }, { typeof(BundleWriter), writer },
      };
      foreach (MethodBase method in PublicApi.Callables()) {
        if (method.Name == "Equals") continue;
        ParameterInfo[] parameters = method.GetParameters();
        for (int i = 0; i < parameters.Length; ++i) {
          Type type = parameters[i].ParameterType;
          if (type != typeof(Tensor) && type != typeof(Quantizer) && type != typeof(PackedLinear) &&
              type != typeof(PackedConv2d)) {
            continue;
          }
          object[] arguments = PublicApi.Samples(method, open, openQuantizer);
          arguments[i] = type == typeof(Tensor) ? disposedTensor
                         : type == typeof(Quantizer) ? disposedQuantizer
                         : type == typeof(PackedLinear) ? (object)disposedPacked : disposedConv;
          object target = method.IsStatic || method is ConstructorInfo
                              ? null : targets[method.DeclaringType];
          checkedMembers.Add(PublicApi.Describe(method));
          Exception thrown = PublicApi.Thrown(method, target, arguments);
          if (!(thrown is ObjectDisposedException)) {
            failures.Add($"{PublicApi.Describe(method)}, disposed {parameters[i].Name}: " +
                         (thrown?.GetType().Name ?? "no exception"));
          }
        }
      }
      Assert.AreEqual(0, bundle.Count);
    }
    Assert.IsEmpty(failures, string.Join("\n", failures));
    CollectionAssert.IsSubsetOf(new[] {
      "Tensor.Quantize(Single[] data, Int64[] shape, Quantizer quantizer)",
      "Tensor.CopyFrom(Tensor source)", "Tensor.SharesStorageWith(Tensor other)",
      "Bundle.Add(String name, Tensor tensor)", "Bundle.set_Item(String name, Tensor value)",
      "BundleWriter.Add(String name, Tensor tensor)",
      "PackedLinear.Prepack(Tensor weight, Single[] bias)",
      "Tensor.Linear(PackedLinear packed, Double scale, Int64 zeroPoint)",
      "PackedConv2d.Prepack(Tensor weight, Single[] bias, Int64[] stride, Int64[] padding, " +
          "Int64[] dilation, Int64 groups)",
      "Tensor.Conv2d(PackedConv2d packed, Double scale, Int64 zeroPoint)",
    }, checkedMembers);
  }

  // The generated layer guards too: a freed native proxy raises instead of
  // passing NULL to the library.
  [Test]
  public void NativeLayerRejectsAFreedHandle() {
    using (Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 1 }, 1.0, 0)) {
      NativeTensor native = q.Native;
      native.Dispose();
      Assert.Throws<ObjectDisposedException>(() => native.numel());
      Assert.Throws<ObjectDisposedException>(() => native.to_string());
    }
  }

  [Test]
  public void ViewsOutliveTheTensorTheyCameFrom() {
    Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 10, 20, 30 }, 0.5, 0);
    Tensor view = q[1];
    q.Dispose();
    using (view) Assert.AreEqual(10f, view.Item());
  }

  // Disposing either handle of a shared pair leaves the other whole.
  [Test]
  public void DisposingOneSharedHandleLeavesTheOther() {
    Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 10, 20, 30 }, 0.5, 0);
    Tensor shared = q.Share();
    q.Dispose();
    Assert.Throws<ObjectDisposedException>(() => q.Dequantize());
    Assert.AreEqual(new float[] { 5f, 10f, 15f }, shared.Dequantize());
    Tensor again = shared.Share();
    shared.Dispose();
    using (again) {
      Assert.AreEqual(new byte[] { 10, 20, 30 }, again.IntRepr<byte>());
      Assert.AreEqual(0.5, again.QScale);
    }
  }

  [Test]
  public void TensorsTakenFromABundleOutliveIt() {
    Tensor taken;
    using (var bundle = new Bundle())
    using (Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 7 }, 1.0, 0)) {
      bundle["q"] = q;
      taken = bundle["q"];
    }
    using (taken) Assert.AreEqual(new byte[] { 7 }, taken.IntRepr<byte>());
  }
}

}  // namespace QTensor.Tests

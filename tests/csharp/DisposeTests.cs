// IDisposable: disposing twice is harmless; use after dispose throws
// ObjectDisposedException; other views of the storage stay valid.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class DisposeTests {
  [Test]
  public void TensorUseAfterDisposeThrows() {
    Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 1, 2, 3 }, 1.0, 0);
    q.Dispose();
    q.Dispose();
    Assert.Throws<ObjectDisposedException>(() => { long unused = q.Numel; });
    Assert.Throws<ObjectDisposedException>(() => q.Dequantize());
    Assert.Throws<ObjectDisposedException>(() => q.IntRepr());
    Assert.Throws<ObjectDisposedException>(() => q.ToString());
    Assert.Throws<ObjectDisposedException>(() => { Tensor unused = q[0]; });
    Assert.Throws<ObjectDisposedException>(() => q.Fill(1f));
    Assert.Throws<ObjectDisposedException>(() => q.Serialize());
    Assert.Throws<ObjectDisposedException>(() => { Quantizer unused = q.Quantizer; });
  }

  [Test]
  public void DisposedArgumentsThrow() {
    Tensor disposed = Tensor.MakePerTensorQuantized(new byte[] { 1 }, 1.0, 0);
    disposed.Dispose();
    Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8);
    quantizer.Dispose();
    using (Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 1 }, 1.0, 0))
    using (var bundle = new Bundle()) {
      Assert.Throws<ObjectDisposedException>(() => q.CopyFrom(disposed));
      Assert.Throws<ObjectDisposedException>(() => bundle.Add("x", disposed));
      Assert.Throws<ObjectDisposedException>(() => Tensor.EmptyQuantized(new long[] { 1 }, quantizer));
    }
  }

  [Test]
  public void QuantizerAndBundleUseAfterDisposeThrows() {
    Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8);
    quantizer.Dispose();
    quantizer.Dispose();
    Assert.Throws<ObjectDisposedException>(() => { double unused = quantizer.Scale; });
    var bundle = new Bundle();
    bundle.Dispose();
    bundle.Dispose();
    Assert.Throws<ObjectDisposedException>(() => { int unused = bundle.Count; });
    Assert.Throws<ObjectDisposedException>(() => { string unused = bundle.Metadata["k"]; });
    Assert.Throws<ObjectDisposedException>(() => bundle.Serialize());
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

// The span overloads: Quantize, QuantizePerTensor and QuantizePerChannel
// from a ReadOnlySpan<float>, DequantizeTo a Span<float>, CopyFrom a
// ReadOnlySpan<float>; each reads or writes the span's memory in place.
using System;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace QTensor.Tests {

[TestFixture]
public unsafe class SpanTests {
  static readonly float[] Values = { 9f, -1f, 0f, 0.5f, 2f, 9f };

  [Test]
  public void QuantizeFromPartOfAnArrayInPlace() {
    GCHandle pinned = GCHandle.Alloc(Values, GCHandleType.Pinned);
    try {
      using (Tensor q = Tensor.QuantizePerTensor(new ReadOnlySpan<float>(Values, 1, 4),
                                                 new long[] { 2, 2 }, 0.5, 2, DType.QUInt8)) {
        Assert.AreEqual(pinned.AddrOfPinnedObject().ToInt64() + sizeof(float),
                        QTensorNative.LastArrayAddress());
        CollectionAssert.AreEqual(new byte[] { 0, 2, 3, 6 }, q.IntRepr<byte>());
        CollectionAssert.AreEqual(new[] { -1f, 0f, 0.5f, 2f }, q.Dequantize());
      }
    } finally {
      pinned.Free();
    }
  }

  [Test]
  public void QuantizeFromNativeMemory() {
    IntPtr memory = Marshal.AllocHGlobal(3 * sizeof(float));
    try {
      var span = new Span<float>(memory.ToPointer(), 3);
      span[0] = 1f;
      span[1] = -2f;
      span[2] = 3f;
      using (Tensor q = Tensor.QuantizePerChannel((ReadOnlySpan<float>)span, new long[] { 3 },
                                                  new[] { 1.0, 2.0, 0.5 }, new long[] { 0, 1, 2 },
                                                  0, DType.QInt8)) {
        Assert.AreEqual(memory.ToInt64(), QTensorNative.LastArrayAddress());
        CollectionAssert.AreEqual(new sbyte[] { 1, 0, 8 }, q.IntRepr<sbyte>());
      }
      using (Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt32))
      using (Tensor q = Tensor.Quantize((ReadOnlySpan<float>)span, new long[] { 3 }, quantizer)) {
        CollectionAssert.AreEqual(new[] { 1, -2, 3 }, q.IntRepr<int>());
      }
    } finally {
      Marshal.FreeHGlobal(memory);
    }
  }

  [Test]
  public void DequantizeIntoPartOfAnArray() {
    var output = new float[] { 7f, 7f, 7f, 7f, 7f, 7f };
    using (Tensor q = Tensor.QuantizePerTensor(new[] { -1f, 0f, 0.5f, 2f }, new long[] { 4 }, 0.5,
                                               2, DType.QUInt8)) {
      q.DequantizeTo(new Span<float>(output, 1, 4));
      CollectionAssert.AreEqual(new[] { 7f, -1f, 0f, 0.5f, 2f, 7f }, output);
      var error = Assert.Throws<QTensorArgumentException>(
          () => q.DequantizeTo(new Span<float>(output, 0, 3)));
      Assert.AreEqual("the destination holds 3 elements but the tensor has 4", error.Message);
      CollectionAssert.AreEqual(new[] { 7f, -1f, 0f, 0.5f, 2f, 7f }, output);
    }
  }

  [Test]
  public void CopyFromPartOfAnArray() {
    using (Tensor q = Tensor.QuantizePerTensor(new float[3], new long[] { 3 }, 0.5, 2,
                                               DType.QUInt8)) {
      q.CopyFrom(new ReadOnlySpan<float>(Values, 2, 3));
      CollectionAssert.AreEqual(new byte[] { 2, 3, 6 }, q.IntRepr<byte>());
      Assert.Throws<QTensorShapeException>(() => q.CopyFrom(new ReadOnlySpan<float>(Values, 0, 2)));
    }
  }

  // An empty span reaches the library as a null pointer with count 0.
  [Test]
  public void EmptySpans() {
    using (Tensor empty = Tensor.QuantizePerTensor(ReadOnlySpan<float>.Empty, new long[] { 0 }, 1.0,
                                                   0, DType.QInt8)) {
      Assert.AreEqual(0, empty.Numel);
      empty.DequantizeTo(Span<float>.Empty);
      empty.CopyFrom(ReadOnlySpan<float>.Empty);
    }
    Assert.Throws<QTensorShapeException>(
        () => Tensor.QuantizePerTensor(default(ReadOnlySpan<float>), new long[] { 2 }, 1.0, 0,
                                       DType.QInt8));
  }

  [Test]
  public void NullArgumentsNextToASpan() {
    using (Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8)) {
      var error = Assert.Throws<ArgumentNullException>(
          () => Tensor.Quantize(new ReadOnlySpan<float>(Values), null, quantizer));
      Assert.AreEqual("shape", error.ParamName);
      error = Assert.Throws<ArgumentNullException>(
          () => Tensor.Quantize(new ReadOnlySpan<float>(Values), new long[] { 6 }, null));
      Assert.AreEqual("quantizer", error.ParamName);
    }
  }
}

}  // namespace QTensor.Tests

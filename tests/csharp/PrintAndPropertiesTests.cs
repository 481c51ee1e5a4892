// The printed form and the read-only properties of tensors and quantizers.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class PrintAndPropertiesTests {
  static readonly byte[] NotebookInts = { 66, 95, 39, 25, 1, 71, 94, 43, 13, 48 };

  [Test]
  public void ToStringIsTheLibrarysPyTorchStyleString() {
    using (Tensor q = Tensor.MakePerTensorQuantized(NotebookInts, 1e-4, 2)) {
      Assert.AreEqual(
          "tensor([ 6.4000e-03,  9.3000e-03,  3.7000e-03,  2.3000e-03, -1.0000e-04,\n" +
          "         6.9000e-03,  9.2000e-03,  4.1000e-03,  1.1000e-03,  4.6000e-03],\n" +
          "       size=(10,), dtype=qtensor.quint8,\n" +
          "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)",
          q.ToString());
    }
  }

  [Test]
  public void ToStringOfASelectedElement() {
    using (Tensor q = Tensor.MakePerTensorQuantized(NotebookInts, 1e-4, 2))
    using (Tensor first = q[0]) {
      Assert.AreEqual("tensor(0.0064, size=(), dtype=qtensor.quint8,\n" +
                      "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, " +
                      "zero_point=2)",
                      first.ToString());
    }
  }

  [Test]
  public void TensorProperties() {
    using (Tensor q = Tensor.MakePerTensorQuantized(new int[24], new long[] { 2, 3, 4 }, 0.5, 3)) {
      Assert.AreEqual(3, q.Dim);
      Assert.AreEqual(24, q.Numel);
      Assert.AreEqual(new long[] { 2, 3, 4 }, q.Shape);
      Assert.AreEqual(new long[] { 12, 4, 1 }, q.Strides);
      Assert.AreEqual(0, q.StorageOffset);
      Assert.IsTrue(q.IsQuantized);
      Assert.IsTrue(q.IsContiguous);
      Assert.AreEqual(DType.QInt32, q.DType);
      Assert.AreEqual(QScheme.PerTensorAffine, q.QScheme);
      Assert.Throws<QTensorTypeException>(() => { double[] unused = q.QPerChannelScales; });
      Assert.Throws<QTensorTypeException>(() => { long unused = q.QPerChannelAxis; });
      using (Tensor row = q[1]) Assert.AreEqual(12, row.StorageOffset);
    }
  }

  // The view's own channel count: its channel dim's size, 1 per tensor.
  [Test]
  public void QNumChannels() {
    using (Tensor q = Tensor.QuantizePerChannel(new float[24], new long[] { 2, 3, 4 },
                                                new[] { 0.5, 0.25, 0.125 }, new long[] { 0, 1, 2 },
                                                1, DType.QInt8))
    using (Tensor narrowed = q.Narrow(1, 1, 2))
    using (Tensor selected = q.Select(1, 2))
    using (Tensor perTensor = Tensor.MakePerTensorQuantized(new byte[6], 1.0, 0)) {
      Assert.AreEqual(3, q.QNumChannels);
      Assert.AreEqual(2, narrowed.QNumChannels);
      Assert.AreEqual(new[] { 0.25, 0.125 }, narrowed.QPerChannelScales);
      Assert.AreEqual(QScheme.PerTensorAffine, selected.QScheme);
      Assert.AreEqual(1, selected.QNumChannels);
      Assert.AreEqual(1, perTensor.QNumChannels);
    }
  }

  [Test]
  public void PerTensorQuantizer() {
    using (Quantizer quantizer = Quantizer.PerTensor(0.02, 7, DType.QUInt8)) {
      Assert.AreEqual(DType.QUInt8, quantizer.DType);
      Assert.AreEqual(QScheme.PerTensorAffine, quantizer.QScheme);
      Assert.AreEqual(0.02, quantizer.Scale);
      Assert.AreEqual(7, quantizer.ZeroPoint);
      Assert.AreEqual(1, quantizer.NumChannels);
      Assert.AreEqual(new[] { 0.02 }, quantizer.Scales);
      Assert.AreEqual(new long[] { 7 }, quantizer.ZeroPoints);
      Assert.AreEqual("Quantizer(dtype=QUInt8, per_tensor_affine, scale=0.02, zero_point=7)",
                      quantizer.ToString());
      Assert.Throws<QTensorTypeException>(() => { long unused = quantizer.Axis; });
    }
  }

  [Test]
  public void PerChannelQuantizer() {
    using (Quantizer quantizer = Quantizer.PerChannel(new[] { 0.1, 0.01, 0.001 },
                                                      new long[] { -1, 0, 1 }, 2, DType.QInt32)) {
      Assert.AreEqual(QScheme.PerChannelAffine, quantizer.QScheme);
      Assert.AreEqual(new[] { 0.1, 0.01, 0.001 }, quantizer.Scales);
      Assert.AreEqual(new long[] { -1, 0, 1 }, quantizer.ZeroPoints);
      Assert.AreEqual(2, quantizer.Axis);
      Assert.AreEqual(3, quantizer.NumChannels);
      Assert.Throws<QTensorTypeException>(() => { double unused = quantizer.Scale; });
    }
  }

  [Test]
  public void QuantizerEquality() {
    using (Quantizer a = Quantizer.PerTensor(0.5, 1, DType.QInt8))
    using (Quantizer b = Quantizer.PerTensor(0.5, 1, DType.QInt8))
    using (Quantizer c = Quantizer.PerTensor(0.5, 2, DType.QInt8)) {
      Assert.IsTrue(a.Equals(b));
      Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
      Assert.IsFalse(a.Equals(c));
      Assert.IsFalse(a.Equals(null));
    }
  }

  [Test]
  public void TensorQuantizerIsTheViewsEffectiveQuantizer() {
    using (Tensor q = Tensor.QuantizePerChannel(new float[6], new long[] { 2, 3 },
                                                new[] { 0.5, 0.25, 0.125 }, new long[] { 1, 2, 3 },
                                                1, DType.QInt8))
    using (Tensor transposed = q.Transpose(0, 1))
    using (Quantizer quantizer = transposed.Quantizer) {
      Assert.AreEqual(0, quantizer.Axis);
      Assert.AreEqual(new[] { 0.5, 0.25, 0.125 }, quantizer.Scales);
      Assert.AreEqual(new long[] { 1, 2, 3 }, quantizer.ZeroPoints);
      Assert.AreEqual(new sbyte[] { 1, 1, 2, 2, 3, 3 }, transposed.IntRepr<sbyte>());
    }
  }
}

}  // namespace QTensor.Tests

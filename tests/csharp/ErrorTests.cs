// Bad input throws the documented exception type; nothing crashes.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class ErrorTests {
  static Tensor Small() => Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2, 3, 4, 5, 6 },
                                                         new long[] { 2, 3 }, 0.5, 0);

  [Test]
  public void BadQuantizerParameters() {
    var bad = Assert.Throws<QTensorArgumentException>(
        () => Quantizer.PerTensor(0.0, 0, DType.QInt8));
    Assert.AreEqual(Status.InvalidArgument, bad.Status);
    StringAssert.Contains("scale", bad.Message);
    Assert.Throws<QTensorArgumentException>(() => Quantizer.PerTensor(double.NaN, 0, DType.QInt8));
    Assert.Throws<QTensorArgumentException>(() => Quantizer.PerTensor(1.0, 256, DType.QUInt8));
    Assert.Throws<QTensorArgumentException>(() => Quantizer.PerTensor(1.0, -129, DType.QInt8));
    Assert.Throws<QTensorArgumentException>(() => Quantizer.PerTensor(1.0, 0, (DType)42));
    Assert.Throws<QTensorArgumentException>(
        () => Quantizer.PerChannel(new[] { 1.0, 2.0 }, new long[] { 0 }, 0, DType.QInt8));
    Assert.Throws<QTensorArgumentException>(
        () => Quantizer.PerChannel(new[] { 1.0, -2.0 }, new long[] { 0, 0 }, 0, DType.QInt8));
  }

  [Test]
  public void QuantizeErrors() {
    Assert.Throws<QTensorShapeException>(
        () => Tensor.QuantizePerTensor(new float[5], new long[] { 2, 3 }, 0.1, 0, DType.QInt8));
    Assert.Throws<QTensorArgumentException>(
        () => Tensor.QuantizePerTensor(new float[6], new long[] { 2, 3 }, -0.1, 0, DType.QInt8));
    // Per-channel: 2 channels given for a dim of 3; axis out of range.
    Assert.That(() => Tensor.QuantizePerChannel(new float[6], new long[] { 2, 3 }, new[] { 1.0, 1.0 },
                                                new long[] { 0, 0 }, 1, DType.QInt8),
                Throws.InstanceOf<QTensorException>());
    Assert.That(() => Tensor.QuantizePerChannel(new float[6], new long[] { 2, 3 }, new[] { 1.0, 1.0 },
                                                new long[] { 0, 0 }, 5, DType.QInt8),
                Throws.InstanceOf<QTensorException>());
    Assert.That(() => Tensor.QuantizePerTensor(new float[0], new long[] { -1 }, 1, 0, DType.QInt8),
                Throws.InstanceOf<QTensorException>());
  }

  [Test]
  public void FromIntReprChecksTheArrayType() {
    using (Quantizer int32 = Quantizer.PerTensor(1.0, 0, DType.QInt32)) {
      var bad = Assert.Throws<QTensorTypeException>(
          () => Tensor.FromIntRepr(new byte[8], new long[] { 2 }, int32));
      StringAssert.Contains("Int32[]", bad.Message);
      Assert.Throws<QTensorTypeException>(
          () => Tensor.FromIntRepr(new sbyte[2], new long[] { 2 }, int32));
      Assert.That(() => Tensor.FromIntRepr(new int[3], new long[] { 2 }, int32),
                  Throws.InstanceOf<QTensorException>());
    }
  }

  [Test]
  public void IndexErrors() {
    using (Tensor q = Small()) {
      Assert.Throws<QTensorIndexException>(() => q.Select(0, 2));
      Assert.Throws<QTensorIndexException>(() => q.Select(2, 0));
      Assert.Throws<QTensorIndexException>(() => { Tensor unused = q[-3]; });
      Assert.Throws<QTensorIndexException>(() => q.Narrow(1, 2, 2));
      Assert.Throws<QTensorIndexException>(() => q.Transpose(0, 2));
      Assert.Throws<QTensorArgumentException>(() => q.Slice(1, 0, 2, 0));
      Assert.That(() => q.Permute(0, 0), Throws.InstanceOf<QTensorException>());
      Assert.That(() => q.Permute(0), Throws.InstanceOf<QTensorException>());
      Assert.Throws<QTensorIndexException>(() => q.GetValue(0, 3));
    }
  }

  [Test]
  public void PerTensorGettersOfPerChannelTensors() {
    using (Tensor q = Tensor.QuantizePerChannel(new float[2], new long[] { 2 }, new[] { 1.0, 2.0 },
                                                new long[] { 0, 0 }, 0, DType.QInt8)) {
      Assert.Throws<QTensorTypeException>(() => { double unused = q.QScale; });
      Assert.Throws<QTensorTypeException>(() => { long unused = q.QZeroPoint; });
    }
  }

  [Test]
  public void NullArgumentsThrowArgumentNullException() {
    using (Tensor q = Small())
    using (Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8))
    using (var bundle = new Bundle()) {
      Assert.Throws<ArgumentNullException>(
          () => Tensor.QuantizePerTensor(null, new long[] { 1 }, 1, 0, DType.QInt8));
      Assert.Throws<ArgumentNullException>(
          () => Tensor.QuantizePerTensor(new float[1], null, 1, 0, DType.QInt8));
      Assert.Throws<ArgumentNullException>(() => Tensor.Quantize(new float[1], new long[] { 1 }, null));
      Assert.Throws<ArgumentNullException>(() => Tensor.EmptyQuantized(null, quantizer));
      Assert.Throws<ArgumentNullException>(
          () => Tensor.FromIntRepr((sbyte[])null, new long[] { 1 }, quantizer));
      Assert.Throws<ArgumentNullException>(() => Tensor.MakePerTensorQuantized((byte[])null, 1, 0));
      Assert.Throws<ArgumentNullException>(
          () => Quantizer.PerChannel(null, new long[0], 0, DType.QInt8));
      Assert.Throws<ArgumentNullException>(() => q.CopyFrom((Tensor)null));
      Assert.Throws<ArgumentNullException>(() => q.CopyFrom((float[])null));
      Assert.Throws<ArgumentNullException>(() => q.SetValue(null, 1f));
      Assert.Throws<ArgumentNullException>(() => q.GetValue(null));
      Assert.Throws<ArgumentNullException>(() => q.Permute(null));
      Assert.Throws<ArgumentNullException>(() => q.SharesStorageWith(null));
      Assert.Throws<ArgumentNullException>(() => q.DequantizeTo(null));
      Assert.Throws<ArgumentNullException>(() => q.IntReprTo<sbyte>(null));
      Assert.Throws<ArgumentNullException>(() => q.Save(null));
      Assert.Throws<ArgumentNullException>(() => Tensor.Load(null));
      Assert.Throws<ArgumentNullException>(() => Tensor.Deserialize(null));
      Assert.Throws<ArgumentNullException>(() => bundle.Add(null, q));
      Assert.Throws<ArgumentNullException>(() => bundle.Add("a", null));
      Assert.Throws<ArgumentNullException>(() => bundle.ContainsKey(null));
      Assert.Throws<ArgumentNullException>(() => { bundle.Metadata["k"] = null; });
      Assert.Throws<ArgumentNullException>(() => Bundle.Deserialize(null));
    }
  }

  [Test]
  public void ExceptionsShareOneBaseType() {
    Exception[] thrown = {
      Assert.Catch(() => Quantizer.PerTensor(-1, 0, DType.QInt8)),
      Assert.Catch(() => { using (Tensor q = Small()) q.Select(5, 0); }),
      Assert.Catch(() => Tensor.QuantizePerTensor(new float[2], new long[] { 3 }, 1, 0, DType.QInt8)),
      Assert.Catch(() => Tensor.Load("/nonexistent/directory/file.qt")),
      Assert.Catch(() => Tensor.Deserialize(new byte[] { 1, 2, 3, 4, 5 })),
    };
    foreach (Exception exception in thrown) {
      Assert.IsInstanceOf<QTensorException>(exception);
      Assert.IsNotEmpty(exception.Message);
    }
    Assert.IsInstanceOf<QTensorIOException>(thrown[3]);
    Assert.IsInstanceOf<QTensorCorruptDataException>(thrown[4]);
  }
}

}  // namespace QTensor.Tests

// PyTorch's names of dtypes and schemes, and the dtypes' element sizes.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class EnumExtensionsTests {
  [Test]
  public void DTypeTorchNames() {
    Assert.AreEqual("qint8", DType.QInt8.TorchName());
    Assert.AreEqual("quint8", DType.QUInt8.TorchName());
    Assert.AreEqual("qint32", DType.QInt32.TorchName());
  }

  [Test]
  public void DTypeItemSizes() {
    Assert.AreEqual(1, DType.QInt8.ItemSize());
    Assert.AreEqual(1, DType.QUInt8.ItemSize());
    Assert.AreEqual(4, DType.QInt32.ItemSize());
  }

  [Test]
  public void QSchemeTorchNames() {
    Assert.AreEqual("per_tensor_affine", QScheme.PerTensorAffine.TorchName());
    Assert.AreEqual("per_channel_affine", QScheme.PerChannelAffine.TorchName());
  }

  // The names are the ones the printed form uses.
  [Test]
  public void TheNamesAreThePrintedOnes() {
    using (Tensor q = Tensor.MakePerTensorQuantized(new int[] { 1 }, 1.0, 0)) {
      StringAssert.Contains("dtype=qtensor." + q.DType.TorchName() + ",", q.ToString());
      StringAssert.Contains("quantization_scheme=qtensor." + q.QScheme.TorchName() + ",",
                            q.ToString());
    }
  }

  [Test]
  public void ValuesOutsideTheEnumsThrow() {
    foreach (int value in new[] { 0, 10, -1, int.MaxValue }) {
      var name = Assert.Throws<QTensorArgumentException>(() => ((DType)value).TorchName());
      Assert.AreEqual("unknown dtype", name.Message);
      var size = Assert.Throws<QTensorArgumentException>(() => ((DType)value).ItemSize());
      Assert.AreEqual("unknown dtype", size.Message);
      var bits = Assert.Throws<QTensorArgumentException>(() => ((DType)value).Bits());
      Assert.AreEqual("unknown dtype", bits.Message);
    }
    foreach (int value in new[] { 0, 5, -1 }) {
      var error = Assert.Throws<QTensorArgumentException>(() => ((QScheme)value).TorchName());
      Assert.AreEqual(Status.InvalidArgument, error.Status);
      Assert.AreEqual("unknown qscheme", error.Message);
    }
  }
}

}  // namespace QTensor.Tests

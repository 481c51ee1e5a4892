// MaxPool2d, AvgPool2d and AdaptiveAvgPool2d: integers and parameters of
// known cases (the C++ and Python suites compare them with PyTorch), and
// their errors.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class PoolingTests {
  // quint8, zero point 3: a 1 x 1 x 4 x 4 tensor of integers 0..15.
  static Tensor Sample() {
    var ints = new byte[16];
    for (int i = 0; i < 16; ++i) ints[i] = (byte)i;
    using (var quantizer = Quantizer.PerTensor(0.5, 3, DType.QUInt8)) {
      return Tensor.FromIntRepr(ints, new long[] { 1, 1, 4, 4 }, quantizer);
    }
  }

  [Test]
  public void PoolsKeepTheParameters() {
    using (var q = Sample())
    using (var max = q.MaxPool2d(new long[] { 2 }, null, new long[] { 0 }, new long[] { 1 }, false))
    using (var padded = q.MaxPool2d(new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 },
                                    new long[] { 1, 1 }, true))
    using (var avg = q.AvgPool2d(new long[] { 2 }, null, new long[] { 0 }, false, true, 0))
    using (var divided = q.AvgPool2d(new long[] { 2 }, null, new long[] { 0 }, false, true, 3))
    using (var adaptive = q.AdaptiveAvgPool2d(3, 2)) {
      Assert.AreEqual(new long[] { 1, 1, 2, 2 }, max.Shape);
      Assert.AreEqual(new byte[] { 5, 7, 13, 15 }, max.IntRepr<byte>());
      // Windows from -1, 1 and 3 (ceil mode: the last starts inside the input).
      Assert.AreEqual(new byte[] { 5, 7, 7, 13, 15, 15, 13, 15, 15 }, padded.IntRepr<byte>());
      // (0 + 1 + 4 + 5) / 4 = 2.5 rounds to 2 (even); 12.5 to 12.
      Assert.AreEqual(new byte[] { 2, 4, 10, 12 }, avg.IntRepr<byte>());
      // (sum - 4 * 3) / 3 + 3 for sums 10, 18, 42, 50: 2.33, 5, 13, 15.67.
      Assert.AreEqual(new byte[] { 2, 5, 13, 16 }, divided.IntRepr<byte>());
      // Rows 0-1, 1-2, 2-3 (floor(i * 4 / 3) to ceil((i + 1) * 4 / 3)); columns 0-1, 2-3.
      Assert.AreEqual(new byte[] { 2, 4, 6, 8, 10, 12 }, adaptive.IntRepr<byte>());
      Assert.AreEqual(0.5, avg.QScale);
      Assert.AreEqual(3, adaptive.QZeroPoint);
    }
  }

  [Test]
  public void BadWindowsThrowArgumentExceptions() {
    using (var q = Sample()) {
      Assert.Throws<QTensorArgumentException>(
          () => q.MaxPool2d(new long[] { 3 }, null, new long[] { 2 }, new long[] { 1 }, false));
      Assert.Throws<QTensorArgumentException>(
          () => q.AvgPool2d(new long[] { 0 }, null, new long[] { 0 }, false, true, 0));
      Assert.Throws<QTensorArgumentException>(() => q.AdaptiveAvgPool2d(1, 2, 3));
      Assert.Throws<ArgumentNullException>(
          () => q.MaxPool2d(null, null, new long[] { 0 }, new long[] { 1 }, false));
      Assert.AreEqual((byte)5, q.IntRepr<byte>()[5]);
    }
  }
}

}  // namespace QTensor.Tests

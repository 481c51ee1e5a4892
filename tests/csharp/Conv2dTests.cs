// PackedConv2d and Tensor.Conv2d / Conv2dRelu: PyTorch 1.13's integers for
// the small convolution of tests/c/test_conv2d.c, the settings, weight and
// bias read back, bad input and disposed objects; PackedLinear.LinearDynamic:
// qnnpack's float bits for tests/c/test_linear.c's layer.
using System;
using System.Linq;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class Conv2dTests {
  static readonly long[] InputShape = { 1, 2, 4, 4 };
  static readonly long[] WeightShape = { 3, 2, 3, 3 };
  static readonly float[] Bias = { 0.25f, -0.5f, 1.0f };
  static readonly long[] One = { 1, 1 };
  static readonly long[] Two = { 2, 2 };
  static readonly byte[] Plain = { 68, 40, 12, 0, 157, 195, 61, 144, 80, 112, 157, 206 };
  static readonly byte[] Relu = { 128, 128, 128, 128, 157, 195, 128, 144, 128, 128, 157, 206 };
  static readonly sbyte[] LinearWeight = { 1, -2, 3, 127, -128, 0, 5, 5, 5, -7, 0, 9 };
  static readonly float[] LinearBias = { 0.5f, -1.0f, 0.0f, 2.25f };
  static readonly float[] DynamicInput = { 0.5f, -1.25f, 3.0f, 2.0f, 0.0f, -0.75f };
  // qnnpack's floats, as IEEE bits (tests/c/test_linear.c's hex floats).
  static readonly int[] DynamicBits = { 0x3f3d70a4, 0x405e147a, 0x3e666666, 0x402e147b,
                                        0x3efd70a4, 0x40828f5c, 0x3e000000, 0x3feae148 };

  static readonly sbyte[] WeightInts =
      Enumerable.Range(0, 54).Select(i => (sbyte)((37 * i) % 255 - 127)).ToArray();

  static Tensor MakeInput() => Tensor.MakePerTensorQuantized(
      Enumerable.Range(0, 32).Select(i => (byte)(7 * i)).ToArray(), InputShape, 0.05, 20);

  static Tensor MakeWeight() => Tensor.MakePerTensorQuantized(WeightInts, WeightShape, 0.01, 0);

  static PackedConv2d SmallConv(Tensor weight) =>
      PackedConv2d.Prepack(weight, Bias, Two, One, One, 1);

  [Test]
  public void SmallConvolutionGivesPyTorchsIntegers() {
    using (var x = MakeInput())
    using (var w = MakeWeight())
    using (var packed = SmallConv(w))
    using (var y = x.Conv2d(packed, 0.1, 128))
    using (var relu = x.Conv2dRelu(packed, 0.1, 128)) {
      Assert.AreEqual(new long[] { 1, 3, 2, 2 }, y.Shape);
      Assert.AreEqual(DType.QUInt8, y.DType);
      Assert.AreEqual(0.1, y.QScale);
      Assert.AreEqual(128, y.QZeroPoint);
      Assert.AreEqual(Plain, y.IntRepr<byte>());
      Assert.AreEqual(Relu, relu.IntRepr<byte>());
    }
  }

  [Test]
  public void WeightBiasAndSettingsReadBack() {
    using (var w = MakeWeight())
    using (var packed = PackedConv2d.Prepack(w, Bias, new long[] { 2, 1 }, new long[] { 0, 1 },
                                             new long[] { 1, 2 }, 1)) {
      w.Fill(0f);  // the packed weights are a copy
      using (var back = packed.Weight) {
        Assert.AreEqual(WeightInts, back.IntRepr<sbyte>());
        Assert.AreEqual(WeightShape, back.Shape);
        Assert.AreEqual(0.01, back.QScale);
      }
      Assert.AreEqual(Bias, packed.Bias);
      Assert.AreEqual(new long[] { 2, 1 }, packed.Stride);
      Assert.AreEqual(new long[] { 0, 1 }, packed.Padding);
      Assert.AreEqual(new long[] { 1, 2 }, packed.Dilation);
      Assert.AreEqual(1, packed.Groups);
      Assert.AreEqual("PackedConv2d(Stride=[2, 1], Padding=[0, 1], Dilation=[1, 2], Groups=1)",
                      packed.ToString());
    }
    using (var w = MakeWeight())
    using (var packed = PackedConv2d.Prepack(w, null, One, One, One, 1)) {
      Assert.IsNull(packed.Bias);
    }
  }

  [Test]
  public void BadConvolutionsThrowTheLibrarysExceptions() {
    using (var x = MakeInput())
    using (var w = MakeWeight())
    using (var packed = SmallConv(w))
    using (var threeChannels = Tensor.MakePerTensorQuantized(new byte[48],
                                                             new long[] { 1, 3, 4, 4 }, 0.05, 20))
    using (var wrongDType = Tensor.MakePerTensorQuantized(new byte[54], WeightShape, 0.01, 0)) {
      Assert.Throws<QTensorArgumentException>(
          () => PackedConv2d.Prepack(w, Bias, new long[] { 0, 0 }, One, One, 1));
      Assert.Throws<QTensorArgumentException>(
          () => PackedConv2d.Prepack(w, Bias, One, new long[] { -1, 0 }, One, 1));
      Assert.Throws<QTensorArgumentException>(() => PackedConv2d.Prepack(w, Bias, One, One, One,
                                                                         2));
      var pair = Assert.Throws<QTensorArgumentException>(
          () => PackedConv2d.Prepack(w, Bias, new long[] { 1 }, One, One, 1));
      StringAssert.Contains("2 values", pair.Message);
      Assert.Throws<QTensorArgumentException>(
          () => PackedConv2d.Prepack(w, new[] { 0f, float.NaN, 0f }, One, One, One, 1));
      Assert.Throws<QTensorShapeException>(
          () => PackedConv2d.Prepack(w, new float[2], One, One, One, 1));
      Assert.Throws<QTensorShapeException>(
          () => PackedConv2d.Prepack(w, new float[0], One, One, One, 1));
      Assert.Throws<QTensorTypeException>(
          () => PackedConv2d.Prepack(wrongDType, null, One, One, One, 1));
      Assert.Throws<QTensorShapeException>(() => threeChannels.Conv2d(packed, 0.1, 128));
      Assert.Throws<QTensorArgumentException>(() => x.Conv2d(packed, 0.0, 128));
      Assert.Throws<QTensorArgumentException>(() => x.Conv2dRelu(packed, 0.1, 256));
      Assert.Throws<ArgumentNullException>(() => x.Conv2d(null, 0.1, 128));
      Assert.Throws<ArgumentNullException>(() => PackedConv2d.Prepack(w, Bias, null, One, One, 1));
    }
  }

  [Test]
  public void DisposedPackedConvolutionsThrow() {
    using (var x = MakeInput())
    using (var w = MakeWeight()) {
      var packed = SmallConv(w);
      packed.Dispose();
      packed.Dispose();
      Assert.AreEqual("PackedConv2d(closed)", packed.ToString());
      Assert.Throws<ObjectDisposedException>(() => x.Conv2d(packed, 0.1, 128));
      Assert.Throws<ObjectDisposedException>(() => { long[] unused = packed.Stride; });
      Assert.Throws<ObjectDisposedException>(() => { long unused = packed.Groups; });
      Assert.Throws<ObjectDisposedException>(() => { float[] unused = packed.Bias; });
      Assert.Throws<ObjectDisposedException>(() => { Tensor unused = packed.Weight; });
    }
  }

  [Test]
  public void LinearDynamicGivesQnnpacksFloatBits() {
    using (var w = Tensor.MakePerTensorQuantized(LinearWeight, new long[] { 4, 3 }, 0.02, 0)) {
      var packed = PackedLinear.Prepack(w, LinearBias);
      float[] y = packed.LinearDynamic(DynamicInput, new long[] { 2, 3 });
      Assert.AreEqual(DynamicBits, y.Select(f => BitConverter.ToInt32(BitConverter.GetBytes(f), 0)).ToArray());
      Assert.AreEqual(y, packed.LinearDynamic(DynamicInput, new long[] { 1, 2, 3 }, false));
      float[] nan = (float[])DynamicInput.Clone();
      nan[1] = float.NaN;
      Assert.Throws<QTensorArgumentException>(() => packed.LinearDynamic(nan, new long[] { 2, 3 }));
      Assert.Throws<QTensorShapeException>(
          () => packed.LinearDynamic(DynamicInput, new long[] { 3, 2 }));
      Assert.Throws<QTensorShapeException>(
          () => packed.LinearDynamic(DynamicInput, new long[] { 2, 2 }));
      Assert.Throws<QTensorShapeException>(
          () => packed.LinearDynamic(DynamicInput, new long[] { 1L << 40, 3 }));
      Assert.Throws<ArgumentNullException>(() => packed.LinearDynamic(null, new long[] { 3 }));
      packed.Dispose();
      Assert.Throws<ObjectDisposedException>(
          () => packed.LinearDynamic(DynamicInput, new long[] { 2, 3 }));
    }
  }
}

}  // namespace QTensor.Tests

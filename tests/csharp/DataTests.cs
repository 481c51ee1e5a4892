// Values in and out: Dequantize, IntRepr, Item, GetValue/SetValue, Fill, CopyFrom.
using System;
using System.Runtime.InteropServices;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class DataTests {
  [Test]
  public void IntReprReturnsTheArrayTypeOfTheDType() {
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { -1 }, 1.0, 0))
    using (Tensor b = Tensor.MakePerTensorQuantized(new byte[] { 1 }, 1.0, 0))
    using (Tensor c = Tensor.MakePerTensorQuantized(new int[] { 1 }, 1.0, 0)) {
      Assert.IsInstanceOf<sbyte[]>(a.IntRepr());
      Assert.IsInstanceOf<byte[]>(b.IntRepr());
      Assert.IsInstanceOf<int[]>(c.IntRepr());
      Assert.Throws<QTensorTypeException>(() => a.IntRepr<byte>());
      Assert.Throws<QTensorTypeException>(() => c.IntRepr<long>());
    }
  }

  // The marshaller pins float and integer arrays: the library reads and
  // writes the caller's elements in place.
  [Test]
  public void ArraysAreNotCopied() {
    var values = new float[4096];
    var output = new float[4096];
    var ints = new sbyte[4096];
    GCHandle pinned = GCHandle.Alloc(values, GCHandleType.Pinned);
    GCHandle pinnedOutput = GCHandle.Alloc(output, GCHandleType.Pinned);
    GCHandle pinnedInts = GCHandle.Alloc(ints, GCHandleType.Pinned);
    try {
      using (Tensor q = Tensor.QuantizePerTensor(values, new long[] { 4096 }, 1.0, 0, DType.QInt8)) {
        Assert.AreEqual(pinned.AddrOfPinnedObject().ToInt64(), QTensorNative.LastArrayAddress());
        q.DequantizeTo(output);
        Assert.AreEqual(pinnedOutput.AddrOfPinnedObject().ToInt64(),
                        QTensorNative.LastArrayAddress());
        q.IntReprTo(ints);
        Assert.AreEqual(pinnedInts.AddrOfPinnedObject().ToInt64(),
                        QTensorNative.LastArrayAddress());
      }
    } finally {
      pinned.Free();
      pinnedOutput.Free();
      pinnedInts.Free();
    }
  }

  [Test]
  public void IntReprToWritesIntoTheCallersArrayOfEachDType() {
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { -128, -1, 127 }, 1.0, 0))
    using (Tensor b = Tensor.MakePerTensorQuantized(new byte[] { 0, 200, 255 }, 1.0, 0))
    using (Tensor c = Tensor.MakePerTensorQuantized(new int[] { int.MinValue, 7, int.MaxValue },
                                                    1.0, 0)) {
      var int8 = new sbyte[3];
      a.IntReprTo(int8);
      Assert.AreEqual(new sbyte[] { -128, -1, 127 }, int8);
      var uint8 = new byte[3];
      b.IntReprTo(uint8);
      Assert.AreEqual(new byte[] { 0, 200, 255 }, uint8);
      var int32 = new int[3];
      c.IntReprTo(int32);
      Assert.AreEqual(new int[] { int.MinValue, 7, int.MaxValue }, int32);
    }
  }

  // A view writes its own elements, row-major; a longer array keeps its tail.
  [Test]
  public void IntReprToLeavesTheTailAndRefusesAShortArray() {
    using (Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 1, 2, 3, 4, 5, 6 },
                                                    new long[] { 2, 3 }, 1.0, 0))
    using (Tensor transposed = q.Transpose(0, 1)) {
      byte[] values = { 9, 9, 9, 9, 9, 9, 9, 9 };
      transposed.IntReprTo(values);
      Assert.AreEqual(new byte[] { 1, 4, 2, 5, 3, 6, 9, 9 }, values);
      var shortArray = new byte[] { 9, 9, 9, 9, 9 };
      var error = Assert.Throws<QTensorArgumentException>(() => q.IntReprTo(shortArray));
      Assert.AreEqual(Status.InvalidArgument, error.Status);
      Assert.AreEqual("the destination holds 5 elements but the tensor has 6", error.Message);
      Assert.AreEqual(new byte[] { 9, 9, 9, 9, 9 }, shortArray);
      using (Tensor empty = q.Narrow(0, 0, 0)) {
        var untouched = new byte[0];
        empty.IntReprTo(untouched);
      }
    }
  }

  [Test]
  public void IntReprToOfTheWrongTypeThrows() {
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { 1 }, 1.0, 0))
    using (Tensor b = Tensor.MakePerTensorQuantized(new byte[] { 1 }, 1.0, 0))
    using (Tensor c = Tensor.MakePerTensorQuantized(new int[] { 1 }, 1.0, 0)) {
      var error = Assert.Throws<QTensorTypeException>(() => a.IntReprTo(new byte[1]));
      Assert.AreEqual(Status.TypeMismatch, error.Status);
      Assert.AreEqual("IntReprTo<Byte> does not match dtype QInt8 (use SByte)", error.Message);
      Assert.Throws<QTensorTypeException>(() => a.IntReprTo(new int[1]));
      Assert.Throws<QTensorTypeException>(() => b.IntReprTo(new sbyte[1]));
      Assert.Throws<QTensorTypeException>(() => c.IntReprTo(new uint[1]));
      Assert.Throws<QTensorTypeException>(() => c.IntReprTo(new long[1]));
      // The type is checked before the length.
      Assert.Throws<QTensorTypeException>(() => b.IntReprTo(new int[0]));
    }
  }

  [Test]
  public void DequantizeToLeavesTheTailAndRefusesAShortArray() {
    using (Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 0, 4, 8 }, 0.25, 4)) {
      var values = new float[3];
      q.DequantizeTo(values);
      Assert.AreEqual(new float[] { -1f, 0f, 1f }, values);
      float[] longer = { 7f, 7f, 7f, 7f, 7f };
      q.DequantizeTo(longer);
      Assert.AreEqual(new float[] { -1f, 0f, 1f, 7f, 7f }, longer);
      float[] shortArray = { 7f, 7f };
      var error = Assert.Throws<QTensorArgumentException>(() => q.DequantizeTo(shortArray));
      Assert.AreEqual(Status.InvalidArgument, error.Status);
      Assert.AreEqual("the destination holds 2 elements but the tensor has 3", error.Message);
      Assert.AreEqual(new float[] { 7f, 7f }, shortArray);
    }
  }

  [Test]
  public void SetQuantizesWithTheElementsParameters() {
    using (Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 66, 95, 39, 25 },
                                                    new long[] { 2, 2 }, 1e-4, 2)) {
      q.SetValue(new long[] { 0, 1 }, 0.01f);
      q.SetValue(new long[] { -1, -1 }, 3.5f);
      Assert.AreEqual(new byte[] { 66, (byte)Expected.Quantize(0.01f, 1e-4, 2, DType.QUInt8), 39,
                                   255 },
                      q.IntRepr<byte>());
      Assert.AreEqual(Expected.DequantizePerTensor(255, 1e-4, 2), q.GetValue(1, 1));
      Assert.Throws<QTensorIndexException>(() => q.SetValue(new long[] { 2, 0 }, 1f));
      Assert.Throws<QTensorIndexException>(() => q.SetValue(new long[] { 0 }, 1f));
    }
  }

  [Test]
  public void ItemOfOneElementTensors() {
    using (Tensor q = Tensor.MakePerTensorQuantized(new byte[] { 66, 95 }, 1e-4, 2))
    using (Tensor first = q[0]) {
      Assert.AreEqual(Expected.DequantizePerTensor(66, 1e-4, 2), first.Item());
      Assert.That(() => q.Item(), Throws.InstanceOf<QTensorException>());
    }
  }

  [Test]
  public void FillSetsEveryElementAndReturnsTheTensor() {
    using (Quantizer quantizer = Quantizer.PerTensor(0.1, 0, DType.QInt8))
    using (Tensor q = Tensor.EmptyQuantized(new long[] { 2, 3 }, quantizer)) {
      Assert.AreSame(q, q.Fill(0.25f));
      Assert.AreEqual(new sbyte[] { 2, 2, 2, 2, 2, 2 }, q.IntRepr<sbyte>());
    }
  }

  // The notebook's copy: a whole tensor takes the source's integers and
  // parameters (PyTorch's copy_).
  [Test]
  public void CopyFromAWholeTensorTakesItsParameters() {
    float[] values = { -1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f };
    using (Tensor q1 = Tensor.QuantizePerTensor(values, new long[] { 2, 3 }, 0.1, 0, DType.QInt8))
    using (Quantizer quantizer = Quantizer.PerTensor(1.0, -1, DType.QInt8))
    using (Tensor q2 = Tensor.EmptyQuantized(new long[] { 2, 3 }, quantizer)) {
      Assert.AreSame(q2, q2.CopyFrom(q1));
      Assert.AreEqual(0.1, q2.QScale);
      Assert.AreEqual(0, q2.QZeroPoint);
      Assert.AreEqual(new sbyte[] { -16, 40, 70, 33, 66, 86 }, q2.IntRepr<sbyte>());
      Assert.AreEqual(q1.ToString(), q2.ToString());
    }
  }

  [Test]
  public void CopyFromIntoAPartialViewRequantizes() {
    using (Tensor base1 = Tensor.MakePerTensorQuantized(new sbyte[] { 0, 0, 0, 0 }, 0.5, 0))
    using (Tensor source = Tensor.MakePerTensorQuantized(new sbyte[] { 10, 20 }, 0.1, 0))
    using (Tensor half = base1.Narrow(0, 2, 2)) {
      half.CopyFrom(source);
      Assert.AreEqual(0.5, base1.QScale);
      Assert.AreEqual(new sbyte[] { 0, 0, 2, 4 }, base1.IntRepr<sbyte>());
    }
  }

  [Test]
  public void CopyFromFloatsQuantizesWithTheTensorsParameters() {
    using (Quantizer quantizer = Quantizer.PerTensor(0.5, 10, DType.QUInt8))
    using (Tensor q = Tensor.EmptyQuantized(new long[] { 3 }, quantizer)) {
      q.CopyFrom(new float[] { 1f, -5f, 0.25f });
      Assert.AreEqual(new byte[] { 12, 0, 10 }, q.IntRepr<byte>());
      Assert.Throws<QTensorShapeException>(() => q.CopyFrom(new float[] { 1f }));
    }
  }

  [Test]
  public void CopyFromNeedsEqualShapesAndDTypes() {
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2 }, 1.0, 0))
    using (Tensor b = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2, 3 }, 1.0, 0))
    using (Tensor c = Tensor.MakePerTensorQuantized(new byte[] { 1, 2 }, 1.0, 0)) {
      Assert.Throws<QTensorShapeException>(() => a.CopyFrom(b));
      Assert.Throws<QTensorTypeException>(() => a.CopyFrom(c));
    }
  }
}

}  // namespace QTensor.Tests

// The storage dtypes: QInt16, QUInt16 and the packed QUInt4x2, QUInt2x4, QInt4, QUInt4.
using System;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class StorageDTypeTests {
  static readonly long[] Shape = { 3, 5 };

  // Values packed as the library keeps them: the first in the lowest bits.
  static byte[] Pack(int[] values, int bits) {
    var packed = new byte[(values.Length * bits + 7) / 8];
    int mask = (1 << bits) - 1;
    for (int i = 0; i < values.Length; i++) {
      packed[i * bits / 8] |= (byte)((values[i] & mask) << (i * bits % 8));
    }
    return packed;
  }

  // Fifteen values from low to high and back, covering both ends.
  static int[] Spread(int low, int high) {
    var values = new int[15];
    for (int i = 0; i < values.Length; i++) {
      values[i] = low + (int)((long)(high - low) * ((i * 7) % 15) / 14);
    }
    return values;
  }

  static int[] Ints(Array values) {
    var ints = new int[values.Length];
    for (int i = 0; i < ints.Length; i++) ints[i] = Convert.ToInt32(values.GetValue(i));
    return ints;
  }

  [Test]
  public void DTypesNameTheirStorage() {
    Assert.AreEqual(16, DType.QInt16.Bits());
    Assert.AreEqual(2, DType.QUInt16.ItemSize());
    Assert.AreEqual(4, DType.QUInt4x2.Bits());
    Assert.AreEqual(1, DType.QUInt4x2.ItemSize());
    Assert.AreEqual(2, DType.QUInt2x4.Bits());
    Assert.AreEqual(4, DType.QInt4.Bits());
    Assert.AreEqual(4, DType.QUInt4.Bits());
    Assert.AreEqual(32, DType.QInt32.Bits());
    Assert.AreEqual("quint2x4", DType.QUInt2x4.TorchName());
  }

  [Test]
  public void SixteenBitDTypesTravelAsShortsAndUShorts() {
    int[] signed = Spread(-32768, 32767);
    short[] shorts = Array.ConvertAll(signed, v => (short)v);
    using (var quantizer = Quantizer.PerTensor(0.5, -3, DType.QInt16))
    using (Tensor q = Tensor.FromIntRepr(shorts, Shape, quantizer)) {
      Assert.IsInstanceOf<short[]>(q.IntRepr());
      CollectionAssert.AreEqual(shorts, q.IntRepr<short>());
      CollectionAssert.AreEqual(Array.ConvertAll(signed, v => Expected.DequantizePerTensor(v, 0.5, -3)), q.Dequantize());
      using (Tensor back = Tensor.FromPacked(q.PackedRepr(), Shape, quantizer)) {
        CollectionAssert.AreEqual(shorts, back.IntRepr<short>());
      }
    }
    int[] unsigned = Spread(0, 65535);
    ushort[] ushorts = Array.ConvertAll(unsigned, v => (ushort)v);
    using (var quantizer = Quantizer.PerTensor(0.25, 40000, DType.QUInt16))
    using (Tensor q = Tensor.FromIntRepr(ushorts, Shape, quantizer)) {
      Assert.IsInstanceOf<ushort[]>(q.IntRepr());
      var into = new ushort[16];
      into[15] = 9;
      q.IntReprTo(into);
      Assert.AreEqual(9, into[15]);
      CollectionAssert.AreEqual(ushorts, new ArraySegment<ushort>(into, 0, 15));
      CollectionAssert.AreEqual(Array.ConvertAll(unsigned, v => Expected.DequantizePerTensor(v, 0.25, 40000)),
                                q.Dequantize());
      Assert.AreEqual(30, q.PackedRepr().Length);
    }
  }

  [Test]
  public void PackedDTypesTravelOnePerValueAndPack() {
    foreach (DType dtype in new[] { DType.QUInt4x2, DType.QUInt2x4, DType.QUInt4 }) {
      int[] ints = Spread(0, (1 << dtype.Bits()) - 1);
      byte[] bytes = Array.ConvertAll(ints, v => (byte)v);
      using (var quantizer = Quantizer.PerTensor(0.5, 1, dtype))
      using (Tensor q = Tensor.FromIntRepr(bytes, Shape, quantizer)) {
        Assert.IsInstanceOf<byte[]>(q.IntRepr());
        CollectionAssert.AreEqual(bytes, q.IntRepr<byte>());
        CollectionAssert.AreEqual(Pack(ints, dtype.Bits()), q.PackedRepr());
        using (Tensor back = Tensor.FromPacked(Pack(ints, dtype.Bits()), Shape, quantizer)) {
          CollectionAssert.AreEqual(bytes, back.IntRepr<byte>());
        }
        Assert.Throws<QTensorArgumentException>(
            () => Tensor.FromIntRepr(new byte[] { (byte)(1 << dtype.Bits()) }, new long[] { 1 },
                                     quantizer));
      }
    }
    int[] signed = Spread(-8, 7);
    sbyte[] sbytes = Array.ConvertAll(signed, v => (sbyte)v);
    using (var quantizer = Quantizer.PerTensor(0.5, 0, DType.QInt4))
    using (Tensor q = Tensor.FromIntRepr(sbytes, Shape, quantizer)) {
      Assert.IsInstanceOf<sbyte[]>(q.IntRepr());
      CollectionAssert.AreEqual(sbytes, q.IntRepr<sbyte>());
      CollectionAssert.AreEqual(Pack(signed, 4), q.PackedRepr());
      Assert.Throws<QTensorArgumentException>(
          () => Tensor.FromIntRepr(new sbyte[] { -9 }, new long[] { 1 }, quantizer));
    }
  }

  [Test]
  public void ViewsAtOddOffsetsPackFromTheirFirstValue() {
    int[] ints = Spread(0, 15);
    using (var quantizer = Quantizer.PerTensor(0.5, 0, DType.QUInt4x2))
    using (Tensor q = Tensor.FromIntRepr(Array.ConvertAll(ints, v => (byte)v), Shape, quantizer))
    using (Tensor row = q.Select(0, 1))
    using (Tensor tail = row.Slice(0, 1, 5))
    using (Tensor columns = q.Transpose(0, 1)) {
      int[] expected = { ints[6], ints[7], ints[8], ints[9] };
      Assert.AreEqual(6, tail.StorageOffset);
      CollectionAssert.AreEqual(expected, Ints(tail.IntRepr()));
      CollectionAssert.AreEqual(Pack(expected, 4), tail.PackedRepr());
      var transposed = new int[15];
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 3; j++) transposed[i * 3 + j] = ints[j * 5 + i];
      }
      CollectionAssert.AreEqual(transposed, Ints(columns.IntRepr()));
      CollectionAssert.AreEqual(Pack(transposed, 4), columns.PackedRepr());
      tail.Fill(7.5f);
      CollectionAssert.AreEqual(new[] { ints[5], 15, 15, 15, 15 }, Ints(row.IntRepr()));
      using (Tensor loaded = Tensor.Deserialize(tail.Serialize())) {
        Assert.AreEqual(DType.QUInt4x2, loaded.DType);
        CollectionAssert.AreEqual(new[] { 15, 15, 15, 15 }, Ints(loaded.IntRepr()));
      }
    }
  }

  [Test]
  public void BadInputIsRefused() {
    using (var quantizer = Quantizer.PerTensor(1.0, 0, DType.QUInt4x2)) {
      Assert.Throws<QTensorShapeException>(
          () => Tensor.FromPacked(new byte[3], new long[] { 3 }, quantizer));
      Assert.Throws<QTensorCorruptDataException>(
          () => Tensor.FromPacked(new byte[] { 0x21, 0x13 }, new long[] { 3 }, quantizer));
      var wrongArray = Assert.Throws<QTensorTypeException>(
          () => Tensor.FromIntRepr(new short[] { 1 }, new long[] { 1 }, quantizer));
      Assert.AreEqual("Int16[] does not hold QUInt4x2 integers (use Byte[])", wrongArray.Message);
      using (Tensor q = Tensor.FromPacked(new byte[] { 0x21, 0x03 }, new long[] { 3 }, quantizer))
      using (var uint8 = Quantizer.PerTensor(1.0, 0, DType.QUInt8))
      using (Tensor wide = q.Requantize(uint8))
      using (Tensor relu = wide.Relu()) {
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, q.IntRepr<byte>());
        Assert.Throws<QTensorTypeException>(() => q.Relu());
        Assert.Throws<QTensorTypeException>(() => q.IntRepr<short>());
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, relu.IntRepr<byte>());
      }
    }
  }
}

}  // namespace QTensor.Tests

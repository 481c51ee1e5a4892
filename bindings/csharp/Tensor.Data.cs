// Reading and writing a tensor's values: dequantized floats, the integer
// representation, single elements, fill and copy.
using System;

namespace QTensor {

public sealed partial class Tensor {
  // The dequantized values in row-major order.
  public float[] Dequantize() {
    NativeTensor tensor = Native;
    var values = new float[tensor.numel()];
    tensor.DequantizeInto(values, values.Length);
    return values;
  }

  // Dequantizes into destination, whose length must be Numel.
  public void DequantizeTo(float[] destination) {
    Arguments.NotNull(destination, nameof(destination));
    Native.DequantizeInto(destination, destination.Length);
  }

  // The integers, row-major, in the array type of the dtype: sbyte[] for
  // QInt8, byte[] for QUInt8, int[] for QInt32.
  public Array IntRepr() {
    switch (DType) {
      case DType.QInt8: return IntRepr<sbyte>();
      case DType.QUInt8: return IntRepr<byte>();
      default: return IntRepr<int>();
    }
  }

  // As IntRepr(), typed; T must match the dtype (QTensorTypeException).
  public T[] IntRepr<T>() where T : struct {
    NativeTensor tensor = Native;
    DType dtype = tensor.dtype();
    long count = tensor.numel();
    if (typeof(T) == typeof(sbyte) && dtype == DType.QInt8) {
      var values = new sbyte[count];
      tensor.IntReprInt8(values, count);
      return (T[])(object)values;
    }
    if (typeof(T) == typeof(byte) && dtype == DType.QUInt8) {
      var values = new byte[count];
      tensor.IntReprUInt8(values, count);
      return (T[])(object)values;
    }
    if (typeof(T) == typeof(int) && dtype == DType.QInt32) {
      var values = new int[count];
      tensor.IntReprInt32(values, count);
      return (T[])(object)values;
    }
    throw new QTensorTypeException(
        $"IntRepr<{typeof(T).Name}> does not match dtype {dtype} (use {ElementTypeOf(dtype).Name})");
  }

  // The value of a one-element tensor.
  public float Item() => Native.item();

  // The dequantized value at a full index (negative indices count from the end).
  public float GetValue(params long[] index) {
    Arguments.NotNull(index, nameof(index));
    return Native.At(index, index.Length);
  }

  // Quantizes value with this element's parameters and stores it.
  public void SetValue(long[] index, float value) {
    Arguments.NotNull(index, nameof(index));
    Native.SetAt(index, index.Length, value);
  }

  // Sets every element of this view; returns this tensor.
  public Tensor Fill(float value) {
    Native.fill_(value).Dispose();
    return this;
  }

  // PyTorch's copy_: equal shapes and dtypes. A whole contiguous tensor takes
  // source's integers and quantizer; a partial view requantizes source's
  // values into its own parameters. Returns this tensor.
  public Tensor CopyFrom(Tensor source) {
    NativeTensor from = Arguments.NotNull(source, nameof(source)).Native;
    Native.copy_(from).Dispose();
    return this;
  }

  // Quantizes row-major values (Numel of them) with this tensor's parameters.
  public Tensor CopyFrom(float[] values) {
    Arguments.NotNull(values, nameof(values));
    Native.CopyValues(values, values.Length);
    return this;
  }

  internal static Type ElementTypeOf(DType dtype) {
    switch (dtype) {
      case DType.QInt8: return typeof(sbyte);
      case DType.QUInt8: return typeof(byte);
      default: return typeof(int);
    }
  }
}

}  // namespace QTensor

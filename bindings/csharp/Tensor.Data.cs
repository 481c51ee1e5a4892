// Reading and writing a tensor's values: dequantized floats, the integer
// representation, single elements, fill and copy.
using System;

namespace QTensor {

public sealed partial class Tensor {
  /// <summary>The dequantized values in row-major order (a new array).</summary>
  public float[] Dequantize() {
    NativeTensor tensor = Native;
    var values = new float[tensor.numel()];
    tensor.DequantizeInto(values, values.Length);
    return values;
  }

  /// <summary>
  /// Writes the <see cref="Numel"/> dequantized values, row-major, into the
  /// first <see cref="Numel"/> elements of <paramref name="destination"/>
  /// (pinned: no copy is made); the elements after them are left as they
  /// were. A shorter destination throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public void DequantizeTo(float[] destination) {
    Arguments.NotNull(destination, nameof(destination));
    NativeTensor tensor = Native;
    CheckDestination(destination, tensor.numel());
    tensor.DequantizeInto(destination, destination.LongLength);
  }

  /// <summary>
  /// The integers, row-major, one per value in the array type of the dtype:
  /// sbyte[] for QInt8 and QInt4, byte[] for QUInt8, QUInt4x2, QUInt2x4 and
  /// QUInt4, short[] for QInt16, ushort[] for QUInt16, int[] for QInt32 (a
  /// new array).
  /// </summary>
  public Array IntRepr() {
    Type element = ElementTypeOf(DType);
    if (element == typeof(sbyte)) return IntRepr<sbyte>();
    if (element == typeof(byte)) return IntRepr<byte>();
    if (element == typeof(short)) return IntRepr<short>();
    if (element == typeof(ushort)) return IntRepr<ushort>();
    return IntRepr<int>();
  }

  /// <summary>
  /// The integers in storage form, row-major (a new array): for the packed
  /// dtypes (QUInt4x2, QUInt2x4, QInt4, QUInt4) ceil(numel * bits / 8)
  /// bytes packed from the first value whatever the view's layout, the first
  /// value in the lowest bits and the unused high bits of the last byte 0
  /// (PyTorch 1.13's int_repr() of a quint4x2 tensor gives the same bytes);
  /// for the other dtypes the integers' bytes in the platform's order.
  /// <see cref="FromPacked"/> takes them back.
  /// </summary>
  public byte[] PackedRepr() => Arguments.TakeBytes(Native.PackedReprBytes());

  /// <summary>
  /// As <see cref="IntRepr()"/>, typed; <typeparamref name="T"/> must match
  /// the dtype (else <see cref="QTensorTypeException"/>).
  /// </summary>
  public T[] IntRepr<T>() where T : struct {
    NativeTensor tensor = Native;
    CheckElementType<T>(tensor.dtype(), "IntRepr");
    var values = new T[tensor.numel()];
    IntReprTo(values);
    return values;
  }

  /// <summary>
  /// Writes the <see cref="Numel"/> integers, row-major, into the first
  /// <see cref="Numel"/> elements of <paramref name="destination"/> (pinned:
  /// no copy is made); the elements after them are left as they were.
  /// <typeparamref name="T"/> must match the dtype: sbyte for QInt8 and
  /// QInt4, byte for QUInt8 and the unsigned packed dtypes, short for QInt16,
  /// ushort for QUInt16, int for QInt32 (else
  /// <see cref="QTensorTypeException"/>). A
  /// shorter destination throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public void IntReprTo<T>(T[] destination) where T : struct {
    Arguments.NotNull(destination, nameof(destination));
    NativeTensor tensor = Native;
    DType dtype = tensor.dtype();
    CheckElementType<T>(dtype, "IntReprTo");
    CheckDestination(destination, tensor.numel());
    long count = destination.LongLength;
    object array = destination;
    if (typeof(T) == typeof(sbyte)) tensor.IntReprInt8((sbyte[])array, count);
    else if (typeof(T) == typeof(byte)) tensor.IntReprUInt8((byte[])array, count);
    else if (typeof(T) == typeof(short)) tensor.IntReprInt16((short[])array, count);
    else if (typeof(T) == typeof(ushort)) tensor.IntReprUInt16((ushort[])array, count);
    else tensor.IntReprInt32((int[])array, count);
  }

  static void CheckElementType<T>(DType dtype, string method) {
    if (typeof(T) != ElementTypeOf(dtype)) {
      throw new QTensorTypeException($"{method}<{typeof(T).Name}> does not match dtype {dtype} " +
                                     $"(use {ElementTypeOf(dtype).Name})");
    }
  }

  // The rule of every binding (docs/bindings.md): at least numel elements.
  static void CheckDestination(Array destination, long numel) {
    if (destination.LongLength < numel) {
      throw new QTensorArgumentException(
          $"the destination holds {destination.LongLength} elements but the tensor has {numel}");
    }
  }

  /// <summary>
  /// The dequantized value of a one-element tensor (of any shape).
  /// </summary>
  public float Item() => Native.item();

  /// <summary>
  /// The dequantized value at a full index, one entry per dimension
  /// (negative entries count from the end; out of range:
  /// <see cref="QTensorIndexException"/>).
  /// </summary>
  public float GetValue(params long[] index) {
    Arguments.NotNull(index, nameof(index));
    return Native.At(index, index.Length);
  }

  /// <summary>
  /// Quantizes <paramref name="value"/> with the parameters of the element at
  /// the full index and stores it there (writes reach every view of the
  /// storage).
  /// </summary>
  public void SetValue(long[] index, float value) {
    Arguments.NotNull(index, nameof(index));
    Native.SetAt(index, index.Length, value);
  }

  /// <summary>
  /// Sets every element of this view to <paramref name="value"/>, quantized;
  /// returns this tensor.
  /// </summary>
  public Tensor Fill(float value) {
    Native.fill_(value).Dispose();
    return this;
  }

  /// <summary>
  /// PyTorch's copy_: equal shapes and dtypes. A whole contiguous tensor
  /// takes the source's integers and quantizer; a partial view requantizes
  /// the source's values into its own parameters. Returns this tensor.
  /// </summary>
  public Tensor CopyFrom(Tensor source) {
    NativeTensor from = Arguments.NotNull(source, nameof(source)).Native;
    Native.copy_(from).Dispose();
    return this;
  }

  /// <summary>
  /// Quantizes <see cref="Numel"/> row-major <paramref name="values"/> with
  /// this tensor's parameters into it (another count:
  /// <see cref="QTensorShapeException"/>). Returns this tensor.
  /// </summary>
  public Tensor CopyFrom(float[] values) {
    Arguments.NotNull(values, nameof(values));
    Native.CopyValues(values, values.Length);
    return this;
  }

  internal static Type ElementTypeOf(DType dtype) {
    switch (dtype) {
      case DType.QInt8:
      case DType.QInt4: return typeof(sbyte);
      case DType.QUInt8:
      case DType.QUInt4x2:
      case DType.QUInt2x4:
      case DType.QUInt4: return typeof(byte);
      case DType.QInt16: return typeof(short);
      case DType.QUInt16: return typeof(ushort);
      default: return typeof(int);
    }
  }
}

}  // namespace QTensor

// Making tensors: quantizing floats, empty tensors, and tensors from their
// integer representation (PyTorch's quantize_per_tensor, quantize_per_channel,
// _empty_affine_quantized, _make_per_tensor_quantized_tensor).
using System;

namespace QTensor {

public sealed partial class Tensor {
  /// <summary>
  /// Quantizes row-major <paramref name="data"/> of the given shape with the
  /// quantizer: q = clamp(zeroPoint + round(x / scale), qmin, qmax), rounding
  /// half to even. A data length other than the shape's element count throws
  /// <see cref="QTensorShapeException"/>.
  /// </summary>
  public static Tensor Quantize(float[] data, long[] shape, Quantizer quantizer) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    return new Tensor(
        NativeTensor.QuantizeValues(data, data.Length, shape, shape.Length, parameters));
  }

  /// <summary>
  /// PyTorch's quantize_per_tensor: <see cref="Quantize"/> with
  /// <see cref="Quantizer.PerTensor"/>(scale, zeroPoint, dtype).
  /// </summary>
  public static Tensor QuantizePerTensor(float[] data, long[] shape, double scale, long zeroPoint,
                                         DType dtype) {
    using (Quantizer quantizer = Quantizer.PerTensor(scale, zeroPoint, dtype)) {
      return Quantize(data, shape, quantizer);
    }
  }

  /// <summary>
  /// PyTorch's quantize_per_channel: <see cref="Quantize"/> with
  /// <see cref="Quantizer.PerChannel"/>(scales, zeroPoints, axis, dtype).
  /// </summary>
  public static Tensor QuantizePerChannel(float[] data, long[] shape, double[] scales,
                                          long[] zeroPoints, long axis, DType dtype) {
    using (Quantizer quantizer = Quantizer.PerChannel(scales, zeroPoints, axis, dtype)) {
      return Quantize(data, shape, quantizer);
    }
  }

  /// <summary>
  /// torch.quantize_per_tensor_dynamic(x, dtype, reduce_range): quantizes
  /// row-major <paramref name="data"/> into a new per-tensor tensor with the
  /// parameters <see cref="QParams.Choose"/> picks from its minimum and
  /// maximum ([-128, 127] for QInt8, [0, 255] for QUInt8), bit for bit as
  /// PyTorch 1.13. QInt32 (PyTorch refuses it too), no elements, a NaN or an
  /// infinity throw <see cref="QTensorArgumentException"/>; a data length
  /// other than the shape's element count, <see cref="QTensorShapeException"/>.
  /// </summary>
  public static Tensor QuantizePerTensorDynamic(float[] data, long[] shape, DType dtype,
                                                bool reduceRange = false) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    return new Tensor(QTensorNative.QuantizePerTensorDynamicValues(data, data.Length, shape,
                                                                  shape.Length, dtype,
                                                                  reduceRange));
  }

  /// <summary>
  /// Quantizes row-major <paramref name="data"/> into GGUF blocks of
  /// <paramref name="type"/> exactly as llama.cpp's quantize_row_q8_0 /
  /// quantize_row_q4_0: each block of 32 along the last dimension gets its
  /// own d (<see cref="Quantizer.Gguf"/>'s quantizer). A last dimension that
  /// is not a multiple of 32 or a block whose d is not finite throws
  /// <see cref="QTensorArgumentException"/>; a data length other than the
  /// shape's element count, <see cref="QTensorShapeException"/>.
  /// </summary>
  public static Tensor QuantizeGguf(float[] data, long[] shape, GgufType type) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    return new Tensor(
        QTensorNative.QuantizeGgufValues(data, data.Length, shape, shape.Length, type));
  }

  /// <summary>
  /// A tensor of the given shape and quantizer whose integers are all zero
  /// (PyTorch's _empty_affine_quantized, whose memory is left uninitialised).
  /// </summary>
  public static Tensor EmptyQuantized(long[] shape, Quantizer quantizer) {
    Arguments.NotNull(shape, nameof(shape));
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    return new Tensor(NativeTensor.Empty(shape, shape.Length, parameters));
  }

  /// <summary>
  /// torch.empty_like(q): a new contiguous tensor of
  /// <paramref name="tensor"/>'s shape and dtype whose every element keeps
  /// its own parameters (a view's per-channel scales and axis too), all its
  /// integers zero (not the zero point).
  /// </summary>
  public static Tensor EmptyLike(Tensor tensor) {
    NativeTensor source = Arguments.NotNull(tensor, nameof(tensor)).Native;
    return new Tensor(QTensorNative.empty_like(source));
  }

  /// <summary>
  /// A tensor holding the row-major integers <paramref name="data"/>, one per
  /// value; the array type must match the quantizer's dtype (sbyte[] QInt8
  /// and QInt4, byte[] QUInt8, QUInt4x2, QUInt2x4 and QUInt4, short[]
  /// QInt16, ushort[] QUInt16, int[] QInt32), else
  /// <see cref="QTensorTypeException"/>. A value outside a packed dtype's
  /// range throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static Tensor FromIntRepr(sbyte[] data, long[] shape, Quantizer quantizer) {
    NativeQuantizer parameters = CheckIntRepr(data, shape, quantizer);
    return new Tensor(NativeTensor.FromInt8(data, data.Length, shape, shape.Length, parameters));
  }
  /// <summary>As <see cref="FromIntRepr(sbyte[], long[], Quantizer)"/>, for QUInt8 and the unsigned packed dtypes.</summary>
  public static Tensor FromIntRepr(byte[] data, long[] shape, Quantizer quantizer) {
    NativeQuantizer parameters = CheckIntRepr(data, shape, quantizer);
    return new Tensor(NativeTensor.FromUInt8(data, data.Length, shape, shape.Length, parameters));
  }
  /// <summary>As <see cref="FromIntRepr(sbyte[], long[], Quantizer)"/>, for QInt16.</summary>
  public static Tensor FromIntRepr(short[] data, long[] shape, Quantizer quantizer) {
    NativeQuantizer parameters = CheckIntRepr(data, shape, quantizer);
    return new Tensor(NativeTensor.FromInt16(data, data.Length, shape, shape.Length, parameters));
  }
  /// <summary>As <see cref="FromIntRepr(sbyte[], long[], Quantizer)"/>, for QUInt16.</summary>
  public static Tensor FromIntRepr(ushort[] data, long[] shape, Quantizer quantizer) {
    NativeQuantizer parameters = CheckIntRepr(data, shape, quantizer);
    return new Tensor(NativeTensor.FromUInt16(data, data.Length, shape, shape.Length, parameters));
  }
  /// <summary>As <see cref="FromIntRepr(sbyte[], long[], Quantizer)"/>, for QInt32.</summary>
  public static Tensor FromIntRepr(int[] data, long[] shape, Quantizer quantizer) {
    NativeQuantizer parameters = CheckIntRepr(data, shape, quantizer);
    return new Tensor(NativeTensor.FromInt32(data, data.Length, shape, shape.Length, parameters));
  }

  /// <summary>
  /// A tensor from integers in storage form, row-major: for the packed
  /// dtypes (QUInt4x2, QUInt2x4, QInt4, QUInt4) ceil(numel * bits / 8) bytes,
  /// the first value in the lowest bits (as PyTorch keeps quint4x2) and the
  /// unused high bits of the last byte 0, as <see cref="PackedRepr"/> gives
  /// them; for the other dtypes the integers' bytes in the platform's order.
  /// The wrong number of bytes throws <see cref="QTensorShapeException"/>,
  /// unused bits that are not 0 <see cref="QTensorCorruptDataException"/>.
  /// </summary>
  public static Tensor FromPacked(byte[] data, long[] shape, Quantizer quantizer) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    return new Tensor(
        NativeTensor.FromPackedBytes(data, data.Length, shape, shape.Length, parameters));
  }

  /// <summary>
  /// PyTorch's _make_per_tensor_quantized_tensor: a one-dimensional
  /// per-tensor tensor of the integers, whose dtype follows the array
  /// (byte[] QUInt8, sbyte[] QInt8, int[] QInt32).
  /// </summary>
  public static Tensor MakePerTensorQuantized(byte[] data, double scale, long zeroPoint) {
    return MakePerTensorQuantized(data, LengthOf(data), scale, zeroPoint);
  }
  /// <summary>As <see cref="MakePerTensorQuantized(byte[], double, long)"/>, QInt8.</summary>
  public static Tensor MakePerTensorQuantized(sbyte[] data, double scale, long zeroPoint) {
    return MakePerTensorQuantized(data, LengthOf(data), scale, zeroPoint);
  }
  /// <summary>As <see cref="MakePerTensorQuantized(byte[], double, long)"/>, QInt32.</summary>
  public static Tensor MakePerTensorQuantized(int[] data, double scale, long zeroPoint) {
    return MakePerTensorQuantized(data, LengthOf(data), scale, zeroPoint);
  }
  /// <summary>
  /// A per-tensor QUInt8 tensor of the given shape holding the row-major
  /// integers <paramref name="data"/>.
  /// </summary>
  public static Tensor MakePerTensorQuantized(byte[] data, long[] shape, double scale,
                                              long zeroPoint) {
    using (Quantizer quantizer = Quantizer.PerTensor(scale, zeroPoint, DType.QUInt8)) {
      return FromIntRepr(data, shape, quantizer);
    }
  }
  /// <summary>
  /// A per-tensor QInt8 tensor of the given shape holding the row-major
  /// integers <paramref name="data"/>.
  /// </summary>
  public static Tensor MakePerTensorQuantized(sbyte[] data, long[] shape, double scale,
                                              long zeroPoint) {
    using (Quantizer quantizer = Quantizer.PerTensor(scale, zeroPoint, DType.QInt8)) {
      return FromIntRepr(data, shape, quantizer);
    }
  }
  /// <summary>
  /// A per-tensor QInt32 tensor of the given shape holding the row-major
  /// integers <paramref name="data"/>.
  /// </summary>
  public static Tensor MakePerTensorQuantized(int[] data, long[] shape, double scale,
                                              long zeroPoint) {
    using (Quantizer quantizer = Quantizer.PerTensor(scale, zeroPoint, DType.QInt32)) {
      return FromIntRepr(data, shape, quantizer);
    }
  }

  static long[] LengthOf(Array data) {
    return new long[] { Arguments.NotNull(data, nameof(data)).LongLength };
  }

  static NativeQuantizer CheckIntRepr(Array data, long[] shape, Quantizer quantizer) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    DType dtype = parameters.dtype();
    if (data.GetType().GetElementType() != ElementTypeOf(dtype)) {
      throw new QTensorTypeException(
          $"{data.GetType().Name} does not hold {dtype} integers (use " +
          $"{ElementTypeOf(dtype).Name}[])");
    }
    return parameters;
  }
}

}  // namespace QTensor

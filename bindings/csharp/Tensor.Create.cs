// Making tensors: quantizing floats, empty tensors, and tensors from their
// integer representation (PyTorch's quantize_per_tensor, quantize_per_channel,
// _empty_affine_quantized, _make_per_tensor_quantized_tensor).
using System;

namespace QTensor {

public sealed partial class Tensor {
  // Quantizes row-major data of the given shape with the quantizer.
  public static Tensor Quantize(float[] data, long[] shape, Quantizer quantizer) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    return new Tensor(
        NativeTensor.QuantizeValues(data, data.Length, shape, shape.Length, parameters));
  }

  public static Tensor QuantizePerTensor(float[] data, long[] shape, double scale, long zeroPoint,
                                         DType dtype) {
    using (Quantizer quantizer = Quantizer.PerTensor(scale, zeroPoint, dtype)) {
      return Quantize(data, shape, quantizer);
    }
  }

  public static Tensor QuantizePerChannel(float[] data, long[] shape, double[] scales,
                                          long[] zeroPoints, long axis, DType dtype) {
    using (Quantizer quantizer = Quantizer.PerChannel(scales, zeroPoints, axis, dtype)) {
      return Quantize(data, shape, quantizer);
    }
  }

  // A tensor of the given shape whose integers are unspecified.
  public static Tensor EmptyQuantized(long[] shape, Quantizer quantizer) {
    Arguments.NotNull(shape, nameof(shape));
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    return new Tensor(NativeTensor.Empty(shape, shape.Length, parameters));
  }

  // A tensor holding row-major integers; the array type must match the
  // quantizer's dtype (sbyte[] QInt8, byte[] QUInt8, int[] QInt32).
  public static Tensor FromIntRepr(sbyte[] data, long[] shape, Quantizer quantizer) {
    NativeQuantizer parameters = CheckIntRepr(data, shape, quantizer, DType.QInt8);
    return new Tensor(NativeTensor.FromInt8(data, data.Length, shape, shape.Length, parameters));
  }
  public static Tensor FromIntRepr(byte[] data, long[] shape, Quantizer quantizer) {
    NativeQuantizer parameters = CheckIntRepr(data, shape, quantizer, DType.QUInt8);
    return new Tensor(NativeTensor.FromUInt8(data, data.Length, shape, shape.Length, parameters));
  }
  public static Tensor FromIntRepr(int[] data, long[] shape, Quantizer quantizer) {
    NativeQuantizer parameters = CheckIntRepr(data, shape, quantizer, DType.QInt32);
    return new Tensor(NativeTensor.FromInt32(data, data.Length, shape, shape.Length, parameters));
  }

  // Per-tensor tensors whose dtype follows the array: byte[] -> QUInt8,
  // sbyte[] -> QInt8, int[] -> QInt32. Without a shape, one-dimensional.
  public static Tensor MakePerTensorQuantized(byte[] data, double scale, long zeroPoint) {
    return MakePerTensorQuantized(data, LengthOf(data), scale, zeroPoint);
  }
  public static Tensor MakePerTensorQuantized(sbyte[] data, double scale, long zeroPoint) {
    return MakePerTensorQuantized(data, LengthOf(data), scale, zeroPoint);
  }
  public static Tensor MakePerTensorQuantized(int[] data, double scale, long zeroPoint) {
    return MakePerTensorQuantized(data, LengthOf(data), scale, zeroPoint);
  }
  public static Tensor MakePerTensorQuantized(byte[] data, long[] shape, double scale,
                                              long zeroPoint) {
    using (Quantizer quantizer = Quantizer.PerTensor(scale, zeroPoint, DType.QUInt8)) {
      return FromIntRepr(data, shape, quantizer);
    }
  }
  public static Tensor MakePerTensorQuantized(sbyte[] data, long[] shape, double scale,
                                              long zeroPoint) {
    using (Quantizer quantizer = Quantizer.PerTensor(scale, zeroPoint, DType.QInt8)) {
      return FromIntRepr(data, shape, quantizer);
    }
  }
  public static Tensor MakePerTensorQuantized(int[] data, long[] shape, double scale,
                                              long zeroPoint) {
    using (Quantizer quantizer = Quantizer.PerTensor(scale, zeroPoint, DType.QInt32)) {
      return FromIntRepr(data, shape, quantizer);
    }
  }

  static long[] LengthOf(Array data) {
    return new long[] { Arguments.NotNull(data, nameof(data)).LongLength };
  }

  static NativeQuantizer CheckIntRepr(Array data, long[] shape, Quantizer quantizer,
                                      DType arrayDType) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    DType dtype = parameters.dtype();
    if (dtype != arrayDType) {
      throw new QTensorTypeException(
          $"{data.GetType().Name} holds {arrayDType} integers but the quantizer's dtype is " +
          $"{dtype} (use {ElementTypeOf(dtype).Name}[])");
    }
    return parameters;
  }
}

}  // namespace QTensor

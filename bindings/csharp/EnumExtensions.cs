// PyTorch's names of the dtypes and schemes, and a dtype's element size, from
// the library (the facade's dtype_name, dtype_size and qscheme_name); the
// library's names of the roundings and scale types.
namespace QTensor {

/// <summary>PyTorch's names and the element sizes of <see cref="DType"/> values.</summary>
public static class DTypeExtensions {
  static DTypeExtensions() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// PyTorch's name of the dtype: "qint8", "quint8", "qint32", "quint4x2", ... A value
  /// outside the enum throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static string TorchName(this DType dtype) => QTensorNative.dtype_name(dtype);

  /// <summary>
  /// The size in bytes of one integer of the dtype's IntRepr: 1, 2 or 4 (1
  /// for the packed dtypes). A value outside the enum throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static int ItemSize(this DType dtype) => checked((int)QTensorNative.dtype_size(dtype));

  /// <summary>
  /// The bits one value of the dtype takes in storage: 2, 4, 8, 16 or 32 (4
  /// for QUInt4x2, two per byte). A value outside the enum throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static int Bits(this DType dtype) => checked((int)QTensorNative.dtype_bits(dtype));
}

/// <summary>PyTorch's names of <see cref="QScheme"/> values.</summary>
public static class QSchemeExtensions {
  static QSchemeExtensions() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// PyTorch's name of the scheme: "per_tensor_affine", "per_channel_affine".
  /// A value outside the enum throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static string TorchName(this QScheme qscheme) => QTensorNative.qscheme_name(qscheme);
}

/// <summary>The library's names of <see cref="Rounding"/> values.</summary>
public static class RoundingExtensions {
  static RoundingExtensions() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// The rounding's name: "pytorch", "onnx". A value outside the enum throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static string Name(this Rounding rounding) => QTensorNative.rounding_name(rounding);
}

/// <summary>The library's names of <see cref="ScaleType"/> values.</summary>
public static class ScaleTypeExtensions {
  static ScaleTypeExtensions() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// The scale type's name: "float64", "float32", "float16", "bfloat16". A
  /// value outside the enum throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static string Name(this ScaleType type) => QTensorNative.scale_type_name(type);
}

/// <summary>The library's names and the sizes of <see cref="FloatDType"/> values.</summary>
public static class FloatDTypeExtensions {
  static FloatDTypeExtensions() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// The float dtype's name: "float32", "float16", "bfloat16". A value
  /// outside the enum throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static string Name(this FloatDType dtype) =>
      QTensorNative.float_dtype_name((NativeFloatDType)dtype);

  /// <summary>The bytes one value takes: 4 for Float32, 2 otherwise.</summary>
  public static int ItemSize(this FloatDType dtype) => dtype == FloatDType.Float32 ? 4 : 2;
}

}  // namespace QTensor

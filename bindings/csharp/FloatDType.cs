// The float types of a bundle's float entries, with the C ABI's values.
namespace QTensor {

/// <summary>
/// The unquantized float types of a bundle's float entries (GGUF's F32, F16
/// and BF16 tensors; <see cref="FloatDTypeExtensions"/> names them).
/// </summary>
public enum FloatDType {
  /// <summary>IEEE binary32, 4 bytes per value.</summary>
  Float32 = 1,
  /// <summary>IEEE binary16, 2 bytes per value.</summary>
  Float16 = 2,
  /// <summary>bfloat16 (the top half of a float32), 2 bytes per value.</summary>
  BFloat16 = 3
}

}  // namespace QTensor

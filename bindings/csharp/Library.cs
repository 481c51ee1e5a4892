// The library itself: its version, the SIMD target its kernels use, and the
// threads large quantize and dequantize calls may use (as PyTorch's
// torch.set_num_threads).
namespace QTensor {

/// <summary>
/// The library itself: its version, the SIMD target its kernels use, and the
/// threads large quantize and dequantize calls may use.
/// </summary>
public static class Library {
  static Library() { NativeLoader.EnsureLoaded(); }

  /// <summary>The library's version, "MAJOR.MINOR.PATCH".</summary>
  public static string Version => QTensorNative.version();

  /// <summary>
  /// The loaded library's version as one number, MAJOR * 10000 + MINOR * 100
  /// + PATCH (200 for 0.2.0): the C header's QTENSOR_VERSION_NUMBER.
  /// </summary>
  public static int VersionNumber => checked((int)QTensorNative.version_number());

  /// <summary>
  /// The SIMD target the kernels dispatch to on this CPU ("AVX2", "SSE4", ...).
  /// </summary>
  public static string SimdTarget => QTensorNative.simd_target();

  /// <summary>
  /// Caps the SIMD target the kernels dispatch to, for the whole process:
  /// they then use the best target this CPU supports that is not above
  /// <paramref name="target"/>, a name as <see cref="SimdTarget"/> prints it,
  /// in any case ("AVX2", "sse4", "EMU128", ...); "" removes the cap. Results
  /// are the same on every target; the cap serves tools that cannot run newer
  /// instructions (valgrind and AVX-512) and comparisons of targets. The
  /// environment variable QTENSOR_MAX_SIMD_TARGET, read when the library
  /// loads, sets the same cap. An unknown name throws
  /// <see cref="QTensorArgumentException"/>, one holding U+0000 or an
  /// unpaired surrogate <see cref="System.ArgumentException"/>, null
  /// <see cref="System.ArgumentNullException"/>; each leaves the cap as it
  /// was.
  /// </summary>
  public static void SetMaxSimdTarget(string target) {
    QTensorNative.set_max_simd_target(Arguments.Text(target, nameof(target)));
  }

  /// <summary>
  /// How many threads a quantize or dequantize of 2^20 elements or more may
  /// use, for the whole process (PyTorch's torch.set_num_threads): 1, the
  /// default, starts none; setting 0 means one per logical core. Results do
  /// not depend on it. Setting a count below 0 or above 64 throws
  /// <see cref="QTensorArgumentException"/> and changes nothing.
  /// </summary>
  public static int NumThreads {
    get => QTensorNative.get_num_threads();
    set => QTensorNative.set_num_threads(value);
  }
}

}  // namespace QTensor

// The library itself: its version, the SIMD target its kernels use, and the
// threads large quantize and dequantize calls may use (as PyTorch's
// torch.set_num_threads).
namespace QTensor {

public static class Library {
  // The library's version, "MAJOR.MINOR.PATCH".
  public static string Version => QTensorNative.version();

  // The SIMD target the kernels dispatch to on this CPU ("AVX2", "SSE4", ...).
  public static string SimdTarget => QTensorNative.simd_target();

  // How many threads a quantize or dequantize of 2^20 elements or more may
  // use, for the whole process: 1, the default, starts none; setting 0 means
  // one per logical core. Results do not depend on it. Setting a count below
  // 0 or above 64 throws QTensorArgumentException and changes nothing.
  public static int NumThreads {
    get => QTensorNative.get_num_threads();
    set => QTensorNative.set_num_threads(value);
  }
}

}  // namespace QTensor

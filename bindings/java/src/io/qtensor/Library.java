package io.qtensor;

/**
 * The library itself: its version, the SIMD target its kernels use, and the
 * threads large quantize and dequantize calls may use (as PyTorch's
 * {@code torch.set_num_threads}).
 */
public final class Library {
  private Library() {}

  /** The library's version, "MAJOR.MINOR.PATCH". */
  public static String version() {
    return NativeModule.version();
  }

  /** The SIMD target the kernels dispatch to on this CPU ("AVX2", "SSE4", ...). */
  public static String simdTarget() {
    return NativeModule.simd_target();
  }

  /**
   * Sets how many threads a quantize or dequantize of 2^20 elements or more
   * may use, for the whole process: 1, the default, starts none; 0 means one
   * per logical core. Results do not depend on it.
   *
   * @throws QTensorException (INVALID_ARGUMENT) for a count below 0 or above
   *     64; the setting is then unchanged
   */
  public static void setNumThreads(int threads) {
    NativeModule.set_num_threads(threads);
  }

  /** The thread count setNumThreads set (1 by default; for 0, the cores). */
  public static int getNumThreads() {
    return NativeModule.get_num_threads();
  }
}

package io.qtensor;

import java.util.Objects;

/**
 * The library itself: its version, the SIMD target its kernels use, and the
 * threads large quantize and dequantize calls may use (as PyTorch's
 * {@code torch.set_num_threads}).
 */
public final class Library {
  private Library() {}

  /** {@return the library's version, "MAJOR.MINOR.PATCH"} */
  public static String version() {
    return NativeModule.version();
  }

  /**
   * {@return the loaded library's version as one number, MAJOR * 10000 + MINOR * 100 +
   * PATCH (200 for 0.2.0): the C header's {@code QTENSOR_VERSION_NUMBER}}
   */
  public static int versionNumber() {
    return Math.toIntExact(NativeModule.version_number());
  }

  /** {@return the SIMD target the kernels dispatch to on this CPU ("AVX2", "SSE4", ...)} */
  public static String simdTarget() {
    return NativeModule.simd_target();
  }

  /**
   * Caps the SIMD target the kernels dispatch to, for the whole process: they
   * then use the best target this CPU supports that is not above
   * {@code target}, a name as {@link #simdTarget()} prints it, in any case
   * ("AVX2", "sse4", "EMU128", ...); "" removes the cap. Results are the same
   * on every target; the cap serves tools that cannot run newer instructions
   * (valgrind and AVX-512) and comparisons of targets. The environment
   * variable {@code QTENSOR_MAX_SIMD_TARGET}, read when the library loads,
   * sets the same cap.
   *
   * @param target the highest target to use, or "" for none
   * @throws QTensorException (INVALID_ARGUMENT) for an unknown name; the cap
   *     is then unchanged
   * @throws IllegalArgumentException for a name holding U+0000 or an unpaired
   *     surrogate (no UTF-8 string can carry it), before the library sees it;
   *     the cap is then unchanged
   * @throws NullPointerException for null
   */
  public static void setMaxSimdTarget(String target) {
    Objects.requireNonNull(target, "target");
    NativeModule.set_max_simd_target(target);
  }

  /**
   * Sets how many threads a quantize or dequantize of 2^20 elements or more
   * may use, for the whole process: 1, the default, starts none; 0 means one
   * per logical core. Results do not depend on it.
   *
   * @param threads the thread count: 0 for one per logical core, at most 64
   * @throws QTensorException (INVALID_ARGUMENT) for a count below 0 or above
   *     64; the setting is then unchanged
   */
  public static void setNumThreads(int threads) {
    NativeModule.set_num_threads(threads);
  }

  /** {@return the thread count setNumThreads set (1 by default; for 0, the cores)} */
  public static int getNumThreads() {
    return NativeModule.get_num_threads();
  }
}

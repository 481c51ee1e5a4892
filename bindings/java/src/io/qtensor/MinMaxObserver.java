package io.qtensor;

/**
 * torch.ao.quantization.MinMaxObserver: parameters from the running minimum
 * and maximum of every batch seen (see {@link Observer} for what every
 * observer does).
 */
public final class MinMaxObserver extends Observer {
  /** MinMaxObserver() with PyTorch's defaults: QUINT8, per_tensor_affine. */
  public MinMaxObserver() {
    this(DType.QUINT8, false, false);
  }

  /**
   * MinMaxObserver(dtype, qscheme, reduce_range) with the dtype's default
   * integer range.
   *
   * @param symmetric false for per_tensor_affine, true for per_tensor_symmetric
   * @param reduceRange one bit less of range (not with symmetric QUINT8, as
   *     in PyTorch)
   * @param dtype the type of the integers
   * @throws QTensorException INVALID_ARGUMENT for options PyTorch refuses
   */
  public MinMaxObserver(DType dtype, boolean symmetric, boolean reduceRange) {
    super("MinMaxObserver",
          NativeObserver.MinMax(code(dtype), symmetric, reduceRange, 0, 0), dtype, symmetric);
  }

  /**
   * MinMaxObserver(dtype, qscheme, reduce_range, quant_min, quant_max): a
   * custom integer range, which must include 0, have quantMin &lt; quantMax
   * and fit the dtype (for QINT32, at most 2^31 values).
   *
   * @param dtype the type of the integers
   * @param symmetric false for the affine schemes, true for the symmetric ones (PyTorch's qscheme)
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @param quantMin the smallest integer
   * @param quantMax the largest integer
   * @throws QTensorException INVALID_ARGUMENT for a range or options PyTorch
   *     refuses
   */
  public MinMaxObserver(DType dtype, boolean symmetric, boolean reduceRange, long quantMin,
                        long quantMax) {
    super("MinMaxObserver",
          NativeObserver.MinMax(code(dtype), symmetric, reduceRange,
                                checkRange("MinMaxObserver", quantMin, quantMax), quantMax),
          dtype, symmetric);
  }
}

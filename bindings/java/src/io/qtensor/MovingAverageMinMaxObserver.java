package io.qtensor;

/**
 * torch.ao.quantization.MovingAverageMinMaxObserver: the first batch's
 * minimum and maximum, then min += averagingConstant * (batch min - min) in
 * float32, as PyTorch's; the same for the maximum (see {@link Observer}).
 */
public final class MovingAverageMinMaxObserver extends Observer {
  /** PyTorch's defaults: averaging constant 0.01, QUINT8, per_tensor_affine. */
  public MovingAverageMinMaxObserver() {
    this(0.01, DType.QUINT8, false, false);
  }

  /**
   * MovingAverageMinMaxObserver(averaging_constant, dtype, qscheme,
   * reduce_range) with the dtype's default integer range.
   *
   * @param averagingConstant in (0, 1]
   * @param dtype the type of the integers
   * @param symmetric false for the affine schemes, true for the symmetric ones (PyTorch's qscheme)
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @throws QTensorException INVALID_ARGUMENT for averagingConstant outside
   *     (0, 1] or options PyTorch refuses (see {@link MinMaxObserver})
   */
  public MovingAverageMinMaxObserver(double averagingConstant, DType dtype, boolean symmetric,
                                     boolean reduceRange) {
    super("MovingAverageMinMaxObserver",
          NativeObserver.MovingAverageMinMax(averagingConstant, code(dtype), symmetric,
                                             reduceRange, 0, 0),
          dtype, symmetric);
  }

  /**
   * As the constructor without a range, with a custom one (see {@link MinMaxObserver}).
   *
   * @param averagingConstant the weight of a new batch's minimum and maximum, in (0, 1]
   * @param dtype the type of the integers
   * @param symmetric false for the affine schemes, true for the symmetric ones (PyTorch's qscheme)
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @param quantMin the smallest integer
   * @param quantMax the largest integer
   */
  public MovingAverageMinMaxObserver(double averagingConstant, DType dtype, boolean symmetric,
                                     boolean reduceRange, long quantMin, long quantMax) {
    super("MovingAverageMinMaxObserver",
          NativeObserver.MovingAverageMinMax(
              averagingConstant, code(dtype), symmetric, reduceRange,
              checkRange("MovingAverageMinMaxObserver", quantMin, quantMax), quantMax),
          dtype, symmetric);
  }
}

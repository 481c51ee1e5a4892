package io.qtensor;

/**
 * torch.ao.quantization.MovingAveragePerChannelMinMaxObserver: the moving
 * average of {@link MovingAverageMinMaxObserver}, per channel as
 * {@link PerChannelMinMaxObserver}.
 */
public final class MovingAveragePerChannelMinMaxObserver extends Observer {
  /** PyTorch's defaults: averaging constant 0.01, chAxis 0, QUINT8, per_channel_affine. */
  public MovingAveragePerChannelMinMaxObserver() {
    this(0.01, 0, DType.QUINT8, false, false);
  }

  /**
   * MovingAveragePerChannelMinMaxObserver(averaging_constant, ch_axis, dtype,
   * qscheme, reduce_range) with the dtype's default integer range; errors as
   * the two observers it combines.
   *
   * @param averagingConstant the weight of a new batch's minimum and maximum, in (0, 1]
   * @param chAxis the channel dim of the batches (negative counts from the end)
   * @param dtype the type of the integers
   * @param symmetric false for the affine schemes, true for the symmetric ones (PyTorch's qscheme)
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   */
  public MovingAveragePerChannelMinMaxObserver(double averagingConstant, long chAxis,
                                               DType dtype, boolean symmetric,
                                               boolean reduceRange) {
    super("MovingAveragePerChannelMinMaxObserver",
          NativeObserver.MovingAveragePerChannelMinMax(averagingConstant, chAxis, code(dtype),
                                                       symmetric, reduceRange, 0, 0),
          dtype, symmetric);
  }

  /**
   * As the constructor without a range, with a custom one (see {@link MinMaxObserver}).
   *
   * @param averagingConstant the weight of a new batch's minimum and maximum, in (0, 1]
   * @param chAxis the channel dim of the batches (negative counts from the end)
   * @param dtype the type of the integers
   * @param symmetric false for the affine schemes, true for the symmetric ones (PyTorch's qscheme)
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @param quantMin the smallest integer
   * @param quantMax the largest integer
   */
  public MovingAveragePerChannelMinMaxObserver(double averagingConstant, long chAxis,
                                               DType dtype, boolean symmetric,
                                               boolean reduceRange, long quantMin,
                                               long quantMax) {
    super("MovingAveragePerChannelMinMaxObserver",
          NativeObserver.MovingAveragePerChannelMinMax(
              averagingConstant, chAxis, code(dtype), symmetric, reduceRange,
              checkRange("MovingAveragePerChannelMinMaxObserver", quantMin, quantMax), quantMax),
          dtype, symmetric);
  }
}

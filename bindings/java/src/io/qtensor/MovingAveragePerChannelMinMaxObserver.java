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
   */
  public MovingAveragePerChannelMinMaxObserver(double averagingConstant, long chAxis,
                                               DType dtype, boolean symmetric,
                                               boolean reduceRange) {
    super("MovingAveragePerChannelMinMaxObserver",
          NativeObserver.MovingAveragePerChannelMinMax(averagingConstant, chAxis, code(dtype),
                                                       symmetric, reduceRange, 0, 0),
          dtype, symmetric);
  }

  /** As the constructor without a range, with a custom one (see {@link MinMaxObserver}). */
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

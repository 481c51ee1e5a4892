package io.qtensor;

/**
 * torch.ao.quantization.PerChannelMinMaxObserver: a running minimum and
 * maximum per index of chAxis; every batch must have the same number of
 * channels. Its quantizer is per channel along chAxis (see
 * {@link Observer}).
 */
public final class PerChannelMinMaxObserver extends Observer {
  /** PyTorch's defaults: chAxis 0, QUINT8, per_channel_affine. */
  public PerChannelMinMaxObserver() {
    this(0, DType.QUINT8, false, false);
  }

  /**
   * PerChannelMinMaxObserver(ch_axis, dtype, qscheme, reduce_range) with the
   * dtype's default integer range.
   *
   * @param chAxis the channel axis, in [-64, 64); negative counts from the
   *     end of each batch's shape
   * @param symmetric false for per_channel_affine, true for
   *     per_channel_symmetric
   * @param dtype the type of the integers
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @throws QTensorException INVALID_ARGUMENT for chAxis outside [-64, 64)
   *     or options PyTorch refuses (see {@link MinMaxObserver})
   */
  public PerChannelMinMaxObserver(long chAxis, DType dtype, boolean symmetric,
                                  boolean reduceRange) {
    super("PerChannelMinMaxObserver",
          NativeObserver.PerChannelMinMax(chAxis, code(dtype), symmetric, reduceRange, 0, 0),
          dtype, symmetric);
  }

  /**
   * As the constructor without a range, with a custom one (see {@link MinMaxObserver}).
   *
   * @param chAxis the channel dim of the batches (negative counts from the end)
   * @param dtype the type of the integers
   * @param symmetric false for the affine schemes, true for the symmetric ones (PyTorch's qscheme)
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @param quantMin the smallest integer
   * @param quantMax the largest integer
   */
  public PerChannelMinMaxObserver(long chAxis, DType dtype, boolean symmetric,
                                  boolean reduceRange, long quantMin, long quantMax) {
    super("PerChannelMinMaxObserver",
          NativeObserver.PerChannelMinMax(
              chAxis, code(dtype), symmetric, reduceRange,
              checkRange("PerChannelMinMaxObserver", quantMin, quantMax), quantMax),
          dtype, symmetric);
  }
}

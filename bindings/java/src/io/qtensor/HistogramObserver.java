package io.qtensor;

/**
 * torch.ao.quantization.HistogramObserver: a histogram of bins counts over
 * the running range (PyTorch 1.13's, including its truncation of the first
 * range to integers), resampled with upsampleRate as the range grows; the
 * parameters come from the range its L2 search picks, bit for bit as
 * PyTorch's. A batch holding NaN or an infinity is refused by
 * {@link #forward} (INVALID_ARGUMENT; PyTorch fails too), and the observer
 * stays as it was.
 */
public final class HistogramObserver extends Observer {
  /** PyTorch's defaults: 2048 bins, upsample rate 128, QUINT8, per_tensor_affine. */
  public HistogramObserver() {
    this(2048, 128, DType.QUINT8, false, false);
  }

  /**
   * HistogramObserver(bins, upsample_rate, dtype, qscheme, reduce_range)
   * with the dtype's default integer range.
   *
   * @param bins in [1, 2^24]
   * @param upsampleRate in [1, 2^20]
   * @param dtype the type of the integers
   * @param symmetric false for the affine schemes, true for the symmetric ones (PyTorch's qscheme)
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @throws QTensorException INVALID_ARGUMENT for bins or upsampleRate out of
   *     range, or options PyTorch refuses (symmetric QUINT8 with reduceRange
   *     is allowed here, as in PyTorch)
   */
  public HistogramObserver(long bins, long upsampleRate, DType dtype, boolean symmetric,
                           boolean reduceRange) {
    super("HistogramObserver",
          NativeObserver.Histogram(bins, upsampleRate, code(dtype), symmetric, reduceRange, 0, 0),
          dtype, symmetric);
  }

  /**
   * As the constructor without a range, with a custom one (see {@link MinMaxObserver}).
   *
   * @param bins the number of histogram bins, in [1, 2^24]
   * @param upsampleRate how finely the histogram is resampled when its range grows, in [1, 2^16]
   * @param dtype the type of the integers
   * @param symmetric false for the affine schemes, true for the symmetric ones (PyTorch's qscheme)
   * @param reduceRange true to use one bit less of the integer range, as PyTorch's reduce_range
   * @param quantMin the smallest integer
   * @param quantMax the largest integer
   */
  public HistogramObserver(long bins, long upsampleRate, DType dtype, boolean symmetric,
                           boolean reduceRange, long quantMin, long quantMax) {
    super("HistogramObserver",
          NativeObserver.Histogram(bins, upsampleRate, code(dtype), symmetric, reduceRange,
                                   checkRange("HistogramObserver", quantMin, quantMax),
                                   quantMax),
          dtype, symmetric);
  }
}

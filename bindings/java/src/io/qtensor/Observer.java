package io.qtensor;

import java.util.Objects;

/**
 * What every observer of float batches shares (torch.ao.quantization's
 * observers): {@link #forward} records a batch, {@link #calculateQParams()}
 * gives the parameters PyTorch 1.13 gives, bit for bit, and
 * {@link #quantizer()} a {@link Quantizer} holding them.
 *
 * <p>PyTorch's {@code qscheme} is the constructors' {@code symmetric}:
 * false for per_tensor_affine (per_channel_affine), true for
 * per_tensor_symmetric (per_channel_symmetric). PyTorch's
 * {@code quant_min=None, quant_max=None} is a constructor without them.
 *
 * <p>An observer owns native memory: close it (try-with-resources); closing
 * twice does nothing, and any other use after close throws
 * IllegalStateException. Not thread-safe: use one per thread, or lock.
 */
public abstract sealed class Observer implements AutoCloseable
    permits MinMaxObserver, MovingAverageMinMaxObserver, PerChannelMinMaxObserver,
            MovingAveragePerChannelMinMaxObserver, HistogramObserver {
  private final NativeRef<NativeObserver> ref;
  private final String description;

  Observer(String kind, NativeObserver proxy, DType dtype, boolean symmetric) {
    ref = new NativeRef<>(kind, proxy, NativeObserver.getCPtr(proxy),
                          NativeModuleJNI::delete_NativeObserver);
    description = kind + "(dtype=" + dtype.torchName() + ", symmetric=" + symmetric + ")";
  }

  // quant_min == quant_max == 0 would select the dtype's default range in
  // the C ABI: refused here, as PyTorch refuses that range (the library
  // checks every other custom range, with the same wording).
  static long checkRange(String kind, long quantMin, long quantMax) {
    if (quantMin == 0 && quantMax == 0) {
      throw new QTensorException(Status.INVALID_ARGUMENT,
                                 kind + ": quant_min must be less than quant_max, got [0, 0]");
    }
    return quantMin;
  }

  static int code(DType dtype) {
    return Objects.requireNonNull(dtype, "dtype").code();
  }

  NativeObserver handle() {
    return ref.get();
  }

  /**
   * observer(x): records one batch of row-major floats of the given shape
   * (any shape; a batch without elements is ignored, as PyTorch ignores it).
   * x is only read. On error the observer is unchanged.
   *
   * @param x the batch of floats, row-major
   * @param shape the sizes of the dims
   * @throws QTensorException SHAPE_MISMATCH if x has not the shape's number
   *     of elements, or a per-channel observer gets another number of
   *     channels than before; OUT_OF_RANGE if a per-channel observer's
   *     chAxis is not a dim of the batch; INVALID_ARGUMENT for a bad shape,
   *     or a NaN or an infinity given to a {@link HistogramObserver}
   */
  public void forward(float[] x, long[] shape) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(shape, "shape");
    handle().forwardArray(x, shape);
  }

  /**
   * {@return observer.calculate_qparams(): float32 scales and zero points, bit for bit
   * as PyTorch 1.13's: one scale and zero point for a per-tensor observer, one
   * per channel for a per-channel one}
   *
   * @throws QTensorException INVALID_ARGUMENT before the observer saw data
   *     (PyTorch warns and gives 1.0 and 0), after a NaN (PyTorch fails an
   *     assertion), or for an infinite scale (an infinity was seen or the
   *     range overflows float32; PyTorch gives that scale)
   */
  public ObserverQParams calculateQParams() {
    NativeObserver proxy = handle();
    long[] zeroPoints = new long[Math.toIntExact(proxy.num_channels())];
    float[] scales = proxy.calculateQParamsArrays(zeroPoints);
    return new ObserverQParams(scales, zeroPoints);
  }

  /**
   * {@return observer.min_val: the running (or averaged, or the histogram's) minimum,
   * one per channel; a per-tensor observer's one value, +inf before data (a
   * per-channel one has none before data)}
   */
  public float[] minVal() {
    return handle().minValArray();
  }

  /** {@return observer.max_val: as {@link #minVal()} for the maximum (-inf before data)} */
  public float[] maxVal() {
    return handle().maxValArray();
  }

  /**
   * {@return the number of parameters {@link #calculateQParams()} gives: 1 for a
   * per-tensor observer, the number of channels for a per-channel one that
   * saw data, 0 for one that saw none}
   */
  public long numChannels() {
    return handle().num_channels();
  }

  /**
   * {@return the parameters as a new quantizer (close it): per tensor, or per channel
   * along the observer's chAxis} Errors as {@link #calculateQParams()}.
   */
  public Quantizer quantizer() {
    return new Quantizer(handle().quantizer());
  }

  /**
   * For example {@code MinMaxObserver(dtype=qint8, symmetric=true)};
   * {@code MinMaxObserver(closed)} once closed.
   */
  @Override
  public String toString() {
    return ref.isClosed() ? getClass().getSimpleName() + "(closed)" : description;
  }

  /** {@return true once close() was called} */
  public boolean isClosed() {
    return ref.isClosed();
  }

  /** Frees the native observer; closing again does nothing. */
  @Override
  public void close() {
    ref.close();
  }
}

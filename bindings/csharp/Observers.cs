// The observers of torch.ao.quantization (MinMaxObserver and relatives): they
// record float batches and give the quantization parameters PyTorch 1.13
// gives, bit for bit.
using System;
using System.Globalization;
using System.Threading;

namespace QTensor {

/// <summary>
/// What every observer of float batches shares (torch.ao.quantization's
/// observers): <see cref="Forward"/> records a batch,
/// <see cref="CalculateQParams"/> gives the parameters PyTorch 1.13 gives,
/// bit for bit, and <see cref="Quantizer"/> a quantizer holding them.
/// PyTorch's qscheme is the constructors' <c>symmetric</c> (false: the
/// affine scheme, true: the symmetric one); PyTorch's quant_min and
/// quant_max are <c>quantMin</c> and <c>quantMax</c>, null for None. Owns a
/// native handle (dispose it). Not thread-safe: use one per thread, or lock.
/// </summary>
public abstract class Observer : IDisposable {
  static Observer() { NativeLoader.EnsureLoaded(); }

  NativeObserver native;
  readonly string description;

  internal Observer(NativeObserver native, string kind, DType dtype, bool symmetric) {
    this.native = native;
    description = string.Format(CultureInfo.InvariantCulture, "{0}(dtype={1}, symmetric={2})",
                                kind, dtype, symmetric);
  }

  // The library's quant_min and quant_max: both 0 selects the dtype's
  // default, PyTorch's None. One bound alone and the range [0, 0] are
  // refused, as in Python's binding; the library checks the rest.
  internal static NativeObserver Make(string kind, long? quantMin, long? quantMax,
                                      Func<long, long, NativeObserver> make) {
    if (quantMin.HasValue != quantMax.HasValue) {
      throw new QTensorArgumentException(
          $"{kind}: give both quantMin and quantMax, or neither (PyTorch ignores one alone)");
    }
    if (quantMin == 0 && quantMax == 0) {
      throw new QTensorArgumentException(
          $"{kind}: quant_min must be less than quant_max, got [0, 0]");
    }
    return make(quantMin ?? 0, quantMax ?? 0);
  }

  internal NativeObserver Native {
    get {
      NativeObserver current = native;
      if (current == null) throw new ObjectDisposedException(GetType().Name);
      return current;
    }
  }

  /// <summary>Frees the native observer; later calls are harmless.</summary>
  public void Dispose() {
    NativeObserver current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  /// <summary>
  /// observer(x): records one batch of row-major floats of the given shape
  /// (any shape; a batch without elements is ignored, as PyTorch ignores
  /// it). <paramref name="x"/> is only read. On error the observer is
  /// unchanged: a data length other than the shape's element count, or a
  /// per-channel observer given another number of channels than before,
  /// throws <see cref="QTensorShapeException"/>; a chAxis that is not a dim
  /// of the batch, <see cref="QTensorIndexException"/>; a bad shape, or a
  /// NaN or an infinity given to a <see cref="HistogramObserver"/>,
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public void Forward(float[] x, long[] shape) {
    Arguments.NotNull(x, nameof(x));
    Arguments.NotNull(shape, nameof(shape));
    Native.ForwardValues(x, x.Length, shape, shape.Length);
  }

  /// <summary>
  /// observer.calculate_qparams(): float32 scales and zero points, bit for
  /// bit as PyTorch 1.13's, one per channel (one for a per-tensor observer).
  /// Throws <see cref="QTensorArgumentException"/> before the observer saw
  /// data (PyTorch warns and gives 1.0 and 0), after a NaN (PyTorch fails an
  /// assertion), or for an infinite scale (PyTorch gives it).
  /// </summary>
  public ObserverQParams CalculateQParams() {
    NativeObserver observer = Native;
    long count = observer.NumChannels();
    var scales = new float[count];
    var zeroPoints = new long[count];
    observer.CalculateQParamsInto(scales, zeroPoints, count);
    return new ObserverQParams(scales, zeroPoints);
  }

  /// <summary>
  /// observer.min_val: the running (or averaged, or the histogram's)
  /// minimum, one per channel (a new array); a per-tensor observer's one
  /// value is +infinity before data, a per-channel one has none.
  /// </summary>
  public float[] MinVal {
    get {
      NativeObserver observer = Native;
      var values = new float[observer.NumChannels()];
      observer.MinValInto(values, values.Length);
      return values;
    }
  }

  /// <summary>
  /// observer.max_val: as <see cref="MinVal"/> for the maximum (-infinity
  /// before data).
  /// </summary>
  public float[] MaxVal {
    get {
      NativeObserver observer = Native;
      var values = new float[observer.NumChannels()];
      observer.MaxValInto(values, values.Length);
      return values;
    }
  }

  /// <summary>
  /// The number of parameters <see cref="CalculateQParams"/> gives: 1 for a
  /// per-tensor observer, the number of channels for a per-channel one that
  /// saw data, 0 for one that saw none.
  /// </summary>
  public long NumChannels => Native.NumChannels();

  /// <summary>
  /// The parameters as a quantizer (a new object on each read, to dispose):
  /// per tensor, or per channel along the observer's chAxis. Errors as
  /// <see cref="CalculateQParams"/>.
  /// </summary>
  public Quantizer Quantizer => new Quantizer(Native.quantizer());

  /// <summary>
  /// For example "MinMaxObserver(dtype=QInt8, symmetric=True)";
  /// "MinMaxObserver(closed)" once disposed. Never throws.
  /// </summary>
  public override string ToString() {
    return native == null ? GetType().Name + "(closed)" : description;
  }
}

/// <summary>
/// torch.ao.quantization.MinMaxObserver: parameters from the running minimum
/// and maximum of every batch seen (see <see cref="Observer"/>).
/// </summary>
public sealed class MinMaxObserver : Observer {
  static MinMaxObserver() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// MinMaxObserver(dtype, qscheme, reduce_range, quant_min, quant_max), with
  /// PyTorch's defaults (QUInt8, per_tensor_affine, the dtype's range). A
  /// custom range must include 0, have quantMin &lt; quantMax and fit the
  /// dtype (for QInt32, at most 2^31 values); reduceRange does not go with
  /// symmetric QUInt8. Options PyTorch refuses throw
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public MinMaxObserver(DType dtype = DType.QUInt8, bool symmetric = false,
                        bool reduceRange = false, long? quantMin = null, long? quantMax = null)
      : base(Make(nameof(MinMaxObserver), quantMin, quantMax,
                  (lo, hi) => NativeObserver.MinMax(dtype, symmetric, reduceRange, lo, hi)),
             nameof(MinMaxObserver), dtype, symmetric) {}
}

/// <summary>
/// torch.ao.quantization.MovingAverageMinMaxObserver: the first batch's
/// minimum and maximum, then min += averagingConstant * (batch min - min) in
/// float32, as PyTorch's; the same for the maximum.
/// </summary>
public sealed class MovingAverageMinMaxObserver : Observer {
  static MovingAverageMinMaxObserver() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// MovingAverageMinMaxObserver(averaging_constant, dtype, qscheme,
  /// reduce_range, quant_min, quant_max), with PyTorch's defaults.
  /// <paramref name="averagingConstant"/> must lie in (0, 1]; other options
  /// as <see cref="MinMaxObserver"/>'s.
  /// </summary>
  public MovingAverageMinMaxObserver(double averagingConstant = 0.01,
                                     DType dtype = DType.QUInt8, bool symmetric = false,
                                     bool reduceRange = false, long? quantMin = null,
                                     long? quantMax = null)
      : base(Make(nameof(MovingAverageMinMaxObserver), quantMin, quantMax,
                  (lo, hi) => NativeObserver.MovingAverageMinMax(averagingConstant, dtype,
                                                                 symmetric, reduceRange, lo, hi)),
             nameof(MovingAverageMinMaxObserver), dtype, symmetric) {}
}

/// <summary>
/// torch.ao.quantization.PerChannelMinMaxObserver: a running minimum and
/// maximum per index of chAxis; every batch must have the same number of
/// channels. Its quantizer is per channel along chAxis.
/// </summary>
public sealed class PerChannelMinMaxObserver : Observer {
  static PerChannelMinMaxObserver() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// PerChannelMinMaxObserver(ch_axis, dtype, qscheme, reduce_range,
  /// quant_min, quant_max), with PyTorch's defaults (chAxis 0, QUInt8,
  /// per_channel_affine). <paramref name="chAxis"/> must lie in [-64, 64)
  /// (negative counts from the end of each batch's shape); other options as
  /// <see cref="MinMaxObserver"/>'s.
  /// </summary>
  public PerChannelMinMaxObserver(long chAxis = 0, DType dtype = DType.QUInt8,
                                  bool symmetric = false, bool reduceRange = false,
                                  long? quantMin = null, long? quantMax = null)
      : base(Make(nameof(PerChannelMinMaxObserver), quantMin, quantMax,
                  (lo, hi) => NativeObserver.PerChannelMinMax(chAxis, dtype, symmetric,
                                                              reduceRange, lo, hi)),
             nameof(PerChannelMinMaxObserver), dtype, symmetric) {}
}

/// <summary>
/// torch.ao.quantization.MovingAveragePerChannelMinMaxObserver: the moving
/// average of <see cref="MovingAverageMinMaxObserver"/>, per channel as
/// <see cref="PerChannelMinMaxObserver"/>.
/// </summary>
public sealed class MovingAveragePerChannelMinMaxObserver : Observer {
  static MovingAveragePerChannelMinMaxObserver() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// MovingAveragePerChannelMinMaxObserver(averaging_constant, ch_axis,
  /// dtype, qscheme, reduce_range, quant_min, quant_max), with PyTorch's
  /// defaults; options as the two observers it combines.
  /// </summary>
  public MovingAveragePerChannelMinMaxObserver(double averagingConstant = 0.01, long chAxis = 0,
                                               DType dtype = DType.QUInt8,
                                               bool symmetric = false, bool reduceRange = false,
                                               long? quantMin = null, long? quantMax = null)
      : base(Make(nameof(MovingAveragePerChannelMinMaxObserver), quantMin, quantMax,
                  (lo, hi) => NativeObserver.MovingAveragePerChannelMinMax(
                      averagingConstant, chAxis, dtype, symmetric, reduceRange, lo, hi)),
             nameof(MovingAveragePerChannelMinMaxObserver), dtype, symmetric) {}
}

/// <summary>
/// torch.ao.quantization.HistogramObserver: a histogram of bins counts over
/// the running range (PyTorch 1.13's, including its truncation of the first
/// range to integers), resampled with upsampleRate as the range grows; the
/// parameters come from the range its L2 search picks, bit for bit as
/// PyTorch's. A batch holding NaN or an infinity, or widening the range too
/// far to resample, throws <see cref="QTensorArgumentException"/> from
/// <see cref="Observer.Forward"/> (PyTorch fails too) and changes nothing.
/// </summary>
public sealed class HistogramObserver : Observer {
  static HistogramObserver() { NativeLoader.EnsureLoaded(); }

  /// <summary>
  /// HistogramObserver(bins, upsample_rate, dtype, qscheme, reduce_range,
  /// quant_min, quant_max), with PyTorch's defaults (2048 bins, upsample rate
  /// 128, QUInt8, per_tensor_affine). <paramref name="bins"/> must lie in
  /// [1, 2^24], <paramref name="upsampleRate"/> in [1, 2^20]; other options
  /// as <see cref="MinMaxObserver"/>'s, except that symmetric QUInt8 with
  /// reduceRange is allowed, as in PyTorch.
  /// </summary>
  public HistogramObserver(long bins = 2048, long upsampleRate = 128, DType dtype = DType.QUInt8,
                           bool symmetric = false, bool reduceRange = false,
                           long? quantMin = null, long? quantMax = null)
      : base(Make(nameof(HistogramObserver), quantMin, quantMax,
                  (lo, hi) => NativeObserver.Histogram(bins, upsampleRate, dtype, symmetric,
                                                       reduceRange, lo, hi)),
             nameof(HistogramObserver), dtype, symmetric) {}
}

/// <summary>
/// What <see cref="Observer.CalculateQParams"/> gives: float32 scales and
/// zero points, one per channel (one for a per-tensor observer), as
/// PyTorch's calculate_qparams() gives them. Immutable: the properties
/// return new arrays.
/// </summary>
public sealed class ObserverQParams : IEquatable<ObserverQParams> {
  static ObserverQParams() { NativeLoader.EnsureLoaded(); }

  readonly float[] scales;
  readonly long[] zeroPoints;

  internal ObserverQParams(float[] scales, long[] zeroPoints) {
    this.scales = scales;
    this.zeroPoints = zeroPoints;
  }

  /// <summary>The scales (float32, as PyTorch's), one per channel.</summary>
  public float[] Scales => (float[])scales.Clone();
  /// <summary>The zero points, one per channel.</summary>
  public long[] ZeroPoints => (long[])zeroPoints.Clone();

  /// <summary>The same scales and zero points.</summary>
  public bool Equals(ObserverQParams other) {
    if (other == null || other.scales.Length != scales.Length) return false;
    for (int i = 0; i < scales.Length; ++i) {
      if (!scales[i].Equals(other.scales[i]) || zeroPoints[i] != other.zeroPoints[i]) {
        return false;
      }
    }
    return true;
  }
  /// <summary>As <see cref="Equals(ObserverQParams)"/>; false for other types.</summary>
  public override bool Equals(object obj) => Equals(obj as ObserverQParams);
  /// <summary>A hash of the scales and zero points.</summary>
  public override int GetHashCode() {
    unchecked {
      int hash = scales.Length;
      for (int i = 0; i < scales.Length; ++i) {
        hash = (hash * 31 + scales[i].GetHashCode()) * 31 + zeroPoints[i].GetHashCode();
      }
      return hash;
    }
  }

  /// <summary>For example "ObserverQParams(scales=[0.02352941], zero_points=[0])".</summary>
  public override string ToString() {
    var text = new string[scales.Length];
    for (int i = 0; i < scales.Length; ++i) {
      text[i] = scales[i].ToString("R", CultureInfo.InvariantCulture);
    }
    return "ObserverQParams(scales=[" + string.Join(", ", text) + "], zero_points=[" +
           string.Join(", ", zeroPoints) + "])";
  }
}

}  // namespace QTensor

// Quantization parameters: dtype plus per-tensor (scale, zero point) or
// per-channel (scales, zero points, axis) affine parameters. Immutable.
using System;
using System.Globalization;
using System.Threading;

namespace QTensor {

/// <summary>
/// Quantization parameters: a dtype plus per-tensor (scale, zero point) or
/// per-channel (scales, zero points, axis) affine parameters. Immutable; owns
/// a native handle (dispose it).
/// </summary>
public sealed class Quantizer : IDisposable, IEquatable<Quantizer> {
  static Quantizer() { NativeLoader.EnsureLoaded(); }

  NativeQuantizer native;
  // Computed once, so that it stays the same after Dispose and a quantizer
  // in a hash collection can still be found there.
  readonly int hashCode;

  internal Quantizer(NativeQuantizer native) {
    this.native = native;
    hashCode = HashOf(native);
  }

  /// <summary>
  /// One scale and zero point for every element (PyTorch's order of
  /// arguments). A scale that is not positive and finite, or a zero point
  /// outside the dtype's range, throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static Quantizer PerTensor(double scale, long zeroPoint, DType dtype) {
    return new Quantizer(NativeQuantizer.PerTensor(dtype, scale, zeroPoint));
  }

  /// <summary>
  /// A scale and zero point per index of one dimension: <c>scales[c]</c> and
  /// <c>zeroPoints[c]</c> quantize index <c>c</c> of dimension
  /// <paramref name="axis"/> (PyTorch's order of arguments).
  /// </summary>
  public static Quantizer PerChannel(double[] scales, long[] zeroPoints, long axis, DType dtype) {
    Arguments.SameLength(scales, zeroPoints);
    return new Quantizer(
        NativeQuantizer.PerChannelArrays(dtype, scales, zeroPoints, scales.Length, axis));
  }

  /// <summary>
  /// PyTorch's per_channel_affine_float_qparams (its embedding
  /// quantization's): a float32 scale and float32 zero point per index of
  /// <paramref name="axis"/>. The zero points may be any finite value;
  /// <paramref name="dtype"/> is QInt8, QUInt8, QUInt4x2 or QUInt2x4.
  /// </summary>
  public static Quantizer PerChannelFloatQParams(float[] scales, float[] zeroPoints, long axis,
                                                 DType dtype) {
    Arguments.SameLength(scales, zeroPoints);
    return new Quantizer(NativeQuantizer.PerChannelFloatQParamsArrays(
        dtype, scales, zeroPoints, scales.Length, axis));
  }

  /// <summary>
  /// ONNX's blocked quantization: one scale and zero point per block of
  /// <paramref name="blockSize"/> consecutive elements along
  /// <paramref name="axis"/>, the last block possibly short. The parameters
  /// are row-major in the tensor's shape with that dimension replaced by its
  /// number of blocks (checked when the quantizer is used).
  /// </summary>
  public static Quantizer PerBlock(double[] scales, long[] zeroPoints, long axis, long blockSize,
                                   DType dtype) {
    Arguments.SameLength(scales, zeroPoints);
    return new Quantizer(NativeQuantizer.PerBlockArrays(dtype, scales, zeroPoints, scales.Length,
                                                        axis, blockSize));
  }

  /// <summary>
  /// The quantizer of GGUF blocks of <paramref name="type"/>: one d per block
  /// of 32 along the last dimension, rows first, kept as float16 (0, -0.0 and
  /// negative ones too), with <see cref="Rounding.Gguf"/>. A scale that is not
  /// a finite float16 value throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static Quantizer Gguf(GgufType type, double[] scales) {
    Arguments.NotNull(scales, nameof(scales));
    return new Quantizer(NativeQuantizer.GgufArrays(type, scales, scales.Length));
  }

  /// <summary>
  /// A copy that quantizes with <paramref name="rounding"/>;
  /// <see cref="Rounding.Onnx"/> with QInt32, QUInt4x2 or QUInt2x4 throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Quantizer WithRounding(Rounding rounding) => new Quantizer(Native.with_rounding(rounding));

  /// <summary>
  /// A copy whose scales are kept as <paramref name="scaleType"/>; a scale
  /// that is not a value of that type throws
  /// <see cref="QTensorArgumentException"/> naming the nearest one.
  /// </summary>
  public Quantizer WithScaleType(ScaleType scaleType) =>
      new Quantizer(Native.with_scale_type(scaleType));

  internal NativeQuantizer Native {
    get {
      NativeQuantizer current = native;
      if (current == null) throw new ObjectDisposedException(nameof(Quantizer));
      return current;
    }
  }

  /// <summary>Frees the native parameters; later calls are harmless.</summary>
  public void Dispose() {
    NativeQuantizer current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  /// <summary>The integer type.</summary>
  public DType DType => Native.dtype();
  /// <summary>Per tensor or per channel.</summary>
  public QScheme QScheme => Native.qscheme();

  /// <summary>
  /// The scale of a per-tensor quantizer (<see cref="QTensorTypeException"/>
  /// for a per-channel one).
  /// </summary>
  public double Scale => Native.scale();
  /// <summary>
  /// The zero point of a per-tensor quantizer (<see cref="QTensorTypeException"/>
  /// for a per-channel one).
  /// </summary>
  public long ZeroPoint => Native.zero_point();

  /// <summary>
  /// The channel dimension of a per-channel quantizer
  /// (<see cref="QTensorTypeException"/> for a per-tensor one).
  /// </summary>
  public long Axis => Native.axis();
  /// <summary>
  /// The block size of a per-block quantizer (<see cref="QTensorTypeException"/>
  /// otherwise).
  /// </summary>
  public long BlockSize => Native.block_size();
  /// <summary>How floats are rounded into this quantizer's integers.</summary>
  public Rounding Rounding => Native.rounding();
  /// <summary>The type the scales are kept in (no result depends on it).</summary>
  public ScaleType ScaleType => Native.scale_type();
  /// <summary>
  /// The number of channels (1 for a per-tensor quantizer; the number of
  /// blocks for a per-block one).
  /// </summary>
  public long NumChannels => Native.num_channels();
  /// <summary>
  /// The scales, one per channel; a per-tensor quantizer's one scale (a new
  /// array).
  /// </summary>
  public double[] Scales {
    get {
      NativeQuantizer quantizer = Native;
      var scales = new double[quantizer.num_channels()];
      quantizer.ScalesInto(scales, scales.Length);
      return scales;
    }
  }
  /// <summary>
  /// The zero points, one per channel; a per-tensor quantizer's one zero
  /// point (a new array).
  /// </summary>
  public long[] ZeroPoints {
    get {
      NativeQuantizer quantizer = Native;
      var zeroPoints = new long[quantizer.num_channels()];
      quantizer.ZeroPointsInto(zeroPoints, zeroPoints.Length);
      return zeroPoints;
    }
  }
  /// <summary>
  /// The float zero points of a float-qparams quantizer, one per channel (a
  /// new array; <see cref="QTensorTypeException"/> for any other scheme).
  /// </summary>
  public float[] FloatZeroPoints {
    get {
      NativeQuantizer quantizer = Native;
      var zeroPoints = new float[quantizer.num_channels()];
      quantizer.FloatZeroPointsInto(zeroPoints, zeroPoints.Length);
      return zeroPoints;
    }
  }

  /// <summary>
  /// Same dtype, scheme and parameters (doubles compared exactly). A disposed
  /// quantizer equals only itself. Never throws.
  /// </summary>
  public bool Equals(Quantizer other) {
    if (ReferenceEquals(this, other)) return true;
    if (other == null || hashCode != other.hashCode) return false;
    NativeQuantizer mine = native;
    NativeQuantizer theirs = other.native;
    return mine != null && theirs != null && mine.IsEqual(theirs);
  }
  /// <summary>As <see cref="Equals(Quantizer)"/>; false for other types.</summary>
  public override bool Equals(object obj) => Equals(obj as Quantizer);

  /// <summary>
  /// The same before and after <see cref="Dispose"/>; equal quantizers have
  /// equal hash codes.
  /// </summary>
  public override int GetHashCode() => hashCode;

  // From what equality compares, read in O(1) (not every channel's scale).
  static int HashOf(NativeQuantizer quantizer) {
    unchecked {
      QScheme qscheme = quantizer.qscheme();
      int hash = (int)quantizer.dtype() * 31 + (int)qscheme;
      if (qscheme == QScheme.PerTensorAffine) {
        hash = hash * 31 + quantizer.scale().GetHashCode();
        return hash * 31 + quantizer.zero_point().GetHashCode();
      }
      // A float-qparams view's one channel has no axis.
      if (qscheme == QScheme.PerChannelAffineFloatQParams) {
        return hash * 31 + quantizer.num_channels().GetHashCode();
      }
      hash = hash * 31 + quantizer.axis().GetHashCode();
      return hash * 31 + quantizer.num_channels().GetHashCode();
    }
  }

  /// <summary>
  /// For example "Quantizer(dtype=QUInt8, per_tensor_affine, scale=0.02,
  /// zero_point=7)"; "Quantizer(closed)" once disposed. Never throws.
  /// </summary>
  public override string ToString() {
    NativeQuantizer quantizer = native;
    if (quantizer == null) return "Quantizer(closed)";
    if (quantizer.qscheme() == QScheme.PerTensorAffine) {
      return string.Format(CultureInfo.InvariantCulture,
                           "Quantizer(dtype={0}, per_tensor_affine, scale={1:R}, zero_point={2})",
                           quantizer.dtype(), quantizer.scale(), quantizer.zero_point());
    }
    if (quantizer.qscheme() == QScheme.PerBlockAffine) {
      return string.Format(CultureInfo.InvariantCulture,
                           "Quantizer(dtype={0}, per_block_affine, blocks={1}, axis={2}, " +
                           "block_size={3})", quantizer.dtype(), quantizer.num_channels(),
                           quantizer.axis(), quantizer.block_size());
    }
    if (quantizer.qscheme() == QScheme.PerChannelAffineFloatQParams) {
      return string.Format(CultureInfo.InvariantCulture,
                           "Quantizer(dtype={0}, per_channel_affine_float_qparams, channels={1})",
                           quantizer.dtype(), quantizer.num_channels());
    }
    return string.Format(CultureInfo.InvariantCulture,
                         "Quantizer(dtype={0}, per_channel_affine, channels={1}, axis={2})",
                         quantizer.dtype(), quantizer.num_channels(), quantizer.axis());
  }
}

}  // namespace QTensor

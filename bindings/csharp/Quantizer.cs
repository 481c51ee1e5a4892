// Quantization parameters: dtype plus per-tensor (scale, zero point) or
// per-channel (scales, zero points, axis) affine parameters. Immutable.
using System;
using System.Globalization;
using System.Threading;

namespace QTensor {

public sealed class Quantizer : IDisposable, IEquatable<Quantizer> {
  NativeQuantizer native;
  // Computed once, so that it stays the same after Dispose and a quantizer
  // in a hash collection can still be found there.
  readonly int hashCode;

  internal Quantizer(NativeQuantizer native) {
    this.native = native;
    hashCode = HashOf(native);
  }

  public static Quantizer PerTensor(double scale, long zeroPoint, DType dtype) {
    return new Quantizer(NativeQuantizer.PerTensor(dtype, scale, zeroPoint));
  }

  // scales[c] and zeroPoints[c] quantize index c of dimension axis.
  public static Quantizer PerChannel(double[] scales, long[] zeroPoints, long axis, DType dtype) {
    Arguments.NotNull(scales, nameof(scales));
    Arguments.NotNull(zeroPoints, nameof(zeroPoints));
    if (scales.Length != zeroPoints.Length) {
      throw new QTensorArgumentException(
          $"{scales.Length} scales but {zeroPoints.Length} zero points");
    }
    return new Quantizer(
        NativeQuantizer.PerChannelArrays(dtype, scales, zeroPoints, scales.Length, axis));
  }

  internal NativeQuantizer Native {
    get {
      NativeQuantizer current = native;
      if (current == null) throw new ObjectDisposedException(nameof(Quantizer));
      return current;
    }
  }

  // Frees the native parameters; later calls are harmless.
  public void Dispose() {
    NativeQuantizer current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  public DType DType => Native.dtype();
  public QScheme QScheme => Native.qscheme();

  // Per-tensor parameters (QTensorTypeException for per-channel).
  public double Scale => Native.scale();
  public long ZeroPoint => Native.zero_point();

  // Per-channel parameters (QTensorTypeException for per-tensor).
  public long Axis => Native.axis();
  public long NumChannels => Native.num_channels();
  public double[] Scales {
    get {
      NativeQuantizer quantizer = Native;
      var scales = new double[quantizer.num_channels()];
      quantizer.ScalesInto(scales, scales.Length);
      return scales;
    }
  }
  public long[] ZeroPoints {
    get {
      NativeQuantizer quantizer = Native;
      var zeroPoints = new long[quantizer.num_channels()];
      quantizer.ZeroPointsInto(zeroPoints, zeroPoints.Length);
      return zeroPoints;
    }
  }

  // Same dtype, scheme and parameters (doubles compared exactly). A disposed
  // quantizer equals only itself. Never throws.
  public bool Equals(Quantizer other) {
    if (ReferenceEquals(this, other)) return true;
    if (other == null || hashCode != other.hashCode) return false;
    NativeQuantizer mine = native;
    NativeQuantizer theirs = other.native;
    return mine != null && theirs != null && mine.IsEqual(theirs);
  }
  public override bool Equals(object obj) => Equals(obj as Quantizer);

  // The same before and after Dispose; equal quantizers have equal ones.
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
      hash = hash * 31 + quantizer.axis().GetHashCode();
      return hash * 31 + quantizer.num_channels().GetHashCode();
    }
  }

  // For example "Quantizer(dtype=QUInt8, per_tensor_affine, scale=0.02,
  // zero_point=7)"; "Quantizer(closed)" once disposed (never throws).
  public override string ToString() {
    NativeQuantizer quantizer = native;
    if (quantizer == null) return "Quantizer(closed)";
    if (quantizer.qscheme() == QScheme.PerTensorAffine) {
      return string.Format(CultureInfo.InvariantCulture,
                           "Quantizer(dtype={0}, per_tensor_affine, scale={1:R}, zero_point={2})",
                           quantizer.dtype(), quantizer.scale(), quantizer.zero_point());
    }
    return string.Format(CultureInfo.InvariantCulture,
                         "Quantizer(dtype={0}, per_channel_affine, channels={1}, axis={2})",
                         quantizer.dtype(), quantizer.num_channels(), quantizer.axis());
  }
}

}  // namespace QTensor

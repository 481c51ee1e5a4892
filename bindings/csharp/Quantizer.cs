// Quantization parameters: dtype plus per-tensor (scale, zero point) or
// per-channel (scales, zero points, axis) affine parameters. Immutable.
using System;
using System.Globalization;
using System.Threading;

namespace QTensor {

public sealed class Quantizer : IDisposable, IEquatable<Quantizer> {
  NativeQuantizer native;

  internal Quantizer(NativeQuantizer native) { this.native = native; }

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

  // Same dtype, scheme and parameters (doubles compared exactly).
  public bool Equals(Quantizer other) {
    if (other == null) return false;
    return ReferenceEquals(this, other) || Native.IsEqual(other.Native);
  }
  public override bool Equals(object obj) => Equals(obj as Quantizer);
  public override int GetHashCode() {
    NativeQuantizer quantizer = Native;
    return (int)quantizer.dtype() * 31 + (int)quantizer.qscheme();
  }

  public override string ToString() {
    NativeQuantizer quantizer = Native;
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

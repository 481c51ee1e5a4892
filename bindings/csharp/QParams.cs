// A per-tensor scale and zero point chosen from data, as PyTorch 1.13 chooses
// them: ChooseQuantizationParams and torch._choose_qparams_per_tensor.
using System;
using System.Globalization;

namespace QTensor {

/// <summary>
/// A per-tensor scale and zero point chosen from data, bit for bit as PyTorch
/// 1.13 chooses them (docs/numerics.md gives the formulas). Immutable.
/// </summary>
public sealed class QParams : IEquatable<QParams> {
  static QParams() { NativeLoader.EnsureLoaded(); }

  /// <summary>Parameters of the given values.</summary>
  public QParams(double scale, long zeroPoint) {
    Scale = scale;
    ZeroPoint = zeroPoint;
  }

  /// <summary>The scale (a double, as PyTorch's).</summary>
  public double Scale { get; }
  /// <summary>The zero point, inside the integer range asked for.</summary>
  public long ZeroPoint { get; }

  /// <summary>
  /// PyTorch's ChooseQuantizationParams: the parameters for values in
  /// [<paramref name="min"/>, <paramref name="max"/>] (widened to include 0)
  /// and integers in [<paramref name="qmin"/>, <paramref name="qmax"/>].
  /// <paramref name="preserveSparsity"/> is PyTorch's symmetric variant (with
  /// min &lt; 0 &lt; max the range is made symmetric and the zero point is
  /// the middle of [qmin, qmax]); <paramref name="reduceRange"/> halves qmin
  /// and qmax first. min or max not finite, min &gt; max, qmin or qmax
  /// outside int32, or qmin &gt;= qmax throw
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static QParams Choose(float min, float max, long qmin, long qmax,
                               bool preserveSparsity = false, bool reduceRange = false) {
    return Take(QTensorNative.choose_qparams(min, max, qmin, qmax, preserveSparsity, reduceRange));
  }

  /// <summary>
  /// torch._choose_qparams_per_tensor(x, reduce_range): <see cref="Choose"/>
  /// on the row-major data's minimum and maximum, for quint8's [0, 255]. No
  /// elements, a NaN or an infinity (the message names the element) throw
  /// <see cref="QTensorArgumentException"/>; a data length other than the
  /// shape's element count, <see cref="QTensorShapeException"/>. The data is
  /// only read.
  /// </summary>
  public static QParams ChoosePerTensor(float[] data, long[] shape, bool reduceRange = false) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    return Take(QTensorNative.ChooseQParamsPerTensorValues(data, data.Length, shape, shape.Length,
                                                          reduceRange));
  }

  static QParams Take(NativeQParams chosen) {
    using (chosen) {
      return new QParams(chosen.scale, chosen.zero_point);
    }
  }

  /// <summary>The same scale (exactly) and zero point.</summary>
  public bool Equals(QParams other) {
    return other != null && Scale.Equals(other.Scale) && ZeroPoint == other.ZeroPoint;
  }
  /// <summary>As <see cref="Equals(QParams)"/>; false for other types.</summary>
  public override bool Equals(object obj) => Equals(obj as QParams);
  /// <summary>A hash of the scale and zero point.</summary>
  public override int GetHashCode() {
    return unchecked(Scale.GetHashCode() * 31 + ZeroPoint.GetHashCode());
  }

  /// <summary>For example "QParams(scale=0.011764705882352941, zero_point=85)".</summary>
  public override string ToString() {
    return string.Format(CultureInfo.InvariantCulture, "QParams(scale={0:R}, zero_point={1})",
                         Scale, ZeroPoint);
  }
}

}  // namespace QTensor

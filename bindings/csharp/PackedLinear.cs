// A quantized linear layer's weight and bias packed once, applied by
// Tensor.Linear and Tensor.LinearRelu.
using System;
using System.Globalization;
using System.Threading;

namespace QTensor {

/// <summary>
/// A quantized linear layer's weight and bias packed once
/// (torch.ops.quantized.linear_prepack's packed params), applied by
/// <see cref="Tensor.Linear"/> and <see cref="Tensor.LinearRelu"/>.
/// Immutable: many threads may use one at once. Owns a native handle
/// (dispose it); any use after Dispose throws ObjectDisposedException.
/// </summary>
public sealed class PackedLinear : IDisposable {
  static PackedLinear() { NativeLoader.EnsureLoaded(); }

  NativePackedLinear native;
  readonly string description;

  PackedLinear(NativePackedLinear native) {
    this.native = native;
    description = string.Format(CultureInfo.InvariantCulture,
                                "PackedLinear(InFeatures={0}, OutFeatures={1})",
                                native.InFeatures(), native.OutFeatures());
  }

  internal NativePackedLinear Native {
    get {
      NativePackedLinear current = native;
      if (current == null) throw new ObjectDisposedException(nameof(PackedLinear));
      return current;
    }
  }

  /// <summary>
  /// torch.ops.quantized.linear_prepack(weight, bias): packs a copy of
  /// <paramref name="weight"/> (QInt8 [outFeatures, inFeatures], per tensor
  /// or per channel on dim 0; later writes to its storage do not reach the
  /// packed weights) and <paramref name="bias"/> (outFeatures finite floats,
  /// or null for none). Another dtype throws
  /// <see cref="QTensorTypeException"/>; a weight that is not 2-D or a bias
  /// of another length (an empty one included),
  /// <see cref="QTensorShapeException"/>; channels on
  /// dim 1, inFeatures above 65536 or a bias that is not finite,
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static PackedLinear Prepack(Tensor weight, float[] bias) {
    NativeTensor tensor = Arguments.NotNull(weight, nameof(weight)).Native;
    // The library reads an empty bias as none; here it is one of the wrong length.
    if (bias != null && bias.Length == 0 && weight.Dim == 2 && weight.Shape[0] != 0) {
      throw new QTensorShapeException(
          $"linear: the bias has 0 values for out_features {weight.Shape[0]}");
    }
    float[] values = bias ?? new float[0];
    return new PackedLinear(NativePackedLinear.PrepackValues(tensor, values, values.Length));
  }

  /// <summary>
  /// The packed weight as a new contiguous QInt8 tensor (a new object on
  /// each read, to dispose).
  /// </summary>
  public Tensor Weight => new Tensor(Native.weight());

  /// <summary>A copy of the bias, or null for a layer packed without one.</summary>
  public float[] Bias {
    get {
      NativePackedLinear packed = Native;
      long count = packed.BiasCount();
      if (count == 0) return null;
      var values = new float[count];
      packed.BiasInto(values, values.Length);
      return values;
    }
  }

  /// <summary>in_features: the weight's dim 1.</summary>
  public long InFeatures => Native.InFeatures();

  /// <summary>out_features: the weight's dim 0.</summary>
  public long OutFeatures => Native.OutFeatures();

  /// <summary>
  /// torch.ops.quantized.linear_dynamic(x, this, reduceRange): the floats
  /// <paramref name="data"/> of <paramref name="shape"/> [..., inFeatures]
  /// quantized per call to QUInt8 with parameters from their min and max (as
  /// <see cref="Tensor.QuantizePerTensorDynamic"/>; 7 bits with
  /// <paramref name="reduceRange"/>), times the packed weight, plus the
  /// bias, in float with qnnpack's formula bit for bit: a new row-major
  /// array [..., outFeatures]. A last dim other than inFeatures or data not
  /// of the shape's size throws <see cref="QTensorShapeException"/>; an
  /// empty shape, a NaN or an infinity, <see cref="QTensorArgumentException"/>.
  /// </summary>
  public float[] LinearDynamic(float[] data, long[] shape, bool reduceRange = false) {
    Arguments.NotNull(data, nameof(data));
    Arguments.NotNull(shape, nameof(shape));
    NativePackedLinear packed = Native;
    // Rows as the data holds them; a shape that disagrees throws natively
    // before anything is written.
    long last = shape.Length == 0 ? 0 : shape[shape.Length - 1];
    long rows = last > 0 ? data.Length / last : 0;
    var output = new float[rows * packed.OutFeatures()];
    packed.LinearDynamicInto(data, data.Length, shape, shape.Length, reduceRange, output,
                             output.Length);
    return output;
  }

  /// <summary>Frees the native packed weights; later calls are harmless.</summary>
  public void Dispose() {
    NativePackedLinear current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  /// <summary>
  /// For example "PackedLinear(InFeatures=3, OutFeatures=4)";
  /// "PackedLinear(closed)" once disposed. Never throws.
  /// </summary>
  public override string ToString() {
    return native == null ? "PackedLinear(closed)" : description;
  }
}

}  // namespace QTensor

// A quantized 2-D convolution's weight, bias and settings packed once,
// applied by Tensor.Conv2d and Tensor.Conv2dRelu.
using System;
using System.Globalization;
using System.Threading;

namespace QTensor {

/// <summary>
/// A quantized 2-D convolution's weight, bias and settings packed once
/// (torch.ops.quantized.conv2d_prepack's packed params), applied by
/// <see cref="Tensor.Conv2d"/> and <see cref="Tensor.Conv2dRelu"/>.
/// Immutable: many threads may use one at once. Owns a native handle
/// (dispose it); any use after Dispose throws ObjectDisposedException.
/// </summary>
public sealed class PackedConv2d : IDisposable {
  static PackedConv2d() { NativeLoader.EnsureLoaded(); }

  NativePackedConv2d native;
  readonly long[] settings = new long[7];  // stride, padding, dilation (2 each), groups
  readonly string description;

  PackedConv2d(NativePackedConv2d native) {
    this.native = native;
    native.SettingsInto(settings, settings.Length);
    description = string.Format(CultureInfo.InvariantCulture,
                                "PackedConv2d(Stride=[{0}, {1}], Padding=[{2}, {3}], " +
                                "Dilation=[{4}, {5}], Groups={6})",
                                settings[0], settings[1], settings[2], settings[3], settings[4],
                                settings[5], settings[6]);
  }

  internal NativePackedConv2d Native {
    get {
      NativePackedConv2d current = native;
      if (current == null) throw new ObjectDisposedException(nameof(PackedConv2d));
      return current;
    }
  }

  /// <summary>
  /// torch.ops.quantized.conv2d_prepack(weight, bias, stride, padding,
  /// dilation, groups): packs a copy of <paramref name="weight"/> (QInt8
  /// [outChannels, inChannels / groups, kH, kW], per tensor or per channel
  /// on dim 0), <paramref name="bias"/> (outChannels finite floats, or null
  /// for none) and the settings: <paramref name="stride"/> (height, width;
  /// each at least 1), <paramref name="padding"/> (at least 0: rows and
  /// columns of the input's zero point), <paramref name="dilation"/> (at
  /// least 1), <paramref name="groups"/> (at least 1, dividing outChannels).
  /// Another dtype throws <see cref="QTensorTypeException"/>; a weight that
  /// is not 4-D or a bias of another length (an empty one included),
  /// <see cref="QTensorShapeException"/>; a setting out of range or not of 2
  /// values, or a bias that is not finite,
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static PackedConv2d Prepack(Tensor weight, float[] bias, long[] stride, long[] padding,
                                     long[] dilation, long groups) {
    NativeTensor tensor = Arguments.NotNull(weight, nameof(weight)).Native;
    Arguments.NotNull(stride, nameof(stride));
    Arguments.NotNull(padding, nameof(padding));
    Arguments.NotNull(dilation, nameof(dilation));
    float[] values = bias ?? new float[0];
    return new PackedConv2d(NativePackedConv2d.PrepackValues(
        tensor, bias != null, values, values.Length, stride, stride.Length, padding,
        padding.Length, dilation, dilation.Length, groups));
  }

  /// <summary>
  /// The packed weight as a new contiguous QInt8 tensor (a new object on
  /// each read, to dispose).
  /// </summary>
  public Tensor Weight => new Tensor(Native.weight());

  /// <summary>A copy of the bias, or null for a convolution packed without one.</summary>
  public float[] Bias {
    get {
      NativePackedConv2d packed = Native;
      long count = packed.BiasCount();
      if (count == 0) return null;
      var values = new float[count];
      packed.BiasInto(values, values.Length);
      return values;
    }
  }

  /// <summary>The stride: a new { height, width } array.</summary>
  public long[] Stride => Setting(0);

  /// <summary>The padding: a new { height, width } array.</summary>
  public long[] Padding => Setting(2);

  /// <summary>The dilation: a new { height, width } array.</summary>
  public long[] Dilation => Setting(4);

  /// <summary>The number of channel groups.</summary>
  public long Groups {
    get {
      NativePackedConv2d unused = Native;
      return settings[6];
    }
  }

  long[] Setting(int first) {
    NativePackedConv2d unused = Native;
    return new[] { settings[first], settings[first + 1] };
  }

  /// <summary>Frees the native packed weights; later calls are harmless.</summary>
  public void Dispose() {
    NativePackedConv2d current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  /// <summary>
  /// For example "PackedConv2d(Stride=[2, 2], Padding=[1, 1], Dilation=[1,
  /// 1], Groups=1)"; "PackedConv2d(closed)" once disposed. Never throws.
  /// </summary>
  public override string ToString() {
    return native == null ? "PackedConv2d(closed)" : description;
  }
}

}  // namespace QTensor

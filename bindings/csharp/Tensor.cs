// A quantized tensor: a view (shape, strides, offset) of a shared storage of
// integers plus the quantizer that gives them meaning. Disposing frees this
// view's handle; other views of the storage stay valid.
using System;
using System.Threading;

namespace QTensor {

/// <summary>
/// A quantized tensor: a view (shape, strides, offset) of a shared storage of
/// integers plus the quantizer that gives them meaning. Owns a native handle:
/// disposing it frees this view's handle, and other views of the storage stay
/// valid.
/// </summary>
public sealed partial class Tensor : IDisposable {
  static Tensor() { NativeLoader.EnsureLoaded(); }

  NativeTensor native;

  internal Tensor(NativeTensor native) { this.native = native; }

  internal NativeTensor Native {
    get {
      NativeTensor current = native;
      if (current == null) throw new ObjectDisposedException(nameof(Tensor));
      return current;
    }
  }

  /// <summary>Frees the native handle; later calls are harmless.</summary>
  public void Dispose() {
    NativeTensor current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  /// <summary>The integer type.</summary>
  public DType DType => Native.dtype();
  /// <summary>Per tensor or per channel (of this view).</summary>
  public QScheme QScheme => Native.qscheme();
  /// <summary>The number of dimensions.</summary>
  public int Dim => (int)Native.dim();
  /// <summary>The number of elements.</summary>
  public long Numel => Native.numel();
  /// <summary>Always true: every tensor of this library is quantized.</summary>
  public bool IsQuantized => Native.is_quantized();
  /// <summary>Whether the elements are laid out row-major without gaps.</summary>
  public bool IsContiguous => Native.is_contiguous();
  /// <summary>
  /// Whether the storage is read-only: a tensor from a <see cref="BundleFile"/>
  /// (or from <see cref="Bundle.Load"/> of a container) borrows the file's
  /// mapped bytes, and writing into it throws
  /// <see cref="QTensorArgumentException"/>; <see cref="Clone"/> gives a
  /// writable copy.
  /// </summary>
  public bool IsReadOnly => Native.is_read_only();
  /// <summary>The index of this view's first element in its storage.</summary>
  public long StorageOffset => Native.storage_offset();

  /// <summary>The size of each dimension (a new array).</summary>
  public long[] Shape {
    get {
      NativeTensor tensor = Native;
      var shape = new long[tensor.dim()];
      tensor.ShapeInto(shape, shape.Length);
      return shape;
    }
  }

  /// <summary>
  /// The step of each dimension in elements, as PyTorch's stride() (a new
  /// array).
  /// </summary>
  public long[] Strides {
    get {
      NativeTensor tensor = Native;
      var strides = new long[tensor.dim()];
      tensor.StridesInto(strides, strides.Length);
      return strides;
    }
  }

  /// <summary>
  /// The effective quantizer of this view (a new object on each read, to
  /// dispose).
  /// </summary>
  public Quantizer Quantizer => new Quantizer(Native.quantizer());

  /// <summary>
  /// The scale of a per-tensor tensor (<see cref="QTensorTypeException"/>
  /// for a per-channel one).
  /// </summary>
  public double QScale => Native.q_scale();
  /// <summary>
  /// The zero point of a per-tensor tensor (<see cref="QTensorTypeException"/>
  /// for a per-channel one).
  /// </summary>
  public long QZeroPoint => Native.q_zero_point();

  /// <summary>
  /// The number of channels of this view: the size of its channel dimension
  /// for a per-channel tensor, 1 for a per-tensor one.
  /// </summary>
  public long QNumChannels => Native.QNumChannels();

  /// <summary>
  /// The channel dimension of a per-channel tensor, in this view's own
  /// numbering (<see cref="QTensorTypeException"/> for a per-tensor one).
  /// </summary>
  public long QPerChannelAxis => Native.q_per_channel_axis();
  /// <summary>
  /// The scales of a per-channel tensor, one per channel of this view (a new
  /// array; <see cref="QTensorTypeException"/> for a per-tensor one).
  /// </summary>
  public double[] QPerChannelScales {
    get {
      NativeTensor tensor = Native;
      var scales = new double[tensor.QNumChannels()];
      tensor.QPerChannelScalesInto(scales, scales.Length);
      return scales;
    }
  }
  /// <summary>
  /// The zero points of a per-channel tensor, one per channel of this view (a
  /// new array; <see cref="QTensorTypeException"/> for a per-tensor one).
  /// </summary>
  public long[] QPerChannelZeroPoints {
    get {
      NativeTensor tensor = Native;
      var zeroPoints = new long[tensor.QNumChannels()];
      tensor.QPerChannelZeroPointsInto(zeroPoints, zeroPoints.Length);
      return zeroPoints;
    }
  }
  /// <summary>
  /// The float zero points of a float-qparams tensor, one per channel of this
  /// view (a new array; <see cref="QTensorTypeException"/> for other schemes).
  /// </summary>
  public float[] QPerChannelFloatZeroPoints {
    get {
      NativeTensor tensor = Native;
      var zeroPoints = new float[tensor.QNumChannels()];
      tensor.QPerChannelFloatZeroPointsInto(zeroPoints, zeroPoints.Length);
      return zeroPoints;
    }
  }

  /// <summary>
  /// A second handle to this same view (not a copy, not a new view): each
  /// handle is disposed on its own, and disposing one never affects the
  /// other.
  /// </summary>
  public Tensor Share() => new Tensor(Native.share());

  /// <summary>Whether this tensor and <paramref name="other"/> view one storage.</summary>
  public bool SharesStorageWith(Tensor other) {
    return Native.shares_storage_with(Arguments.NotNull(other, nameof(other)).Native);
  }

  /// <summary>
  /// The PyTorch-style printed form, e.g. "tensor([...], size=(10,), ...)";
  /// "Tensor(closed)" once disposed. Never throws.
  /// </summary>
  public override string ToString() {
    NativeTensor current = native;
    return current == null ? "Tensor(closed)" : current.to_string();
  }
}

}  // namespace QTensor

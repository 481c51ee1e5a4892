// A quantized tensor: a view (shape, strides, offset) of a shared storage of
// integers plus the quantizer that gives them meaning. Disposing frees this
// view's handle; other views of the storage stay valid.
using System;
using System.Threading;

namespace QTensor {

public sealed partial class Tensor : IDisposable {
  NativeTensor native;

  internal Tensor(NativeTensor native) { this.native = native; }

  internal NativeTensor Native {
    get {
      NativeTensor current = native;
      if (current == null) throw new ObjectDisposedException(nameof(Tensor));
      return current;
    }
  }

  // Frees the native handle; later calls are harmless.
  public void Dispose() {
    NativeTensor current = Interlocked.Exchange(ref native, null);
    if (current != null) current.Dispose();
  }

  public DType DType => Native.dtype();
  public QScheme QScheme => Native.qscheme();
  public int Dim => (int)Native.dim();
  public long Numel => Native.numel();
  public bool IsQuantized => Native.is_quantized();
  public bool IsContiguous => Native.is_contiguous();
  public long StorageOffset => Native.storage_offset();

  public long[] Shape {
    get {
      NativeTensor tensor = Native;
      var shape = new long[tensor.dim()];
      tensor.ShapeInto(shape, shape.Length);
      return shape;
    }
  }

  // In elements, as PyTorch's stride().
  public long[] Strides {
    get {
      NativeTensor tensor = Native;
      var strides = new long[tensor.dim()];
      tensor.StridesInto(strides, strides.Length);
      return strides;
    }
  }

  // The effective quantizer of this view (a new object on each read).
  public Quantizer Quantizer => new Quantizer(Native.quantizer());

  // Per-tensor parameters (QTensorTypeException for per-channel tensors).
  public double QScale => Native.q_scale();
  public long QZeroPoint => Native.q_zero_point();

  // The number of channels of this view: the size of its channel dim for a
  // per-channel tensor, 1 for a per-tensor one.
  public long QNumChannels => Native.QNumChannels();

  // Per-channel parameters in this view's own dim numbering
  // (QTensorTypeException for per-tensor tensors).
  public long QPerChannelAxis => Native.q_per_channel_axis();
  public double[] QPerChannelScales {
    get {
      NativeTensor tensor = Native;
      var scales = new double[tensor.QNumChannels()];
      tensor.QPerChannelScalesInto(scales, scales.Length);
      return scales;
    }
  }
  public long[] QPerChannelZeroPoints {
    get {
      NativeTensor tensor = Native;
      var zeroPoints = new long[tensor.QNumChannels()];
      tensor.QPerChannelZeroPointsInto(zeroPoints, zeroPoints.Length);
      return zeroPoints;
    }
  }

  // A second handle to this same view (not a copy, not a new view): each
  // handle is disposed on its own, and disposing one never affects the other.
  public Tensor Share() => new Tensor(Native.share());

  public bool SharesStorageWith(Tensor other) {
    return Native.shares_storage_with(Arguments.NotNull(other, nameof(other)).Native);
  }

  // The PyTorch-style printed form, e.g. "tensor([...], size=(10,), ...)";
  // "Tensor(closed)" once disposed (never throws).
  public override string ToString() {
    NativeTensor current = native;
    return current == null ? "Tensor(closed)" : current.to_string();
  }
}

}  // namespace QTensor

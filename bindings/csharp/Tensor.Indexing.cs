// Index lists, masks and repeats: IndexSelect and Repeat give new tensors,
// MaskedFillInPlace and IndexPutInPlace write this view. Every element keeps
// its own quantization parameters (per-channel ones too).
using System;

namespace QTensor {

public sealed partial class Tensor {
  /// <summary>
  /// torch.index_select(q, dim, index): a new contiguous tensor of the slices
  /// of <paramref name="dim"/> (negative counts from the end) at
  /// <paramref name="indices"/>, in that order (repeats allowed, none gives
  /// size 0). Integers are copied; along a per-channel axis the result's
  /// channels are the selected ones (PyTorch 1.13 refuses per-channel
  /// tensors). An index outside [0, size) (negative ones too, as torch's) or
  /// a bad dim throws <see cref="QTensorIndexException"/>.
  /// </summary>
  public Tensor IndexSelect(long dim, long[] indices) {
    Arguments.NotNull(indices, nameof(indices));
    return new Tensor(Native.IndexSelect(dim, indices, indices.Length));
  }

  /// <summary>
  /// q.repeat(*sizes): a new contiguous tensor with dimension d tiled
  /// <c>sizes[d]</c> times; sizes beyond <see cref="Dim"/> add leading
  /// dimensions. Fewer sizes than dimensions or a negative size throw
  /// <see cref="QTensorArgumentException"/>; a result too large,
  /// <see cref="QTensorOutOfMemoryException"/>.
  /// </summary>
  public Tensor Repeat(params long[] sizes) {
    Arguments.NotNull(sizes, nameof(sizes));
    return new Tensor(Native.Repeat(sizes, sizes.Length));
  }

  /// <summary>
  /// q.masked_fill_(mask, value) in this view: every element whose entry of
  /// <paramref name="mask"/> (<see cref="Numel"/> row-major entries of this
  /// view's shape, not broadcast) is true becomes <paramref name="value"/>
  /// quantized with that element's own parameters, as <see cref="Fill"/>
  /// quantizes. A mask of another length throws
  /// <see cref="QTensorShapeException"/> and writes nothing. Returns this.
  /// </summary>
  public Tensor MaskedFillInPlace(bool[] mask, float value) {
    Arguments.NotNull(mask, nameof(mask));
    // As bytes: Mono marshals a bool[] as 4-byte BOOLs.
    var flags = new byte[mask.Length];
    for (int i = 0; i < mask.Length; ++i) flags[i] = mask[i] ? (byte)1 : (byte)0;
    Native.MaskedFillMask(flags, flags.Length, value);
    return this;
  }

  /// <summary>
  /// q.index_put_ along <paramref name="dim"/>, q[..., indices, ...] =
  /// values, in this view: the slice at <c>indices[i]</c> (negative ones
  /// count from the end, as torch's) gets slice i of
  /// <paramref name="values"/> (row-major floats of this view's shape with
  /// dim's size <c>indices.Length</c>), quantized with each element's own
  /// parameters; a repeated index takes its last slice. A bad dim or index
  /// throws <see cref="QTensorIndexException"/>, a wrong number of values
  /// <see cref="QTensorShapeException"/>; neither writes anything. Returns
  /// this.
  /// </summary>
  public Tensor IndexPutInPlace(long dim, long[] indices, float[] values) {
    Arguments.NotNull(indices, nameof(indices));
    Arguments.NotNull(values, nameof(values));
    Native.IndexPutValues(dim, indices, indices.Length, values, values.Length);
    return this;
  }
}

}  // namespace QTensor

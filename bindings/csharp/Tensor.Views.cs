// Views: new tensors over the same storage (writes through one show in the
// others), with every element's quantization parameters kept.
using System;
using System.Runtime.CompilerServices;

namespace QTensor {

public sealed partial class Tensor {
  /// <summary>
  /// The view at <paramref name="index"/> along dimension 0 (negative counts
  /// from the end): <c>Select(0, index)</c>. (Named At for other .NET
  /// languages: <see cref="Item"/> is the one-element value.)
  /// </summary>
  [IndexerName("At")]
  public Tensor this[long index] => Select(0, index);

  /// <summary>
  /// The view without dimension <paramref name="dim"/>, at
  /// <paramref name="index"/> along it (negative values count from the end).
  /// </summary>
  public Tensor Select(long dim, long index) => new Tensor(Native.select(dim, index));

  /// <summary>
  /// Python's [start:stop:step] along <paramref name="dim"/>: null means an
  /// open end, negative values count from the end, out-of-range ends are
  /// clamped, and a negative step walks backwards (step 0:
  /// <see cref="QTensorArgumentException"/>).
  /// </summary>
  public Tensor Slice(long dim, long? start, long? stop, long step = 1) {
    long openStart = step > 0 ? long.MinValue : long.MaxValue;
    long openStop = step > 0 ? long.MaxValue : long.MinValue;
    return new Tensor(Native.slice(dim, start ?? openStart, stop ?? openStop, step));
  }

  /// <summary>
  /// The view of <paramref name="length"/> indices of <paramref name="dim"/>
  /// from <paramref name="start"/>.
  /// </summary>
  public Tensor Narrow(long dim, long start, long length) {
    return new Tensor(Native.narrow(dim, start, length));
  }

  /// <summary>
  /// The view with dimensions <paramref name="dim0"/> and
  /// <paramref name="dim1"/> swapped.
  /// </summary>
  public Tensor Transpose(long dim0, long dim1) => new Tensor(Native.transpose(dim0, dim1));

  /// <summary>
  /// The view whose dimension i is this tensor's <c>dims[i]</c>;
  /// <paramref name="dims"/> is a permutation of 0 .. Dim - 1.
  /// </summary>
  public Tensor Permute(params long[] dims) {
    Arguments.NotNull(dims, nameof(dims));
    return new Tensor(Native.Permute(dims, dims.Length));
  }

  /// <summary>
  /// The same elements in row-major order under <paramref name="shape"/>,
  /// one of whose sizes may be -1 (inferred), sharing the storage (torch's
  /// view). Strides that cannot be viewed so throw
  /// <see cref="QTensorShapeException"/>; use <see cref="Reshape"/>.
  /// </summary>
  public Tensor View(params long[] shape) {
    Arguments.NotNull(shape, nameof(shape));
    return new Tensor(Native.View(shape, shape.Length));
  }

  /// <summary>
  /// <see cref="View"/> where the strides allow it, else a view of a
  /// contiguous copy.
  /// </summary>
  public Tensor Reshape(params long[] shape) {
    Arguments.NotNull(shape, nameof(shape));
    return new Tensor(Native.Reshape(shape, shape.Length));
  }

  /// <summary>
  /// Dimensions <paramref name="startDim"/> .. <paramref name="endDim"/>
  /// (negative values count from the end) merged into one, as
  /// <see cref="Reshape"/> does it.
  /// </summary>
  public Tensor Flatten(long startDim = 0, long endDim = -1) {
    return new Tensor(Native.flatten(startDim, endDim));
  }

  /// <summary>The view with a new size-1 dimension at <paramref name="dim"/>.</summary>
  public Tensor Unsqueeze(long dim) => new Tensor(Native.unsqueeze(dim));

  /// <summary>The view without any of its size-1 dimensions.</summary>
  public Tensor Squeeze() => new Tensor(Native.squeeze());

  /// <summary>
  /// The view without dimension <paramref name="dim"/> if its size is 1,
  /// else the same view.
  /// </summary>
  public Tensor Squeeze(long dim) => new Tensor(Native.squeeze(dim));

  /// <summary>
  /// This view if already contiguous (a new handle to it), else a contiguous
  /// copy.
  /// </summary>
  public Tensor Contiguous() => new Tensor(Native.contiguous());

  /// <summary>A contiguous copy with its own storage.</summary>
  public Tensor Clone() => new Tensor(Native.clone());
}

}  // namespace QTensor

// Views: new tensors over the same storage (writes through one show in the
// others), with every element's quantization parameters kept.
using System;
using System.Runtime.CompilerServices;

namespace QTensor {

public sealed partial class Tensor {
  // Index along dimension 0 (negative counts from the end): Select(0, index).
  // (Named At for other .NET languages: Item() is the one-element value.)
  [IndexerName("At")]
  public Tensor this[long index] => Select(0, index);

  // Removes dimension dim, keeping index (negative counts from the end).
  public Tensor Select(long dim, long index) => new Tensor(Native.select(dim, index));

  // Python's [start:stop:step] along dim; null means an open end, negative
  // values count from the end, out-of-range ends are clamped, and a negative
  // step walks backwards.
  public Tensor Slice(long dim, long? start, long? stop, long step = 1) {
    long openStart = step > 0 ? long.MinValue : long.MaxValue;
    long openStop = step > 0 ? long.MaxValue : long.MinValue;
    return new Tensor(Native.slice(dim, start ?? openStart, stop ?? openStop, step));
  }

  public Tensor Narrow(long dim, long start, long length) {
    return new Tensor(Native.narrow(dim, start, length));
  }

  public Tensor Transpose(long dim0, long dim1) => new Tensor(Native.transpose(dim0, dim1));

  // dims is a permutation of 0 .. Dim - 1.
  public Tensor Permute(params long[] dims) {
    Arguments.NotNull(dims, nameof(dims));
    return new Tensor(Native.Permute(dims, dims.Length));
  }

  // This tensor if already contiguous (a new handle to it), else a copy.
  public Tensor Contiguous() => new Tensor(Native.contiguous());

  // A contiguous copy with its own storage.
  public Tensor Clone() => new Tensor(Native.clone());
}

}  // namespace QTensor

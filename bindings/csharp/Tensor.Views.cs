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
  /// This view if already contiguous (a new handle to it), else a contiguous
  /// copy.
  /// </summary>
  public Tensor Contiguous() => new Tensor(Native.contiguous());

  /// <summary>A contiguous copy with its own storage.</summary>
  public Tensor Clone() => new Tensor(Native.clone());

  /// <summary>
  /// A new tensor holding this tensor's dequantized values quantized with
  /// <paramref name="quantizer"/> (per tensor, or per channel along one of
  /// the result's dims), as quantizing <see cref="Dequantize"/>'s floats
  /// would, in one pass. A channel count that is not its axis's size throws
  /// <see cref="QTensorShapeException"/>; an axis that is not a dim of the
  /// result, <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor Requantize(Quantizer quantizer) {
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    return new Tensor(Native.requantize(parameters));
  }

  /// <summary>torch.relu: max(q, zero point) on the integers; parameters kept.</summary>
  public Tensor Relu() => new Tensor(Native.relu());

  /// <summary>Relu written into this view itself (PyTorch's relu_()). Returns this.</summary>
  public Tensor ReluInPlace() {
    Native.relu_();
    return this;
  }

  /// <summary>F.relu6: min(max(q, zero point), quantize(6)); parameters kept.</summary>
  public Tensor Relu6() => new Tensor(Native.relu6());

  /// <summary>
  /// torch.clamp(q, min, max): the integers clamped to min and max quantized
  /// with each element's own parameters (infinities: no bound); max wins
  /// where min &gt; max. Parameters kept. A NaN bound throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor Clamp(float min, float max) => new Tensor(Native.clamp(min, max));

  /// <summary>
  /// torch.ops.quantized.add(this, other, scale, zeroPoint): the sum with
  /// NumPy broadcasting, each input dequantized with its own parameters, the
  /// float32 sum quantized with <paramref name="scale"/> and
  /// <paramref name="zeroPoint"/> into this tensor's dtype. Shapes that do
  /// not broadcast throw <see cref="QTensorShapeException"/>; a bad scale or
  /// zero point, <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor Add(Tensor other, double scale, long zeroPoint) =>
      new Tensor(Native.add(OtherOf(other), scale, zeroPoint));

  /// <summary><see cref="Add"/> with max(sum, 0) before quantizing (add_relu).</summary>
  public Tensor AddRelu(Tensor other, double scale, long zeroPoint) =>
      new Tensor(Native.add_relu(OtherOf(other), scale, zeroPoint));

  /// <summary>
  /// torch.ops.quantized.mul(this, other, scale, zeroPoint): PyTorch's
  /// integer formula, zeroPoint + round((qa - za) * (qb - zb) * sa * sb /
  /// scale), with NumPy broadcasting, in this tensor's dtype; errors as
  /// <see cref="Add"/>.
  /// </summary>
  public Tensor Mul(Tensor other, double scale, long zeroPoint) =>
      new Tensor(Native.mul(OtherOf(other), scale, zeroPoint));

  /// <summary><see cref="Mul"/>, then max(q, zeroPoint) (mul_relu).</summary>
  public Tensor MulRelu(Tensor other, double scale, long zeroPoint) =>
      new Tensor(Native.mul_relu(OtherOf(other), scale, zeroPoint));

  static NativeTensor OtherOf(Tensor other) => Arguments.NotNull(other, nameof(other)).Native;
}

}  // namespace QTensor

// Operators: new tensors computed from tensors (requantize, the clamps,
// add / mul, cat), as PyTorch's quantized operators compute them, and their
// in-place and out= forms.
using System;

namespace QTensor {

public sealed partial class Tensor {
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

  /// <summary>
  /// F.leaky_relu: x &gt;= 0 ? x : x * negativeSlope on the dequantized
  /// values in float32, quantized with this tensor's own parameters. A
  /// non-finite slope throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor LeakyRelu(float negativeSlope) => new Tensor(Native.leaky_relu(negativeSlope));

  /// <summary><see cref="LeakyRelu"/> written into this view itself
  /// (F.leaky_relu with inplace=True). Returns this.</summary>
  public Tensor LeakyReluInPlace(float negativeSlope) {
    Native.leaky_relu_(negativeSlope);
    return this;
  }

  /// <summary>
  /// torch.ops.quantized.hardswish: x * min(max(x + 3, 0), 6) / 6 in float32,
  /// quantized with <paramref name="scale"/> and <paramref name="zeroPoint"/>
  /// into this tensor's dtype; a bad scale or zero point throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor Hardswish(double scale, long zeroPoint) =>
      new Tensor(Native.hardswish(scale, zeroPoint));

  /// <summary>
  /// torch.sigmoid: 1 / (1 + exp(-x)) in float32, quantized with PyTorch's
  /// fixed parameters for the dtype (scale 1/256; zero point 0, or -128 for
  /// QInt8; QInt32: scale 2^-32).
  /// </summary>
  public Tensor Sigmoid() => new Tensor(Native.sigmoid());

  /// <summary>
  /// F.max_pool2d on this (C, H, W) or (N, C, H, W) tensor: the largest
  /// integer of each window, padding never winning; the result keeps this
  /// tensor's parameters. Each size has one entry (both dims) or two
  /// (height, width); a null <paramref name="stride"/> is
  /// <paramref name="kernelSize"/>. A bad size, rank or window throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor MaxPool2d(long[] kernelSize, long[] stride, long[] padding, long[] dilation,
                          bool ceilMode) {
    Arguments.NotNull(kernelSize, nameof(kernelSize));
    Arguments.NotNull(padding, nameof(padding));
    Arguments.NotNull(dilation, nameof(dilation));
    long[] steps = stride ?? new long[0];
    return new Tensor(Native.MaxPool2d(kernelSize, kernelSize.Length, steps, steps.Length,
                                       padding, padding.Length, dilation, dilation.Length,
                                       ceilMode));
  }

  /// <summary>
  /// F.avg_pool2d: the average of each window, rounded as PyTorch's quantized
  /// kernel does (docs/numerics.md, "Pooling"); the divisor is
  /// <paramref name="divisorOverride"/> unless 0, else the window's size with
  /// its padding (<paramref name="countIncludePad"/>) or without. Sizes and
  /// errors as <see cref="MaxPool2d"/>'s.
  /// </summary>
  public Tensor AvgPool2d(long[] kernelSize, long[] stride, long[] padding, bool ceilMode,
                          bool countIncludePad, long divisorOverride) {
    Arguments.NotNull(kernelSize, nameof(kernelSize));
    Arguments.NotNull(padding, nameof(padding));
    long[] steps = stride ?? new long[0];
    return new Tensor(Native.AvgPool2d(kernelSize, kernelSize.Length, steps, steps.Length,
                                       padding, padding.Length, ceilMode, countIncludePad,
                                       divisorOverride));
  }

  /// <summary>
  /// F.adaptive_avg_pool2d: output row i averages input rows
  /// floor(i * H / out) to ceil((i + 1) * H / out), columns alike; the result
  /// keeps this tensor's parameters. <paramref name="outputSize"/> has one
  /// entry (both dims) or two (height, width).
  /// </summary>
  public Tensor AdaptiveAvgPool2d(params long[] outputSize) {
    Arguments.NotNull(outputSize, nameof(outputSize));
    return new Tensor(Native.AdaptiveAvgPool2d(outputSize, outputSize.Length));
  }

  /// <summary>
  /// torch.tanh: tanh(x) in float32, quantized with PyTorch's fixed
  /// parameters (scale 1/128; zero point 128 for QUInt8, else 0; QInt32:
  /// scale 2^-31).
  /// </summary>
  public Tensor Tanh() => new Tensor(Native.tanh());

  /// <summary>F.relu6: min(max(q, zero point), quantize(6)); parameters kept.</summary>
  public Tensor Relu6() => new Tensor(Native.relu6());

  /// <summary><see cref="Relu6"/> written into this view itself. Returns this.</summary>
  public Tensor Relu6InPlace() {
    Native.relu6_();
    return this;
  }

  /// <summary>
  /// torch.clamp(q, min, max): the integers clamped to min and max quantized
  /// with each element's own parameters (infinities: no bound); max wins
  /// where min &gt; max. Parameters kept. A NaN bound throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor Clamp(float min, float max) => new Tensor(Native.clamp(min, max));

  /// <summary><see cref="Clamp"/> written into this view itself (F.hardtanh
  /// with inplace=True). Returns this.</summary>
  public Tensor ClampInPlace(float min, float max) {
    Native.clamp_(min, max);
    return this;
  }

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

  /// <summary>
  /// torch.ops.quantized.add.out(this, other, out): <see cref="Add(Tensor, double, long)"/>
  /// with <paramref name="output"/>'s scale and zero point, written into the
  /// view <paramref name="output"/> (which may be this or other); returns it.
  /// A per-channel output throws <see cref="QTensorArgumentException"/>;
  /// one of another dtype, <see cref="QTensorTypeException"/>; one not of
  /// the broadcast shape, <see cref="QTensorShapeException"/>.
  /// </summary>
  public Tensor Add(Tensor other, Tensor output) {
    QTensorNative.add_out(OutputOf(output), Native, OtherOf(other));
    return output;
  }

  /// <summary>add_relu.out: <see cref="AddRelu(Tensor, double, long)"/> into
  /// <paramref name="output"/>, as <see cref="Add(Tensor, Tensor)"/>.</summary>
  public Tensor AddRelu(Tensor other, Tensor output) {
    QTensorNative.add_relu_out(OutputOf(output), Native, OtherOf(other));
    return output;
  }

  /// <summary>mul.out: <see cref="Mul(Tensor, double, long)"/> into
  /// <paramref name="output"/>, as <see cref="Add(Tensor, Tensor)"/>.</summary>
  public Tensor Mul(Tensor other, Tensor output) {
    QTensorNative.mul_out(OutputOf(output), Native, OtherOf(other));
    return output;
  }

  /// <summary>mul_relu.out: <see cref="MulRelu(Tensor, double, long)"/> into
  /// <paramref name="output"/>, as <see cref="Add(Tensor, Tensor)"/>.</summary>
  public Tensor MulRelu(Tensor other, Tensor output) {
    QTensorNative.mul_relu_out(OutputOf(output), Native, OtherOf(other));
    return output;
  }

  /// <summary>
  /// torch.ops.quantized.add_scalar(this, other): output parameters derived
  /// as PyTorch's (the zero point moves by round(other / scale) while it
  /// stays in range; beyond, the range stretches and the integers are
  /// requantized). A per-channel tensor, a non-finite other or other / scale
  /// past the int32 range throws <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor AddScalar(double other) => new Tensor(Native.add_scalar(other));

  /// <summary>add_scalar_relu: <see cref="AddScalar"/>, then max(q, zero point).</summary>
  public Tensor AddScalarRelu(double other) => new Tensor(Native.add_scalar_relu(other));

  /// <summary>
  /// torch.ops.quantized.mul_scalar(this, other): scale |other| * scale, the
  /// integers kept (other &gt; 0), mirrored (other &lt; 0) or zeroed with
  /// scale 1 (other == 0). A per-channel tensor, a non-finite other or a
  /// scale that underflows or overflows throws
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor MulScalar(double other) => new Tensor(Native.mul_scalar(other));

  /// <summary>mul_scalar_relu: <see cref="MulScalar"/>, then max(q, zero point).</summary>
  public Tensor MulScalarRelu(double other) => new Tensor(Native.mul_scalar_relu(other));

  /// <summary>
  /// torch.cat of quantized tensors: the tensors one after another along
  /// <paramref name="dim"/> (negative counts from the end), with the first
  /// tensor's parameters; a tensor with other parameters or another dtype is
  /// requantized. Sizes off dim that differ throw
  /// <see cref="QTensorShapeException"/>; a bad dim,
  /// <see cref="QTensorIndexException"/>; no tensors or a 0-dim one,
  /// <see cref="QTensorArgumentException"/>.
  /// </summary>
  public static Tensor Cat(Tensor[] tensors, long dim) =>
      Join(tensors, vector => QTensorNative.cat(vector, dim));

  /// <summary>torch.ops.quantized.cat: <see cref="Cat(Tensor[], long)"/> into
  /// <paramref name="quantizer"/>'s parameters.</summary>
  public static Tensor Cat(Tensor[] tensors, long dim, Quantizer quantizer) {
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    return Join(tensors, vector => QTensorNative.cat(vector, dim, parameters));
  }

  /// <summary>torch.ops.quantized.cat_relu: Cat, then max(q, zero point).</summary>
  public static Tensor CatRelu(Tensor[] tensors, long dim, Quantizer quantizer) {
    NativeQuantizer parameters = Arguments.NotNull(quantizer, nameof(quantizer)).Native;
    return Join(tensors, vector => QTensorNative.cat_relu(vector, dim, parameters));
  }

  /// <summary>
  /// torch.ops.quantized.cat_out: <see cref="Cat(Tensor[], long)"/> with
  /// <paramref name="output"/>'s parameters, written into the view
  /// <paramref name="output"/>, which is returned. Errors as Cat, and an
  /// output not of the joined shape throws <see cref="QTensorShapeException"/>.
  /// </summary>
  public static Tensor Cat(Tensor[] tensors, long dim, Tensor output) {
    NativeTensor target = OutputOf(output);
    return WithVector(tensors, vector => {
      QTensorNative.cat_out(target, vector, dim);
      return output;
    });
  }

  /// <summary>torch.ops.quantized.cat_relu_out: cat into
  /// <paramref name="output"/>, then max(q, zero point).</summary>
  public static Tensor CatRelu(Tensor[] tensors, long dim, Tensor output) {
    NativeTensor target = OutputOf(output);
    return WithVector(tensors, vector => {
      QTensorNative.cat_relu_out(target, vector, dim);
      return output;
    });
  }

  /// <summary>
  /// torch.ops.quantized.linear(this, packed, scale, zeroPoint): this tensor
  /// [..., inFeatures] (QUInt8, or QInt8, per tensor) times the packed
  /// weight plus the bias, exact in int32 and requantized as PyTorch's
  /// qnnpack engine does, into a new tensor [..., outFeatures] of this dtype
  /// with <paramref name="scale"/> and <paramref name="zeroPoint"/>. A last
  /// dim other than inFeatures throws <see cref="QTensorShapeException"/>;
  /// QInt32, <see cref="QTensorTypeException"/>; a per-channel tensor or a
  /// bad scale or zero point, <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor Linear(PackedLinear packed, double scale, long zeroPoint) =>
      new Tensor(QTensorNative.linear(Native, PackedOf(packed), scale, zeroPoint));

  /// <summary>torch.ops.quantized.linear_relu: <see cref="Linear"/>, with
  /// outputs below <paramref name="zeroPoint"/> raised to it.</summary>
  public Tensor LinearRelu(PackedLinear packed, double scale, long zeroPoint) =>
      new Tensor(QTensorNative.linear_relu(Native, PackedOf(packed), scale, zeroPoint));

  static NativePackedLinear PackedOf(PackedLinear packed) =>
      Arguments.NotNull(packed, nameof(packed)).Native;

  /// <summary>
  /// torch.ops.quantized.conv2d(this, packed, scale, zeroPoint): this tensor
  /// [N, inChannels, H, W] (QUInt8, or QInt8, per tensor) convolved with the
  /// packed weight plus the bias, exact in int32 and requantized as
  /// PyTorch's qnnpack engine does, into a new tensor [N, outChannels, oH,
  /// oW] (channels-last strides) of this dtype with
  /// <paramref name="scale"/> and <paramref name="zeroPoint"/>. Another rank
  /// or channel count, or a kernel larger than the padded input, throws
  /// <see cref="QTensorShapeException"/>; QInt32,
  /// <see cref="QTensorTypeException"/>; a per-channel tensor or a bad scale
  /// or zero point, <see cref="QTensorArgumentException"/>.
  /// </summary>
  public Tensor Conv2d(PackedConv2d packed, double scale, long zeroPoint) =>
      new Tensor(QTensorNative.conv2d(Native, PackedOf(packed), scale, zeroPoint));

  /// <summary>torch.ops.quantized.conv2d_relu: <see cref="Conv2d"/>, with
  /// outputs below <paramref name="zeroPoint"/> raised to it.</summary>
  public Tensor Conv2dRelu(PackedConv2d packed, double scale, long zeroPoint) =>
      new Tensor(QTensorNative.conv2d_relu(Native, PackedOf(packed), scale, zeroPoint));

  static NativePackedConv2d PackedOf(PackedConv2d packed) =>
      Arguments.NotNull(packed, nameof(packed)).Native;

  static Tensor Join(Tensor[] tensors, Func<TensorVector, NativeTensor> cat) =>
      WithVector(tensors, vector => new Tensor(cat(vector)));

  // body applied to a native vector of the tensors' handles, disposed after.
  static Tensor WithVector(Tensor[] tensors, Func<TensorVector, Tensor> body) {
    Arguments.NotNull(tensors, nameof(tensors));
    using (var vector = new TensorVector()) {
      for (int i = 0; i < tensors.Length; ++i) {
        if (tensors[i] == null) throw new ArgumentNullException($"tensors[{i}]");
        vector.Add(tensors[i].Native);
      }
      return body(vector);
    }
  }

  static NativeTensor OtherOf(Tensor other) => Arguments.NotNull(other, nameof(other)).Native;
  static NativeTensor OutputOf(Tensor output) => Arguments.NotNull(output, nameof(output)).Native;
}

}  // namespace QTensor

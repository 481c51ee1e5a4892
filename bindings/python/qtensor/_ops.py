"""Quantized operators under PyTorch's names: torch.relu, F.relu6,
torch.clamp, F.hardtanh, torch.ops.quantized.add / add_relu / mul /
mul_relu with their .out and .Scalar overloads, add_scalar / mul_scalar
(also as qtensor.ops.quantized.*); requantize, which PyTorch
spells torch.quantize_per_tensor(q.dequantize(), ...); and the quantized
linear layer (ops.quantized.linear_prepack, linear, linear_relu,
linear_unpack, linear_dynamic) and 2-D convolution (conv2d_prepack, conv2d,
conv2d_relu, conv2d_unpack)."""

from types import SimpleNamespace

from . import _conv, _linear, native
from ._arrays import float_of, index_of, int64_of
from ._errors import InvalidArgumentError
from ._quantizer import Quantizer
from ._tensor import Tensor


def _tensor(value):
    if not isinstance(value, Tensor):
        raise TypeError(f"expected a qtensor.Tensor, not {type(value).__name__}")
    return value


def relu(input):
    """max(q, zero point) on the integers, parameters kept (torch.relu)."""
    return _tensor(input).relu()


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """F.leaky_relu: x >= 0 ? x : x * negative_slope on the dequantized
    values in float32, quantized with the input's own parameters. With
    inplace, written into input, which is returned."""
    slope = float_of(negative_slope, "negative_slope")
    if inplace:
        _tensor(input)._native.leaky_relu_(slope)
        return input
    return Tensor._wrap(_tensor(input)._native.leaky_relu(slope))


def hardswish(input, output_scale, output_zero_point):
    """torch.ops.quantized.hardswish: x * min(max(x + 3, 0), 6) / 6 in float32,
    quantized with output_scale and output_zero_point into input's dtype."""
    return Tensor._wrap(_tensor(input)._native.hardswish(
        float_of(output_scale, "output_scale"),
        int64_of(output_zero_point, "output_zero_point", InvalidArgumentError)))


def sigmoid(input):
    """torch.sigmoid: 1 / (1 + exp(-x)) in float32, quantized with PyTorch's
    fixed parameters (scale 1/256; zero point 0, or -128 for qint8)."""
    return Tensor._wrap(_tensor(input)._native.sigmoid())


def tanh(input):
    """torch.tanh: tanh(x) in float32, quantized with PyTorch's fixed
    parameters (scale 1/128; zero point 128 for quint8, else 0)."""
    return Tensor._wrap(_tensor(input)._native.tanh())


def relu6(input, inplace=False):
    """min(max(q, zero point), quantize(6.0)), parameters kept (F.relu6).
    With inplace, written into input, which is returned."""
    if inplace:
        _tensor(input)._native.relu6_()
        return input
    return Tensor._wrap(_tensor(input)._native.relu6())


def clamp(input, min=None, max=None):
    """torch.clamp(q, min, max): see Tensor.clamp."""
    return _tensor(input).clamp(min, max)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """F.hardtanh(q, min_val, max_val): clamp with PyTorch's defaults. With
    inplace, written into input, which is returned."""
    if inplace:
        return _tensor(input).clamp_(min_val, max_val)
    return _tensor(input).clamp(min_val, max_val)


def requantize(input, quantizer):
    """input's dequantized values quantized with quantizer (per tensor, or
    per channel along one of the result's dims), in one pass: what
    torch.quantize_per_tensor(q.dequantize(), scale, zero_point, dtype)
    gives, without the float tensor in between."""
    if not isinstance(quantizer, Quantizer):
        raise TypeError(f"expected a qtensor.Quantizer, not {type(quantizer).__name__}")
    return Tensor._wrap(_tensor(input)._native.requantize(quantizer._native))


def _binary(op, qa, qb, scale, zero_point, out):
    """The operator op (add, add_relu, mul, mul_relu) as torch.ops.quantized
    overloads it: two tensors and output parameters; two tensors and out=
    (the .out overload); a tensor and a number (the .Scalar overload)."""
    qa = _tensor(qa)
    if not isinstance(qb, Tensor):
        if scale is not None or zero_point is not None or out is not None:
            raise TypeError(f"{op}(qa, number) takes no scale, zero_point or out")
        scalar_op = op.replace("_relu", "") + "_scalar" + ("_relu" if "_relu" in op else "")
        return Tensor._wrap(getattr(qa._native, scalar_op)(float_of(qb, "other")))
    if out is not None:
        if scale is not None or zero_point is not None:
            raise TypeError(f"{op}(qa, qb, out=) takes its scale and zero point from out")
        getattr(native, op + "_out")(_tensor(out)._native, qa._native, qb._native)
        return out
    if scale is None or zero_point is None:
        raise TypeError(f"{op}(qa, qb) needs scale and zero_point, or out=")
    return Tensor._wrap(getattr(qa._native, op)(
        qb._native, float_of(scale, "scale"),
        int64_of(zero_point, "zero_point", InvalidArgumentError)))


def add(qa, qb, scale=None, zero_point=None, out=None):
    """torch.ops.quantized.add: qa + qb (NumPy broadcasting), each input
    dequantized with its own parameters, the float32 sum quantized with
    scale and zero_point (or out's, written into out) into qa's dtype;
    add(qa, number) is add_scalar."""
    return _binary("add", qa, qb, scale, zero_point, out)


def add_relu(qa, qb, scale=None, zero_point=None, out=None):
    """torch.ops.quantized.add_relu: add with max(sum, 0) before quantizing;
    add_relu(qa, number) is add_scalar_relu."""
    return _binary("add_relu", qa, qb, scale, zero_point, out)


def mul(qa, qb, scale=None, zero_point=None, out=None):
    """torch.ops.quantized.mul: PyTorch's integer formula, zero_point +
    round((qa - za) * (qb - zb) * (sa * sb / scale)), in qa's dtype (or
    out's parameters, written into out); mul(qa, number) is mul_scalar."""
    return _binary("mul", qa, qb, scale, zero_point, out)


def mul_relu(qa, qb, scale=None, zero_point=None, out=None):
    """torch.ops.quantized.mul_relu: mul, then max(q, zero_point);
    mul_relu(qa, number) is mul_scalar_relu."""
    return _binary("mul_relu", qa, qb, scale, zero_point, out)


def add_scalar(qa, b):
    """torch.ops.quantized.add_scalar: qa + b with PyTorch's derived output
    parameters (the zero point moves by round(b / scale) while it stays in
    range; beyond, the range stretches and the integers are requantized)."""
    return Tensor._wrap(_tensor(qa)._native.add_scalar(float_of(b, "b")))


def add_scalar_relu(qa, b):
    """torch.ops.quantized.add_scalar_relu: add_scalar, then max(q, zero
    point)."""
    return Tensor._wrap(_tensor(qa)._native.add_scalar_relu(float_of(b, "b")))


def mul_scalar(qa, b):
    """torch.ops.quantized.mul_scalar: scale |b| * scale, the integers kept
    (b > 0), mirrored (b < 0) or zeroed with scale 1 (b == 0)."""
    return Tensor._wrap(_tensor(qa)._native.mul_scalar(float_of(b, "b")))


def mul_scalar_relu(qa, b):
    """torch.ops.quantized.mul_scalar_relu: mul_scalar, then max(q, zero
    point)."""
    return Tensor._wrap(_tensor(qa)._native.mul_scalar_relu(float_of(b, "b")))


def _tensor_vector(tensors):
    tensors = list(tensors)
    return native.TensorVector([_tensor(t)._native for t in tensors])


def cat(tensors, dim=0, out=None):
    """torch.cat of quantized tensors: one after another along dim, with the
    first tensor's parameters (or out's, written into out); a tensor with
    others (or another dtype) is requantized."""
    if out is not None:
        return quantized_cat_out(tensors, dim, out)
    return Tensor._wrap(native.cat(_tensor_vector(tensors), index_of(dim, "dim")))


def _quantized_cat(join, qx, dim, scale, zero_point):
    tensors = list(qx)
    if scale is None and zero_point is None:
        if not tensors:
            raise InvalidArgumentError("cat: no tensors to join")
        first = _tensor(tensors[0])
        quantizer = Quantizer.per_tensor_affine(first.q_scale(), first.q_zero_point(),
                                                first.dtype)
    else:
        dtype = _tensor(tensors[0]).dtype if tensors else None
        quantizer = Quantizer.per_tensor_affine(scale, zero_point, dtype)
    return Tensor._wrap(join(_tensor_vector(tensors), index_of(dim, "dim"), quantizer._native))


def quantized_cat(qx, dim, scale=None, zero_point=None):
    """torch.ops.quantized.cat: the tensors joined along dim and quantized
    with scale and zero_point (the first tensor's when both are None)."""
    return _quantized_cat(native.cat, qx, dim, scale, zero_point)


def quantized_cat_relu(qx, dim, scale=None, zero_point=None):
    """torch.ops.quantized.cat_relu: quantized_cat, then max(q, zero_point)."""
    return _quantized_cat(native.cat_relu, qx, dim, scale, zero_point)


def quantized_cat_out(qx, dim, out):
    """torch.ops.quantized.cat_out: the tensors joined along dim with out's
    parameters, written into out, which is returned."""
    native.cat_out(_tensor(out)._native, _tensor_vector(qx), index_of(dim, "dim"))
    return out


def quantized_cat_relu_out(qx, dim, out):
    """torch.ops.quantized.cat_relu_out: quantized_cat_out, then max(q, zero
    point)."""
    native.cat_relu_out(_tensor(out)._native, _tensor_vector(qx), index_of(dim, "dim"))
    return out


# qtensor.ops.quantized.add(qa, qb, scale, zero_point) as
# torch.ops.quantized.add(qa, qb, scale, zero_point).
quantized = SimpleNamespace(add=add, add_relu=add_relu, mul=mul, mul_relu=mul_relu,
                            add_scalar=add_scalar, add_scalar_relu=add_scalar_relu,
                            mul_scalar=mul_scalar, mul_scalar_relu=mul_scalar_relu,
                            cat=quantized_cat, cat_relu=quantized_cat_relu,
                            cat_out=quantized_cat_out, cat_relu_out=quantized_cat_relu_out,
                            hardswish=hardswish, linear_prepack=_linear.linear_prepack,
                            linear=_linear.linear, linear_relu=_linear.linear_relu,
                            linear_unpack=_linear.linear_unpack,
                            linear_dynamic=_linear.linear_dynamic,
                            conv2d_prepack=_conv.conv2d_prepack, conv2d=_conv.conv2d,
                            conv2d_relu=_conv.conv2d_relu, conv2d_unpack=_conv.conv2d_unpack)

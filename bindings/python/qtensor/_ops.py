"""Quantized operators under PyTorch's names: torch.relu, F.relu6,
torch.clamp, F.hardtanh, torch.ops.quantized.add / add_relu / mul /
mul_relu (also as qtensor.ops.quantized.*); and requantize, which PyTorch
spells torch.quantize_per_tensor(q.dequantize(), ...)."""

from types import SimpleNamespace

from . import native
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


def leaky_relu(input, negative_slope=0.01):
    """F.leaky_relu: x >= 0 ? x : x * negative_slope on the dequantized
    values in float32, quantized with the input's own parameters."""
    return Tensor._wrap(_tensor(input)._native.leaky_relu(float_of(negative_slope,
                                                                     "negative_slope")))


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


def relu6(input):
    """min(max(q, zero point), quantize(6.0)), parameters kept (F.relu6)."""
    return Tensor._wrap(_tensor(input)._native.relu6())


def clamp(input, min=None, max=None):
    """torch.clamp(q, min, max): see Tensor.clamp."""
    return _tensor(input).clamp(min, max)


def hardtanh(input, min_val=-1.0, max_val=1.0):
    """F.hardtanh(q, min_val, max_val): clamp with PyTorch's defaults."""
    return _tensor(input).clamp(min_val, max_val)


def requantize(input, quantizer):
    """input's dequantized values quantized with quantizer (per tensor, or
    per channel along one of the result's dims), in one pass: what
    torch.quantize_per_tensor(q.dequantize(), scale, zero_point, dtype)
    gives, without the float tensor in between."""
    if not isinstance(quantizer, Quantizer):
        raise TypeError(f"expected a qtensor.Quantizer, not {type(quantizer).__name__}")
    return Tensor._wrap(_tensor(input)._native.requantize(quantizer._native))


def _binary(native_op, qa, qb, scale, zero_point):
    return Tensor._wrap(native_op(_tensor(qa)._native, _tensor(qb)._native,
                                  float_of(scale, "scale"),
                                  int64_of(zero_point, "zero_point", InvalidArgumentError)))


def add(qa, qb, scale, zero_point):
    """torch.ops.quantized.add: qa + qb (NumPy broadcasting), each input
    dequantized with its own parameters, the float32 sum quantized with
    scale and zero_point into qa's dtype."""
    return _binary(native.Tensor.add, qa, qb, scale, zero_point)


def add_relu(qa, qb, scale, zero_point):
    """torch.ops.quantized.add_relu: add with max(sum, 0) before quantizing."""
    return _binary(native.Tensor.add_relu, qa, qb, scale, zero_point)


def mul(qa, qb, scale, zero_point):
    """torch.ops.quantized.mul: PyTorch's integer formula, zero_point +
    round((qa - za) * (qb - zb) * (sa * sb / scale)), in qa's dtype."""
    return _binary(native.Tensor.mul, qa, qb, scale, zero_point)


def mul_relu(qa, qb, scale, zero_point):
    """torch.ops.quantized.mul_relu: mul, then max(q, zero_point)."""
    return _binary(native.Tensor.mul_relu, qa, qb, scale, zero_point)


def _tensor_vector(tensors):
    tensors = list(tensors)
    return native.TensorVector([_tensor(t)._native for t in tensors])


def cat(tensors, dim=0):
    """torch.cat of quantized tensors: one after another along dim, with the
    first tensor's parameters; a tensor with others (or another dtype) is
    requantized."""
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


# qtensor.ops.quantized.add(qa, qb, scale, zero_point) as
# torch.ops.quantized.add(qa, qb, scale, zero_point).
quantized = SimpleNamespace(add=add, add_relu=add_relu, mul=mul, mul_relu=mul_relu,
                            cat=quantized_cat, cat_relu=quantized_cat_relu, hardswish=hardswish)

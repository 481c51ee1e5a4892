"""Quantized linear layers as torch.ops.quantized has them: linear_prepack
packs a qint8 weight (and a float bias) once, linear and linear_relu apply
it, linear_unpack gives the weight and bias back (qtensor.ops.quantized.*)."""

import numpy as np

from . import native
from ._arrays import float_input, float_of, int64_of
from ._errors import InvalidArgumentError, ShapeMismatchError
from ._tensor import Tensor


def _qtensor(value, what):
    if not isinstance(value, Tensor):
        hint = " (convert a torch tensor with qtensor.from_torch)" \
            if type(value).__module__.startswith("torch") else ""
        raise TypeError(f"{what} must be a qtensor.Tensor, not {type(value).__name__}{hint}")
    return value


def _packed_of(value, cls, prepack):
    """value, when it is packed params of cls (made by ops.quantized.prepack)."""
    if not isinstance(value, cls):
        raise TypeError(f"packed must be what qtensor.ops.quantized.{prepack} returns, "
                        f"not {type(value).__name__}")
    return value


def _packed(value):
    return _packed_of(value, LinearPackedParams, "linear_prepack")


def _bias_list(bias):
    """The bias as a list of Python floats ([] for None); a bias that is not
    1-D is a ShapeMismatchError, as one of the wrong length is."""
    if bias is None:
        return []
    values = float_input(bias)
    if values.ndim != 1:
        raise ShapeMismatchError(f"the bias must be 1-D, got shape {values.shape}")
    return values.tolist()


def _bias_values(bias, weight):
    """_bias_list, with an empty bias refused (the library would read it as
    no bias)."""
    values = _bias_list(bias)
    if bias is not None and not values and weight.dim() == 2 and weight.size(0) != 0:
        raise ShapeMismatchError(
            f"linear: the bias has 0 values for out_features {weight.size(0)}")
    return values


class LinearPackedParams:
    """A quantized linear layer's weight and bias packed once
    (torch.ops.quantized.linear_prepack's packed params): immutable, shared
    by every call of linear / linear_relu, usable from many threads. Made by
    qtensor.ops.quantized.linear_prepack, never directly."""

    __slots__ = ("_native",)

    def __init__(self, *args, **kwargs):
        raise TypeError("pack weights with qtensor.ops.quantized.linear_prepack(weight, bias)")

    @classmethod
    def _wrap(cls, handle):
        packed = object.__new__(cls)
        packed._native = handle
        return packed

    @property
    def in_features(self):
        """The number of input features: the weight's dim 1 (an int)."""
        return self._native.in_features()

    @property
    def out_features(self):
        """The number of output features: the weight's dim 0 (an int)."""
        return self._native.out_features()

    def unpack(self):
        """(weight, bias) as torch's packed params' unpack(): a new qint8
        tensor [out_features, in_features] with the weight's integers and
        parameters, and the bias as a float32 NumPy array (None without one)."""
        weight = Tensor._wrap(self._native.weight())
        bias = self._native.bias()
        return weight, (np.array(bias, dtype=np.float32) if len(bias) else None)

    def __repr__(self):
        return (f"LinearPackedParams(in_features={self.in_features}, "
                f"out_features={self.out_features})")


def linear_prepack(weight, bias=None):
    """torch.ops.quantized.linear_prepack: packs a copy of weight (qint8
    [out_features, in_features], per tensor or per channel on dim 0) and
    bias (None, or out_features finite floats: an array-like or a float
    torch tensor). TypeMismatchError for another dtype, ShapeMismatchError
    for a weight that is not 2-D or a bias of another length,
    InvalidArgumentError for a bias that is not finite."""
    weight = _qtensor(weight, "weight")
    handle = native.PackedLinear.prepack(weight._native, _bias_values(bias, weight))
    return LinearPackedParams._wrap(handle)


def _apply(op, x, packed, scale, zero_point):
    """op(x, packed params, scale, zero_point) of checked arguments."""
    return Tensor._wrap(op(_qtensor(x, "x")._native, packed._native,
                           float_of(scale, "scale"),
                           int64_of(zero_point, "zero_point", InvalidArgumentError)))


def linear(x, packed, scale, zero_point):
    """torch.ops.quantized.linear: x [..., in_features] (quint8, or qint8,
    per tensor) times the packed weight plus the bias, exact in int32 and
    requantized as PyTorch's qnnpack engine does, into x's dtype with scale
    and zero_point: a new tensor [..., out_features]. ShapeMismatchError
    when x's last dim is not in_features, TypeMismatchError for qint32,
    InvalidArgumentError for a per-channel x or a bad scale or zero point."""
    return _apply(native.linear, x, _packed(packed), scale, zero_point)


def linear_relu(x, packed, scale, zero_point):
    """torch.ops.quantized.linear_relu: linear, with outputs below
    zero_point raised to it."""
    return _apply(native.linear_relu, x, _packed(packed), scale, zero_point)


def linear_unpack(packed):
    """torch.ops.quantized.linear_unpack: (weight, bias) of packed params
    (see LinearPackedParams.unpack)."""
    return _packed(packed).unpack()


def linear_dynamic(x, packed, reduce_range=False):
    """torch.ops.quantized.linear_dynamic: float x [..., in_features] (a
    NumPy array, an array-like or a float torch tensor) quantized per call
    to quint8 with parameters from its min and max (as
    quantize_per_tensor_dynamic; reduce_range uses 7 bits), times the packed
    weight, plus the bias, in float: a new float32 NumPy array [...,
    out_features]. The formula is qnnpack's, bit for bit. ShapeMismatchError
    for a 0-dim x or one whose last dim is not in_features,
    InvalidArgumentError for NaN or an infinity."""
    packed = _packed(packed)
    values = float_input(x)
    if not isinstance(reduce_range, (bool, np.bool_)):
        raise TypeError(f"reduce_range must be a bool, not {type(reduce_range).__name__}")
    out = native.linear_dynamic_values(values, list(values.shape), packed._native,
                                       bool(reduce_range))
    shape = values.shape[:-1] + (packed.out_features,) if values.ndim else ()
    return np.array(out, dtype=np.float32).reshape(shape)

"""Quantized 2-D convolutions as torch.ops.quantized has them: conv2d_prepack
packs a qint8 weight, a float bias and the settings once, conv2d and
conv2d_relu apply them, conv2d_unpack gives the weight and bias back
(qtensor.ops.quantized.*)."""

import numpy as np

from . import native
from ._arrays import int64_of
from ._errors import InvalidArgumentError
from ._linear import _apply, _bias_list, _packed_of, _qtensor
from ._tensor import Tensor


def _pair(value, what):
    """An int (both dims) or a sequence of ints, as torch's conv2d_prepack
    lists; the native module insists on two of them."""
    items = list(value) if isinstance(value, (list, tuple)) else [value, value]
    return [int64_of(v, what, InvalidArgumentError) for v in items]


def _packed(value):
    return _packed_of(value, Conv2dPackedParams, "conv2d_prepack")


class Conv2dPackedParams:
    """A quantized 2-D convolution's weight, bias and settings packed once
    (torch.ops.quantized.conv2d_prepack's packed params): immutable, shared
    by every call of conv2d / conv2d_relu, usable from many threads. Made by
    qtensor.ops.quantized.conv2d_prepack, never directly."""

    __slots__ = ("_native",)

    def __init__(self, *args, **kwargs):
        raise TypeError("pack weights with qtensor.ops.quantized.conv2d_prepack(weight, bias, "
                        "stride, padding, dilation, groups)")

    @classmethod
    def _wrap(cls, handle):
        packed = object.__new__(cls)
        packed._native = handle
        return packed

    def _settings(self):
        return list(self._native.setting_values())

    def weight(self):
        """The packed weight: a new qint8 tensor [out_channels, in_channels /
        groups, kH, kW] with the weight's integers and parameters."""
        return Tensor._wrap(self._native.weight())

    def bias(self):
        """The bias as a float32 NumPy array, or None without one."""
        values = self._native.bias()
        return np.array(values, dtype=np.float32) if len(values) else None

    def stride(self):
        """[height, width] steps of the kernel (a list, as torch's)."""
        return self._settings()[0:2]

    def padding(self):
        """[height, width] rows and columns of zero points around the input."""
        return self._settings()[2:4]

    def dilation(self):
        """[height, width] spacing of the kernel's taps."""
        return self._settings()[4:6]

    def groups(self):
        """The number of channel groups (an int)."""
        return self._settings()[6]

    def unpack(self):
        """(weight, bias) as torch's packed params' unpack()."""
        return self.weight(), self.bias()

    def __repr__(self):
        return (f"Conv2dPackedParams(stride={self.stride()}, padding={self.padding()}, "
                f"dilation={self.dilation()}, groups={self.groups()})")


def conv2d_prepack(weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """torch.ops.quantized.conv2d_prepack: packs a copy of weight (qint8
    [out_channels, in_channels / groups, kH, kW], per tensor or per channel
    on dim 0), bias (None, or out_channels finite floats: an array-like or a
    float torch tensor) and the settings: stride (>= 1), padding (>= 0) and
    dilation (>= 1) each an int or a [height, width] pair, groups (>= 1)
    dividing out_channels. TypeMismatchError for another dtype,
    ShapeMismatchError for a weight that is not 4-D or a bias of another
    length, InvalidArgumentError for a bad setting or a bias that is not
    finite."""
    weight = _qtensor(weight, "weight")
    handle = native.PackedConv2d.prepack_values(
        weight._native, bias is not None, _bias_list(bias), _pair(stride, "stride"),
        _pair(padding, "padding"), _pair(dilation, "dilation"),
        int64_of(groups, "groups", InvalidArgumentError))
    return Conv2dPackedParams._wrap(handle)


def conv2d(x, packed, scale, zero_point):
    """torch.ops.quantized.conv2d: x [N, in_channels, H, W] (quint8, or
    qint8, per tensor) convolved with the packed weight plus the bias, exact
    in int32 and requantized as PyTorch's qnnpack engine does, into x's
    dtype with scale and zero_point: a new tensor [N, out_channels, oH, oW]
    (channels-last strides, as torch's). ShapeMismatchError for another rank
    or channel count or a kernel larger than the padded input,
    TypeMismatchError for qint32, InvalidArgumentError for a per-channel x or
    a bad scale or zero point."""
    return _apply(native.conv2d, x, _packed(packed), scale, zero_point)


def conv2d_relu(x, packed, scale, zero_point):
    """torch.ops.quantized.conv2d_relu: conv2d, with outputs below
    zero_point raised to it."""
    return _apply(native.conv2d_relu, x, _packed(packed), scale, zero_point)


def conv2d_unpack(packed):
    """torch.ops.quantized.conv2d_unpack: (weight, bias) of packed params
    (see Conv2dPackedParams.unpack)."""
    return _packed(packed).unpack()

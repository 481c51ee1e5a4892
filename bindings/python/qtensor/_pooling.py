"""Quantized 2-D pooling with torch.nn.quantized.functional's signatures;
the public names are in qtensor.nn.quantized.functional."""

from ._arrays import int64_of
from ._errors import InvalidArgumentError
from ._tensor import Tensor


def _tensor(value):
    if not isinstance(value, Tensor):
        raise TypeError(f"expected a qtensor.Tensor, not {type(value).__name__}")
    return value


def _sizes(value, what):
    """An int or a sequence of one or two ints (PyTorch's int or tuple) as a
    list of Python ints; the library checks how many there are."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return [int64_of(v, what, InvalidArgumentError) for v in items]


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The largest integer of each kernel_size window of a (C, H, W) or
    (N, C, H, W) tensor, stepping by stride (None: kernel_size), over
    padding that never wins, with dilation; ceil_mode rounds the output size
    up. The result keeps input's parameters."""
    if return_indices:
        raise NotImplementedError("return_indices is not implemented (nor is it in PyTorch)")
    return Tensor._wrap(_tensor(input)._native.max_pool2d(
        _sizes(kernel_size, "kernel_size"), [] if stride is None else _sizes(stride, "stride"),
        _sizes(padding, "padding"), _sizes(dilation, "dilation"), bool(ceil_mode)))


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The average of each window, rounded as PyTorch's quantized kernel
    does: round((sum - n * zero_point) * float32(1 / divisor) + zero_point) in
    float32, the divisor being divisor_override, or the window's size with its
    padding (count_include_pad) or without. The result keeps input's
    parameters."""
    if divisor_override is None:
        divisor = 0
    else:
        divisor = int64_of(divisor_override, "divisor_override", InvalidArgumentError)
        if divisor == 0:
            raise InvalidArgumentError("divisor_override must not be zero")
    return Tensor._wrap(_tensor(input)._native.avg_pool2d(
        _sizes(kernel_size, "kernel_size"), [] if stride is None else _sizes(stride, "stride"),
        _sizes(padding, "padding"), bool(ceil_mode), bool(count_include_pad), divisor))


def adaptive_avg_pool2d(input, output_size):
    """The average over output_size windows: output row i covers input rows
    floor(i * H / out) to ceil((i + 1) * H / out), columns alike, rounded as
    round(sum * ((1 / rows) / columns)) in float32 (PyTorch's kernel). The
    result keeps input's parameters."""
    return Tensor._wrap(_tensor(input)._native.adaptive_avg_pool2d(
        _sizes(output_size, "output_size")))

"""qtensor.Quantizer: immutable quantization parameters and dtype."""

import numpy as np

from . import native
from ._arrays import float_of, int64_of
from ._errors import InvalidArgumentError
from ._types import DTYPES, QSCHEMES, check_dtype, per_channel_affine


def _scales_list(scales):
    try:
        array = np.asarray(scales, dtype=np.float64)
    except OverflowError:  # an int beyond float64: the library's bad scale
        for channel, scale in enumerate(scales):
            float_of(scale, f"scales[{channel}]")
        raise
    if array.ndim != 1:
        raise ValueError("scales must be one-dimensional")
    return array.tolist()


def _is_integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _zero_points_list(zero_points):
    array = np.asarray(zero_points)
    if array.ndim != 1:
        raise ValueError("zero_points must be one-dimensional")
    if array.dtype.kind in "iu" and array.dtype != np.uint64:
        return array.tolist()  # within int64: taken as they are
    # One by one: uint64 can exceed int64, and so can Python ints, which
    # NumPy then stores as objects, or as float64 beside negative ones.
    if array.dtype == np.uint64:
        values = array.tolist()
    elif not isinstance(zero_points, np.ndarray) and all(_is_integer(z) for z in zero_points):
        values = list(zero_points)
    elif array.size:
        raise TypeError(f"zero_points must be integers, not {array.dtype}")
    else:
        return []
    return [int64_of(z, f"zero_points[{channel}]", InvalidArgumentError)
            for channel, z in enumerate(values)]


class Quantizer:
    """Scale(s), zero point(s), axis and dtype. Make one with
    Quantizer.per_tensor_affine(scale, zero_point, dtype) or
    Quantizer.per_channel_affine(scales, zero_points, axis, dtype)."""

    __slots__ = ("_native",)

    def __init__(self, *args, **kwargs):
        raise TypeError("use Quantizer.per_tensor_affine or Quantizer.per_channel_affine")

    @classmethod
    def _wrap(cls, handle):
        quantizer = object.__new__(cls)
        quantizer._native = handle
        return quantizer

    @classmethod
    def per_tensor_affine(cls, scale, zero_point, dtype):
        """A per-tensor quantizer: q = round(x / scale) + zero_point, clamped
        to dtype's range. InvalidArgumentError for a scale that is not finite
        and positive or a zero point outside dtype's range."""
        return cls._wrap(
            native.Quantizer.PerTensor(check_dtype(dtype), float_of(scale, "scale"),
                                       int64_of(zero_point, "zero_point", InvalidArgumentError)))

    @classmethod
    def per_channel_affine(cls, scales, zero_points, axis, dtype):
        """A per-channel quantizer: one scale and zero point per index of
        dimension axis (sequences of equal length)."""
        return cls._wrap(
            native.Quantizer.PerChannel(check_dtype(dtype), _scales_list(scales),
                                        _zero_points_list(zero_points),
                                        int64_of(axis, "axis", InvalidArgumentError)))

    @property
    def dtype(self):
        """The quantized dtype: qtensor.qint8, quint8, qint32, qint16, quint16,
        quint4x2, quint2x4, qint4 or quint4."""
        return DTYPES[self._native.dtype()]

    @property
    def qscheme(self):
        """The scheme: qtensor.per_tensor_affine or per_channel_affine."""
        return QSCHEMES[self._native.qscheme()]

    @property
    def scale(self):
        """The scale (a float) of a per-tensor quantizer; TypeMismatchError
        for a per-channel one."""
        return self._native.scale()

    @property
    def zero_point(self):
        """The zero point (an int) of a per-tensor quantizer;
        TypeMismatchError for a per-channel one."""
        return self._native.zero_point()

    @property
    def axis(self):
        """The channel dimension (an int) of a per-channel quantizer;
        TypeMismatchError for a per-tensor one."""
        return self._native.axis()

    @property
    def num_channels(self):
        """How many (scale, zero point) pairs: 1 per tensor, else the channels."""
        return self._native.num_channels()

    @property
    def scales(self):
        """The scales as a float64 NumPy array (one element per tensor)."""
        return np.array(self._native.scales(), dtype=np.float64)

    @property
    def zero_points(self):
        """The zero points as an int64 NumPy array (one element per tensor)."""
        return np.array(self._native.zero_points(), dtype=np.int64)

    def __eq__(self, other):
        if not isinstance(other, Quantizer):
            return NotImplemented
        return self._native.equals(other._native)

    def __hash__(self):
        return hash((self._native.dtype(), self._native.qscheme(), tuple(self._native.scales()),
                     tuple(self._native.zero_points())))

    def __reduce__(self):
        if self.qscheme is per_channel_affine:
            return (Quantizer.per_channel_affine,
                    (self.scales, self.zero_points, self.axis, self.dtype))
        return (Quantizer.per_tensor_affine, (self.scale, self.zero_point, self.dtype))

    def __repr__(self):
        if self.qscheme is per_channel_affine:
            return (f"Quantizer.per_channel_affine(scales={self.scales.tolist()}, "
                    f"zero_points={self.zero_points.tolist()}, axis={self.axis}, "
                    f"dtype={self.dtype!r})")
        return (f"Quantizer.per_tensor_affine(scale={self.scale!r}, "
                f"zero_point={self.zero_point}, dtype={self.dtype!r})")

"""qtensor.Quantizer: immutable quantization parameters and dtype."""

import numpy as np

from . import native
from ._arrays import float_of, int64_of
from ._errors import InvalidArgumentError
from ._types import (DTYPES, QSCHEMES, ROUNDINGS, SCALE_TYPES, Rounding, ScaleType, check_dtype,
                     check_gguf_type, float32_scale, float64_scale, gguf_q4_0, gguf_q8_0,
                     gguf_rounding, per_block_affine, per_channel_affine,
                     per_channel_affine_float_qparams, pytorch_rounding, quint4)


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


def _float32_list(values, name):
    """values (a sequence or array of real numbers) as float32, rounded as
    torch.quantize_per_channel rounds float qparams (tensor.to(torch.float)).
    OverflowError-free: a value beyond float32 becomes inf, which the
    library then refuses by name."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    with np.errstate(over="ignore"):
        return array.astype(np.float32).tolist()


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
    Quantizer.per_tensor_affine(scale, zero_point, dtype),
    Quantizer.per_channel_affine(scales, zero_points, axis, dtype) or
    Quantizer.per_block_affine(scales, zero_points, axis, block_size, dtype),
    Quantizer.per_channel_affine_float_qparams(scales, zero_points, axis, dtype)
    or Quantizer.gguf(gguf_type, scales); with_rounding and with_scale_type copy one with another rounding or
    scale type."""

    __slots__ = ("_native",)

    def __init__(self, *args, **kwargs):
        raise TypeError("use Quantizer.per_tensor_affine, per_channel_affine, "
                        "per_block_affine or gguf")

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

    @classmethod
    def per_channel_affine_float_qparams(cls, scales, zero_points, axis, dtype):
        """PyTorch's per_channel_affine_float_qparams (its embedding
        quantization's): a float32 scale and float32 zero point per index of
        axis. The values are rounded to float32 as torch.quantize_per_channel
        rounds them; the zero points may be any finite value. dtype: qint8,
        quint8, quint4x2 or quint2x4."""
        return cls._wrap(
            native.Quantizer.PerChannelFloatQParams(
                check_dtype(dtype), _float32_list(scales, "scales"),
                _float32_list(zero_points, "zero_points"),
                int64_of(axis, "axis", InvalidArgumentError)))

    @classmethod
    def per_block_affine(cls, scales, zero_points, axis, block_size, dtype):
        """A per-block quantizer (ONNX's blocked quantization): one scale and
        zero point per block of block_size consecutive elements along axis,
        the last block possibly short. The parameters are flat, row-major in
        the tensor's shape with shape[axis] replaced by its number of blocks
        (checked when the quantizer is used)."""
        return cls._wrap(
            native.Quantizer.PerBlock(check_dtype(dtype), _scales_list(scales),
                                      _zero_points_list(zero_points),
                                      int64_of(axis, "axis", InvalidArgumentError),
                                      int64_of(block_size, "block_size", InvalidArgumentError)))

    @classmethod
    def gguf(cls, gguf_type, scales):
        """The quantizer of GGUF blocks of gguf_type (qtensor.gguf_q4_0 or
        gguf_q8_0, or their names 'Q4_0', 'Q8_0'): one d per block of 32
        along the last axis, rows first, kept as float16 (0, -0.0 and
        negative ones too), with gguf_rounding. InvalidArgumentError for a
        scale that is not a finite float16 value."""
        return cls._wrap(native.Quantizer.Gguf(check_gguf_type(gguf_type), _scales_list(scales)))

    def with_rounding(self, rounding):
        """A copy that quantizes with rounding (qtensor.pytorch_rounding,
        onnx_rounding or gguf_rounding); InvalidArgumentError for
        onnx_rounding with qint32, quint4x2 or quint2x4, and for
        gguf_rounding but on float16 scales of qint8 (zero points 0) or
        quint4 (zero points 8)."""
        if not isinstance(rounding, Rounding):
            raise TypeError(f"rounding must be qtensor.pytorch_rounding, onnx_rounding or "
                            f"gguf_rounding, "
                            f"not {rounding!r}")
        return Quantizer._wrap(self._native.with_rounding(rounding.code))

    def with_scale_type(self, scale_type):
        """A copy whose scales are kept as scale_type (qtensor.float64_scale,
        float32_scale, float16_scale, bfloat16_scale); InvalidArgumentError,
        naming the nearest value, for a scale that is not one of the type."""
        if not isinstance(scale_type, ScaleType):
            raise TypeError(f"scale_type must be a qtensor scale type (qtensor.float16_scale, "
                            f"...), not {scale_type!r}")
        return Quantizer._wrap(self._native.with_scale_type(scale_type.code))

    @property
    def rounding(self):
        """How floats are rounded: qtensor.pytorch_rounding, onnx_rounding or
        gguf_rounding."""
        return ROUNDINGS[self._native.rounding()]

    @property
    def scale_type(self):
        """The type the scales are kept in: qtensor.float64_scale, ..."""
        return SCALE_TYPES[self._native.scale_type()]

    @property
    def block_size(self):
        """The elements per block (an int) of a per-block quantizer;
        TypeMismatchError for any other."""
        return self._native.block_size()

    @property
    def dtype(self):
        """The quantized dtype: qtensor.qint8, quint8, qint32, qint16, quint16,
        quint4x2, quint2x4, qint4 or quint4."""
        return DTYPES[self._native.dtype()]

    @property
    def qscheme(self):
        """The scheme: qtensor.per_tensor_affine, per_channel_affine or
        per_block_affine."""
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
        """The channel (blocked) dimension (an int) of a per-channel
        (per-block) quantizer; TypeMismatchError for a per-tensor one."""
        return self._native.axis()

    @property
    def num_channels(self):
        """How many (scale, zero point) pairs: 1 per tensor, else the channels
        (the blocks)."""
        return self._native.num_channels()

    @property
    def scales(self):
        """The scales as a float64 NumPy array (one element per tensor)."""
        return np.array(self._native.scales(), dtype=np.float64)

    @property
    def zero_points(self):
        """The zero points as an int64 NumPy array (one element per tensor);
        float32 for per_channel_affine_float_qparams, as PyTorch has them."""
        if self._native.qscheme() == per_channel_affine_float_qparams.code:
            return np.array(self._native.float_zero_points(), dtype=np.float32)
        return np.array(self._native.zero_points(), dtype=np.int64)

    def __eq__(self, other):
        if not isinstance(other, Quantizer):
            return NotImplemented
        return self._native.equals(other._native)

    def __hash__(self):
        return hash((self._native.dtype(), self._native.qscheme(), tuple(self._native.scales()),
                     tuple(self.zero_points.tolist())))

    def _factory_and_arguments(self):
        """The factory and arguments that make this quantizer, but for its
        rounding and scale type."""
        if self._is_gguf_form():
            return (Quantizer.gguf,
                    (gguf_q4_0 if self.dtype is quint4 else gguf_q8_0, self.scales))
        if self.qscheme is per_block_affine:
            return (Quantizer.per_block_affine,
                    (self.scales, self.zero_points, self.axis, self.block_size, self.dtype))
        if self.qscheme is per_channel_affine_float_qparams:
            return (Quantizer.per_channel_affine_float_qparams,
                    (self.scales, self.zero_points, self.axis, self.dtype))
        if self.qscheme is per_channel_affine:
            return (Quantizer.per_channel_affine,
                    (self.scales, self.zero_points, self.axis, self.dtype))
        return (Quantizer.per_tensor_affine, (self.scale, self.zero_point, self.dtype))

    def _is_gguf_form(self):
        """Whether Quantizer.gguf makes this quantizer."""
        return (self.rounding is gguf_rounding and self.qscheme is per_block_affine
                and self.block_size == 32 and self.axis == -1)

    def _default_scale_type(self):
        """The scale type the factory gives (float qparams: float32)."""
        if self.qscheme is per_channel_affine_float_qparams:
            return float32_scale
        return float64_scale

    def _has_default_options(self):
        """Whether the factory alone gives this rounding and scale type."""
        if self._is_gguf_form():
            return True
        return self.rounding is pytorch_rounding and self.scale_type is self._default_scale_type()

    def __reduce__(self):
        factory, arguments = self._factory_and_arguments()
        if self._has_default_options():
            return (factory, arguments)
        return (_with_options, (factory, arguments, self.rounding, self.scale_type))

    def __repr__(self):
        factory, arguments = self._factory_and_arguments()
        # The factory's parameter names (scale, zero_point, dtype, ...) after cls.
        names = factory.__code__.co_varnames[1:factory.__code__.co_argcount]
        text = ", ".join(f"{name}={_repr_argument(value)}" for name, value in zip(names, arguments))
        if not self._is_gguf_form():
            if self.rounding is not pytorch_rounding:
                text += f", rounding={self.rounding!r}"
            if self.scale_type is not self._default_scale_type():
                text += f", scale_type={self.scale_type!r}"
        return f"Quantizer.{factory.__name__}({text})"


def _repr_argument(value):
    return repr(value.tolist()) if isinstance(value, np.ndarray) else repr(value)


def _with_options(factory, arguments, rounding, scale_type):
    """Unpickles a quantizer with a rounding or scale type of its own (the
    scale type first: gguf_rounding needs float16 scales)."""
    return factory(*arguments).with_scale_type(scale_type).with_rounding(rounding)

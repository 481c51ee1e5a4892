"""Module-level functions: PyTorch's constructors, and file I/O."""

import numpy as np

from . import native
from ._arrays import float_input, int_input, shape_of, path_of
from ._bundle import Bundle
from ._errors import CorruptDataError
from ._quantizer import Quantizer
from ._tensor import Tensor
from ._torch import is_torch_tensor
from ._types import DTYPE_OF_INT, check_gguf_type


def _quantize(data, quantizer):
    values = float_input(data)
    return Tensor._wrap(native.Tensor.Quantize(values, list(values.shape), quantizer._native))


def quantize(data, quantizer):
    """Quantizes an array-like with a Quantizer (float32 C-contiguous arrays
    are read in place; anything else is converted first)."""
    if not isinstance(quantizer, Quantizer):
        raise TypeError(f"expected a qtensor.Quantizer, not {type(quantizer).__name__}")
    return _quantize(data, quantizer)


def quantize_per_tensor(data, scale, zero_point, dtype):
    """torch.quantize_per_tensor on an array-like."""
    return _quantize(data, Quantizer.per_tensor_affine(scale, zero_point, dtype))


def quantize_per_channel(data, scales, zero_points, axis, dtype):
    """torch.quantize_per_channel on an array-like. As in torch, floating
    zero points (a float array or tensor, or any float among them) give a
    per_channel_affine_float_qparams tensor."""
    if _floating(zero_points):
        quantizer = Quantizer.per_channel_affine_float_qparams(scales, zero_points, axis, dtype)
    else:
        quantizer = Quantizer.per_channel_affine(scales, zero_points, axis, dtype)
    return _quantize(data, quantizer)


def _floating(values):
    """Whether zero points are floating, as torch.tensor(values) would be."""
    if is_torch_tensor(values):
        return values.is_floating_point()
    if isinstance(values, np.ndarray):
        return values.dtype.kind == "f"
    return any(isinstance(v, (float, np.floating)) for v in values)


def empty_like(input):
    """torch.empty_like(q): a new tensor of q's shape and dtype whose every
    element has q's element's parameters; its integers are 0 (as
    empty_quantized's, never uninitialised memory)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"empty_like takes a qtensor.Tensor, not {type(input).__name__}")
    return Tensor._wrap(native.empty_like(input._native))


def quantize_per_block(data, scales, zero_points, axis, block_size, dtype):
    """ONNX's blocked QuantizeLinear on an array-like (with PyTorch's rounding
    unless quantized through Quantizer.per_block_affine(...).with_rounding)."""
    return _quantize(data, Quantizer.per_block_affine(scales, zero_points, axis, block_size,
                                                      dtype))


def quantize_gguf(data, gguf_type):
    """Floats into GGUF blocks of gguf_type (qtensor.gguf_q4_0 or gguf_q8_0,
    or 'Q4_0' / 'Q8_0') exactly as llama.cpp's quantize_row_q4_0 / q8_0:
    each block of 32 along the last dim gets its own d. InvalidArgumentError
    for a last dim that is not a multiple of 32 or a block whose d is not
    finite."""
    values = float_input(data)
    return Tensor._wrap(native.quantize_gguf(values, list(values.shape),
                                             check_gguf_type(gguf_type)))


def empty_quantized(shape, quantizer):
    """A tensor of the shape whose integers are all zero."""
    if not isinstance(quantizer, Quantizer):
        raise TypeError(f"expected a qtensor.Quantizer, not {type(quantizer).__name__}")
    return Tensor._wrap(native.Tensor.EmptyQuantized(shape_of(shape), quantizer._native))


def from_int_repr(int_data, quantizer):
    """A tensor holding a copy of the integers, with the quantizer's
    parameters. Integers of another type convert when every value fits."""
    if not isinstance(quantizer, Quantizer):
        raise TypeError(f"expected a qtensor.Quantizer, not {type(quantizer).__name__}")
    values = int_input(int_data, quantizer.dtype.int_dtype)
    return Tensor._wrap(
        native.Tensor.FromIntRepr(values, list(values.shape), quantizer._native))


def make_per_tensor_quantized_tensor(int_data, scale, zero_point, dtype=None):
    """torch._make_per_tensor_quantized_tensor: without dtype, the dtype
    follows the integer array's (uint8 -> quint8, int8 -> qint8, int32 ->
    qint32, int16 -> qint16, uint16 -> quint16). A packed dtype is named:
    dtype=qtensor.quint4x2 (or quint2x4, quint4) takes one uint8 per value,
    dtype=qtensor.qint4 one int8; InvalidArgumentError for a value outside
    its range."""
    array = np.asarray(int_data)
    if dtype is None:
        dtype = DTYPE_OF_INT.get(array.dtype)
        if dtype is None:
            raise TypeError(f"expected an array of uint8, int8, int16, uint16 or int32 (or a "
                            f"dtype= keyword), not {array.dtype}")
    return from_int_repr(array, Quantizer.per_tensor_affine(scale, zero_point, dtype))


def from_packed(data, shape, quantizer):
    """A tensor of the shape from integers in storage form (a bytes-like
    object or a NumPy uint8 array, read in row-major order): for the packed
    dtypes ceil(numel * bits / 8) bytes, the first value in the lowest bits
    (as PyTorch 1.13's int_repr() gives quint4x2 and quint2x4 tensors) and
    the unused high bits of the last byte 0; for the others int_repr()'s
    bytes. ShapeMismatchError for the wrong number of bytes,
    CorruptDataError for unused bits that are not 0."""
    if not isinstance(quantizer, Quantizer):
        raise TypeError(f"expected a qtensor.Quantizer, not {type(quantizer).__name__}")
    if isinstance(data, np.ndarray):
        if data.dtype != np.uint8:
            raise TypeError(f"packed data is bytes or a uint8 array, not an array of {data.dtype}")
        packed = np.ascontiguousarray(data).reshape(-1)
    else:
        packed = np.frombuffer(memoryview(data).cast("B"), dtype=np.uint8)
    return Tensor._wrap(native.Tensor.FromPacked(packed, shape_of(shape), quantizer._native))


def serialize(obj):
    """A Tensor or Bundle in the qtensor file format, as bytes."""
    if not isinstance(obj, (Tensor, Bundle)):
        raise TypeError(f"expected a qtensor.Tensor or Bundle, not {type(obj).__name__}")
    return obj.serialize()


def deserialize(data):
    """The Tensor or Bundle that bytes-like data holds."""
    view = memoryview(data).cast("B")
    try:
        return Tensor._wrap(native.Tensor.deserialize(view))
    except CorruptDataError as tensor_error:
        try:
            return Bundle.deserialize(view)
        except CorruptDataError:
            raise tensor_error from None


def save(obj, file):
    """Writes a Tensor or Bundle to a path or a binary file object."""
    if not isinstance(obj, (Tensor, Bundle)):
        raise TypeError(f"expected a qtensor.Tensor or Bundle, not {type(obj).__name__}")
    obj.save(file)


def load(file, mmap=False):
    """The Tensor or Bundle in a file (a path or a binary file object).
    With mmap=True, a container (every bundle file saved to a path) opened
    lazily as a MappedBundle: names, shapes and metadata from its header,
    each tensor mapped read-only when it is asked for."""
    if mmap:
        from ._mapped import open_mapped
        return open_mapped(file)
    if hasattr(file, "read"):
        return deserialize(file.read())
    path = path_of(file)
    try:
        return Tensor._wrap(native.Tensor.load(path))
    except CorruptDataError as tensor_error:
        try:
            return Bundle.load(path)
        except CorruptDataError:
            raise tensor_error from None

"""qtensor: quantized tensors (qint8, quint8, qint32; per tensor or per
channel) with PyTorch's names, speaking NumPy arrays. The storage dtypes
qint16, quint16 and the packed quint4x2, quint2x4, qint4, quint4 are kept,
viewed, converted and saved; requantize them to compute.

    >>> import numpy as np, qtensor
    >>> q = qtensor.quantize_per_tensor(np.array([0.5, -1.0]), 0.1, 0, qtensor.qint8)
    >>> q.int_repr()
    array([  5, -10], dtype=int8)
"""

from . import native
from ._errors import (BY_STATUS, CorruptDataError, Error, FileError, InternalError,
                      InvalidArgumentError, InvalidShapeError, NotFoundError, OutOfMemoryError,
                      OutOfRangeError, ShapeMismatchError, ShapeViewError, TypeMismatchError)
from ._types import (DType, GgufType, QScheme, Rounding, ScaleType, Size, bfloat16_scale,
                     float16_scale, float32_scale, float64_scale, gguf_q4_0, gguf_q8_0,
                     gguf_rounding, onnx_rounding, per_block_affine, per_channel_affine,
                     per_channel_affine_float_qparams, per_channel_symmetric, per_tensor_affine,
                     per_tensor_symmetric, pytorch_rounding, qint4, qint8, qint16, qint32,
                     quint2x4, quint4, quint4x2, quint8, quint16)
from ._quantizer import Quantizer
from ._tensor import Tensor, index_select
from ._bundle import Bundle, Metadata
from ._mapped import BundleWriter, MappedBundle, MappedMetadata
from ._functions import (deserialize, empty_like, empty_quantized, from_int_repr, from_packed, load,
                         make_per_tensor_quantized_tensor, quantize, quantize_gguf,
                         quantize_per_block, quantize_per_channel, quantize_per_tensor, save, serialize)
from ._library import (__version__, get_num_threads, set_max_simd_target, set_num_threads,
                       simd_target, version_number)
from . import _ops as ops
from ._conv import Conv2dPackedParams
from ._linear import LinearPackedParams
from ._ops import (cat, clamp, hardtanh, leaky_relu, relu, relu6, requantize, sigmoid,
                   tanh)
from ._observers import (_choose_qparams_per_tensor, choose_qparams, choose_qparams_per_tensor,
                         quantize_per_tensor_dynamic)
from ._torch import from_torch
from ._shape_functions import flatten, reshape, squeeze, unsqueeze
from . import ao
from . import nn

native.set_error_classes(BY_STATUS)

__all__ = [
    "Bundle", "CorruptDataError", "DType", "Error", "FileError", "InternalError",
    "InvalidArgumentError", "Metadata", "NotFoundError", "OutOfMemoryError", "OutOfRangeError",
    "QScheme", "Quantizer", "ShapeMismatchError", "Size", "Tensor", "TypeMismatchError",
    "deserialize", "empty_quantized", "from_int_repr", "get_num_threads", "load",
    "make_per_tensor_quantized_tensor", "per_channel_affine", "per_tensor_affine", "qint8",
    "qint32", "quantize", "quantize_per_channel", "quantize_per_tensor", "quint8", "save",
    "serialize", "set_max_simd_target", "set_num_threads", "simd_target", "version_number",
    "cat", "clamp", "hardtanh", "leaky_relu", "ops", "relu", "relu6", "requantize", "sigmoid",
    "tanh", "ao", "choose_qparams", "choose_qparams_per_tensor", "per_channel_symmetric",
    "per_tensor_symmetric", "quantize_per_tensor_dynamic", "from_torch", "flatten", "reshape",
    "squeeze", "unsqueeze", "InvalidShapeError", "ShapeViewError", "nn", "LinearPackedParams",
    "Conv2dPackedParams", "qint16", "quint16", "quint4x2", "quint2x4", "qint4", "quint4",
    "from_packed", "Rounding", "ScaleType", "pytorch_rounding", "onnx_rounding",
    "float64_scale", "float32_scale", "float16_scale", "bfloat16_scale", "per_block_affine",
    "quantize_per_block", "GgufType", "gguf_rounding", "gguf_q4_0", "gguf_q8_0", "quantize_gguf",
    "per_channel_affine_float_qparams", "BundleWriter", "MappedBundle", "MappedMetadata",
    "empty_like", "index_select",
]

# Public classes print and pickle under the package's name.
for _public in (Error, InvalidArgumentError, OutOfRangeError, ShapeMismatchError,
                TypeMismatchError, OutOfMemoryError, FileError, CorruptDataError, InternalError,
                NotFoundError, InvalidShapeError, ShapeViewError, DType, QScheme, Rounding,
                ScaleType, GgufType, Size, Quantizer,
                Tensor, Bundle, Metadata, LinearPackedParams, Conv2dPackedParams, BundleWriter,
                MappedBundle, MappedMetadata):
    _public.__module__ = __name__
del _public

"""dtypes (qtensor.qint8, ...), schemes (qtensor.per_tensor_affine, ...)
and qtensor.Size, spelled and printed as PyTorch spells them; the quantizer
options PyTorch lacks: roundings (qtensor.onnx_rounding, ...) and scale
types (qtensor.float16_scale, ...)."""

import numpy as np

from . import native


class DType:
    """A quantized integer type; repr 'qtensor.qint8' like 'torch.qint8'."""

    __slots__ = {"name": "The dtype's name: 'qint8', 'quint8', 'qint32', 'quint4x2', ...",
                 "code": "The library's qt_dtype code (an int).",
                 "int_dtype": "The NumPy dtype of int_repr()'s integers (int8, uint8, int16, "
                              "uint16, int32; int8 for qint4, uint8 for the other packed "
                              "dtypes)."}

    def __init__(self, name, code, int_dtype):
        self.name = name
        self.code = code
        self.int_dtype = np.dtype(int_dtype)

    def __repr__(self):
        return "qtensor." + self.name

    def __reduce__(self):
        return self.name

    @property
    def itemsize(self):
        """Bytes per element, as torch.dtype.itemsize (1 for qint8)."""
        return native.dtype_size(self.code)

    @property
    def bits(self):
        """Bits one element takes in storage: 8 for qint8, 4 for quint4x2 and
        qint4 (two per byte), 2 for quint2x4, 16, 32."""
        return native.dtype_bits(self.code)

    @property
    def is_packed(self):
        """Whether several elements share a byte (quint4x2, quint2x4, qint4,
        quint4): their packed_repr() differs from int_repr()."""
        return self.bits < 8


class QScheme:
    """A quantization scheme; repr 'qtensor.per_tensor_affine'. Calling it
    makes a quantizer of the scheme: qtensor.per_tensor_affine(scale,
    zero_point, dtype) is Quantizer.per_tensor_affine(scale, zero_point, dtype)."""

    __slots__ = {"name": "The scheme's name, as torch spells it: 'per_tensor_affine', ...",
                 "code": "The library's qt_qscheme code; None for the observer options."}

    def __init__(self, name, code):
        self.name = name
        self.code = code

    def __call__(self, *args, **kwargs):
        if self.code is None:
            raise TypeError(f"qtensor.{self.name} is an observer option: quantizers are affine "
                            "(an observer's quantizer() gives one)")
        from ._quantizer import Quantizer
        return getattr(Quantizer, self.name)(*args, **kwargs)

    def __repr__(self):
        return "qtensor." + self.name

    def __reduce__(self):
        return self.name


class Rounding:
    """Which formula quantizes floats; repr 'qtensor.onnx_rounding'."""

    __slots__ = {"name": "The library's name of the rounding: 'pytorch', 'onnx' or 'gguf'.",
                 "code": "The library's qt_rounding code (an int)."}

    def __init__(self, name, code):
        self.name = name
        self.code = code

    def __repr__(self):
        return f"qtensor.{self.name}_rounding"

    def __reduce__(self):
        return f"{self.name}_rounding"


class GgufType:
    """A GGUF block type qtensor holds as tensors; repr 'qtensor.gguf_q4_0'."""

    __slots__ = {"name": "GGUF's name of the type: 'Q4_0' or 'Q8_0'.",
                 "code": "The library's qt_gguf_type code (ggml's type number)."}

    def __init__(self, name, code):
        self.name = name
        self.code = code

    def __repr__(self):
        return f"qtensor.gguf_{self.name.lower()}"

    def __reduce__(self):
        return f"gguf_{self.name.lower()}"


class ScaleType:
    """The floating-point type a quantizer's scales are kept in; repr
    'qtensor.float16_scale'. No result depends on it; files keep it."""

    __slots__ = {"name": "The library's name of the type: 'float64', 'float32', 'float16' or "
                         "'bfloat16'.",
                 "code": "The library's qt_scale_type code (an int)."}

    def __init__(self, name, code):
        self.name = name
        self.code = code

    def __repr__(self):
        return f"qtensor.{self.name}_scale"

    def __reduce__(self):
        return f"{self.name}_scale"


qint8 = DType("qint8", native.QT_QINT8, np.int8)
quint8 = DType("quint8", native.QT_QUINT8, np.uint8)
qint32 = DType("qint32", native.QT_QINT32, np.int32)
# Storage dtypes: the operators refuse them (requantize to compute).
qint16 = DType("qint16", native.QT_QINT16, np.int16)
quint16 = DType("quint16", native.QT_QUINT16, np.uint16)
quint4x2 = DType("quint4x2", native.QT_QUINT4X2, np.uint8)
quint2x4 = DType("quint2x4", native.QT_QUINT2X4, np.uint8)
qint4 = DType("qint4", native.QT_QINT4, np.int8)
quint4 = DType("quint4", native.QT_QUINT4, np.uint8)
DTYPES = {d.code: d for d in (qint8, quint8, qint32, qint16, quint16, quint4x2, quint2x4, qint4,
                              quint4)}
# The integer dtype of make_per_tensor_quantized_tensor's input picks the
# dtype when none is given (the packed dtypes share int8 / uint8, so they are
# picked by name).
DTYPE_OF_INT = {d.int_dtype: d for d in (qint8, quint8, qint32, qint16, quint16)}

per_tensor_affine = QScheme("per_tensor_affine", native.QT_PER_TENSOR_AFFINE)
per_channel_affine = QScheme("per_channel_affine", native.QT_PER_CHANNEL_AFFINE)
per_block_affine = QScheme("per_block_affine", native.QT_PER_BLOCK_AFFINE)
per_channel_affine_float_qparams = QScheme("per_channel_affine_float_qparams",
                                           native.QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS)
QSCHEMES = {s.code: s for s in (per_tensor_affine, per_channel_affine, per_block_affine,
                                per_channel_affine_float_qparams)}
# Observer options only (torch.per_tensor_symmetric, ...): no quantizer has them.
per_tensor_symmetric = QScheme("per_tensor_symmetric", None)
per_channel_symmetric = QScheme("per_channel_symmetric", None)


def check_dtype(dtype):
    """The library's code of a qtensor dtype or of PyTorch's torch.qint8,
    torch.quint8, torch.qint32, torch.quint4x2, torch.quint2x4; TypeError for
    anything else."""
    from ._torch import dtype_of_torch, is_torch_dtype
    if is_torch_dtype(dtype):
        dtype = dtype_of_torch(dtype)
    if not isinstance(dtype, DType):
        raise TypeError(f"dtype must be a qtensor dtype (qtensor.qint8, quint8, qint32, "
                        f"qint16, quint16, quint4x2, quint2x4, qint4, quint4), not {dtype!r}")
    return dtype.code


class Size(tuple):
    """A tensor's shape: a tuple printed as 'qtensor.Size([2, 3])'."""

    __slots__ = ()

    def __repr__(self):
        return f"qtensor.Size({list(self)!r})"

    def numel(self):
        """The number of elements of a tensor of this shape (an int)."""
        count = 1
        for size in self:
            count *= size
        return count


# x * (1 / scale), NaN -> zero point: torch.quantize_per_tensor's (the default).
pytorch_rounding = Rounding("pytorch", native.QT_ROUNDING_PYTORCH)
# x / scale in float32, NaN -> qmin: ONNX Runtime's QuantizeLinear.
onnx_rounding = Rounding("onnx", native.QT_ROUNDING_ONNX)
# llama.cpp's Q8_0 / Q4_0 value formulas with each block's own d.
gguf_rounding = Rounding("gguf", native.QT_ROUNDING_GGUF)
ROUNDINGS = {r.code: r for r in (pytorch_rounding, onnx_rounding, gguf_rounding)}

# Q4_0: quint4 values, zero point 8; Q8_0: qint8 values, zero point 0.
gguf_q4_0 = GgufType("Q4_0", native.QT_GGUF_Q4_0)
gguf_q8_0 = GgufType("Q8_0", native.QT_GGUF_Q8_0)
GGUF_TYPES = {t.name: t for t in (gguf_q4_0, gguf_q8_0)}


def check_gguf_type(gguf_type):
    """The library's code of a GgufType or of its name ('Q4_0', 'Q8_0');
    TypeError for anything else, ValueError for another name."""
    if isinstance(gguf_type, str):
        if gguf_type not in GGUF_TYPES:
            raise ValueError(f"unknown GGUF type {gguf_type!r} (expected 'Q4_0' or 'Q8_0')")
        gguf_type = GGUF_TYPES[gguf_type]
    if not isinstance(gguf_type, GgufType):
        raise TypeError(f"gguf_type must be qtensor.gguf_q4_0, gguf_q8_0, 'Q4_0' or 'Q8_0', "
                        f"not {gguf_type!r}")
    return gguf_type.code

float64_scale = ScaleType("float64", native.QT_SCALE_FLOAT64)
float32_scale = ScaleType("float32", native.QT_SCALE_FLOAT32)
float16_scale = ScaleType("float16", native.QT_SCALE_FLOAT16)
bfloat16_scale = ScaleType("bfloat16", native.QT_SCALE_BFLOAT16)
SCALE_TYPES = {t.code: t for t in (float64_scale, float32_scale, float16_scale, bfloat16_scale)}

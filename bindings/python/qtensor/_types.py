"""dtypes (qtensor.qint8, ...), schemes (qtensor.per_tensor_affine, ...)
and qtensor.Size, spelled and printed as PyTorch spells them."""

import numpy as np

from . import native


class DType:
    """A quantized integer type; repr 'qtensor.qint8' like 'torch.qint8'."""

    __slots__ = {"name": "The dtype's name: 'qint8', 'quint8' or 'qint32'.",
                 "code": "The library's qt_dtype code (an int).",
                 "int_dtype": "The NumPy dtype of the integers (int8, uint8, int32)."}

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


qint8 = DType("qint8", native.QT_QINT8, np.int8)
quint8 = DType("quint8", native.QT_QUINT8, np.uint8)
qint32 = DType("qint32", native.QT_QINT32, np.int32)
DTYPES = {d.code: d for d in (qint8, quint8, qint32)}
# The integer dtype of make_per_tensor_quantized_tensor's input picks the dtype.
DTYPE_OF_INT = {d.int_dtype: d for d in (qint8, quint8, qint32)}

per_tensor_affine = QScheme("per_tensor_affine", native.QT_PER_TENSOR_AFFINE)
per_channel_affine = QScheme("per_channel_affine", native.QT_PER_CHANNEL_AFFINE)
QSCHEMES = {s.code: s for s in (per_tensor_affine, per_channel_affine)}
# Observer options only (torch.per_tensor_symmetric, ...): no quantizer has them.
per_tensor_symmetric = QScheme("per_tensor_symmetric", None)
per_channel_symmetric = QScheme("per_channel_symmetric", None)


def check_dtype(dtype):
    """The library's code of a qtensor dtype or of PyTorch's torch.qint8,
    torch.quint8, torch.qint32; TypeError for anything else."""
    from ._torch import dtype_of_torch, is_torch_dtype
    if is_torch_dtype(dtype):
        dtype = dtype_of_torch(dtype)
    if not isinstance(dtype, DType):
        raise TypeError(f"dtype must be qtensor.qint8, quint8 or qint32, not {dtype!r}")
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

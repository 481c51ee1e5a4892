"""qtensor.Tensor: a quantized tensor (a view of a shared storage)."""

import ctypes

import numpy as np

from ._arrays import float_input, float_of, index_of, path_of
from . import _advanced_indexing as advanced
from ._errors import (SHAPE_VIEW_ERRORS, InvalidArgumentError, OutOfRangeError,
                      ShapeMismatchError, TypeMismatchError)
from ._indexing import view_of
from ._quantizer import Quantizer
from ._torch import is_torch_tensor
from ._types import DTYPES, QSCHEMES, Size, per_channel_affine_float_qparams


class Tensor:
    """A quantized tensor with PyTorch's methods. Made by the module's
    functions (quantize_per_tensor, from_int_repr, ...), never directly."""

    __slots__ = ("_native", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("make tensors with qtensor.quantize_per_tensor, from_int_repr, ...")

    @classmethod
    def _wrap(cls, handle):
        tensor = object.__new__(cls)
        tensor._native = handle
        return tensor

    # ------------------------------------------------------------ inspection
    @property
    def dtype(self):
        """The quantized dtype: qtensor.qint8, quint8, qint32, or a storage
        dtype (qint16, quint16, quint4x2, quint2x4, qint4, quint4)."""
        return DTYPES[self._native.dtype()]

    @property
    def shape(self):
        """The sizes as a qtensor.Size (a tuple), as torch's Tensor.shape."""
        return Size(self._native.sizes())

    def size(self, dim=None):
        """The sizes as a qtensor.Size, or with dim the size of that dimension
        (an int; negative dims count from the end). OutOfRangeError for a dim
        outside the tensor."""
        sizes = self._native.sizes()
        if dim is None:
            return Size(sizes)
        dim = index_of(dim, "dim")
        if not -len(sizes) <= dim < len(sizes):
            raise OutOfRangeError(f"dim {dim} is out of range for {len(sizes)} dimensions")
        return sizes[dim]

    def stride(self):
        """The strides in elements, a tuple of ints (one per dimension)."""
        return tuple(self._native.strides())

    def storage_offset(self):
        """Where this view starts in its storage, in elements (an int)."""
        return self._native.storage_offset()

    def dim(self):
        """The number of dimensions (an int; 0 for a scalar)."""
        return self._native.dim()

    @property
    def ndim(self):
        """The number of dimensions, as dim()."""
        return self._native.dim()

    def numel(self):
        """The number of elements (an int): the product of the sizes."""
        return self._native.numel()

    @property
    def is_quantized(self):
        """Always True: every qtensor.Tensor is quantized (torch's flag)."""
        return self._native.is_quantized()

    def is_contiguous(self):
        """Whether the elements lie in row-major order without gaps (a bool)."""
        return self._native.is_contiguous()

    def shares_storage_with(self, other):
        """Whether other is a view of the same storage (writes to one can
        reach the other), as torch's a.untyped_storage().data_ptr() ==
        b.untyped_storage().data_ptr() tells."""
        if not isinstance(other, Tensor):
            raise TypeError(f"expected a qtensor.Tensor, not {type(other).__name__}")
        return self._native.shares_storage_with(other._native)

    def qscheme(self):
        """The scheme: qtensor.per_tensor_affine, per_channel_affine or
        per_block_affine (whose parameters quantizer() gives)."""
        return QSCHEMES[self._native.qscheme()]

    def quantizer(self):
        """The tensor's parameters and dtype as a qtensor.Quantizer."""
        return Quantizer._wrap(self._native.quantizer())

    def q_scale(self):
        """The scale of a per-tensor tensor (a float); TypeMismatchError for a
        per-channel one."""
        return self._native.q_scale()

    def q_zero_point(self):
        """The zero point of a per-tensor tensor (an int); TypeMismatchError
        for a per-channel one."""
        return self._native.q_zero_point()

    def q_per_channel_scales(self):
        """A per-channel tensor's scales, a float64 NumPy array (one per
        channel); TypeMismatchError for a per-tensor one."""
        return np.array(self._native.q_per_channel_scales(), dtype=np.float64)

    def q_per_channel_zero_points(self):
        """A per-channel tensor's zero points, an int64 NumPy array (one per
        channel; float32 for per_channel_affine_float_qparams, as in
        PyTorch); TypeMismatchError for a per-tensor one."""
        if self._native.qscheme() == per_channel_affine_float_qparams.code:
            return np.array(self._native.q_per_channel_float_zero_points(), dtype=np.float32)
        return np.array(self._native.q_per_channel_zero_points(), dtype=np.int64)

    def q_per_channel_axis(self):
        """The dimension a per-channel tensor's channels run along (an int);
        TypeMismatchError for a per-tensor one."""
        return self._native.q_per_channel_axis()

    # -------------------------------------------------------------- read-out
    def dequantize(self, out=None):
        """The values as a NumPy float32 array of this shape; with out, written
        into that C-contiguous float32 array of this shape, which is returned."""
        if out is None:
            out = np.empty(self._native.sizes(), dtype=np.float32)
        elif not isinstance(out, np.ndarray) or out.dtype != np.float32:
            raise TypeError(f"out must be a float32 NumPy array, not {type(out).__name__}"
                            + (f" of {out.dtype}" if isinstance(out, np.ndarray) else ""))
        elif out.shape != tuple(self._native.sizes()):
            raise ValueError(f"out has shape {out.shape}, the tensor "
                             f"{tuple(self._native.sizes())}")
        elif not (out.flags.c_contiguous and out.flags.writeable):
            raise ValueError("out must be C-contiguous and writable")
        self._native.dequantize_into(out)
        return out

    def is_read_only(self):
        """Whether the tensor's storage is read-only: a tensor mapped from a
        container (MappedBundle) refuses writes; clone() gives a writable copy."""
        return self._native.is_read_only()

    def int_view(self, writable=False):
        """The integers of this contiguous tensor in place, as a NumPy array
        of its shape that shares their memory (no copy) and keeps the storage
        alive: it sees every later write through any view of the storage.
        Read-only unless writable (then writing it writes the tensor).
        InvalidArgumentError for a view that is not contiguous, or writable
        for a read-only tensor (one mapped from a file);
        TypeMismatchError for a packed dtype (quint4x2, ...), whose integers
        share bytes: packed_repr() copies them out."""
        if self.dtype.is_packed:
            raise TypeMismatchError(f"int_view: the integers of a {self.dtype.name} tensor share "
                                    "bytes; packed_repr() gives them as packed bytes")
        if writable and self._native.is_read_only():
            raise InvalidArgumentError("int_view(writable=True): the tensor is read-only: it "
                                       "borrows a mapped file; clone() it to write")
        address = int(self._native.data_ptr())
        nbytes = self._native.nbytes()
        dtype = self.dtype.int_dtype
        if nbytes == 0:
            array = np.empty(self._native.sizes(), dtype=dtype)
        else:
            memory = (ctypes.c_char * nbytes).from_address(address)
            memory._owner = self  # the storage lives as long as the array
            array = np.frombuffer(memory, dtype=dtype).reshape(self._native.sizes())
        array.flags.writeable = bool(writable)
        return array

    def to_torch(self):
        """A quantized torch tensor with this shape, integers and parameters
        (torch's per_tensor_affine or per_channel_affine), bit for bit."""
        from ._torch import to_torch
        return to_torch(self)

    def int_repr(self):
        """The integers as a NumPy array of this shape, one element per value:
        int8 (qint8, qint4), uint8 (quint8, quint4x2, quint2x4, quint4),
        int16 (qint16), uint16 (quint16) or int32 (qint32). PyTorch 1.13's
        int_repr() of a quint4x2 / quint2x4 tensor gives packed bytes instead:
        that is packed_repr() here."""
        out = np.empty(self._native.sizes(), dtype=self.dtype.int_dtype)
        self._native.int_repr_into(out)
        return out

    def packed_repr(self):
        """The integers in storage form, as a 1-dim NumPy uint8 array: for the
        packed dtypes ceil(numel * bits / 8) bytes, row-major from the first
        value whatever the view's layout, the first value in the lowest bits
        and the unused high bits of the last byte 0 (exactly what PyTorch
        1.13's int_repr() gives for quint4x2 and quint2x4, and what
        qtensor.from_packed takes); for the other dtypes int_repr()'s bytes."""
        return np.frombuffer(self._native.packed_repr_bytes(), dtype=np.uint8).copy()

    def __array__(self, dtype=None):
        """np.asarray(tensor): the dequantized values."""
        values = self.dequantize()
        return values if dtype is None else values.astype(dtype)

    def item(self):
        """The dequantized value of a one-element tensor, as a Python float;
        ShapeMismatchError for any other element count."""
        return self._native.item()

    def __float__(self):
        return self._native.item()

    # ----------------------------------------------------------------- views
    def transpose(self, dim0, dim1):
        """A view with dims dim0 and dim1 swapped (no copy)."""
        return Tensor._wrap(self._native.transpose(index_of(dim0, "dim"), index_of(dim1, "dim")))

    def permute(self, *dims):
        """A view with the dims reordered: permute(1, 0) or permute((1, 0))
        (no copy)."""
        if len(dims) == 1 and not isinstance(dims[0], (int, np.integer)):
            dims = tuple(dims[0])
        return Tensor._wrap(self._native.permute([index_of(d, "dim") for d in dims]))

    def select(self, dim, index):
        """The view at index along dim, that dim removed (q[:, 2] is
        select(1, 2))."""
        return Tensor._wrap(self._native.select(index_of(dim, "dim"), index_of(index)))

    def narrow(self, dim, start, length):
        """The view of length elements from start along dim (no copy)."""
        return Tensor._wrap(
            self._native.narrow(index_of(dim, "dim"), index_of(start, "start"),
                                index_of(length, "length")))

    def view(self, *shape):
        """A view of another shape with the same elements: view(2, 3) or
        view((2, 3)), one size may be -1. ShapeViewError where the strides
        cannot be viewed so (reshape copies instead)."""
        return _shape_view(self._native.view, _sizes(shape))

    def reshape(self, *shape):
        """The tensor in another shape, as view when it can be one, else a
        contiguous copy."""
        return _shape_view(self._native.reshape, _sizes(shape))

    def flatten(self, start_dim=0, end_dim=-1):
        """The dims start_dim to end_dim merged into one (a view when it can
        be one, else a copy)."""
        return _shape_view(self._native.flatten, index_of(start_dim, "start_dim"),
                           index_of(end_dim, "end_dim"))

    def unsqueeze(self, dim):
        """A view with a new dimension of size 1 at dim."""
        return Tensor._wrap(self._native.unsqueeze(index_of(dim, "dim")))

    def squeeze(self, dim=None):
        """A view without the dimensions of size 1 (only dim's, with dim)."""
        if dim is None:
            return Tensor._wrap(self._native.squeeze())
        return Tensor._wrap(self._native.squeeze(index_of(dim, "dim")))

    def contiguous(self):
        """A contiguous tensor: a view of the same storage when this one is
        contiguous, else a copy."""
        return Tensor._wrap(self._native.contiguous())

    def clone(self):
        """A copy with storage of its own (contiguous, same parameters)."""
        return Tensor._wrap(self._native.clone())

    def __getitem__(self, key):
        """A view for ints, slices, None and Ellipsis; a copy (as in torch)
        for a key with an integer array or a boolean mask."""
        if _has_array(key):
            return Tensor._wrap(advanced.select(self._native, key))
        return Tensor._wrap(view_of(self._native, key))

    def __setitem__(self, key, value):
        if _has_array(key):
            if isinstance(value, Tensor):
                value = value.dequantize()
            advanced.assign(self._native, key, value)
            return
        view = view_of(self._native, key)
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            view.fill_(float_of(value, "value"))
        elif isinstance(value, Tensor):
            Tensor._wrap(view).copy_(_without_leading_ones(value, view.dim()))
        else:
            Tensor._wrap(view).copy_(_without_leading_ones(float_input(value), view.dim()))

    def __len__(self):
        if self._native.dim() == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._native.sizes()[0]

    def __iter__(self):
        if self._native.dim() == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self)))

    def index_select(self, dim, index):
        """torch.index_select(q, dim, index): a copy of the slices at index (a
        1-D int64 or int32 array, each in [0, size)) along dim; each element
        keeps its integer and its own parameters."""
        return index_select(self, dim, index)

    def repeat(self, *sizes):
        """q.repeat(*sizes): a copy with each dim tiled sizes[d] times (more
        sizes than dims add leading dims)."""
        return Tensor._wrap(self._native.repeat(_sizes(sizes)))

    # ------------------------------------------------------------- operators
    def relu(self):
        """torch.relu(q): max(q, zero point) on the integers; the result keeps
        this tensor's parameters."""
        return Tensor._wrap(self._native.relu())

    def relu_(self):
        """relu written into this view. Returns self."""
        self._native.relu_()
        return self

    def clamp(self, min=None, max=None):
        """torch.clamp(q, min, max): the integers clamped to min and max
        quantized with each element's own parameters (None: no bound); max
        wins where min > max. The result keeps this tensor's parameters."""
        low = -np.inf if min is None else float_of(min, "min")
        high = np.inf if max is None else float_of(max, "max")
        return Tensor._wrap(self._native.clamp(low, high))

    def clamp_(self, min=None, max=None):
        """clamp written into this view (PyTorch 1.13 has no quantized
        clamp_; its F.hardtanh(q, inplace=True) is this). Returns self."""
        low = -np.inf if min is None else float_of(min, "min")
        high = np.inf if max is None else float_of(max, "max")
        self._native.clamp_(low, high)
        return self

    # ---------------------------------------------------------------- writes
    def copy_(self, src):
        """Copies a tensor (requantizing if this is part of a storage) or
        quantizes an array-like broadcast to this shape. Returns self."""
        if isinstance(src, Tensor):
            self._native.copy_from_tensor(src._native)
        else:
            values = float_input(np.broadcast_to(float_input(src), self._native.sizes()))
            self._native.copy_from_float(values)
        return self

    def index_put_(self, indices, values):
        """torch's q.index_put_(indices, values) for a tuple of one index
        array (int64, int32 or bool): q[indices[0]] = values. Returns self."""
        if not isinstance(indices, tuple) or len(indices) != 1:
            raise TypeError("index_put_ takes a tuple of one index array (qtensor indexes with "
                            "one array at a time)")
        self[advanced.index_array(indices[0], TypeMismatchError),] = values
        return self

    def masked_fill_(self, mask, value):
        """torch's q.masked_fill_(mask, value): where the boolean mask
        (broadcast to this shape) is true, value quantized with each
        element's own parameters. Returns self."""
        if isinstance(value, np.ndarray) or is_torch_tensor(value):
            if np.ndim(value) != 0:
                raise ValueError("masked_fill_ only supports a 0-dimensional value tensor, "
                                 f"got one of {np.ndim(value)} dimensions")
            value = float_input(value)[()]
        mask = advanced.index_array(mask, TypeMismatchError)
        if mask.dtype != np.bool_:
            raise TypeMismatchError(f"masked_fill_ only supports boolean masks, not {mask.dtype}")
        sizes = self._native.sizes()
        try:
            mask = np.broadcast_to(mask, sizes)
        except ValueError:
            raise ShapeMismatchError(f"a mask of shape {list(mask.shape)} does not broadcast to "
                                     f"the tensor's shape {list(sizes)}") from None
        self._native.masked_fill_(np.ascontiguousarray(mask, dtype=np.bool_),
                                  float_of(value, "value"))
        return self

    def fill_(self, value):
        """Sets every element to value quantized with its parameters. Returns
        self."""
        self._native.fill_(float_of(value, "value"))
        return self

    # ------------------------------------------------------------- printing
    def __repr__(self):
        return self._native.to_string()

    __str__ = __repr__

    # ---------------------------------------------------------- serialization
    def serialize(self):
        """The tensor in the qtensor file format, as bytes."""
        return self._native.serialize_bytes()

    def save(self, file):
        """Writes the tensor to a path or a binary file object."""
        if hasattr(file, "write"):
            file.write(self.serialize())
        else:
            self._native.save(path_of(file))

    def __reduce__(self):
        from ._functions import deserialize
        return (deserialize, (self.serialize(),))


def index_select(input, dim, index):
    """torch.index_select(input, dim, index) on a qtensor.Tensor."""
    if not isinstance(input, Tensor):
        raise TypeError(f"index_select takes a qtensor.Tensor, not {type(input).__name__}")
    indices = advanced.index_array(index, TypeMismatchError)
    if indices.dtype == np.bool_:
        raise TypeMismatchError("index_select(): expected an int64 or int32 index, not bool")
    if indices.ndim > 1:
        raise OutOfRangeError(f"index_select(): the index is supposed to be a vector, "
                              f"got {indices.ndim} dimensions")
    return Tensor._wrap(input._native.index_select(index_of(dim, "dim"),
                                                   indices.reshape(-1).tolist()))


def _has_array(key):
    items = key if isinstance(key, tuple) else (key,)
    return any(advanced.is_array_index(item) for item in items)


def _without_leading_ones(value, ndim):
    """value (a Tensor or an array) without the leading size-1 dims beyond
    ndim, as NumPy and torch drop them in assignment (q[0] = [[1.5]]);
    copy_ stays strict, as torch's is."""
    while value.ndim > ndim and value.shape[0] == 1:
        value = value[0]
    return value


def _sizes(shape):
    """view(2, 3), view((2, 3)) and view([2, 3]) alike, as a list of ints."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        try:
            shape = tuple(shape[0])
        except TypeError:
            raise TypeError(f"a shape is a sequence of ints, not {shape[0]!r}") from None
    return [index_of(size, "size") for size in shape]


def _shape_view(call, *args):
    """call's view, its ValueErrors raised as torch's RuntimeErrors too."""
    try:
        return Tensor._wrap(call(*args))
    except tuple(SHAPE_VIEW_ERRORS) as error:
        raise SHAPE_VIEW_ERRORS[type(error)](str(error)) from None

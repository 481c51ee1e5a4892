"""Integer-array and boolean-mask indexing, q[[0, 2]], q[:, idx], q[mask]
(copies, as in torch and NumPy), and assignment through them (torch's
index_put_). One array or mask per key; the other items are basic indexing
(_indexing.py)."""

import numpy as np

from ._arrays import float_input
from ._errors import IndexTypeError, InvalidArgumentError, OutOfRangeError, ShapeMismatchError
from ._indexing import _expand, view_of
from ._torch import is_torch_tensor


def is_array_index(item):
    """Whether a key item indexes with an array (a list, a NumPy array or a
    torch tensor) rather than an int, slice, None or Ellipsis."""
    return isinstance(item, (list, np.ndarray)) or is_torch_tensor(item)


def index_array(item, error=IndexTypeError):
    """item as an int64 or bool NumPy array; error (a TypeError) for floats
    and other dtypes. An empty list indexes nothing, as in NumPy."""
    if is_torch_tensor(item):
        if item.is_quantized:
            raise error("a quantized tensor cannot index: indices are int64, int32 or bool")
        array = item.detach().cpu().numpy()
    else:
        array = np.asarray(item)
        if array.size == 0 and not isinstance(item, np.ndarray):
            array = array.astype(np.int64)
    if array.dtype == np.bool_:
        return array
    if array.dtype.kind not in "iu":
        raise error(f"tensors used as indices must be long, int or bool, not {array.dtype}")
    return array.astype(np.int64)


class _Selection:
    """What a key with one array or mask names: the basic view it applies
    to, the dim, the flat row-major positions along that dim (masks over
    several dims are walked as one flattened dim) and the result's sizes of
    the indexed dims."""

    def __init__(self, native, key):
        items = key if isinstance(key, tuple) else (key,)
        at = [i for i, item in enumerate(items) if is_array_index(item)]
        if len(at) > 1:
            raise IndexError("qtensor indexes with one integer array or mask at a time: "
                             "index twice instead (q[idx0][:, idx1])")
        index = index_array(items[at[0]])
        self.index = index
        dims = index.ndim if index.dtype == np.bool_ else 1
        if dims == 0:
            raise IndexError("a 0-dim boolean index is not supported")
        marker = slice(None)
        replaced = items[:at[0]] + (marker,) + (slice(None),) * (dims - 1) + items[at[0] + 1:]
        expanded = _expand(replaced, native.dim())
        position = next(i for i, item in enumerate(expanded) if item is marker)
        self.dim = sum(1 for item in expanded[:position]
                       if item is None or isinstance(item, slice))
        self.view = view_of(native, expanded)
        sizes = list(self.view.sizes())
        if index.dtype == np.bool_:
            indexed = sizes[self.dim:self.dim + dims]
            if list(index.shape) != indexed:
                raise IndexError(f"the shape of the mask {list(index.shape)} does not match "
                                 f"the shape of the indexed tensor {indexed} at dim {self.dim}")
            self.mask_dims = dims
            self.positions = np.flatnonzero(index)
            self.result_sizes = [len(self.positions)]
        else:
            size = sizes[self.dim]
            flat = index.reshape(-1)
            bad = flat[(flat < -size) | (flat >= size)]
            if bad.size:
                raise OutOfRangeError(f"index {int(bad[0])} is out of bounds for dimension "
                                      f"{self.dim} with size {size}")
            self.mask_dims = 1
            self.positions = np.where(flat < 0, flat + size, flat)
            self.result_sizes = list(index.shape)

    def flat_view(self):
        """The view with the masked dims as one (a view of the same
        storage), or None where the strides cannot be viewed so."""
        if self.mask_dims == 1:
            return self.view
        sizes = list(self.view.sizes())
        end = self.dim + self.mask_dims
        flat = sizes[:self.dim] + [int(np.prod(sizes[self.dim:end]))] + sizes[end:]
        try:
            return self.view.view(flat)
        except ValueError:
            return None

    def shape(self):
        """The sizes of the selection (the copy q[key] gives)."""
        sizes = list(self.view.sizes())
        end = self.dim + self.mask_dims
        return sizes[:self.dim] + self.result_sizes + sizes[end:]


def select(native, key):
    """The native copy that q[key] names for a key with an array or mask."""
    selection = _Selection(native, key)
    view = selection.view
    try:
        if selection.mask_dims > 1:
            view = view.flatten(selection.dim, selection.dim + selection.mask_dims - 1)
        result = view.index_select(selection.dim, selection.positions.tolist())
        shape = selection.shape()
        if list(result.sizes()) != shape:
            result = result.view(shape)
    except InvalidArgumentError as error:
        # A mask over several dims, or an index array of several dims,
        # that would merge or split a per-channel tensor's channel dim.
        raise InvalidArgumentError(f"indexing with an array or mask: {error}") from None
    return result


def assign(native, key, values):
    """q[key] = values for a key with an array or mask: values (a float
    array-like, a number or a Tensor's dequantized values) broadcast to the
    selection, quantized with each element's own parameters."""
    selection = _Selection(native, key)
    shape = selection.shape()
    values = _broadcast(values, shape)
    dim = selection.dim
    n = len(selection.positions)
    values = float_input(values.reshape(shape[:dim] + [n] +
                                        shape[dim + len(selection.result_sizes):]))
    flat = selection.flat_view()
    if flat is not None:
        flat.index_put_(dim, selection.positions.tolist(), values)
        return
    # Masked dims that no view merges: one slice at a time.
    rows = np.moveaxis(values, dim, 0)
    coordinates = np.unravel_index(selection.positions, selection.index.shape)
    for j in range(n):
        part = selection.view
        for c in coordinates:
            part = part.select(dim, int(c[j]))
        part.copy_from_float(float_input(rows[j]))


def _broadcast(values, shape):
    """values as a float32 array of shape, NumPy's assignment broadcasting
    (leading size-1 dims dropped first)."""
    array = float_input(values)
    while array.ndim > len(shape) and array.shape[0] == 1:
        array = array[0]
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise ShapeMismatchError(f"shape mismatch: values of shape {list(array.shape)} cannot "
                                 f"be broadcast to the indexing result of shape "
                                 f"{shape}") from None

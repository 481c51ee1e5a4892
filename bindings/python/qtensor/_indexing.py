"""Python indexing (ints, slices with any step, tuples, Ellipsis, None for a
new size-1 dim) as views."""

from ._arrays import INT64_MAX, INT64_MIN, index_of, integer_of


def _clamped(value, what):
    """A slice's start, stop or step clamped into int64. Python clamps a
    slice to the sequence, so any value beyond a size (at most INT64_MAX)
    means what INT64_MAX means: [2**63:] is empty, [::2**64] takes the first
    element, as [2**62:] and [::2**62] do."""
    return max(INT64_MIN, min(INT64_MAX, integer_of(value, what)))


def _bound(value, open_end):
    if value is None:
        return open_end
    return _clamped(value, "slice index")


def _expand(key, ndim):
    """key as a tuple with Ellipsis replaced by full slices."""
    items = key if isinstance(key, tuple) else (key,)
    ellipses = sum(1 for item in items if item is Ellipsis)
    if ellipses > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if ellipses == 0:
        return items
    at = next(i for i, item in enumerate(items) if item is Ellipsis)
    fill = max(0, ndim - _dims_taken(items))
    return items[:at] + (slice(None),) * fill + items[at + 1:]


def _dims_taken(items):
    """How many of the tensor's dims the items index (None adds one)."""
    return sum(1 for item in items if item is not None and item is not Ellipsis)


def view_of(native_tensor, key):
    """The native view that tensor[key] names."""
    items = _expand(key, native_tensor.dim())
    if _dims_taken(items) > native_tensor.dim():
        raise IndexError(f"too many indices for a tensor of dimension {native_tensor.dim()}")
    view = native_tensor
    dim = 0
    for item in items:
        if isinstance(item, slice):
            step = 1 if item.step is None else _clamped(item.step, "slice step")
            if step == 0:
                raise ValueError("slice step cannot be zero")
            forward = step > 0
            start = _bound(item.start, INT64_MIN if forward else INT64_MAX)
            stop = _bound(item.stop, INT64_MAX if forward else INT64_MIN)
            view = view.slice(dim, start, stop, step)
            dim += 1
        elif item is None:
            view = view.unsqueeze(dim)
            dim += 1
        else:
            view = view.select(dim, index_of(item))
    return view

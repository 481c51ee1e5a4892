"""Conversions of array-likes to the buffers the native module reads."""

import operator
import os

import numpy as np

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def float_input(data):
    """A C-contiguous float32 array of data: the same object (no copy) when it
    already is one, else a converted copy (float64, strided, lists, ...)."""
    array = np.asarray(data)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"expected real numbers, got an array of {array.dtype}")
    # Not np.ascontiguousarray: it turns 0-dim arrays into 1-dim ones.
    return np.asarray(array, dtype=np.float32, order="C")


def int_input(data, int_dtype):
    """A C-contiguous array of int_dtype holding data's integers. Other integer
    types convert when every value fits; anything else is a TypeError."""
    array = np.asarray(data)
    if array.dtype != int_dtype:
        if array.dtype.kind not in "iu":
            raise TypeError(f"expected integers of {int_dtype}, got {array.dtype}")
        info = np.iinfo(int_dtype)
        if array.size and (array.min() < info.min or array.max() > info.max):
            raise ValueError(f"values outside the range of {int_dtype}")
        array = array.astype(int_dtype)
    return np.asarray(array, order="C")


def shape_of(shape):
    """A list of Python ints from an int, a sequence of ints or a NumPy shape."""
    if isinstance(shape, (int, np.integer)):
        return [operator.index(shape)]
    try:
        sizes = [operator.index(size) for size in shape]
    except TypeError:
        raise TypeError(f"a shape is a sequence of ints, not {shape!r}") from None
    for size in sizes:
        if not INT64_MIN <= size <= INT64_MAX:
            raise ValueError(f"size {size} is out of range")
    return sizes


def index_of(value, what="index"):
    """A Python int within int64 (TypeError for non-integers, bools included)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} must be an integer, not bool")
    try:
        index = operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be an integer, not {type(value).__name__}") from None
    if not INT64_MIN <= index <= INT64_MAX:
        raise IndexError(f"{what} {index} is out of range")
    return index


def path_of(file):
    """A file system path as str (TypeError / ValueError for what is not one)."""
    path = os.fsdecode(os.fspath(file))
    if "\0" in path:
        raise ValueError("a path cannot contain NUL characters")
    return path

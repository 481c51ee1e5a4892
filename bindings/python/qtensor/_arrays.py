"""Conversions of array-likes to the buffers the native module reads."""

import operator
import os

import numpy as np

from ._errors import InvalidArgumentError, OutOfMemoryError, OutOfRangeError

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def float_input(data):
    """A C-contiguous float32 array of data: the same object (no copy) when it
    already is one, else a converted copy (float64, strided, lists, torch
    float tensors, ...)."""
    from ._torch import float_array_of_torch, is_torch_tensor
    if is_torch_tensor(data):
        data = float_array_of_torch(data)
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
    """A list of Python ints from an int, a sequence of ints or a NumPy shape.
    Sizes beyond int64 are reported as the library reports sizes within it
    that are too large (OutOfMemoryError) or negative (InvalidArgumentError)."""
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    try:
        sizes = list(shape)
    except TypeError:
        raise TypeError(f"a shape is a sequence of ints, not {shape!r}") from None
    return [int64_of(size, f"size of dim {dim}", OutOfMemoryError, InvalidArgumentError)
            for dim, size in enumerate(sizes)]


def integer_of(value, what):
    """value (an int, a NumPy integer, anything with __index__) as a Python
    int; TypeError naming what for anything else, bools included."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} must be an integer, not bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be an integer, not {type(value).__name__}") from None


def spelled_int(number):
    """An int for a message: its digits, or its size when the digits would
    fill the message (Python refuses str() beyond 4300 digits)."""
    if not isinstance(number, int):
        return repr(number)
    bits = number.bit_length()
    if bits <= 256:
        return str(number)
    return f"{'-' if number < 0 else ''}(an integer of {bits} bits)"


def int64_of(value, what, error, error_below=None):
    """An integer (see integer_of) within int64, the type of the library's
    integer parameters, as a Python int. A value outside int64 raises error, the
    qtensor.Error subclass the library raises for a bad value of the same
    parameter within int64 (so 2**63 raises what 2**62 raises), or
    error_below for values below int64 when that differs. The message names
    the parameter (what)."""
    number = integer_of(value, what)
    if not INT64_MIN <= number <= INT64_MAX:
        kind = error if number > 0 or error_below is None else error_below
        raise kind(f"{what} = {spelled_int(number)} is outside the range of int64")
    return number


def index_of(value, what="index"):
    """An index or dim as int64_of gives it: the library reports bad ones as
    OutOfRangeError."""
    return int64_of(value, what, OutOfRangeError)


def float_of(value, what):
    """A real number as a Python float; InvalidArgumentError (the library's
    error for a bad scale) for an int too large for a double."""
    try:
        return float(value)
    except OverflowError:
        raise InvalidArgumentError(
            f"{what} = {spelled_int(value)} is too large for a float") from None


def path_of(file):
    """A file system path (str, bytes or os.PathLike) as the bytes the file
    system sees, so that a file name that is not UTF-8 (which os.listdir
    gives as a str with escaped bytes) names the same file. TypeError for
    what is not a path, ValueError for a NUL or an unpaired surrogate."""
    path = os.fspath(file)
    try:
        encoded = os.fsencode(path)
    except UnicodeEncodeError:
        raise ValueError(f"a path cannot contain an unpaired surrogate: {path!r}") from None
    if b"\0" in encoded:
        raise ValueError("a path cannot contain NUL characters")
    return encoded

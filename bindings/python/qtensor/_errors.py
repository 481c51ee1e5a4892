"""Exceptions: qtensor.Error and one subclass per qt_status.

Each subclass is also the built-in exception a Python user would catch for
that kind of failure (ValueError, IndexError, TypeError, KeyError, ...).
"""


class Error(Exception):
    """Base class of every error raised by qtensor."""


class InvalidArgumentError(Error, ValueError):
    """A bad parameter: scale, zero point, axis, step 0, ..."""


class OutOfRangeError(Error, IndexError):
    """An index or dimension outside the tensor."""


class ShapeMismatchError(Error, ValueError):
    """Shapes or element counts that do not match."""


class TypeMismatchError(Error, TypeError):
    """dtypes that do not match, or an operation the scheme lacks."""


class OutOfMemoryError(Error, MemoryError):
    """An allocation failed or its size overflows."""


class FileError(Error, OSError):
    """A file could not be opened, read or written."""


class CorruptDataError(Error, ValueError):
    """Serialized data is malformed or violates a limit."""


class InternalError(Error, RuntimeError):
    """A bug in the library."""


class NotFoundError(Error, KeyError):
    """A bundle entry or metadata key that is not there."""

    # KeyError quotes its argument; the library's message reads better plain.
    __str__ = Exception.__str__


class ShapeViewError(ShapeMismatchError, RuntimeError):
    """A shape that view, reshape or flatten cannot give (wrong element
    count, strides that cannot be viewed): a RuntimeError, as in torch."""


class InvalidShapeError(InvalidArgumentError, RuntimeError):
    """A bad shape argument of view, reshape or flatten (two -1s, a size
    below -1, start_dim after end_dim, a per-channel tensor's channel dim
    merged or split): a RuntimeError, as in torch."""


# What the shape views raise for a status whose error torch raises as
# RuntimeError.
SHAPE_VIEW_ERRORS = {ShapeMismatchError: ShapeViewError, InvalidArgumentError: InvalidShapeError}


# Indexed by qt_status (QT_OK = 0 never raises).
BY_STATUS = (
    InternalError,
    InvalidArgumentError,
    OutOfRangeError,
    ShapeMismatchError,
    TypeMismatchError,
    OutOfMemoryError,
    FileError,
    CorruptDataError,
    InternalError,
    NotFoundError,
)


class IndexTypeError(TypeMismatchError, IndexError):
    """Indices of a dtype that cannot index (floats in q[...]): an
    IndexError, as torch and NumPy raise, and a TypeError."""

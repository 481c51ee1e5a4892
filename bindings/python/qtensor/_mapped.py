"""Containers from Python: qtensor.load(path, mmap=True) opens one lazily as
a MappedBundle, and BundleWriter writes one a tensor at a time
(docs/format.md, "The container")."""

import ctypes
import os
from collections.abc import Mapping

import numpy as np


from . import native
from ._arrays import path_of, shape_of
from ._bundle import (_FLOAT_NAMES, _NUMPY_FLOATS, Bundle, _float_dtype, _is_storable, _name,
                      _store_entry)
from ._errors import CorruptDataError, InvalidArgumentError
from ._quantizer import Quantizer
from ._tensor import Tensor
from ._types import DTYPES, Size

CONTAINER_MAGIC = b"\x89QTBNDL\n"


def is_container(path):
    """Whether the file at path (bytes, as path_of gives) starts with the
    container's magic."""
    with open(path, "rb") as file:
        return file.read(len(CONTAINER_MAGIC)) == CONTAINER_MAGIC


class MappedMetadata(Mapping):
    """A container's metadata, read from its header: str keys (in sorted
    order) to str values. Read-only, as the file is."""

    __slots__ = ("_file",)

    def __init__(self, file):
        """The metadata of a MappedBundle (MappedBundle.metadata makes one)."""
        self._file = file

    def __getitem__(self, key):
        return self._file._open().metadata(_name(key, "metadata key"))

    def __contains__(self, key):
        handle = self._file._open()
        return _is_storable(key) and handle.has_metadata(key)

    def __iter__(self):
        return iter(self._file._open().metadata_keys())

    def __len__(self):
        return self._file._open().metadata_size()

    def __repr__(self):
        return repr(dict(self.items()))


def _mapped_float(bundle, name):
    """A float entry of a bundle of mapped entries: float32 and float16 as a
    read-only NumPy view of the mapping (no copy), which keeps the bundle
    alive; bfloat16, which NumPy lacks, as its float32 values (a copy)."""
    dtype = bundle.float_dtype(name)
    if dtype not in _NUMPY_FLOATS:
        return bundle[name]
    shape = bundle.float_shape(name)
    numpy_dtype = _NUMPY_FLOATS[dtype]
    count = int(np.prod(shape, dtype=np.int64))
    if count == 0:
        array = np.empty(shape, dtype=numpy_dtype)
    else:
        memory = (ctypes.c_char * (count * numpy_dtype.itemsize)).from_address(
            bundle._native.float_data_address(name))
        memory._owner = bundle  # the mapping lives as long as the array
        array = np.frombuffer(memory, dtype=numpy_dtype).reshape(shape)
    array.flags.writeable = False
    return array


class MappedBundle(Mapping):
    """A container opened lazily: names, shapes, dtypes, quantizers and
    metadata come from its header, and each tensor is mapped from the file
    when it is asked for (no copy, pages shared with every other reader of
    the file). A mapped tensor is read-only: writes into it raise
    InvalidArgumentError, clone() gives a writable copy, int_view() a
    read-only NumPy view of its integers without a copy. A float32 or
    float16 entry reads as a read-only NumPy view of the file (bfloat16 as
    its float32 values, a copy). Both stay valid after close().

    Use qtensor.load(path, mmap=True), or MappedBundle(path); close it, or
    use it in a with statement."""

    __slots__ = ("_native", "_path")

    def __init__(self, file):
        """Opens the container at file (a str, bytes or os.PathLike path),
        reading and validating its header only. CorruptDataError for a file
        that is not a valid container; FileError if it cannot be read."""
        self._path = path_of(file)
        self._native = None
        self._native = native.BundleFile.open(self._path)

    def _open(self):
        if self._native is None:
            raise ValueError("the MappedBundle is closed")
        return self._native

    def close(self):
        """Closes the file (tensors taken from it stay valid). Idempotent."""
        self._native = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __getitem__(self, name):
        if not isinstance(name, str):
            raise TypeError(f"a bundle name is a str, not {type(name).__name__}")
        handle = self._open()
        if handle.is_float(_name(name)):
            return _mapped_float(Bundle._wrap(handle.select([name])), name)
        return Tensor._wrap(handle.get(name))

    def __contains__(self, name):
        handle = self._open()
        return _is_storable(name) and handle.contains(name)

    def __iter__(self):
        return iter(self._open().names())

    def __len__(self):
        return self._open().size()

    @property
    def metadata(self):
        """The header's metadata, a read-only MappedMetadata mapping."""
        self._open()
        return MappedMetadata(self)

    # What the header says, without mapping the values (a per-channel or
    # per-block quantizer reads its parameter payloads).
    def is_float(self, name):
        """Whether the named entry is a float entry (not a quantized tensor)."""
        return self._open().is_float(_name(name))

    def shape(self, name):
        """The named entry's shape, a qtensor.Size."""
        return Size(self._open().shape(_name(name)))

    def dtype(self, name):
        """The named quantized tensor's dtype (TypeMismatchError for a float entry)."""
        return DTYPES[self._open().dtype(_name(name))]

    def quantizer(self, name):
        """The named quantized tensor's Quantizer."""
        return Quantizer._wrap(self._open().quantizer(_name(name)))

    def float_dtype(self, name):
        """The named float entry's dtype: 'float32', 'float16' or 'bfloat16'."""
        return _FLOAT_NAMES[self._open().float_dtype(_name(name))]

    def payload(self, name):
        """(offset, length) of the named entry's values in the file: offset a
        multiple of 64, the values in storage form (docs/format.md), for
        readers that map the bytes themselves (numpy.memmap, mmap)."""
        handle = self._open()
        return handle.payload_offset(_name(name)), handle.payload_length(name)

    def verify(self, name=None):
        """Checks the named entry's checksum (XXH3-64), or every entry's:
        CorruptDataError naming the entry whose bytes changed."""
        if name is None:
            self._open().verify_all()
        else:
            self._open().verify(_name(name))

    def select(self, names):
        """A Bundle of the named entries in that order, with the metadata,
        each entry mapped as __getitem__ maps it."""
        names = [_name(name) for name in names]
        return Bundle._wrap(self._open().select(names))

    def to_bundle(self):
        """A Bundle of every entry and the metadata, all mapped at once."""
        return Bundle._wrap(self._open().to_bundle())

    def __repr__(self):
        if self._native is None:
            return "qtensor.MappedBundle(closed)"
        names = ", ".join(repr(name) for name in self)
        return f"qtensor.MappedBundle([{names}], metadata={self.metadata!r})"


class BundleWriter:
    """Writes a container one entry at a time: each tensor is written when
    it is added, so memory holds one tensor, not the bundle. finish() writes
    the header and renames the file over the path; an unfinished writer
    (closed, or left by an exception in a with block) leaves the path as it
    was. In a with block, a normal exit finishes."""

    __slots__ = ("_native", "_done")

    def __init__(self, file):
        """Starts writing the container at file (a path); FileError if its
        temporary file cannot be created."""
        self._native = None
        self._native = native.BundleWriter.open(path_of(file))
        self._done = False

    def _open(self):
        if self._native is None:
            raise ValueError("the BundleWriter is closed")
        return self._native

    def add(self, name, value):
        """Writes a qtensor.Tensor (its own elements, as save writes a view)
        or a float32 / float16 NumPy array (a float entry) under name."""
        _store_entry(name, value, self._open().add, self.add_float, "add_float")

    def add_float(self, name, data, shape, dtype):
        """Writes a float entry: data is bytes-like, product(shape) values of
        dtype ('float32', 'float16' or 'bfloat16'), little-endian."""
        self._open().add_float(_name(name), memoryview(data).cast("B"), shape_of(shape),
                               _float_dtype(dtype))

    def set_metadata(self, key, value):
        """Sets a metadata entry (str to str)."""
        if not isinstance(value, str):
            raise TypeError(f"metadata values are str, not {type(value).__name__}")
        self._open().set_metadata(_name(key, "metadata key"), _name(value, "metadata value"))

    def finish(self):
        """Writes the header, syncs and renames the file over the path."""
        self._open().finish()
        self._done = True
        self._native = None

    def close(self):
        """Abandons an unfinished writer (its temporary file is removed)."""
        self._native = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None and self._native is not None:
            self.finish()
        self.close()


def open_mapped(file):
    """load(path, mmap=True): the container at path as a MappedBundle;
    InvalidArgumentError, saying what to do, for a file in the message form."""
    if hasattr(file, "read"):
        raise TypeError("mmap=True maps a file by its path, not a file object")
    path = path_of(file)
    try:
        return MappedBundle(path)
    except CorruptDataError:
        if is_container(path):
            raise
    raise InvalidArgumentError(
        f"mmap=True opens containers, and {os.fsdecode(path)!r} is in the message form (a single "
        "tensor, or a bundle written before 0.2.0 or with save_message): load it without "
        "mmap, or rewrite it as a container with `qtensor convert IN -o OUT`")

"""qtensor.Bundle: named tensors plus string metadata, used like a dict."""

from collections.abc import MutableMapping

import numpy as np

from . import native
from ._arrays import path_of
from ._tensor import Tensor


def _name(key, what="name"):
    """key, checked to be a str the library stores unchanged: no NUL (the
    library takes C strings) and no unpaired surrogate (UTF-8 has none)."""
    if not isinstance(key, str):
        raise TypeError(f"a bundle {what} is a str, not {type(key).__name__}")
    if "\0" in key:
        raise ValueError(f"a bundle {what} cannot contain NUL characters")
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"a bundle {what} cannot contain an unpaired surrogate: {key!r}") from None
    return key


def _is_storable(key):
    """Whether key could name an entry (a mapping's `in` is False otherwise)."""
    try:
        return isinstance(key, str) and _name(key) is key
    except ValueError:
        return False


class Metadata(MutableMapping):
    """A bundle's metadata: str keys to str values (in sorted key order)."""

    __slots__ = ("_native",)

    def __init__(self, handle):
        """The metadata of the library's bundle handle (Bundle.metadata
        makes one)."""
        self._native = handle

    def __getitem__(self, key):
        return self._native.metadata(_name(key, "metadata key"))

    def __setitem__(self, key, value):
        if not isinstance(value, str):
            raise TypeError(f"metadata values are str, not {type(value).__name__}")
        self._native.set_metadata(_name(key, "metadata key"), _name(value, "metadata value"))

    def __delitem__(self, key):
        raise TypeError("metadata entries cannot be removed")

    def __contains__(self, key):  # a lookup in the library, not a scan of the keys
        return _is_storable(key) and self._native.has_metadata(key)

    def __iter__(self):
        return iter(self._native.metadata_keys())

    def __len__(self):
        return self._native.metadata_size()

    def __repr__(self):
        return repr(dict(self.items()))


# Float entries: the library's qt_float_dtype by name, and the NumPy dtype
# (little-endian) each is read as; bfloat16, which NumPy lacks, reads as its
# float32 values.
_FLOAT_DTYPES = {"float32": native.QT_FLOAT32, "float16": native.QT_FLOAT16,
                 "bfloat16": native.QT_BFLOAT16}
_FLOAT_NAMES = {code: name for name, code in _FLOAT_DTYPES.items()}
_NUMPY_FLOATS = {"float32": np.dtype("<f4"), "float16": np.dtype("<f2")}


def _float_dtype(dtype):
    """The qt_float_dtype of "float32", "float16", "bfloat16" or a NumPy
    float32 / float16 dtype."""
    if isinstance(dtype, str) and dtype in _FLOAT_DTYPES:
        return _FLOAT_DTYPES[dtype]
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = None
    if name in _NUMPY_FLOATS:
        return _FLOAT_DTYPES[name]
    raise TypeError(f"a float entry's dtype is 'float32', 'float16' or 'bfloat16', not {dtype!r}")


def _store_entry(name, value, store_tensor, store_float, float_method):
    """Stores a qtensor.Tensor with store_tensor(name, native tensor), or a
    float32 / float16 NumPy array as a float entry with store_float(name,
    bytes, shape, dtype name); TypeError for anything else."""
    if isinstance(value, Tensor):
        store_tensor(_name(name), value._native)
    elif isinstance(value, np.ndarray) and value.dtype.name in _NUMPY_FLOATS:
        # Little-endian and row-major (ascontiguousarray would make a 0-dim array 1-dim).
        array = value.astype(_NUMPY_FLOATS[value.dtype.name], order="C", copy=False)
        store_float(name, array.reshape(-1).view(np.uint8), array.shape, value.dtype.name)
    else:
        raise TypeError("a bundle holds qtensor.Tensor values and float32 or float16 NumPy "
                        f"arrays ({float_method} takes bfloat16), not {type(value).__name__}"
                        + (f" of {value.dtype}" if isinstance(value, np.ndarray) else ""))


class Bundle(MutableMapping):
    """Named tensors (in insertion order) and .metadata (str to str): a
    state dict that saves to one file.

    An entry is a qtensor.Tensor or an unquantized float array (GGUF's F32,
    F16 and BF16 tensors), kept bit for bit: bundle[name] = a float32 or
    float16 NumPy array stores one, set_float stores raw bytes of any float
    dtype (bfloat16 too), and bundle[name] reads it back as a NumPy array
    (bfloat16 as its float32 values; float_data gives the stored bytes)."""

    __slots__ = ("_native",)

    def __init__(self, tensors=None, metadata=None):
        self._native = native.Bundle()
        if tensors is not None:
            self.update(tensors)
        if metadata is not None:
            self.metadata.update(metadata)

    @classmethod
    def _wrap(cls, handle):
        bundle = object.__new__(cls)
        bundle._native = handle
        return bundle

    @property
    def metadata(self):
        """The bundle's metadata: a live Metadata mapping of str to str."""
        return Metadata(self._native)

    def __getitem__(self, name):
        if self.is_float(name):
            return self._float_array(name)
        return Tensor._wrap(self._native.get(name))

    def __setitem__(self, name, value):
        _store_entry(name, value, self._native.set, self.set_float, "set_float")

    def set_float(self, name, data, shape, dtype):
        """Stores a float entry: data is bytes-like, product(shape) values of
        dtype ('float32', 'float16' or 'bfloat16'), little-endian, copied."""
        shape = [int(size) for size in shape]
        self._native.set_float(_name(name), memoryview(data).cast("B"), shape, _float_dtype(dtype))

    def is_float(self, name):
        """Whether the named entry is a float entry (not a qtensor.Tensor)."""
        return self._native.is_float(_name(name))

    def float_dtype(self, name):
        """The named float entry's dtype: 'float32', 'float16' or 'bfloat16'."""
        return _FLOAT_NAMES[self._native.float_dtype(_name(name))]

    def float_shape(self, name):
        """The named float entry's shape, a tuple."""
        return tuple(self._native.float_shape(_name(name)))

    def float_data(self, name):
        """The named float entry's stored bytes (little-endian values)."""
        return bytes(self._native.float_data_bytes(_name(name)))

    def _float_array(self, name):
        dtype, shape = self.float_dtype(name), self.float_shape(name)
        if dtype in _NUMPY_FLOATS:
            data = self._native.float_data_bytes(name)
            return np.frombuffer(data, dtype=_NUMPY_FLOATS[dtype]).reshape(shape)
        values = np.empty(shape, dtype=np.float32)
        self._native.float_values_into(name, values.reshape(-1))
        return values

    def __delitem__(self, name):
        self._native.remove(_name(name))

    def __contains__(self, name):
        return _is_storable(name) and self._native.contains(name)

    def __iter__(self):
        return iter(self._native.names())

    def __len__(self):
        return self._native.size()

    def __repr__(self):
        names = ", ".join(repr(name) for name in self)
        return f"qtensor.Bundle([{names}], metadata={self.metadata!r})"

    def serialize(self):
        """The bundle in the qtensor file format, as bytes."""
        return self._native.serialize_bytes()

    @staticmethod
    def deserialize(data):
        """A bundle from bytes-like data."""
        return Bundle._wrap(native.Bundle.deserialize(memoryview(data).cast("B")))

    def save(self, file):
        """Writes the bundle to a path, as a container (the form of every
        bundle file: load(path, mmap=True) opens it lazily), or to a binary
        file object in the message form (serialize()'s bytes: a stream
        cannot take a container, whose prefix is written last)."""
        self._save(file, self.serialize, self._native.save)

    def save_container(self, file):
        """Writes the bundle to a path as a container (what save does)."""
        if hasattr(file, "write"):
            raise TypeError("a container is written to a path, not a file object: its "
                            "prefix is written last and the file renamed into place")
        self._native.save_container(path_of(file))

    def save_message(self, file):
        """Writes the bundle in the message form (one protobuf message, at
        most 2 GiB, read whole; bundle files before 0.2.0) to a path or a
        binary file object."""
        self._save(file, self.serialize, self._native.save_message)

    @staticmethod
    def load(file):
        """Reads a bundle from a path or a binary file object."""
        return Bundle._load(file, Bundle.deserialize, native.Bundle.load)

    def serialize_onnx(self):
        """The bundle as an ONNX model (docs/onnx.md), as bytes."""
        return self._native.serialize_onnx_bytes()

    @staticmethod
    def deserialize_onnx(data):
        """A bundle of the tensors an ONNX model (bytes-like) dequantizes from
        initializers."""
        return Bundle._wrap(native.Bundle.deserialize_onnx(memoryview(data).cast("B")))

    def save_onnx(self, file):
        """Writes the bundle as an ONNX model to a path or a binary file object."""
        self._save(file, self.serialize_onnx, self._native.save_onnx)

    @staticmethod
    def load_onnx(file):
        """Reads an ONNX model from a path or a binary file object."""
        return Bundle._load(file, Bundle.deserialize_onnx, native.Bundle.load_onnx)

    def _save(self, file, to_bytes, save_path):
        """Writes to_bytes() to a binary file object, or save_path(path)."""
        if hasattr(file, "write"):
            file.write(to_bytes())
        else:
            save_path(path_of(file))

    @staticmethod
    def _load(file, from_bytes, load_path):
        """from_bytes of a binary file object's bytes, or a bundle of load_path(path)."""
        if hasattr(file, "read"):
            return from_bytes(file.read())
        return Bundle._wrap(load_path(path_of(file)))

    def serialize_gguf(self):
        """The bundle as a GGUF file (docs/gguf.md), as bytes: Q8_0 and Q4_0
        tensors (Quantizer.gguf's form), metadata in typed text ('UINT32 32')
        keeping its GGUF type, other values as GGUF strings."""
        return self._native.serialize_gguf_bytes()

    @staticmethod
    def deserialize_gguf(data):
        """A bundle from the bytes-like data of a GGUF file: its Q8_0 and Q4_0
        tensors, and its metadata as typed text ('STRING "llama"')."""
        return Bundle._wrap(native.Bundle.deserialize_gguf(memoryview(data).cast("B")))

    def save_gguf(self, file):
        """Writes the bundle as a GGUF file to a path or a binary file object."""
        if hasattr(file, "write"):
            file.write(self.serialize_gguf())
        else:
            self._native.save_gguf(path_of(file))

    @staticmethod
    def load_gguf(file):
        """Reads a GGUF file from a path or a binary file object as a bundle."""
        if hasattr(file, "read"):
            return Bundle.deserialize_gguf(file.read())
        return Bundle._wrap(native.Bundle.load_gguf(path_of(file)))

    def __reduce__(self):
        return (Bundle.deserialize, (self.serialize(),))


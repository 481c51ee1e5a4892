"""qtensor.Bundle: named tensors plus string metadata, used like a dict."""

from collections.abc import MutableMapping

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


class Bundle(MutableMapping):
    """Named tensors (in insertion order) and .metadata (str to str): a
    state dict that saves to one file."""

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
        return Tensor._wrap(self._native.get(_name(name)))

    def __setitem__(self, name, tensor):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"a bundle holds qtensor.Tensor values, not {type(tensor).__name__}")
        self._native.set(_name(name), tensor._native)

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
        """Writes the bundle to a path or a binary file object."""
        self._save(file, self.serialize, self._native.save)

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


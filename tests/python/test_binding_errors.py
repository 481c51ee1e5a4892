"""Misuse of the Python binding raises the right qtensor.Error subclass (or
built-in exception), never crashes."""

import re

import numpy as np
import pytest

import qtensor


def tensor():
    return qtensor.quantize_per_tensor(np.arange(6, dtype=np.float32).reshape(2, 3), 0.5, 0,
                                       qtensor.qint8)


def test_error_classes_are_builtin_kinds():
    assert issubclass(qtensor.InvalidArgumentError, (qtensor.Error, ValueError))
    assert issubclass(qtensor.ShapeMismatchError, ValueError)
    assert issubclass(qtensor.CorruptDataError, ValueError)
    assert issubclass(qtensor.OutOfRangeError, IndexError)
    assert issubclass(qtensor.TypeMismatchError, TypeError)
    assert issubclass(qtensor.NotFoundError, KeyError)
    assert issubclass(qtensor.OutOfMemoryError, MemoryError)
    assert issubclass(qtensor.FileError, OSError)


@pytest.mark.parametrize("scale", [0.0, -1.0, float("nan"), float("inf"), 1e-300])
def test_bad_scale(scale):
    with pytest.raises(qtensor.InvalidArgumentError, match="scale"):
        qtensor.quantize_per_tensor([1.0], scale, 0, qtensor.qint8)


def test_bad_zero_point_and_axis():
    with pytest.raises(qtensor.InvalidArgumentError):
        qtensor.quantize_per_tensor([1.0], 0.1, 300, qtensor.qint8)
    with pytest.raises(qtensor.InvalidArgumentError):
        qtensor.quantize_per_channel(np.ones((2, 3)), [0.1, 0.1], [0, 0], 5, qtensor.qint8)
    with pytest.raises(qtensor.ShapeMismatchError):
        qtensor.quantize_per_channel(np.ones((2, 3)), [0.1, 0.1], [0, 0], 1, qtensor.qint8)
    with pytest.raises(qtensor.InvalidArgumentError):
        qtensor.quantize_per_channel(np.ones((2, 3)), [0.1, 0.1], [0], 0, qtensor.qint8)


def test_wrong_types():
    with pytest.raises(TypeError):
        qtensor.quantize_per_tensor([1.0], 0.1, 0, "qint8")
    with pytest.raises(TypeError):
        qtensor.quantize_per_tensor(["a"], 0.1, 0, qtensor.qint8)
    with pytest.raises(TypeError):
        qtensor.quantize_per_tensor([1.0], 0.1, 0.5, qtensor.qint8)
    with pytest.raises(TypeError):
        qtensor.make_per_tensor_quantized_tensor(np.zeros(3, np.int64), 0.1, 0)
    with pytest.raises(TypeError):
        qtensor.make_per_tensor_quantized_tensor(np.zeros(3, np.float32), 0.1, 0)
    with pytest.raises(TypeError):
        qtensor.from_int_repr(np.zeros(3, np.float32),
                              qtensor.Quantizer.per_tensor_affine(1, 0, qtensor.qint8))
    with pytest.raises(ValueError):
        qtensor.from_int_repr([1000], qtensor.Quantizer.per_tensor_affine(1, 0, qtensor.qint8))
    with pytest.raises(TypeError):
        qtensor.empty_quantized([2], "not a quantizer")
    with pytest.raises(TypeError):
        qtensor.empty_quantized("ab", qtensor.Quantizer.per_tensor_affine(1, 0, qtensor.qint8))
    with pytest.raises(TypeError):
        qtensor.Tensor()
    with pytest.raises(TypeError):
        qtensor.Quantizer()
    with pytest.raises(TypeError):
        tensor().copy_(object())
    with pytest.raises(TypeError):
        tensor().transpose("a", 1)


def test_native_module_rejects_wrong_objects():
    native = qtensor.native
    with pytest.raises(TypeError):
        native.Tensor.dim(None)
    with pytest.raises(TypeError):
        native.Tensor.Quantize(b"abcd", [1], None)
    with pytest.raises(TypeError):  # not float32
        tensor()._native.dequantize_into(np.empty(6, np.float64))
    with pytest.raises(BufferError):  # read-only output buffer
        tensor()._native.int_repr_into(b"123456")
    with pytest.raises(qtensor.InvalidArgumentError):  # output too small
        tensor()._native.dequantize_into(np.empty(2, np.float32))


def test_indexing_errors():
    q = tensor()
    for key in [2, -3, (0, 3), (0, -4)]:
        with pytest.raises(qtensor.OutOfRangeError):
            q[key]
    with pytest.raises(IndexError):
        q[0, 0, 0]
    with pytest.raises(IndexError):
        q[..., ...]
    with pytest.raises(IndexError):
        q[2**70]
    with pytest.raises(ValueError):
        q[::0]
    with pytest.raises(TypeError):
        q["a"]
    with pytest.raises(TypeError):
        q[1.5]
    with pytest.raises(TypeError):
        q[None]
    with pytest.raises(IndexError):
        q[5] = 1.0
    with pytest.raises(qtensor.OutOfRangeError):
        q.transpose(0, 7)
    with pytest.raises(qtensor.InvalidArgumentError):
        q.permute(0, 0)
    with pytest.raises(IndexError):
        q.size(5)


def test_sizes_too_large_are_memory_errors():
    quantizer = qtensor.Quantizer.per_tensor_affine(1.0, 0, qtensor.qint32)
    for shape in ([2**40, 2**40], [2**62]):
        with pytest.raises(qtensor.OutOfMemoryError):
            qtensor.empty_quantized(shape, quantizer)
    with pytest.raises(MemoryError):
        qtensor.empty_quantized([2**40, 2**40], quantizer)
    with pytest.raises(qtensor.InvalidArgumentError):
        qtensor.empty_quantized([-1], quantizer)
    with pytest.raises(ValueError):
        qtensor.empty_quantized([2**64], quantizer)


def test_shape_and_scheme_mismatches():
    q = tensor()
    with pytest.raises(qtensor.ShapeMismatchError):
        q.item()
    with pytest.raises(ValueError):
        q.copy_(np.zeros(5, np.float32))
    other = qtensor.quantize_per_tensor(np.zeros(6, np.float32), 0.5, 0, qtensor.qint8)
    with pytest.raises(qtensor.ShapeMismatchError):
        q.copy_(other)
    wrong_dtype = qtensor.quantize_per_tensor(np.zeros((2, 3)), 0.5, 0, qtensor.quint8)
    with pytest.raises(qtensor.TypeMismatchError):
        q.copy_(wrong_dtype)
    with pytest.raises(qtensor.TypeMismatchError):
        q.q_per_channel_axis()
    per_channel = qtensor.quantize_per_channel(np.zeros((2, 3)), [1, 2], [0, 0], 0, qtensor.qint8)
    with pytest.raises(qtensor.TypeMismatchError):
        per_channel.q_scale()


def test_io_and_data_errors(tmp_path):
    with pytest.raises(qtensor.FileError):
        qtensor.load(tmp_path / "missing.qt")
    with pytest.raises(OSError):
        tensor().save(tmp_path / "no" / "such" / "dir.qt")
    with pytest.raises(qtensor.CorruptDataError):
        qtensor.deserialize(b"\xff\xfe not a tensor")
    with pytest.raises(ValueError):
        tensor().save(str(tmp_path) + "/a\0b")
    bundle = qtensor.Bundle()
    with pytest.raises(KeyError):
        bundle["absent"]
    with pytest.raises(qtensor.NotFoundError):
        del bundle["absent"]
    with pytest.raises(KeyError):
        bundle.metadata["absent"]
    with pytest.raises(TypeError):
        bundle["x"] = np.zeros(3)
    with pytest.raises(TypeError):
        bundle[3] = tensor()
    with pytest.raises(qtensor.InvalidArgumentError):
        bundle[""] = tensor()
    assert 3 not in bundle


@pytest.mark.parametrize("zero_points", [[0, 1], np.array([0, 1], np.int8),
                                         np.array([0, 1], np.uint8),
                                         np.array([0, 1], np.uint64)])
def test_per_channel_zero_points_of_any_integer_type(zero_points):
    q = qtensor.quantize_per_channel(np.ones((2, 3), np.float32), [0.5, 0.25], zero_points, 0,
                                     qtensor.qint8)
    assert q.q_per_channel_zero_points().tolist() == [0, 1]


@pytest.mark.parametrize("zero_points, error, message", [
    (np.array([0.5, 1.0]), TypeError, "zero_points must be integers, not float64"),
    ([True, False], TypeError, "zero_points must be integers, not bool"),
    ([2**70, 0], TypeError, "zero_points must be integers, not object"),
    (np.array([2**63, 0], np.uint64), IndexError, "zero point 9223372036854775808 is out of range"),
    ([[0, 1]], ValueError, "zero_points must be one-dimensional"),
])
def test_bad_per_channel_zero_points(zero_points, error, message):
    with pytest.raises(error, match=re.escape(message)):
        qtensor.quantize_per_channel(np.ones((2, 3), np.float32), [0.5, 0.25], zero_points, 0,
                                     qtensor.qint8)

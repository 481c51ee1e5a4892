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
    with pytest.raises(IndexError):
        q[None, 0, 0, 0]
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
    with pytest.raises(qtensor.OutOfMemoryError):  # as [2**62]
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
    ([2**70, 0], qtensor.InvalidArgumentError,
     "zero_points[0] = 1180591620717411303424 is outside the range of int64"),
    (np.array([0, 2**63], np.uint64), qtensor.InvalidArgumentError,
     "zero_points[1] = 9223372036854775808 is outside the range of int64"),
    ([-1, 2**63], qtensor.InvalidArgumentError,  # NumPy makes these float64
     "zero_points[1] = 9223372036854775808 is outside the range of int64"),
    ([0.5, 2**70], TypeError, "zero_points must be integers, not object"),
    ([[0, 1]], ValueError, "zero_points must be one-dimensional"),
])
def test_bad_per_channel_zero_points(zero_points, error, message):
    # Through the integer scheme's factory: quantize_per_channel takes float
    # zero points as torch does (per_channel_affine_float_qparams).
    with pytest.raises(error, match=re.escape(message)):
        qtensor.Quantizer.per_channel_affine([0.5, 0.25], zero_points, 0, qtensor.qint8)


# ------------------------------------------------ integers beyond int64
# Every integer parameter of the library is an int64 (or narrower). A Python
# int beyond it raises the qtensor.Error subclass the library raises for a bad
# value of the same parameter within int64 (2**62 here), with a message naming
# the parameter; never SWIG's OverflowError, a bare IndexError or a TypeError.

def _quantizer():
    return qtensor.Quantizer.per_tensor_affine(1.0, 0, qtensor.qint32)


def _int_id(value):
    """A short test id: 2**63, -2**63-1, 10**400, np.uint64(2**63)..."""
    if not isinstance(value, (int, np.integer)):
        return None  # pytest's own
    number = int(value)
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    for base in (2, 10):
        for exponent in range(magnitude.bit_length() + 1):
            for offset in (0, 1, -1):
                if base**exponent + offset == magnitude:
                    text = f"{sign}{base}**{exponent}" + {0: "", 1: "+1", -1: "-1"}[offset]
                    return text if type(value) is int else f"{type(value).__name__}({text})"
    return repr(value)


BEYOND_INT64 = [2**63, -2**63 - 1, 2**64, -2**64, 10**30, 10**400, np.uint64(2**63),
                np.uint64(2**64 - 1)]

# name, call(value), class, the name in the message
INT64_PARAMETERS = [
    ("zero point", lambda v: qtensor.quantize_per_tensor([1.0], 1.0, v, qtensor.qint32),
     qtensor.InvalidArgumentError, "zero_point"),
    ("quantizer zero point", lambda v: qtensor.Quantizer.per_tensor_affine(1.0, v, qtensor.qint8),
     qtensor.InvalidArgumentError, "zero_point"),
    ("make_per_tensor zero point",
     lambda v: qtensor.make_per_tensor_quantized_tensor(np.zeros(2, np.int32), 1.0, v),
     qtensor.InvalidArgumentError, "zero_point"),
    ("per-channel zero point",
     lambda v: qtensor.quantize_per_channel([[1.0, 2.0]], [1.0, 1.0], [0, v], 1, qtensor.qint32),
     qtensor.InvalidArgumentError, "zero_points[1]"),
    ("per-channel axis",
     lambda v: qtensor.quantize_per_channel([1.0], [1.0], [0], v, qtensor.qint32),
     qtensor.InvalidArgumentError, "axis"),
    ("select dim", lambda v: tensor().select(v, 0), qtensor.OutOfRangeError, "dim"),
    ("select index", lambda v: tensor().select(0, v), qtensor.OutOfRangeError, "index"),
    ("index", lambda v: tensor()[v], qtensor.OutOfRangeError, "index"),
    ("second index", lambda v: tensor()[0, v], qtensor.OutOfRangeError, "index"),
    ("index of a write", lambda v: tensor().__setitem__((1, v), 2.0), qtensor.OutOfRangeError,
     "index"),
    ("narrow dim", lambda v: tensor().narrow(v, 0, 1), qtensor.OutOfRangeError, "dim"),
    ("narrow start", lambda v: tensor().narrow(1, v, 1), qtensor.OutOfRangeError, "start"),
    ("narrow length", lambda v: tensor().narrow(1, 0, v), qtensor.OutOfRangeError, "length"),
    ("transpose dim", lambda v: tensor().transpose(0, v), qtensor.OutOfRangeError, "dim"),
    ("permute dim", lambda v: tensor().permute(v, 0), qtensor.OutOfRangeError, "dim"),
    ("permute dims as a list", lambda v: tensor().permute([1, v]), qtensor.OutOfRangeError, "dim"),
    ("size(dim)", lambda v: tensor().size(v), qtensor.OutOfRangeError, "dim"),
]


@pytest.mark.parametrize("value", BEYOND_INT64, ids=_int_id)
@pytest.mark.parametrize("name, call, error, what", INT64_PARAMETERS,
                         ids=[p[0] for p in INT64_PARAMETERS])
def test_integers_beyond_int64(name, call, error, what, value):
    with pytest.raises(error) as raised:
        call(value)
    assert type(raised.value) is error  # exactly, not a sibling subclass
    number = int(value)
    spelled = str(number) if number.bit_length() <= 256 else (
        f"{'-' if number < 0 else ''}(an integer of {number.bit_length()} bits)")
    assert str(raised.value) == f"{what} = {spelled} is outside the range of int64"


@pytest.mark.parametrize("value", [2**62, -2**62, 2**63 - 1, -2**63], ids=_int_id)
@pytest.mark.parametrize("name, call, error, what", INT64_PARAMETERS,
                         ids=[p[0] for p in INT64_PARAMETERS])
def test_the_same_class_within_int64(name, call, error, what, value):
    with pytest.raises(error) as raised:
        call(value)
    assert type(raised.value) is error
    assert str(abs(value)) in str(raised.value)


@pytest.mark.parametrize("value, error, spelled", [
    (2**62, qtensor.OutOfMemoryError, None),
    (2**63, qtensor.OutOfMemoryError, "9223372036854775808"),
    (2**64, qtensor.OutOfMemoryError, "18446744073709551616"),
    (10**400, qtensor.OutOfMemoryError, "(an integer of 1329 bits)"),
    (-2**62, qtensor.InvalidArgumentError, None),
    (-2**63 - 1, qtensor.InvalidArgumentError, "-9223372036854775809"),
    (-10**400, qtensor.InvalidArgumentError, "-(an integer of 1329 bits)"),
], ids=_int_id)
def test_sizes_beyond_int64(value, error, spelled):
    # Too large is OutOfMemoryError and negative InvalidArgumentError, as
    # for sizes within int64.
    for shape in ([value], [2, value], value):
        with pytest.raises(error) as raised:
            qtensor.empty_quantized(shape, _quantizer())
        assert type(raised.value) is error
        if spelled is not None:
            dim = 1 if isinstance(shape, list) and len(shape) == 2 else 0
            assert str(raised.value) == f"size of dim {dim} = {spelled} is outside the range of int64"


@pytest.mark.parametrize("value", [2**62, 2**63, -2**63 - 1, 2**64, 10**400], ids=_int_id)
def test_slices_clamp_beyond_int64(value):
    # Python clamps slices to the sequence: beyond int64 is beyond any size.
    q = qtensor.quantize_per_tensor(np.arange(5, dtype=np.float32), 1.0, 0, qtensor.qint8)
    values = list(range(5))
    assert q[value:].int_repr().tolist() == values[value:]
    assert q[:value].int_repr().tolist() == values[:value]
    assert q[-value:].int_repr().tolist() == values[-value:]
    assert q[::value].int_repr().tolist() == values[::value]
    assert q[::-value].int_repr().tolist() == values[::-value]
    assert q[1:-value:-value].int_repr().tolist() == values[1:-value:-value]


@pytest.mark.parametrize("value", [10**309, -10**400], ids=_int_id)
def test_floats_beyond_double(value):
    # A scale beyond float64 is a bad scale; so is a fill value (it has no float).
    bits = abs(value).bit_length()
    spelled = f"{'-' if value < 0 else ''}(an integer of {bits} bits)"
    calls = [
        (lambda: qtensor.quantize_per_tensor([1.0], value, 0, qtensor.qint8), "scale"),
        (lambda: qtensor.quantize_per_channel([1.0, 1.0], [1.0, value], [0, 0], 0, qtensor.qint8),
         "scales[1]"),
        (lambda: tensor().fill_(value), "value"),
        (lambda: tensor().__setitem__(0, value), "value"),
    ]
    for call, what in calls:
        with pytest.raises(qtensor.InvalidArgumentError) as raised:
            call()
        assert str(raised.value) == f"{what} = {spelled} is too large for a float"


def test_thread_counts_beyond_int64():
    for value in (2**63, -2**63 - 1, 10**400):
        with pytest.raises(qtensor.InvalidArgumentError, match=r"^threads = .* is out of range"):
            qtensor.set_num_threads(value)
    assert qtensor.get_num_threads() == 1


def test_non_integers_are_still_type_errors():
    with pytest.raises(TypeError, match="zero_point must be an integer, not float"):
        qtensor.quantize_per_tensor([1.0], 1.0, 2.0**63, qtensor.qint8)
    with pytest.raises(TypeError, match="index must be an integer, not bool"):
        tensor().select(0, True)
    with pytest.raises(TypeError, match="size of dim 0 must be an integer, not float"):
        qtensor.empty_quantized([2.0**63], _quantizer())
    with pytest.raises(TypeError, match="slice index must be an integer, not float"):
        tensor()[1e30:]

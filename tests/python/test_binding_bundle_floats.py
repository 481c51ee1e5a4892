"""A bundle's unquantized float entries (float32, float16, bfloat16): NumPy
arrays in and out, raw bytes bit for bit (NaN payloads, -0.0, subnormals)
through serialize / save / pickle, order among tensors, replacing and
removing, and the refusals."""

import pickle

import numpy as np
import pytest

import qtensor

# NaN with a payload, -0.0, the smallest subnormal, inf, 1.5.
F32_BITS = np.array([0x7FC00123, 0x80000000, 0x00000001, 0x7F800000, 0x3FC00000], dtype="<u4")
# A signalling NaN, -0.0, the smallest subnormal, 1.0, -2.0, 65504.
F16_BITS = np.array([0x7C01, 0x8000, 0x0001, 0x3C00, 0xC000, 0x7BFF], dtype="<u2")
# A signalling NaN, -0.0, the smallest subnormal, 1.0.
BF16_BITS = np.array([0x7F81, 0x8000, 0x0001, 0x3F80], dtype="<u2")


def tensor(value):
    return qtensor.quantize_per_tensor(np.array([value, -value], dtype=np.float32), 0.5, 3,
                                       qtensor.qint8)


def mixed():
    b = qtensor.Bundle()
    b["q0"] = tensor(1.0)
    b["norm"] = F32_BITS.view(np.float32)
    b["emb"] = F16_BITS.view(np.float16).reshape(2, 3)
    b.set_float("bf", BF16_BITS.tobytes(), [2, 2], "bfloat16")
    b["q1"] = tensor(2.0)
    return b


def check_mixed(b):
    assert list(b) == ["q0", "norm", "emb", "bf", "q1"]
    assert [b.is_float(name) for name in b] == [False, True, True, True, False]
    norm = b["norm"]
    assert norm.dtype == np.float32 and norm.shape == (5,)
    np.testing.assert_array_equal(norm.view("<u4"), F32_BITS)
    emb = b["emb"]
    assert emb.dtype == np.float16 and emb.shape == (2, 3)
    np.testing.assert_array_equal(emb.reshape(-1).view("<u2"), F16_BITS)
    assert b.float_dtype("bf") == "bfloat16" and b.float_shape("bf") == (2, 2)
    assert b.float_data("bf") == BF16_BITS.tobytes()
    assert b.float_data("norm") == F32_BITS.tobytes()
    np.testing.assert_array_equal(b["q1"].dequantize(), [2.0, -2.0])


def test_entries_round_trip_bit_for_bit(tmp_path):
    b = mixed()
    check_mixed(b)
    data = b.serialize()
    check_mixed(qtensor.Bundle.deserialize(data))
    assert qtensor.Bundle.deserialize(data).serialize() == data
    b.save(tmp_path / "m.qtb")
    check_mixed(qtensor.Bundle.load(tmp_path / "m.qtb"))
    check_mixed(pickle.loads(pickle.dumps(b)))
    check_mixed(qtensor.load(tmp_path / "m.qtb"))


def test_bfloat16_reads_as_float32_values():
    values = mixed()["bf"]
    assert values.dtype == np.float32 and values.shape == (2, 2)
    # The signalling NaN made quiet (its payload kept), the others exact.
    assert values.reshape(-1).view("<u4").tolist() == [0x7FC10000, 0x80000000, 0x00010000,
                                                       0x3F800000]


def test_arrays_read_are_copies_and_writable():
    b = mixed()
    emb = b["emb"]
    emb[0, 0] = 7
    assert b["emb"][0, 0].view("<u2") == 0x7C01


def test_any_layout_and_byte_order_is_stored_as_little_endian_row_major():
    b = qtensor.Bundle()
    x = np.arange(12, dtype=">f4").reshape(3, 4).T  # big-endian, not contiguous
    b["x"] = x
    assert b.float_shape("x") == (4, 3)
    np.testing.assert_array_equal(b["x"], x)
    assert b.float_data("x") == np.ascontiguousarray(x, dtype="<f4").tobytes()
    b["scalar"] = np.array(2.5, dtype=np.float16)
    assert b["scalar"].shape == () and b["scalar"] == 2.5
    b["empty"] = np.zeros((0, 5), dtype=np.float32)
    assert b["empty"].shape == (0, 5)
    assert qtensor.Bundle.deserialize(b.serialize())["empty"].shape == (0, 5)


def test_replace_in_place_across_kinds_and_remove():
    b = mixed()
    b["q0"] = np.ones(2, dtype=np.float32)
    b["emb"] = tensor(3.0)
    assert list(b) == ["q0", "norm", "emb", "bf", "q1"]
    assert b.is_float("q0") and not b.is_float("emb")
    del b["norm"]
    assert list(b) == ["q0", "emb", "bf", "q1"] and len(b) == 4
    assert "norm" not in b
    with pytest.raises(KeyError):
        del b["norm"]


def test_refusals():
    b = mixed()
    with pytest.raises(qtensor.TypeMismatchError, match="qt_bundle_get"):
        b.float_dtype("q0")
    with pytest.raises(TypeError, match="float64"):
        b["d"] = np.zeros(3)
    with pytest.raises(TypeError, match="int32"):
        b["i"] = np.zeros(3, dtype=np.int32)
    with pytest.raises(TypeError, match="list"):
        b["l"] = [1.0, 2.0]
    with pytest.raises(TypeError, match="float32', 'float16' or 'bfloat16'"):
        b.set_float("x", b"\0\0\0\0", [1], "float64")
    with pytest.raises(qtensor.ShapeMismatchError, match="3 bytes"):
        b.set_float("x", b"\0\0\0", [1], "float32")
    with pytest.raises(qtensor.InvalidArgumentError, match="negative"):
        b.set_float("x", b"", [-1, 2], "float16")
    with pytest.raises(qtensor.OutOfMemoryError):
        b.set_float("x", b"", [1 << 40, 1 << 40], "float32")
    with pytest.raises(ValueError, match="NUL"):
        b.set_float("x\0", b"\0\0", [1], "bfloat16")
    with pytest.raises(KeyError):
        b.is_float("nope")
    with pytest.raises(KeyError):
        b["nope"]
    assert "x" not in b
    check_mixed(b)

"""The storage dtypes (qint16, quint16 and the packed quint4x2, quint2x4,
qint4, quint4): against PyTorch 1.13 where it has the dtype (quint4x2,
quint2x4), against NumPy formulas otherwise; views at odd offsets, files,
errors."""

import pickle

import numpy as np
import pytest
import torch

import qtensor

# dtype -> (bits, int_repr's NumPy dtype, smallest value, largest value)
STORAGE = {
    qtensor.qint16: (16, np.int16, -32768, 32767),
    qtensor.quint16: (16, np.uint16, 0, 65535),
    qtensor.quint4x2: (4, np.uint8, 0, 15),
    qtensor.quint2x4: (2, np.uint8, 0, 3),
    qtensor.qint4: (4, np.int8, -8, 7),
    qtensor.quint4: (4, np.uint8, 0, 15),
}
PACKED = [qtensor.quint4x2, qtensor.quint2x4, qtensor.qint4, qtensor.quint4]


def pack(values, bits):
    """values (one integer each) packed as the library keeps them: the first
    in the lowest bits, the unused high bits of the last byte 0."""
    out = np.zeros((np.size(values) * bits + 7) // 8, dtype=np.uint8)
    mask = (1 << bits) - 1
    for i, value in enumerate(np.asarray(values).reshape(-1)):
        out[i * bits // 8] |= (int(value) & mask) << (i * bits % 8)
    return out


def floats_near(ints, scale, zero_point, seed):
    """Floats whose quantization is ints exactly: (k - zero_point) * scale
    moved by less than 0.4 of a step, so no value lies near a tie."""
    offsets = np.random.default_rng(seed).uniform(-0.4, 0.4, size=np.shape(ints))
    return ((np.asarray(ints, dtype=np.float64) - zero_point + offsets) * scale).astype(np.float32)


def test_dtype_objects_describe_the_storage():
    for dtype, (bits, int_dtype, _, _) in STORAGE.items():
        assert dtype.bits == bits
        assert dtype.itemsize == np.dtype(int_dtype).itemsize
        assert dtype.int_dtype == int_dtype
        assert dtype.is_packed == (bits < 8)
        assert repr(dtype) == "qtensor." + dtype.name
        assert pickle.loads(pickle.dumps(dtype)) is dtype
    assert (qtensor.qint8.bits, qtensor.quint8.bits, qtensor.qint32.bits) == (8, 8, 32)


@pytest.mark.parametrize("dtype", list(STORAGE), ids=lambda d: d.name)
def test_quantize_matches_the_formula_and_saturates(dtype):
    _, int_dtype, low, high = STORAGE[dtype]
    zero_point = (low + high + 1) // 2
    rng = np.random.default_rng(7)
    ints = rng.integers(low, high + 1, size=(3, 5))
    scale = 0.37
    q = qtensor.quantize_per_tensor(floats_near(ints, scale, zero_point, 1), scale, zero_point,
                                    dtype)
    assert q.dtype is dtype
    assert q.int_repr().dtype == int_dtype
    np.testing.assert_array_equal(q.int_repr(), ints)
    np.testing.assert_array_equal(q.dequantize(),
                                  ((ints - zero_point) * np.float32(scale)).astype(np.float32))
    far = np.array([-1e9, 1e9], dtype=np.float32)
    np.testing.assert_array_equal(
        qtensor.quantize_per_tensor(far, scale, zero_point, dtype).int_repr(), [low, high])


@pytest.mark.parametrize("dtype", list(STORAGE), ids=lambda d: d.name)
def test_per_channel_and_quantizer_creators(dtype):
    _, _, low, high = STORAGE[dtype]
    ints = np.array([[low, high, low + 1], [high - 1, low, high]])
    scales, zero_points = [0.5, 0.25], [low + 1, high - 1]
    data = np.stack([floats_near(ints[c], scales[c], zero_points[c], c) for c in range(2)])
    q = qtensor.quantize_per_channel(data, scales, zero_points, 0, dtype)
    np.testing.assert_array_equal(q.int_repr(), ints)
    e = qtensor.empty_quantized([2, 3], qtensor.Quantizer.per_tensor_affine(1.0, low, dtype))
    np.testing.assert_array_equal(e.int_repr(), np.zeros((2, 3)))


@pytest.mark.parametrize("dtype", list(STORAGE), ids=lambda d: d.name)
def test_int_repr_round_trips_and_packed_repr_packs(dtype):
    bits, int_dtype, low, high = STORAGE[dtype]
    ints = np.random.default_rng(3).integers(low, high + 1, size=(2, 7)).astype(int_dtype)
    q = qtensor.make_per_tensor_quantized_tensor(ints, 0.5, 0, dtype)
    assert q.dtype is dtype
    np.testing.assert_array_equal(q.int_repr(), ints)
    expected = pack(ints, bits) if bits < 8 else ints.reshape(-1).view(np.uint8)
    packed = q.packed_repr()
    assert packed.dtype == np.uint8 and packed.ndim == 1
    np.testing.assert_array_equal(packed, expected)
    again = qtensor.from_packed(packed, [2, 7], q.quantizer())
    np.testing.assert_array_equal(again.int_repr(), ints)
    np.testing.assert_array_equal(qtensor.from_packed(packed.tobytes(), (2, 7),
                                                      q.quantizer()).int_repr(), ints)


def test_the_16_bit_dtypes_follow_the_integer_array():
    assert qtensor.make_per_tensor_quantized_tensor(
        np.array([-5, 300], np.int16), 0.1, 2).dtype is qtensor.qint16
    assert qtensor.make_per_tensor_quantized_tensor(
        np.array([5, 60000], np.uint16), 0.1, 2).dtype is qtensor.quint16
    # Without dtype=, uint8 stays quint8: the packed dtypes are picked by name.
    assert qtensor.make_per_tensor_quantized_tensor(
        np.array([1, 2], np.uint8), 0.1, 0).dtype is qtensor.quint8


@pytest.mark.parametrize("name", ["quint4x2", "quint2x4"])
def test_quantize_matches_pytorch_bit_for_bit(name):
    dtype, torch_dtype = getattr(qtensor, name), getattr(torch, name)
    high = STORAGE[dtype][3]
    rng = np.random.default_rng(11)
    for size, scale, zero_point in [(1, 0.25, 0), (7, 0.5, 1), (8, 0.125, high), (33, 0.0625, 2)]:
        data = rng.uniform(-2.0, 3.0, size=size).astype(np.float32)
        mine = qtensor.quantize_per_tensor(data, scale, zero_point, dtype)
        theirs = torch.quantize_per_tensor(torch.from_numpy(data), scale, zero_point, torch_dtype)
        np.testing.assert_array_equal(mine.dequantize(), theirs.dequantize().numpy())
        # torch 1.13's int_repr() of these dtypes is their packed bytes.
        np.testing.assert_array_equal(mine.packed_repr(), theirs.int_repr().numpy())


@pytest.mark.parametrize("name", ["quint4x2", "quint2x4"])
def test_torch_round_trip_keeps_the_bits(name):
    dtype, torch_dtype = getattr(qtensor, name), getattr(torch, name)
    high = STORAGE[dtype][3]
    ints = np.random.default_rng(5).integers(0, high + 1, size=(3, 5)).astype(np.uint8)
    q = qtensor.make_per_tensor_quantized_tensor(ints, 0.3, 1, dtype)
    t = q.to_torch()
    assert t.dtype == torch_dtype and tuple(t.shape) == (3, 5)
    assert (t.q_scale(), t.q_zero_point()) == (0.3, 1)
    np.testing.assert_array_equal(t.int_repr().numpy(), q.packed_repr())
    np.testing.assert_array_equal(t.dequantize().numpy(), q.dequantize())
    back = qtensor.from_torch(t)
    assert back.dtype is dtype and back.shape == (3, 5)
    np.testing.assert_array_equal(back.int_repr(), ints)
    # A view at an odd offset converts through its own packed bytes.
    view = q[1, 1:]
    np.testing.assert_array_equal(qtensor.from_torch(view.to_torch()).int_repr(), ints[1, 1:])
    assert qtensor.quantize_per_tensor(np.zeros(3), 0.5, 0, torch_dtype).dtype is dtype


def test_what_torch_cannot_hold_is_refused():
    for dtype in (qtensor.qint16, qtensor.quint16, qtensor.qint4, qtensor.quint4):
        q = qtensor.quantize_per_tensor(np.zeros(3), 0.5, 0, dtype)
        with pytest.raises(qtensor.TypeMismatchError, match=f"no {dtype.name} dtype"):
            q.to_torch()
    per_channel = qtensor.quantize_per_channel(np.zeros((2, 2)), [0.5, 0.25], [0, 1], 0,
                                               qtensor.quint4x2)
    with pytest.raises(qtensor.TypeMismatchError, match="per-channel quint4x2"):
        per_channel.to_torch()
    # torch 1.13 checks views of packed tensors against their byte count, so
    # few can be made; a strided one of the first row can.
    t = torch.quantize_per_tensor(torch.zeros(8, 8), 0.5, 0, torch.quint4x2)
    with pytest.raises(qtensor.InvalidArgumentError, match="view of a quint4x2"):
        qtensor.from_torch(t[:1, ::2])


@pytest.mark.parametrize("dtype", PACKED, ids=lambda d: d.name)
def test_views_at_odd_offsets(dtype):
    bits, int_dtype, low, high = STORAGE[dtype]
    ints = np.random.default_rng(9).integers(low, high + 1, size=(3, 5)).astype(int_dtype)
    q = qtensor.make_per_tensor_quantized_tensor(ints, 0.5, 0, dtype)
    for view, expected in [(q[1, 1:], ints[1, 1:]), (q[:, 1::2], ints[:, 1::2]),
                           (q.transpose(0, 1), ints.T), (q[2:, 3:], ints[2:, 3:])]:
        np.testing.assert_array_equal(view.int_repr(), expected)
        np.testing.assert_array_equal(view.packed_repr(), pack(expected, bits))
        np.testing.assert_array_equal(view.contiguous().int_repr(), expected)
        np.testing.assert_array_equal(view.dequantize(), expected.astype(np.float32) * 0.5)
    view = q[1, 1:4]
    assert view.storage_offset() == 6
    view.fill_(high * 0.5)
    expected = ints.copy()
    expected[1, 1:4] = high
    np.testing.assert_array_equal(q.int_repr(), expected)
    q[0, 3] = low * 0.5
    expected[0, 3] = low
    np.testing.assert_array_equal(q.int_repr(), expected)
    assert q[0, 3].item() == low * 0.5
    with pytest.raises(qtensor.TypeMismatchError, match="packed_repr"):
        q.int_view()


@pytest.mark.parametrize("dtype", list(STORAGE), ids=lambda d: d.name)
def test_files_keep_views_of_the_storage_dtypes(dtype, tmp_path):
    _, int_dtype, low, high = STORAGE[dtype]
    ints = np.random.default_rng(13).integers(low, high + 1, size=(3, 5)).astype(int_dtype)
    view = qtensor.make_per_tensor_quantized_tensor(ints, 0.25, 1, dtype)[1:, 1::2]
    path = tmp_path / "t.qt"
    view.save(path)
    loaded = qtensor.load(path)
    assert loaded.dtype is dtype
    np.testing.assert_array_equal(loaded.int_repr(), ints[1:, 1::2])
    np.testing.assert_array_equal(qtensor.deserialize(view.serialize()).int_repr(),
                                  ints[1:, 1::2])
    bundle = qtensor.Bundle({"w": view})
    np.testing.assert_array_equal(qtensor.Bundle.deserialize(bundle.serialize())["w"].int_repr(),
                                  ints[1:, 1::2])


def test_requantize_to_quint8_to_compute():
    q = qtensor.quantize_per_tensor(np.array([0.0, 1.0, 2.5, 3.5]), 0.5, 0, qtensor.quint4x2)
    wide = qtensor.requantize(q, qtensor.Quantizer.per_tensor_affine(0.5, 0, qtensor.quint8))
    np.testing.assert_array_equal(qtensor.relu(wide).int_repr(), [0, 2, 5, 7])
    assert qtensor.cat([q, q]).dtype is qtensor.quint4x2


def test_bad_input_is_refused():
    quantizer = qtensor.Quantizer.per_tensor_affine(1.0, 0, qtensor.quint4x2)
    with pytest.raises(qtensor.InvalidArgumentError, match="outside quint4x2's range"):
        qtensor.from_int_repr(np.array([3, 16], np.uint8), quantizer)
    with pytest.raises(qtensor.InvalidArgumentError, match="outside qint4's range"):
        qtensor.make_per_tensor_quantized_tensor(np.array([-9], np.int8), 1.0, 0, qtensor.qint4)
    with pytest.raises(qtensor.ShapeMismatchError):
        qtensor.from_packed(bytes(3), [3], quantizer)
    with pytest.raises(qtensor.CorruptDataError, match="unused high bits"):
        qtensor.from_packed(bytes([0x21, 0x13]), [3], quantizer)
    with pytest.raises(TypeError, match="uint8 array"):
        qtensor.from_packed(np.zeros(2, np.int32), [4], quantizer)
    with pytest.raises(TypeError, match="Quantizer"):
        qtensor.from_packed(bytes(2), [4], qtensor.quint4x2)
    with pytest.raises(ValueError, match="outside the range"):
        qtensor.from_int_repr(np.array([300]), quantizer)
    q = qtensor.quantize_per_tensor(np.zeros(4), 0.5, 0, qtensor.quint4x2)
    for operate in (lambda: qtensor.relu(q), lambda: q.clamp(0.0, 1.0),
                    lambda: qtensor.ops.quantized.add(q, q, 0.5, 0)):
        with pytest.raises(qtensor.TypeMismatchError, match="requantize"):
            operate()

"""PyTorch's per_channel_affine_float_qparams through the Python binding:
qtensor.quantize_per_channel with float zero points gives it, as
torch.quantize_per_channel does, bit for bit with torch 1.13; from_torch and
to_torch carry it (and quint4x2 per tensor) across with the same integers,
scales and zero points; files keep it; bad parameters raise."""

import numpy as np
import pytest
import torch

import qtensor

FLOAT_QPARAMS_DTYPES = [(qtensor.quint8, torch.quint8), (qtensor.qint8, torch.qint8),
                        (qtensor.quint4x2, torch.quint4x2), (qtensor.quint2x4, torch.quint2x4)]


def torch_floats(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return torch.from_numpy((rng.standard_normal(shape) * 4).astype(np.float32))


def packed_ints(t):
    """One integer per element of a torch tensor, unpacking quint4x2 and
    quint2x4 (whose int_repr gives the packed bytes, low bits first)."""
    raw = t.int_repr().numpy().reshape(-1)
    bits = {torch.quint4x2: 4, torch.quint2x4: 2}.get(t.dtype)
    if bits is None:
        return raw
    per_byte = 8 // bits
    index = np.arange(t.numel())
    return (raw[index // per_byte] >> (index % per_byte * bits)) & ((1 << bits) - 1)


def assert_same(q, t):
    assert tuple(q.shape) == tuple(t.shape)
    assert q.qscheme() is qtensor.per_channel_affine_float_qparams
    assert t.qscheme() == torch.per_channel_affine_float_qparams
    np.testing.assert_array_equal(q.int_repr().reshape(-1).astype(np.int64),
                                  packed_ints(t).astype(np.int64))
    np.testing.assert_array_equal(q.q_per_channel_scales(),
                                  t.q_per_channel_scales().to(torch.float64).numpy())
    zero_points = q.q_per_channel_zero_points()
    assert zero_points.dtype == np.float32
    np.testing.assert_array_equal(zero_points.view(np.int32),
                                  t.q_per_channel_zero_points().numpy().view(np.int32))
    assert q.q_per_channel_axis() == t.q_per_channel_axis()
    np.testing.assert_array_equal(q.dequantize().view(np.int32),
                                  t.dequantize().numpy().view(np.int32))


@pytest.mark.parametrize("dtype,torch_dtype", FLOAT_QPARAMS_DTYPES)
@pytest.mark.parametrize("axis", [0, 1, 2])
def test_quantize_per_channel_with_float_zero_points_is_torchs(dtype, torch_dtype, axis):
    x = torch_floats(3, 4, 5, seed=axis)
    channels = x.shape[axis]
    scales = torch.linspace(0.05, 0.9, channels)
    zero_points = torch.linspace(-7.3, 20.6, channels)
    t = torch.quantize_per_channel(x, scales, zero_points, axis, torch_dtype)
    # Torch tensors, NumPy arrays and Python lists of floats alike.
    for args in ((scales, zero_points), (scales.numpy(), zero_points.numpy()),
                 (scales.tolist(), zero_points.tolist())):
        q = qtensor.quantize_per_channel(x, *args, axis, dtype)
        assert_same(q, t)
    assert repr(q) == repr(t).replace("torch.", "qtensor.")


def test_integer_zero_points_stay_per_channel_affine():
    x = torch_floats(2, 3)
    q = qtensor.quantize_per_channel(x, [0.1, 0.2], [1, 2], 0, qtensor.quint8)
    assert q.qscheme() is qtensor.per_channel_affine
    q = qtensor.quantize_per_channel(x, [0.1, 0.2], np.array([1.0, 2.0]), 0, qtensor.quint8)
    assert q.qscheme() is qtensor.per_channel_affine_float_qparams


@pytest.mark.parametrize("dtype,torch_dtype", FLOAT_QPARAMS_DTYPES)
def test_from_torch_and_back_bit_for_bit(dtype, torch_dtype):
    # Odd row lengths: torch pads each row of its packed storage.
    x = torch_floats(5, 7, seed=3)
    t = torch.quantize_per_channel(x, torch.rand(5) + 0.01, torch.randn(5) * 100, 0, torch_dtype)
    q = qtensor.from_torch(t)
    assert_same(q, t)
    back = q.to_torch()
    assert_same(q, back)
    np.testing.assert_array_equal(back.int_repr().numpy(), t.int_repr().numpy())
    # An embedding-style row-wise quantization survives a file too.
    again = qtensor.deserialize(qtensor.serialize(q))
    assert_same(again, t)


def test_torch_embedding_observer_parameters_round_trip():
    # torch.ao's float-qparams observer, as the quantized embedding uses it.
    from torch.ao.quantization.observer import PerChannelMinMaxObserver
    weights = torch_floats(10, 12, seed=5)
    observer = PerChannelMinMaxObserver(dtype=torch.quint8,
                                        qscheme=torch.per_channel_affine_float_qparams,
                                        ch_axis=0)
    observer(weights)
    scales, zero_points = observer.calculate_qparams()
    t = torch.quantize_per_channel(weights, scales, zero_points, 0, torch.quint8)
    assert_same(qtensor.from_torch(t), t)
    assert_same(qtensor.quantize_per_channel(weights, scales, zero_points, 0, qtensor.quint8), t)


@pytest.mark.parametrize("shape", [(4, 6), (3, 5), (7,), (2, 3, 3)])
def test_quint4x2_per_tensor_round_trips(shape):
    x = torch_floats(*shape, seed=len(shape))
    t = torch.quantize_per_tensor(x, 0.37, 3, torch.quint4x2)
    q = qtensor.from_torch(t)
    assert q.qscheme() is qtensor.per_tensor_affine
    assert (q.q_scale(), q.q_zero_point()) == (t.q_scale(), t.q_zero_point())
    np.testing.assert_array_equal(q.packed_repr(), t.int_repr().numpy())
    np.testing.assert_array_equal(q.dequantize().view(np.int32),
                                  t.dequantize().numpy().view(np.int32))
    back = q.to_torch()
    np.testing.assert_array_equal(back.int_repr().numpy(), t.int_repr().numpy())
    np.testing.assert_array_equal(back.dequantize().numpy().view(np.int32),
                                  t.dequantize().numpy().view(np.int32))


def test_views_and_parameters():
    q = qtensor.quantize_per_channel(torch_floats(2, 3), [0.5, 0.25, 0.125], [1.5, -2.0, 300.0],
                                     1, qtensor.quint8)
    quantizer = q.quantizer()
    assert quantizer.qscheme is qtensor.per_channel_affine_float_qparams
    assert quantizer.zero_points.dtype == np.float32
    assert quantizer.scale_type is qtensor.float32_scale
    assert eval(repr(quantizer), {**vars(qtensor), "qtensor": qtensor}) == quantizer
    column = q.select(1, 2)
    assert column.qscheme() is qtensor.per_channel_affine_float_qparams
    np.testing.assert_array_equal(column.q_per_channel_zero_points(), [300.0])
    with pytest.raises(qtensor.TypeMismatchError, match="channel axis away"):
        column.q_per_channel_axis()
    np.testing.assert_array_equal(column.dequantize(), q.dequantize()[:, 2])
    with pytest.raises(qtensor.TypeMismatchError, match="float zero points|floats"):
        q._native.q_per_channel_zero_points()
    with pytest.raises(qtensor.TypeMismatchError, match="not computed on"):
        qtensor.ops.add(q, q, 0.1, 0)


@pytest.mark.parametrize("scales,zero_points,dtype,match", [
    ([1.0], [float("nan")], qtensor.quint8, r"zero_points\[0\] must be finite"),
    ([1.0], [float("inf")], qtensor.quint8, r"zero_points\[0\] must be finite"),
    ([0.0], [0.5], qtensor.quint8, r"scales\[0\] must be positive"),
    ([1e39], [0.5], qtensor.quint8, r"scales\[0\] must be positive and finite"),
    ([1.0], [0.5], qtensor.qint32, "not qint32"),
    ([1.0, 2.0], [0.5], qtensor.quint8, "differ in length"),
])
def test_bad_parameters_raise(scales, zero_points, dtype, match):
    with pytest.raises(qtensor.InvalidArgumentError, match=match):
        qtensor.Quantizer.per_channel_affine_float_qparams(scales, zero_points, 0, dtype)

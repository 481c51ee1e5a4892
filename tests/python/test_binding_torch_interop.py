"""PyTorch and NumPy interop: qtensor.from_torch and Tensor.to_torch bit for
bit (integers and parameters) for every dtype and scheme both have, views
included; torch dtypes and float tensors accepted where qtensor takes its
own dtypes and arrays; dequantize(out=) into a caller's array; int_view,
the integers in place without a copy."""

import gc

import numpy as np
import pytest
import torch

import qtensor

DTYPES = [(qtensor.qint8, torch.qint8), (qtensor.quint8, torch.quint8),
          (qtensor.qint32, torch.qint32)]


def torch_floats(*shape, seed=0):
    return torch.from_numpy(
        (np.random.default_rng(seed).standard_normal(shape) * 3).astype(np.float32))


def assert_same(q, t):
    """q (qtensor) and t (torch) hold the same shape, integers, parameters."""
    assert tuple(q.shape) == tuple(t.shape)
    np.testing.assert_array_equal(q.int_repr(), t.int_repr().numpy())
    if t.qscheme() == torch.per_tensor_affine:
        assert q.qscheme() is qtensor.per_tensor_affine
        assert (q.q_scale(), q.q_zero_point()) == (t.q_scale(), t.q_zero_point())
    else:
        assert q.qscheme() is qtensor.per_channel_affine
        np.testing.assert_array_equal(q.q_per_channel_scales(),
                                      t.q_per_channel_scales().to(torch.float64).numpy())
        np.testing.assert_array_equal(q.q_per_channel_zero_points(),
                                      t.q_per_channel_zero_points().numpy())
        assert q.q_per_channel_axis() == t.q_per_channel_axis()
    # The same values, bit for bit (qtensor's dequantize is torch's formula).
    np.testing.assert_array_equal(q.dequantize().view(np.int32),
                                  t.dequantize().numpy().view(np.int32))


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_from_torch_and_back_per_tensor(dtype, torch_dtype):
    zero_point = {torch.qint8: -5, torch.quint8: 130, torch.qint32: 1000}[torch_dtype]
    t = torch.quantize_per_tensor(torch_floats(3, 4, 5), 0.037, zero_point, torch_dtype)
    for view in (t, t.transpose(0, 2), t[1:, ::2, 3], t[2, 1], t.reshape(60)[7:9]):
        q = qtensor.from_torch(view)
        assert_same(q, view)
        assert q.dtype is dtype
        back = q.to_torch()
        assert back.dtype == torch_dtype
        assert_same(q, back)
    empty = torch.quantize_per_tensor(torch.zeros(0, 3), 0.5, 1, torch_dtype)
    assert_same(qtensor.from_torch(empty), empty)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, 1, 2])
def test_from_torch_and_back_per_channel(dtype, torch_dtype, axis):
    shape = [3, 4, 5]
    channels = shape[axis]
    scales = torch.tensor([0.01 * (c + 1) for c in range(channels)], dtype=torch.float64)
    zero_points = torch.tensor([c - 1 for c in range(channels)])
    if torch_dtype == torch.quint8:
        zero_points += 100
    t = torch.quantize_per_channel(torch_floats(*shape, seed=axis), scales, zero_points, axis,
                                   torch_dtype)
    q = qtensor.from_torch(t)
    assert_same(q, t)
    assert_same(q, q.to_torch())
    # A view of a non-channel dim, which PyTorch reads correctly.
    other = (axis + 1) % 3
    view = t.narrow(other, 1, 2)
    assert_same(qtensor.from_torch(view), view)


def test_to_torch_of_qtensor_views_keeps_each_elements_parameters():
    q = qtensor.quantize_per_channel(np.arange(12, dtype=np.float32).reshape(3, 4),
                                     np.array([0.1, 0.5, 1.0]), np.array([0, 1, 2]), 0,
                                     qtensor.qint8)
    for view in (q.transpose(0, 1), q[:, 1:3], q[1], q[::2]):
        t = view.to_torch()
        np.testing.assert_array_equal(t.int_repr().numpy(), view.int_repr())
        np.testing.assert_array_equal(t.dequantize().numpy(), view.dequantize())
    assert q.transpose(0, 1).to_torch().q_per_channel_axis() == 1
    assert q[1].to_torch().qscheme() == torch.per_tensor_affine


def test_torch_dtypes_and_float_tensors_are_accepted():
    x = torch_floats(2, 3, seed=4)
    expected = torch.quantize_per_tensor(x, 0.05, 3, torch.qint8)
    assert_same(qtensor.quantize_per_tensor(x, 0.05, 3, torch.qint8), expected)
    assert_same(qtensor.quantize_per_tensor(x, 0.05, 3, qtensor.qint8), expected)
    # requires_grad, float64 and bfloat16 tensors give their float32 values.
    assert_same(qtensor.quantize_per_tensor(x.clone().requires_grad_(), 0.05, 3, torch.qint8),
                expected)
    assert_same(qtensor.quantize_per_tensor(x.double(), 0.05, 3, torch.qint8),
                torch.quantize_per_tensor(x.double().float(), 0.05, 3, torch.qint8))
    half = x.to(torch.bfloat16)
    assert_same(qtensor.quantize_per_tensor(half, 0.05, 3, torch.qint8),
                torch.quantize_per_tensor(half.float(), 0.05, 3, torch.qint8))
    channel = torch.quantize_per_channel(x, torch.tensor([0.1, 0.2], dtype=torch.float64),
                                         torch.tensor([0, 1]), 0, torch.quint8)
    assert_same(qtensor.quantize_per_channel(x, [0.1, 0.2], [0, 1], 0, torch.quint8), channel)
    assert qtensor.Quantizer.per_tensor_affine(0.1, 0, torch.qint32).dtype is qtensor.qint32
    assert qtensor.empty_quantized([2], qtensor.per_tensor_affine(1.0, 0, torch.quint8)).dtype \
        is qtensor.quint8


def test_what_cannot_convert_is_refused_clearly():
    x = torch_floats(4)
    t = torch.quantize_per_tensor(x, 0.1, 0, torch.qint8)
    with pytest.raises(TypeError, match="already quantized.*from_torch"):
        qtensor.quantize_per_tensor(t, 0.1, 0, qtensor.qint8)
    with pytest.raises(TypeError, match="takes a quantized torch tensor"):
        qtensor.from_torch(x)
    with pytest.raises(TypeError, match="expected a torch.Tensor"):
        qtensor.from_torch(np.zeros(3))
    with pytest.raises(TypeError, match="quantized dtype qtensor has"):
        qtensor.quantize_per_tensor(x, 0.1, 0, torch.float32)
    with pytest.raises(TypeError, match="quantized dtype qtensor has"):
        qtensor.quantize_per_tensor(x, 0.1, 0, torch.bool)
    with pytest.raises(TypeError, match="real numbers"):
        qtensor.quantize_per_tensor(torch.zeros(2, dtype=torch.complex64), 0.1, 0, torch.qint8)
    float_qparams = torch.quantize_per_channel(
        torch_floats(2, 3), torch.tensor([0.1, 0.2]), torch.tensor([0.5, 1.5]), 0, torch.quint8)
    assert float_qparams.qscheme() == torch.per_channel_affine_float_qparams
    # Converted since qtensor has the scheme (test_binding_float_qparams.py).
    assert qtensor.from_torch(float_qparams).qscheme() is qtensor.per_channel_affine_float_qparams
    # Selecting a dim after the channel axis: PyTorch 1.13 reports axis -1,
    # and its own dequantize() fails.
    per_channel = torch.quantize_per_channel(torch_floats(3, 4), torch.tensor([0.1, 0.2, 0.3]),
                                             torch.tensor([0, 1, 2]), 0, torch.qint8)
    view = per_channel[:, 1]
    assert view.q_per_channel_axis() == -1
    with pytest.raises(RuntimeError):
        view.dequantize()
    with pytest.raises(qtensor.InvalidArgumentError,
                       match=r"PyTorch cannot read .*channel axis -1 with 3 channels"):
        qtensor.from_torch(view)
    # Its base converts, and the view taken in qtensor is right.
    np.testing.assert_array_equal(qtensor.from_torch(per_channel)[:, 1].dequantize(),
                                  per_channel.dequantize()[:, 1].numpy())


def test_dequantize_into_a_callers_array():
    q = qtensor.quantize_per_tensor(np.array([[1.0, -0.5, 3.5]]), 0.5, 1, qtensor.quint8)
    out = np.full((1, 3), 7.0, np.float32)
    assert q.dequantize(out=out) is out
    np.testing.assert_array_equal(out, [[1.0, -0.5, 3.5]])
    before = np.full((3,), 7.0, np.float32)
    with pytest.raises(ValueError, match=r"out has shape \(3,\), the tensor \(1, 3\)"):
        q.dequantize(out=before)
    with pytest.raises(TypeError, match="float32 NumPy array"):
        q.dequantize(out=np.zeros((1, 3)))
    with pytest.raises(TypeError, match="float32 NumPy array"):
        q.dequantize(out=[[0.0, 0.0, 0.0]])
    strided = np.zeros((1, 6), np.float32)[:, ::2]
    with pytest.raises(ValueError, match="C-contiguous"):
        q.dequantize(out=strided)
    np.testing.assert_array_equal(before, 7.0)


@pytest.mark.parametrize("dtype", [qtensor.qint8, qtensor.quint8, qtensor.qint32])
def test_int_view_shares_the_integers_without_a_copy(dtype):
    q = qtensor.quantize_per_tensor(np.arange(12, dtype=np.float32).reshape(3, 4), 0.5, 3, dtype)
    view = q.int_view()
    assert view.dtype == dtype.int_dtype and view.shape == (3, 4)
    np.testing.assert_array_equal(view, q.int_repr())
    assert not view.flags.writeable
    with pytest.raises(ValueError):
        view[0, 0] = 1
    q[1, 2] = 4.0  # a write through the tensor shows in the array
    assert view[1, 2] == 11
    row = q[2]  # a contiguous view: its own integers, in place
    writable = row.int_view(writable=True)
    writable[0] = 20
    assert q[2, 0].item() == (20 - 3) * 0.5
    # The array keeps the storage alive after every tensor handle is gone.
    expected = view.copy()
    del q, row
    gc.collect()
    np.testing.assert_array_equal(view, expected)


def test_int_view_of_a_view_that_is_not_contiguous_is_refused():
    q = qtensor.quantize_per_tensor(np.ones((2, 3), np.float32), 1.0, 0, qtensor.qint8)
    with pytest.raises(qtensor.InvalidArgumentError, match="not contiguous"):
        q.transpose(0, 1).int_view()
    assert q.transpose(0, 1).contiguous().int_view().shape == (3, 2)
    empty = qtensor.quantize_per_tensor(np.ones((0, 3), np.float32), 1.0, 0, qtensor.qint8)
    assert empty.int_view().shape == (0, 3)

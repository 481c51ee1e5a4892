"""The same quantized tensor made in qtensor and in torch, for the tests that
compare the two bit for bit: seeded normal floats quantized per tensor
(scale 0.05, zero point 3) or per channel (scale 0.01 + 0.013 c, zero point
3 c mod 7 for channel c)."""

import numpy as np
import torch

import qtensor

DTYPES = [(qtensor.qint8, torch.qint8), (qtensor.quint8, torch.quint8),
          (qtensor.qint32, torch.qint32)]


def floats(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32) * 3


def pair(shape, dtype, torch_dtype, axis=None, seed=0):
    """(qtensor tensor, torch tensor): per tensor, or per channel along axis."""
    x = floats(*shape, seed=seed)
    if axis is None:
        return (qtensor.quantize_per_tensor(x, 0.05, 3, dtype),
                torch.quantize_per_tensor(torch.from_numpy(x), 0.05, 3, torch_dtype))
    channels = shape[axis]
    scales = np.array([0.01 + 0.013 * c for c in range(channels)])
    zero_points = np.array([(c * 3) % 7 for c in range(channels)], dtype=np.int64)
    return (qtensor.quantize_per_channel(x, scales, zero_points, axis, dtype),
            torch.quantize_per_channel(torch.from_numpy(x), torch.from_numpy(scales),
                                       torch.from_numpy(zero_points), axis, torch_dtype))


def assert_values_same(q, t):
    """q (qtensor) has t's (torch's) shape, integers and values, bit for bit."""
    assert tuple(q.shape) == tuple(t.shape)
    np.testing.assert_array_equal(q.int_repr(), t.int_repr().numpy())
    assert q.dequantize().tobytes() == t.dequantize().numpy().tobytes()


def assert_parameters_same(q, t):
    """q has t's scheme and parameters."""
    assert repr(q.qscheme()) == repr(t.qscheme()).replace("torch.", "qtensor.")
    if t.qscheme() == torch.per_tensor_affine:
        assert q.q_scale() == t.q_scale() and q.q_zero_point() == t.q_zero_point()
    else:
        assert q.q_per_channel_axis() == t.q_per_channel_axis()
        np.testing.assert_array_equal(q.q_per_channel_scales(), t.q_per_channel_scales().numpy())
        np.testing.assert_array_equal(q.q_per_channel_zero_points(),
                                      t.q_per_channel_zero_points().numpy())

"""qtensor.nn.quantized.functional's max_pool2d, avg_pool2d and
adaptive_avg_pool2d against PyTorch 1.13 on the same integers (its NCHW
kernels: the torch input is a sliced view, which is neither contiguous nor
channels-last), through qtensor views, with per-channel parameters, and
their errors."""

import numpy as np
import pytest
import torch

import qtensor
from qtensor.nn.quantized import functional as QF

TF = torch.nn.quantized.functional
INTS = {torch.quint8: (np.uint8, 0, 255), torch.qint8: (np.int8, -128, 127),
        torch.qint32: (np.int32, -2**20, 2**20)}
ZERO_POINTS = {torch.quint8: 131, torch.qint8: -5, torch.qint32: 1000}


def pair(shape, torch_dtype, seed=0, scale=0.1):
    """The same integers as a (contiguous) qtensor and a sliced torch view."""
    int_type, low, high = INTS[torch_dtype]
    ints = np.random.default_rng(seed).integers(low, high, size=shape, endpoint=True)
    ints = ints.astype(int_type)
    zero_point = ZERO_POINTS[torch_dtype]
    q = qtensor.make_per_tensor_quantized_tensor(ints, scale, zero_point)
    wide = torch.from_numpy(np.concatenate([ints, ints[..., :1]], axis=-1))
    t = torch._make_per_tensor_quantized_tensor(wide, scale, zero_point)[..., :-1]
    return q, t


def assert_same(q, t):
    assert tuple(q.shape) == tuple(t.shape)
    assert q.is_contiguous()
    assert q.q_scale() == t.q_scale() and q.q_zero_point() == t.q_zero_point()
    np.testing.assert_array_equal(q.int_repr(), t.int_repr().numpy())


MAX_ARGS = [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
            dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 1), dilation=(2, 3)),
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
            dict(kernel_size=2, stride=3, ceil_mode=True)]
AVG_ARGS = [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1),
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
            dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 1), divisor_override=5),
            dict(kernel_size=(2, 7))]


@pytest.mark.parametrize("torch_dtype", list(INTS))
@pytest.mark.parametrize("shape", [(2, 3, 7, 9), (3, 8, 7), (1, 1, 5, 11)])
def test_pooling_matches_torch(torch_dtype, shape):
    q, t = pair(shape, torch_dtype)
    for args in MAX_ARGS:
        assert_same(QF.max_pool2d(q, **args), TF.max_pool2d(t, **args))
    for args in AVG_ARGS:
        assert_same(QF.avg_pool2d(q, **args), TF.avg_pool2d(t, **args))
    for size in [(3, 4), 2, (5, 13), (1, 1), [7, 9]]:
        assert_same(QF.adaptive_avg_pool2d(q, size), TF.adaptive_avg_pool2d(t, size))


def test_views_are_read_through_their_strides():
    q, t = pair((4, 3, 9, 10), torch.qint8, seed=1)
    views = [lambda x: x.transpose(2, 3), lambda x: x[1:, :, ::2, 1:],
             lambda x: x.permute(1, 0, 3, 2), lambda x: x[2, :, 1:]]
    for view in views:
        qv, tv = view(q), view(t)
        assert not qv.is_contiguous()
        qc = qv.contiguous()
        for args in MAX_ARGS[:3]:
            assert_same(QF.max_pool2d(qv, **args), TF.max_pool2d(tv, **args))
        for args in AVG_ARGS[:4]:
            np.testing.assert_array_equal(QF.avg_pool2d(qv, **args).int_repr(),
                                          QF.avg_pool2d(qc, **args).int_repr())
        np.testing.assert_array_equal(QF.adaptive_avg_pool2d(qv, (3, 2)).int_repr(),
                                      QF.adaptive_avg_pool2d(qc, (3, 2)).int_repr())


def test_per_channel_planes_keep_their_own_parameters():
    """PyTorch rejects per-channel input; qtensor pools each plane with its
    channel's zero point, as a per-tensor input of those parameters would."""
    rng = np.random.default_rng(2)
    ints = rng.integers(0, 255, size=(2, 3, 6, 7), endpoint=True).astype(np.uint8)
    scales, zero_points = [0.1, 0.2, 0.3], [0, 100, 255]
    quantizer = qtensor.Quantizer.per_channel_affine(scales, zero_points, 1, qtensor.quint8)
    q = qtensor.from_int_repr(ints, quantizer)
    ops = [lambda x: QF.max_pool2d(x, 3, 2, 1), lambda x: QF.avg_pool2d(x, 3, 2, 1, True, False),
           lambda x: QF.adaptive_avg_pool2d(x, (4, 3))]
    for op in ops:
        result = op(q)
        assert result.qscheme() == qtensor.per_channel_affine
        assert result.q_per_channel_axis() == 1
        np.testing.assert_array_equal(result.q_per_channel_zero_points(), zero_points)
        for c in range(3):
            alone = qtensor.make_per_tensor_quantized_tensor(ints[:, c:c + 1].copy(), scales[c],
                                                             zero_points[c])
            np.testing.assert_array_equal(result.int_repr()[:, c:c + 1], op(alone).int_repr())
    on_height = qtensor.from_int_repr(
        ints, qtensor.Quantizer.per_channel_affine([0.1] * 6, [0] * 6, 2, qtensor.quint8))
    with pytest.raises(qtensor.InvalidArgumentError, match="axis"):
        QF.max_pool2d(on_height, 2)


BAD = [
    (lambda q: QF.max_pool2d(q[0, 0], 2), "3-D"),
    (lambda q: QF.avg_pool2d(q.unsqueeze(0), 2), "3-D"),
    (lambda q: QF.max_pool2d(q, 0), "kernel_size"),
    (lambda q: QF.max_pool2d(q, 2, 0), "stride"),
    (lambda q: QF.max_pool2d(q, 2, 1, 0, 0), "dilation"),
    (lambda q: QF.max_pool2d(q, 3, 1, 2), "padding"),
    (lambda q: QF.avg_pool2d(q, 3, 1, -1), "padding"),
    (lambda q: QF.avg_pool2d(q, 2, divisor_override=0), "divisor"),
    (lambda q: QF.max_pool2d(q, 8), "does not fit"),
    (lambda q: QF.avg_pool2d(q, (2, 8)), "does not fit"),
    (lambda q: QF.max_pool2d(q[:, :, :1, :1], 2, 1, 1, 2), "reads no input"),
    (lambda q: QF.adaptive_avg_pool2d(q, (0, 2)), "output_size"),
    (lambda q: QF.adaptive_avg_pool2d(q, (1, 2, 3)), "1 or 2 entries"),
    (lambda q: QF.max_pool2d(q, (2, 2, 2)), "1 or 2 entries"),
    (lambda q: QF.avg_pool2d(q[:, :, :0], 1), "non-zero"),
]


@pytest.mark.parametrize("call, message", BAD)
def test_bad_input_is_an_invalid_argument_and_leaves_the_input(call, message):
    q, _ = pair((2, 3, 5, 7), torch.quint8)
    before = q.int_repr().copy()
    with pytest.raises(qtensor.InvalidArgumentError, match=message):
        call(q)
    np.testing.assert_array_equal(q.int_repr(), before)


def test_argument_types():
    q, _ = pair((1, 2, 4, 4), torch.qint8)
    with pytest.raises(TypeError):
        QF.max_pool2d(q.int_repr(), 2)
    with pytest.raises(TypeError):
        QF.max_pool2d(q, 2.5)
    with pytest.raises(NotImplementedError):
        QF.max_pool2d(q, 2, return_indices=True)
    assert tuple(QF.max_pool2d(q, np.int64(2), stride=None).shape) == (1, 2, 2, 2)

"""The quantized operators against PyTorch 1.13 on the same inputs, bit for
bit (integers and parameters): relu, relu_, relu6, clamp / hardtanh, and
requantize against torch's quantize of the dequantized values."""

import numpy as np
import pytest
import torch

import qtensor

DTYPES = [(qtensor.qint8, torch.qint8), (qtensor.quint8, torch.quint8),
          (qtensor.qint32, torch.qint32)]
ZERO_POINTS = {qtensor.qint8: -3, qtensor.quint8: 128, qtensor.qint32: 7}


def floats(*shape, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32) * 4
    flat = x.reshape(-1)
    # Values on the bounds, ties of the bounds' quantization, and saturating
    # ones (not past 2**63 steps: torch quantizes those to qmin by an undefined
    # conversion, where qtensor saturates; docs/numerics.md).
    specials = [0.0, -0.0, 6.0, 5.975, 6.025, -1.0, 1.0, 2.5, -2.5, 1e4, -1e4]
    flat[:len(specials)] = specials[:flat.size]
    return x


def both(dtype, torch_dtype, shape=(5, 6, 7), scale=0.05):
    x = floats(*shape)
    zero_point = ZERO_POINTS[dtype]
    return (qtensor.quantize_per_tensor(x, scale, zero_point, dtype),
            torch.quantize_per_tensor(torch.from_numpy(x), scale, zero_point, torch_dtype))


def assert_same(q, t):
    assert tuple(q.shape) == tuple(t.shape)
    assert q.q_scale() == t.q_scale() and q.q_zero_point() == t.q_zero_point()
    np.testing.assert_array_equal(q.int_repr(), t.int_repr().numpy())


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("scale", [0.05, 0.025, 1.0, 3.0])
def test_relu_relu6_clamp_match_torch(dtype, torch_dtype, scale):
    q, t = both(dtype, torch_dtype, scale=scale)
    F = torch.nn.functional
    for view in (lambda x: x, lambda x: x.transpose(0, 2)[1:, ::2], lambda x: x[3]):
        qv, tv = view(q), view(t)
        assert_same(qtensor.relu(qv), torch.relu(tv))
        assert_same(qv.relu(), tv.relu())
        assert_same(qtensor.relu6(qv), F.relu6(tv))
        for low, high in [(-1.0, 2.5), (0.0, 6.0), (-0.1, 0.1), (2.0, -2.0), (-1e4, 1e4)]:
            assert_same(qtensor.clamp(qv, low, high), torch.clamp(tv, low, high))
            assert_same(qtensor.hardtanh(qv, low, high), F.hardtanh(tv, low, high))
        assert_same(qtensor.clamp(qv, min=0.5), torch.clamp(tv, min=0.5))
        assert_same(qtensor.clamp(qv, max=-0.5), torch.clamp(tv, max=-0.5))
        assert_same(qtensor.hardtanh(qv), F.hardtanh(tv))


def test_bounds_past_the_integer_range_saturate():
    """A bound past 2**63 quantization steps saturates to the dtype's end.
    PyTorch 1.13 converts it to an integer by an undefined conversion, which
    gives qmin here, so torch.clamp(q, -1e30, 1e30) is all qmin; qtensor's is
    q unchanged."""
    q, t = both(qtensor.qint8, torch.qint8)
    np.testing.assert_array_equal(qtensor.clamp(q, -1e30, 1e30).int_repr(), q.int_repr())
    assert (torch.clamp(t, -1e30, 1e30).int_repr() == -128).all()


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_relu_in_place_writes_the_view_only(dtype, torch_dtype):
    q, t = both(dtype, torch_dtype)
    view, torch_view = q.transpose(0, 1)[::2], t.transpose(0, 1)[::2]
    assert view.relu_() is view
    torch_view.relu_()
    assert_same(q, t)


def test_per_channel_tensors_use_each_channels_parameters():
    """PyTorch's kernels take per-tensor tensors only; qtensor clamps each
    element with its own channel's zero point and bounds: the same as
    clamping each channel as a per-tensor tensor."""
    x = floats(4, 3, 5, seed=3)
    scales, zero_points = [0.02, 0.05, 0.11], [-5, 0, 9]
    q = qtensor.quantize_per_channel(x, scales, zero_points, 1, qtensor.qint8)
    for op in (qtensor.relu, qtensor.relu6, lambda v: qtensor.clamp(v, -0.3, 0.7)):
        result = op(q)
        assert result.qscheme() is qtensor.per_channel_affine
        for c in range(3):
            per_tensor = qtensor.quantize_per_tensor(x[:, c], scales[c], zero_points[c],
                                                     qtensor.qint8)
            np.testing.assert_array_equal(result[:, c].int_repr(), op(per_tensor).int_repr())


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("to_dtype, to_torch_dtype", DTYPES)
def test_requantize_matches_torch_quantize_of_the_dequantized_values(dtype, torch_dtype, to_dtype,
                                                                    to_torch_dtype):
    q, t = both(dtype, torch_dtype)
    for view in (lambda x: x, lambda x: x.transpose(0, 2)[1:, ::3]):
        qv, tv = view(q), view(t)
        target = qtensor.Quantizer.per_tensor_affine(0.0371, ZERO_POINTS[to_dtype], to_dtype)
        assert_same(qtensor.requantize(qv, target),
                    torch.quantize_per_tensor(tv.dequantize(), 0.0371, ZERO_POINTS[to_dtype],
                                              to_torch_dtype))
        channels = qv.shape[1]
        scales = np.linspace(0.01, 0.3, channels)
        zero_points = np.arange(channels) + (3 if to_dtype is qtensor.quint8 else -2)
        per_channel = qtensor.Quantizer.per_channel_affine(scales, zero_points, 1, to_dtype)
        result = qtensor.requantize(qv, per_channel)
        expected = torch.quantize_per_channel(tv.dequantize(), torch.from_numpy(scales),
                                              torch.from_numpy(zero_points), 1, to_torch_dtype)
        np.testing.assert_array_equal(result.int_repr(), expected.int_repr().numpy())
        np.testing.assert_array_equal(result.q_per_channel_scales(),
                                      expected.q_per_channel_scales().numpy())


def test_bad_arguments_raise_and_change_nothing():
    q, _ = both(qtensor.qint8, torch.qint8)
    ints = q.int_repr().copy()
    with pytest.raises(qtensor.InvalidArgumentError, match="NaN"):
        qtensor.clamp(q, float("nan"), 1.0)
    with pytest.raises(TypeError):
        qtensor.relu(np.zeros(3))
    with pytest.raises(TypeError):
        qtensor.requantize(q, 0.5)
    wrong = qtensor.Quantizer.per_channel_affine([0.1] * 4, [0] * 4, 1, qtensor.qint8)
    with pytest.raises(qtensor.ShapeMismatchError, match="4 channels"):
        qtensor.requantize(q, wrong)
    beyond = qtensor.Quantizer.per_channel_affine([0.1] * 5, [0] * 5, 3, qtensor.qint8)
    with pytest.raises(qtensor.InvalidArgumentError, match="axis 3 is out of range"):
        qtensor.requantize(q, beyond)
    np.testing.assert_array_equal(q.int_repr(), ints)


BINARY = ["add", "add_relu", "mul", "mul_relu"]
# Zero points that are not powers of two, so torch's premultiplied
# dequantize would show if it rounded differently.
BINARY_ZERO_POINTS = {qtensor.qint8: (-37, 11, 5), qtensor.quint8: (37, 101, 77),
                      qtensor.qint32: (-37, 1001, 5)}


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("shapes", [((4, 5, 6), (4, 5, 6)), ((4, 5, 6), (6,)), ((4, 1, 6), (5, 1)),
                                    ((1,), (3, 2)), ((0, 3), (3,))])
def test_binary_operators_match_torch(dtype, torch_dtype, name, shapes):
    rng = np.random.default_rng(len(name) + shapes[0][0])
    x = (rng.standard_normal(shapes[0]) * 3).astype(np.float32)
    y = (rng.standard_normal(shapes[1]) * 3).astype(np.float32)
    za, zb, zo = BINARY_ZERO_POINTS[dtype]
    a, b = (qtensor.quantize_per_tensor(x, 0.031, za, dtype),
            qtensor.quantize_per_tensor(y, 0.047, zb, dtype))
    ta, tb = (torch.quantize_per_tensor(torch.from_numpy(x), 0.031, za, torch_dtype),
              torch.quantize_per_tensor(torch.from_numpy(y), 0.047, zb, torch_dtype))
    for scale in (0.05, 0.0123, 0.2):
        result = getattr(qtensor.ops.quantized, name)(a, b, scale, zo)
        expected = getattr(torch.ops.quantized, name)(ta, tb, scale, zo)
        if name.startswith("mul"):  # an integer formula: torch is consistent
            assert_same(result, expected)
            continue
        assert result.q_scale() == expected.q_scale()
        assert result.q_zero_point() == expected.q_zero_point()
        ours, theirs = result.int_repr().reshape(-1), expected.int_repr().numpy().reshape(-1)
        fused = torch_fused_add(a.int_repr(), za, 0.031, b.int_repr(), zb, 0.047, scale, zo,
                                dtype, name == "add_relu").reshape(-1)
        # Where torch differs, its vector body's fused multiply-add explains it.
        assert ((ours == theirs) | (theirs == fused)).all()
        assert (ours != theirs).sum() <= 1


def torch_fused_add(qa, za, sa, qb, zb, sb, scale, zero_point, dtype, relu):
    """What PyTorch 1.13's vectorized add computes: each input dequantized
    as fma(q, s, s * -z) (one rounding) instead of (q - z) * s, then the
    float32 sum (max 0 for relu) quantized. Exact products fit a double, so
    the double sum rounded once to float32 is the fused result."""
    f32 = np.float32

    def dequantize(q, z, s):
        premultiplied = np.float64(f32(f32(s) * f32(-z)))
        return (np.broadcast_to(q, q.shape).astype(np.float64) * np.float64(f32(s))
                + premultiplied).astype(f32)

    total = (dequantize(qa, za, sa) + dequantize(qb, zb, sb)).astype(f32)
    if relu:
        total = np.maximum(total, f32(0))
    info = np.iinfo(dtype.int_dtype)
    steps = np.rint((total * (f32(1) / f32(scale))).astype(f32)).astype(np.int64)
    return np.clip(steps + zero_point, info.min, info.max)


def test_binary_operators_read_views_and_per_channel_inputs():
    """Views give what their contiguous copies give; a per-channel input is
    read with each element's own parameters: the same as its requantized
    per-tensor copy when every channel shares one scale and zero point."""
    x = floats(3, 4, seed=5)
    a = qtensor.quantize_per_tensor(x, 0.05, 3, qtensor.qint8)
    b = qtensor.quantize_per_tensor(x.T.copy(), 0.07, -2, qtensor.qint8)
    for name in BINARY:
        op = getattr(qtensor.ops.quantized, name)
        np.testing.assert_array_equal(op(a, b.transpose(0, 1), 0.1, 1).int_repr(),
                                      op(a, b.transpose(0, 1).contiguous(), 0.1, 1).int_repr())
        same = qtensor.quantize_per_channel(x, [0.05] * 4, [3] * 4, 1, qtensor.qint8)
        np.testing.assert_array_equal(op(same, a, 0.1, 1).int_repr(), op(a, a, 0.1, 1).int_repr())


def test_binary_operators_refuse_bad_arguments():
    a = qtensor.quantize_per_tensor(floats(2, 3), 0.05, 3, qtensor.qint8)
    b = qtensor.quantize_per_tensor(floats(4), 0.05, 3, qtensor.qint8)
    ints = a.int_repr().copy()
    for name in BINARY:
        op = getattr(qtensor.ops.quantized, name)
        with pytest.raises(qtensor.ShapeMismatchError, match=r"shapes \(2, 3\) and \(4,\)"):
            op(a, b, 0.1, 0)
        with pytest.raises(qtensor.InvalidArgumentError, match="scale"):
            op(a, a, 0.0, 0)
        with pytest.raises(qtensor.InvalidArgumentError, match="zero"):
            op(a, a, 0.1, 128)
        with pytest.raises(TypeError):
            op(a, ints, 0.1, 0)
    np.testing.assert_array_equal(a.int_repr(), ints)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_cat_matches_torch(dtype, torch_dtype):
    zero_point = ZERO_POINTS[dtype]
    xs = [floats(3, 4, 5, seed=s) for s in range(3)]
    qs = [qtensor.quantize_per_tensor(x, 0.05 * (i + 1), zero_point + i, dtype)
          for i, x in enumerate(xs)]
    ts = [torch.quantize_per_tensor(torch.from_numpy(x), 0.05 * (i + 1), zero_point + i,
                                    torch_dtype) for i, x in enumerate(xs)]
    for dim in (0, 1, 2, -1):
        assert_same(qtensor.cat(qs, dim), torch.cat(ts, dim))
        assert_same(qtensor.cat(qs[:1], dim), torch.cat(ts[:1], dim))
        assert_same(qtensor.ops.quantized.cat(qs, dim, 0.13, zero_point),
                    torch.ops.quantized.cat(ts, dim, 0.13, zero_point))
        assert_same(qtensor.ops.quantized.cat_relu(qs, dim, 0.13, zero_point),
                    torch.ops.quantized.cat_relu(ts, dim, 0.13, zero_point))
    # Views of any layout.
    qv = [q.transpose(0, 2)[1:] for q in qs]
    tv = [t.transpose(0, 2)[1:] for t in ts]
    assert_same(qtensor.cat(qv, 1), torch.cat(tv, 1))


def test_cat_requantizes_per_channel_and_other_dtypes():
    """Each input equals, in its part of the result, its own requantization
    into the result's parameters; an input with those parameters already is
    copied."""
    x = floats(2, 3, seed=9)
    per_channel = qtensor.quantize_per_channel(x, [0.02, 0.05, 0.1], [0, 3, -4], 1,
                                               qtensor.qint8)
    other = qtensor.quantize_per_tensor(x, 0.07, 200, qtensor.quint8)
    first = qtensor.quantize_per_tensor(x, 0.04, 1, qtensor.qint8)
    joined = qtensor.cat([first, per_channel, other], 0)
    assert joined.shape == (6, 3) and joined.dtype is qtensor.qint8
    target = first.quantizer()
    np.testing.assert_array_equal(joined[0:2].int_repr(), first.int_repr())
    np.testing.assert_array_equal(joined[2:4].int_repr(),
                                  qtensor.requantize(per_channel, target).int_repr())
    np.testing.assert_array_equal(joined[4:6].int_repr(),
                                  qtensor.requantize(other, target).int_repr())
    # Per-channel parameters of the first input are kept off the joined dim.
    stacked = qtensor.cat([per_channel, per_channel], 0)
    assert stacked.qscheme() is qtensor.per_channel_affine
    np.testing.assert_array_equal(stacked.int_repr()[2:], per_channel.int_repr())


def test_cat_refuses_bad_arguments():
    a = qtensor.quantize_per_tensor(floats(2, 3), 0.05, 3, qtensor.qint8)
    b = qtensor.quantize_per_tensor(floats(2, 4), 0.05, 3, qtensor.qint8)
    assert qtensor.cat([a, b], 1).shape == (2, 7)
    with pytest.raises(qtensor.ShapeMismatchError, match="only dim 0 may differ"):
        qtensor.cat([a, b], 0)
    with pytest.raises(qtensor.InvalidArgumentError, match="no tensors"):
        qtensor.cat([], 0)
    with pytest.raises(qtensor.OutOfRangeError, match="dim 2"):
        qtensor.cat([a, a], 2)
    with pytest.raises(qtensor.InvalidArgumentError, match="0-dim"):
        qtensor.cat([a[0, 0], a[0, 0]], 0)
    per_channel = qtensor.quantize_per_channel(floats(2, 3), [0.1, 0.2], [0, 0], 0,
                                               qtensor.qint8)
    with pytest.raises(qtensor.InvalidArgumentError, match="give the result's quantizer"):
        qtensor.cat([per_channel, per_channel], 0)
    with pytest.raises(TypeError):
        qtensor.cat([a, np.zeros((2, 3))], 0)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("slope", [0.01, 0.2, 1.5, 0.0, -0.3])
def test_leaky_relu_matches_torch(dtype, torch_dtype, slope):
    """Equal to torch but where torch's vector body, which dequantizes with
    a fused multiply-add, rounds a tie the other way (see torch_fused)."""
    q, t = both(dtype, torch_dtype, scale=0.043)
    zero_point = ZERO_POINTS[dtype]
    for view in (lambda x: x, lambda x: x.transpose(0, 2)[1:, ::2], lambda x: x):
        qv, tv = view(q), view(t)
        ours = qtensor.leaky_relu(qv, slope)
        theirs = torch.nn.functional.leaky_relu(tv, slope)
        assert ours.q_scale() == theirs.q_scale() and ours.q_zero_point() == zero_point
        fused = torch_fused(lambda x: np.where(x >= 0, x, (x * np.float32(slope))), qv.int_repr(),
                            zero_point, 0.043, 0.043, zero_point, dtype)
        differ = ours.int_repr() != theirs.int_repr().numpy()
        assert (fused[differ] == theirs.int_repr().numpy()[differ]).all()
        assert differ.sum() <= 4


def torch_fused(function, q, zero_point, scale, out_scale, out_zero_point, dtype):
    """What PyTorch 1.13's vectorized unary kernels compute: q dequantized
    as fma(q, s, s * -z), rounded once, then function in float32, then
    quantized."""
    f32 = np.float32
    premultiplied = np.float64(f32(f32(scale) * f32(-zero_point)))
    x = (q.astype(np.float64) * np.float64(f32(scale)) + premultiplied).astype(f32)
    y = np.asarray(function(x), dtype=f32)
    info = np.iinfo(dtype.int_dtype)
    steps = np.rint((y * (f32(1) / f32(out_scale))).astype(f32)).astype(np.int64)
    return np.clip(steps + out_zero_point, info.min, info.max)


def test_leaky_relu_of_per_channel_tensors_and_bad_slopes():
    x = floats(4, 3, seed=11)
    q = qtensor.quantize_per_channel(x, [0.02, 0.05, 0.1], [-5, 0, 9], 1, qtensor.qint8)
    result = qtensor.leaky_relu(q, 0.1)
    assert result.quantizer() == q.quantizer()
    for c in range(3):
        single = qtensor.quantize_per_tensor(x[:, c], [0.02, 0.05, 0.1][c], [-5, 0, 9][c],
                                             qtensor.qint8)
        np.testing.assert_array_equal(result[:, c].int_repr(),
                                      qtensor.leaky_relu(single, 0.1).int_repr())
    for bad in (float("nan"), float("inf")):
        with pytest.raises(qtensor.InvalidArgumentError, match="negative_slope"):
            qtensor.leaky_relu(q, bad)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES[:2])
@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_sigmoid_and_tanh_match_torch(dtype, torch_dtype, name):
    for scale in (0.05, 0.0213, 0.3):
        q, t = both(dtype, torch_dtype, scale=scale)
        for view in (lambda x: x, lambda x: x.transpose(0, 2)[1:, ::2]):
            assert_same(getattr(qtensor, name)(view(q)), getattr(torch, name)(view(t)))


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_qint32_sigmoid_and_tanh_keep_torchs_parameters(name):
    """PyTorch adds the zero point in float32, so its qint32 results past
    2**24 steps (all of these, at scale 2**-32 or 2**-31) are rounded to
    float32's 24 bits; qtensor's are exact. They agree to 2**8 steps."""
    q, t = both(qtensor.qint32, torch.qint32)
    ours, theirs = getattr(qtensor, name)(q), getattr(torch, name)(t)
    assert ours.q_scale() == theirs.q_scale() and ours.q_zero_point() == theirs.q_zero_point()
    difference = np.abs(ours.int_repr().astype(np.int64) - theirs.int_repr().numpy())
    assert difference.max() <= 2**8


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_hardswish_matches_torch(dtype, torch_dtype):
    zero_point = ZERO_POINTS[dtype]
    for scale, out_scale in ((0.05, 0.03), (0.0213, 0.1), (0.3, 0.011)):
        q, t = both(dtype, torch_dtype, scale=scale)
        for view in (lambda x: x, lambda x: x.transpose(0, 2)[1:, ::2]):
            ours = qtensor.ops.quantized.hardswish(view(q), out_scale, zero_point + 1)
            theirs = torch.ops.quantized.hardswish(view(t), out_scale, zero_point + 1)
            if dtype is not qtensor.qint32:
                assert_same(ours, theirs)
                continue
            # qint32: torch's vector body (fused dequantize) moves a few ties.
            difference = np.abs(ours.int_repr().astype(np.int64) - theirs.int_repr().numpy())
            assert difference.max() <= 1 and (difference > 0).sum() <= 2
    with pytest.raises(qtensor.InvalidArgumentError, match="scale"):
        qtensor.ops.quantized.hardswish(q, -1.0, 0)

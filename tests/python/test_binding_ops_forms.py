"""The operators' other forms against PyTorch 1.13, bit for bit (integers
and parameters): add_scalar / mul_scalar and their relu forms (output
parameters derived by PyTorch's rules), the out= forms of add / mul / cat,
and the in-place forms of leaky_relu, relu6 and hardtanh."""

import os

# onednn reuses a cached primitive that ignores new zero points for the
# same shapes and scales; with a cache of one the golden side is right.
os.environ.setdefault("LRU_CACHE_CAPACITY", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import qtensor  # noqa: E402

F = torch.nn.functional
DTYPES = [(qtensor.qint8, torch.qint8), (qtensor.quint8, torch.quint8),
          (qtensor.qint32, torch.qint32)]
ZERO_POINTS = {qtensor.qint8: [-3, -128, 127, 0], qtensor.quint8: [128, 0, 255, 7],
               qtensor.qint32: [7, 0, -2**31, 2**31 - 1]}


def floats(*shape, seed=0, spread=4.0):
    return (np.random.default_rng(seed).standard_normal(shape) * spread).astype(np.float32)


def both(x, scale, zero_point, dtype, torch_dtype):
    """The same integers on both sides (torch's own qint32 quantize rounds
    in float32 near zero points of +-2**31, so it is not the source)."""
    q = qtensor.quantize_per_tensor(x, scale, zero_point, dtype)
    ints = torch.from_numpy(q.int_repr().copy())
    return q, torch._make_per_tensor_quantized_tensor(ints, scale, zero_point)


def assert_same(q, t):
    assert tuple(q.shape) == tuple(t.shape)
    assert (q.q_scale(), q.q_zero_point()) == (t.q_scale(), t.q_zero_point())
    np.testing.assert_array_equal(q.int_repr(), t.int_repr().numpy())


def expected_add_scalar(t, other, relu):
    """PyTorch's rule in exact arithmetic, to check torch's own answer."""
    info = torch.iinfo(t.int_repr().dtype)
    scale, zero_point = t.q_scale(), t.q_zero_point()
    c_q = round(other / scale)
    shifted = zero_point - c_q
    if info.min <= shifted <= info.max:
        return None  # integers kept: torch's answer is checked by assert_same
    return c_q


OTHERS = [0.0, 0.3, -0.3, 1.0, -2.5, 7.77, -7.77, 100.0, -100.0, 1e6, -1e6, 0.0125, 123456.7]


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("scale", [0.05, 0.1, 1.0, 0.003])
def test_add_scalar_matches_torch(dtype, torch_dtype, scale):
    for zero_point in ZERO_POINTS[dtype]:
        q, t = both(floats(4, 33, seed=zero_point & 0xFF), scale, zero_point, dtype, torch_dtype)
        for other in OTHERS:
            if abs(other / scale) > 2**31 - 1:
                continue  # torch fails there too (checked below)
            assert_same(qtensor.ops.quantized.add_scalar(q, other),
                        torch.ops.quantized.add_scalar(t, other))
            assert_same(qtensor.ops.quantized.add_scalar_relu(q, other),
                        torch.ops.quantized.add_scalar_relu(t, other))
            # The .Scalar overloads of add and add_relu are the same.
            assert_same(qtensor.ops.quantized.add(q, other), torch.ops.quantized.add(t, other))
            assert_same(qtensor.ops.quantized.add_relu(q, other),
                        torch.ops.quantized.add_relu(t, other))


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("scale", [0.05, 0.1, 1.0, 0.003])
def test_mul_scalar_matches_torch(dtype, torch_dtype, scale):
    for zero_point in ZERO_POINTS[dtype]:
        q, t = both(floats(4, 33, seed=zero_point & 0xFF), scale, zero_point, dtype, torch_dtype)
        for other in OTHERS + [-1.0, 2.0**-20]:
            assert_same(qtensor.ops.quantized.mul_scalar(q, other),
                        torch.ops.quantized.mul_scalar(t, other))
            assert_same(qtensor.ops.quantized.mul_scalar_relu(q, other),
                        torch.ops.quantized.mul_scalar_relu(t, other))
            assert_same(qtensor.ops.quantized.mul(q, other), torch.ops.quantized.mul(t, other))


def test_scalar_forms_of_views_match_torch():
    x = floats(6, 5, 4)
    q, t = both(x, 0.05, 3, qtensor.qint8, torch.qint8)
    for view in (lambda v: v.transpose(0, 2), lambda v: v[1:, ::2], lambda v: v[2]):
        for other in (0.4, -3.0, 10.0, -10.0):
            assert_same(qtensor.ops.quantized.add_scalar(view(q), other),
                        torch.ops.quantized.add_scalar(view(t), other))
            assert_same(qtensor.ops.quantized.mul_scalar_relu(view(q), other),
                        torch.ops.quantized.mul_scalar_relu(view(t), other))


def test_add_scalar_stretched_range_is_pytorch_rule():
    """Past the range the scale stretches: qint8, scale 0.1, zero point 0,
    + 20.0 moves the zero point to -200, so s' = (127 + 200) / 255 * 0.1 and
    z' = -128, every integer requantized (c = q + 200, z' + round(c * s / s'))."""
    x = np.array([-12.8, -1.0, 0.0, 0.05, 1.0, 12.7], dtype=np.float32)
    q = qtensor.quantize_per_tensor(x, 0.1, 0, qtensor.qint8)
    r = qtensor.ops.quantized.add_scalar(q, 20.0)
    s_prime = (127 + 200) / 255 * 0.1
    assert r.q_scale() == s_prime and r.q_zero_point() == -128
    multiplier = np.float32(0.1) * (np.float32(1) / np.float32(s_prime))
    c = q.int_repr().astype(np.int64) + 200
    expected = np.clip(-128 + np.rint(c.astype(np.float32) * multiplier), -128, 127)
    np.testing.assert_array_equal(r.int_repr(), expected.astype(np.int8))


def test_scalar_forms_reject_what_torch_rejects():
    q = qtensor.quantize_per_tensor(floats(8), 0.001, 0, qtensor.quint8)
    t = torch.quantize_per_tensor(torch.from_numpy(floats(8)), 0.001, 0, torch.quint8)
    with pytest.raises(RuntimeError):
        torch.ops.quantized.add_scalar(t, 1e7)  # c_q = 1e10 is not an int32
    with pytest.raises(qtensor.InvalidArgumentError, match="int32"):
        qtensor.ops.quantized.add_scalar(q, 1e7)
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(qtensor.InvalidArgumentError, match="not finite"):
            qtensor.ops.quantized.add_scalar(q, bad)
        with pytest.raises(qtensor.InvalidArgumentError, match="not finite"):
            qtensor.ops.quantized.mul_scalar(q, bad)
    with pytest.raises(qtensor.InvalidArgumentError, match="scale"):
        qtensor.ops.quantized.mul_scalar(q, 1e-320)
    per_channel = qtensor.quantize_per_channel(floats(3, 4), np.array([0.1, 0.2, 0.3]),
                                               np.array([0, 1, 2]), 0, qtensor.qint8)
    before = per_channel.int_repr().copy()
    for op in (qtensor.ops.quantized.add_scalar, qtensor.ops.quantized.mul_scalar_relu):
        with pytest.raises(qtensor.InvalidArgumentError, match="per tensor"):
            op(per_channel, 1.0)
    np.testing.assert_array_equal(per_channel.int_repr(), before)
    with pytest.raises(TypeError):
        qtensor.ops.quantized.add(q, 1.0, 0.1, 0)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_out_forms_match_torch(dtype, torch_dtype):
    zero_point = ZERO_POINTS[dtype][0]
    qa, ta = both(floats(3, 5, 7, seed=1), 0.05, zero_point, dtype, torch_dtype)
    qb, tb = both(floats(3, 5, 7, seed=2), 0.07, zero_point, dtype, torch_dtype)
    for op in ("add", "add_relu", "mul", "mul_relu"):
        q_out = qtensor.quantize_per_tensor(np.zeros((3, 5, 7), np.float32), 0.09, 5, dtype)
        t_out = torch.quantize_per_tensor(torch.zeros(3, 5, 7), 0.09, 5, torch_dtype)
        returned = getattr(qtensor.ops.quantized, op)(qa, qb, out=q_out)
        getattr(torch.ops.quantized, op).out(ta, tb, out=t_out)
        assert returned is q_out
        assert_same(q_out, t_out)
        # The same as the allocating form with out's parameters.
        assert_same(q_out, getattr(torch.ops.quantized, op)(ta, tb, 0.09, 5))


def test_out_forms_write_views_and_their_own_inputs():
    qa = qtensor.quantize_per_tensor(floats(4, 6, seed=3), 0.05, 2, qtensor.quint8)
    qb = qtensor.quantize_per_tensor(floats(6, seed=4), 0.04, 9, qtensor.quint8)
    expected = qtensor.ops.quantized.add(qa, qb, 0.05, 2)
    # In place: out is the first input itself (broadcasting the second).
    qtensor.ops.quantized.add(qa, qb, out=qa)
    np.testing.assert_array_equal(qa.int_repr(), expected.int_repr())
    # A transposed view of a bigger tensor: only the view's elements change.
    base = qtensor.quantize_per_tensor(np.zeros((6, 5), np.float32), 0.05, 2, qtensor.quint8)
    view = base.transpose(0, 1)[:4]
    qtensor.ops.quantized.mul(qa, qb, out=view)
    np.testing.assert_array_equal(view.int_repr(),
                                  qtensor.ops.quantized.mul(qa, qb, 0.05, 2).int_repr())
    np.testing.assert_array_equal(base.int_repr()[:, 4], np.full(6, 2, np.uint8))


def test_out_forms_reject_bad_outputs_and_leave_them_unchanged():
    qa = qtensor.quantize_per_tensor(floats(2, 3), 0.05, 2, qtensor.qint8)
    out = qtensor.quantize_per_tensor(floats(2, 3, seed=9), 0.05, 2, qtensor.qint8)
    before = out.int_repr().copy()
    wrong_dtype = qtensor.quantize_per_tensor(floats(2, 3), 0.05, 2, qtensor.quint8)
    with pytest.raises(qtensor.TypeMismatchError, match="add_out: out is quint8"):
        qtensor.ops.quantized.add(qa, qa, out=wrong_dtype)
    with pytest.raises(qtensor.ShapeMismatchError, match=r"out has shape \(3, 2\)"):
        qtensor.ops.quantized.mul(qa, qa, out=out.transpose(0, 1))
    per_channel = qtensor.quantize_per_channel(floats(2, 3), np.array([0.1, 0.2]),
                                               np.array([0, 1]), 0, qtensor.qint8)
    with pytest.raises(qtensor.InvalidArgumentError, match="per tensor"):
        qtensor.ops.quantized.add(qa, qa, out=per_channel)
    with pytest.raises(TypeError):
        qtensor.ops.quantized.add(qa, qa, 0.1, 0, out=out)
    with pytest.raises(TypeError):
        qtensor.ops.quantized.add(qa, qa)
    np.testing.assert_array_equal(out.int_repr(), before)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_cat_out_matches_torch(dtype, torch_dtype):
    zero_point = ZERO_POINTS[dtype][0]
    qa, ta = both(floats(2, 3, seed=5), 0.05, zero_point, dtype, torch_dtype)
    qb, tb = both(floats(4, 3, seed=6), 0.02, zero_point, dtype, torch_dtype)
    for join, torch_join in ((qtensor.ops.quantized.cat_out, torch.ops.quantized.cat_out),
                             (qtensor.ops.quantized.cat_relu_out,
                              torch.ops.quantized.cat_relu_out)):
        q_out = qtensor.quantize_per_tensor(np.zeros((6, 3), np.float32), 0.04, 3, dtype)
        t_out = torch.quantize_per_tensor(torch.zeros(6, 3), 0.04, 3, torch_dtype)
        assert join([qa, qb], 0, q_out) is q_out
        torch_join([ta, tb], 0, t_out)
        assert_same(q_out, t_out)
    q_out = qtensor.quantize_per_tensor(np.zeros((6, 3), np.float32), 0.04, 3, dtype)
    t_out = torch.quantize_per_tensor(torch.zeros(6, 3), 0.04, 3, torch_dtype)
    qtensor.cat([qa, qb], 0, out=q_out)
    torch.cat([ta, tb], 0, out=t_out)
    assert_same(q_out, t_out)
    with pytest.raises(qtensor.ShapeMismatchError, match="cat_out: out has shape"):
        qtensor.ops.quantized.cat_out([qa, qa], 1, q_out)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_in_place_forms_match_torch(dtype, torch_dtype):
    zero_point = ZERO_POINTS[dtype][0]
    x = floats(5, 6, seed=7)
    for view in (lambda v: v, lambda v: v.transpose(0, 1)[::2]):
        for name, q_call, t_call in (
                ("leaky_relu", lambda v: qtensor.leaky_relu(v, 0.1, inplace=True),
                 lambda v: F.leaky_relu(v, 0.1, inplace=True)),
                ("relu6", lambda v: qtensor.relu6(v, inplace=True),
                 lambda v: F.relu6(v, inplace=True)),
                ("hardtanh", lambda v: qtensor.hardtanh(v, -0.5, 2.0, inplace=True),
                 lambda v: F.hardtanh(v, -0.5, 2.0, inplace=True))):
            q, t = both(x, 0.05, zero_point, dtype, torch_dtype)
            qv, tv = view(q), view(t)
            assert q_call(qv) is qv, name
            t_call(tv)
            assert_same(q, t)  # the whole base: only the view's elements changed

"""index_select, repeat, empty_like, masked_fill_, integer-array and mask
indexing (copies) and assignment through them (index_put_) against
PyTorch 1.13, bit for bit: integers, dequantized values and parameters.
PyTorch 1.13 refuses per-channel tensors for all of them but empty_like;
per-channel results are checked against torch's integers and per-channel
parameters picked the same way."""

import numpy as np
import pytest
import torch

import qtensor

from torch_pairs import DTYPES, assert_parameters_same, assert_values_same, floats, pair

STORAGE_DTYPES = [qtensor.qint16, qtensor.quint16, qtensor.quint4x2, qtensor.quint2x4,
                  qtensor.qint4, qtensor.quint4]
SHAPE = (3, 4, 5)


def per_tensor(dtype, torch_dtype, shape=SHAPE):
    return pair(shape, dtype, torch_dtype)


def per_channel(dtype, torch_dtype, axis, shape=SHAPE):
    return pair(shape, dtype, torch_dtype, axis)


def assert_same(q, t):
    """q holds what the quantized torch tensor t holds, bit for bit."""
    assert_values_same(q, t)
    assert_parameters_same(q, t)


def _from_ints(ints, scales, zero_points, axis, torch_dtype):
    # Dequantize integers with the per-channel formula, then quantize back:
    # exact, since every value is k * scale for an integer k in range.
    shape = [1] * ints.dim()
    shape[axis] = -1
    values = (ints.double() - zero_points.view(shape).double()) * scales.view(shape)
    return torch.quantize_per_channel(values.float(), scales, zero_points, axis, torch_dtype)


# Views and the base views they start from (applied to both libraries).
VIEWS = [
    ("contiguous", lambda a: a),
    ("transposed", lambda a: a.transpose(0, 2)),
    ("stepped", lambda a: a[:, ::2]),
    ("narrowed", lambda a: a[1:]),
]


# ------------------------------------------------------------- index_select
@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("name,view", VIEWS)
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("index", [[2, 0], [1, 1, 0], []])
def test_index_select_per_tensor(dtype, torch_dtype, name, view, dim, index):
    q, t = per_tensor(dtype, torch_dtype)
    q, t = view(q), view(t)
    index = [i for i in index if i < t.shape[dim]]
    i = torch.tensor(index, dtype=torch.int64)
    assert_same(qtensor.index_select(q, dim, i), torch.index_select(t, dim, i))
    assert_same(q.index_select(dim, np.array(index, dtype=np.int32)), t.index_select(dim, i))


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("dim", [0, 1, 2])
@pytest.mark.parametrize("index", [[2, 0], [1, 1, 0], []])
def test_index_select_per_channel(dtype, torch_dtype, axis, dim, index):
    q, t = per_channel(dtype, torch_dtype, axis)
    i = torch.tensor(index, dtype=torch.int64)
    with pytest.raises(RuntimeError):
        torch.index_select(t, dim, i)
    scales, zero_points = t.q_per_channel_scales(), t.q_per_channel_zero_points()
    if dim == axis:
        scales, zero_points = scales[i], zero_points[i]
    if dim == axis and not index:
        # No channels: the result is empty along its axis.
        result = q.index_select(dim, index)
        assert tuple(result.shape) == (0, 4, 5) if axis == 0 else (3, 0, 5)
        assert len(result.q_per_channel_scales()) == 0
        return
    expected = _from_ints(t.int_repr().index_select(dim, i), scales, zero_points, axis,
                          torch_dtype)
    assert_same(q.index_select(dim, index), expected)


def test_index_select_of_a_view_without_its_channel_axis():
    q, t = per_channel(qtensor.qint8, torch.qint8, 0)
    # q[1] has no channel dim but keeps channel 1's parameters and formula.
    result = q[1].index_select(0, [3, 0])
    np.testing.assert_array_equal(result.int_repr(), t[1].int_repr()[[3, 0]].numpy())
    assert result.dequantize().tobytes() == t[1].dequantize()[[3, 0]].numpy().tobytes()


@pytest.mark.parametrize("dtype", STORAGE_DTYPES)
def test_storage_dtypes_select_and_repeat(dtype):
    x = floats(3, 4)
    q = qtensor.quantize_per_tensor(x, 0.5, 1, dtype)
    ints = q.int_repr()
    r = q.index_select(1, [3, 1, 1])
    np.testing.assert_array_equal(r.int_repr(), ints[:, [3, 1, 1]])
    assert r.dtype == dtype and r.q_scale() == 0.5 and r.q_zero_point() == 1
    np.testing.assert_array_equal(q.repeat(2, 1, 3).int_repr(), np.tile(ints, (2, 1, 3)))
    np.testing.assert_array_equal(q[[2, 0]].int_repr(), ints[[2, 0]])
    filled = q.clone().fill_(1.0).int_repr()
    mask = x > 0
    np.testing.assert_array_equal(q.clone().masked_fill_(mask, 1.0).int_repr(),
                                  np.where(mask, filled, ints))
    c = q.clone()
    c[[1]] = np.ones((1, 4))
    np.testing.assert_array_equal(c.int_repr(), np.where([[0], [1], [0]], filled, ints))
    e = qtensor.empty_like(q)
    assert e.dtype == dtype and e.q_scale() == 0.5 and not e.int_repr().any()


# ------------------------------------------------------------------- repeat
@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("name,view", VIEWS)
@pytest.mark.parametrize("sizes", [(1, 1, 1), (2, 1, 3), (2, 1, 1, 2), (1, 0, 1)])
def test_repeat_per_tensor(dtype, torch_dtype, name, view, sizes):
    q, t = per_tensor(dtype, torch_dtype)
    q, t = view(q), view(t)
    result = q.repeat(*sizes)
    assert_same(result, t.repeat(*sizes))
    assert_same(q.repeat(sizes), t.repeat(sizes))


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, 2])
def test_repeat_per_channel(dtype, torch_dtype, axis):
    q, t = per_channel(dtype, torch_dtype, axis)
    with pytest.raises(RuntimeError):
        t.repeat(2, 1, 2)
    reps = [2, 1, 2]
    scales = t.q_per_channel_scales().repeat(reps[axis])
    zero_points = t.q_per_channel_zero_points().repeat(reps[axis])
    expected = _from_ints(t.int_repr().repeat(*reps), scales, zero_points, axis, torch_dtype)
    assert_same(q.repeat(*reps), expected)


def test_repeat_copies():
    q, _ = per_tensor(qtensor.quint8, torch.quint8)
    r = q.repeat(1, 1, 1)
    r.fill_(0.0)
    assert q.int_repr().any() and not np.array_equal(q.int_repr(), r.int_repr())


# --------------------------------------------------------------- empty_like
@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
def test_empty_like(dtype, torch_dtype):
    q, t = per_tensor(dtype, torch_dtype)
    qc, tc = per_channel(dtype, torch_dtype, 1)
    # torch cannot transpose a per-channel tensor.
    for qv, tv in ((q, t), (q.transpose(0, 1), t.transpose(0, 1)), (qc, tc)):
        e, te = qtensor.empty_like(qv), torch.empty_like(tv)
        assert tuple(e.shape) == tuple(te.shape) and e.dtype.name == str(te.dtype)[6:]
        assert not e.int_repr().any()
        # torch's integers are uninitialised: compare parameters only.
        assert_same(e, torch_with_ints(te, torch.zeros_like(te.int_repr())))


def torch_with_ints(t, ints):
    if t.qscheme() == torch.per_tensor_affine:
        return torch._make_per_tensor_quantized_tensor(ints, t.q_scale(), t.q_zero_point())
    return torch._make_per_channel_quantized_tensor(ints, t.q_per_channel_scales(),
                                                    t.q_per_channel_zero_points(),
                                                    t.q_per_channel_axis())


def test_empty_like_keeps_a_selected_channel():
    q, _ = per_channel(qtensor.qint8, torch.qint8, 0)
    row = q[2]
    e = qtensor.empty_like(row)
    e.copy_(row.dequantize())
    assert e.dequantize().tobytes() == row.dequantize().tobytes()


# --------------------------------------------- integer-array and mask indexing
KEYS = [
    ("list", lambda m: [2, 0]),
    ("negative list", lambda m: [-1, 0, -1]),
    ("empty list", lambda m: []),
    ("array", lambda m: np.array([1, 2])),
    ("torch index", lambda m: m.tensor([0, 2])),
    ("2-d array", lambda m: np.array([[0, 1], [2, 2]])),
    ("second dim", lambda m: (slice(None), [3, 1])),
    ("after an int", lambda m: (1, [3, 1])),
    ("ellipsis", lambda m: (Ellipsis, [4, 0])),
    ("row mask", lambda m: np.array([True, False, True])),
    ("torch row mask", lambda m: m.tensor([False, True, True])),
    ("mask of two dims", lambda m: np.arange(12).reshape(3, 4) % 3 == 0),
    ("mask after a slice", lambda m: (slice(None), np.array([True, False, True, True]))),
]


def torch_key(key):
    """The same key for torch: NumPy arrays as torch tensors."""
    if isinstance(key, tuple):
        return tuple(torch_key(k) for k in key)
    if isinstance(key, np.ndarray):
        return torch.from_numpy(key)
    return key


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("name,key", KEYS)
def test_array_indexing_per_tensor(dtype, torch_dtype, name, key):
    q, t = per_tensor(dtype, torch_dtype)
    expected = t[torch_key(key(torch))]
    result = q[key(torch)]
    assert_same(result, expected)
    result.fill_(0.0)  # a copy: q is unchanged
    assert_same(q, t)


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("name,key", [k for k in KEYS
                                      if k[0] not in ("mask of two dims", "ellipsis")])
def test_array_indexing_per_channel(dtype, torch_dtype, name, key):
    # The channel axis (2) is never the indexed one: the result stays per
    # channel along the same dims, each element with its own channel.
    q, t = per_channel(dtype, torch_dtype, 2)
    with pytest.raises(RuntimeError):
        t[torch_key(key(torch))]
    ints = t.int_repr()[torch_key(key(torch))]
    axis = ints.dim() - 1
    expected = _from_ints(ints, t.q_per_channel_scales(), t.q_per_channel_zero_points(), axis,
                          torch_dtype)
    assert_same(q[key(torch)], expected)


def test_array_indexing_along_the_channel_axis():
    q, t = per_channel(qtensor.quint8, torch.quint8, 1)
    result = q[:, [3, 0, 3]]
    i = torch.tensor([3, 0, 3])
    expected = _from_ints(t.int_repr()[:, i], t.q_per_channel_scales()[i],
                          t.q_per_channel_zero_points()[i], 1, torch.quint8)
    assert_same(result, expected)


# ------------------------------------------------ assignment and masked_fill_
VALUES = [
    ("scalar", lambda shape: 0.5),
    ("row", lambda shape: floats(*shape[1:], seed=4)),
    ("full", lambda shape: floats(*shape, seed=5)),
    ("leading one", lambda shape: floats(1, *shape, seed=6)),
]
ASSIGN_KEYS = [k for k in KEYS if k[0] not in ("2-d array", "negative list")] + [
    ("repeated", lambda m: [1, 1]),
]


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("name,key", ASSIGN_KEYS)
@pytest.mark.parametrize("value_name,value", VALUES)
def test_assignment_per_tensor(dtype, torch_dtype, name, key, value_name, value):
    q, t = per_tensor(dtype, torch_dtype)
    shape = tuple(t[torch_key(key(torch))].shape)
    v = value(shape)
    t[torch_key(key(torch))] = torch.tensor(v) if isinstance(v, np.ndarray) else v
    q[key(torch)] = v
    assert_same(q, t)


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("name,key", [k for k in ASSIGN_KEYS
                                      if k[0] not in ("mask of two dims", "ellipsis")])
def test_assignment_per_channel(dtype, torch_dtype, name, key):
    # Reference: the same values written row by row through basic indexing,
    # which quantizes each element with its own channel's parameters.
    q, _ = per_channel(dtype, torch_dtype, 1)
    reference = q.clone()
    positions = torch.arange(12).reshape(3, 4)[torch_key(key(torch))].numpy()
    v = floats(*positions.shape, 5, seed=7)
    q[key(torch)] = v
    for value, position in zip(v.reshape(-1, 5), np.asarray(positions).reshape(-1)):
        reference[int(position) // 4, int(position) % 4] = value
    np.testing.assert_array_equal(q.int_repr(), reference.int_repr())


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
def test_assignment_through_a_mask_not_viewable_as_one_dim(dtype, torch_dtype):
    q, t = per_tensor(dtype, torch_dtype)
    q, t = q.transpose(0, 1), t.transpose(0, 1)
    mask = np.arange(12).reshape(4, 3) % 2 == 0
    v = floats(int(mask.sum()), 5, seed=8)
    q[mask] = v
    t[torch.from_numpy(mask)] = torch.from_numpy(v)
    assert_same(q, t)


def test_assigning_a_quantized_tensor_assigns_its_values():
    # torch refuses a quantized value ("should not be quantized"); qtensor
    # requantizes its values, as q[0] = tensor does.
    q, _ = per_tensor(qtensor.qint8, torch.qint8)
    expected = q.clone()
    value = qtensor.quantize_per_tensor(floats(2, 4, 5, seed=13), 0.2, -3, qtensor.qint8)
    q[[2, 0]] = value
    expected[[2, 0]] = value.dequantize()
    np.testing.assert_array_equal(q.int_repr(), expected.int_repr())


def test_a_mask_over_a_channel_dim_and_others():
    q, _ = per_channel(qtensor.qint8, torch.qint8, 1)
    mask = np.arange(12).reshape(3, 4) % 2 == 0
    with pytest.raises(ValueError, match="indexing with an array or mask: the channel dim"):
        q[mask]
    # Assignment writes each element with its own channel's parameters.
    expected = q.clone()
    q[mask] = 1.0
    for i, j in zip(*np.nonzero(mask)):
        expected[int(i), int(j)] = 1.0
    np.testing.assert_array_equal(q.int_repr(), expected.int_repr())


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
def test_index_put_(dtype, torch_dtype):
    q, t = per_tensor(dtype, torch_dtype)
    v = floats(2, 4, 5, seed=9)
    t.index_put_((torch.tensor([2, 0]),), torch.from_numpy(v))
    assert q.index_put_((torch.tensor([2, 0]),), v) is q
    assert_same(q, t)


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("name,view", VIEWS)
@pytest.mark.parametrize("value", [1.234, -0.025, 0.075, 1e9])
def test_masked_fill_per_tensor(dtype, torch_dtype, name, view, value):
    q, t = per_tensor(dtype, torch_dtype)
    q, t = view(q), view(t)
    mask = torch.from_numpy(floats(*t.shape, seed=10) > 0)
    t.masked_fill_(mask, value)
    assert q.masked_fill_(mask, value) is q
    assert_same(q, t)
    # A mask that broadcasts, and a 0-dim value tensor.
    row_mask = torch.from_numpy(floats(t.shape[-1], seed=11) > 0)
    t.masked_fill_(row_mask, torch.tensor(-0.3))
    q.masked_fill_(row_mask.numpy(), torch.tensor(-0.3))
    assert_same(q, t)


@pytest.mark.parametrize("dtype,torch_dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, 2])
def test_masked_fill_per_channel(dtype, torch_dtype, axis):
    q, t = per_channel(dtype, torch_dtype, axis)
    mask = torch.from_numpy(floats(*SHAPE, seed=12) > 0)
    with pytest.raises(RuntimeError):
        t.clone().masked_fill_(mask, 0.77)
    # torch's quantization of the value with each channel's parameters.
    filled = torch.quantize_per_channel(torch.full(SHAPE, 0.77), t.q_per_channel_scales(),
                                        t.q_per_channel_zero_points(), axis, torch_dtype)
    expected = torch.where(mask, filled.int_repr(), t.int_repr())
    q.masked_fill_(mask, 0.77)
    np.testing.assert_array_equal(q.int_repr(), expected.numpy())


# ------------------------------------------------------------------- errors
def test_bad_indices():
    q, t = per_tensor(qtensor.quint8, torch.quint8)
    with pytest.raises(IndexError, match="out of bounds"):
        q[[0, 3]]
    with pytest.raises(IndexError):
        t[[0, 3]]
    with pytest.raises(IndexError, match="out of bounds"):
        q[:, [-5]]
    with pytest.raises(IndexError, match="float"):
        q[np.array([0.0, 1.0])]
    with pytest.raises(IndexError):
        t[torch.tensor([0.0, 1.0])]
    with pytest.raises(IndexError, match="mask"):
        q[np.array([True, False])]
    with pytest.raises(IndexError):
        t[torch.tensor([True, False])]
    with pytest.raises(IndexError, match="one integer array"):
        q[[0, 1], [1, 2]]
    with pytest.raises(IndexError, match="out of bounds"):
        q[[0, 3]] = 1.0
    with pytest.raises(ValueError, match="broadcast"):
        q[[0, 1]] = np.ones((3, 4, 5))


def test_bad_index_select():
    q, t = per_tensor(qtensor.qint8, torch.qint8)
    with pytest.raises(IndexError, match="out of range"):
        q.index_select(1, [4])
    with pytest.raises(IndexError, match="out of range"):
        q.index_select(1, [-1])  # as torch's index_select
    with pytest.raises(RuntimeError):
        t.index_select(1, torch.tensor([-1]))
    with pytest.raises(TypeError, match="float"):
        q.index_select(1, np.array([1.0]))
    with pytest.raises(TypeError, match="bool"):
        q.index_select(1, np.array([True]))
    with pytest.raises(IndexError, match="vector"):
        q.index_select(1, [[1]])
    with pytest.raises(IndexError, match="dimension out of range"):
        q.index_select(3, [0])
    with pytest.raises(IndexError):
        t.index_select(3, torch.tensor([0]))


def test_bad_masked_fill_and_repeat():
    q, _ = per_tensor(qtensor.qint8, torch.qint8)
    before = q.int_repr().copy()
    with pytest.raises(ValueError, match="broadcast"):
        q.masked_fill_(np.ones((2, 5), dtype=bool), 1.0)
    with pytest.raises(TypeError, match="boolean"):
        q.masked_fill_(np.ones(SHAPE, dtype=np.int64), 1.0)
    with pytest.raises(ValueError, match="0-dimensional"):
        q.masked_fill_(np.ones(SHAPE, dtype=bool), np.ones(2))
    with pytest.raises(ValueError, match="rank"):
        q.repeat(2, 2)
    with pytest.raises(ValueError, match="non-negative"):
        q.repeat(1, -1, 1)
    with pytest.raises(TypeError):
        q.index_put_([0], 1.0)
    np.testing.assert_array_equal(q.int_repr(), before)


def test_per_block_tensors_are_refused_where_parameters_follow_positions():
    q = qtensor.quantize_per_block(floats(4, 4), np.full(8, 0.1), np.zeros(8, np.int64), 1, 2,
                                   qtensor.qint8)
    with pytest.raises(TypeError, match="per-block"):
        q.index_select(0, [1])
    e = qtensor.empty_like(q)
    assert e.qscheme() == qtensor.per_block_affine and not e.int_repr().any()
    q.masked_fill_(np.eye(4, dtype=bool), 0.5)
    np.testing.assert_array_equal(np.diag(q.int_repr()), [5, 5, 5, 5])


def test_float_qparams_channels_are_picked_with_their_float_zero_points():
    x = floats(4, 3)
    t = torch.quantize_per_channel(torch.from_numpy(x), torch.tensor([0.1, 0.2, 0.3, 0.4]),
                                   torch.tensor([0.5, -1.25, 2.0, 0.0]), 0, torch.quint8)
    q = qtensor.from_torch(t)
    result = q.index_select(0, [3, 1])
    i = torch.tensor([3, 1])
    np.testing.assert_array_equal(result.int_repr(), t.int_repr()[i].numpy())
    assert result.dequantize().tobytes() == t.dequantize()[i].numpy().tobytes()
    np.testing.assert_array_equal(result.q_per_channel_scales(),
                                  t.q_per_channel_scales()[i].numpy())
    np.testing.assert_array_equal(result.q_per_channel_zero_points(),
                                  t.q_per_channel_zero_points()[i].numpy())
    assert result.qscheme() == qtensor.per_channel_affine_float_qparams

"""view, reshape, flatten, squeeze, unsqueeze and None indexing against
PyTorch 1.13: integers, dequantized values bit for bit, parameters, shapes,
strides, shared storage, and errors."""

import numpy as np
import pytest
import torch

import qtensor

from torch_pairs import DTYPES, assert_parameters_same, assert_values_same, pair


def per_tensor(shape, dtype, torch_dtype, seed=0):
    return pair(shape, dtype, torch_dtype, seed=seed)


def per_channel(shape, axis, dtype, torch_dtype, seed=0):
    return pair(shape, dtype, torch_dtype, axis, seed)


def assert_same(q, t, strides=True):
    """q (qtensor) holds what t (torch) holds, bit for bit; strides=True
    compares every stride, "sized" those of dims larger than 1 (qtensor's
    slices give a dim they leave with one index stride 1 in its base dim)."""
    assert_values_same(q, t)
    if strides == "sized":
        assert [s for s, n in zip(q.stride(), q.shape) if n > 1] == \
            [s for s, n in zip(t.stride(), t.shape) if n > 1]
    elif strides:
        assert q.stride() == t.stride()
    assert_parameters_same(q, t)
    if t.qscheme() == torch.per_tensor_affine:
        assert repr(q) == repr(t).replace("torch.", "qtensor.")


def torch_shares(result, source):
    """Whether torch's result is a view of source's storage."""
    return result.storage().data_ptr() == source.storage().data_ptr()


# Views and the base views they start from; each as (name, function), the
# same function applied to a qtensor and to a torch tensor.
BASES = [
    ("contiguous", lambda a: a),
    ("transposed", lambda a: a.transpose(0, 2)),
    ("stepped", lambda a: a[:, ::2]),
    ("reversed", lambda a: a[1:]),
    ("one row", lambda a: a[1:2]),
    ("empty", lambda a: a[:, 3:]),
]

SHAPE_VIEWS = [
    ("view(-1)", lambda a: a.view(-1)),
    ("view(4, -1)", lambda a: a.view(4, -1)),
    ("view(-1, 2)", lambda a: a.view(-1, 2)),
    ("view(1, -1, 1)", lambda a: a.view(1, -1, 1)),
    ("view(shape)", lambda a: a.view(tuple(a.shape))),
    ("view(split)", lambda a: a.view(a.shape[0], a.shape[1], a.shape[2] // 2, -1)
     if a.shape[2] % 2 == 0 else a.view(a.shape)),
    ("reshape(-1)", lambda a: a.reshape(-1)),
    ("reshape(2, -1)", lambda a: a.reshape(2, -1) if a.numel() % 2 == 0 else a.reshape(-1)),
    ("reshape([list])", lambda a: a.reshape([a.shape[0], -1])),
    ("flatten()", lambda a: a.flatten()),
    ("flatten(1)", lambda a: a.flatten(1)),
    ("flatten(0, 1)", lambda a: a.flatten(0, 1)),
    ("flatten(-2, -1)", lambda a: a.flatten(-2, -1)),
    ("flatten(1, 1)", lambda a: a.flatten(1, 1)),
    ("unsqueeze(0)", lambda a: a.unsqueeze(0)),
    ("unsqueeze(2)", lambda a: a.unsqueeze(2)),
    ("unsqueeze(-1)", lambda a: a.unsqueeze(-1)),
    ("unsqueeze(-4)", lambda a: a.unsqueeze(-4)),
    ("squeeze()", lambda a: a.squeeze()),
    ("squeeze(0)", lambda a: a.squeeze(0)),
    ("squeeze(-2)", lambda a: a.squeeze(-2)),
    ("unsqueeze(1).squeeze(1)", lambda a: a.unsqueeze(1).squeeze(1)),
    ("unsqueeze(1).view", lambda a: a.unsqueeze(1).view(-1, a.shape[-1])),
    ("[None]", lambda a: a[None]),
    ("[:, None]", lambda a: a[:, None]),
    ("[..., None]", lambda a: a[..., None]),
    ("[None, ..., None]", lambda a: a[None, ..., None]),
    ("[0, None, 1:]", lambda a: a[0, None, 1:]),
    ("[None, :, None, ::2]", lambda a: a[None, :, None, ::2]),
]


def torch_or_error(function, tensor):
    try:
        return function(tensor)
    except RuntimeError as error:
        return error


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("base_name, base", BASES)
@pytest.mark.parametrize("name, shape_view", SHAPE_VIEWS)
def test_per_tensor_against_torch(dtype, torch_dtype, base_name, base, name, shape_view):
    q0, t0 = per_tensor((3, 4, 6), dtype, torch_dtype)
    q, t = base(q0), base(t0)
    expected = torch_or_error(shape_view, t)
    if isinstance(expected, RuntimeError):
        with pytest.raises(RuntimeError) as raised:
            shape_view(q)
        assert str(raised.value) == str(expected).splitlines()[0]
        assert isinstance(raised.value, qtensor.ShapeViewError)
        return
    result = shape_view(q)
    full = base_name in ("contiguous", "transposed")
    assert_same(result, expected, strides=(full or "sized") if result.numel() > 0 else False)
    assert result.shares_storage_with(q0) == torch_shares(expected, t0)
    if result.shares_storage_with(q0):  # a write reaches those base elements
        positions = shape_view(base(torch.arange(t0.numel()).reshape(t0.shape)))
        ints = q0.int_repr().copy().reshape(-1)
        ints[positions.reshape(-1).numpy()] = torch.quantize_per_tensor(
            torch.tensor([1.25]), 0.05, 3, torch_dtype).int_repr().item()
        result.fill_(1.25)
        np.testing.assert_array_equal(q0.int_repr().reshape(-1), ints)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_writing_through_a_shape_view_changes_the_base(dtype, torch_dtype):
    q, t = per_tensor((2, 3, 4), dtype, torch_dtype)
    flat_q, flat_t = q.view(-1), t.view(-1)
    flat_q[5] = 1.5
    flat_t[5] = 1.5
    q.unsqueeze(0)[0, 1, 2] = -0.35
    t.unsqueeze(0)[0, 1, 2] = -0.35
    q.transpose(0, 1).reshape(3, 8)[2] = 0.6  # a view: (3, 2, 4) -> (3, 8)
    t.transpose(0, 1).reshape(3, 8)[2] = 0.6
    q[None, 1] = 0.25
    t[None, 1] = 0.25
    assert_same(q, t)
    copy = q.transpose(0, 2).reshape(-1)  # a copy: writing to it leaves q alone
    copy.fill_(0.0)
    assert_same(q, t)


# Per-channel cases where torch 1.13 keeps the right channel axis (the axis
# dim's position does not change, or unsqueeze/squeeze moves it).
PER_CHANNEL_AGREE = [
    ("flatten(1) of a conv weight", (4, 2, 3, 3), 0, lambda a: a.flatten(1)),
    ("view(4, -1)", (4, 2, 3, 3), 0, lambda a: a.view(4, -1)),
    ("reshape split after the axis", (2, 3, 4), 1, lambda a: a.reshape(2, 3, 2, 2)),
    ("view merge after the axis", (2, 3, 2, 2), 1, lambda a: a.view(2, 3, 4)),
    ("unsqueeze(0)", (2, 3, 4), 1, lambda a: a.unsqueeze(0)),
    ("unsqueeze(2)", (2, 3, 4), 1, lambda a: a.unsqueeze(2)),
    ("unsqueeze(-1)", (2, 3, 4), 2, lambda a: a.unsqueeze(-1)),
    ("[None]", (2, 3, 4), 1, lambda a: a[None]),
    ("[:, None]", (2, 3, 4), 1, lambda a: a[:, None]),
    ("[..., None]", (2, 3, 4), 1, lambda a: a[..., None]),
    ("squeeze() around the axis", (1, 3, 1, 4), 1, lambda a: a.squeeze()),
    ("squeeze(0)", (1, 3, 4), 1, lambda a: a.squeeze(0)),
    ("squeeze(2) after the axis", (3, 4, 1), 0, lambda a: a.squeeze(2)),
    ("stepped slice then flatten(1)", (4, 3, 4), 0, lambda a: a[:, ::2].flatten(1)),
    ("flatten(1) of a stepped view copies", (4, 3, 4), 0, lambda a: a[:, :, ::2].flatten(1)),
    ("empty", (0, 3, 4), 1, lambda a: a.view(0, 3, 2, 2)),
]


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
@pytest.mark.parametrize("name, shape, axis, shape_view", PER_CHANNEL_AGREE)
def test_per_channel_against_torch(dtype, torch_dtype, name, shape, axis, shape_view):
    q0, t0 = per_channel(shape, axis, dtype, torch_dtype)
    result, expected = shape_view(q0), shape_view(t0)
    assert_same(result, expected, strides=result.numel() > 0)
    assert result.shares_storage_with(q0) == torch_shares(expected, t0)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_per_channel_axis_follows_the_dim_where_torch_keeps_the_number(dtype, torch_dtype):
    q, t = per_channel((2, 3, 4), 1, dtype, torch_dtype)
    # torch keeps axis 1 for view(1, 2, 3, 4), a dim of size 2, and cannot
    # dequantize the result; qtensor's axis is 2, as unsqueeze(0) gives it.
    broken = t.view(1, 2, 3, 4)
    assert broken.q_per_channel_axis() == 1
    with pytest.raises(RuntimeError):
        broken.dequantize()
    assert_same(q.view(1, 2, 3, 4), t.unsqueeze(0))
    assert_same(q.reshape(2, 1, 3, 4), t.unsqueeze(1))
    # (4, 2) with axis 1 viewed as (2, 2, 2): torch keeps axis 1 and
    # dequantizes every element with the wrong channel's parameters.
    q2, t2 = per_channel((4, 2), 1, dtype, torch_dtype)
    wrong = t2.view(2, 2, 2)
    assert wrong.q_per_channel_axis() == 1
    right = q2.view(2, 2, 2)
    assert right.q_per_channel_axis() == 2
    assert right.dequantize().tobytes() == t2.dequantize().numpy().reshape(2, 2, 2).tobytes()
    assert wrong.dequantize().numpy().tobytes() != right.dequantize().tobytes()


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_per_channel_merged_or_split_channel_dim_is_refused(dtype, torch_dtype):
    q, _ = per_channel((2, 3, 4), 1, dtype, torch_dtype)
    for shape_view in [lambda a: a.view(2, 12), lambda a: a.flatten(), lambda a: a.flatten(0, 1),
                       lambda a: a.reshape(2, 12), lambda a: a.view(2, 3, 4)[:, ::2].reshape(-1)]:
        with pytest.raises(RuntimeError, match="channel dim"):
            shape_view(q)
        with pytest.raises(qtensor.InvalidShapeError):
            shape_view(q)
    q6, _ = per_channel((6, 2), 0, dtype, torch_dtype)
    with pytest.raises(ValueError, match="merged with or split"):
        q6.view(2, 3, 2)


@pytest.mark.parametrize("dtype, torch_dtype", DTYPES)
def test_squeezing_a_size_one_channel_dim_selects_that_channel(dtype, torch_dtype):
    q, t = per_channel((2, 1, 4), 1, dtype, torch_dtype)
    with pytest.raises(RuntimeError, match="Squeeze is only possible on non-axis dimension"):
        t.squeeze()
    squeezed = q.squeeze()
    assert squeezed.qscheme() == qtensor.per_tensor_affine
    assert squeezed.q_scale() == q.q_per_channel_scales()[0]
    assert squeezed.q_zero_point() == q.q_per_channel_zero_points()[0]
    assert squeezed.dequantize().tobytes() == q.dequantize().reshape(2, 4).tobytes()
    assert q.squeeze(1).dequantize().tobytes() == q.select(1, 0).dequantize().tobytes()
    # A size-1 channel dim that a view keeps stays the channel dim.
    kept = q.view(1, 2, 1, 4)
    assert kept.q_per_channel_axis() == 2
    assert kept.q_per_channel_scales().tolist() == q.q_per_channel_scales().tolist()


def test_zero_size_dims_against_torch():
    q, t = per_tensor((0, 3), qtensor.qint8, torch.qint8)
    for shape_view in [lambda a: a.view(3, 0), lambda a: a.view(-1), lambda a: a.view(0, 3),
                       lambda a: a.reshape(-1, 3, 1), lambda a: a.flatten(),
                       lambda a: a.unsqueeze(1), lambda a: a.squeeze(), lambda a: a[None]]:
        result, expected = shape_view(q), shape_view(t)
        assert tuple(result.shape) == tuple(expected.shape)
        assert result.stride() == expected.stride()
        assert result.shares_storage_with(q)
    with pytest.raises(RuntimeError) as raised:
        t.view(0, -1)
    with pytest.raises(RuntimeError) as ours:
        q.view(0, -1)
    assert str(ours.value) == str(raised.value).splitlines()[0]


def test_zero_dim_tensors_against_torch():
    q = qtensor.quantize_per_tensor(np.array(1.5, dtype=np.float32), 0.5, 0, qtensor.qint8)
    t = torch.quantize_per_tensor(torch.tensor(1.5), 0.5, 0, torch.qint8)
    for shape_view in [lambda a: a.view(1), lambda a: a.view(-1), lambda a: a.view(1, 1),
                       lambda a: a.reshape(()), lambda a: a.flatten(), lambda a: a.unsqueeze(0),
                       lambda a: a.unsqueeze(-1), lambda a: a.squeeze(), lambda a: a.squeeze(0),
                       lambda a: a[None], lambda a: a[..., None]]:
        assert_same(shape_view(q), shape_view(t))


def test_module_functions_against_torch():
    q, t = per_tensor((2, 1, 3), qtensor.quint8, torch.quint8)
    assert_same(qtensor.reshape(q, (3, 2)), torch.reshape(t, (3, 2)))
    assert_same(qtensor.flatten(q), torch.flatten(t))
    assert_same(qtensor.flatten(q, 1), torch.flatten(t, 1))
    assert_same(qtensor.flatten(q, start_dim=0, end_dim=1), torch.flatten(t, 0, 1))
    assert_same(qtensor.squeeze(q), torch.squeeze(t))
    assert_same(qtensor.squeeze(q, 1), torch.squeeze(t, 1))
    assert_same(qtensor.unsqueeze(q, 3), torch.unsqueeze(t, 3))


BAD = [
    ("two -1s", lambda a: a.view(-1, -1), RuntimeError),
    ("size below -1", lambda a: a.view(-2, 12), RuntimeError),
    ("wrong numel", lambda a: a.view(5, 5), RuntimeError),
    ("wrong numel with -1", lambda a: a.view(5, -1), RuntimeError),
    ("reshape wrong numel", lambda a: a.reshape(7), RuntimeError),
    ("not viewable", lambda a: a.transpose(0, 1).view(-1), RuntimeError),
    ("flatten start after end", lambda a: a.flatten(2, 1), RuntimeError),
    ("flatten dim out of range", lambda a: a.flatten(0, 3), IndexError),
    ("unsqueeze out of range", lambda a: a.unsqueeze(4), IndexError),
    ("unsqueeze out of range below", lambda a: a.unsqueeze(-5), IndexError),
    ("squeeze out of range", lambda a: a.squeeze(3), IndexError),
    ("None index too many", lambda a: a[None, 0, 0, 0, 0], IndexError),
]


@pytest.mark.parametrize("name, bad, error", BAD)
def test_bad_input_raises_what_torch_raises(name, bad, error):
    q, t = per_tensor((2, 3, 4), qtensor.qint8, torch.qint8)
    with pytest.raises(error) as expected:
        bad(t)
    with pytest.raises(error) as raised:
        bad(q)
    torch_message = str(expected.value).splitlines()[0]
    if error is IndexError and "Dimension out of range" in torch_message:
        assert str(raised.value).lower() == torch_message.lower()
    elif "too many indices" not in torch_message:
        assert str(raised.value) == torch_message


def test_shape_arguments():
    q, _ = per_tensor((2, 3, 4), qtensor.qint8, torch.qint8)
    assert q.view(np.int64(6), 4).shape == (6, 4)
    assert q.view([6, 4]).shape == q.view((6, 4)).shape == q.view(q.view(6, 4).shape).shape
    with pytest.raises(TypeError):
        q.view(2.0, 12)
    with pytest.raises(TypeError):
        q.view("ab")
    with pytest.raises(qtensor.Error):
        q.view([1] * 65)


def random_target(rng, shape):
    """A random shape with the same element count: sizes merged, split by a
    divisor, size-1 dims added or dropped, maybe one -1."""
    shape = list(shape)
    for _ in range(rng.integers(1, 4)):
        kind = rng.integers(0, 4)
        if kind == 0 and len(shape) >= 2:
            d = rng.integers(0, len(shape) - 1)
            shape[d:d + 2] = [shape[d] * shape[d + 1]]
        elif kind == 1 and shape:
            d = rng.integers(0, len(shape))
            divisors = [k for k in range(2, shape[d]) if shape[d] % k == 0]
            if divisors:
                k = int(rng.choice(divisors))
                shape[d:d + 1] = [k, shape[d] // k]
        elif kind == 2 and len(shape) < 6:
            shape.insert(int(rng.integers(0, len(shape) + 1)), 1)
        elif shape:
            d = rng.integers(0, len(shape))
            if shape[d] == 1:
                del shape[d]
    if shape and 0 not in shape and rng.integers(0, 3) == 0:
        shape[rng.integers(0, len(shape))] = -1
    return shape


def test_random_layouts_view_as_torch_views_them():
    """Random chains of transposes, slices, selects and unsqueezes, then a
    random view: qtensor views exactly where torch does, with torch's
    strides for every dim larger than 1, and reshape agrees too."""
    rng = np.random.default_rng(5)
    viewed = refused = 0
    for trial in range(1000):
        shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(2, 5)))
        q, t = per_tensor(shape, qtensor.qint8, torch.qint8, seed=trial)
        for _ in range(rng.integers(1, 5)):
            kind = rng.integers(0, 4)
            d = int(rng.integers(0, t.dim()))
            if kind == 0:
                e = int(rng.integers(0, t.dim()))
                q, t = q.transpose(d, e), t.transpose(d, e)
            elif kind == 1:
                start, step = int(rng.integers(0, 2)), int(rng.integers(1, 3))
                q, t = q[(slice(None),) * d + (slice(start, None, step),)], \
                    t[(slice(None),) * d + (slice(start, None, step),)]
            elif kind == 2 and t.dim() > 1 and t.shape[d] > 0:
                q, t = q.select(d, 0), t.select(d, 0)
            else:
                q, t = q.unsqueeze(d), t.unsqueeze(d)
        target = random_target(rng, t.shape)
        try:
            expected = t.view(target)
        except RuntimeError as error:
            refused += 1
            with pytest.raises(RuntimeError) as raised:
                q.view(target)
            assert str(raised.value) == str(error).splitlines()[0], (shape, target)
            copy, torch_copy = q.reshape(target), t.reshape(target)
            assert_same(copy, torch_copy)
            assert not copy.shares_storage_with(q)
            continue
        viewed += 1
        result = q.view(target)
        assert_same(result, expected, strides="sized")
        assert result.shares_storage_with(q)
        assert q.reshape(target).shares_storage_with(q)
    assert viewed > 300 and refused > 30

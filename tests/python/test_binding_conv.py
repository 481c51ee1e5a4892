"""qtensor.ops.quantized.conv2d_prepack / conv2d / conv2d_relu /
conv2d_unpack and linear_dynamic: PyTorch 1.13's integers for the C ABI
test's small convolution, linear_dynamic's float bits, the settings, weight
and bias read back, bad input raising the right error class, and the same
integers (conv2d) and float bits (linear_dynamic) as torch's qnnpack engine
on random layers."""

import numpy as np
import pytest

import qtensor
from qnnpack_weights import weight_pair

quantized = qtensor.ops.quantized

CONV_INPUT = (7 * np.arange(32)).astype(np.uint8).reshape(1, 2, 4, 4)
CONV_WEIGHT = ((37 * np.arange(54)) % 255 - 127).astype(np.int8).reshape(3, 2, 3, 3)
CONV_BIAS = np.array([0.25, -0.5, 1.0], dtype=np.float32)
CONV_PLAIN = [68, 40, 12, 0, 157, 195, 61, 144, 80, 112, 157, 206]
CONV_RELU = [128, 128, 128, 128, 157, 195, 128, 144, 128, 128, 157, 206]

# tests/c/test_linear.c's layer and qnnpack's floats for linear_dynamic.
LINEAR_WEIGHT = np.array([[1, -2, 3], [127, -128, 0], [5, 5, 5], [-7, 0, 9]], dtype=np.int8)
LINEAR_BIAS = np.array([0.5, -1.0, 0.0, 2.25], dtype=np.float32)
DYNAMIC_INPUT = np.array([[0.5, -1.25, 3.0], [2.0, 0.0, -0.75]], dtype=np.float32)
DYNAMIC_BITS = [0x3f3d70a4, 0x405e147a, 0x3e666666, 0x402e147b,
                0x3efd70a4, 0x40828f5c, 0x3e000000, 0x3feae148]


def conv_input():
    return qtensor.make_per_tensor_quantized_tensor(CONV_INPUT, 0.05, 20)


def conv_weight():
    return qtensor.make_per_tensor_quantized_tensor(CONV_WEIGHT, 0.01, 0)


def small_conv():
    return quantized.conv2d_prepack(conv_weight(), CONV_BIAS, [2, 2], [1, 1], [1, 1], 1)


def linear_packed():
    weight = qtensor.make_per_tensor_quantized_tensor(LINEAR_WEIGHT, 0.02, 0)
    return quantized.linear_prepack(weight, LINEAR_BIAS)


def test_the_small_convolution_gives_pytorchs_integers():
    packed = small_conv()
    y = quantized.conv2d(conv_input(), packed, 0.1, 128)
    assert y.dtype is qtensor.quint8 and y.shape == (1, 3, 2, 2)
    assert (y.q_scale(), y.q_zero_point()) == (0.1, 128)
    assert y.int_repr().flatten().tolist() == CONV_PLAIN
    relu = quantized.conv2d_relu(conv_input(), packed, 0.1, 128)
    assert relu.int_repr().flatten().tolist() == CONV_RELU


def test_settings_may_be_ints_or_pairs():
    packed = quantized.conv2d_prepack(conv_weight(), CONV_BIAS, 2, 1, 1, 1)
    y = quantized.conv2d(conv_input(), packed, 0.1, 128)
    assert y.int_repr().flatten().tolist() == CONV_PLAIN
    mixed = quantized.conv2d_prepack(conv_weight(), None, (2, 1), [0, 1], (1, 2), 1)
    assert (mixed.stride(), mixed.padding(), mixed.dilation(), mixed.groups()) == \
        ([2, 1], [0, 1], [1, 2], 1)
    assert quantized.conv2d(conv_input(), mixed, 0.1, 128).shape == (1, 3, 1, 2)


def test_the_packed_weight_bias_and_settings_read_back():
    weight = conv_weight()
    packed = small_conv()
    weight.fill_(0.0)  # the packed params hold a copy
    assert (packed.stride(), packed.padding(), packed.dilation(), packed.groups()) == \
        ([2, 2], [1, 1], [1, 1], 1)
    back, bias = quantized.conv2d_unpack(packed)
    assert back.dtype is qtensor.qint8 and back.shape == (3, 2, 3, 3)
    assert back.int_repr().tolist() == CONV_WEIGHT.tolist()
    assert (back.q_scale(), back.q_zero_point()) == (0.01, 0)
    assert bias.dtype == np.float32 and bias.tolist() == CONV_BIAS.tolist()
    assert packed.weight().int_repr().tolist() == CONV_WEIGHT.tolist()
    assert packed.bias().tolist() == CONV_BIAS.tolist()
    assert quantized.conv2d_prepack(conv_weight()).bias() is None
    assert repr(packed) == \
        "Conv2dPackedParams(stride=[2, 2], padding=[1, 1], dilation=[1, 1], groups=1)"


def test_bad_convolutions_raise_the_library_error_class():
    w, x = conv_weight(), conv_input()
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.conv2d_prepack(w, CONV_BIAS, 0, 1, 1, 1)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.conv2d_prepack(w, CONV_BIAS, 1, [-1, 0], 1, 1)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.conv2d_prepack(w, CONV_BIAS, 1, 0, 0, 1)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.conv2d_prepack(w, CONV_BIAS, 1, 0, 1, 2)  # 2 does not divide 3
    with pytest.raises(qtensor.InvalidArgumentError, match="2 values"):
        quantized.conv2d_prepack(w, CONV_BIAS, [1, 1, 1], 0, 1, 1)
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.conv2d_prepack(w, CONV_BIAS[:2])
    with pytest.raises(qtensor.ShapeMismatchError, match="0 values"):
        quantized.conv2d_prepack(w, [])
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.conv2d_prepack(w.flatten())
    with pytest.raises(qtensor.InvalidArgumentError, match="finite"):
        quantized.conv2d_prepack(w, [0.0, float("nan"), 0.0])
    with pytest.raises(qtensor.TypeMismatchError):
        quantized.conv2d_prepack(qtensor.make_per_tensor_quantized_tensor(
            CONV_WEIGHT.view(np.uint8), 0.01, 0))
    packed = small_conv()
    three_channels = qtensor.make_per_tensor_quantized_tensor(
        np.zeros((1, 3, 4, 4), dtype=np.uint8), 0.05, 20)
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.conv2d(three_channels, packed, 0.1, 128)
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.conv2d(x.flatten(), packed, 0.1, 128)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.conv2d(x, packed, 0.0, 128)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.conv2d_relu(x, packed, 0.1, 256)
    with pytest.raises(TypeError, match="conv2d_prepack"):
        quantized.conv2d(x, linear_packed(), 0.1, 128)
    with pytest.raises(TypeError, match="linear_prepack"):
        quantized.linear(x, packed, 0.1, 128)
    with pytest.raises(TypeError):
        quantized.conv2d_unpack(None)
    with pytest.raises(TypeError):
        qtensor.Conv2dPackedParams()


def test_linear_dynamic_gives_qnnpacks_float_bits():
    y = quantized.linear_dynamic(DYNAMIC_INPUT, linear_packed())
    assert y.dtype == np.float32 and y.shape == (2, 4)
    assert y.flatten().view(np.uint32).tolist() == DYNAMIC_BITS
    leading = quantized.linear_dynamic(DYNAMIC_INPUT.reshape(1, 2, 3).tolist(), linear_packed())
    assert leading.shape == (1, 2, 4)
    assert leading.flatten().view(np.uint32).tolist() == DYNAMIC_BITS


def test_linear_dynamic_refuses_bad_input():
    packed = linear_packed()
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.linear_dynamic(np.array([[0.5, np.nan, 3.0]]), packed)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.linear_dynamic(np.array([[0.5, np.inf, 3.0]]), packed)
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.linear_dynamic(DYNAMIC_INPUT.T, packed)
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.linear_dynamic(np.float32(1.0), packed)
    with pytest.raises(TypeError):
        quantized.linear_dynamic(DYNAMIC_INPUT, packed, reduce_range="yes")
    with pytest.raises(TypeError, match="linear_prepack"):
        quantized.linear_dynamic(DYNAMIC_INPUT, small_conv())


def _pair(value):
    return list(value) if isinstance(value, tuple) else [value, value]


def _torch_qnnpack():
    torch = pytest.importorskip("torch")
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "qnnpack"
    return torch, previous


# (N, C, H, W, out_channels, kH, kW, stride, padding, dilation, groups)
CONV_CASES = [
    (1, 2, 4, 4, 3, 3, 3, 2, 1, 1, 1),
    (2, 3, 9, 7, 5, 3, 2, 1, 0, 1, 1),
    (1, 4, 11, 10, 6, 3, 3, (2, 3), (1, 2), 1, 2),
    (2, 8, 7, 7, 8, 3, 3, 1, 1, 1, 8),
    (1, 6, 12, 12, 12, 5, 5, 2, 2, 2, 6),
    (1, 16, 6, 5, 4, 1, 1, 1, 0, 1, 1),
]


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("case", CONV_CASES)
def test_random_convolutions_match_torch_qnnpack(case, per_channel):
    n, c, h, w_, out_c, kh, kw, stride, padding, dilation, groups = case
    rng = np.random.default_rng(CONV_CASES.index(case) * 2 + per_channel)
    ints = rng.integers(0, 256, size=(n, c, h, w_), dtype=np.uint8)
    weight_ints = rng.integers(-128, 128, size=(out_c, c // groups, kh, kw), dtype=np.int8)
    bias = rng.normal(0, 2, size=out_c).astype(np.float32)
    x_scale, x_zero = float(rng.uniform(0.005, 0.1)), int(rng.integers(0, 256))
    out_scale, out_zero = float(rng.uniform(0.05, 0.5)), int(rng.integers(0, 256))
    torch, previous = _torch_qnnpack()
    try:
        x = qtensor.make_per_tensor_quantized_tensor(ints, x_scale, x_zero)
        tx = torch._make_per_tensor_quantized_tensor(torch.from_numpy(ints), x_scale, x_zero)
        w, tw = weight_pair(torch, weight_ints, per_channel, rng)
        packed = quantized.conv2d_prepack(w, bias, stride, padding, dilation, groups)
        tpacked = torch.ops.quantized.conv2d_prepack(tw, torch.from_numpy(bias), _pair(stride),
                                                     _pair(padding), _pair(dilation), groups)
        for ours, theirs in [(quantized.conv2d, torch.ops.quantized.conv2d),
                             (quantized.conv2d_relu, torch.ops.quantized.conv2d_relu)]:
            expected = theirs(tx, tpacked, out_scale, out_zero).int_repr().numpy()
            got = ours(x, packed, out_scale, out_zero).int_repr()
            assert got.shape == expected.shape
            assert np.array_equal(got, expected), np.argwhere(got != expected)[:5]
    finally:
        torch.backends.quantized.engine = previous


@pytest.mark.parametrize("shape", [(1, 1, 1), (5, 7, 3), (2, 3, 64, 33), (65, 130, 17)])
def test_random_linear_dynamic_matches_torch_qnnpack_bits(shape):
    *leading, in_features, out_features = shape
    rng = np.random.default_rng(sum(shape) * 3)
    data = rng.normal(0, 3, size=(*leading, in_features)).astype(np.float32)
    weight_ints = rng.integers(-128, 128, size=(out_features, in_features), dtype=np.int8)
    bias = rng.normal(0, 2, size=out_features).astype(np.float32)
    torch, previous = _torch_qnnpack()
    try:
        w, tw = weight_pair(torch, weight_ints, False, rng)
        tpacked = torch.ops.quantized.linear_prepack(tw, torch.from_numpy(bias))
        expected = torch.ops.quantized.linear_dynamic(torch.from_numpy(data), tpacked,
                                                      False).numpy()
        packed = quantized.linear_prepack(w, bias)
        got = quantized.linear_dynamic(data, packed)
        assert got.dtype == np.float32 and got.shape == expected.shape
        assert np.array_equal(got.view(np.uint32), expected.view(np.uint32))
        from_torch = quantized.linear_dynamic(torch.from_numpy(data), packed)
        assert np.array_equal(from_torch.view(np.uint32), expected.view(np.uint32))
    finally:
        torch.backends.quantized.engine = previous

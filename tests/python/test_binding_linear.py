"""qtensor.ops.quantized.linear_prepack / linear / linear_relu /
linear_unpack: PyTorch 1.13's integers for a small layer (the C ABI test's),
leading dims, the packed weight and bias read back, bad input raising the
right error class, and the same integers as torch's qnnpack engine on random
layers of several shapes (per tensor and per channel)."""

import numpy as np
import pytest

import qtensor
from qnnpack_weights import weight_pair

quantized = qtensor.ops.quantized

INPUT = np.array([[0, 10, 255], [128, 7, 200]], dtype=np.uint8)
WEIGHT = np.array([[1, -2, 3], [127, -128, 0], [5, 5, 5], [-7, 0, 9]], dtype=np.int8)
BIAS = np.array([0.5, -1.0, 0.0, 2.25], dtype=np.float32)
CHANNEL_SCALES = [0.02, 0.01, 0.03, 0.005]
PLAIN = [[141, 24, 139, 251], [140, 255, 151, 204]]
RELU = [[141, 100, 139, 251], [140, 255, 151, 204]]
# qnnpack's integers (onednn gives 46 for the second: it adds the bias in
# float after scaling).
PER_CHANNEL = [[141, 45, 159, 194], [140, 255, 176, 182]]


def small_input(shape=(2, 3)):
    return qtensor.make_per_tensor_quantized_tensor(INPUT.reshape(shape), 0.05, 10)


def small_weight():
    return qtensor.make_per_tensor_quantized_tensor(WEIGHT, 0.02, 0)


def per_channel_weight():
    quantizer = qtensor.Quantizer.per_channel_affine(CHANNEL_SCALES, [0] * 4, 0, qtensor.qint8)
    return qtensor.from_int_repr(WEIGHT, quantizer)


def test_the_small_layer_gives_pytorchs_integers():
    packed = quantized.linear_prepack(small_weight(), BIAS)
    y = quantized.linear(small_input(), packed, 0.03, 100)
    assert y.dtype is qtensor.quint8 and y.shape == (2, 4)
    assert (y.q_scale(), y.q_zero_point()) == (0.03, 100)
    assert y.int_repr().tolist() == PLAIN
    assert quantized.linear_relu(small_input(), packed, 0.03, 100).int_repr().tolist() == RELU
    packed = quantized.linear_prepack(per_channel_weight(), BIAS)
    assert quantized.linear(small_input(), packed, 0.03, 100).int_repr().tolist() == PER_CHANNEL


def test_leading_dims_are_kept():
    packed = quantized.linear_prepack(small_weight(), BIAS)
    y = quantized.linear(small_input((1, 2, 3)), packed, 0.03, 100)
    assert y.shape == (1, 2, 4)
    assert y.int_repr().tolist() == [PLAIN]


def test_the_bias_may_be_a_list_or_a_torch_tensor_or_none():
    as_list = quantized.linear_prepack(small_weight(), BIAS.tolist())
    assert quantized.linear(small_input(), as_list, 0.03, 100).int_repr().tolist() == PLAIN
    torch = pytest.importorskip("torch")
    as_torch = quantized.linear_prepack(small_weight(), torch.tensor(BIAS.tolist()))
    assert quantized.linear(small_input(), as_torch, 0.03, 100).int_repr().tolist() == PLAIN
    without = quantized.linear_prepack(small_weight())
    assert quantized.linear_unpack(without)[1] is None
    zeros = quantized.linear_prepack(small_weight(), np.zeros(4, dtype=np.float32))
    no_bias = quantized.linear(small_input(), without, 0.03, 100).int_repr()
    assert no_bias.tolist() == quantized.linear(small_input(), zeros, 0.03, 100).int_repr().tolist()
    assert no_bias.tolist() != PLAIN


def test_the_packed_weight_and_bias_read_back():
    weight = small_weight()
    packed = quantized.linear_prepack(weight, BIAS)
    weight.fill_(0.0)  # the packed params hold a copy
    assert (packed.in_features, packed.out_features) == (3, 4)
    back, bias = quantized.linear_unpack(packed)
    assert back.dtype is qtensor.qint8 and back.shape == (4, 3)
    assert back.int_repr().tolist() == WEIGHT.tolist()
    assert (back.q_scale(), back.q_zero_point()) == (0.02, 0)
    assert bias.dtype == np.float32 and bias.tolist() == BIAS.tolist()
    assert packed.unpack()[0].int_repr().tolist() == WEIGHT.tolist()
    channels = quantized.linear_prepack(per_channel_weight()).unpack()[0]
    assert channels.q_per_channel_scales().tolist() == CHANNEL_SCALES
    assert repr(packed) == "LinearPackedParams(in_features=3, out_features=4)"


def test_bad_input_raises_the_library_error_class():
    x, w = small_input(), small_weight()
    packed = quantized.linear_prepack(w, BIAS)
    wrong_weight = qtensor.make_per_tensor_quantized_tensor(WEIGHT.view(np.uint8), 0.02, 0)
    with pytest.raises(qtensor.TypeMismatchError):
        quantized.linear_prepack(wrong_weight)
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.linear_prepack(w.flatten())
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.linear_prepack(w, BIAS[:3])
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.linear_prepack(w, BIAS.reshape(2, 2))
    with pytest.raises(qtensor.ShapeMismatchError, match="0 values"):
        quantized.linear_prepack(w, [])
    with pytest.raises(qtensor.InvalidArgumentError, match="finite"):
        quantized.linear_prepack(w, [0.0, float("nan"), 0.0, 0.0])
    with pytest.raises(qtensor.InvalidArgumentError, match="bias.2. is not finite"):
        quantized.linear_prepack(w, [0.0, 0.0, -float("inf"), 0.0])
    with pytest.raises(TypeError):
        quantized.linear_prepack(WEIGHT, BIAS)
    with pytest.raises(TypeError):
        quantized.linear_prepack(w, ["a", "b", "c", "d"])
    with pytest.raises(qtensor.ShapeMismatchError):
        quantized.linear(x.flatten(), packed, 0.03, 100)
    int32_input = qtensor.make_per_tensor_quantized_tensor(INPUT.astype(np.int32), 0.05, 0)
    with pytest.raises(qtensor.TypeMismatchError):
        quantized.linear(int32_input, packed, 0.03, 100)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.linear(x, packed, 0.0, 100)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.linear_relu(x, packed, 0.03, 300)
    with pytest.raises(qtensor.InvalidArgumentError):
        quantized.linear(x, packed, 0.03, 2**70)
    with pytest.raises(TypeError, match="linear_prepack"):
        quantized.linear(x, w, 0.03, 100)
    with pytest.raises(TypeError):
        quantized.linear_unpack(None)
    with pytest.raises(TypeError):
        qtensor.LinearPackedParams()


def test_a_torch_weight_is_converted_with_from_torch():
    torch = pytest.importorskip("torch")
    t_weight = torch._make_per_tensor_quantized_tensor(torch.from_numpy(WEIGHT), 0.02, 0)
    with pytest.raises(TypeError, match="from_torch"):
        quantized.linear_prepack(t_weight, BIAS)
    packed = quantized.linear_prepack(qtensor.from_torch(t_weight), BIAS)
    assert quantized.linear(small_input(), packed, 0.03, 100).int_repr().tolist() == PLAIN


def test_a_qint8_input_gives_a_qint8_result():
    x = qtensor.make_per_tensor_quantized_tensor(
        (INPUT.astype(np.int16) - 128).astype(np.int8), 0.05, -118)
    y = quantized.linear(x, quantized.linear_prepack(small_weight(), BIAS), 0.03, -28)
    assert y.dtype is qtensor.qint8
    assert (y.int_repr().astype(int) + 128).tolist() == PLAIN


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("shape", [(1, 1, 1), (5, 7, 3), (2, 3, 64, 33), (65, 130, 17)])
def test_random_layers_match_torch_qnnpack(shape, per_channel):
    torch = pytest.importorskip("torch")
    *leading, in_features, out_features = shape
    rng = np.random.default_rng(sum(shape) * 2 + per_channel)
    ints = rng.integers(0, 256, size=(*leading, in_features), dtype=np.uint8)
    weight_ints = rng.integers(-128, 128, size=(out_features, in_features), dtype=np.int8)
    bias = rng.normal(0, 2, size=out_features).astype(np.float32)
    x_scale, x_zero = float(rng.uniform(0.005, 0.1)), int(rng.integers(0, 256))
    out_scale, out_zero = float(rng.uniform(0.01, 0.5)), int(rng.integers(0, 256))
    x = qtensor.make_per_tensor_quantized_tensor(ints, x_scale, x_zero)
    tx = torch._make_per_tensor_quantized_tensor(torch.from_numpy(ints), x_scale, x_zero)
    w, tw = weight_pair(torch, weight_ints, per_channel, rng)
    packed = quantized.linear_prepack(w, bias)
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "qnnpack"
    try:
        tpacked = torch.ops.quantized.linear_prepack(tw, torch.from_numpy(bias))
        for ours, theirs in [(quantized.linear, torch.ops.quantized.linear),
                             (quantized.linear_relu, torch.ops.quantized.linear_relu)]:
            expected = theirs(tx, tpacked, out_scale, out_zero).int_repr().numpy()
            got = ours(x, packed, out_scale, out_zero).int_repr()
            assert got.shape == expected.shape
            assert np.array_equal(got, expected), np.argwhere(got != expected)[:5]
    finally:
        torch.backends.quantized.engine = previous

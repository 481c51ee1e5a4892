"""The quantizer options PyTorch lacks: ONNX's rounding, the scale type and
per-block parameters (ONNX's blocked quantization), against ONNX Runtime's
example values and a NumPy formula of ONNX's blocked layout; views, files,
errors."""

import pickle

import numpy as np
import pytest

import qtensor

# ONNX Runtime's QuantizeLinear and PyTorch differ on this value (ties).
ONNX_SCALE = float(np.float32(0.00214854861))
ONNX_X = np.float32(0.273939937)


def block_parameters(parameters, shape, axis, block_size):
    """Each element's block's parameter: the flat parameters in ONNX's shape
    (shape[axis] -> its number of blocks), repeated along axis."""
    blocks_shape = list(shape)
    blocks_shape[axis] = -(-shape[axis] // block_size)
    blocks = np.asarray(parameters).reshape(blocks_shape)
    return np.take(np.repeat(blocks, block_size, axis=axis), np.arange(shape[axis]), axis=axis)


def onnx_quantize(x, scales, zero_points, low, high):
    """ONNX Runtime's QuantizeLinear: x / scale in float32, half to even."""
    quotient = np.asarray(x, np.float32) / scales.astype(np.float32)
    return np.clip(np.rint(quotient) + zero_points, low, high)


def test_the_options_are_package_objects():
    assert repr(qtensor.onnx_rounding) == "qtensor.onnx_rounding"
    assert qtensor.pytorch_rounding.name == "pytorch"
    assert [t.name for t in (qtensor.float64_scale, qtensor.float32_scale, qtensor.float16_scale,
                             qtensor.bfloat16_scale)] == ["float64", "float32", "float16",
                                                          "bfloat16"]
    assert repr(qtensor.float16_scale) == "qtensor.float16_scale"
    assert repr(qtensor.per_block_affine) == "qtensor.per_block_affine"
    for option in (qtensor.onnx_rounding, qtensor.bfloat16_scale, qtensor.per_block_affine):
        assert pickle.loads(pickle.dumps(option)) is option


def test_onnx_rounding_divides_and_sends_nan_to_qmin():
    plain = qtensor.Quantizer.per_tensor_affine(ONNX_SCALE, 10, qtensor.quint8)
    onnx = plain.with_rounding(qtensor.onnx_rounding)
    assert plain.rounding is qtensor.pytorch_rounding
    assert onnx.rounding is qtensor.onnx_rounding
    assert onnx != plain
    x = np.array([ONNX_X, np.nan], np.float32)
    np.testing.assert_array_equal(qtensor.quantize(x, plain).int_repr(), [138, 10])
    q = qtensor.quantize(x, onnx)
    np.testing.assert_array_equal(q.int_repr(), [137, 0])
    assert q.quantizer().rounding is qtensor.onnx_rounding
    q[1] = float(ONNX_X)  # later writes round as the tensor's quantizer says
    assert q.int_repr()[1] == 137
    assert repr(onnx).endswith("dtype=qtensor.quint8, rounding=qtensor.onnx_rounding)")


def test_a_scale_type_is_metadata_kept_by_tensors():
    tenth = float(np.float32(0.1))
    plain = qtensor.Quantizer.per_channel_affine([0.5, tenth], [0, 3], 0, qtensor.qint8)
    single = plain.with_scale_type(qtensor.float32_scale)
    assert plain.scale_type is qtensor.float64_scale
    assert single.scale_type is qtensor.float32_scale
    np.testing.assert_array_equal(single.scales, [0.5, tenth])
    x = np.array([[1.0, -2.0], [0.3, 0.7]], np.float32)
    np.testing.assert_array_equal(qtensor.quantize(x, single).int_repr(),
                                  qtensor.quantize(x, plain).int_repr())
    assert qtensor.quantize(x, single)[:, 1:].quantizer().scale_type is qtensor.float32_scale
    assert repr(single).endswith("scale_type=qtensor.float32_scale)")


PER_BLOCK = [  # shape, axis, block_size
    ((2, 7, 3), 1, 3),
    ((5, 4), 0, 2),
    ((3, 8), -1, 8),
    ((6,), 0, 4),
]


@pytest.mark.parametrize("shape, axis, block_size", PER_BLOCK)
def test_per_block_matches_the_onnx_formula(shape, axis, block_size):
    rng = np.random.default_rng(21)
    blocks_shape = list(shape)
    blocks_shape[axis] = -(-shape[axis] // block_size)
    count = int(np.prod(blocks_shape))
    scales = (rng.integers(1, 64, size=count) / 256.0).astype(np.float16).astype(np.float64)
    zero_points = rng.integers(0, 16, size=count)
    x = rng.uniform(-2.0, 2.0, size=shape).astype(np.float32)
    quantizer = qtensor.Quantizer.per_block_affine(scales, zero_points, axis, block_size,
                                                   qtensor.quint4)
    quantizer = quantizer.with_rounding(qtensor.onnx_rounding).with_scale_type(
        qtensor.float16_scale)
    assert quantizer.qscheme is qtensor.per_block_affine
    assert (quantizer.block_size, quantizer.axis, quantizer.num_channels) == (block_size, axis,
                                                                              count)
    np.testing.assert_array_equal(quantizer.scales, scales)
    np.testing.assert_array_equal(quantizer.zero_points, zero_points)
    q = qtensor.quantize(x, quantizer)
    element_scales = block_parameters(scales, shape, axis, block_size)
    element_zero_points = block_parameters(zero_points, shape, axis, block_size)
    expected = onnx_quantize(x, element_scales, element_zero_points, 0, 15)
    np.testing.assert_array_equal(q.int_repr(), expected)
    assert q.qscheme() is qtensor.per_block_affine
    np.testing.assert_array_equal(
        q.dequantize(),
        (expected - element_zero_points).astype(np.float32) * element_scales.astype(np.float32))


def test_quantize_per_block_is_the_quantizer_with_pytorch_rounding():
    x = np.array([[0.3, -0.7, 1.25], [2.0, -1.5, 0.26]], np.float32)
    q = qtensor.quantize_per_block(x, [0.5, 0.25, 0.125, 1.0], [1, -2, 0, 3], 1, 2,
                                   qtensor.qint8)
    assert q.quantizer() == qtensor.Quantizer.per_block_affine(
        [0.5, 0.25, 0.125, 1.0], [1, -2, 0, 3], 1, 2, qtensor.qint8)
    assert q.quantizer().rounding is qtensor.pytorch_rounding
    np.testing.assert_array_equal(q.int_repr(), [[2, 0, 3], [16, -12, 3]])


def per_block_tensor():
    rng = np.random.default_rng(5)
    scales = rng.integers(1, 32, size=12) / 64.0
    zero_points = rng.integers(0, 16, size=12)
    quantizer = qtensor.Quantizer.per_block_affine(scales, zero_points, 1, 3, qtensor.quint4)
    x = rng.uniform(-1.0, 1.0, size=(4, 7)).astype(np.float32)
    # 4 rows x 3 blocks (3, 3, 1) of 7 columns
    return qtensor.quantize(x, quantizer.with_rounding(qtensor.onnx_rounding).with_scale_type(
        qtensor.float16_scale))


def test_views_of_per_block_tensors_dequantize_as_the_base():
    q = per_block_tensor()
    base = q.dequantize()
    for view, expected in [(q.transpose(0, 1), base.T), (q[1:, 1::2], base[1:, 1::2]),
                           (q[2, 3:], base[2, 3:]), (q[0:4:3, 5:], base[0:4:3, 5:])]:
        np.testing.assert_array_equal(view.dequantize(), expected)
        np.testing.assert_array_equal(view.contiguous().dequantize(), expected)
        # the view's quantizer is re-expressed in its own shape, options kept
        assert view.qscheme() is qtensor.per_block_affine
        assert view.quantizer().rounding is qtensor.onnx_rounding
        assert view.quantizer().scale_type is qtensor.float16_scale


def test_printing_shows_the_blocks():
    q = per_block_tensor()
    text = repr(q)
    assert "quantization_scheme=qtensor.per_block_affine,\n" in text
    assert "scale=tensor([0.3281, 0.3906, 0.0156," in text
    assert text.endswith("]),\n       axis=1, block_size=3)")


def test_files_keep_rounding_scale_type_and_blocks(tmp_path):
    q = per_block_tensor()
    view = q[1:, 3:]
    path = tmp_path / "blocks.qt"
    view.save(path)
    for loaded in (qtensor.load(path), qtensor.deserialize(view.serialize()),
                   qtensor.Bundle.deserialize(qtensor.Bundle({"w": view}).serialize())["w"]):
        assert loaded.quantizer() == view.quantizer()
        assert loaded.quantizer().rounding is qtensor.onnx_rounding
        assert loaded.quantizer().scale_type is qtensor.float16_scale
        assert loaded.quantizer().block_size == 3  # the view starts at a block
        np.testing.assert_array_equal(loaded.dequantize(), view.dequantize())
    unpickled = pickle.loads(pickle.dumps(q.quantizer()))
    assert unpickled == q.quantizer()
    assert unpickled.scale_type is qtensor.float16_scale


def test_bad_options_are_refused():
    with pytest.raises(qtensor.InvalidArgumentError, match="qint32"):
        qtensor.Quantizer.per_tensor_affine(0.5, 0, qtensor.qint32).with_rounding(
            qtensor.onnx_rounding)
    with pytest.raises(qtensor.InvalidArgumentError, match=r"0\.1 is not a float16 value "
                                                           r"\(the nearest is 0\.0999755859375\)"):
        qtensor.Quantizer.per_tensor_affine(0.1, 0, qtensor.qint8).with_scale_type(
            qtensor.float16_scale)
    with pytest.raises(qtensor.InvalidArgumentError, match="block_size must be at least 1"):
        qtensor.Quantizer.per_block_affine([1.0], [0], 0, 0, qtensor.quint4)
    with pytest.raises(qtensor.ShapeMismatchError, match="has 2 scales .* needs 3"):
        qtensor.quantize_per_block(np.zeros(5), [1.0, 1.0], [0, 0], 0, 2, qtensor.quint4)
    with pytest.raises(TypeError, match="onnx_rounding"):
        qtensor.Quantizer.per_tensor_affine(0.5, 0, qtensor.qint8).with_rounding("onnx")
    with pytest.raises(TypeError, match="float16_scale"):
        qtensor.Quantizer.per_tensor_affine(0.5, 0, qtensor.qint8).with_scale_type(np.float16)
    with pytest.raises(qtensor.TypeMismatchError):
        _ = qtensor.Quantizer.per_tensor_affine(0.5, 0, qtensor.qint8).block_size


def test_tensor_parameter_accessors_refuse_per_block_tensors():
    q = per_block_tensor()
    for read in (q.q_scale, q.q_zero_point, q.q_per_channel_scales, q.q_per_channel_axis):
        with pytest.raises(qtensor.TypeMismatchError, match="per-block"):
            read()
    with pytest.raises(qtensor.TypeMismatchError):
        qtensor.relu(q)
    with pytest.raises(qtensor.TypeMismatchError):
        q.to_torch()

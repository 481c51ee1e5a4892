"""A typed program over qtensor's public API: mypy --strict must find no
error in it (test_binding_typing.py), and running it must print OK."""

import io

import numpy as np
import numpy.typing as npt

import qtensor
from qtensor.ao.quantization import HistogramObserver, MinMaxObserver, PerChannelMinMaxObserver
from qtensor.nn.quantized import functional as QF


def per_tensor() -> qtensor.Tensor:
    q = qtensor.quantize_per_tensor([0.5, -1.0, 2.0], 0.1, 0, qtensor.qint8)
    ints: npt.NDArray[np.int8] = q.int_repr()
    assert ints.tolist() == [5, -10, 20]
    scale: float = q.q_scale()
    zero_point: int = q.q_zero_point()
    assert (scale, zero_point) == (0.1, 0)
    assert q.shape == (3,) and q.size(0) == 3 and q.numel() == 3
    first: float = q[0].item()
    assert first == 0.5
    return q


def per_channel() -> None:
    quantizer = qtensor.Quantizer.per_channel_affine([0.1, 0.2], [0, 1], 0, qtensor.quint8)
    q = qtensor.quantize(np.ones((2, 3), dtype=np.float32), quantizer)
    scales: npt.NDArray[np.float64] = q.q_per_channel_scales()
    assert scales.tolist() == [0.1, 0.2]
    assert q.qscheme() is qtensor.per_channel_affine
    values: npt.NDArray[np.float32] = q.transpose(0, 1).contiguous().dequantize()
    assert values.shape == (3, 2)


def operators(q: qtensor.Tensor) -> None:
    relu = qtensor.relu(q)
    total = qtensor.ops.add(q, relu, 0.2, 0)
    scaled = qtensor.ops.quantized.mul_scalar(total, 2.0)
    joined = qtensor.cat([q, relu], dim=0)
    assert joined.shape == (6,)
    assert total.int_repr().tolist() == [5, -5, 20]  # 1.0, -1.0, 4.0 at scale 0.2
    assert scaled.q_scale() == 0.4 and scaled.dequantize().tolist() == [2.0, -2.0, 8.0]
    assert qtensor.ops.add(q, 1.0).numel() == 3


def observers() -> None:
    observer = MinMaxObserver(dtype=qtensor.quint8)
    observer(np.array([-1.0, 3.0], dtype=np.float32))
    scales, zero_points = observer.calculate_qparams()
    assert zero_points.tolist() == [64] and abs(float(scales[0]) - 4 / 255) < 1e-7
    per_channel_observer = PerChannelMinMaxObserver(ch_axis=1)
    per_channel_observer.forward(np.ones((2, 2), dtype=np.float32))
    histogram = HistogramObserver(bins=16)
    histogram(np.array([0.0, 1.0, 2.0, 3.0], dtype=np.float32))
    histogram_quantizer = histogram.quantizer()
    assert histogram_quantizer.zero_point == 0 and histogram_quantizer.dtype is qtensor.quint8
    scale, zero_point = qtensor.choose_qparams(-1.0, 1.0, 0, 255)
    assert zero_point == 128 and scale > 0


def linear_layer() -> None:
    weight = qtensor.quantize_per_tensor([[1.0, -1.0], [0.5, 0.0]], 0.5, 0, qtensor.qint8)
    packed = qtensor.ops.quantized.linear_prepack(weight, [0.25, 0.0])
    assert (packed.in_features, packed.out_features) == (2, 2)
    x = qtensor.quantize_per_tensor([[2.0, 1.0]], 0.25, 0, qtensor.quint8)
    y = qtensor.ops.quantized.linear(x, packed, 0.25, 0)
    assert y.dequantize().tolist() == [[1.25, 1.0]]
    relu = qtensor.ops.quantized.linear_relu(x, packed, 0.25, 0)
    assert relu.shape == (1, 2)
    unpacked, bias = qtensor.ops.quantized.linear_unpack(packed)
    assert unpacked.int_repr().tolist() == [[2, -2], [1, 0]]
    assert bias is not None and bias.tolist() == [0.25, 0.0]


def convolution() -> None:
    quantized = qtensor.ops.quantized
    weight = qtensor.quantize_per_tensor([[[[1.0]]], [[[-0.5]]]], 0.5, 0, qtensor.qint8)
    packed = quantized.conv2d_prepack(weight, [0.25, 0.0], 1, [0, 0], (1, 1), 1)
    assert (packed.stride(), packed.padding(), packed.groups()) == ([1, 1], [0, 0], 1)
    x = qtensor.quantize_per_tensor([[[[2.0, 1.0]]]], 0.25, 0, qtensor.quint8)
    y = quantized.conv2d(x, packed, 0.25, 128)
    assert y.dequantize().tolist() == [[[[2.25, 1.25]], [[-1.0, -0.5]]]]
    assert quantized.conv2d_relu(x, packed, 0.25, 128).shape == (1, 2, 1, 2)
    unpacked, bias = quantized.conv2d_unpack(packed)
    assert unpacked.shape == (2, 1, 1, 1) and bias is not None
    layer = quantized.linear_prepack(
        qtensor.quantize_per_tensor([[1.0, -1.0]], 0.5, 0, qtensor.qint8))
    out = quantized.linear_dynamic([[2.0, 1.0]], layer, reduce_range=False)
    assert out.shape == (1, 1)


def files(q: qtensor.Tensor) -> None:
    bundle = qtensor.Bundle({"weight": q}, metadata={"model": "typed"})
    buffer = io.BytesIO()
    qtensor.save(bundle, buffer)
    loaded = qtensor.deserialize(buffer.getvalue())
    assert isinstance(loaded, qtensor.Bundle)
    assert loaded.metadata["model"] == "typed"
    weight = loaded["weight"]
    assert isinstance(weight, qtensor.Tensor)  # an entry may also be a float array
    assert weight.int_repr().tolist() == [5, -10, 20]
    loaded["norm"] = np.ones(3, dtype=np.float16)
    loaded.set_float("bf", b"\x80\x3f", [1], "bfloat16")
    assert loaded.is_float("bf") and loaded.float_dtype("bf") == "bfloat16"
    assert loaded.float_shape("norm") == (3,) and len(loaded.float_data("norm")) == 6
    again = qtensor.Tensor.serialize(q)
    assert isinstance(qtensor.deserialize(again), qtensor.Tensor)


def pooling() -> None:
    q = qtensor.quantize_per_tensor(np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4), 1.0, 0,
                                    qtensor.quint8)
    largest: qtensor.Tensor = QF.max_pool2d(q, 2)
    assert largest.int_repr().reshape(-1).tolist() == [5, 7, 13, 15]
    mean = QF.avg_pool2d(q, (2, 2), stride=2, padding=0, divisor_override=None)
    assert mean.int_repr().reshape(-1).tolist() == [2, 4, 10, 12]
    assert QF.adaptive_avg_pool2d(q, 1).int_repr().reshape(-1).tolist() == [8]


def storage_dtypes() -> None:
    q4 = qtensor.quantize_per_tensor(np.array([0.0, 0.5, 7.5]), 0.5, 0, qtensor.quint4x2)
    bits: int = q4.dtype.bits
    packed: npt.NDArray[np.uint8] = q4.packed_repr()
    assert bits == 4 and packed.tolist() == [16, 15]
    same = qtensor.from_packed(packed, [3], q4.quantizer())
    assert same.int_repr().tolist() == [0, 1, 15]
    ints = np.array([-8, 7], dtype=np.int8)
    assert qtensor.make_per_tensor_quantized_tensor(ints, 1.0, 0, dtype=qtensor.qint4).dtype \
        is qtensor.qint4


def quantizer_options() -> None:
    blocks = qtensor.Quantizer.per_block_affine([0.5, 0.25], [8, 8], 0, 2, qtensor.quint4)
    onnx = blocks.with_rounding(qtensor.onnx_rounding).with_scale_type(qtensor.float16_scale)
    rounding: qtensor.Rounding = onnx.rounding
    scale_type: qtensor.ScaleType = onnx.scale_type
    block_size: int = onnx.block_size
    assert (rounding.name, scale_type.name, block_size) == ("onnx", "float16", 2)
    q = qtensor.quantize_per_block(np.array([0.5, -0.5, 1.0]), [0.5, 0.25], [8, 8], 0, 2,
                                   qtensor.quint4)
    assert q.qscheme() is qtensor.per_block_affine and q.int_repr().tolist() == [9, 7, 12]


def indexing() -> None:
    q = qtensor.quantize_per_tensor(np.arange(6, dtype=np.float32).reshape(2, 3), 0.5, 0,
                                    qtensor.quint8)
    picked: qtensor.Tensor = q[[1, 0]]
    assert picked.int_repr().tolist() == [[6, 8, 10], [0, 2, 4]]
    assert qtensor.index_select(q, 1, [2]).int_repr().tolist() == [[4], [10]]
    assert q.index_select(0, np.array([1])).shape == (1, 3)
    assert q.repeat(2, 1).shape == (4, 3) and q.repeat([1, 2]).shape == (2, 6)
    assert not qtensor.empty_like(q).int_repr().any()
    q.masked_fill_(np.array([True, False, False]), 1.0)
    q.index_put_((np.array([1]),), np.zeros(3))
    q[q.int_repr() > 3] = 0.5
    assert q.int_repr().tolist() == [[2, 2, 1], [0, 0, 0]]


def main() -> None:
    q = per_tensor()
    per_channel()
    operators(q)
    observers()
    linear_layer()
    convolution()
    files(q)
    pooling()
    storage_dtypes()
    quantizer_options()
    indexing()
    version: str = qtensor.__version__
    assert qtensor.version_number() == int(version.split(".")[1]) * 100 \
        + int(version.split(".")[0]) * 10000 + int(version.split(".")[2])
    print("OK")


if __name__ == "__main__":
    main()

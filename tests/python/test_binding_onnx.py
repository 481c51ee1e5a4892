"""Bundle.serialize_onnx / deserialize_onnx / save_onnx / load_onnx
(docs/onnx.md): round trips, files and file objects, errors, and the models
read by onnx's own protobuf classes (Debian's onnx 1.12) and built by them."""

import io

import numpy as np
import pytest

import qtensor

onnx = pytest.importorskip("onnx")


def weights():
    bundle = qtensor.Bundle()
    data = np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4)
    # float64 scales (PyTorch's) come back as float32 ones: kept float32 here.
    per_channel = qtensor.Quantizer.per_channel_affine([0.25, 0.5, 0.125, 1.0], [0, 1, -2, 3], 1,
                                                       qtensor.qint8)
    bundle["per_channel"] = qtensor.quantize(data,
                                             per_channel.with_scale_type(qtensor.float32_scale))
    q = qtensor.Quantizer.per_block_affine([0.5, 0.25, 0.75, 1.0], [1, 2, 3, 4],
                                           1, 3, qtensor.quint4).with_scale_type(
                                               qtensor.float16_scale)
    bundle["blocked"] = qtensor.quantize(np.arange(12, dtype=np.float32).reshape(2, 6), q)
    bundle.metadata["producer"] = "test"
    return bundle


def assert_same(got, want):
    assert list(got) == list(want)
    for name in want:
        a, b = got[name], want[name]
        assert a.shape == b.shape and a.dtype is b.dtype
        np.testing.assert_array_equal(a.quantizer().scales, b.quantizer().scales)
        np.testing.assert_array_equal(a.quantizer().zero_points, b.quantizer().zero_points)
        assert a.quantizer().scale_type is b.quantizer().scale_type
        np.testing.assert_array_equal(a.int_repr(), b.int_repr())
        assert a.dequantize().tobytes() == b.dequantize().tobytes()
        assert a.quantizer().rounding is qtensor.onnx_rounding
    assert dict(got.metadata) == dict(want.metadata)


def test_round_trip_bytes_files_and_file_objects(tmp_path):
    bundle = weights()
    data = bundle.serialize_onnx()
    assert isinstance(data, bytes)
    assert_same(qtensor.Bundle.deserialize_onnx(data), bundle)
    assert_same(qtensor.Bundle.deserialize_onnx(bytearray(data)), bundle)
    path = tmp_path / "weights.onnx"
    bundle.save_onnx(path)
    assert path.read_bytes() == data
    assert_same(qtensor.Bundle.load_onnx(path), bundle)
    assert_same(qtensor.Bundle.load_onnx(str(path)), bundle)
    buffer = io.BytesIO()
    bundle.save_onnx(buffer)
    buffer.seek(0)
    assert_same(qtensor.Bundle.load_onnx(buffer), bundle)


def test_float64_scales_come_back_float32():
    bundle = qtensor.Bundle()
    bundle["w"] = qtensor.quantize_per_tensor([1.0, -2.0], 0.5, 1, qtensor.qint8)
    w = qtensor.Bundle.deserialize_onnx(bundle.serialize_onnx())["w"]
    assert w.quantizer().scale_type is qtensor.float32_scale
    assert w.quantizer().scale == 0.5 and w.quantizer().zero_point == 1
    np.testing.assert_array_equal(w.int_repr(), bundle["w"].int_repr())


def test_errors():
    bundle = qtensor.Bundle()
    bundle["w"] = qtensor.quantize_per_tensor([1.0], 0.1, 0, qtensor.qint8)
    with pytest.raises(qtensor.InvalidArgumentError, match=r"scale 0 \(0.1\) is not a float32"):
        bundle.serialize_onnx()
    with pytest.raises(ValueError):  # InvalidArgumentError is a ValueError
        bundle.serialize_onnx()
    with pytest.raises(qtensor.CorruptDataError, match="ONNX model ModelProto: has no graph"):
        qtensor.Bundle.deserialize_onnx(b"")
    with pytest.raises(qtensor.CorruptDataError, match="malformed protobuf"):
        qtensor.Bundle.deserialize_onnx(weights().serialize_onnx()[:-3])
    with pytest.raises(qtensor.FileError):
        qtensor.Bundle.load_onnx("/nonexistent/model.onnx")


def test_onnx_reads_the_model():
    model = onnx.load_from_string(weights().serialize_onnx())
    assert model.ir_version == 10
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 21)]
    assert [(p.key, p.value) for p in model.metadata_props] == [("producer", "test")]
    inits = {t.name: t for t in model.graph.initializer}
    assert sorted(inits) == ["blocked_quantized", "blocked_scale", "blocked_zero_point",
                             "per_channel_quantized", "per_channel_scale",
                             "per_channel_zero_point"]
    x = inits["per_channel_quantized"]
    assert list(x.dims) == [3, 4] and x.data_type == onnx.TensorProto.INT8
    np.testing.assert_array_equal(np.frombuffer(x.raw_data, np.int8).reshape(3, 4),
                                  weights()["per_channel"].int_repr())
    assert list(inits["blocked_scale"].dims) == [2, 2]
    assert inits["blocked_scale"].data_type == onnx.TensorProto.FLOAT16
    assert inits["blocked_quantized"].data_type == 21  # UINT4
    ops = [(n.op_type, list(n.input), list(n.output)) for n in model.graph.node]
    assert ops == [
        ("DequantizeLinear",
         ["per_channel_quantized", "per_channel_scale", "per_channel_zero_point"],
         ["per_channel"]),
        ("Cast", ["blocked_scale"], ["blocked_scale_float"]),
        ("DequantizeLinear", ["blocked_quantized", "blocked_scale_float", "blocked_zero_point"],
         ["blocked"]),
    ]
    attrs = {a.name: a.i for a in model.graph.node[2].attribute}
    assert attrs == {"axis": 1, "block_size": 3}
    assert [o.name for o in model.graph.output] == ["per_channel", "blocked"]
    assert model.graph.output[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT


def test_a_model_onnx_builds_with_typed_fields():
    from onnx import helper
    x = helper.make_tensor("x", onnx.TensorProto.UINT8, [2, 3], [0, 1, 2, 253, 254, 255])
    scale = helper.make_tensor("scale", onnx.TensorProto.FLOAT, [3], [0.5, 0.25, 2.0])
    zero_point = helper.make_tensor("zp", onnx.TensorProto.UINT8, [3], [0, 128, 255])
    assert not x.raw_data and list(x.int32_data) == [0, 1, 2, 253, 254, 255]
    node = helper.make_node("DequantizeLinear", ["x", "scale", "zp"], ["w"], axis=-1)
    graph = helper.make_graph([node], "g", [], [], [x, scale, zero_point])
    model = helper.make_model(graph, opset_imports=[helper.make_operatorsetid("", 21)])
    bundle = qtensor.Bundle.deserialize_onnx(model.SerializeToString())
    w = bundle["w"]
    assert w.dtype is qtensor.quint8 and w.quantizer().axis == 1
    assert w.quantizer().scale_type is qtensor.float32_scale
    np.testing.assert_array_equal(w.dequantize(), np.array(
        [[0.0, -31.75, -506.0], [126.5, 31.5, 0.0]], dtype=np.float32))

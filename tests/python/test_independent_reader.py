"""proto/qtensor.proto alone is enough to read and write qtensor files.

Only Python's protobuf runtime and classes that protoc generates from the
.proto at test time are used here, never a qtensor binding: files the C
library wrote (through the qtensor program) are decoded and checked field by
field, and files written here are loaded by the library.

Environment (set by the ctest registration): QTENSOR_CLI, the qtensor program;
QTENSOR_PROTOC, protoc; QTENSOR_PROTO, proto/qtensor.proto.
"""

import importlib
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

CLI = os.environ["QTENSOR_CLI"]
INT_TYPES = {"QINT8": "<i1", "QUINT8": "<u1", "QINT32": "<i4"}


@pytest.fixture(scope="module")
def pb(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    proto = pathlib.Path(os.environ["QTENSOR_PROTO"])
    subprocess.run([os.environ["QTENSOR_PROTOC"], "-I", proto.parent, "--python_out", out, proto],
                   check=True)
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("qtensor_pb2")
    finally:
        sys.path.remove(str(out))


def run_cli(*args):
    result = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def quantize_reference(x, scales, zero_points, qmin, qmax, axis=None):
    """q = clamp(zp + nearbyint(x * (1.0f / (float)scale)), qmin, qmax)."""
    shape = [1] * x.ndim
    if axis is not None:
        shape[axis] = -1
    inverse = (np.float32(1) / np.asarray(scales, dtype=np.float32)).reshape(shape)
    rounded = np.rint((x * inverse).astype(np.float32)).astype(np.int64)
    return np.clip(np.asarray(zero_points, dtype=np.int64).reshape(shape) + rounded, qmin, qmax)


def library_writes(tmp_path, x, *options):
    np.save(tmp_path / "in.npy", x)
    run_cli("quantize", tmp_path / "in.npy", *options, "-o", tmp_path / "out.qt")
    return (tmp_path / "out.qt").read_bytes()


def decode_file(pb, raw):
    file = pb.File.FromString(raw)
    assert file.magic == "qtensor"
    assert file.format_version == 1
    assert file.WhichOneof("content") == "tensor"
    return file.tensor


def values_of(pb, tensor):
    int_type = INT_TYPES[pb.DType.Name(tensor.dtype)]
    return np.frombuffer(tensor.data, dtype=int_type).reshape(tuple(tensor.shape))


# ------------------------------------------------ reading what the library wrote


def test_reads_a_per_tensor_qint8_file(pb, tmp_path):
    x = np.linspace(-20, 20, 24, dtype=np.float32).reshape(2, 3, 4)
    tensor = decode_file(pb, library_writes(tmp_path, x, "--scale", 0.125, "--zero-point", -5,
                                            "--dtype", "qint8"))
    assert tensor.dtype == pb.QINT8
    assert list(tensor.shape) == [2, 3, 4]
    assert tensor.qscheme == pb.PER_TENSOR_AFFINE
    assert tensor.scale == 0.125
    assert tensor.zero_point == -5
    assert list(tensor.scales) == [] and list(tensor.zero_points) == []
    assert len(tensor.data) == 24
    np.testing.assert_array_equal(values_of(pb, tensor),
                                  quantize_reference(x, 0.125, -5, -128, 127))
    assert values_of(pb, tensor).min() == -128  # saturated


def test_reads_a_per_channel_quint8_file(pb, tmp_path):
    x = np.arange(12, dtype=np.float32).reshape(3, 4) * 0.37 - 2
    scales, zero_points = [0.05, 0.1, 0.2, 0.3], [0, 128, 255, 7]
    tensor = decode_file(pb, library_writes(
        tmp_path, x, "--axis", 1, "--scale", ",".join(map(str, scales)),
        "--zero-point", ",".join(map(str, zero_points)), "--dtype", "quint8"))
    assert tensor.dtype == pb.QUINT8
    assert list(tensor.shape) == [3, 4]
    assert tensor.qscheme == pb.PER_CHANNEL_AFFINE
    assert list(tensor.scales) == scales
    assert list(tensor.zero_points) == zero_points
    assert tensor.axis == 1
    np.testing.assert_array_equal(values_of(pb, tensor),
                                  quantize_reference(x, scales, zero_points, 0, 255, axis=1))


def test_reads_little_endian_qint32_and_a_scalar(pb, tmp_path):
    x = np.array([100000.5, -7.25, 0.0, 2.0e9], dtype=np.float32)
    tensor = decode_file(pb, library_writes(tmp_path, x, "--scale", 0.5, "--zero-point", 3,
                                            "--dtype", "qint32"))
    assert tensor.dtype == pb.QINT32
    assert len(tensor.data) == 16
    assert tensor.data[:4] == (200004).to_bytes(4, "little", signed=True)
    np.testing.assert_array_equal(values_of(pb, tensor), [200004, -11, 3, 2**31 - 1])

    scalar = decode_file(pb, library_writes(tmp_path, np.float32(-1.5), "--scale", 0.5,
                                            "--zero-point", 0, "--dtype", "qint8"))
    assert list(scalar.shape) == []
    assert scalar.data == b"\xfd"


# --------------------------------------- writing what the library then loads


def save(pb, tmp_path, tensor=None, bundle=None, magic="qtensor", version=1):
    file = pb.File(magic=magic, format_version=version)
    if tensor is not None:
        file.tensor.CopyFrom(tensor)
    if bundle is not None:
        file.bundle.CopyFrom(bundle)
    path = tmp_path / "python.qt"
    path.write_bytes(file.SerializeToString())
    return path


def dequantized_by_library(tmp_path, path):
    run_cli("dequantize", path, "-o", tmp_path / "back.npy")
    return np.load(tmp_path / "back.npy")


def test_library_loads_a_per_channel_qint32_tensor(pb, tmp_path):
    q = np.array([[-5, 0, 2**31 - 1], [7, -2**31, 1]], dtype="<i4")
    scales, zero_points = [0.5, 1e-3], [-1, 4]
    path = save(pb, tmp_path, pb.Tensor(
        dtype=pb.QINT32, shape=[2, 3], qscheme=pb.PER_CHANNEL_AFFINE, scales=scales,
        zero_points=zero_points, axis=0, data=q.tobytes(), name="from python"))
    diff = (q.astype(np.int64) - np.array(zero_points)[:, None]).astype(np.float64)
    expected = (diff * np.array(scales)[:, None]).astype(np.float32)
    back = dequantized_by_library(tmp_path, path)
    assert back.shape == (2, 3)
    assert back.tobytes() == expected.tobytes()

    # As PyTorch 1.13 prints torch._make_per_channel_quantized_tensor of the same.
    assert run_cli("info", path) == (
        "tensor([[-2.0000e+00,  5.0000e-01,  1.0737e+09],\n"
        "        [ 3.0000e-03, -2.1475e+06, -3.0000e-03]], size=(2, 3),\n"
        "       dtype=qtensor.qint32, quantization_scheme=qtensor.per_channel_affine,\n"
        "       scale=tensor([0.5000, 0.0010], dtype=qtensor.float64),\n"
        "       zero_point=tensor([-1,  4]), axis=0)\n")


def test_library_loads_a_per_tensor_quint8_tensor(pb, tmp_path):
    q = np.array([0, 1, 128, 255], dtype=np.uint8)
    path = save(pb, tmp_path, pb.Tensor(dtype=pb.QUINT8, shape=[4], qscheme=pb.PER_TENSOR_AFFINE,
                                        scale=0.25, zero_point=128, data=q.tobytes()))
    back = dequantized_by_library(tmp_path, path)
    assert back.tolist() == [-32.0, -31.75, 0.0, 31.75]
    assert run_cli("info", path) == (
        "tensor([-32.0000, -31.7500,   0.0000,  31.7500], size=(4,), dtype=qtensor.quint8,\n"
        "       quantization_scheme=qtensor.per_tensor_affine, scale=0.25, zero_point=128)\n")


def test_library_loads_a_bundle(pb, tmp_path):
    bundle = pb.Bundle()
    bundle.tensors.add(name="w", dtype=pb.QINT8, shape=[2], qscheme=pb.PER_TENSOR_AFFINE,
                       scale=1.0, zero_point=0, data=b"\x01\xff")
    bundle.tensors.add(name="empty", dtype=pb.QINT32, shape=[0, 3],
                       qscheme=pb.PER_TENSOR_AFFINE, scale=2.0, zero_point=0, data=b"")
    bundle.metadata["source"] = "protobuf runtime"
    info = run_cli("info", save(pb, tmp_path, bundle=bundle))
    lines = info.splitlines()
    assert lines[0] == "bundle of 2 tensors"
    assert lines[1] == "w:"
    assert lines[2].startswith("tensor([ 1., -1.], size=(2,), dtype=qtensor.qint8")
    assert "empty:" in lines
    assert lines[-2:] == ["metadata (1 key):", "  source: protobuf runtime"]


@pytest.mark.parametrize("change,message", [
    ({"magic": "qtensr"}, "magic"),
    ({"version": 3}, "version"),
])
def test_library_rejects_a_wrong_header(pb, tmp_path, change, message):
    tensor = pb.Tensor(dtype=pb.QINT8, shape=[1], qscheme=pb.PER_TENSOR_AFFINE, scale=1.0,
                       data=b"\x00")
    path = save(pb, tmp_path, tensor, **change)
    result = subprocess.run([CLI, "info", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "QT_ERR_CORRUPT_DATA" in result.stderr
    assert message in result.stderr.lower()


def test_library_rejects_data_of_the_wrong_length(pb, tmp_path):
    tensor = pb.Tensor(dtype=pb.QINT32, shape=[2], qscheme=pb.PER_TENSOR_AFFINE, scale=1.0,
                       data=b"\x00" * 7)
    result = subprocess.run([CLI, "info", str(save(pb, tmp_path, tensor))], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert "QT_ERR_CORRUPT_DATA" in result.stderr


# ------------------------------------------------ docs/format.md's example


def format_doc_example(index=0):
    """A Python block of docs/format.md: the first reads weights.qt into x,
    the second the tensor fc.weight of the container model.qtb."""
    docs = pathlib.Path(os.environ["QTENSOR_PROTO"]).parent.parent / "docs" / "format.md"
    blocks = re.findall(r"```python\n(.*?)```", docs.read_text(), re.S)
    assert len(blocks) == 2, "docs/format.md should have two Python blocks"
    return blocks[index]


@pytest.mark.parametrize("options", [
    ("--scale", 0.02, "--zero-point", 3, "--dtype", "qint8"),
    ("--axis", 1, "--scale", "0.05,0.001,0.3", "--zero-point", "0,-2,1", "--dtype", "qint32"),
])
def test_format_doc_example_reads_what_the_library_wrote(pb, tmp_path, options):
    x = (np.arange(12, dtype=np.float32).reshape(4, 3) - 5.5) * np.float32(0.37)
    library_writes(tmp_path, x, *options)
    (tmp_path / "out.qt").rename(tmp_path / "weights.qt")
    run_cli("dequantize", tmp_path / "weights.qt", "-o", tmp_path / "expected.npy")
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(pb.__file__).parent))
    subprocess.run([sys.executable, "-c", format_doc_example() + "np.save('x.npy', x)\n"],
                   cwd=tmp_path, env=env, check=True, timeout=60)
    got, want = np.load(tmp_path / "x.npy"), np.load(tmp_path / "expected.npy")
    assert got.dtype == np.float32 and got.shape == (4, 3)
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))


PER_TENSOR_WEIGHT = dict(scale=0.125, zero_point=-3, qscheme="PER_TENSOR_AFFINE")
PER_CHANNEL_WEIGHT = dict(scales=[0.5, 0.25, 0.125], zero_points=[-1, 0, 2], axis=1,
                          qscheme="PER_CHANNEL_AFFINE")


@pytest.mark.parametrize("weight", [PER_TENSOR_WEIGHT, PER_CHANNEL_WEIGHT],
                         ids=["per_tensor", "per_channel"])
def test_format_doc_container_example_reads_what_the_library_wrote(pb, tmp_path, weight):
    ints = (np.arange(12, dtype=np.int64).reshape(4, 3) * 21 - 120).astype(np.int8)
    file = pb.File(magic="qtensor", format_version=1)
    file.bundle.tensors.add(name="fc.bias", dtype=pb.QINT32, shape=[2], scale=0.5,
                            qscheme=pb.PER_TENSOR_AFFINE, data=bytes(8))
    fields = dict(weight, qscheme=pb.QScheme.Value(weight["qscheme"]))
    file.bundle.tensors.add(name="fc.weight", dtype=pb.QINT8, shape=[4, 3], data=ints.tobytes(),
                            **fields)
    (tmp_path / "b.qtb").write_bytes(file.SerializeToString())
    run_cli("convert", tmp_path / "b.qtb", "-o", tmp_path / "model.qtb", "--container")
    assert (tmp_path / "model.qtb").read_bytes()[:8] == b"\x89QTBNDL\n"
    run_cli("dequantize", tmp_path / "model.qtb", "--name", "fc.weight", "-o",
            tmp_path / "expected.npy")
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(pb.__file__).parent))
    subprocess.run([sys.executable, "-c", format_doc_example(1) + "np.save('x.npy', x)\n"],
                   cwd=tmp_path, env=env, check=True, timeout=60)
    got, want = np.load(tmp_path / "x.npy"), np.load(tmp_path / "expected.npy")
    assert got.dtype == np.float32 and got.shape == (4, 3)
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))
    if weight is PER_TENSOR_WEIGHT:
        expected = (ints.astype(np.float32) + 3) * np.float32(0.125)
    else:
        expected = ((ints - np.array([-1, 0, 2])) * np.array([0.5, 0.25, 0.125])).astype(np.float32)
        header = pb.ContainerHeader.FromString(container_header(tmp_path / "model.qtb"))
        entry = next(e for e in header.entries if e.tensor.name == "fc.weight")
        assert list(entry.tensor.scales) == [] and entry.scales.length == 24  # payloads
    np.testing.assert_array_equal(got, expected)


def container_header(path):
    raw = path.read_bytes()
    offset, length = np.frombuffer(raw[16:32], dtype="<u8")
    return raw[int(offset):int(offset) + int(length)]

"""The qtensor program's subcommands: quantize, dequantize and info.

NumPy makes the .npy inputs and checks the outputs against qtensor's
formulas (docs/numerics.md):
  quantize:   q = clamp(zp + nearbyint(x * (1.0f / (float)scale)), qmin, qmax)
  dequantize: per tensor (float)(q - zp) * (float)scale,
              per channel (float)((double)(q - zp) * scale)
Bad input must end with one line on stderr and a non-zero exit status.

Environment (set by the ctest registration): QTENSOR_CLI, the qtensor program;
QTENSOR_PROTOC and QTENSOR_PROTO, to write a bundle with Python's protobuf runtime.
"""

import importlib
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import torch

CLI = os.environ["QTENSOR_CLI"]
RANGES = {"qint8": (-128, 127), "quint8": (0, 255), "qint32": (-2**31, 2**31 - 1)}
EXIT_FAILURE = 1
EXIT_USAGE = 2


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=60)


def run_ok(*args):
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def quantize_reference(x, scales, zero_points, dtype, axis=None):
    """The documented formula, in NumPy, for per tensor (axis None) or per channel."""
    x = np.asarray(x, dtype=np.float32)
    shape = [1] * x.ndim
    if axis is not None:
        shape[axis] = -1
    inverse = (np.float32(1.0) / np.asarray(scales, dtype=np.float32)).reshape(shape)
    product = (x * inverse).astype(np.float32)
    qmin, qmax = RANGES[dtype]
    rounded = np.clip(np.rint(product), -2.0**62, 2.0**62).astype(np.int64)
    zp = np.asarray(zero_points, dtype=np.int64).reshape(shape)
    return np.clip(zp + rounded, qmin, qmax)


def dequantize_reference(q, scales, zero_points, axis=None):
    if axis is None:
        return np.float32(q - zero_points) * np.float32(scales)
    shape = [1] * q.ndim
    shape[axis] = -1
    diff = (q - np.asarray(zero_points, dtype=np.int64).reshape(shape)).astype(np.float64)
    return (diff * np.asarray(scales, dtype=np.float64).reshape(shape)).astype(np.float32)


def assert_same_bits(actual, expected):
    assert actual.dtype == np.float32
    assert actual.shape == expected.shape
    assert actual.tobytes() == expected.astype(np.float32).tobytes()


@pytest.fixture
def values():
    rng = np.random.default_rng(7)
    return (rng.standard_normal((3, 4, 5)) * 3).astype(np.float32)


def quantize_and_back(tmp_path, array, *options):
    np.save(tmp_path / "in.npy", array)
    run_ok("quantize", tmp_path / "in.npy", *options, "-o", tmp_path / "q.qt")
    run_ok("dequantize", tmp_path / "q.qt", "-o", tmp_path / "out.npy")
    return np.load(tmp_path / "out.npy")


@pytest.mark.parametrize("dtype,scale,zero_point", [
    ("qint8", 0.05, -3), ("quint8", 0.1, 128), ("qint32", 1e-4, 12345)])
def test_per_tensor_round_trip_follows_the_formulas(tmp_path, values, dtype, scale, zero_point):
    out = quantize_and_back(tmp_path, values, "--scale", scale, "--zero-point", zero_point,
                            "--dtype", dtype)
    q = quantize_reference(values, scale, zero_point, dtype)
    assert_same_bits(out, dequantize_reference(q, scale, zero_point))


def test_per_tensor_saturates_at_the_dtype_range(tmp_path):
    x = np.array([-1e6, -1.0, 0.0, 1.0, 1e6], dtype=np.float32)
    out = quantize_and_back(tmp_path, x, "--scale", 0.01, "--zero-point", 0, "--dtype", "qint8")
    assert out.tolist() == pytest.approx([-1.28, -1.0, 0.0, 1.0, 1.27])


def test_ties_round_half_to_even(tmp_path):
    x = np.array([0.5, 1.5, 2.5, -0.5, -2.5], dtype=np.float32)
    out = quantize_and_back(tmp_path, x, "--scale", 1, "--zero-point", 0, "--dtype", "qint8")
    assert out.tolist() == [0.0, 2.0, 2.0, 0.0, -2.0]


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_per_channel_round_trip_follows_the_formulas(tmp_path, values, axis):
    channels = values.shape[axis]
    scales = [0.01 * (c + 1) for c in range(channels)]
    zero_points = [10 * c for c in range(channels)]
    out = quantize_and_back(tmp_path, values, "--axis", axis,
                            "--scale", ",".join(map(repr, scales)),
                            "--zero-point", ",".join(map(str, zero_points)), "--dtype", "quint8")
    q = quantize_reference(values, scales, zero_points, "quint8", axis)
    assert_same_bits(out, dequantize_reference(q, scales, zero_points, axis))


def test_float64_and_fortran_order_inputs_give_the_float32_c_order_result(tmp_path, values):
    options = ("--scale", 0.02, "--zero-point", 1, "--dtype", "qint8")
    expected = quantize_and_back(tmp_path, values, *options)
    as_double = values.astype(np.float64)
    assert_same_bits(quantize_and_back(tmp_path, as_double, *options), expected)
    fortran = np.asfortranarray(values)
    np.save(tmp_path / "f.npy", fortran)
    assert b"'fortran_order': True" in (tmp_path / "f.npy").read_bytes()[:128]
    assert_same_bits(quantize_and_back(tmp_path, fortran, *options), expected)


def test_npy_format_version_2_is_read(tmp_path, values):
    with open(tmp_path / "v2.npy", "wb") as f:
        np.lib.format.write_array(f, values, version=(2, 0))
    run_ok("quantize", tmp_path / "v2.npy", "--scale", 0.1, "--zero-point", 0, "--dtype",
           "qint8", "-o", tmp_path / "q.qt")
    run_ok("dequantize", tmp_path / "q.qt", "-o", tmp_path / "out.npy")
    q = quantize_reference(values, 0.1, 0, "qint8")
    assert_same_bits(np.load(tmp_path / "out.npy"), dequantize_reference(q, 0.1, 0))


@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (1, 1, 1, 1, 1, 2)])
def test_zero_dim_and_empty_shapes_survive(tmp_path, shape):
    x = np.full(shape, 1.25, dtype=np.float32)
    out = quantize_and_back(tmp_path, x, "--scale", 0.25, "--zero-point", 0, "--dtype", "qint8")
    assert out.shape == shape
    assert_same_bits(out, x)


def test_written_npy_is_float32_c_order_version_1(tmp_path, values):
    quantize_and_back(tmp_path, values, "--scale", 0.1, "--zero-point", 0, "--dtype", "qint8")
    raw = (tmp_path / "out.npy").read_bytes()
    assert raw[:8] == b"\x93NUMPY\x01\x00"
    header_end = 10 + int.from_bytes(raw[8:10], "little")
    assert header_end % 64 == 0
    assert raw[10:header_end].decode("ascii").rstrip() == \
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4, 5), }"


def test_info_of_a_tensor_prints_as_pytorch(tmp_path, values):
    np.save(tmp_path / "in.npy", values)
    run_ok("quantize", tmp_path / "in.npy", "--scale", 0.05, "--zero-point", 2, "--dtype",
           "qint8", "-o", tmp_path / "q.qt")
    expected = torch.quantize_per_tensor(torch.from_numpy(values), 0.05, 2, torch.qint8)
    assert run_ok("info", tmp_path / "q.qt") == repr(expected).replace("torch.", "qtensor.") + "\n"


# -------------------------------------------------------------- bundle info


@pytest.fixture(scope="module")
def qtensor_pb2(tmp_path_factory):
    """Classes generated from proto/qtensor.proto by protoc, at test time."""
    out = tmp_path_factory.mktemp("proto")
    proto = pathlib.Path(os.environ["QTENSOR_PROTO"])
    subprocess.run([os.environ["QTENSOR_PROTOC"], "-I", proto.parent, "--python_out", out, proto],
                   check=True)
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("qtensor_pb2")
    finally:
        sys.path.remove(str(out))


def test_info_of_a_bundle_prints_each_name_tensor_and_the_metadata(tmp_path, qtensor_pb2):
    pb = qtensor_pb2
    weights = torch.tensor([[-3, 0, 7], [127, -128, 5]], dtype=torch.int8)
    bias = torch.tensor([1000, -2000, 3], dtype=torch.int32)
    scales, zero_points = [0.5, 0.25, 0.125], [0, 1, -1]
    file = pb.File(magic="qtensor", format_version=1)
    file.bundle.tensors.add(name="weight", dtype=pb.QINT8, shape=[2, 3],
                            qscheme=pb.PER_TENSOR_AFFINE, scale=0.1, zero_point=-2,
                            data=weights.numpy().tobytes())
    file.bundle.tensors.add(name="bias", dtype=pb.QINT32, shape=[3],
                            qscheme=pb.PER_CHANNEL_AFFINE, scales=scales,
                            zero_points=zero_points, axis=0,
                            data=bias.numpy().astype("<i4").tobytes())
    file.bundle.metadata["writer"] = "python"
    file.bundle.metadata["epoch"] = "3"
    (tmp_path / "b.qtb").write_bytes(file.SerializeToString())

    expected_weight = torch._make_per_tensor_quantized_tensor(weights, 0.1, -2)
    expected_bias = torch._make_per_channel_quantized_tensor(
        bias, torch.tensor(scales, dtype=torch.float64), torch.tensor(zero_points), 0)
    expected = "\n".join([
        "bundle of 2 tensors",
        "weight:", repr(expected_weight),
        "bias:", repr(expected_bias),
        "metadata (2 keys):", "  epoch: 3", "  writer: python", ""]).replace("torch.", "qtensor.")
    assert run_ok("info", tmp_path / "b.qtb") == expected


def test_info_of_a_bundle_lists_float_entries_with_dtype_and_shape(tmp_path, qtensor_pb2):
    pb = qtensor_pb2
    weights = torch.tensor([1, -1], dtype=torch.int8)
    file = pb.File(magic="qtensor", format_version=2)
    file.bundle.tensors.add(name="norm", dtype=pb.DTYPE_FLOAT32, shape=[2, 3], data=bytes(24))
    file.bundle.tensors.add(name="w", dtype=pb.QINT8, shape=[2], qscheme=pb.PER_TENSOR_AFFINE,
                            scale=0.5, zero_point=0, data=weights.numpy().tobytes())
    file.bundle.tensors.add(name="emb", dtype=pb.DTYPE_FLOAT16, shape=[4], data=bytes(8))
    file.bundle.tensors.add(name="bf", dtype=pb.DTYPE_BFLOAT16, shape=[], data=bytes(2))
    (tmp_path / "f.qtb").write_bytes(file.SerializeToString())
    expected = "\n".join([
        "bundle of 4 tensors",
        "norm:", "unquantized float32, shape (2, 3)",
        "w:", repr(torch._make_per_tensor_quantized_tensor(weights, 0.5, 0)),
        "emb:", "unquantized float16, shape (4,)",
        "bf:", "unquantized bfloat16, shape ()",
        "metadata (0 keys)", ""]).replace("torch.", "qtensor.")
    assert run_ok("info", tmp_path / "f.qtb") == expected


def test_dequantize_of_an_empty_bundle(tmp_path, qtensor_pb2):
    file = qtensor_pb2.File(magic="qtensor", format_version=1)
    file.bundle.metadata["k"] = "v"
    (tmp_path / "b.qtb").write_bytes(file.SerializeToString())
    assert_fails(run("dequantize", tmp_path / "b.qtb", "-o", tmp_path / "out.npy"),
                 EXIT_USAGE, "bundle of 0 tensors", "-o OUT.npz", "--name NAME")
    assert not (tmp_path / "out.npy").exists()
    run_ok("dequantize", tmp_path / "b.qtb", "-o", tmp_path / "out.npz")
    with np.load(tmp_path / "out.npz") as npz:
        assert npz.files == []


# ------------------------------------------------------ bundles to .npz files

NUMPY_INTS = {"qint8": np.int8, "quint8": np.uint8, "qint32": np.int32}


def bundle_arrays():
    """(name, dtype, integers, scales, zero points, axis) for each dtype and scheme."""
    rng = np.random.default_rng(3)
    arrays = []
    for dtype, (qmin, qmax) in RANGES.items():
        ints = rng.integers(qmin, qmax, size=(3, 4), endpoint=True, dtype=NUMPY_INTS[dtype])
        zp = (qmin + qmax) // 2 if dtype != "qint32" else 12345
        arrays.append((f"{dtype}.per_tensor", dtype, ints, [0.037], [zp], None))
        arrays.append((f"{dtype}.per_channel", dtype, ints, [0.5, 0.01, 3e-5, 1.75],
                       [qmin, zp, qmax, zp], 1))
    return arrays


def write_bundle(path, pb, arrays):
    file = pb.File(magic="qtensor", format_version=1)
    for name, dtype, ints, scales, zero_points, axis in arrays:
        tensor = file.bundle.tensors.add(name=name, dtype=getattr(pb, dtype.upper()),
                                         shape=ints.shape, data=ints.astype(
                                             ints.dtype.newbyteorder("<")).tobytes())
        if axis is None:
            tensor.qscheme = pb.PER_TENSOR_AFFINE
            tensor.scale, tensor.zero_point = scales[0], zero_points[0]
        else:
            tensor.qscheme = pb.PER_CHANNEL_AFFINE
            tensor.scales.extend(scales)
            tensor.zero_points.extend(zero_points)
            tensor.axis = axis
    path.write_bytes(file.SerializeToString())


def expected_floats(ints, scales, zero_points, axis):
    q = ints.astype(np.int64)
    if axis is None:
        return dequantize_reference(q, zero_points=zero_points[0], scales=scales[0])
    return dequantize_reference(q, scales, zero_points, axis)


@pytest.mark.parametrize("int_repr", [False, True])
def test_dequantize_a_bundle_to_npz_round_trips_through_numpy_load(tmp_path, qtensor_pb2,
                                                                   int_repr):
    arrays = bundle_arrays()
    write_bundle(tmp_path / "b.qtb", qtensor_pb2, arrays)
    flags = ["--int-repr"] if int_repr else []
    assert run_ok("dequantize", tmp_path / "b.qtb", *flags, "-o", tmp_path / "all.npz") == ""
    with np.load(tmp_path / "all.npz") as npz:
        assert npz.files == [name for name, *_ in arrays]
        for name, dtype, ints, scales, zero_points, axis in arrays:
            if int_repr:
                assert npz[name].dtype == NUMPY_INTS[dtype]
                assert npz[name].shape == ints.shape
                assert np.array_equal(npz[name], ints)
            else:
                assert_same_bits(npz[name], expected_floats(ints, scales, zero_points, axis))
    # A valid, uncompressed ZIP whose CRCs match (zipfile checks them).
    with zipfile.ZipFile(tmp_path / "all.npz") as archive:
        assert archive.testzip() is None
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    # Info-ZIP's reader agrees, where it is installed.
    if shutil.which("unzip"):
        check = subprocess.run(["unzip", "-t", tmp_path / "all.npz"], capture_output=True,
                               text=True)
        assert check.returncode == 0 and "No errors detected" in check.stdout, check.stdout


@pytest.mark.parametrize("int_repr", [False, True])
def test_dequantize_name_picks_one_tensor_of_a_bundle(tmp_path, qtensor_pb2, int_repr):
    arrays = bundle_arrays()
    write_bundle(tmp_path / "b.qtb", qtensor_pb2, arrays)
    flags = ["--int-repr"] if int_repr else []
    for name, dtype, ints, scales, zero_points, axis in arrays:
        run_ok("dequantize", tmp_path / "b.qtb", "--name", name, *flags, "-o", tmp_path / "t.npy")
        got = np.load(tmp_path / "t.npy")
        if int_repr:
            assert got.dtype == NUMPY_INTS[dtype] and np.array_equal(got, ints)
        else:
            assert_same_bits(got, expected_floats(ints, scales, zero_points, axis))
    # To a .npz file: one member, named after the tensor.
    run_ok("dequantize", tmp_path / "b.qtb", "--name=qint8.per_channel", "-o", tmp_path / "t.npz")
    with np.load(tmp_path / "t.npz") as npz:
        assert npz.files == ["qint8.per_channel"]


def test_dequantize_int_repr_of_a_tensor_file(tmp_path, values):
    np.save(tmp_path / "in.npy", values)
    for dtype in RANGES:
        run_ok("quantize", tmp_path / "in.npy", "--scale", "0.05", "--zero-point", "3",
               "--dtype", dtype, "-o", tmp_path / "q.qt")
        run_ok("dequantize", tmp_path / "q.qt", "--int-repr", "-o", tmp_path / "i.npy")
        got = np.load(tmp_path / "i.npy")
        assert got.dtype == NUMPY_INTS[dtype]
        assert np.array_equal(got, quantize_reference(values, 0.05, 3, dtype))
    # A .npz output holds the one array as numpy.savez names it.
    run_ok("dequantize", tmp_path / "q.qt", "-o", tmp_path / "q.npz")
    with np.load(tmp_path / "q.npz") as npz:
        assert npz.files == ["arr_0"]
        assert_same_bits(npz["arr_0"], dequantize_reference(
            quantize_reference(values, 0.05, 3, "qint32"), 0.05, 3))


def test_npz_member_names_that_are_not_file_names(tmp_path, qtensor_pb2):
    ints = np.arange(4, dtype=np.int8)
    names = {"a/b": "a%2Fb", "..": "..", "/abs": "%2Fabs", "back\\slash": "back%5Cslash",
             "100%": "100%25", "a%2Fb": "a%252Fb", "tab\there": "tab%09here",
             "del\x7f": "del%7F", "grüße ∑": "grüße ∑", "layer.0.weight": "layer.0.weight"}
    write_bundle(tmp_path / "b.qtb", qtensor_pb2,
                 [(name, "qint8", ints + i, [1.0], [0], None) for i, name in enumerate(names)])
    run_ok("dequantize", tmp_path / "b.qtb", "--int-repr", "-o", tmp_path / "n.npz")
    with np.load(tmp_path / "n.npz") as npz:
        assert npz.files == list(names.values())
        for i, key in enumerate(names.values()):
            assert np.array_equal(npz[key], ints + i)
    with zipfile.ZipFile(tmp_path / "n.npz") as archive:
        assert archive.testzip() is None
        assert all("/" not in info.filename for info in archive.infolist())


def test_a_bundle_name_that_is_not_utf8_is_refused_by_the_reader(tmp_path, qtensor_pb2):
    write_bundle(tmp_path / "b.qtb", qtensor_pb2, [("ab\u00e9", "qint8", np.zeros(2, np.int8),
                                                    [1.0], [0], None)])
    raw = (tmp_path / "b.qtb").read_bytes()
    assert raw.count("ab\u00e9".encode()) == 1
    (tmp_path / "b.qtb").write_bytes(raw.replace("ab\u00e9".encode(), b"ab\xff\xfe"))
    assert_fails(run("dequantize", tmp_path / "b.qtb", "-o", tmp_path / "n.npz"), EXIT_FAILURE,
                 "QT_ERR_CORRUPT_DATA", "UTF-8")
    assert not (tmp_path / "n.npz").exists()


def test_a_bundle_too_big_for_a_zip_without_zip64_is_refused(tmp_path, qtensor_pb2):
    pb = qtensor_pb2
    file = pb.File(magic="qtensor", format_version=1)
    for i in range(65536):
        file.bundle.tensors.add(name=f"t{i}", dtype=pb.QINT8, shape=[1], scale=1.0,
                                qscheme=pb.PER_TENSOR_AFFINE, data=bytes([i % 128]))
    (tmp_path / "many.qtb").write_bytes(file.SerializeToString())
    assert_fails(run("dequantize", tmp_path / "many.qtb", "-o", tmp_path / "many.npz"),
                 EXIT_FAILURE, "more than 4 GiB or 65535 arrays", "ZIP64", "--name")
    assert not (tmp_path / "many.npz").exists()
    # One fewer fits.
    del file.bundle.tensors[-1]
    (tmp_path / "many.qtb").write_bytes(file.SerializeToString())
    run_ok("dequantize", tmp_path / "many.qtb", "--int-repr", "-o", tmp_path / "many.npz")
    with np.load(tmp_path / "many.npz") as npz:
        assert len(npz.files) == 65535
        assert npz["t65534"].tolist() == [65534 % 128]


def test_dequantize_name_errors(tmp_path, qtensor_pb2):
    write_bundle(tmp_path / "b.qtb", qtensor_pb2, bundle_arrays()[:2])
    assert_fails(run("dequantize", tmp_path / "b.qtb", "--name", "nope", "-o", tmp_path / "x.npy"),
                 EXIT_FAILURE, "has no tensor named 'nope'", "'qint8.per_tensor', "
                 "'qint8.per_channel'")
    assert_fails(run("dequantize", tmp_path / "b.qtb", "-o", tmp_path / "x.npy"), EXIT_USAGE,
                 "is a bundle of 2 tensors", "-o OUT.npz", "--name NAME")
    write_bundle(tmp_path / "one.qtb", qtensor_pb2, bundle_arrays()[:1])
    assert_fails(run("dequantize", tmp_path / "one.qtb", "-o", tmp_path / "x"), EXIT_USAGE,
                 "is a bundle of 1 tensor:", "(tensors: 'qint8.per_tensor')")
    quantize(tmp_path, good_npy(tmp_path), *QUANTIZE_OPTIONS)
    assert_fails(run("dequantize", tmp_path / "out.qt", "--name", "w", "-o", tmp_path / "x.npy"),
                 EXIT_USAGE, "--name is for bundles")
    assert_fails(run("dequantize", tmp_path / "out.qt", "--int-repr=1", "-o", tmp_path / "x.npy"),
                 EXIT_USAGE, "--int-repr takes no value")
    assert not (tmp_path / "x.npy").exists()


# ---------------------------------------------------------------- bad input


def assert_fails(result, status, *message_parts):
    assert result.returncode == status, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("qtensor: ")
    for part in message_parts:
        assert part in lines[0]


def good_npy(tmp_path):
    path = tmp_path / "good.npy"
    np.save(path, np.arange(6, dtype=np.float32).reshape(2, 3))
    return path


QUANTIZE_OPTIONS = ("--scale", "0.1", "--zero-point", "0", "--dtype", "qint8")


def quantize(tmp_path, source, *options):
    result = run("quantize", source, *options, "-o", tmp_path / "out.qt")
    if result.returncode != 0:
        assert not (tmp_path / "out.qt").exists()
    return result


def test_missing_files(tmp_path):
    missing = tmp_path / "missing"
    assert_fails(run("info", missing), EXIT_FAILURE, "cannot open", str(missing))
    assert_fails(run("dequantize", missing, "-o", tmp_path / "x.npy"), EXIT_FAILURE,
                 "cannot open", str(missing))
    assert_fails(quantize(tmp_path, missing, *QUANTIZE_OPTIONS), EXIT_FAILURE, "cannot open")


@pytest.mark.parametrize("keep,message", [
    (-4, "data is 20 bytes but its shape needs 24"),
    (60, "truncated .npy header"),
    (9, "truncated .npy header"),
    (5, "not a .npy file"),
    (0, "not a .npy file"),
])
def test_truncated_npy(tmp_path, keep, message):
    raw = good_npy(tmp_path).read_bytes()
    (tmp_path / "cut.npy").write_bytes(raw[:keep])
    assert_fails(quantize(tmp_path, tmp_path / "cut.npy", *QUANTIZE_OPTIONS), EXIT_FAILURE,
                 message)


def test_trailing_bytes_after_the_data(tmp_path):
    raw = good_npy(tmp_path).read_bytes()
    (tmp_path / "long.npy").write_bytes(raw + b"\0")
    assert_fails(quantize(tmp_path, tmp_path / "long.npy", *QUANTIZE_OPTIONS), EXIT_FAILURE,
                 "data is 25 bytes but its shape needs 24")


@pytest.mark.parametrize("dtype,name", [("<i4", "int32"), (">i4", "int32 (big-endian)"),
                                        ("<f2", "float16"), ("<c8", "complex64"),
                                        ("|u1", "uint8")])
def test_wrong_dtype(tmp_path, dtype, name):
    np.save(tmp_path / "w.npy", np.zeros((2, 2), dtype=dtype))
    assert_fails(quantize(tmp_path, tmp_path / "w.npy", *QUANTIZE_OPTIONS), EXIT_FAILURE,
                 f"unsupported dtype '{dtype}' ({name})", "float32", "float64")


@pytest.mark.parametrize("dtype", [">f4", ">f8"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_big_endian_input_gives_the_little_endian_result(tmp_path, values, dtype, order):
    little = values.astype("<" + dtype[1:])
    big = np.asarray(values.astype(dtype), order=order)
    assert big.dtype.byteorder == ">" and np.array_equal(big, little)
    np.save(tmp_path / "little.npy", little)
    np.save(tmp_path / "big.npy", big)
    for name in ("little", "big"):
        run_ok("quantize", tmp_path / f"{name}.npy", "--scale", "0.02", "--zero-point", "-5",
               "--dtype", "qint8", "-o", tmp_path / f"{name}.qt")
    assert (tmp_path / "big.qt").read_bytes() == (tmp_path / "little.qt").read_bytes()
    # The observers see the same numbers too.
    outputs = [run_ok("quantize", tmp_path / f"{name}.npy", "--dtype", "quint8", "--axis", "1",
                      "-o", tmp_path / f"{name}.qt") for name in ("little", "big")]
    assert outputs[0] == outputs[1]
    assert (tmp_path / "big.qt").read_bytes() == (tmp_path / "little.qt").read_bytes()


def npy_with_header(header, data=b""):
    text = header.encode("latin1")
    text += b" " * ((-(10 + len(text) + 1)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text + data


@pytest.mark.parametrize("header,message", [
    ("{'descr': '<f4', 'shape': (2,), }", "exactly the keys"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "not a string"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "non-negative"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", "not a tuple"),
    ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "not a string, a bool"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,)}", "repeats"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
     "too large"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
     "overflows 64 bits"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "data is 8 bytes but its"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1, " * 65 + "), }",
     "more than 64 dimensions"),
    ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } trailing", "after its dictionary"),
])
def test_malformed_header(tmp_path, header, message):
    (tmp_path / "h.npy").write_bytes(npy_with_header(header, b"\0" * 8))
    assert_fails(quantize(tmp_path, tmp_path / "h.npy", *QUANTIZE_OPTIONS), EXIT_FAILURE, message)


def test_unsupported_npy_version(tmp_path):
    raw = bytearray(good_npy(tmp_path).read_bytes())
    raw[6] = 3
    (tmp_path / "v3.npy").write_bytes(bytes(raw))
    assert_fails(quantize(tmp_path, tmp_path / "v3.npy", *QUANTIZE_OPTIONS), EXIT_FAILURE,
                 "unsupported .npy format version 3.0")


@pytest.mark.parametrize("options,message", [
    (("--scale", "0", "--zero-point", "0", "--dtype", "qint8"), "scale"),
    (("--scale", "-0.5", "--zero-point", "0", "--dtype", "qint8"), "scale"),
    (("--scale", "nan", "--zero-point", "0", "--dtype", "qint8"), "scale"),
    (("--scale", "1e-300", "--zero-point", "0", "--dtype", "qint8"), "scale"),
    (("--scale", "abc", "--zero-point", "0", "--dtype", "qint8"), "--scale expects a number"),
    (("--scale", "0.1", "--zero-point", "300", "--dtype", "qint8"), "zero_point = 300"),
    (("--scale", "0.1", "--zero-point", "1.5", "--dtype", "qint8"), "--zero-point expects"),
    (("--scale", "0.1", "--zero-point", "0", "--dtype", "float32"), "--dtype must be"),
    (("--scale", "0.1", "--zero-point", "0"), "missing option --dtype"),
    (("--scale", "0.1,0.2", "--zero-point", "0,0", "--dtype", "qint8"), "need --axis"),
    (("--axis", "0", "--scale", "0.1,0.2", "--zero-point", "0", "--dtype", "qint8"),
     "--scale has 2 values but --zero-point has 1"),
    (("--axis", "0", "--scale", "0.1,,0.2", "--zero-point", "0,0,0", "--dtype", "qint8"),
     "empty list entry"),
    (("--frobnicate", "1", *QUANTIZE_OPTIONS), "unknown option --frobnicate"),
    (("--scale", "0.1", "--scale", "0.2", "--zero-point", "0", "--dtype", "qint8"), "twice"),
])
def test_bad_arguments(tmp_path, options, message):
    assert_fails(quantize(tmp_path, good_npy(tmp_path), *options), EXIT_USAGE, message)


def test_channel_count_must_match_the_axis(tmp_path):
    # good.npy has shape (2, 3): three scales fit axis 1, not axis 0.
    result = quantize(tmp_path, good_npy(tmp_path), "--axis", "0", "--scale", "0.1,0.2,0.3",
                      "--zero-point", "0,0,0", "--dtype", "qint8")
    assert_fails(result, EXIT_FAILURE, "QT_ERR_SHAPE_MISMATCH")
    result = quantize(tmp_path, good_npy(tmp_path), "--axis", "2", "--scale", "0.1",
                      "--zero-point", "0", "--dtype", "qint8")
    assert_fails(result, EXIT_FAILURE, "QT_ERR_INVALID_ARGUMENT")


@pytest.mark.parametrize("args,message", [
    (("frobnicate",), "unknown command 'frobnicate'"),
    (("info",), "expected exactly one FILE, got 0"),
    (("info", "a", "b"), "expected exactly one FILE, got 2"),
    (("info", "--verbose", "a"), "unknown option --verbose"),
    (("dequantize", "a.qt"), "missing option --output"),
    (("dequantize", "a.qt", "-o"), "option -o needs a value"),
    (("quantize", "-o", "x.qt"), "expected exactly one input .npy file, got 0"),
])
def test_usage_errors(args, message):
    assert_fails(run(*args), EXIT_USAGE, message)


def test_corrupt_qtensor_files(tmp_path):
    (tmp_path / "junk.qt").write_bytes(b"\x0a\x07qtensoz\x10\x01")
    assert_fails(run("info", tmp_path / "junk.qt"), EXIT_FAILURE, "QT_ERR_CORRUPT_DATA",
                 str(tmp_path / "junk.qt"))
    good_npy(tmp_path)
    assert_fails(run("dequantize", tmp_path / "junk.qt", "-o", tmp_path / "x.npy"),
                 EXIT_FAILURE, "QT_ERR_CORRUPT_DATA")
    assert not (tmp_path / "x.npy").exists()


# ------------------------------------------- a valid file of the other kind

def test_info_and_dequantize_of_a_npy_file_say_what_it_is(tmp_path):
    path = good_npy(tmp_path)
    for args in (("info", path), ("dequantize", path, "-o", tmp_path / "x.npy")):
        result = run(*args)
        assert_fails(result, EXIT_FAILURE, f"{path} is a NumPy .npy file (float32, shape (2, 3))",
                     "not a qtensor file", f"qtensor quantize {path}")
        assert "CORRUPT" not in result.stderr and "convert it first" not in result.stderr
    np.save(tmp_path / "v.npy", np.zeros(3, dtype=">i2"))
    assert_fails(run("info", tmp_path / "v.npy"), EXIT_FAILURE,
                 "is a NumPy .npy file (int16 (big-endian), shape (3,))",
                 "qtensor quantize reads float32 and float64: convert it first")
    (tmp_path / "bad.npy").write_bytes(npy_with_header("{'descr': '<f4', }"))
    assert_fails(run("info", tmp_path / "bad.npy"), EXIT_FAILURE,
                 "looks like a NumPy .npy file (the .npy header must have exactly the keys")
    np.savez(tmp_path / "z.npz", a=np.zeros(2))
    assert_fails(run("info", tmp_path / "z.npz"), EXIT_FAILURE, "is a ZIP archive (a NumPy .npz")


def test_quantize_of_a_qtensor_file_says_what_it_is(tmp_path, qtensor_pb2):
    quantize(tmp_path, good_npy(tmp_path), *QUANTIZE_OPTIONS)
    result = run("quantize", tmp_path / "out.qt", *QUANTIZE_OPTIONS, "-o", tmp_path / "again.qt")
    assert_fails(result, EXIT_FAILURE, "is a qtensor file (qint8, shape (2, 3)), not a .npy file",
                 "qtensor dequantize")
    assert "magic" not in result.stderr
    write_bundle(tmp_path / "b.qtb", qtensor_pb2, bundle_arrays())
    assert_fails(run("quantize", tmp_path / "b.qtb", *QUANTIZE_OPTIONS, "-o", tmp_path / "a.qt"),
                 EXIT_FAILURE, "is a qtensor bundle file (6 tensors), not a .npy file")
    assert not (tmp_path / "again.qt").exists() and not (tmp_path / "a.qt").exists()


def test_unwritable_output(tmp_path):
    result = quantize(tmp_path, good_npy(tmp_path), *QUANTIZE_OPTIONS)
    assert result.returncode == 0
    assert_fails(run("dequantize", tmp_path / "out.qt", "-o", tmp_path / "no" / "x.npy"),
                 EXIT_FAILURE, "cannot create")
    assert_fails(run("quantize", good_npy(tmp_path), *QUANTIZE_OPTIONS, "-o",
                     tmp_path / "no" / "x.qt"), EXIT_FAILURE, "QT_ERR_IO")


def test_help_lists_the_subcommands():
    text = run_ok("--help")
    for usage in ("qtensor info FILE", "qtensor quantize IN.npy --scale S --zero-point Z",
                  "[--axis A] -o OUT", "qtensor dequantize IN [--int-repr] -o OUT.npy",
                  "qtensor dequantize BUNDLE --name NAME [--int-repr] -o OUT.npy",
                  "qtensor dequantize BUNDLE [--int-repr] -o OUT.npz", "qtensor help COMMAND"):
        assert usage in text
    assert run_ok("help") == text
    assert run_ok("-h") == text
    assert run_ok("--version").startswith("qtensor 0.2.0 (SIMD target ")


@pytest.mark.parametrize("command", ["info", "quantize", "dequantize", "convert"])
def test_each_command_has_one_usage_for_every_form_of_help(command):
    usage = run_ok("help", command)
    assert usage.startswith(f"usage:\nqtensor {command} ")
    # The overall help is made of the commands' usages.
    assert usage[len("usage:\n"):] in run_ok("--help")
    assert run_ok("--help", command) == usage
    assert run_ok(command, "--help") == usage
    assert run_ok(command, "-h") == usage
    # Asking for help wins over whatever else is given, valid or not.
    assert run_ok(command, "missing.qt", "--frobnicate", "--help", "-o") == usage


@pytest.mark.parametrize("args,message", [
    (("help", "frobnicate"), "no command 'frobnicate'; the commands are info, quantize, "
                             "dequantize, convert"),
    (("help", "info", "quantize"), "help takes one command, got 2"),
    (("frobnicate", "--help"), "unknown command 'frobnicate'; the commands are info"),
    (("--version", "x"), "unknown command '--version'"),
])
def test_help_usage_errors(args, message):
    assert_fails(run(*args), EXIT_USAGE, message)


# ------------------------------------------- quantize with parameters from data

def observe_with_torch(x, dtype, symmetric, reduce_range, observer, axis, constant=0.01):
    """(scales, zero_points) of torch.ao.quantization's observer for what the
    CLI does: the whole array as one batch (minmax), or each slice along dim 0
    as a batch (moving-average)."""
    from torch.ao import quantization as tq
    td = {"qint8": torch.qint8, "quint8": torch.quint8, "qint32": torch.qint32}[dtype]
    if axis is None:
        scheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
        kw = {}
        cls = tq.MovingAverageMinMaxObserver if observer == "moving-average" else tq.MinMaxObserver
    else:
        scheme = torch.per_channel_symmetric if symmetric else torch.per_channel_affine
        cls = (tq.MovingAveragePerChannelMinMaxObserver if observer == "moving-average"
               else tq.PerChannelMinMaxObserver)
        kw = {"ch_axis": axis - 1 if observer == "moving-average" and axis > 0 else axis}
    if observer == "moving-average":
        kw["averaging_constant"] = constant
    obs = cls(dtype=td, qscheme=scheme, reduce_range=reduce_range, **kw)
    batches = list(x) if observer == "moving-average" else [x]
    for b in batches:
        obs(torch.from_numpy(np.ascontiguousarray(b)))
    s, z = obs.calculate_qparams()
    return s.numpy(), z.numpy()


# Every combination but symmetric quint8 with reduce_range, which is refused
# as PyTorch refuses it (test_quantize_observer_bad_options).
PICKED_PARAMETER_CASES = [
    (observer, dtype, symmetric, reduce_range, axis)
    for observer in ("minmax", "moving-average")
    for dtype in ("qint8", "quint8", "qint32")
    for symmetric in (False, True)
    for reduce_range in (False, True)
    for axis in (None, 1, -1)
    if not (symmetric and reduce_range and dtype == "quint8")
]


@pytest.mark.parametrize("observer,dtype,symmetric,reduce_range,axis", PICKED_PARAMETER_CASES)
def test_quantize_without_scale_picks_torchs_parameters(tmp_path, observer, dtype, symmetric,
                                                        reduce_range, axis):
    rng = np.random.default_rng(11)
    x = (rng.standard_normal((4, 3, 5)) * 3 + 0.5).astype(np.float32)
    np.save(tmp_path / "in.npy", x)
    args = ["quantize", tmp_path / "in.npy", "--dtype", dtype, "-o", tmp_path / "q.qt"]
    if observer != "minmax":
        args += ["--observer", observer, "--averaging-constant", "0.25"]
    if symmetric:
        args.append("--symmetric")
    if reduce_range:
        args.append("--reduce-range")
    if axis is not None:
        args += ["--axis", axis]
    printed = run_ok(*args)
    scales, zero_points = observe_with_torch(x, dtype, symmetric, reduce_range, observer, axis,
                                             0.25)
    words = printed.split()
    assert printed.startswith(f"{observer} observer, ")
    if axis is None:
        assert words[-4] == "scale" and words[-2] == "zero_point"
        got_scales, got_zps = [words[-3]], [words[-1]]
    else:
        assert words[-6:-4] == ["axis", str(axis)]
        got_scales, got_zps = words[-3].split(","), words[-1].split(",")
    assert [np.float32(float(s)) for s in got_scales] == scales.tolist()
    assert [int(z) for z in got_zps] == zero_points.tolist()
    # The file holds x quantized with those parameters.
    run_ok("dequantize", tmp_path / "q.qt", "-o", tmp_path / "back.npy")
    q = quantize_reference(x, scales, zero_points, dtype, None if axis is None else axis)
    expected = (dequantize_reference(q, float(scales[0]), int(zero_points[0])) if axis is None
                else dequantize_reference(q, scales.astype(np.float64), zero_points, axis))
    assert_same_bits(np.load(tmp_path / "back.npy"), expected)


@pytest.mark.parametrize("options, status, message", [
    (["--observer", "histogram", "--axis", "1"], EXIT_USAGE, "per tensor"),
    (["--observer", "kmeans"], EXIT_USAGE, "--observer must be"),
    (["--symmetric", "--reduce-range"], EXIT_USAGE, "reduce_range is not supported"),
    (["--averaging-constant", "0.5"], EXIT_USAGE, "needs --observer moving-average"),
    (["--observer", "moving-average", "--averaging-constant", "2"], EXIT_USAGE,
     "averaging_constant"),
    (["--observer", "moving-average", "--axis", "0"], EXIT_USAGE, "cannot be dim 0"),
    (["--scale", "0.1", "--zero-point", "0", "--symmetric"], EXIT_USAGE,
     "leave out --scale"),
    (["--scale", "0.1"], EXIT_USAGE, "missing option --zero-point"),
    (["--symmetric=1"], EXIT_USAGE, "takes no value"),
    (["--axis", "5"], EXIT_FAILURE, "ch_axis 5"),
])
def test_quantize_observer_bad_options(tmp_path, options, status, message):
    np.save(tmp_path / "in.npy", np.ones((2, 3), np.float32))
    result = run("quantize", tmp_path / "in.npy", "--dtype", "quint8", "-o", tmp_path / "q.qt",
                 *options)
    assert result.returncode == status, result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "q.qt").exists()


@pytest.mark.parametrize("values, message", [
    (np.array([1.0, np.nan], np.float32), "NaN"),
    (np.array([1.0, np.inf], np.float32), "infinite scale"),
    (np.zeros((0, 3), np.float32), "before the observer saw any data"),
])
def test_quantize_observer_refuses_data_without_parameters(tmp_path, values, message):
    np.save(tmp_path / "in.npy", values)
    result = run("quantize", tmp_path / "in.npy", "--dtype", "qint8", "-o", tmp_path / "q.qt")
    assert result.returncode == EXIT_FAILURE
    assert message in result.stderr
    assert not (tmp_path / "q.qt").exists()


@pytest.mark.parametrize("dtype", ["qint8", "quint8"])
@pytest.mark.parametrize("symmetric", [False, True])
def test_quantize_with_the_histogram_observer_picks_torchs_parameters(tmp_path, dtype, symmetric):
    from torch.ao import quantization as tq
    x = (np.random.default_rng(5).standard_normal((20, 30)) * 2 + 0.3).astype(np.float32)
    np.save(tmp_path / "in.npy", x)
    args = ["quantize", tmp_path / "in.npy", "--dtype", dtype, "--observer", "histogram",
            "-o", tmp_path / "q.qt"]
    printed = run_ok(*(args + (["--symmetric"] if symmetric else [])))
    obs = tq.HistogramObserver(dtype=getattr(torch, dtype), qscheme=torch.per_tensor_symmetric
                               if symmetric else torch.per_tensor_affine)
    obs(torch.from_numpy(x))
    s, z = obs.calculate_qparams()
    words = printed.split()
    assert printed.startswith("histogram observer, ")
    assert np.float32(float(words[-3])) == s.numpy()[0] and int(words[-1]) == z.item()


def gguf_string(text):
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def write_gguf(path, tensors, metadata):
    """A GGUF v3 file written from the specification, independently of qtensor:
    metadata as (key, type id, packed value bytes), tensors as (name, ne, ggml
    type, bytes), each tensor's data at the next multiple of 32."""
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, type_id, value in metadata:
        out += gguf_string(key) + struct.pack("<I", type_id) + value
    offset = 0
    for name, ne, ggml_type, data in tensors:
        out += gguf_string(name) + struct.pack("<I", len(ne)) + struct.pack(f"<{len(ne)}Q", *ne)
        out += struct.pack("<IQ", ggml_type, offset)
        offset += (len(data) + 31) // 32 * 32
    out += b"\0" * (-len(out) % 32)
    for _, _, _, data in tensors:
        out += data + b"\0" * (-len(data) % 32)
    path.write_bytes(out)
    return out


def q8_0_blocks(d_values, q):
    """Q8_0 blocks: a float16 d, then 32 int8 values, per block."""
    out = b""
    for b, d in enumerate(d_values):
        out += np.float16(d).tobytes() + q[b * 32:(b + 1) * 32].astype(np.int8).tobytes()
    return out


def test_convert_gguf_to_qtensor_and_back_gives_the_same_file(tmp_path):
    rng = np.random.default_rng(7)
    q = rng.integers(-128, 128, size=128)
    d = [0.5, -0.25, 0.0, 0.001]
    q4 = bytes([0x7c, 0x3a]) + bytes(rng.integers(0, 256, size=16, dtype=np.uint8))
    metadata = [("general.architecture", 8, gguf_string("llama")),
                ("llama.context_length", 4, struct.pack("<I", 4096))]
    original = write_gguf(tmp_path / "in.gguf",
                          [("w", [64, 2], 8, q8_0_blocks(d, q)), ("v", [32], 2, q4)], metadata)
    text = run_ok("info", tmp_path / "in.gguf")
    assert text.startswith("GGUF file: bundle of 2 tensors\nw:\n")
    assert "  general.architecture: STRING \"llama\"\n" in text
    assert "  llama.context_length: UINT32 4096\n" in text
    assert "quantization_scheme=qtensor.per_block_affine" in text
    assert "scale=tensor([ 0.5000, -0.2500,  0.0000,  0.0010], dtype=qtensor.float64)" in text

    assert run_ok("convert", tmp_path / "in.gguf", "-o", tmp_path / "mid.qt") == \
        f"wrote 2 tensors to {tmp_path / 'mid.qt'} (qtensor container)\n"
    run_ok("dequantize", tmp_path / "mid.qt", "--name", "w", "--int-repr", "-o",
           tmp_path / "w.npy")
    assert np.array_equal(np.load(tmp_path / "w.npy"), q.reshape(2, 64))
    run_ok("dequantize", tmp_path / "mid.qt", "--name", "w", "-o", tmp_path / "wf.npy")
    expected = (q.astype(np.float32).reshape(4, 32) *
                np.float16(d).astype(np.float32)[:, None]).reshape(2, 64)
    assert np.array_equal(np.load(tmp_path / "wf.npy"), expected)

    run_ok("convert", tmp_path / "mid.qt", "-o", tmp_path / "out.gguf")
    assert (tmp_path / "out.gguf").read_bytes() == original


def test_convert_refusals(tmp_path):
    quantize(tmp_path, good_npy(tmp_path), *QUANTIZE_OPTIONS)
    assert_fails(run("convert", tmp_path / "out.qt", "-o", tmp_path / "x.gguf"), EXIT_FAILURE,
                 "QT_ERR_INVALID_ARGUMENT: tensor 'tensor' does not fit GGUF: GGUF's Q8_0 and "
                 "Q4_0 need a per-block quantizer")
    assert not (tmp_path / "x.gguf").exists()
    write_gguf(tmp_path / "k.gguf", [("k", [256], 12, bytes(144))], [])
    assert_fails(run("convert", tmp_path / "k.gguf", "-o", tmp_path / "k.qt"), EXIT_FAILURE,
                 "QT_ERR_CORRUPT_DATA: GGUF tensors[0] (\"k\") is of ggml type Q4_K: qtensor "
                 "reads F32, F16, BF16, Q8_0 and Q4_0 tensors")
    assert_fails(run("convert", tmp_path / "k.gguf"), EXIT_USAGE, "--output")


def test_dequantize_reads_gguf_files_and_writes_float_entries_as_they_are(tmp_path):
    f32 = np.array([[1.5, -0.0], [np.inf, 3e-45]], dtype=np.float32)
    f16 = np.array([0.5, -2.0, 65504.0], dtype=np.float16)
    bf16_bits = np.array([0x3fc0, 0xff80, 0x0001], dtype=np.uint16)  # 1.5, -inf, a subnormal
    q = np.arange(-16, 16)
    write_gguf(tmp_path / "m.gguf",
               [("norm", [2, 2], 0, f32.tobytes()), ("emb", [3], 1, f16.tobytes()),
                ("bf", [3], 30, bf16_bits.astype("<u2").tobytes()),
                ("w", [32], 8, q8_0_blocks([0.25], q))], [])
    for flags in ([], ["--int-repr"]):
        run_ok("dequantize", tmp_path / "m.gguf", *flags, "-o", tmp_path / "all.npz")
        with np.load(tmp_path / "all.npz") as npz:
            assert npz.files == ["norm", "emb", "bf", "w"]
            assert npz["norm"].dtype == np.float32 and npz["norm"].tobytes() == f32.tobytes()
            assert npz["emb"].dtype == np.float16 and npz["emb"].tobytes() == f16.tobytes()
            widened = (bf16_bits.astype(np.uint32) << 16).view(np.float32)
            assert npz["bf"].dtype == np.float32 and npz["bf"].tobytes() == widened.tobytes()
            expected_w = q.astype(np.int8) if flags else q.astype(np.float32) * np.float32(0.25)
            assert npz["w"].dtype == expected_w.dtype
            assert np.array_equal(npz["w"], expected_w)
    run_ok("dequantize", tmp_path / "m.gguf", "--name", "emb", "-o", tmp_path / "emb.npy")
    got = np.load(tmp_path / "emb.npy")
    assert got.dtype == np.float16 and got.tobytes() == f16.tobytes()
    assert_fails(run("dequantize", tmp_path / "m.gguf", "-o", tmp_path / "x.npy"), EXIT_USAGE,
                 "is a bundle of 4 tensors", "'norm', 'emb', 'bf', 'w'")


def test_info_lists_a_gguf_file_qtensor_cannot_hold(tmp_path):
    q = np.arange(-16, 16)
    metadata = [("general.architecture", 8, gguf_string("llama")),
                ("general.file_type", 4, struct.pack("<I", 15))]
    write_gguf(tmp_path / "k.gguf",
               [("blk.0.ffn_down.weight", [256, 2], 12, bytes(288)),
                ("w", [32], 8, q8_0_blocks([0.25], q)),
                ("norm", [3], 0, np.float32([1, 2, 3]).tobytes())], metadata)
    assert run_ok("info", tmp_path / "k.gguf") == "\n".join([
        "GGUF file, version 3, 3 tensors (qtensor reads 2 of them: F32, F16, BF16, Q8_0 "
        "and Q4_0)",
        '  "blk.0.ffn_down.weight": Q4_K, shape (2, 256), 288 bytes (not read by qtensor)',
        '  "w": Q8_0, shape (32,), 34 bytes',
        '  "norm": F32, shape (3,), 12 bytes',
        "metadata (2 keys):",
        '  "general.architecture": STRING "llama"',
        '  "general.file_type": UINT32 15',
        'not readable as a qtensor bundle: QT_ERR_CORRUPT_DATA: GGUF tensors[0] '
        '("blk.0.ffn_down.weight") is of ggml type Q4_K: qtensor reads F32, F16, BF16, Q8_0 '
        "and Q4_0 tensors", ""])
    (tmp_path / "bad.gguf").write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 1, 0))
    assert_fails(run("info", tmp_path / "bad.gguf"), EXIT_FAILURE, "QT_ERR_CORRUPT_DATA",
                 str(tmp_path / "bad.gguf"))


def test_convert_to_onnx_and_back_and_info_of_an_onnx_model(tmp_path):
    q = np.arange(-16, 16)
    f16 = np.array([0.5, -2.0], dtype=np.float16)
    write_gguf(tmp_path / "m.gguf", [("w", [32], 8, q8_0_blocks([0.25], q)),
                                     ("emb", [2], 1, f16.tobytes())],
               [("general.architecture", 8, gguf_string("llama"))])
    assert run_ok("convert", tmp_path / "m.gguf", "-o", tmp_path / "m.onnx") == \
        f"wrote 2 tensors to {tmp_path / 'm.onnx'} (ONNX)\n"
    text = run_ok("info", tmp_path / "m.onnx")
    assert text.startswith("ONNX model: bundle of 2 tensors\nw:\n")
    assert "emb:\nunquantized float16, shape (2,)\n" in text
    assert '  general.architecture: STRING "llama"\n' in text
    run_ok("dequantize", tmp_path / "m.onnx", "-o", tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as npz:
        assert np.array_equal(npz["w"], q.astype(np.float32) * np.float32(0.25))
        assert npz["emb"].dtype == np.float16 and npz["emb"].tobytes() == f16.tobytes()
    # ONNX -> qtensor -> GGUF: the original file's tensor bytes again.
    run_ok("convert", tmp_path / "m.onnx", "-o", tmp_path / "m.qtb")
    run_ok("convert", tmp_path / "m.qtb", "-o", tmp_path / "back.gguf")
    assert (tmp_path / "back.gguf").read_bytes() == (tmp_path / "m.gguf").read_bytes()
    (tmp_path / "bad.onnx").write_bytes(b"\x08\x0a\x3a\x01")
    assert_fails(run("info", tmp_path / "bad.onnx"), EXIT_FAILURE, "QT_ERR_CORRUPT_DATA",
                 "ONNX model")


def test_containers_convert_both_ways_verify_and_read_in_every_command(tmp_path):
    q = np.arange(-16, 16)
    f16 = np.array([0.5, -2.0], dtype=np.float16)
    write_gguf(tmp_path / "m.gguf", [("w", [32], 8, q8_0_blocks([0.25], q)),
                                     ("emb", [2], 1, f16.tobytes())],
               [("general.architecture", 8, gguf_string("llama"))])
    assert run_ok("convert", tmp_path / "m.gguf", "-o", tmp_path / "m.qtc", "--container") == \
        f"wrote 2 tensors to {tmp_path / 'm.qtc'} (qtensor container)\n"
    assert (tmp_path / "m.qtc").read_bytes()[:8] == b"\x89QTBNDL\n"
    assert run_ok("verify", tmp_path / "m.qtc") == \
        f"{tmp_path / 'm.qtc'}: 2 entries, every checksum matches\n"
    text = run_ok("info", tmp_path / "m.qtc")
    assert text.startswith("container: bundle of 2 tensors\nw:\n")
    assert "emb:\nunquantized float16, shape (2,)\n" in text
    run_ok("dequantize", tmp_path / "m.qtc", "-o", tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as npz:
        assert np.array_equal(npz["w"], q.astype(np.float32) * np.float32(0.25))
        assert npz["emb"].tobytes() == f16.tobytes()
    # Container -> message form -> GGUF: the original bytes.
    assert run_ok("convert", tmp_path / "m.qtc", "-o", tmp_path / "m.qtb", "--message") == \
        f"wrote 2 tensors to {tmp_path / 'm.qtb'} (qtensor bundle (message form))\n"
    assert (tmp_path / "m.qtb").read_bytes()[:1] == b"\x0a"
    # Without a form, a qtensor output is a container (the default form).
    run_ok("convert", tmp_path / "m.qtb", "-o", tmp_path / "again.qtc")
    assert (tmp_path / "again.qtc").read_bytes() == (tmp_path / "m.qtc").read_bytes()
    run_ok("convert", tmp_path / "m.qtb", "-o", tmp_path / "back.gguf")
    assert (tmp_path / "back.gguf").read_bytes() == (tmp_path / "m.gguf").read_bytes()
    assert run_ok("verify", tmp_path / "m.qtb") == \
        f"{tmp_path / 'm.qtb'}: a qtensor bundle (message form) file of 2 tensors, read and validated " \
        "(it has no checksums)\n"

    # One changed payload byte: verify names the entry; info still reads.
    data = bytearray((tmp_path / "m.qtc").read_bytes())
    data[64] ^= 0x01
    (tmp_path / "bad.qtc").write_bytes(bytes(data))
    assert_fails(run("verify", tmp_path / "bad.qtc"), EXIT_FAILURE, "QT_ERR_CORRUPT_DATA",
                 'entries[0] ("w")', "XXH3-64")
    assert_fails(run("convert", tmp_path / "m.qtc", "-o", tmp_path / "x.gguf", "--container"),
                 EXIT_USAGE, "--container is a qtensor file's form")
    assert_fails(run("convert", tmp_path / "m.qtc", "-o", tmp_path / "x.onnx", "--message"),
                 EXIT_USAGE, "--message is a qtensor file's form")
    assert_fails(run("convert", tmp_path / "m.qtc", "-o", tmp_path / "x.qt", "--message",
                     "--container"), EXIT_USAGE, "two forms")
    (tmp_path / "short.qtc").write_bytes(bytes(data[:40]))
    assert_fails(run("info", tmp_path / "short.qtc"), EXIT_FAILURE, "QT_ERR_CORRUPT_DATA")

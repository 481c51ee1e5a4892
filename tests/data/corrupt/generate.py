#!/usr/bin/env python3
"""Writes the corrupt qtensor files of this directory and their MANIFEST.

Each file breaks one rule of docs/format.md (or is a valid file truncated at
a field boundary, or with one bit flipped); MANIFEST lists, for each, whether
it is loaded as a tensor or a bundle, the status the library must return and
a substring of its message. tests/io/test_corrupt_files.cc checks them.

The messages are built with Python's protobuf runtime from classes that protoc
generates at run time from proto/qtensor.proto, so nothing here shares code
with the library. The output is deterministic.

usage: /usr/bin/python3 generate.py [OUT_DIR]   (default: this directory;
$QTENSOR_PROTOC, if set, names the protoc to use)
"""

import math
import os
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
PROTO_DIR = HERE.parent.parent.parent / "proto"
CORRUPT = "QT_ERR_CORRUPT_DATA"


def load_classes(tmp):
    protoc = os.environ.get("QTENSOR_PROTOC", "protoc")
    subprocess.run([protoc, "--proto_path=%s" % PROTO_DIR, "--python_out=%s" % tmp,
                    "qtensor.proto"], check=True)
    sys.path.insert(0, tmp)
    import qtensor_pb2  # noqa: E402  (generated above)
    return qtensor_pb2


def main():
    out_dir = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pb = load_classes(tmp)
        cases = build_cases(pb)
    lines = ["# file\tkind\tstatus\tmessage substring (written by generate.py; do not edit)"]
    for name, kind, payload, status, substring in cases:
        (out_dir / name).write_bytes(payload)
        lines.append("\t".join([name, kind, status, substring]))
    (out_dir / "MANIFEST").write_text("\n".join(lines) + "\n")


def serialize(message):
    return message.SerializeToString(deterministic=True)


def with_fields(t, fields):
    """The Tensor message t with fields (name: value) set or replaced."""
    for key, value in fields.items():
        if key in ("shape", "scales", "zero_points", "float_zero_points"):
            t.ClearField(key)
            getattr(t, key).extend(value)
        else:
            setattr(t, key, value)
    return t


def per_tensor(pb, **fields):
    t = pb.Tensor(dtype=pb.QINT8, shape=[2, 3], qscheme=pb.PER_TENSOR_AFFINE, scale=0.5,
                  zero_point=1, data=bytes([0x80, 0xff, 0, 1, 2, 0x7f]))
    return with_fields(t, fields)


def per_channel(pb, **fields):
    t = pb.Tensor(dtype=pb.QUINT8, shape=[2, 3], qscheme=pb.PER_CHANNEL_AFFINE,
                  scales=[0.5, 0.25, 1.0], zero_points=[0, 128, 255], axis=1,
                  data=bytes([0, 1, 2, 3, 4, 5]))
    return with_fields(t, fields)


def float_entry(pb, name, **fields):
    """A bundle's float entry: float16 [2, 3] with 12 bytes of data."""
    t = pb.Tensor(dtype=pb.DTYPE_FLOAT16, shape=[2, 3], data=bytes(range(12)), name=name)
    return with_fields(t, fields)


def float_qparams(pb, **fields):
    """A valid PER_CHANNEL_AFFINE_FLOAT_QPARAMS tensor (format version 2),
    with fields replaced."""
    t = pb.Tensor(dtype=pb.QUINT8, shape=[2, 3], qscheme=pb.PER_CHANNEL_AFFINE_FLOAT_QPARAMS,
                  scales=[0.5, 0.25, 1.0], float_zero_points=[1.5, -300.25, 1e10], axis=1,
                  scale_type=pb.FLOAT32, data=bytes([0, 1, 2, 3, 4, 5]))
    return with_fields(t, fields)


def tensor_file(pb, tensor, magic="qtensor", version=1):
    return serialize(pb.File(magic=magic, format_version=version, tensor=tensor))


def bundle_file(pb, tensors, metadata=None):
    bundle = pb.Bundle(tensors=tensors)
    for key, value in (metadata or {}).items():
        bundle.metadata[key] = value
    return serialize(pb.File(magic="qtensor", format_version=1, bundle=bundle))


def named(tensor, name):
    tensor.name = name
    return tensor


def field_boundaries(payload):
    """Offsets where a field starts or ends, top level and inside the tensor."""
    def read_varint(at):
        value, shift = 0, 0
        while True:
            byte = payload[at]
            value |= (byte & 0x7f) << shift
            at += 1
            shift += 7
            if byte < 0x80:
                return value, at

    def walk(start, end, nested_fields, out):
        at = start
        while at < end:
            out.add(at)
            tag, at = read_varint(at)
            wire = tag & 7
            if wire == 0:
                _, at = read_varint(at)
            elif wire == 1:
                at += 8
            elif wire == 2:
                length, at = read_varint(at)
                if (tag >> 3) in nested_fields:
                    walk(at, at + length, (), out)
                at += length
            else:
                raise ValueError("unexpected wire type %d" % wire)
        out.add(end)

    boundaries = set()
    walk(0, len(payload), (3,), boundaries)
    return sorted(boundaries)


def build_cases(pb):
    cases = []

    def add(name, payload, substring, kind="tensor", status=CORRUPT):
        cases.append((name, kind, payload, status, substring))

    # Not protobuf, wrong header, wrong content.
    add("not_protobuf.qt", b"\xff\xff\xff\xff", "malformed data")
    add("empty_file.qt", b"", 'magic is ""')
    add("magic_wrong.qt", tensor_file(pb, per_tensor(pb), magic="qtensoR"),
        'magic is "qtensoR", expected "qtensor"')
    add("magic_missing.qt", tensor_file(pb, per_tensor(pb), magic=""), 'magic is ""')
    # Same length as "qtensor" so only the bytes change: invalid UTF-8.
    add("magic_invalid_utf8.qt",
        tensor_file(pb, per_tensor(pb), magic="qtenZZZ").replace(b"qtenZZZ", b"qten\xff\xfe\xfd"),
        "malformed data")
    add("format_version_0.qt", tensor_file(pb, per_tensor(pb), version=0),
        "format_version is 0")
    add("format_version_3.qt", tensor_file(pb, per_tensor(pb), version=3),
        "format_version 3 is newer than this library reads (2)")
    add("no_content.qt", serialize(pb.File(magic="qtensor", format_version=1)),
        "neither a tensor nor a bundle")
    add("bundle_read_as_tensor.qt", bundle_file(pb, [named(per_tensor(pb), "a")]),
        "holds a bundle, not a single tensor")
    add("tensor_read_as_bundle.qt", tensor_file(pb, per_tensor(pb)),
        "holds a single tensor, not a bundle", kind="bundle")

    # Each tensor rule broken on its own.
    add("dtype_unspecified.qt", tensor_file(pb, per_tensor(pb, dtype=0)), "dtype 0 is unknown")
    add("dtype_99.qt", tensor_file(pb, per_tensor(pb, dtype=99)), "dtype 99 is unknown")
    add("dtype_float_single_tensor.qt",
        tensor_file(pb, float_entry(pb, ""), version=2),
        "tensor: dtype 11 (float16) is an unquantized float entry, which only a bundle holds")
    add("dtype_negative.qt", tensor_file(pb, per_tensor(pb, dtype=-1)), "dtype -1 is unknown")
    add("qscheme_unspecified.qt", tensor_file(pb, per_tensor(pb, qscheme=0)),
        "qscheme 0 is unknown")
    add("qscheme_5.qt", tensor_file(pb, per_tensor(pb, qscheme=5)), "qscheme 5 is unknown")
    add("rank_65.qt", tensor_file(pb, per_tensor(pb, shape=[1] * 65, data=b"\x00")),
        "rank 65 exceeds the maximum of 64")
    add("rank_64_valid_but_data_short.qt",
        tensor_file(pb, per_tensor(pb, shape=[1] * 64, data=b"")),
        "data holds 0 bytes but shape [1, 1,")
    add("dim_negative.qt", tensor_file(pb, per_tensor(pb, shape=[2, -3])),
        "shape[1] = -3 is negative")
    add("shape_overflows_int64.qt", tensor_file(pb, per_tensor(pb, shape=[2**32, 2**32])),
        "shape [4294967296, 4294967296] is too large")
    add("shape_overflows_int64_times_zero.qt",
        tensor_file(pb, per_tensor(pb, shape=[2**62, 4, 0], data=b"")),
        "shape [4611686018427387904, 4, 0] is too large")
    add("shape_bytes_too_large_qint32.qt",
        tensor_file(pb, per_tensor(pb, dtype=pb.QINT32, shape=[2**47], data=b"")),
        "shape [140737488355328] is too large")
    add("data_short_by_one.qt", tensor_file(pb, per_tensor(pb, data=bytes(5))),
        "data holds 5 bytes but shape [2, 3] of qint8 needs 6")
    add("data_long_by_one.qt", tensor_file(pb, per_tensor(pb, data=bytes(7))),
        "data holds 7 bytes but shape [2, 3] of qint8 needs 6")
    add("data_qint32_short_by_one.qt",
        tensor_file(pb, per_tensor(pb, dtype=pb.QINT32, shape=[2], data=bytes(7))),
        "data holds 7 bytes but shape [2] of qint32 needs 8")
    add("data_for_empty_tensor.qt", tensor_file(pb, per_tensor(pb, shape=[0, 3], data=b"\x01")),
        "data holds 1 bytes but shape [0, 3] of qint8 needs 0")
    add("data_missing_0dim.qt", tensor_file(pb, per_tensor(pb, shape=[], data=b"")),
        "data holds 0 bytes but shape [] of qint8 needs 1")
    add("scale_unset.qt", tensor_file(pb, per_tensor(pb, scale=0.0)),
        "tensor: scale must be positive and finite, got 0.0")
    add("scale_negative.qt", tensor_file(pb, per_tensor(pb, scale=-0.5)),
        "scale must be positive and finite, got -0.5")
    add("scale_nan.qt", tensor_file(pb, per_tensor(pb, scale=math.nan)),
        "scale must be positive and finite, got nan")
    add("scale_inf.qt", tensor_file(pb, per_tensor(pb, scale=math.inf)),
        "scale must be positive and finite, got inf")
    add("scale_overflows_float32.qt", tensor_file(pb, per_tensor(pb, scale=1e39)),
        "it overflows float32")
    add("scale_reciprocal_not_finite.qt", tensor_file(pb, per_tensor(pb, scale=1e-39)),
        "its float32 reciprocal is not finite")
    add("zero_point_above_qint8.qt", tensor_file(pb, per_tensor(pb, zero_point=128)),
        "zero_point = 128 is outside the range of qint8 [-128, 127]")
    add("zero_point_below_quint8.qt",
        tensor_file(pb, per_tensor(pb, dtype=pb.QUINT8, zero_point=-1)),
        "zero_point = -1 is outside the range of quint8 [0, 255]")
    add("zero_point_above_qint32.qt",
        tensor_file(pb, per_tensor(pb, dtype=pb.QINT32, shape=[2], data=bytes(8),
                                   zero_point=2**31)),
        "zero_point = 2147483648 is outside the range of qint32")
    add("per_tensor_with_scales.qt", tensor_file(pb, per_tensor(pb, scales=[0.5])),
        "scales has 1 values: a per-tensor tensor has no per-channel fields")
    add("per_tensor_with_zero_points.qt", tensor_file(pb, per_tensor(pb, zero_points=[0])),
        "zero_points has 1 values: a per-tensor tensor has no per-channel fields")
    add("per_tensor_with_axis.qt", tensor_file(pb, per_tensor(pb, axis=1)),
        "axis is 1: a per-tensor tensor has no per-channel fields")
    add("per_channel_with_scale.qt", tensor_file(pb, per_channel(pb, scale=0.5)),
        "scale is 0.5: a per-channel tensor leaves the per-tensor fields 0")
    add("per_channel_with_zero_point.qt", tensor_file(pb, per_channel(pb, zero_point=3)),
        "zero_point is 3: a per-channel tensor leaves the per-tensor fields 0")
    add("per_channel_axis_2_of_rank_2.qt", tensor_file(pb, per_channel(pb, axis=2)),
        "axis 2 is out of range for rank 2")
    add("per_channel_axis_negative.qt", tensor_file(pb, per_channel(pb, axis=-1)),
        "axis -1 is out of range for rank 2")
    add("per_channel_0dim.qt",
        tensor_file(pb, per_channel(pb, shape=[], axis=0, scales=[], zero_points=[],
                                    data=b"\x00")),
        "axis 0 is out of range for rank 0")
    add("per_channel_scales_short_by_one.qt", tensor_file(pb, per_channel(pb, scales=[0.5, 0.25])),
        "scales has 2 values but shape[1] = 3 (the channel axis)")
    add("per_channel_scales_long_by_one.qt",
        tensor_file(pb, per_channel(pb, scales=[0.5, 0.25, 1.0, 2.0])),
        "scales has 4 values but shape[1] = 3")
    add("per_channel_zero_points_short_by_one.qt",
        tensor_file(pb, per_channel(pb, zero_points=[0, 128])),
        "zero_points has 2 values but shape[1] = 3")
    add("per_channel_scale_zero.qt", tensor_file(pb, per_channel(pb, scales=[0.5, 0.0, 1.0])),
        "scales[1] must be positive and finite, got 0.0")
    add("per_channel_scale_nan.qt",
        tensor_file(pb, per_channel(pb, scales=[0.5, 0.25, math.nan])),
        "scales[2] must be positive and finite, got nan")
    add("per_channel_zero_point_out_of_range.qt",
        tensor_file(pb, per_channel(pb, zero_points=[0, 128, 256])),
        "zero_points[2] = 256 is outside the range of quint8")
    add("per_channel_data_short_by_one.qt", tensor_file(pb, per_channel(pb, data=bytes(5))),
        "data holds 5 bytes but shape [2, 3] of quint8 needs 6")

    # Float qparams (version 2): counts, values and fields of other schemes.
    def fq_file(**fields):
        return tensor_file(pb, float_qparams(pb, **fields), version=2)
    add("float_qparams_zero_points_short_by_one.qt", fq_file(float_zero_points=[1.5, 2.0]),
        "float_zero_points has 2 values but shape[1] = 3")
    add("float_qparams_zero_point_nan.qt", fq_file(float_zero_points=[1.5, math.nan, 0.0]),
        "zero_points[1] must be finite, got nan")
    add("float_qparams_zero_point_inf.qt", fq_file(float_zero_points=[1.5, 0.0, -math.inf]),
        "zero_points[2] must be finite, got -inf")
    add("float_qparams_with_integer_zero_points.qt", fq_file(zero_points=[0, 1, 2]),
        "zero_points has 3 values: a PER_CHANNEL_AFFINE_FLOAT_QPARAMS tensor has "
        "float_zero_points instead")
    add("float_qparams_scale_not_float32.qt", fq_file(scales=[0.5, 0.1, 1.0]),
        "scales[1] = 0.1 is not a float32 value")
    add("float_qparams_scale_zero.qt", fq_file(scales=[0.5, 0.0, 1.0]),
        "scales[1] must be positive and finite, got 0.0")
    add("float_qparams_qint32.qt", fq_file(dtype=pb.QINT32, data=bytes(24)), "not qint32")
    add("float_qparams_onnx_rounding.qt", fq_file(rounding=pb.ONNX_ROUNDING),
        "float zero points")
    add("float_zero_points_on_per_channel.qt",
        tensor_file(pb, per_channel(pb, float_zero_points=[0.5, 0.5, 0.5])),
        "float_zero_points has 3 values: only a PER_CHANNEL_AFFINE_FLOAT_QPARAMS tensor")

    # Bundle rules.
    add("bundle_empty_name.qt",
        bundle_file(pb, [named(per_tensor(pb), "a"), per_tensor(pb)]),
        "bundle tensors[1] has an empty name", kind="bundle")
    add("bundle_duplicate_name.qt",
        bundle_file(pb, [named(per_tensor(pb), "a"), named(per_channel(pb), "b"),
                         named(per_tensor(pb), "a")]),
        'bundle tensors[2] ("a"): duplicate name, also tensors[0]', kind="bundle")
    add("bundle_empty_metadata_key.qt",
        bundle_file(pb, [named(per_tensor(pb), "a")], {"": "x"}),
        "bundle metadata has an empty key", kind="bundle")
    add("bundle_bad_tensor.qt",
        bundle_file(pb, [named(per_tensor(pb), "a"), named(per_tensor(pb, dtype=99), "b")]),
        'bundle tensors[1] ("b"): dtype 99 is unknown', kind="bundle")
    add("bundle_name_with_nul.qt",
        bundle_file(pb, [named(per_tensor(pb), "a"), named(per_tensor(pb), "b\0c")]),
        'bundle tensors[1] ("b\\x00c"): the name contains a NUL byte', kind="bundle")
    add("bundle_metadata_key_with_nul.qt",
        bundle_file(pb, [named(per_tensor(pb), "a")], {"k\0": "v"}),
        'bundle metadata key "k\\x00" contains a NUL byte', kind="bundle")
    add("bundle_metadata_value_with_nul.qt",
        bundle_file(pb, [named(per_tensor(pb), "a")], {"k": "v\0w"}),
        'bundle metadata value of "k" contains a NUL byte', kind="bundle")
    # Float entries: each quantization field set on its own, then the shape
    # and size rules.
    for field, value, text in [("qscheme", 1, "qscheme 1"), ("scale", 0.5, "scale 0.5"),
                               ("zero_point", 3, "zero_point 3"),
                               ("scales", [1.0], "scales (1)"),
                               ("zero_points", [0], "zero_points (1)"), ("axis", 1, "axis 1"),
                               ("rounding", 1, "rounding 1"), ("scale_type", 2, "scale_type 2"),
                               ("block_size", 2, "block_size 2")]:
        add("bundle_float_with_%s.qt" % field,
            bundle_file(pb, [named(per_tensor(pb), "a"), float_entry(pb, "f", **{field: value})]),
            'bundle tensors[1] ("f"): %s is set: a float entry has no quantization fields' % text,
            kind="bundle")
    add("bundle_float_data_short.qt",
        bundle_file(pb, [float_entry(pb, "f", data=bytes(11))]),
        'bundle tensors[0] ("f"): data holds 11 bytes but shape [2, 3] of float16 needs 12',
        kind="bundle")
    add("bundle_float32_data_long.qt",
        bundle_file(pb, [float_entry(pb, "f", dtype=pb.DTYPE_FLOAT32, shape=[3],
                                     data=bytes(13))]),
        "data holds 13 bytes but shape [3] of float32 needs 12", kind="bundle")
    add("bundle_bfloat16_dim_negative.qt",
        bundle_file(pb, [float_entry(pb, "f", dtype=pb.DTYPE_BFLOAT16, shape=[2, -3])]),
        'bundle tensors[0] ("f"): shape[1] = -3 is negative', kind="bundle")
    add("bundle_float_too_large.qt",
        bundle_file(pb, [float_entry(pb, "f", dtype=pb.DTYPE_FLOAT32, shape=[1 << 46, 2])]),
        "shape [70368744177664, 2] is too large", kind="bundle")
    add("bundle_float_rank_65.qt",
        bundle_file(pb, [float_entry(pb, "f", shape=[1] * 65, data=b"\0\0")]),
        "rank 65", kind="bundle")
    add("bundle_name_invalid_utf8.qt",
        bundle_file(pb, [named(per_tensor(pb), "ZZ")]).replace(b"ZZ", b"\xc0\xaf"),
        "malformed data", kind="bundle")

    # A small valid file cut at every field boundary: at 0 (empty), after the
    # magic, after the version, and inside the tensor (whose declared length
    # then runs past the end).
    valid = tensor_file(pb, per_channel(pb))
    magic_end = 2 + len("qtensor")
    version_end = magic_end + 2
    for cut in field_boundaries(valid):
        if cut == len(valid):
            continue
        if cut == 0:
            expected = 'magic is ""'
        elif cut == magic_end:
            expected = "format_version is 0"
        elif cut == version_end:
            expected = "neither a tensor nor a bundle"
        else:
            expected = "malformed data"
        add("truncated_at_%03d.qt" % cut, valid[:cut], expected)
    # ... and one byte short of the end, inside the data.
    add("truncated_last_byte.qt", valid[:-1], "malformed data")

    # Single bit flips of the small per-tensor file with a known outcome.
    # Flipped bits in the data bytes give another valid file: the format has
    # no checksum (docs/format.md).
    small = tensor_file(pb, per_tensor(pb))

    def flip(name, offset, bit, substring):
        assert 0 <= offset < len(small)
        flipped = bytearray(small)
        flipped[offset] ^= 1 << bit
        add(name, bytes(flipped), substring)

    tensor_start = small.index(b"\x1a")  # the tensor field's tag
    body = tensor_start + 2  # after its tag and one-byte length
    flip("flip_magic_letter.qt", 3, 5, 'magic is "qTensor"')
    flip("flip_version.qt", magic_end + 1, 1, "format_version 3 is newer")
    flip("flip_tensor_length.qt", tensor_start + 1, 6, "malformed data")
    flip("flip_dtype.qt", body + 1, 4, "dtype 17 is unknown")
    flip("flip_dtype_wire_type.qt", body, 0, "malformed data")
    shape_at = small.index(b"\x12\x02\x02\x03", body)  # packed shape [2, 3]
    flip("flip_shape_dim.qt", shape_at + 3, 2, "data holds 6 bytes but shape [2, 7] of qint8 needs 14")
    scale_at = small.index(b"\x21", body)  # scale: fixed64 double
    flip("flip_scale_sign.qt", scale_at + 8, 7, "scale must be positive and finite, got -0.5")
    data_at = small.index(b"\x4a\x06", body)  # data: 6 bytes
    flip("flip_data_length.qt", data_at + 1, 0, "malformed data")
    return cases


if __name__ == "__main__":
    main()

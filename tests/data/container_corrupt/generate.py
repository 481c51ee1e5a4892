#!/usr/bin/env python3
"""Writes the container files of this directory and their MANIFEST.

Each corrupt_*.qtb breaks one rule of docs/format.md's "The container"
(its validation, or a Tensor field rule a container entry shares with a
bundle's); MANIFEST gives the stage where it must fail (open: opening it;
get: getting its first entry; verify: verifying every entry), the status
and a substring of the message. Each valid_*.qtb must open, give every
entry and verify. tests/io/test_container_corrupt.cc checks them all; the
fuzz target fuzz_container starts from them.

The files are built here byte by byte from proto/qtensor.proto's field
numbers, sharing nothing with the library. The output is deterministic.

usage: /usr/bin/python3 generate.py [OUT_DIR]   (default: this directory)
"""

import math
import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
CORRUPT = "QT_ERR_CORRUPT_DATA"

MAGIC = b"\x89QTBNDL\n"
QINT8, QUINT8, QINT32, QUINT4X2, QINT4 = 1, 2, 3, 6, 8
FLOAT32, FLOAT16, BFLOAT16 = 10, 11, 12
PER_TENSOR, PER_CHANNEL, PER_BLOCK, FLOAT_QPARAMS = 1, 2, 3, 4
# XXH3-64 (seed 0) of no bytes: the one checksum known without xxHash.
XXH3_OF_NOTHING = 0x2D06800538D394C2
U64_MAX = (1 << 64) - 1


def varint(v):
    v &= U64_MAX  # negative int64 values take ten bytes
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def tag(number, wire_type):
    return varint((number << 3) | wire_type)


def vfield(number, value):
    return tag(number, 0) + varint(value) if value else b""


def bfield(number, payload, always=False):
    payload = payload.encode() if isinstance(payload, str) else payload
    if not payload and not always:
        return b""
    return tag(number, 2) + varint(len(payload)) + payload


def dfield(number, value):
    return tag(number, 1) + struct.pack("<d", value) if value != 0.0 else b""


def packed_varints(number, values):
    return bfield(number, b"".join(varint(v) for v in values))


def packed_doubles(number, values):
    return bfield(number, b"".join(struct.pack("<d", v) for v in values))


def packed_floats(number, values):
    return bfield(number, b"".join(struct.pack("<f", v) for v in values))


def tensor(name="w", dtype=QINT8, shape=(2, 3), qscheme=PER_TENSOR, scale=0.5, zero_point=1,
           scales=(), zero_points=(), axis=0, data=b"", rounding=0, scale_type=0,
           block_size=0, float_zero_points=()):
    """A Tensor message (field numbers of proto/qtensor.proto), fields in
    number order, defaults left out as a proto3 writer does."""
    return (vfield(1, dtype) + packed_varints(2, shape) + vfield(3, qscheme) +
            dfield(4, scale) + vfield(5, zero_point) + packed_doubles(6, scales) +
            packed_varints(7, zero_points) + vfield(8, axis) + bfield(9, data) +
            bfield(10, name) + vfield(11, rounding) + vfield(12, scale_type) +
            vfield(13, block_size) + packed_floats(14, float_zero_points))


def per_channel(**fields):
    """A quint8 per-channel entry on axis 1 of [2, 3]; its parameters are
    payloads (PER_CHANNEL_SCALES and PER_CHANNEL_ZERO_POINTS)."""
    base = dict(dtype=QUINT8, qscheme=PER_CHANNEL, scale=0.0, zero_point=0, axis=1)
    base.update(fields)
    return tensor(**base)


# Its parameters: float64 scales, one uint8 zero point each.
PER_CHANNEL_SCALES = struct.pack("<3d", 0.5, 0.25, 1.0)
PER_CHANNEL_ZERO_POINTS = bytes([0, 128, 255])
PER_CHANNEL_PARAMETERS = (PER_CHANNEL_SCALES, PER_CHANNEL_ZERO_POINTS)


def float_qparams(**fields):
    """A float-qparams entry; its float32 scales and zero points are
    FLOAT_QPARAMS_PARAMETERS."""
    base = dict(dtype=QUINT8, qscheme=FLOAT_QPARAMS, scale=0.0, zero_point=0, axis=1,
                scale_type=1)
    base.update(fields)
    return tensor(**base)


FLOAT_QPARAMS_PARAMETERS = (struct.pack("<3f", 0.5, 0.25, 1.0),
                            struct.pack("<3f", 1.5, -300.25, 1e10))


def per_block(**fields):
    """A qint4 entry of [2, 4] in blocks of 2 along axis 1: 4 parameters,
    PER_BLOCK_PARAMETERS (float64 scales, 4-bit zero points 0, 1, -1, 7
    packed low nibble first)."""
    base = dict(name="b", dtype=QINT4, shape=(2, 4), qscheme=PER_BLOCK, scale=0.0, zero_point=0,
                axis=1, block_size=2)
    base.update(fields)
    return tensor(**base)


PER_BLOCK_PARAMETERS = (struct.pack("<4d", 0.5, 0.25, 1.0, 2.0), bytes([0x10, 0x7F]))


def float_entry(name="f", **fields):
    base = dict(name=name, dtype=FLOAT16, qscheme=0, scale=0.0, zero_point=0)
    base.update(fields)
    return tensor(**base)


def payload_ref(offset, length, checksum=None):
    ref = vfield(1, offset) + vfield(2, length)
    if checksum is not None:
        ref += tag(3, 1) + struct.pack("<Q", checksum) + vfield(4, 1)
    return ref


def entry(tensor_bytes, ref, scales_ref=None, zero_points_ref=None):
    out = bfield(1, tensor_bytes, always=True)
    for number, r in ((2, ref), (3, scales_ref), (4, zero_points_ref)):
        if r is not None:
            out += bfield(number, r, always=True)
    return out


def header(entries, version=1, metadata=()):
    out = vfield(1, version) + b"".join(bfield(2, e, always=True) for e in entries)
    for key, value in metadata:
        out += bfield(3, bfield(1, key) + bfield(2, value))
    return out


def align(n):
    return (n + 63) // 64 * 64


def layout(items):
    """items: (tensor bytes, payload bytes, checksum or None[, parameters]),
    parameters a pair of scales and zero points payloads (each written with
    its checksum if checksums=True is its third item). Each payload at the
    next multiple of 64 from 64, zeros between: (entries, region)."""
    region = bytearray(64)
    entries = []

    def place(payload, checksum):
        offset = align(len(region))
        region.extend(bytes(offset - len(region)) + payload)
        return payload_ref(offset if payload else 64, len(payload), checksum)

    for item in items:
        tensor_bytes, payload, checksum = item[:3]
        refs = [place(payload, checksum)]
        if len(item) > 3 and item[3] is not None:
            scales, zero_points = item[3][:2]
            checksums = item[3][2:] or (None, None)
            refs += [place(scales, checksums[0]), place(zero_points, checksums[1])]
        entries.append(entry(tensor_bytes, *refs))
    return entries, bytes(region)


def prefix(header_offset, header_length, version=1, flags=0, magic=MAGIC, reserved=bytes(32)):
    return magic + struct.pack("<IIQQ", version, flags, header_offset, header_length) + reserved


def container(head, region=bytes(64), **prefix_fields):
    """region: the bytes from 0 to the header (its first 64 are replaced
    by the prefix)."""
    fields = dict(header_offset=len(region), header_length=len(head))
    fields.update(prefix_fields)
    return prefix(**fields) + region[64:] + head


def one(tensor_bytes, payload=bytes(6), version=1, metadata=(), checksum=None, parameters=None):
    """A container of one entry laid out as a writer lays it out."""
    entries, region = layout([(tensor_bytes, payload, checksum, parameters)])
    return container(header(entries, version, metadata), region)


def raw(entries, region_bytes=128, version=1):
    """A container whose entries give their payload refs themselves."""
    return container(header(entries, version), bytes(region_bytes))


W = 'container entries[0] ("w"): '


def cases():
    valid = one(tensor())
    # Valid seeds: one small entry; and every scheme, float entries, an
    # empty entry with its checksum, metadata and format version 2.
    yield "valid_one_entry.qtb", "valid", "QT_OK", "", valid
    entries, region = layout([
        (tensor(name="t", shape=(2, 3)), bytes([0x80, 0xFF, 0, 1, 2, 0x7F]), None),
        (per_channel(name="c"), bytes(range(6)), None, PER_CHANNEL_PARAMETERS),
        (float_qparams(name="q"), bytes(range(6)), None, FLOAT_QPARAMS_PARAMETERS),
        (per_block(), bytes([0x21, 0x43, 0x65, 0x07]), None, PER_BLOCK_PARAMETERS),
        (tensor(name="p", dtype=QUINT4X2, shape=(3,)), bytes([0x21, 0x03]), None),
        (tensor(name="e", shape=(0, 3)), b"", XXH3_OF_NOTHING),
        (float_entry(name="f"), bytes(range(12)), None),
        (float_entry(name="g", dtype=BFLOAT16, shape=(1,)), b"\x80\x3f", None),
        (float_entry(name="h", dtype=FLOAT32, shape=()), struct.pack("<f", 1.5), None),
    ])
    yield "valid_every_kind.qtb", "valid", "QT_OK", "", container(
        header(entries, 2, [("a", "1"), ("format", "test")]), region)

    def bad(name, stage, substring, data, status=CORRUPT):
        return "corrupt_" + name + ".qtb", stage, status, substring, data

    # 1. The prefix.
    yield bad("empty", "open", "container of 0 bytes is shorter than its 64-byte fixed header",
              b"")
    yield bad("63_bytes", "open", "container of 63 bytes is shorter than its 64-byte fixed header",
              valid[:63])
    yield bad("magic", "open", 'the first 8 bytes are not its magic "\\x89QTBNDL\\n"',
              b"\x89QTBNDl\n" + valid[8:])
    yield bad("version_2", "open", "container version 2 is not 1",
              valid[:8] + struct.pack("<I", 2) + valid[12:])
    yield bad("version_0", "open", "container version 0 is not 1",
              valid[:8] + struct.pack("<I", 0) + valid[12:])
    yield bad("flags", "open", "container flags are 2147483648: no flag is defined",
              valid[:12] + struct.pack("<I", 1 << 31) + valid[16:])
    yield bad("reserved", "open", "container prefix bytes 32 to 63 are reserved and must be 0",
              valid[:47] + b"\x01" + valid[48:])
    # 2. The header's place.
    head = header([entry(tensor(), payload_ref(64, 6))])
    region = bytes(128)
    yield bad("header_offset_0", "open", "header_offset 0 is inside the 64-byte fixed header",
              container(head, region, header_offset=0))
    yield bad("header_offset_63", "open", "header_offset 63 is inside the 64-byte fixed header",
              container(head, region, header_offset=63))
    yield bad("header_over_cap", "open",
              "header_length 268435457 is over the limit of 268435456 bytes",
              container(head, region, header_length=(256 << 20) + 1))
    yield bad("header_length_max", "open", "header_length 18446744073709551615 is over the limit",
              container(head, region, header_length=U64_MAX))
    # offset + length wraps around to exactly the file's size.
    size = 64 + 64 + len(head)
    yield bad("header_overflows", "open", "does not end at the end of the file (%d bytes)" % size,
              container(head, region, header_offset=U64_MAX - 7, header_length=size + 8))
    yield bad("header_offset_past_end", "open",
              "the header at 4096 of %d bytes does not end at the end of the file" % len(head),
              container(head, region, header_offset=4096))
    yield bad("header_not_last", "open", "does not end at the end of the file",
              container(head, region) + b"\0")
    yield bad("truncated", "open", "does not end at the end of the file",
              container(head, region)[:-1])
    yield bad("truncated_to_prefix", "open", "does not end at the end of the file", valid[:64])
    # 3. The header message.
    yield bad("header_malformed", "open", "malformed container header",
              container(b"\x12\x05\x0a", region))
    yield bad("header_wire_type_7", "open", "malformed container header",
              container(b"\x0f", region))
    yield bad("format_version_0", "open", "container format_version is 0 (unset)",
              one(tensor(), version=0))
    yield bad("format_version_3", "open", "container format_version 3 is newer",
              one(tensor(), version=3))
    yield bad("metadata_empty_key", "open", "container metadata has an empty key",
              one(tensor(), metadata=[("", "v")]))
    yield bad("metadata_key_nul", "open", 'container metadata key "k\\x00" contains a NUL byte',
              one(tensor(), metadata=[("k\0", "v")]))
    yield bad("metadata_value_nul", "open",
              'container metadata value of "k" contains a NUL byte',
              one(tensor(), metadata=[("k", "v\0")]))
    yield bad("name_not_utf8", "open", "malformed container header",
              one(tensor(name=b"\xc0\xaf")))
    # 4. Each entry: name, data, payload.
    yield bad("name_empty", "open", "container entries[0] has an empty name",
              one(tensor(name="")))
    yield bad("name_nul", "open", 'container entries[0] ("a\\x00b"): the name contains a NUL byte',
              one(tensor(name="a\0b")))
    yield bad("duplicate_name", "open", 'container entries[1] ("w"): duplicate name, also entries[0]',
              raw([entry(tensor(), payload_ref(64, 6)), entry(tensor(), payload_ref(128, 6))],
                  192))
    yield bad("tensor_data", "open", W + "tensor.data holds 6 bytes: a container's values are in "
              "the payload", raw([entry(tensor(data=bytes(6)), payload_ref(64, 6))]))
    yield bad("no_payload", "open", W + "the entry has no payload", raw([entry(tensor(), None)]))
    yield bad("payload_misaligned", "open", W + "payload offset 96 is not a multiple of 64",
              raw([entry(tensor(), payload_ref(96, 6))], 192))
    yield bad("payload_at_0", "open", W + "payload offset 0 is inside the fixed header",
              raw([entry(tensor(), payload_ref(0, 6))]))
    yield bad("payload_past_header", "open",
              W + "payload [128, 134) runs past the start of the header at 128",
              raw([entry(tensor(), payload_ref(128, 6))]))
    yield bad("payload_in_header", "open",
              W + "payload [64, 70) runs past the start of the header at 64",
              raw([entry(tensor(), payload_ref(64, 6))], 64))
    yield bad("payload_overflows", "open",
              W + "payload offset 18446744073709551552 + length 64 overflows",
              raw([entry(tensor(shape=(64,)), payload_ref(U64_MAX - 63, 64))]))
    yield bad("payload_short", "open", W + "data holds 5 bytes but shape [2, 3] of qint8 needs 6",
              raw([entry(tensor(), payload_ref(64, 5))]))
    yield bad("payload_long", "open", W + "data holds 7 bytes but shape [2, 3] of qint8 needs 6",
              raw([entry(tensor(), payload_ref(64, 7))]))
    yield bad("payload_huge", "open",
              W + "payload [64, 18446744073709551552) runs past the start of the header at 128",
              raw([entry(tensor(), payload_ref(64, U64_MAX - 127))]))
    # 5. Overlap: the same offset (the later entry is named), and entries
    # out of order (the check sorts them by offset).
    yield bad("overlap_same_offset", "open",
              'container entries[1] ("a"): a payload at 64 overlaps a payload of entries[0] '
              '("b"), [64, 70)',
              raw([entry(tensor(name="b"), payload_ref(64, 6)),
                   entry(tensor(name="a"), payload_ref(64, 6))]))
    yield bad("overlap_out_of_order", "open",
              'container entries[0] ("b"): a payload at 128 overlaps a payload of entries[1] '
              '("a"), [64, 192)',
              raw([entry(tensor(name="b"), payload_ref(128, 6)),
                   entry(tensor(name="a", shape=(128,)), payload_ref(64, 128))], 192))

    # The Tensor rules a container entry shares with a bundle's.
    def field(name, substring, tensor_bytes, payload=bytes(6), version=1, parameters=None,
              stage="open"):
        return bad(name, stage, W + substring, one(tensor_bytes, payload, version,
                                                   parameters=parameters))

    yield field("dtype_0", "dtype 0 is unknown", tensor(dtype=0))
    yield field("dtype_99", "dtype 99 is unknown", tensor(dtype=99))
    yield field("dtype_negative", "dtype -1 is unknown", tensor(dtype=-1))
    yield field("qscheme_0", "qscheme 0 is unknown", tensor(qscheme=0))
    yield field("qscheme_5", "qscheme 5 is unknown", tensor(qscheme=5))
    yield field("rank_65", "rank 65 exceeds the maximum of 64", tensor(shape=[1] * 65), b"\0")
    yield field("dim_negative", "shape[1] = -3 is negative", tensor(shape=(2, -3)))
    yield field("shape_too_large", "shape [4294967296, 4294967296] is too large",
                tensor(shape=(1 << 32, 1 << 32)))
    yield field("shape_bytes_too_large", "shape [140737488355328] is too large",
                tensor(dtype=QINT32, shape=(1 << 47,)), b"")
    yield field("scale_0", "scale must be positive and finite, got 0.0", tensor(scale=0.0))
    yield field("scale_negative", "scale must be positive and finite, got -0.5",
                tensor(scale=-0.5))
    yield field("scale_nan", "scale must be positive and finite, got nan", tensor(scale=math.nan))
    yield field("scale_inf", "scale must be positive and finite, got inf", tensor(scale=math.inf))
    yield field("scale_overflows_float32", "scale = 1e+39 is too large: it overflows float32",
                tensor(scale=1e39))
    yield field("zero_point_above_qint8", "zero_point = 128 is outside the range of qint8",
                tensor(zero_point=128))
    yield field("per_tensor_with_scales", "scales has 1 values: a per-tensor tensor has no "
                "per-channel fields", tensor(scales=(0.5,)))
    yield field("per_channel_with_scale", "scale is 0.5: a per-channel tensor leaves the "
                "per-tensor fields 0", per_channel(scale=0.5), parameters=PER_CHANNEL_PARAMETERS)
    yield field("per_channel_axis_2", "axis 2 is out of range for rank 2", per_channel(axis=2),
                parameters=PER_CHANNEL_PARAMETERS)
    yield field("float_zero_points_on_per_channel", "float_zero_points has 3 values: only a "
                "PER_CHANNEL_AFFINE_FLOAT_QPARAMS tensor", per_channel(float_zero_points=(0.5,) * 3),
                parameters=PER_CHANNEL_PARAMETERS)
    yield field("block_size_0", "block_size 0 is not >= 1", per_block(name="w", block_size=0), bytes(4),
                parameters=PER_BLOCK_PARAMETERS)

    # 6. Parameter payloads: where they are and how long, checked at open.
    yield field("inline_scales", "tensor.scales holds 3 values: a container entry's parameters "
                "are in its scales and zero_points payloads", per_channel(scales=(0.5, 0.25, 1.0)),
                parameters=PER_CHANNEL_PARAMETERS)
    yield field("inline_zero_points", "tensor.zero_points holds 3 values",
                per_channel(zero_points=(0, 1, 2)), parameters=PER_CHANNEL_PARAMETERS)
    yield field("inline_float_zero_points", "tensor.float_zero_points holds 3 values",
                float_qparams(float_zero_points=(1.5, 0.0, 2.0)),
                parameters=FLOAT_QPARAMS_PARAMETERS, version=2)
    yield field("per_tensor_with_parameters", "a per-tensor entry has no scales or zero_points "
                "payload", tensor(), parameters=PER_CHANNEL_PARAMETERS)
    yield bad("float_with_parameters", "open", 'container entries[0] ("f"): a float entry has no '
              'scales or zero_points payload',
              one(float_entry(), bytes(12), parameters=PER_CHANNEL_PARAMETERS))
    yield field("no_scales_payload", "the entry has no scales payload", per_channel())
    yield bad("no_zero_points_payload", "open", W + "the entry has no zero_points payload",
              raw([entry(per_channel(), payload_ref(64, 6), payload_ref(128, 24))], 192))
    yield field("scales_short", "scales payload holds 16 bytes but the entry's scales take 24",
                per_channel(), parameters=(PER_CHANNEL_SCALES[:16], PER_CHANNEL_ZERO_POINTS))
    yield field("zero_points_long", "zero_points payload holds 4 bytes but the entry's "
                "zero_points take 3", per_channel(), parameters=(PER_CHANNEL_SCALES, bytes(4)))
    yield field("float16_scales_long", "scales payload holds 8 bytes but the entry's scales "
                "take 6", per_channel(scale_type=2), version=2,
                parameters=(bytes(8), PER_CHANNEL_ZERO_POINTS))
    yield field("packed_zero_points_long", "zero_points payload holds 3 bytes but the entry's "
                "zero_points take 2", per_block(name="w"), bytes(4),
                parameters=(PER_BLOCK_PARAMETERS[0], bytes(3)))
    yield bad("scales_misaligned", "open", W + "scales payload offset 96 is not a multiple of 64",
              raw([entry(per_channel(), payload_ref(64, 6), payload_ref(96, 24),
                         payload_ref(128, 3))], 192))
    yield bad("zero_points_past_header", "open",
              W + "zero_points payload [192, 195) runs past the start of the header at 192",
              raw([entry(per_channel(), payload_ref(64, 6), payload_ref(128, 24),
                         payload_ref(192, 3))], 192))
    yield bad("scales_overlap_values", "open",
              W + "a payload at 64 overlaps a payload of entries[0] (\"w\"), [64, 70)",
              raw([entry(per_channel(), payload_ref(64, 6), payload_ref(64, 24),
                         payload_ref(128, 3))], 192))

    # 7. Parameter values, checked when the entry is read.
    nan_scales = struct.pack("<3d", 0.5, 0.25, math.nan)
    yield field("per_channel_scale_nan", "scales[2] must be positive and finite, got nan",
                per_channel(), parameters=(nan_scales, PER_CHANNEL_ZERO_POINTS), stage="get")
    yield field("per_channel_scale_0", "scales[0] must be positive and finite, got 0.0",
                per_channel(), parameters=(bytes(24), PER_CHANNEL_ZERO_POINTS), stage="get")
    yield field("float16_scale_inf", "scales[1] must be positive and finite, got inf",
                per_channel(scale_type=2), version=2, stage="get",
                parameters=(struct.pack("<3e", 0.5, math.inf, 1.0), PER_CHANNEL_ZERO_POINTS))
    yield field("float_qparams_zero_point_nan", "zero_points[1] must be finite, got nan",
                float_qparams(), version=2, stage="get",
                parameters=(FLOAT_QPARAMS_PARAMETERS[0], struct.pack("<3f", 1.5, math.nan, 0.0)))
    yield field("float_qparams_scale_not_float32", "scales[1] = 0.1 is not a float32 value",
                float_qparams(scale_type=0), version=2, stage="get",
                parameters=(struct.pack("<3d", 0.5, 0.1, 1.0), FLOAT_QPARAMS_PARAMETERS[1]))
    yield field("zero_points_padding", "the unused high bits of the zero points' last byte are "
                "not 0", per_block(name="w", shape=(3, 2)), bytes(3), stage="get",
                parameters=(struct.pack("<3d", 0.5, 0.25, 1.0), bytes([0x10, 0x17])))
    yield bad("float_with_scale", "open",
              'container entries[0] ("f"): scale 0.5 is set: a float entry has no quantization '
              'fields', one(float_entry(scale=0.5), bytes(12)))
    yield bad("float_payload_short", "open",
              'container entries[0] ("f"): data holds 11 bytes but shape [2, 3] of float16 '
              'needs 12', one(float_entry(), bytes(11)))
    yield bad("float_too_large", "open", "shape [70368744177664, 2] is too large",
              one(float_entry(dtype=FLOAT32, shape=(1 << 46, 2)), b""))

    # Found only when the entry is read: a packed dtype's unused bits.
    yield bad("packed_padding", "get", "the unused high bits of the last byte",
              one(tensor(dtype=QUINT4X2, shape=(3,)), bytes([0x21, 0xF3])))
    # Found only by Verify: the payload is not what its checksum says.
    yield bad("checksum", "verify", W + "the payload's XXH3-64 is",
              one(tensor(), bytes(6), checksum=XXH3_OF_NOTHING))
    yield bad("scales_checksum", "verify", W + "the scales payload's XXH3-64 is",
              one(per_channel(), parameters=PER_CHANNEL_PARAMETERS + (XXH3_OF_NOTHING, None)))


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# file\tstage\tstatus\tmessage substring (written by generate.py; do not edit)"]
    names = set()
    for name, stage, status, substring, data in cases():
        assert name not in names, name
        names.add(name)
        (out / name).write_bytes(data)
        lines.append("\t".join([name, stage, status, substring]))
    (out / "MANIFEST").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz target tests/fuzz/fuzz_split_decode.cc.

Each seed is a File (proto/qtensor.proto) encoded by hand, byte by byte, in a
way that matters to the decoder that splits the tensors' values off before
protobuf parses the rest (src/io/data_fields.h): values long and short enough
to be split or kept, data fields repeated or merged, the oneof switched, data
inside unknown fields and groups, other wire types on the data field's number,
padded varints, nesting close to protobuf's limit, lengths of more than one
byte. Most of them decode; the fuzzer mutates from there. The output is
deterministic.

usage: /usr/bin/python3 generate.py [OUT_DIR]   (default: this directory)
"""

import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
QINT8, QUINT8, QINT32 = 1, 2, 3
PER_TENSOR, PER_CHANNEL = 1, 2
VARINT, FIXED64, BYTES, START_GROUP, END_GROUP, FIXED32 = 0, 1, 2, 3, 4, 5


def varint(value, padding=0):
    """The varint of value, with `padding` extra bytes that add no bits."""
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    if padding:
        out.append(value | 0x80)
        out += b"\x80" * (padding - 1) + b"\x00"
    else:
        out.append(value)
    return bytes(out)


def tag(number, wire_type, padding=0):
    return varint(number << 3 | wire_type, padding)


def field(number, payload, padding=0):
    return tag(number, BYTES) + varint(len(payload), padding) + payload


def int_field(number, value):
    return tag(number, VARINT) + varint(value & (1 << 64) - 1)


def double_field(number, value):
    return tag(number, FIXED64) + struct.pack("<d", value)


def group(number, content):
    return tag(number, START_GROUP) + content + tag(number, END_GROUP)


def tensor(dtype, shape, data=None, name=b""):
    """A per-tensor quantized Tensor: scale 0.25, zero point 3."""
    out = int_field(1, dtype)
    out += b"".join(int_field(2, size) for size in shape)
    out += int_field(3, PER_TENSOR) + double_field(4, 0.25) + int_field(5, 3)
    out += field(9, data) if data is not None else b""
    return out + (field(10, name) if name else b"")


def values(count, start=0):
    return bytes((start + 37 * i) % 256 for i in range(count))


HEADER = field(1, b"qtensor") + int_field(2, 1)


def tensor_file(message):
    return HEADER + field(3, message)


def bundle_file(message):
    return HEADER + field(4, message)


def per_channel_qint32():
    scales = b"".join(struct.pack("<d", s) for s in (0.5, 0.125, 2.0))
    out = int_field(1, QINT32) + int_field(2, 3) + int_field(2, 2) + int_field(3, PER_CHANNEL)
    out += field(6, scales) + field(7, varint(1) + varint(0) + varint(2**64 - 5))
    return out + int_field(8, 0) + field(9, values(24, 5)) + field(10, b"conv.weight")


def unknown_fields():
    # Unknown fields of every wire type, some holding bytes that look like a
    # data field, around the real one.
    lookalike = field(9, values(12, 7))
    out = tensor(QINT8, [8], values(8, 1))
    out += int_field(20, 300) + tag(21, FIXED64) + values(8) + field(22, lookalike)
    out += group(23, lookalike + group(24, int_field(9, 5))) + tag(25, FIXED32) + values(4)
    return tensor_file(out) + field(30, tensor(QINT8, [8], values(8)))


def data_with_other_wire_types():
    # Field 9 as a varint, fixed64, fixed32 and group: protobuf keeps them as
    # unknown fields; the last field 9 of wire type 2 is the data.
    out = tensor(QUINT8, [5])
    out += int_field(9, 77) + tag(9, FIXED64) + values(8) + tag(9, FIXED32) + values(4)
    out += group(9, field(9, values(6))) + field(9, values(5, 2))
    return tensor_file(out)


def padded_varints():
    message = tensor(QINT8, [2, 3])
    message += tag(9, BYTES, padding=2) + varint(6, padding=4) + values(6, 9)
    return HEADER + tag(3, BYTES, padding=4) + varint(len(message), padding=3) + message


def deep_groups(depth):
    return b"".join(tag(20, START_GROUP) for _ in range(depth)) + b"".join(
        tag(20, END_GROUP) for _ in range(depth))


def bundle_of_three():
    entries = field(1, tensor(QINT8, [12, 16], values(192), b"a"))
    entries += field(1, tensor(QUINT8, [3], values(3, 1), b"b"))
    entries += field(1, tensor(QINT32, [], values(4, 2), b"c"))
    entries += field(2, field(1, b"author") + field(2, b"fuzz seed"))
    return bundle_file(entries)


def build_seeds():
    return {
        "tensor_values_split.qt": tensor_file(tensor(QINT8, [4, 4], values(16), b"w")),
        "tensor_values_kept.qt": tensor_file(tensor(QUINT8, [3], values(3))),
        "tensor_values_300.qt": tensor_file(tensor(QINT8, [20, 15], values(300, 11), b"long")),
        "tensor_no_values.qt": tensor_file(tensor(QINT8, [0, 7], b"")),
        "tensor_per_channel_qint32.qt": tensor_file(per_channel_qint32()),
        "tensor_data_long_then_short.qt": tensor_file(
            tensor(QINT8, [2], values(9)) + field(9, values(2, 4))),
        "tensor_data_short_then_long.qt": tensor_file(
            tensor(QINT8, [6], values(2)) + field(9, values(6, 4))),
        "tensor_merged_from_two_fields.qt": HEADER + field(3, tensor(QINT8, [5], values(7)))
        + field(3, field(9, values(5, 1)) + field(2, b"")),
        "oneof_tensor_bundle_tensor.qt": tensor_file(tensor(QINT8, [4], values(4)))
        + field(4, field(1, tensor(QINT8, [6], values(6))))
        + field(3, tensor(QUINT8, [1, 4], values(4, 8))),
        "bundle_of_three.qt": bundle_of_three(),
        "bundle_entry_as_group.qt": bundle_file(
            group(1, field(1, tensor(QINT8, [4], values(4)))) + int_field(1, 4)
            + field(1, tensor(QINT8, [4], values(4, 3), b"kept"))),
        "unknown_fields.qt": unknown_fields(),
        "data_with_other_wire_types.qt": data_with_other_wire_types(),
        "padded_varints.qt": padded_varints(),
        "groups_nested_98_in_bundle_entry.qt": bundle_file(
            field(1, tensor(QINT8, [4], values(4), b"deep") + deep_groups(98))),
    }


def main():
    out_dir = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, payload in build_seeds().items():
        (out_dir / name).write_bytes(payload)


if __name__ == "__main__":
    main()

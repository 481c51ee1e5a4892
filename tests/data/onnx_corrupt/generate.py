#!/usr/bin/env python3
"""Writes the ONNX models of this directory and their MANIFEST.

Each corrupt_*.onnx breaks one rule of docs/onnx.md's import; MANIFEST gives
a substring of the message qtensor's reader must throw (always
kCorruptData). Each valid_*.onnx must be read. tests/io/test_onnx.cc checks
them all; the fuzz target fuzz_onnx starts from them.

The models are built here byte by byte from onnx.proto's field numbers,
sharing nothing with the library. The output is deterministic.

usage: /usr/bin/python3 generate.py [OUT_DIR]   (default: this directory)
"""

import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent

FLOAT, UINT8, INT8, INT16, INT32, FLOAT16, DOUBLE, UINT4, INT4 = 1, 2, 3, 5, 6, 10, 11, 21, 22


def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def tag(number, wire_type):
    return varint((number << 3) | wire_type)


def vfield(number, value):
    return tag(number, 0) + varint(value)


def bfield(number, payload):
    payload = payload.encode() if isinstance(payload, str) else payload
    return tag(number, 2) + varint(len(payload)) + payload


def floats(*values):
    return struct.pack(f"<{len(values)}f", *values)


def tensor(name, data_type, dims, raw=None, extra=b""):
    body = b"".join(vfield(1, d) for d in dims) + vfield(2, data_type) + bfield(8, name)
    if raw is not None:
        body += bfield(9, raw)
    return bfield(5, body + extra)  # GraphProto.initializer


def attribute(name, value):
    return bfield(5, bfield(1, name) + vfield(3, value) + vfield(20, 2))


def node(op, inputs, output, attributes=b""):
    body = b"".join(bfield(1, i) for i in inputs) + bfield(2, output) + bfield(4, op)
    return bfield(1, body + attributes)  # GraphProto.node


def model(graph, extra=b""):
    return (vfield(1, 10) + bfield(7, graph) + bfield(8, vfield(2, 21)) + extra)


X = tensor("x", INT8, [2, 3], bytes([0xFD, 5, 0x80, 0x7F, 0, 1]))
S = tensor("s", FLOAT, [], floats(0.5))
Z = tensor("z", INT8, [], bytes([1]))
DQ = node("DequantizeLinear", ["x", "s", "z"], "w")
VALID = model(X + S + Z + DQ)


def cases():
    yield "valid_per_tensor.onnx", VALID, "valid"
    typed_x = (vfield(1, 2) + vfield(1, 3) + vfield(2, INT4) + bfield(8, "x") +
               bfield(5, varint(0x8F) + varint(0x07)) + vfield(5, 0x12))
    typed_s = (vfield(1, 2) + vfield(1, 2) + vfield(2, FLOAT16) + bfield(8, "s") +
               bfield(5, varint(0x3C00) + varint(0x3800) + varint(0x4000)) + vfield(5, 0x3400))
    yield "valid_typed_fields_blocked.onnx", model(
        bfield(5, typed_x) + bfield(5, typed_s) +
        node("DequantizeLinear", ["x", "s"], "w", attribute("axis", 1) +
             attribute("block_size", 2))), "valid"
    yield "valid_unknown_fields_and_activations.onnx", model(
        X + S + Z + DQ + node("DequantizeLinear", ["input", "s", "z"], "y") +
        node("Relu", ["w"], "r") + tag(99, 3) + vfield(1, 5) + tag(99, 4) + bfield(50, "?"),
        tag(60, 5) + b"\0\0\0\0"), "valid"

    yield "corrupt_empty.onnx", b"", "ModelProto: has no graph"
    yield "corrupt_truncated_in_graph.onnx", VALID[:len(VALID) // 2], "malformed protobuf"
    yield "corrupt_graph_length_past_end.onnx", vfield(1, 10) + tag(7, 2) + varint(1000) + X, \
        "malformed protobuf at byte 2"
    yield "corrupt_length_huge.onnx", tag(7, 2) + varint(1 << 40), "malformed protobuf at byte 0"
    yield "corrupt_varint_11_bytes.onnx", tag(1, 0) + b"\xff" * 10 + b"\x01", \
        "malformed protobuf at byte 0"
    yield "corrupt_group_unterminated.onnx", model(X + S + Z + DQ + tag(40, 3) + vfield(1, 1)), \
        "ONNX model graph: malformed protobuf"
    yield "corrupt_wire_type_7.onnx", model(X + S + Z + DQ) + tag(3, 7), "malformed protobuf"
    yield "corrupt_graph_is_varint.onnx", vfield(7, 1), \
        "graph (field 7) has wire type varint, expected length-delimited"
    yield "corrupt_dims_as_fixed64.onnx", model(
        bfield(5, tag(1, 1) + b"\0" * 8 + vfield(2, INT8) + bfield(8, "x")) + S + Z + DQ), \
        "dims (field 1) has wire type fixed64, expected varint"
    yield "corrupt_raw_data_short.onnx", model(
        tensor("x", INT8, [2, 3], bytes(5)) + S + Z + DQ), \
        "raw_data has 5 bytes, expected 6 for 6 INT8 values"
    yield "corrupt_dims_huge.onnx", model(
        tensor("x", INT8, [1 << 62, 1 << 62], b"") + S + Z + DQ), "dims are too large"
    yield "corrupt_dims_negative.onnx", model(
        tensor("x", INT8, [2, -3], bytes(6)) + S + Z + DQ), "dims[1] = -3 is negative"
    yield "corrupt_rank_65.onnx", model(tensor("x", INT8, [1] * 65, bytes(1)) + S + Z + DQ), \
        "rank 65 exceeds the maximum of 64"
    many = bfield(5, varint(1) * 100000)
    yield "corrupt_int32_data_count_huge.onnx", model(
        bfield(5, vfield(1, 2) + vfield(2, INT8) + bfield(8, "x") + many) + S + Z + DQ), \
        "has more values than its 2 elements"
    yield "corrupt_int32_data_too_few.onnx", model(
        bfield(5, vfield(1, 2) + vfield(2, INT8) + bfield(8, "x") + vfield(5, 1)) + S + Z + DQ), \
        "has 1 values in its typed field, expected 2"
    yield "corrupt_int32_data_out_of_range.onnx", model(
        bfield(5, vfield(1, 1) + vfield(2, INT8) + bfield(8, "x") + vfield(5, 300)) + S + Z + DQ), \
        "int32_data entry 300 is out of range for INT8"
    yield "corrupt_int32_data_malformed.onnx", model(
        bfield(5, vfield(1, 1) + vfield(2, INT8) + bfield(8, "x") + bfield(5, b"\x80")) + S + Z +
        DQ), "int32_data holds a malformed varint"
    yield "corrupt_float_data_ragged.onnx", model(
        X + bfield(5, vfield(2, FLOAT) + bfield(8, "s") + bfield(4, b"\0" * 5)) + Z + DQ), \
        "float_data is not a whole number of floats"
    yield "corrupt_raw_and_typed.onnx", model(
        tensor("x", INT8, [1], b"\x01", vfield(5, 1)) + S + Z + DQ), \
        "holds values in raw_data and a typed field"
    yield "corrupt_int64_data.onnx", model(
        bfield(5, vfield(1, 1) + vfield(2, INT8) + bfield(8, "x") + vfield(7, 1)) + S + Z + DQ), \
        "holds its values in a field ONNX does not use for INT8"
    yield "corrupt_external_data.onnx", model(
        tensor("x", INT8, [2, 3], None, vfield(14, 1) + bfield(13, bfield(1, "location"))) + S +
        Z + DQ), "its data is external (in another file): not supported"
    yield "corrupt_x_type_float.onnx", model(tensor("x", FLOAT, [1], floats(1)) + S + Z + DQ), \
        "x \"x\": has type FLOAT; qtensor holds INT8, UINT8, INT16, UINT16, INT32, INT4 and UINT4"
    yield "corrupt_x_type_99.onnx", model(tensor("x", 99, [1], b"") + S + Z + DQ), \
        "has type data type 99"
    yield "corrupt_scale_zero.onnx", model(X + tensor("s", FLOAT, [], floats(0)) + Z + DQ), \
        "scale 0 is 0.0: qtensor holds finite scales above 0"
    yield "corrupt_scale_inf.onnx", model(
        X + tensor("s", FLOAT, [], floats(float("inf"))) + Z + DQ), "scale 0 is inf"
    yield "corrupt_scale_double.onnx", model(
        X + tensor("s", DOUBLE, [], struct.pack("<d", 0.5)) + Z + DQ), \
        "has type DOUBLE; qtensor reads FLOAT, FLOAT16 and BFLOAT16 scales"
    yield "corrupt_scale_not_initializer.onnx", model(
        X + Z + node("DequantizeLinear", ["x", "t", "z"], "w")), \
        "x_scale \"t\" is neither an initializer nor a Cast to FLOAT of one"
    yield "corrupt_zero_point_missing.onnx", model(X + S + DQ), \
        "x_zero_point \"z\" is not an initializer"
    yield "corrupt_zero_point_dims.onnx", model(
        X + S + tensor("z", INT8, [1], bytes([1])) + DQ), "has other dims than x_scale"
    yield "corrupt_int32_zero_point.onnx", model(
        tensor("x", INT32, [1], bytes(4)) + S + tensor("z", INT32, [], struct.pack("<i", 3)) + DQ), \
        "an INT32 zero point must be 0, not 3"
    yield "corrupt_axis_scale_dims.onnx", model(
        X + tensor("s", FLOAT, [2], floats(1, 2)) + node("DequantizeLinear", ["x", "s"], "w")), \
        "x_scale has dims [2]: expected one value, or [3] for axis 1"
    yield "corrupt_axis_out_of_range.onnx", model(
        X + tensor("s", FLOAT, [2], floats(1, 2)) + tensor("z", INT8, [2], bytes(2)) +
        node("DequantizeLinear", ["x", "s", "z"], "w", attribute("axis", -3))), \
        "axis -3 is out of range for x of rank 2"
    yield "corrupt_blocked_scale_dims.onnx", model(
        X + tensor("s", FLOAT, [2, 1], floats(1, 2)) +
        node("DequantizeLinear", ["x", "s"], "w", attribute("axis", 1) +
             attribute("block_size", 2))), \
        "x_scale has dims [2, 1], expected [2, 2] for blocks of 2 along axis 1"
    yield "corrupt_block_size_negative.onnx", model(
        X + S + node("DequantizeLinear", ["x", "s"], "w", attribute("block_size", -2))), \
        "block_size -2 is negative"
    yield "corrupt_attribute_twice.onnx", model(
        X + S + node("DequantizeLinear", ["x", "s"], "w", attribute("axis", 0) +
                     attribute("axis", 1))), "a second attribute named 'axis'"
    yield "corrupt_axis_not_int.onnx", model(
        X + S + node("DequantizeLinear", ["x", "s"], "w",
                     bfield(5, bfield(1, "axis") + vfield(20, 1)))), \
        "attribute axis is not an INT attribute with a value"
    yield "corrupt_4bit_padding.onnx", model(
        tensor("x", UINT4, [3], bytes([0x21, 0xF3])) + S +
        node("DequantizeLinear", ["x", "s"], "w")), \
        "x \"x\": the unused high bits of the last byte of quint4 data are not 0"
    yield "corrupt_duplicate_initializer.onnx", model(X + S + Z + DQ + X), \
        "two initializers are named \"x\""
    yield "corrupt_duplicate_output.onnx", model(X + S + Z + DQ + DQ), \
        "a second node with output \"w\""
    yield "corrupt_too_many_inputs.onnx", model(
        X + S + Z + node("DequantizeLinear", ["x", "s", "z", "z"], "w")), \
        "has 4 inputs and 1 outputs"
    yield "corrupt_output_empty.onnx", model(
        X + S + Z + node("DequantizeLinear", ["x", "s", "z"], "")), "has an empty output name"
    yield "corrupt_output_not_utf8.onnx", model(
        X + S + Z + node("DequantizeLinear", ["x", "s", "z"], b"\xff\xfe")), \
        "the output name is not valid UTF-8"
    yield "corrupt_metadata_empty_key.onnx", model(
        X + S + Z + DQ, bfield(14, bfield(2, "v"))), "metadata_props[0]: has an empty key"
    yield "corrupt_metadata_duplicate_key.onnx", model(
        X + S + Z + DQ, bfield(14, bfield(1, "k")) + bfield(14, bfield(1, "k"))), \
        "a second entry with key \"k\""
    yield "corrupt_metadata_nul.onnx", model(
        X + S + Z + DQ, bfield(14, bfield(1, "k") + bfield(2, b"a\0"))), \
        "contains a NUL byte"


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    out.mkdir(parents=True, exist_ok=True)
    lines = ['# file\texpected: "valid", or a substring of the error '
             '(written by generate.py; do not edit)']
    for name, data, expected in cases():
        (out / name).write_bytes(data)
        lines.append(f"{name}\t{expected}")
    (out / "MANIFEST").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

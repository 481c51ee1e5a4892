#!/usr/bin/env python3
"""Writes the GGUF files of this directory and their MANIFEST.

Each corrupt_*.gguf breaks one rule of docs/gguf.md; MANIFEST gives a
substring of the message qtensor's reader must throw (always kCorruptData).
Each valid_*.gguf must be read, and written back with the same metadata and
tensor bytes. tests/io/test_gguf.cc checks them all; the fuzz targets start
from them.

The files are built here byte by byte from the GGUF specification
(github.com/ggml-org/ggml, docs/gguf.md), sharing nothing with the library.
The output is deterministic.

usage: /usr/bin/python3 generate.py [OUT_DIR]   (default: this directory)
"""

import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent

UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
F32, F16, Q4_0, Q8_0, F64, BF16 = 0, 1, 2, 8, 28, 30
FIXED = {UINT8: "<B", INT8: "<b", UINT16: "<H", INT16: "<h", UINT32: "<I", INT32: "<i",
         FLOAT32: "<f", BOOL: "<B", UINT64: "<Q", INT64: "<q", FLOAT64: "<d"}
BYTES_PER_ELEMENT = {F32: (1, 4), F16: (1, 2), Q4_0: (32, 18), Q8_0: (32, 34), F64: (1, 8),
                     BF16: (1, 2)}


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def gstr(s):
    b = s.encode() if isinstance(s, str) else s
    return u64(len(b)) + b


def value(vtype, v):
    """A value's bytes, without its type."""
    if vtype == STRING:
        return gstr(v)
    if vtype == ARRAY:
        etype, items = v
        return u32(etype) + u64(len(items)) + b"".join(value(etype, x) for x in items)
    return struct.pack(FIXED[vtype], v)


def kv(key, vtype, v):
    return gstr(key) + u32(vtype) + value(vtype, v)


def tensor_info(name, dims, ttype, offset):
    return gstr(name) + u32(len(dims)) + b"".join(u64(d) for d in dims) + u32(ttype) + u64(offset)


def nbytes(dims, ttype):
    block, size = BYTES_PER_ELEMENT[ttype]
    n = size * (dims[0] // block) if dims else size
    for d in dims[1:]:
        n *= d
    return n


def pad(b, alignment):
    return b + b"\0" * ((-len(b)) % alignment)


def gguf(kvs, tensors, version=3, alignment=32, data=None, tensor_count=None, kv_count=None,
         magic=b"GGUF"):
    """tensors: (name, dims, type, payload); offsets are laid out as ggml
    does unless `data` (the data section) and explicit offsets are given."""
    infos, section = b"", b""
    for name, dims, ttype, payload_or_offset in tensors:
        if data is None:
            offset = len(section)
            section = pad(section + payload_or_offset, alignment)
        else:
            offset = payload_or_offset
        infos += tensor_info(name, dims, ttype, offset)
    if data is not None:
        section = data
    head = magic + u32(version)
    head += u64(len(tensors) if tensor_count is None else tensor_count)
    head += u64(len(kvs) if kv_count is None else kv_count)
    return pad(head + b"".join(kvs) + infos, alignment) + section


def f32_payload(n, start=0.0):
    return b"".join(struct.pack("<f", start + 0.25 * i) for i in range(n))


def q8_0_payload(blocks):
    out = b""
    for b in range(blocks):
        out += struct.pack("<H", 0x3C00) + bytes((j * 7 + b) & 0xFF for j in range(32))
    return out


def q4_0_payload(scales):
    out = b""
    for b, d in enumerate(scales):
        out += struct.pack("<H", d) + bytes((j * 29 + b * 3) & 0xFF for j in range(16))
    return out


def base_kvs():
    return [kv("general.architecture", STRING, "qtensor-test"), kv("general.name", STRING, "tiny")]


def base_tensors():
    return [("a", [4, 2], F32, f32_payload(8)), ("b", [32, 2], Q8_0, q8_0_payload(2))]


def valid_files():
    every = [
        kv("u8", UINT8, 255), kv("i8", INT8, -128), kv("u16", UINT16, 65535),
        kv("i16", INT16, -32768), kv("u32", UINT32, 4294967295), kv("i32", INT32, -2147483648),
        kv("f32", FLOAT32, -1.5), kv("bool", BOOL, 1), kv("string", STRING, "h\u00e9llo"),
        kv("u64", UINT64, 2**64 - 1), kv("i64", INT64, -2**63), kv("f64", FLOAT64, 0.1),
        kv("array.u8", ARRAY, (UINT8, [0, 1, 255])),
        kv("array.string", ARRAY, (STRING, ["", "a", "bc"])),
        kv("array.bool", ARRAY, (BOOL, [0, 1])),
        kv("array.f64", ARRAY, (FLOAT64, [1.0, -2.0])),
        kv("array.empty", ARRAY, (INT32, [])),
        kv("array.nested", ARRAY, (ARRAY, [(UINT16, [1, 2]), (STRING, ["x"]), (ARRAY, [])])),
        kv("general.alignment", UINT32, 64),
    ]
    every_tensors = [("f32", [3], F32, f32_payload(3)), ("empty", [0, 5], F16, b""),
                     ("q8", [64], Q8_0, q8_0_payload(2)), ("scalar", [], F32, f32_payload(1))]
    # Tensors listed out of offset order, with a gap and trailing bytes:
    # valid, and written back in ggml's layout with the same bytes.
    shuffled_data = pad(f32_payload(4, 10.0), 32) + b"\x11" * 32 + pad(f32_payload(2, 20.0), 32)
    shuffled = gguf(base_kvs(), [("late", [4], F32, 0), ("early", [2], F32, 64)],
                    data=shuffled_data + b"trailing")
    return [
        ("valid_small.gguf", gguf(base_kvs(), base_tensors())),
        ("valid_version_2.gguf", gguf(base_kvs(), base_tensors(), version=2)),
        ("valid_every_type.gguf", gguf(every, every_tensors, alignment=64)),
        ("valid_no_tensors.gguf", gguf(base_kvs(), [])),
        ("valid_offsets_out_of_order.gguf", shuffled),
        # Only the types a bundle holds as tensors, with block scales of 0,
        # -0.0 and < 0: the file converts to a bundle and back.
        ("valid_quantized_only.gguf",
         gguf(base_kvs(), [("q8", [32, 2], Q8_0, q8_0_payload(2)),
                           ("q4", [64], Q4_0, q4_0_payload([0x0000, 0x8000])),
                           ("q4neg", [32], Q4_0, q4_0_payload([0xC500]))])),
    ]


def corrupt_files():
    small = gguf(base_kvs(), base_tensors())
    cases = []

    def add(name, payload, substring):
        cases.append(("corrupt_" + name + ".gguf", payload, substring))

    def with_kvs(kvs, **kwargs):
        return gguf(base_kvs() + kvs, base_tensors(), **kwargs)

    def with_tensors(tensors, **kwargs):
        return gguf(base_kvs(), tensors, **kwargs)

    add("empty", b"", "GGUF header: truncated: magic at byte 0 needs 4 bytes, 0 left")
    add("magic", b"GGML" + small[4:], 'magic is "GGML", expected "GGUF"')
    add("version_1", gguf(base_kvs(), base_tensors(), version=1), "version 1 is not read")
    add("version_4", gguf(base_kvs(), base_tensors(), version=4), "version 4 is not read")
    add("version_big_endian", gguf(base_kvs(), base_tensors(), version=0x03000000), "looks byte-swapped")
    add("truncated_in_header", small[:10], "truncated: tensor count")
    add("tensor_count_huge", gguf(base_kvs(), base_tensors(), tensor_count=2**40),
        "tensor count 1099511627776 is over the limit")
    add("kv_count_past_end", gguf(base_kvs(), base_tensors(), kv_count=100000),
        "100000 key-values and 2 tensors cannot fit")
    add("key_too_long", small[:24] + u64(70000) + b"k" * 70000 + small[24:],
        "key of 70000 bytes is longer than the limit of 65535")
    add("key_past_end", b"GGUF" + u32(3) + u64(0) + u64(1) + u64(60000) + b"k" * 20,
        "GGUF metadata[0]: truncated: key at byte 32 needs 60000 bytes, 20 left")
    add("duplicate_key", with_kvs([kv("general.name", STRING, "again")]),
        'metadata[2] ("general.name"): duplicate key')
    add("value_type_13", with_kvs([gstr("k") + u32(13) + u32(0)]), "value type 13 is unknown")
    add("array_element_type_13", with_kvs([gstr("k") + u32(ARRAY) + u32(13) + u64(0)]),
        "array element type 13 is unknown")
    add("array_count_huge", with_kvs([gstr("k") + u32(ARRAY) + u32(UINT32) + u64(2**60)]),
        "array of 1152921504606846976 UINT32 needs at least 4 bytes each")
    add("string_array_count_huge", with_kvs([gstr("k") + u32(ARRAY) + u32(STRING) + u64(2**61)]),
        "array of 2305843009213693952 STRING needs at least 8 bytes each")
    add("string_too_long", with_kvs([gstr("k") + u32(STRING) + u64(2**40)]),
        "STRING value of 1099511627776 bytes is longer than the limit of 1073741824")
    add("string_past_end", with_kvs([gstr("k") + u32(STRING) + u64(100000)]),
        'metadata[2] ("k"): truncated: STRING value')
    nested = (UINT8, [1])
    for _ in range(8):
        nested = (ARRAY, [nested])
    add("arrays_nested_9_deep", with_kvs([kv("deep", ARRAY, nested)]), "arrays nested deeper than 8")
    add("bool_2", with_kvs([kv("flag", UINT8, 2)[:-5] + u32(BOOL) + b"\x02"]),
        'metadata[2] ("flag"): BOOL is 2, not 0 or 1')
    add("bool_array_element_3", with_kvs([gstr("flags") + u32(ARRAY) + u32(BOOL) + u64(2) +
                                          b"\x00\x03"]),
        "BOOL 1 is 3, not 0 or 1")
    add("alignment_uint64", with_kvs([kv("general.alignment", UINT64, 32)]),
        'metadata "general.alignment": type is UINT64, expected UINT32')
    add("alignment_0", with_kvs([kv("general.alignment", UINT32, 0)]), "0 is not a power of two")
    add("alignment_48", with_kvs([kv("general.alignment", UINT32, 48)], alignment=16),
        "48 is not a power of two")
    add("alignment_2_pow_20", with_kvs([kv("general.alignment", UINT32, 2**20)]),
        "1048576 is not a power of two up to 65536")
    add("tensor_name_64_bytes", with_tensors([("n" * 64, [4], F32, f32_payload(4))]),
        "name of 64 bytes is longer than the limit of 63")
    add("duplicate_tensor_name", with_tensors([("a", [4], F32, f32_payload(4))] * 2),
        'tensors[1] ("a"): duplicate tensor name')
    add("n_dims_5", with_tensors([("t", [1, 1, 1, 1, 4], F32, f32_payload(4))]),
        "n_dims 5 is more than ggml's 4")
    add("dim_negative", with_tensors([("t", [4, 2**63], F32, 0)], data=b""),
        "ne[1] = 9223372036854775808 is negative as int64")
    add("type_4_removed", with_tensors([("t", [32], 4, 0)], data=b"\0" * 32),
        "ggml type 4 is unknown or unsupported")
    add("type_100", with_tensors([("t", [32], 100, 0)], data=b"\0" * 32), "ggml type 100 is unknown")
    add("q8_0_ne0_33", with_tensors([("t", [33], Q8_0, 0)], data=b"\0" * 64),
        "ne[0] = 33 is not a multiple of Q8_0's block of 32")
    add("elements_overflow", with_tensors([("t", [2**32, 2**32], F32, 0)], data=b""),
        "hold more than 2^63 elements or bytes")
    add("bytes_overflow_f64", with_tensors([("t", [2**61], F64, 0)], data=b""),
        "hold more than 2^63 elements or bytes")
    add("offset_unaligned", with_tensors([("t", [4], F32, 4)], data=b"\0" * 64),
        "offset 4 is not a multiple of the alignment 32")
    add("offset_past_end", with_tensors([("t", [4], F32, 2**63)], data=b"\0" * 64),
        "runs past the end of the file")
    # b's 68 bytes end 28 bytes before the padded end of the file.
    add("data_short_by_one", small[:len(small) - 28 - 1], 'tensors[1] ("b"): data at offset 32')
    add("tensors_overlap", with_tensors([("a", [16], F32, 0), ("b", [8], F32, 32)],
                                        data=b"\0" * 64),
        'tensors[1] ("b"): data overlaps that of tensors[0] ("a")')
    infos_end = len(gguf(base_kvs(), base_tensors(), alignment=1)) - 32 - 68
    add("no_padding_before_data", small[:infos_end], "data section: the padding to the alignment")
    return cases


def main():
    out_dir = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = ["# file\texpected: \"valid\", or a substring of the error (written by generate.py; "
             "do not edit)"]
    for name, payload in valid_files():
        (out_dir / name).write_bytes(payload)
        lines.append(name + "\tvalid")
    for name, payload, substring in corrupt_files():
        (out_dir / name).write_bytes(payload)
        lines.append(name + "\t" + substring)
    (out_dir / "MANIFEST").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

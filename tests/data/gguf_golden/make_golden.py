#!/usr/bin/env python3
"""Writes the expected values of qtensor's float16 / bfloat16 conversions and
GGUF block kernels, computed here independently of the library:

  half_float.txt  float32 bits -> float16 bits (NumPy's astype) and
                  bfloat16 bits (PyTorch's to(torch.bfloat16)), for edge
                  cases and seeded random values;
  blocks.txt      hand-made Q8_0 and Q4_0 blocks: the input floats, the block
                  bytes and the dequantized floats, from llama.cpp's
                  reference formulas written out below with NumPy float32.

tests/kernels/test_gguf_golden.cc compares the kernels with them; the ctest
test gguf_golden_regenerate checks that this script writes exactly the
checked-in files.

usage: /usr/bin/python3 make_golden.py [OUT_DIR]   (default: this directory)
"""

import math
import pathlib
import struct
import sys

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent
f32 = np.float32


def bits_of(x):
    return struct.unpack("<I", struct.pack("<f", float(x)))[0]


def float_of(bits):
    return np.array([bits], dtype=np.uint32).view(np.float32)[0]


def half_bits(x):
    return int(np.array([x], dtype=np.float32).astype(np.float16).view(np.uint16)[0])


def half_value(bits):
    return f32(np.array([bits], dtype=np.uint16).view(np.float16)[0])


def bfloat16_bits(x):
    t = torch.tensor([float(x)], dtype=torch.float32).to(torch.bfloat16)
    return int(t.view(torch.int16).item()) & 0xFFFF


# ------------------------------------------------------------ half / bfloat16

def float_cases():
    edges = [
        0x00000000, 0x80000000, 0x3F800000, 0xBF800000,  # +-0, +-1
        0x477FE000, 0x477FEFFF, 0x477FF000, 0x477FF001,  # 65504, below/at/above the inf tie
        0x47800000, 0x7F7FFFFF, 0x7F800000, 0xFF800000,  # 65536, FLT_MAX, +-inf
        0x7FC00000, 0x7FC02000, 0x7FFFFFFF,              # quiet NaNs
        0x38800000, 0x387FFFFF, 0x387FF000,              # 2^-14 and just below
        0x33800000, 0x33000000, 0x33000001, 0x32FFFFFF,  # 2^-24, 2^-25 (tie to 0), around it
        0x33C00000, 0x34200000, 0x34400000,              # 1.5, 2.5, 3 * 2^-24 (ties)
        0x00000001, 0x80000001, 0x00800000,              # float subnormal, FLT_MIN
        0x3F801000, 0x3F803000, 0x3F801001, 0x3F800FFF,  # ties at 1 + 2^-11, 1 + 3 * 2^-11
        0xC0001000, 0x44FFF000, 0x387FE000, 0x387FF001,
    ]
    rng = np.random.default_rng(20261207)
    spread = [int(b) for b in rng.integers(0, 2**32, 400, dtype=np.uint64)]
    near = [int(b) for b in rng.integers(0x33000000, 0x47800000, 400, dtype=np.uint64)]
    out = []
    for b in edges + spread + near:
        x = float_of(b)
        if math.isnan(x) and (b & 0x00400000) == 0:
            continue  # signalling NaN: NumPy keeps it signalling, qtensor makes it quiet
        out.append(b)
    return out


def write_half(path):
    lines = ["# float32 bits, float16 bits (NumPy), bfloat16 bits (PyTorch); written by make_golden.py"]
    for b in float_cases():
        x = float_of(b)
        bf = bfloat16_bits(x)
        if math.isnan(x):
            bf = 0x7FC0 | ((b >> 16) & 0x8000) | ((b >> 16) & 0x3F)  # PyTorch canonicalises NaN
            if b != 0x7FC00000:
                continue
        lines.append("%08x %04x %04x" % (b, half_bits(x), bf))
    path.write_text("\n".join(lines) + "\n")


# ------------------------------------------------------------ blocks

def x86_float_to_int8(v):
    """C's (int8_t) of a float as x86-64 code does it: cvttss2si, low byte."""
    if math.isnan(v) or not (-2.0**31 <= v < 2.0**31):
        i = -2**31
    else:
        i = int(math.trunc(float(v)))
    b = i & 0xFF
    return b - 256 if b >= 128 else b


def roundf(v):
    """Half away from zero (float64 holds |v| + 0.5 exactly)."""
    if math.isnan(v) or math.isinf(v):
        return v
    return math.copysign(math.floor(abs(float(v)) + 0.5), v)


def quantize_q8_0(x):
    amax = f32(0.0)
    for v in x:
        a = f32(abs(v))
        amax = amax if amax > a else a  # ggml's MAX
    d = f32(amax / f32(127))
    idv = f32(f32(1.0) / d) if d != 0 else f32(0.0)
    out = struct.pack("<H", half_bits(d))
    for v in x:
        q = x86_float_to_int8(roundf(f32(v * idv)))
        out += struct.pack("<b", q)
    return out


def quantize_q4_0(x):
    amax, mx = f32(0.0), f32(0.0)
    for v in x:
        if amax < abs(v):
            amax, mx = f32(abs(v)), v
    d = f32(mx / f32(-8))
    idv = f32(f32(1.0) / d) if d != 0 else f32(0.0)
    q = []
    for v in x:
        t = x86_float_to_int8(f32(f32(v * idv) + f32(8.5)))
        q.append(min(15, t) & 0xFF)
    out = struct.pack("<H", half_bits(d))
    for j in range(16):
        out += bytes([(q[j] | (q[j + 16] << 4)) & 0xFF])
    return out


def dequantize_q8_0(block):
    d = half_value(struct.unpack("<H", block[:2])[0])
    return [f32(f32(q) * d) for q in struct.unpack("<32b", block[2:])]


def dequantize_q4_0(block):
    d = half_value(struct.unpack("<H", block[:2])[0])
    y = [None] * 32
    for j, byte in enumerate(block[2:]):
        y[j] = f32(f32((byte & 0x0F) - 8) * d)
        y[j + 16] = f32(f32((byte >> 4) - 8) * d)
    return y


def block_cases():
    inf, nan = f32(np.inf), f32(np.nan)
    rng = np.random.default_rng(7)
    ramp = [f32((j - 15.5) * 0.37) for j in range(32)]
    ties_q8 = [f32(127.0)] + [f32(k + 0.5) for k in range(-15, 16)]  # d = 1: x * id = x
    # max -16: d = 2, id = 0.5; x * id + 8.5 lands on k + 0.5 + 8.5 (truncation)
    ties_q4 = [f32(-16.0)] + [f32(v) for v in np.linspace(-15.0, 15.0, 31)]
    first_wins = [f32(0.25)] * 32
    first_wins[3], first_wins[20] = f32(-3.0), f32(3.0)
    signed_zero = [f32(-0.0)] * 32
    signed_zero[5] = f32(0.001)
    cases = [
        ("ramp", ramp),
        ("ties_q8", ties_q8),
        ("ties_q4", ties_q4),
        ("first_of_equal_magnitude", first_wins),
        ("all_zero", [f32(0.0)] * 32),
        ("negative_zero", [f32(-0.0)] * 32),
        ("signed_zero_and_small", signed_zero),
        ("random_normal", [f32(v) for v in rng.standard_normal(32)]),
        ("tiny_subnormal", [f32(1e-40) * (j % 5 - 2) for j in range(32)]),
        ("large_past_half_range", [f32(1e6) * (j - 16) for j in range(32)]),
        ("inf_inside", [inf if j == 9 else f32(j) for j in range(32)]),
        ("nan_inside", [nan if j == 9 else f32(j - 8) for j in range(32)]),
        ("nan_last", [nan if j == 31 else f32(j - 8) for j in range(32)]),
    ]
    return cases


def hex_floats(values):
    return " ".join("%08x" % bits_of(v) for v in values)


def write_blocks(path):
    lines = ["# format name: input floats / block bytes / dequantized floats (hex bits); "
             "written by make_golden.py"]
    for name, x in block_cases():
        for fmt, quantize, dequantize in (("q8_0", quantize_q8_0, dequantize_q8_0),
                                          ("q4_0", quantize_q4_0, dequantize_q4_0)):
            block = quantize(x)
            lines.append("%s %s: %s / %s / %s" % (fmt, name, hex_floats(x), block.hex(),
                                                  hex_floats(dequantize(block))))
    path.write_text("\n".join(lines) + "\n")


def main():
    out_dir = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    out_dir.mkdir(parents=True, exist_ok=True)
    with np.errstate(all="ignore"):
        write_half(out_dir / "half_float.txt")
        write_blocks(out_dir / "blocks.txt")


if __name__ == "__main__":
    main()

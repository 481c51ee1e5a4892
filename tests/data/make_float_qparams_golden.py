#!/usr/bin/python3
"""Generates float_qparams_golden.txt: PyTorch 1.13's quantize, int_repr,
dequantize and repr() of per_channel_affine_float_qparams tensors
(torch.quantize_per_channel with float zero points), for
tests/core/test_float_qparams.cc.

Usage: /usr/bin/python3 make_float_qparams_golden.py OUTPUT_PATH

Deterministic: random inputs come from torch.randint with a generator seeded
from the case name (integers scaled by powers of two, so no libm decides a
bit); the edge cases are fixed lists. Every written integer and float is
also checked against docs/numerics.md's formulas (check_case below), so the
script stops with an AssertionError if PyTorch disagrees with them.

The cases cover: every dtype PyTorch 1.13 quantizes with float qparams
(qint8, quint8, quint4x2, quint2x4; its qint32 kernel dies with an illegal
instruction on this machine's build, so qint32 is not a case), each axis of
a 3-d tensor, halfway values (ties to even), values where a fused
multiply-add would round differently (PyTorch rounds the product and the
sum separately), zero points outside the dtype's range and negative, NaN
and infinite inputs, and inputs whose lrintf leaves int32 (PyTorch keeps it
in an int32_t: the value wraps modulo 2^32) or int64 (INT64_MIN, whose low
32 bits are 0).

Output format: ASCII, one record per case, one field per line: a keyword,
then a space and the tokens separated by single spaces. Floats are
float.hex() of float32 values ("nan", "inf", "-inf" as such).

  case NAME          starts a record
  dtype NAME         qint8, quint8, quint4x2 or quint2x4
  shape D0 D1 ...    the tensor's sizes
  axis INT           the channel axis (>= 0)
  scales HEX ...     float32 scales, one per channel
  zero_points HEX    float32 zero points, one per channel
  input HEX ...      row-major float32 input
  int_repr INT ...   PyTorch's integers, one per element (unpacked)
  dequantize HEX ... PyTorch's dequantize(), row-major
  repr "TEXT"        repr(q) as JSON, torch. renamed to qtensor.
  end                closes the record
"""

import json
import struct
import sys
import zlib

import numpy as np
import torch

DTYPES = {"qint8": (torch.qint8, -128, 127, 8), "quint8": (torch.quint8, 0, 255, 8),
          "quint4x2": (torch.quint4x2, 0, 15, 4), "quint2x4": (torch.quint2x4, 0, 3, 2)}


def f32(value):
    return struct.unpack("<f", struct.pack("<f", value))[0]


def hexf(value):
    value = float(value)
    if value != value:
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return value.hex()


def lrintf_x86(t):
    """lrintf of a float32 as x86-64 gives it: INT64_MIN outside int64."""
    if not (-2.0**63 <= t < 2.0**63):
        return -(2**63)
    return int(np.rint(np.float32(t)))


def expected_int(x, scale, zero_point, qmin, qmax):
    inv = np.float32(1.0) / np.float32(scale)
    with np.errstate(invalid="ignore", over="ignore"):
        t = np.float32(np.float32(x) * inv) + np.float32(zero_point)
    wrapped = (lrintf_x86(float(t)) + 2**31) % 2**32 - 2**31
    return min(max(wrapped, qmin), qmax)


def unpack(packed, bits, count):
    per_byte = 8 // bits
    return [(int(packed[i // per_byte]) >> (i % per_byte * bits)) & ((1 << bits) - 1)
            for i in range(count)]


def run_case(name, dtype_name, shape, axis, scales, zero_points, values):
    torch_dtype, qmin, qmax, bits = DTYPES[dtype_name]
    x = torch.tensor(values, dtype=torch.float32).reshape(shape)
    s = torch.tensor(scales, dtype=torch.float32)
    z = torch.tensor(zero_points, dtype=torch.float32)
    q = torch.quantize_per_channel(x, s, z, axis, torch_dtype)
    assert q.qscheme() == torch.per_channel_affine_float_qparams
    numel = x.numel()
    if bits < 8:
        ints = unpack(q.int_repr().numpy(), bits, numel)
    else:
        ints = [int(v) for v in q.int_repr().reshape(-1).tolist()]
    deq = q.dequantize().reshape(-1).tolist()
    check_case(shape, axis, scales, zero_points, x.reshape(-1).tolist(), ints, deq, qmin, qmax)
    text = repr(q).replace("torch.", "qtensor.")
    lines = [f"case {name}", f"dtype {dtype_name}", "shape " + " ".join(map(str, shape)),
             f"axis {axis}", "scales " + " ".join(hexf(v) for v in s.tolist()),
             "zero_points " + " ".join(hexf(v) for v in z.tolist()),
             "input " + " ".join(hexf(v) for v in x.reshape(-1).tolist()),
             "int_repr " + " ".join(map(str, ints)),
             "dequantize " + " ".join(hexf(v) for v in deq), "repr " + json.dumps(text), "end"]
    return lines


def check_case(shape, axis, scales, zero_points, xs, ints, deq, qmin, qmax):
    inner = int(np.prod(shape[axis + 1:]))
    channels = shape[axis]
    for k, (x, q, d) in enumerate(zip(xs, ints, deq)):
        c = k // inner % channels
        s, z = f32(scales[c]), f32(zero_points[c])
        want = expected_int(x, s, z, qmin, qmax)
        assert q == want, (k, x, s, z, q, want)
        got = np.float32(np.float32(q) - np.float32(z)) * np.float32(s)
        assert struct.pack("<f", d) == struct.pack("<f", float(np.float32(got))), (k, q, d, got)


def seeded(name, count, low, high):
    generator = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    return torch.randint(low, high, (count,), generator=generator)


def random_cases():
    for dtype_name in DTYPES:
        for axis in range(3):
            shape = [3, 4, 5]
            name = f"random_{dtype_name}_axis{axis}"
            ints = seeded(name, 60, -4096, 4096).tolist()
            values = [v / 256.0 for v in ints]
            channels = shape[axis]
            scale_ints = seeded(name + "s", channels, 1, 200).tolist()
            scales = [f32(v / 1024.0) for v in scale_ints]
            zp_ints = seeded(name + "z", channels, -2000, 2000).tolist()
            zero_points = [v / 64.0 for v in zp_ints]
            yield run_case(name, dtype_name, shape, axis, scales, zero_points, values)


def tie_cases():
    # x * (1 / scale) + zero_point lands exactly on k + 0.5: ties to even.
    for dtype_name in ("quint8", "qint8"):
        values = [0.5, 1.5, 2.5, -0.5, -1.5, 3.5, 4.5, 10.5]
        yield run_case(f"ties_{dtype_name}", dtype_name, [2, 8], 0, [1.0, 0.5], [0.0, 1.0],
                       values + values)


def fused_cases():
    # Values where fma(x, 1/scale, zero_point) rounds to another integer:
    # PyTorch rounds the product first (found by search, fixed here).
    rng = np.random.default_rng(5)
    found = []
    while len(found) < 12:
        s = np.float32(rng.uniform(0.001, 1))
        z = np.float32(rng.uniform(-50, 50))
        inv = np.float32(1) / s
        k = rng.integers(-100, 300, 20000) + 0.5
        xs = ((k - np.float64(z)) / np.float64(inv)).astype(np.float32)
        xs = np.concatenate([xs, np.nextafter(xs, np.float32(np.inf)),
                             np.nextafter(xs, np.float32(-np.inf))])
        sep = np.rint((xs * inv).astype(np.float32) + z)
        fma = np.rint((xs.astype(np.float64) * np.float64(inv) + np.float64(z))
                      .astype(np.float32))
        for x in xs[(sep != fma) & (sep >= 1) & (sep <= 126)][:2]:
            found.append((float(s), float(z), float(x)))
    shape = [len(found), 1]
    yield run_case("fused_multiply_add_differs", "quint8", shape, 0, [f[0] for f in found],
                   [f[1] for f in found], [f[2] for f in found])


def edge_cases():
    nan, inf = float("nan"), float("inf")
    special = [nan, inf, -inf, 1e30, -1e30, 2147483520.0, 2147483648.0, -2147483648.0,
               -2147483904.0, 2.0**40, 2.0**62, 2.0**63, -2.0**63, 0.0, -0.0, 3.0]
    for dtype_name in DTYPES:
        yield run_case(f"nonfinite_and_huge_{dtype_name}", dtype_name, [1, len(special)], 0,
                       [1.0], [0.0], special)
    # Zero points far outside the range, negative, fractional.
    values = [0.0, 1.0, -1.0, 100.0, -100.0, 1e6, 0.25, -0.75]
    yield run_case("large_zero_points", "quint8", [4, 8], 0, [0.5, 1.0, 2.0, 0.001],
                   [1e10, -1e10, 300.5, -2.75], values * 4)
    yield run_case("large_zero_points_quint4x2", "quint4x2", [3, 8], 0, [0.5, 1.0, 0.125],
                   [-20.5, 40.0, 7.5], values * 3)
    # Odd row lengths of the packed dtypes (PyTorch packs flat, not by row).
    values = [v / 8.0 for v in range(-10, 11)]
    yield run_case("odd_rows_quint4x2", "quint4x2", [3, 7], 1, [0.25] * 7,
                   [float(c) for c in range(7)], values)
    yield run_case("odd_rows_quint2x4", "quint2x4", [7, 3], 0, [0.5] * 7,
                   [c / 2.0 for c in range(7)], values)
    # Tiny and large scales.
    yield run_case("scale_extremes", "qint8", [3, 4], 0, [1e-30, 1e30, 3.0e-3],
                   [0.5, -0.5, 0.0], [1e-29, -1e-29, 0.0, 1.0] * 3)
    # Summarized printing (more than 1000 elements, more than 6 channels).
    generator_values = seeded("summarized", 1200, -512, 512).tolist()
    yield run_case("summarized_repr", "quint8", [1200], 0, [0.03125] * 1200,
                   [c / 4.0 for c in range(1200)], [v / 64.0 for v in generator_values])


def main():
    torch.set_num_threads(1)
    cases = [*random_cases(), *tie_cases(), *fused_cases(), *edge_cases()]
    with open(sys.argv[1], "w", encoding="ascii") as out:
        out.write(f"# Generated by make_float_qparams_golden.py with torch {torch.__version__}; "
                  "do not edit.\n")
        out.write(f"# {len(cases)} cases; format: see the script's docstring.\n")
        for lines in cases:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

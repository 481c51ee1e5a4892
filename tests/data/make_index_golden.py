#!/usr/bin/python3
"""Generates index_golden.txt: PyTorch 1.13's index_select, repeat,
masked_fill_ and index_put_ on per-tensor quantized tensors (qint8, quint8,
qint32), for tests/facade/test_indexing.cc. PyTorch 1.13 refuses
per-channel tensors for these operators; the test checks those against
qtensor's own per-channel quantization.

Usage: /usr/bin/python3 make_index_golden.py OUTPUT_PATH

Deterministic: integers and values come from numpy.random.default_rng
seeded from the case's name. The values that masked_fill_ and index_put_
quantize include exact ties (k + 0.5 steps of the scale) and values far
outside the dtype's range.

Output format: ASCII text, one field per line, a keyword then tokens; '#'
lines are comments. QUANT is "DTYPE SCALE ZP" (SCALE as float.hex()).

  case NAME
  input QUANT RANK DIMS      a contiguous input; its integers on
  data INTS                  the next line, row-major
  index_select DIM COUNT INDICES
  repeat COUNT SIZES
  masked_fill VALUE MASK     VALUE a float32 as float.hex(); MASK one 0/1
                             per element, row-major
  index_put DIM COUNT INDICES VALUES
                             VALUES float32s as float.hex(), row-major in
                             the shape of the indexed slices
  output QUANT RANK DIMS     PyTorch's result, its integers on the next line
  data INTS
  end
"""

import sys
import zlib

import numpy as np
import torch

DTYPES = {"qint8": (torch.qint8, -128, 127), "quint8": (torch.quint8, 0, 255),
          "qint32": (torch.qint32, -2**31, 2**31 - 1)}
SHAPE = (3, 4, 5)


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def quant(t):
    return "%s %s %d" % (str(t.dtype)[6:], float(t.q_scale()).hex(), t.q_zero_point())


def dims(t):
    return "%d %s" % (t.dim(), " ".join(str(s) for s in t.shape))


def ints(t):
    return " ".join(str(int(v)) for v in t.int_repr().reshape(-1).tolist())


def floats(values):
    return " ".join(float(v).hex() for v in np.asarray(values, np.float32).reshape(-1))


def make_input(name, dtype):
    torch_dtype, low, high = DTYPES[dtype]
    r = rng(name)
    scale = float(np.float32(r.uniform(0.01, 0.5)))
    if dtype == "qint32":
        zero_point = int(r.integers(-1000, 1000))
        values = r.integers(-2**20, 2**20, SHAPE)
    else:
        zero_point = int(r.integers(low, high + 1))
        values = r.integers(low, high + 1, SHAPE)
    int_type = {"qint8": np.int8, "quint8": np.uint8, "qint32": np.int32}[dtype]
    return torch._make_per_tensor_quantized_tensor(torch.from_numpy(values.astype(int_type)),
                                                   scale, zero_point)


def fill_values(r, scale, count):
    """Values to quantize: ordinary ones, ties and far out of range."""
    steps = r.integers(-300, 300, count) + 0.5
    values = r.standard_normal(count) * 40 * scale
    values[::3] = steps[::3] * scale
    values[1::7] = 1e9
    values[2::11] = -1e9
    return values.astype(np.float32)


def write_case(out, name, t, op_line, result):
    out.append("case %s" % name)
    out.append("input %s %s" % (quant(t), dims(t)))
    out.append("data %s" % ints(t))
    out.append(op_line)
    out.append("output %s %s" % (quant(result), dims(result)))
    out.append("data %s" % ints(result))
    out.append("end")


def main(path):
    out = ["# PyTorch 1.13 index_select, repeat, masked_fill_ and index_put_; written by "
           "tests/data/make_index_golden.py"]
    for dtype in DTYPES:
        for dim, index in [(0, [2, 0]), (1, [3, 3, 0, 1]), (2, []), (-1, [4, 0, 2])]:
            name = "index_select-%s-%d-%d" % (dtype, dim, len(index))
            t = make_input(name, dtype)
            result = torch.index_select(t, dim, torch.tensor(index, dtype=torch.int64))
            write_case(out, name, t, "index_select %d %d %s" % (
                dim, len(index), " ".join(map(str, index))), result)
        for sizes in [(2, 1, 3), (2, 1, 1, 2), (1, 0, 1), (1, 1, 1)]:
            name = "repeat-%s-%s" % (dtype, "x".join(map(str, sizes)))
            t = make_input(name, dtype)
            write_case(out, name, t, "repeat %d %s" % (len(sizes), " ".join(map(str, sizes))),
                       t.repeat(*sizes))
        for k in range(4):
            name = "masked_fill-%s-%d" % (dtype, k)
            t = make_input(name, dtype)
            r = rng(name + "-value")
            value = fill_values(r, t.q_scale(), 4)[k]
            mask = r.random(SHAPE) < 0.5
            result = t.clone()
            result.masked_fill_(torch.from_numpy(mask), float(value))
            write_case(out, name, t, "masked_fill %s %s" % (
                float(value).hex(), " ".join("1" if m else "0" for m in mask.reshape(-1))),
                result)
        for dim, index in [(0, [2, 0]), (1, [3, -4, 1]), (2, [])]:
            name = "index_put-%s-%d-%d" % (dtype, dim, len(index))
            t = make_input(name, dtype)
            shape = list(SHAPE)
            shape[dim] = len(index)
            values = fill_values(rng(name + "-values"), t.q_scale(),
                                 int(np.prod(shape))).reshape(shape)
            key = [slice(None)] * len(SHAPE)
            key[dim] = torch.tensor(index, dtype=torch.int64)
            result = t.clone()
            result[tuple(key)] = torch.from_numpy(values)
            write_case(out, name, t, "index_put %d %d %s %s" % (
                dim, len(index), " ".join(map(str, index)), floats(values)), result)
    with open(path, "w", encoding="ascii") as file:
        file.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/python3
"""Generates pool_golden.txt: PyTorch 1.13's quantized max_pool2d,
avg_pool2d and adaptive_avg_pool2d (torch.nn.quantized.functional), for
tests/ops/test_pool_golden.cc.

Usage: /usr/bin/python3 make_pool_golden.py OUTPUT_PATH

Deterministic: integers come from numpy.random.default_rng seeded from the
case's name, or fixed patterns (each dtype's extremes). PyTorch picks its
average kernel by memory layout: an input that is channels-last contiguous
(which a contiguous (N, 1, H, W) or (N, C, 1, 1) tensor also is) goes to a
vectorized NHWC kernel that rounds otherwise. qtensor follows the NCHW
kernel for every layout, so the expected outputs come from PyTorch's NCHW
kernel (its input passed as a sliced view, which is neither layout), and
the file counts where the NHWC kernel and the qnnpack engine differ.

Every expected output is also computed by a NumPy transcription of
docs/numerics.md's formulas (float32 where they say float32). Where
PyTorch's NCHW kernel differs from them, the element is listed with the
formula's value and a reason, confirmed by recomputing PyTorch's own
arithmetic; an element no reason explains stops the script:

  wrap   qint32 avg_pool2d: PyTorch sums a window in an int32, which wraps
         (past the int32 range, the conversion below may apply as well).
  conv   qint32: the rounded average is past the int32 range, where
         PyTorch's float-to-int32 conversion gives -2^31; the formula
         saturates.

Output format: ASCII text, one field per line, a keyword then tokens; '#'
lines are comments. QUANT is "DTYPE pt SCALE ZP" (SCALE as float.hex()).

  case NAME OP                  OP: max_pool2d, avg_pool2d, adaptive_avg_pool2d
  input RANK DIMS QUANT         a contiguous input; its integers on
  data INTS                     the next line, row-major
  arg KEY INTS                  kernel H W, stride H W, padding H W,
                                dilation H W, ceil_mode B,
                                count_include_pad B, divisor_override D
                                (0 for none), output_size H W
  output RANK DIMS QUANT        PyTorch's result (onednn engine, NCHW
  data INTS                     kernel) and its integers
  diff INDEX VALUE REASON       where that differs from the formula
  channels_last N               elements where PyTorch's NHWC kernel
                                differs (4-D inputs; max_pool2d 0)
  qnnpack N | qnnpack rejected  elements where the qnnpack engine differs
  end
"""

import os
import sys
import zlib
from collections import defaultdict

os.environ["LRU_CACHE_CAPACITY"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402

F32 = np.float32
RANGE = {"qint8": (-128, 127), "quint8": (0, 255), "qint32": (-2**31, 2**31 - 1)}
TORCH_DTYPE = {"qint8": torch.qint8, "quint8": torch.quint8, "qint32": torch.qint32}
INT_DTYPE = {"qint8": np.int8, "quint8": np.uint8, "qint32": np.int32}
QF = torch.nn.quantized.functional


def f32(n):
    """An integer below 2^53 in magnitude rounded once to float32."""
    return F32(float(n))


def wrap32(n):
    return (int(n) + 2**31) % 2**32 - 2**31


def to_int32(x):
    """x86's float-to-int32 conversion: -2^31 for NaN or out of range."""
    x = float(x)
    return int(x) if -2**31 <= x < 2**31 else -2**31


def pooled_size(size, k, s, p, d, ceil):
    span = size + 2 * p - d * (k - 1) - 1
    out = (span + (s - 1 if ceil else 0)) // s + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


# --- docs/numerics.md's formulas (and PyTorch's own arithmetic) --------------

def avg_element(window, extent, zp, cip, dov, dtype, torch_arithmetic):
    lo, hi = RANGE[dtype]
    size = window.size
    divisor = dov if dov else (extent if cip else size)
    multiplier = F32(1.0 / divisor)
    total = int(window.sum())
    if torch_arithmetic == "full":
        centred = wrap32(wrap32(total) - size * zp)
    else:
        centred = total - size * zp
    value = np.rint(f32(centred) * multiplier + f32(zp))
    if torch_arithmetic:
        return min(max(to_int32(value), lo), hi)
    return int(min(max(float(value), lo), hi))


def adaptive_element(window, dtype, torch_arithmetic):
    lo, hi = RANGE[dtype]
    rows, cols = window.shape
    reciprocal = (F32(1.0) / F32(rows)) / F32(cols)
    value = np.rint(f32(int(window.sum())) * reciprocal)
    if torch_arithmetic:
        return to_int32(value) if dtype == "qint32" else int(value)
    return int(min(max(float(value), lo), hi))


def formula(op, ints, zp, args, dtype, torch_arithmetic=False):
    """The expected output (int64 array) for (..., H, W) integers; with
    torch_arithmetic "conv" PyTorch's float-to-int32 conversion, with "full"
    that and its int32 window sums too."""
    H, W = ints.shape[-2:]
    planes = ints.reshape(-1, H, W)
    if op == "adaptive_avg_pool2d":
        oh, ow = args["output_size"]
        rows = [(i * H // oh, -(-(i + 1) * H // oh)) for i in range(oh)]
        cols = [(j * W // ow, -(-(j + 1) * W // ow)) for j in range(ow)]
    else:
        (kh, kw), (sh, sw) = args["kernel"], args["stride"]
        (ph, pw), (dh, dw) = args["padding"], args.get("dilation", (1, 1))
        ceil = args["ceil_mode"]
        oh = pooled_size(H, kh, sh, ph, dh, ceil)
        ow = pooled_size(W, kw, sw, pw, dw, ceil)
        rows = [(i * sh - ph, i * sh - ph + kh, min(i * sh - ph + kh, H + ph)) for i in range(oh)]
        cols = [(j * sw - pw, j * sw - pw + kw, min(j * sw - pw + kw, W + pw)) for j in range(ow)]
    out = np.zeros((planes.shape[0], oh, ow), dtype=np.int64)
    for p, plane in enumerate(planes):
        for i, r in enumerate(rows):
            for j, c in enumerate(cols):
                if op == "adaptive_avg_pool2d":
                    out[p, i, j] = adaptive_element(plane[r[0]:r[1], c[0]:c[1]], dtype,
                                                    torch_arithmetic)
                elif op == "max_pool2d":
                    ri = [r[0] + t * dh for t in range(kh) if 0 <= r[0] + t * dh < H]
                    ci = [c[0] + t * dw for t in range(kw) if 0 <= c[0] + t * dw < W]
                    out[p, i, j] = plane[np.ix_(ri, ci)].max()
                else:
                    window = plane[max(r[0], 0):min(r[1], H), max(c[0], 0):min(c[1], W)]
                    extent = (r[2] - r[0]) * (c[2] - c[0])
                    out[p, i, j] = avg_element(window, extent, zp, args["count_include_pad"],
                                               args["divisor_override"], dtype, torch_arithmetic)
    return out.reshape(ints.shape[:-2] + (oh, ow))


# --- PyTorch ------------------------------------------------------------------

def run_torch(op, x, args, layout):
    """layout: 'nchw' (a sliced view: neither contiguous layout), 'cl'
    (channels-last contiguous) or 'plain' (contiguous)."""
    if layout == "nchw":
        wide = torch.cat([x.int_repr(), x.int_repr()[..., :1]], dim=-1)
        x = torch._make_per_tensor_quantized_tensor(wide, x.q_scale(), x.q_zero_point())[..., :-1]
        assert not x.is_contiguous()
    elif layout == "cl":
        x = x.contiguous(memory_format=torch.channels_last)
    if op == "adaptive_avg_pool2d":
        y = QF.adaptive_avg_pool2d(x, list(args["output_size"]))
    elif op == "max_pool2d":
        y = QF.max_pool2d(x, list(args["kernel"]), list(args["stride"]), list(args["padding"]),
                          list(args["dilation"]), ceil_mode=args["ceil_mode"])
    else:
        y = QF.avg_pool2d(x, list(args["kernel"]), list(args["stride"]), list(args["padding"]),
                          ceil_mode=args["ceil_mode"],
                          count_include_pad=args["count_include_pad"],
                          divisor_override=args["divisor_override"] or None)
    return y


def integers(y):
    return y.int_repr().contiguous().numpy().astype(np.int64)


# --- cases -----------------------------------------------------------------------

SCALE = 0.05
ZERO_POINTS = {"quint8": [0, 128, 255, 37], "qint8": [-128, 0, 127, 5],
               "qint32": [0, -1000, 1000000, 7]}


def pool_args(k, s=None, p=0, d=1, ceil=False, cip=True, dov=0):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    k = pair(k)
    return {"kernel": k, "stride": pair(s) if s is not None else k, "padding": pair(p),
            "dilation": pair(d), "ceil_mode": ceil, "count_include_pad": cip,
            "divisor_override": dov}


MAX_CASES = [
    ((2, 3, 7, 9), pool_args(2)), ((2, 3, 7, 9), pool_args(3, 2, 1)),
    ((2, 3, 7, 9), pool_args(3, 2, 1, ceil=True)), ((1, 2, 8, 8), pool_args(2, 2, 1, ceil=True)),
    ((2, 2, 9, 7), pool_args((3, 2), (2, 1), (1, 1), (2, 3))),
    ((2, 2, 9, 9), pool_args(3, 3, 1, 2, ceil=True)), ((3, 5, 6), pool_args(2, 1, 1)),
    ((1, 1, 5, 5), pool_args(5)), ((2, 3, 1, 2), pool_args(3, 3, ceil=True)),
    ((1, 4, 11, 10), pool_args((4, 3), (3, 2), (2, 1), ceil=True)),
    ((2, 3, 5, 8), pool_args(3, 3, 1, ceil=True)),  # ceil_mode drops a last window
]
AVG_CASES = [
    ((2, 3, 7, 9), pool_args(2)), ((2, 3, 7, 9), pool_args(3, 1, 1)),
    ((2, 3, 7, 9), pool_args(3, 1, 1, cip=False)), ((2, 3, 7, 9), pool_args(3, 2, 1, ceil=True)),
    ((2, 3, 7, 9), pool_args(3, 2, 1, ceil=True, cip=False)),
    ((2, 3, 8, 8), pool_args(2, 2, 1, ceil=True, cip=False)),
    ((2, 3, 7, 9), pool_args(3, 2, 1, dov=7)), ((2, 2, 6, 6), pool_args(2, dov=3)),
    ((2, 2, 6, 6), pool_args(4, 2, 2, cip=False, dov=5)), ((3, 7, 5), pool_args((3, 2), (2, 1), 1)),
    ((2, 2, 10, 9), pool_args((5, 4), (3, 3), (2, 1), ceil=True)),
    ((2, 2, 6, 7), pool_args(6, 1, 3)), ((1, 1, 7, 7), pool_args(3, 2, 1)),
    ((2, 5, 1, 1), pool_args(1)), ((2, 3, 1, 2), pool_args(3, 3, ceil=True)),
    ((2, 3, 5, 5), pool_args(2, 2, 1, dov=-3)),
    ((2, 3, 5, 8), pool_args(3, 3, 1, ceil=True, cip=False)),  # ceil_mode drops a last window
]
ADAPTIVE_CASES = [
    ((2, 3, 7, 9), (3, 4)), ((2, 3, 8, 8), (4, 4)), ((2, 3, 8, 8), (3, 5)), ((3, 10, 7), (4, 3)),
    ((2, 2, 5, 6), (7, 9)), ((2, 3, 6, 6), (6, 6)), ((2, 3, 9, 11), (1, 1)),
    ((1, 1, 13, 5), (5, 2)), ((2, 3, 12, 12), (2, 3)),
]


def random_ints(name, shape, dtype):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    lo, hi = RANGE[dtype] if dtype != "qint32" else (-2**20, 2**20)
    return rng.integers(lo, hi, size=shape, endpoint=True)


def extreme_ints(kind, shape, dtype):
    lo, hi = RANGE[dtype]
    n = int(np.prod(shape))
    if kind == "max":
        flat = np.full(n, hi)
    elif kind == "min":
        flat = np.full(n, lo)
    else:  # alternating extremes, and near them
        flat = np.array([[lo, hi, lo + 1, hi - 1][i % 4] for i in range(n)])
    return flat.reshape(shape)


def exact_rint(numerator, denominator):
    """numerator / denominator rounded half to even, exactly."""
    q, r = divmod(numerator, denominator)
    return q + (1 if 2 * r > denominator or (2 * r == denominator and q % 2) else 0)


def plane_with_sum(count, total, lo, hi):
    """count integers in [lo, hi] summing to total, spread evenly."""
    base, extra = divmod(total, count)
    values = [base + (1 if i < extra else 0) for i in range(count)]
    assert all(lo <= v <= hi for v in values) and sum(values) == total
    return values


def tie_sums(dtype, count, rounds_apart, limit=4000):
    """Two window sums (of count elements) where rounds_apart(sum) holds."""
    lo, hi = RANGE[dtype]
    lo, hi = max(lo * count, -limit), min(hi * count, limit)
    found = [s for s in range(lo, hi + 1) if rounds_apart(s)][:2]
    assert len(found) == 2, (dtype, count)
    return found


def tie_cases(dtype):
    """Windows whose exact average ends in .5 where PyTorch's float32
    reciprocal rounds to the other side (avg_pool2d: a divisor of 14;
    adaptive: (1 / 7) / 10 against 1 / 70), so a float average, an exact
    one or a reciprocal built otherwise would give other integers."""
    lo, hi = RANGE[dtype]
    zp = ZERO_POINTS[dtype][2]

    def avg_apart(total):
        centred = total - 14 * zp
        return int(np.rint(F32(centred) * F32(1.0 / 14) + F32(zp))) != exact_rint(total, 14)

    sums = tie_sums(dtype, 14, avg_apart)
    ints = np.array([plane_with_sum(14, t, lo, hi) for t in sums]).reshape(1, 2, 2, 7)
    yield f"avg_pool2d-{dtype}-ties", "avg_pool2d", zp, ints, pool_args((2, 7))

    def adaptive_apart(total):
        torch_way = np.rint(f32(total) * ((F32(1) / F32(7)) / F32(10)))
        return torch_way != np.rint(f32(total) * (F32(1) / F32(70)))

    sums = tie_sums(dtype, 70, adaptive_apart)
    ints = np.array([plane_with_sum(70, t, lo, hi) for t in sums]).reshape(1, 2, 7, 10)
    yield f"adaptive_avg_pool2d-{dtype}-ties", "adaptive_avg_pool2d", zp, ints, {
        "output_size": (1, 1)}


def all_cases():
    for dtype in ("quint8", "qint8", "qint32"):
        zps = ZERO_POINTS[dtype]
        groups = [("max_pool2d", MAX_CASES), ("avg_pool2d", AVG_CASES),
                  ("adaptive_avg_pool2d", [(shape, {"output_size": size})
                                           for shape, size in ADAPTIVE_CASES])]
        for op, cases in groups:
            for i, (shape, args) in enumerate(cases):
                name = f"{op}-{dtype}-{i}"
                yield name, op, dtype, zps[i % len(zps)], random_ints(name, shape, dtype), args
            for kind in ("max", "min", "alternating"):
                for zp in (zps[0], zps[2]):
                    shape, args = cases[1]
                    shape = shape[:-3] + (2,) + shape[-2:]  # two channels
                    name = f"{op}-{dtype}-{kind}-{zp}"
                    yield name, op, dtype, zp, extreme_ints(kind, shape, dtype), args
        for name, op, zp, ints, args in tie_cases(dtype):
            yield name, op, dtype, zp, ints, args


def arg_lines(op, args):
    if op == "adaptive_avg_pool2d":
        return [f"arg output_size {args['output_size'][0]} {args['output_size'][1]}"]
    lines = [f"arg {key} {args[key][0]} {args[key][1]}" for key in ("kernel", "stride", "padding")]
    if op == "max_pool2d":
        lines.append(f"arg dilation {args['dilation'][0]} {args['dilation'][1]}")
    lines.append(f"arg ceil_mode {int(args['ceil_mode'])}")
    if op == "avg_pool2d":
        lines.append(f"arg count_include_pad {int(args['count_include_pad'])}")
        lines.append(f"arg divisor_override {args['divisor_override']}")
    return lines


def tensor_lines(key, ints, dtype, zp):
    dims = " ".join(str(d) for d in ints.shape)
    return [f"{key} {ints.ndim} {dims} {dtype} pt {SCALE.hex()} {zp}",
            "data " + " ".join(str(int(v)) for v in ints.reshape(-1))]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    lines = ["# PyTorch 1.13 quantized pooling; written by tests/data/make_pool_golden.py"]
    summary = defaultdict(lambda: defaultdict(int))
    for name, op, dtype, zp, ints, args in all_cases():
        x = torch._make_per_tensor_quantized_tensor(
            torch.from_numpy(ints.astype(INT_DTYPE[dtype])), SCALE, zp)
        torch.backends.quantized.engine = "onednn"
        y = run_torch(op, x, args, "nchw")
        assert y.q_scale() == SCALE and y.q_zero_point() == zp, name
        expected = integers(y)
        mine = formula(op, ints, zp, args, dtype)
        emulated = formula(op, ints, zp, args, dtype, torch_arithmetic="full")
        assert np.array_equal(emulated, expected), f"{name}: PyTorch's arithmetic not understood"
        converted = formula(op, ints, zp, args, dtype, torch_arithmetic="conv")
        lines += [f"case {name} {op}"] + tensor_lines("input", ints, dtype, zp)
        lines += arg_lines(op, args) + tensor_lines("output", expected, dtype, zp)
        key = f"{op} {dtype}"
        summary[key]["elements"] += expected.size
        for index in np.flatnonzero(mine.reshape(-1) != expected.reshape(-1)):
            reason = "conv" if converted.flat[index] == expected.flat[index] else "wrap"
            lines.append(f"diff {index} {int(mine.flat[index])} {reason}")
            summary[key][reason] += 1
        if ints.ndim == 4:
            clast = integers(run_torch(op, x, args, "cl"))
            n = int((clast != expected).sum())
            lines.append(f"channels_last {n}")
            summary[key]["channels_last"] += n
        torch.backends.quantized.engine = "qnnpack"
        try:
            q = run_torch(op, x, args, "plain")
            same = q.q_scale() == SCALE and q.q_zero_point() == zp and q.shape == y.shape
        except RuntimeError:
            same = False
        if same:
            n = int((integers(q) != expected).sum())
            lines.append(f"qnnpack {n}")
            summary[key]["qnnpack"] += n
        else:
            lines.append("qnnpack rejected")
            summary[key]["qnnpack rejected cases"] += 1
        lines.append("end")
    with open(sys.argv[1], "w") as out:
        out.write("\n".join(lines) + "\n")
    for key in sorted(summary):
        print(key, dict(summary[key]))


if __name__ == "__main__":
    main()

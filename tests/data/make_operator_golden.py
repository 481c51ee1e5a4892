#!/usr/bin/python3
"""Generates operator_golden.txt: PyTorch 1.13's results for the elementwise
quantized operators (requantize, relu, relu6, clamp, hardtanh, leaky_relu,
hardswish, sigmoid, tanh, add, add_relu, mul, mul_relu, add_scalar,
add_scalar_relu, mul_scalar, mul_scalar_relu, cat, cat_relu), for
tests/ops/test_operator_golden.cc.

Usage: /usr/bin/python3 make_operator_golden.py OUTPUT_PATH

Run it from any directory; it sets LRU_CACHE_CAPACITY=1 itself before torch
is imported (the onednn engine otherwise reuses a cached primitive that
ignores a new zero point). Deterministic: integers come from
numpy.random.default_rng seeded from the case's name, or fixed lists. It
prints a summary (per operator and dtype: elements, how many PyTorch's
onednn and qnnpack results differ from docs/numerics.md's formula and from
each other, and why) that docs/numerics.md quotes.

Every output written is also computed by the NumPy transcription below of
docs/numerics.md's formulas (exact integer arithmetic, float32 where the
formula says float32, qtensor's sigmoid and tanh one float32 operation at a
time). Where PyTorch's default engine (onednn) differs from that formula,
the element is listed with the formula's value and a reason, and the
reason is confirmed by recomputing PyTorch's own arithmetic for that
element; an element no known reason explains stops the script
(AssertionError). So the file holds PyTorch's outputs as they are, and
says where qtensor, which follows its one formula, must differ:

  fma     PyTorch's vectorized body dequantizes with a fused multiply-add,
          fma(float(q), s, s * -z) rounded once, instead of (q - z) * s:
          one step on qint8 / quint8 (more on qint32, whose float(q) and
          results keep 24 bits).
  fmahuge the same with a huge input scale (1e37 here), where the fused
          q * s and the rounded s * -z no longer cancel: any amount.
  inv     hardswish: PyTorch's scalar tail quantizes with quantize_val's
          1 / (float)scale where its vector body (and the formula)
          multiply by (float)(1 / scale): one step.
  ulp     sigmoid, tanh: PyTorch's vectorized exp / tanh (not qtensor's
          formula) give a float result up to two ulps away.
  f32     qint32 past 2^24: PyTorch adds the zero point to the rounded
          value in float32, dequantizes as float(q) - float(z), or (cat)
          requantizes through float32 a part it could copy.
  wrap    qint32: PyTorch computes the centred integer q - z (dequantize)
          or mul's product of two in int32 arithmetic, which wraps; the
          formula's integers are exact.
  conv    the value to quantize is NaN or past the int32 / int64 range of
          PyTorch's float-to-integer conversion, which gives the minimum
          integer (in the vector body the int32 minimum plus the zero
          point, wrapping around), clamped to the dtype's range (qmin,
          qmax, or qint32's -2^31 + zp; the zero point after a fused
          relu); the formula saturates (+inf and huge positives to qmax,
          -inf and huge negatives to qmin, NaN to the zero point).
  bound   clamp, hardtanh: a bound that is infinite or past 2^63 steps
          converts (as in conv) to the minimum integer, so PyTorch clamps
          every element to qmin; the formula saturates the bound.

Where two apply, the reason joins them with '+' (f32+fma, f32+wrap, ...).

Output format: ASCII text, one record per case, one field per line, a
keyword then space-separated tokens; '#' lines are comments. QUANT is
"DTYPE pt SCALE ZP" or "DTYPE pc AXIS C SCALE*C ZP*C"; SCALE and float
arguments are Python's float.hex() of a double ("inf", "-inf" too).

  case NAME OP              starts a record; OP as qtensor::ops names it
  input RANK DIMS QUANT     an input tensor (contiguous), its integers on
  data INTS                 the next line, row-major
  arg KEY TOKENS            operator arguments: scale SCALE, zero_point ZP,
                            slope F, min F, max F, dim D, other F
                            (add_scalar's and mul_scalar's number), target QUANT
                            (requantize's / cat's given quantizer)
  output RANK DIMS QUANT    PyTorch's (onednn) result and its integers
  data INTS
  diff INDEX VALUE REASON   a flat index where onednn differs from the
                            formula, the formula's value, the reason above
  qnnpack rejected          the qnnpack engine refuses the case (or
                            would give other output parameters)
  qnnpack N                 qnnpack accepts it with the same output
                            parameters; N elements differ from onednn,
  qdiff INDEX VALUE         each listed with qnnpack's integer
  end
"""

import os
import sys

os.environ["LRU_CACHE_CAPACITY"] = "1"

import zlib  # noqa: E402
from collections import defaultdict  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

np.seterr(all="ignore")  # inf and NaN are part of the cases

F32 = np.float32
F64 = np.float64
RANGE = {"qint8": (-128, 127), "quint8": (0, 255), "qint32": (-2**31, 2**31 - 1)}
TORCH_DTYPE = {"qint8": torch.qint8, "quint8": torch.quint8, "qint32": torch.qint32}
INT_DTYPE = {"qint8": np.int8, "quint8": np.uint8, "qint32": np.int32}


def f32hex(text):
    return F32(float.fromhex(text))


# qtensor's float32 sigmoid and tanh (docs/numerics.md, "Sigmoid and tanh";
# src/kernels/exp_formula_constants.h), one float32 operation per step.
LOG2E, ROUND_MAGIC = f32hex("0x1.715476p+0"), F32(1.5 * 2**23)
LN2_HI, LN2_LO = f32hex("0x1.62ep-1"), f32hex("0x1.0bfbe8p-15")
EXP_POLY = [f32hex(c) for c in ("0x1.6a106cp-10", "0x1.1245d4p-7", "0x1.55593ep-5",
                                "0x1.555482p-3", "0x1.fffffcp-2")]  # r^4 .. r^0 of p
SIGMOID_MIN, SIGMOID_MAX = F32(-87), F32(20)
TANH_POLY_BELOW, TANH_MAX = F32(0.5625), F32(9.5)
TANH_POLY = [f32hex(c) for c in ("-0x1.950010p-8", "0x1.582faep-6", "-0x1.b90946p-5",
                                 "0x1.110c72p-3", "-0x1.555548p-2")]  # z^4 .. z^0 of p
ONE = F32(1)


def one_plus_exp(t):
    """1 + e^t for float32 t in [-20, 87]."""
    k = t * LOG2E + ROUND_MAGIC
    n = k - ROUND_MAGIC
    r = (t - n * LN2_HI) - n * LN2_LO
    p = EXP_POLY[0]
    for c in EXP_POLY[1:]:
        p = p * r + c
    e = r + (r * r) * p
    s = ((k.view(np.uint32) << np.uint32(23)) + np.uint32(127 << 23)).view(F32)  # 2^n
    se = s * e
    return np.where(n >= F32(24), s + (ONE + se), (ONE + s) + se)


def sigmoid_f32(x):
    t = np.maximum(np.minimum(-x, -SIGMOID_MIN), -SIGMOID_MAX)
    y = np.where(x < SIGMOID_MIN, F32(0), ONE / one_plus_exp(t))
    return np.where(np.isnan(x), x, y)


def tanh_f32(x):
    a = np.abs(x)
    z = a * a
    p = TANH_POLY[0]
    for c in TANH_POLY[1:]:
        p = p * z + c
    small = a + a * (z * p)
    m = np.minimum(a, TANH_MAX)
    large = ONE - F32(2) / one_plus_exp(m + m)
    y = np.copysign(np.where(a < TANH_POLY_BELOW, small, large), x)
    return np.where(np.isnan(x), x, y)


def hexf(v):
    v = float(v)
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return v.hex()


class Quant:
    """Per-tensor (axis None) or per-channel parameters."""

    def __init__(self, dtype, scales, zps, axis=None):
        self.dtype, self.axis = dtype, axis
        self.scales = [float(s) for s in np.atleast_1d(scales)]
        self.zps = [int(z) for z in np.atleast_1d(zps)]

    def tokens(self):
        if self.axis is None:
            return [self.dtype, "pt", hexf(self.scales[0]), str(self.zps[0])]
        c = len(self.scales)
        return ([self.dtype, "pc", str(self.axis), str(c)] + [hexf(s) for s in self.scales] +
                [str(z) for z in self.zps])

    def per_element(self, shape):
        """Each element's scale and zero point, broadcast to shape."""
        if self.axis is None:
            return (np.full(shape, self.scales[0]), np.full(shape, self.zps[0], dtype=np.int64))
        view = [1] * len(shape)
        view[self.axis] = shape[self.axis]
        s = np.broadcast_to(np.array(self.scales).reshape(view), shape)
        z = np.broadcast_to(np.array(self.zps, dtype=np.int64).reshape(view), shape)
        return s, z


class QT:
    """Integers (int64 array) and their parameters."""

    def __init__(self, ints, quant):
        self.ints, self.quant = np.asarray(ints, dtype=np.int64), quant

    def torch(self):
        t = torch.from_numpy(self.ints.astype(INT_DTYPE[self.quant.dtype]))
        if self.quant.axis is None:
            return torch._make_per_tensor_quantized_tensor(t, self.quant.scales[0],
                                                           self.quant.zps[0])
        return torch._make_per_channel_quantized_tensor(
            t, torch.tensor(self.quant.scales, dtype=torch.double),
            torch.tensor(self.quant.zps, dtype=torch.long), self.quant.axis)


# --- docs/numerics.md's formulas ---------------------------------------------

def int_to_f32(values):
    """Exact integers (any size) rounded once to float32, half to even."""
    out = []
    for n in values.reshape(-1).tolist():
        n = int(n)
        m = abs(n)
        if m < 2**24:
            out.append(F32(n))
            continue
        shift = m.bit_length() - 24
        kept, rest = m >> shift, m & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        if rest > half or (rest == half and kept & 1):
            kept += 1
        out.append(F32(float(kept << shift) * (1 if n >= 0 else -1)))
    return np.array(out, dtype=F32).reshape(values.shape)


def dequantize(q):
    s, z = q.quant.per_element(q.ints.shape)
    if q.quant.axis is None:
        return int_to_f32(q.ints - z) * F32(s.flat[0] if s.size else 1.0)
    return (F64(1) * (q.ints - z) * s).astype(F32)


def saturate(steps, zps, dtype):
    """zp + steps (float32 or float64 rounded values) saturated to the dtype;
    NaN gives the zero point."""
    lo, hi = RANGE[dtype]
    steps = np.asarray(steps, dtype=F64)
    nan = np.isnan(steps)
    steps = np.where(nan, 0.0, steps)
    out = np.clip(steps, lo - zps, hi - zps).astype(np.int64) + zps
    return np.where(nan, zps, out)


def quantize(x, quant, inverse=None):
    """clamp(zp + rint(x * (1 / (float)scale))) per element; inverse
    overrides the float32 inverse scale (hardswish's (float)(1 / scale))."""
    x = np.asarray(x, dtype=F32)
    s, z = quant.per_element(x.shape)
    if inverse is None:
        inverse = (F32(1) / s.astype(F32)).astype(F32)
    with np.errstate(over="ignore", invalid="ignore"):
        p = (x * np.asarray(inverse, dtype=F32)).astype(F32)
    return saturate(np.rint(p), z, quant.dtype)


def quantize_scalar(value, quant, quant_fn=None):
    quant_fn = quant_fn or quantize
    return int(quant_fn(np.array([value], dtype=F32), Quant(quant.dtype, quant.scales[0],
                                                              quant.zps[0]))[0])


def relu_float(x):
    return np.where(x > 0, x, F32(0)).astype(F32)


def float_map(op, x, args):
    with np.errstate(over="ignore", invalid="ignore"):
        if op == "leaky_relu":
            return np.where(x >= 0, x, (x * F32(args["slope"])).astype(F32)).astype(F32)
        if op == "hardswish":
            t = np.minimum(np.maximum((x + F32(3)).astype(F32), F32(0)), F32(6))
            t = np.where(np.isnan(x), x, t)
            return ((x * t).astype(F32) / F32(6)).astype(F32)
        if op == "sigmoid":
            return sigmoid_f32(np.asarray(x, dtype=F32))
        if op == "tanh":
            return tanh_f32(np.asarray(x, dtype=F32))
    raise ValueError(op)


FIXED = {  # sigmoid / tanh output parameters per dtype
    ("sigmoid", "quint8"): (2.0**-8, 0), ("sigmoid", "qint8"): (2.0**-8, -128),
    ("sigmoid", "qint32"): (2.0**-32, 0), ("tanh", "quint8"): (2.0**-7, 128),
    ("tanh", "qint8"): (2.0**-7, 0), ("tanh", "qint32"): (2.0**-31, 0)}


def reference(op, inputs, args, deq=dequantize, quant_fn=None, nudge=None):
    """The formula's result (ints, Quant). deq and quant_fn replace the
    dequantize / final quantize steps to model PyTorch's variants."""
    quant_fn = quant_fn or quantize
    a = inputs[0]
    dtype = a.quant.dtype
    if op == "requantize":
        target = args["target"]
        return quant_fn(deq(a), target), target
    if op in ("relu", "relu6", "clamp", "hardtanh"):
        z = a.quant.zps[0]
        if op == "relu":
            lo, hi = z, RANGE[dtype][1]
        elif op == "relu6":
            lo, hi = z, quantize_scalar(6.0, a.quant, quant_fn)
        else:
            lo = quantize_scalar(args["min"], a.quant, quant_fn)
            hi = quantize_scalar(args["max"], a.quant, quant_fn)
        return np.minimum(np.maximum(a.ints, lo), hi), a.quant
    if op in ("leaky_relu", "hardswish", "sigmoid", "tanh"):
        y = float_map(op, deq(a), args)
        for _ in range(abs(nudge or 0)):  # nudge float32 ulps away
            y = np.nextafter(y, F32(np.inf if nudge > 0 else -np.inf)).astype(F32)
        if op == "leaky_relu":
            return quant_fn(y, a.quant), a.quant
        if op == "hardswish":
            out = Quant(dtype, args["scale"], args["zero_point"])
            return quant_fn(y, out, F32(1.0 / args["scale"])), out
        out = Quant(dtype, *FIXED[(op, dtype)])
        return quant_fn(y, out), out
    if op in ("add_scalar", "add_scalar_relu", "mul_scalar", "mul_scalar_relu"):
        return scalar_reference(op, a, args["other"])
    out = Quant(dtype, args.get("scale", 1.0), args.get("zero_point", 0))
    relu = op.endswith("_relu")
    if op.startswith("add"):
        b = inputs[1]
        with np.errstate(over="ignore", invalid="ignore"):
            c = (deq(a) + deq(b)).astype(F32)
        if relu:
            c = relu_float(c)
        return quant_fn(c, out), out
    if op.startswith("mul"):
        b = inputs[1]
        sa, sb = F32(a.quant.scales[0]), F32(b.quant.scales[0])
        m = F32(F32(sa * sb) * F32(F32(1) / F32(args["scale"])))
        ca = a.ints - a.quant.zps[0]
        cb = b.ints - b.quant.zps[0]
        ca, cb = np.broadcast_arrays(ca, cb)
        product = np.array([int(x) * int(y) for x, y in zip(ca.reshape(-1).tolist(),
                                                            cb.reshape(-1).tolist())],
                           dtype=object).reshape(ca.shape)
        if args.get("wrap"):
            product = np.vectorize(lambda v: ((int(v) + 2**31) % 2**32) - 2**31,
                                   otypes=[object])(product)
        with np.errstate(over="ignore", invalid="ignore"):
            p = (int_to_f32(product) * m).astype(F32)
        q = saturate(np.rint(p), np.full(p.shape, out.zps[0]), dtype)
        if relu:
            q = np.maximum(q, out.zps[0])
        return q, out
    if op.startswith("cat"):
        target = args.get("target") or a.quant
        parts = []
        for t in inputs:
            same = not args.get("requantize_all") and same_params(t.quant, target)
            parts.append(t.ints if same else quant_fn(deq(t), target))
        q = np.concatenate(parts, axis=args["dim"])
        if relu:
            q = np.maximum(q, target.zps[0])
        return q, target
    raise ValueError(op)


def scalar_reference(op, a, other):
    """add_scalar / mul_scalar as docs/numerics.md writes them: the output's
    parameters derived from the input's and the number (doubles), and the
    integers kept, mirrored or requantized."""
    dtype = a.quant.dtype
    lo, hi = RANGE[dtype]
    s, z = a.quant.scales[0], a.quant.zps[0]
    relu = op.endswith("_relu")
    if op.startswith("mul"):
        if other == 0.0:
            return np.zeros_like(a.ints), Quant(dtype, 1.0, 0)
        if other > 0.0:
            q, out = a.ints.copy(), Quant(dtype, other * s, z)
        else:
            q, out = lo + hi - a.ints, Quant(dtype, -other * s, hi - (z - lo))
        return (np.maximum(q, out.zps[0]) if relu else q), out
    c_q = int(np.rint(F64(other) / F64(s)))
    shifted = z - c_q
    if lo <= shifted <= hi:
        out = Quant(dtype, s, shifted)
        q = a.ints.copy()
    else:
        if shifted < lo:
            out = Quant(dtype, (F64(hi) - F64(shifted)) / (F64(hi) - F64(lo)) * s, lo)
        else:
            out = Quant(dtype, (F64(shifted) - F64(lo)) / (F64(hi) - F64(lo)) * s, hi)
        m = F32(F32(s) * F32(F32(1) / F32(out.scales[0])))
        p = (int_to_f32(a.ints - z + c_q) * m).astype(F32)
        q = saturate(np.rint(p), np.full(p.shape, out.zps[0]), dtype)
    return (np.maximum(q, out.zps[0]) if relu else q), out


# --- PyTorch's variants, to explain where it differs ---------------------------

def dequantize_fma(q):
    """fma(float(q), s, s * -z) rounded once (long double is exact enough
    here); float(q) itself rounds past 2^24 (qint32)."""
    s = F32(q.quant.scales[0])
    pre = np.longdouble(F32(s * F32(-q.quant.zps[0])))
    return (q.ints.astype(F32).astype(np.longdouble) * np.longdouble(s) + pre).astype(F32)


def dequantize_f32(q):
    """float(q) - float(z), then times the float32 scale (per channel: the
    double scale, rounded once)."""
    s, z = q.quant.per_element(q.ints.shape)
    centred = (q.ints.astype(F32) - z.astype(F32)).astype(F32)
    if q.quant.axis is not None:
        return (centred.astype(F64) * s).astype(F32)
    return centred * F32(q.quant.scales[0])


def dequantize_wrap(q):
    """(q - z) in int32 arithmetic, wrapping, then times the float32 scale."""
    if q.quant.axis is not None or q.quant.dtype != "qint32":
        return dequantize(q)
    centred = (q.ints - q.quant.zps[0] + 2**31) % 2**32 - 2**31
    return centred.astype(F32) * F32(q.quant.scales[0])


def quantize_torch(x, quant, inverse=None):
    """PyTorch's scalar quantize: zp + rint(x * inv) in float32, then an
    int64 conversion that gives INT64_MIN for NaN and out-of-range values."""
    x = np.asarray(x, dtype=F32)
    s, z = quant.per_element(x.shape)
    if inverse is None:
        inverse = (F32(1) / s.astype(F32)).astype(F32)
    lo, hi = RANGE[quant.dtype]
    with np.errstate(over="ignore", invalid="ignore"):
        p = np.rint((x * np.asarray(inverse, dtype=F32)).astype(F32))
        v = (z.astype(F32) + p).astype(F32)
    bad = ~np.isfinite(v) | (np.abs(v.astype(F64)) >= 2.0**63)
    v = np.where(bad, 0, v)
    return np.where(bad, lo, np.clip(v.astype(F64), lo, hi).astype(np.int64))


ULPS = 2


def explain(op, inputs, args, ref, torch_ints, out):
    """A reason for every element where torch_ints differs from ref."""
    reasons = np.full(ref.shape, "", dtype=object)
    differ = ref != torch_ints
    if not differ.any():
        return reasons
    lo = RANGE[out.dtype][0]
    # PyTorch's variants of each step, fewest changes first.
    huge = any(s >= 1e30 for t in inputs for s in t.quant.scales)
    deqs = [("", dequantize), ("fmahuge" if huge else "fma", dequantize_fma),
            ("f32", dequantize_f32)]
    if "qint32" in (out.dtype, inputs[0].quant.dtype):
        deqs.append(("wrap", dequantize_wrap))
    quants = [("", quantize), ("f32", quantize_torch)]
    if op == "hardswish":  # the scalar tail's quantize_val: 1 / (float)scale
        quants += [("inv", lambda y, q, inverse=None: quantize(y, q)),
                   ("inv+f32", lambda y, q, inverse=None: quantize_torch(y, q))]
    candidates = []
    for dname, deq in deqs:
        for qname, quant_fn in quants:
            parts = sorted(set(p for p in (dname + "+" + qname).split("+") if p))
            if parts:
                candidates.append(("+".join(parts), lambda deq=deq, quant_fn=quant_fn: reference(
                    op, inputs, args, deq=deq, quant_fn=quant_fn)[0]))
    if op.startswith("cat"):  # parts with the result's parameters requantized too
        for dname, deq in deqs:
            for qname, quant_fn in quants:
                parts = sorted(set(p for p in (dname + "+" + qname).split("+") if p))
                if parts:
                    candidates.append(("+".join(parts), lambda deq=deq, quant_fn=quant_fn:
                                       reference(op, inputs, dict(args, requantize_all=True),
                                                 deq=deq, quant_fn=quant_fn)[0]))
    if op in ("sigmoid", "tanh"):  # another exp / tanh, up to ULPS away
        for dname, deq in deqs:
            for qname, quant_fn in quants:
                parts = sorted(set(p for p in (dname + "+" + qname + "+ulp").split("+") if p))
                candidates.append(("+".join(parts), lambda deq=deq, quant_fn=quant_fn: [
                    reference(op, inputs, args, deq=deq, quant_fn=quant_fn, nudge=n)[0]
                    for n in (-ULPS, ULPS)]))
    candidates.sort(key=lambda c: c[0].count("+"))
    if op.startswith("mul") and out.dtype == "qint32":
        candidates.append(("wrap", lambda: reference(op, inputs, dict(args, wrap=True))[0]))
    # The float-to-integer conversion of NaN or of what is past int32 /
    # int64 (PyTorch's undefined result: the minimum integer; in the vector
    # body the int32 minimum plus the zero point, wrapping around), clamped;
    # where the formula saturates (or gives the zero point for NaN).
    hi = RANGE[out.dtype][1]
    int_min = min(max((-2**31 + out.zps[0] + 2**31) % 2**32 - 2**31, lo), hi)
    conv = (differ & ((torch_ints == lo) | (torch_ints == hi) | (torch_ints == int_min) |
                      ((torch_ints == out.zps[0]) & op.endswith("relu"))) &
            ((ref == hi) | (ref == lo) | (ref == out.zps[0])))
    if op not in ("clamp", "hardtanh", "relu6"):  # integer maps: their bounds convert
        reasons[conv] = "conv"
    for reason, make in candidates:
        alt = make()
        if isinstance(alt, list):  # an interval
            hit = differ & (reasons == "") & (alt[0] <= torch_ints) & (torch_ints <= alt[1])
            alt = alt[0]
        else:
            hit = differ & (reasons == "") & (alt == torch_ints)
        if "f32" in reason and op in ("clamp", "hardtanh", "relu6"):
            # a bound past int64: quantize_torch's qmin
            reasons[hit & (torch_ints == lo)] = "bound"
            hit &= torch_ints != lo
        reasons[hit] = reason
    return reasons


# --- cases -------------------------------------------------------------------

OUT = []
SUMMARY = defaultdict(lambda: defaultdict(int))
QNNPACK_REJECTS = defaultdict(set)


def emit(*tokens):
    OUT.append(" ".join(str(t) for t in tokens))


def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def ints_for(name, dtype, n, zp=0, spread=None):
    """Integers over the whole range (8-bit) or mixed magnitudes (qint32),
    with both ends present when n allows."""
    rng = rng_for(name)
    lo, hi = RANGE[dtype]
    if dtype != "qint32":
        v = rng.integers(lo, hi + 1, n)
    else:
        spread = spread or 3000
        kinds = rng.integers(0, 4, n)
        v = np.where(kinds == 0, rng.integers(-spread, spread, n) + zp,
                     np.where(kinds == 1, rng.integers(-2**20, 2**20, n) + zp,
                              rng.integers(lo, hi + 1, n)))
        v = np.where(kinds == 3, rng.integers(-40, 40, n) + zp, v)
        v = np.clip(v, lo, hi)
    if n >= 4:
        v[1], v[2] = lo, hi
    return v.astype(np.int64)


def torch_run(op, inputs, args):
    ts = [t.torch() for t in inputs]
    F = torch.nn.functional
    if op == "requantize":
        target = args["target"]
        x = ts[0].dequantize()
        if target.axis is None:
            return torch.quantize_per_tensor(x, target.scales[0], target.zps[0],
                                             TORCH_DTYPE[target.dtype])
        return torch.quantize_per_channel(
            x, torch.tensor(target.scales, dtype=torch.double),
            torch.tensor(target.zps, dtype=torch.long), target.axis, TORCH_DTYPE[target.dtype])
    if op == "relu":
        return torch.relu(ts[0])
    if op == "relu6":
        return F.relu6(ts[0])
    if op == "clamp":
        return torch.clamp(ts[0], args["min"], args["max"])
    if op == "hardtanh":
        return F.hardtanh(ts[0], args["min"], args["max"])
    if op == "leaky_relu":
        return F.leaky_relu(ts[0], args["slope"])
    if op == "hardswish":
        return torch.ops.quantized.hardswish(ts[0], args["scale"], args["zero_point"])
    if op in ("sigmoid", "tanh"):
        return getattr(torch, op)(ts[0])
    if op in ("add", "add_relu", "mul", "mul_relu"):
        return getattr(torch.ops.quantized, op)(ts[0], ts[1], args["scale"], args["zero_point"])
    if op in ("add_scalar", "add_scalar_relu", "mul_scalar", "mul_scalar_relu"):
        return getattr(torch.ops.quantized, op)(ts[0], args["other"])
    if op in ("cat", "cat_relu"):
        target = args.get("target")
        if target is None:
            assert op == "cat"
            return torch.cat(ts, args["dim"])
        return getattr(torch.ops.quantized, op)(ts, args["dim"], target.scales[0],
                                                target.zps[0])
    raise ValueError(op)


def as_qt(t):
    dtype = {torch.qint8: "qint8", torch.quint8: "quint8", torch.qint32: "qint32"}[t.dtype]
    if t.qscheme() == torch.per_tensor_affine:
        quant = Quant(dtype, t.q_scale(), t.q_zero_point())
    else:
        quant = Quant(dtype, t.q_per_channel_scales().tolist(),
                      t.q_per_channel_zero_points().tolist(), t.q_per_channel_axis())
    return QT(t.int_repr().numpy().astype(np.int64), quant)


def same_params(a, b):
    return (a.dtype == b.dtype and a.scales == b.scales and a.zps == b.zps and
            a.axis == b.axis)


def emit_tensor(keyword, t):
    emit(keyword, t.ints.ndim, *t.ints.shape, *t.quant.tokens())
    emit("data", *t.ints.reshape(-1).tolist())


def add_case(name, op, inputs, args):
    dtype = inputs[0].quant.dtype
    key = (op, f"{dtype}->{args['target'].dtype}" if op == "requantize" else dtype)
    torch.backends.quantized.engine = "onednn"
    result = as_qt(torch_run(op, inputs, args))
    ref, ref_quant = reference(op, inputs, args)
    assert same_params(result.quant, ref_quant), (name, result.quant.tokens(), ref_quant.tokens())
    assert ref.shape == result.ints.shape, name
    reasons = explain(op, inputs, args, ref, result.ints, result.quant)
    differ = ref != result.ints
    unexplained = differ & (reasons == "")
    assert not unexplained.any(), (name, np.argwhere(unexplained)[:5],
                                   ref[unexplained][:5], result.ints[unexplained][:5])

    torch.backends.quantized.engine = "qnnpack"
    try:
        qn = as_qt(torch_run(op, inputs, args))
        if not same_params(qn.quant, result.quant):
            qn = None  # reported as rejected: other output parameters
            QNNPACK_REJECTS[key].add("parameters")
    except RuntimeError as e:
        qn = None
        QNNPACK_REJECTS[key].add(str(e).splitlines()[0][:60])
    torch.backends.quantized.engine = "onednn"

    emit("case", name, op)
    for t in inputs:
        emit_tensor("input", t)
    for k, v in args.items():
        if k == "target":
            emit("arg", k, *v.tokens())
        elif k in ("slope", "min", "max", "scale", "other"):
            emit("arg", k, hexf(v))
        else:
            emit("arg", k, v)
    emit_tensor("output", result)
    flat_ref, flat_reason = ref.reshape(-1), reasons.reshape(-1)
    for i in np.flatnonzero(differ.reshape(-1)):
        emit("diff", i, flat_ref[i], flat_reason[i])
        SUMMARY[key]["onednn_" + flat_reason[i]] += 1
        step = abs(int(flat_ref[i]) - int(result.ints.reshape(-1)[i]))
        SUMMARY[key]["max_" + flat_reason[i]] = max(SUMMARY[key]["max_" + flat_reason[i]], step)
    SUMMARY[key]["elements"] += ref.size
    SUMMARY[key]["onednn"] += int(differ.sum())
    if qn is None:
        emit("qnnpack rejected")
        SUMMARY[key]["qnnpack_rejected"] += ref.size
    else:
        qdiff = np.flatnonzero((qn.ints != result.ints).reshape(-1))
        emit("qnnpack", len(qdiff))
        flat_qn = qn.ints.reshape(-1)
        for i in qdiff:
            emit("qdiff", i, flat_qn[i])
        SUMMARY[key]["qnnpack_vs_onednn"] += len(qdiff)
        SUMMARY[key]["qnnpack_vs_formula"] += int((qn.ints != ref).sum())
        SUMMARY[key]["qnnpack_elements"] += ref.size
        if len(qdiff):
            SUMMARY[key]["qnnpack_max_step"] = max(
                SUMMARY[key]["qnnpack_max_step"],
                int(np.abs(qn.ints - result.ints).max()))
    emit("end")


LENGTHS = [1, 7, 31, 33, 67]
LONG = 1031  # the first parameter set of each operator has this length too
DTYPES = ["qint8", "quint8", "qint32"]
ZP = {"qint8": -3, "quint8": 128, "qint32": 7}


def pt(dtype, scale, zp):
    return Quant(dtype, scale, zp)


def tensor(name, dtype, shape, scale, zp, spread=None):
    n = int(np.prod(shape))
    return QT(ints_for(name, dtype, n, zp, spread).reshape(shape), pt(dtype, scale, zp))


def unary_cases(op, dtype, params):
    """params: list of (input scale, input zp, args) run over LENGTHS."""
    for k, (scale, zp, args) in enumerate(params):
        for n in LENGTHS + ([LONG] if k == 0 else []):
            name = f"{op}-{dtype}-{k}-{n}"
            add_case(name, op, [tensor(name, dtype, (n,), scale, zp)], dict(args))


def main():
    out_path = sys.argv[1]
    for dtype in DTYPES:
        z = ZP[dtype]
        # requantize: ties (out scale twice the input's), random scales,
        # saturation, per-channel both ways, every dtype pair.
        for to in DTYPES:
            for k, (s_in, z_in, s_out, z_out) in enumerate([
                    (0.25, z, 0.5, ZP[to]), (0.043, z, 0.0213, ZP[to] + 1),
                    (0.1, z, 1e-3, ZP[to]), (3.0, z, 7.5, 0), (1e37, z, 1.0, ZP[to]),
                    (0.01, z, 1e-30, ZP[to])]):
                for n in (7, 33) + ((67, LONG) if k == 0 else ()):
                    name = f"requantize-{dtype}-{to}-{k}-{n}"
                    add_case(name, "requantize", [tensor(name, dtype, (n,), s_in, z_in)],
                             {"target": pt(to, s_out, z_out)})
            name = f"requantize-pc-{dtype}-{to}"
            src = QT(ints_for(name, dtype, 3 * 37).reshape(3, 37),
                     Quant(dtype, [0.02, 0.25, 0.1], [z, z + 1, z - 1], 0))
            add_case(name, "requantize", [src], {"target": pt(to, 0.5, ZP[to])})
            add_case(name + "-out", "requantize", [src],
                     {"target": Quant(to, [0.04, 0.125, 0.3] * 1 + [0.01] * 34,
                                      [ZP[to]] * 37, 1)})
        # integer clamps
        unary_cases("relu", dtype, [(0.05, z, {}), (1.0, RANGE[dtype][0], {}),
                                    (0.3, RANGE[dtype][1], {})])
        unary_cases("relu6", dtype, [(0.05, z, {}), (0.25, z, {}), (2.4, z, {}), (4.0, z, {}),
                                     (1e-9, z, {}), (100.0, z, {})])
        bounds = [(-1.0, 2.5), (0.0, 6.0), (0.125, 0.375), (2.0, -2.0),
                  (-float("inf"), float("inf")), (-1e30, 1e30), (-1e8, 1e8), (1e4, 2e4)]
        for op in ("clamp", "hardtanh"):  # one kernel: hardtanh with fewer bounds
            chosen = bounds if op == "clamp" else [bounds[0], bounds[3], bounds[4]]
            unary_cases(op, dtype, [(0.25, z, {"min": lo, "max": hi}) for lo, hi in chosen] +
                        [(0.043, z, {"min": -1.0, "max": 2.5})])
        # float maps
        slopes = [0.01, 0.5, 0.25, 1.5, -0.3, 0.0, 1e30]
        unary_cases("leaky_relu", dtype,
                    [(0.25, z, {"slope": s}) for s in slopes] +
                    [(0.043, z, {"slope": 0.2}), (0.0213, z + 5, {"slope": 0.1}),
                     (1e37, z, {"slope": 0.0}), (1e37, z, {"slope": 0.5})])
        unary_cases("hardswish", dtype,
                    [(0.25, z, {"scale": 1 / 12, "zero_point": z}),
                     (0.05, z, {"scale": 0.03, "zero_point": z + 1}),
                     (0.0213, z, {"scale": 0.1, "zero_point": z}),
                     (0.3, z, {"scale": 0.011, "zero_point": z - 1}),
                     (0.5, z, {"scale": 1e-4, "zero_point": z}),
                     (1e37, z, {"scale": 1.0, "zero_point": z})])
        for op in ("sigmoid", "tanh"):
            unary_cases(op, dtype, [(0.05, z, {}), (0.0213, z, {}), (0.3, z, {}),
                                    (1e-3, z, {}), (1e37, z, {})])
        # PyTorch's vector body (fused dequantize) on 8-bit: long tensors with
        # scales and zero points that are not powers of two
        if dtype != "qint32":
            for k, (scale, zp, slope) in enumerate([(0.043, z + 37, 0.2), (0.0213, z + 11, 0.01),
                                                    (0.031, z - 13, 1.5)]):
                name = f"leaky_relu-{dtype}-vector-{k}"
                add_case(name, "leaky_relu", [tensor(name, dtype, (LONG,), scale, zp)],
                         {"slope": slope})
            for k, (scale, zp, out, zo) in enumerate([(0.043, z + 5, 0.03, z + 1),
                                                      (0.0173, z - 9, 0.011, z + 3)]):
                name = f"hardswish-{dtype}-vector-{k}"
                add_case(name, "hardswish", [tensor(name, dtype, (LONG,), scale, zp)],
                         {"scale": out, "zero_point": zo})
            for op in ("sigmoid", "tanh"):
                name = f"{op}-{dtype}-vector"
                add_case(name, op, [tensor(name, dtype, (LONG,), 0.043, z + 9)], {})
            for op in ("add", "add_relu"):
                name = f"{op}-{dtype}-vector"
                a = tensor(name + "a", dtype, (LONG,), 0.031, z + 13)
                b = tensor(name + "b", dtype, (LONG,), 0.047, z + 7)
                add_case(name, op, [a, b], {"scale": 0.05, "zero_point": z + 3})
        # binary operators, broadcasting
        shapes = [((1,), (1,)), ((7,), (7,)), ((31,), (31,)), ((33,), (33,)),
                  ((67,), (67,)), ((LONG,), (LONG,)), ((4, 5, 33), (33,)),
                  ((4, 1, 7), (5, 1)), ((1,), (3, 31)), ((2, 1, 3), (1, 40, 1))]
        zb = {"qint8": 5, "quint8": 100, "qint32": -11}[dtype]
        for op in ("add", "add_relu", "mul", "mul_relu"):
            params = [(0.25, 0.5, 1.0, z), (0.031, 0.047, 0.05, z + 2), (0.031, 0.047, 0.0123, z),
                      (0.5, 0.5, 2.0, z), (0.1, 0.2, 1e-3, z)]
            if op.startswith("add"):
                params.append((1e37, 1e37, 1.0, z))
            else:
                params.append((1.0, 1.0, 1.0, z))
            for k, (sa, sb, so, zo) in enumerate(params):
                if dtype == "qint32" and k == 3:
                    continue  # keeps the file under 2 MB
                for sa_shape, sb_shape in shapes:
                    if k > 0 and sa_shape == (LONG,):
                        continue
                    if k > 1 and len(sa_shape) + len(sb_shape) > 3 and sb_shape != (5, 1):
                        continue  # the broadcasts of 200-700 elements: two sets
                    name = f"{op}-{dtype}-{k}-{'x'.join(map(str, sa_shape))}-" \
                           f"{'x'.join(map(str, sb_shape))}"
                    a = tensor(name + "a", dtype, sa_shape, sa, z)
                    b = tensor(name + "b", dtype, sb_shape, sb, zb)
                    add_case(name, op, [a, b], {"scale": so, "zero_point": zo})
            if dtype == "qint32":  # centred products past int32 and int64
                lo, hi = RANGE[dtype]
                for k, (za, zbb) in enumerate([(0, 0), (lo, lo), (hi, lo)]):
                    name = f"{op}-{dtype}-extreme-{k}"
                    ia = np.array([lo, hi, 0, 1, -1, 65536, 46341, hi, lo], dtype=np.int64)
                    a = QT(ia, pt(dtype, 1.0, za))
                    b = QT(ia[::-1].copy(), pt(dtype, 1.0, zbb))
                    add_case(name, op, [a, b], {"scale": 1.0, "zero_point": 0})
                    # the same through broadcasting (another code path)
                    add_case(name + "-broadcast", op, [QT(ia.reshape(9, 1), a.quant), b],
                             {"scale": 1.0, "zero_point": 0})
        # a tensor and a number: the zero point moved, the range stretched
        # past either end (8-bit), mirrored and zeroed by mul
        others = [0.0, 0.3, -0.3, 2.5, -7.77, 100.0, -100.0, 1e6, 0.0125]
        zero_points = [z] + ([RANGE[dtype][0], RANGE[dtype][1]] if dtype != "qint32" else [])
        for op in ("add_scalar", "add_scalar_relu", "mul_scalar", "mul_scalar_relu"):
            for k, zp in enumerate(zero_points):
                for scale in (0.05, 0.1, 0.003):
                    for j, other in enumerate(others):
                        if abs(other / scale) > 2**31 - 1:
                            continue  # PyTorch fails: c_q is not an int32
                        name = f"{op}-{dtype}-{k}-{scale}-{j}"
                        if dtype == "qint32" or op.startswith("mul"):
                            n = LONG if (k, j, scale) == (0, 3, 0.05) else 33
                            x = tensor(name, dtype, (n,), scale, zp)
                        else:  # every integer: ties in a stretched range are rare
                            lo, hi = RANGE[dtype]
                            ints = rng_for(name).permutation(np.arange(lo, hi + 1))
                            x = QT(ints.astype(np.int64), pt(dtype, scale, zp))
                        add_case(name, op, [x], {"other": other})
        # cat: inherited and given parameters, requantized and copied parts
        for op in ("cat", "cat_relu"):
            for k, (dim, shapes_, scales, target) in enumerate([
                    (0, [(7,), (33,), (1,)], [0.25, 0.25, 0.5], None),
                    (0, [(7,), (33,), (100,)], [0.25, 0.125, 0.5], (0.5, z)),
                    (1, [(3, 31), (3, 1), (3, 33)], [0.043, 0.5, 0.043], (0.043, z)),
                    (-1, [(2, 5, 7), (2, 5, 40)], [0.1, 0.2], (1e-3, z + 1)),
                    (0, [(1031,), (7,)], [0.0213, 1e37], (0.3, z))]):
                if op == "cat_relu" and target is None:
                    target = (0.25, z)
                name = f"{op}-{dtype}-{k}"
                inputs = [tensor(f"{name}-{i}", dtype, s, sc, z)
                          for i, (s, sc) in enumerate(zip(shapes_, scales))]
                args = {"dim": dim}
                if target is not None:
                    args["target"] = pt(dtype, *target)
                add_case(name, op, inputs, args)

    with open(out_path, "w") as f:
        f.write("# Written by tests/data/make_operator_golden.py (PyTorch %s); do not edit.\n"
                % torch.__version__)
        f.write("# Format: see that script's docstring.\n")
        f.write("\n".join(OUT) + "\n")
    print_summary()


def print_summary():
    print("| op | dtype | elements | onednn != formula (reasons) | qnnpack != onednn |"
          " qnnpack != formula |")
    for (op, dtype), s in sorted(SUMMARY.items()):
        reasons = ", ".join(f"{k[7:]} {v}" + (f" ({s['max_' + k[7:]]})"
                                                   if s["max_" + k[7:]] > 1 else "")
                            for k, v in sorted(s.items()) if k.startswith("onednn_"))
        if s["qnnpack_elements"] == 0:
            qn = qf = "rejected"
        else:
            partial = " (of %d)" % s["qnnpack_elements"] if s["qnnpack_rejected"] else ""
            qn = f"{s['qnnpack_vs_onednn']}{partial}"
            if s["qnnpack_vs_onednn"]:
                qn += f" (max {s['qnnpack_max_step']} steps)"
            qf = f"{s['qnnpack_vs_formula']}{partial}"
        print(f"| {op} | {dtype} | {s['elements']} | {s['onednn']}"
              f"{' (' + reasons + ')' if reasons else ''} | {qn} | {qf} |")
    print("Counts as tests/ops/test_operator_golden.cc lists them (elements, onednn !="
          " formula, qnnpack != onednn, qnnpack != formula, elements qnnpack rejects):")
    for (op, dtype), s in sorted(SUMMARY.items()):
        print(f'    {{"{op} {dtype}", {{{s["elements"]}, {s["onednn"]}, '
              f'{s["qnnpack_vs_onednn"]}, {s["qnnpack_vs_formula"]}, '
              f'{s["qnnpack_rejected"]}}}}},')
    for key, why in sorted(QNNPACK_REJECTS.items()):
        print("qnnpack rejects", key, sorted(why))


if __name__ == "__main__":
    main()

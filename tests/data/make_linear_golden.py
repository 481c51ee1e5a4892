#!/usr/bin/env python3
"""Writes tests/data/linear_golden.txt: torch.ops.quantized.linear and
linear_relu of PyTorch 1.13 on both of its engines here (onednn, the default,
under LRU_CACHE_CAPACITY=1, and qnnpack), next to docs/numerics.md's linear
formula computed here with exact integers and float32 steps.

Run with Debian's /usr/bin/python3 (NumPy, torch 1.13) from the repository
root. Each case:

  case NAME relu(0|1)
  input M K dtype SCALE ZP          (SCALE as a C99 hex float, double)
  data M*K integers
  weight N K pt SCALE ZP  |  weight N K pc SCALE... ZP...
  data N*K integers
  bias none  |  bias N float32 values as hex floats
  output SCALE ZP
  formula M*N integers              (the formula, computed here)
  onednn M*N integers
  qnnpack M*N integers  |  qnnpack rejected
  end
"""
import os

os.environ["LRU_CACHE_CAPACITY"] = "1"  # onednn caches primitives by shape

import numpy as np
import torch

F32 = np.float32
RANGE = {"quint8": (0, 255), "qint8": (-128, 127)}
TORCH = {"quint8": torch.quint8, "qint8": torch.qint8}


def hexf(v):
    return float(v).hex()


def formula(x, zx, sx, w, zw, sw, bias, so, zo, relu, dtype):
    acc = (x.astype(np.int64) - zx) @ (w.astype(np.int64) - zw[:, None]).T
    if bias is not None:
        inv = F32(1) / (np.float64(sx) * sw).astype(F32)  # 1 / (float)scale
        bq = np.clip(np.rint(bias.astype(F32) * inv), -2**31, 2**31 - 1).astype(np.int64)
        acc = acc + bq
    m = (sw.astype(F32) * F32(sx)) / F32(so)
    v = acc.astype(F32) * m
    lo, hi = RANGE[dtype]
    if relu:
        lo = zo
    return np.clip(np.rint(v) + zo, lo, hi).astype(np.int64)


def run_torch(engine, x, zx, sx, w, zw, sw, per_channel, bias, so, zo, relu, dtype):
    torch.backends.quantized.engine = engine
    if dtype == "quint8":
        qx = torch._make_per_tensor_quantized_tensor(torch.from_numpy(x.astype(np.uint8)), sx, zx)
    else:
        qx = torch._make_per_tensor_quantized_tensor(torch.from_numpy(x.astype(np.int8)), sx, zx)
    wi = torch.from_numpy(w.astype(np.int8))
    if per_channel:
        qw = torch._make_per_channel_quantized_tensor(
            wi, torch.from_numpy(sw.astype(np.float64)), torch.from_numpy(zw.astype(np.int64)), 0)
    else:
        qw = torch._make_per_tensor_quantized_tensor(wi, float(sw[0]), int(zw[0]))
    b = torch.from_numpy(bias.astype(np.float32)) if bias is not None else None
    try:
        packed = torch.ops.quantized.linear_prepack(qw, b)
        op = torch.ops.quantized.linear_relu if relu else torch.ops.quantized.linear
        return op(qx, packed, so, zo).int_repr().numpy().astype(np.int64)
    except RuntimeError:
        return None


OUT = ["# Written by tests/data/make_linear_golden.py (PyTorch %s); do not edit." % torch.__version__]


def emit(*tokens):
    OUT.append(" ".join(str(t) for t in tokens))


def add_case(name, rng, m, k, n, dtype="quint8", per_channel=False, bias=True, relu=False,
             sx=0.05, zx=None, wscale=0.01, wzero=0, so=None, zo=None, fill=None):
    lo, hi = RANGE[dtype]
    if zx is None:
        zx = int(rng.integers(lo, hi + 1) // 2 + (lo + hi) // 4)
    x = rng.integers(lo, hi + 1, size=(m, k))
    w = rng.integers(-128, 128, size=(n, k))
    if fill is not None:
        x[:] = fill[0]
        w[:] = fill[1]
    if per_channel:
        sw = (rng.random(n) * 2 + 0.25) * wscale
        zw = np.full(n, wzero, dtype=np.int64)
    else:
        sw = np.full(n, wscale)
        zw = np.full(n, wzero, dtype=np.int64)
    sw = sw.astype(np.float32).astype(np.float64)  # torch keeps float32-exact scales
    b = None
    if bias:
        b = (rng.standard_normal(n) * sx * wscale * k * 4).astype(F32)
    if so is None:
        so = float(F32(sx * wscale * np.sqrt(k) * 3))
    if zo is None:
        zo = (lo + hi + 1) // 2
    ref = formula(x, zx, sx, w, zw, sw, b, so, zo, relu, dtype)
    emit("case", name, int(relu))
    emit("input", m, k, dtype, hexf(sx), zx)
    emit("data", *x.reshape(-1))
    if per_channel:
        emit("weight", n, k, "pc", *[hexf(s) for s in sw], *zw)
    else:
        emit("weight", n, k, "pt", hexf(sw[0]), zw[0])
    emit("data", *w.reshape(-1))
    emit("bias", "none") if b is None else emit("bias", *[hexf(v) for v in b])
    emit("output", hexf(so), zo)
    emit("formula", *ref.reshape(-1))
    for engine in ("onednn", "qnnpack"):
        got = run_torch(engine, x, zx, sx, w, zw, sw, per_channel, b, so, zo, relu, dtype)
        if got is None:
            emit(engine, "rejected")
        else:
            assert np.abs(got - ref).max() <= 1, (name, engine, np.abs(got - ref).max())
            emit(engine, *got.reshape(-1))
    emit("end")


def main():
    rng = np.random.default_rng(15)
    shapes = [(1, 1, 1), (3, 5, 7), (4, 64, 16), (7, 33, 65), (2, 256, 40), (16, 300, 17),
              (1, 1000, 24), (9, 17, 129)]
    for m, k, n in shapes:
        for per_channel in (False, True):
            for bias in (True, False):
                for relu in ((False,) if bias else (True,)):
                    name = "%dx%dx%d-%s-%s-%s" % (m, k, n, "pc" if per_channel else "pt",
                                                 "bias" if bias else "nobias",
                                                 "relu" if relu else "plain")
                    add_case(name, rng, m, k, n, per_channel=per_channel, bias=bias, relu=relu)
    # Weight zero points (per tensor), small and large output scales, and
    # zero points at the ends.
    add_case("wzero-3", rng, 5, 40, 9, wzero=3)
    add_case("wzero-neg", rng, 5, 40, 9, wzero=-7, relu=True)
    add_case("coarse-out", rng, 6, 50, 11, so=2.0, zo=10)
    add_case("fine-out", rng, 6, 50, 11, so=1e-4, zo=250)
    add_case("zx0", rng, 4, 30, 12, zx=0, zo=0)
    add_case("zx255", rng, 4, 30, 12, zx=255, zo=255, relu=True)
    # Every product 255 * 127 or 255 * -128: 16-bit paths saturate here.
    add_case("max-pos", rng, 3, 512, 20, zx=0, bias=False, fill=(255, 127), so=255 * 127 * 512 / 200.0,
             zo=0, sx=1.0, wscale=1.0)
    add_case("max-neg", rng, 3, 512, 20, zx=0, bias=False, fill=(255, -128), so=255 * 128 * 512 / 100.0,
             zo=200, sx=1.0, wscale=1.0)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "linear_golden.txt"), "w") as f:
        f.write("\n".join(OUT) + "\n")


if __name__ == "__main__":
    main()

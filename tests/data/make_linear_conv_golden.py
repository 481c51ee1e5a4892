#!/usr/bin/env python3
"""Writes tests/data/linear_golden.txt, linear_dynamic_golden.txt and
conv2d_golden.txt:
torch.ops.quantized.linear / linear_relu and conv2d / conv2d_relu of PyTorch
1.13 on both of its engines here (onednn, the default, under
LRU_CACHE_CAPACITY=1, and qnnpack), next to docs/numerics.md's linear formula
computed here with exact integers and float32 steps (conv2d: the same formula
over each output's receptive field, padding at the input's zero point).

Run with Debian's /usr/bin/python3 (NumPy, torch 1.13); the files go to
the directory given as the only argument, by default tests/data. Each linear case:

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

A conv2d case has the same lines, with
  case NAME relu(0|1) STRIDE_H STRIDE_W PAD_H PAD_W DIL_H DIL_W GROUPS
  input N C H W dtype SCALE ZP
  weight O I/groups kH kW pt|pc ...
and the results in the output's NCHW order. A linear_dynamic case:
  case NAME reduce_range(0|1)
  input M K float
  data M*K float32 values as hex floats
  weight, data, bias as for linear
  formula / onednn / qnnpack M*N float32 results as hex floats
  end
"""
import os
import sys

os.environ["LRU_CACHE_CAPACITY"] = "1"  # onednn caches primitives by shape
# onednn's AVX-512 VNNI kernels on every machine that has them, AMX or not,
# so the file regenerates the same wherever the tests run (on an AVX2-only
# CPU onednn's 16-bit products saturate and its integers differ).
os.environ["ONEDNN_MAX_CPU_ISA"] = "AVX512_CORE_VNNI"

import numpy as np
import torch

F32 = np.float32
RANGE = {"quint8": (0, 255), "qint8": (-128, 127)}
TORCH = {"quint8": torch.quint8, "qint8": torch.qint8}


def hexf(v):
    return float(v).hex()


def formula(x, zx, sx, w, zw, sw, bias, so, zo, relu, dtype):
    acc = (x.astype(np.int64) - zx) @ (w.astype(np.int64) - zw[:, None]).T
    return requantize(acc, sx, sw, bias, so, zo, relu, dtype)


def requantize(acc, sx, sw, bias, so, zo, relu, dtype):
    """acc [..., out] exact integers; the rest as docs/numerics.md."""
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


def torch_input(x, sx, zx, dtype):
    ints = x.astype(np.uint8 if dtype == "quint8" else np.int8)
    return torch._make_per_tensor_quantized_tensor(torch.from_numpy(ints), sx, zx)


def torch_weight(w, sw, zw, per_channel):
    wi = torch.from_numpy(w.astype(np.int8))
    if per_channel:
        return torch._make_per_channel_quantized_tensor(
            wi, torch.from_numpy(sw.astype(np.float64)), torch.from_numpy(zw.astype(np.int64)), 0)
    return torch._make_per_tensor_quantized_tensor(wi, float(sw[0]), int(zw[0]))


def torch_bias(bias):
    return torch.from_numpy(bias.astype(np.float32)) if bias is not None else None


def run_torch(engine, x, zx, sx, w, zw, sw, per_channel, bias, so, zo, relu, dtype):
    torch.backends.quantized.engine = engine
    qx, qw, b = torch_input(x, sx, zx, dtype), torch_weight(w, sw, zw, per_channel), torch_bias(bias)
    try:
        packed = torch.ops.quantized.linear_prepack(qw, b)
        op = torch.ops.quantized.linear_relu if relu else torch.ops.quantized.linear
        return op(qx, packed, so, zo).int_repr().numpy().astype(np.int64)
    except RuntimeError:
        return None


HEADER = "# Written by tests/data/make_linear_conv_golden.py (PyTorch %s); do not edit." % torch.__version__
OUT = [HEADER]


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


def conv_acc(x, zx, w, zw, stride, padding, dilation, groups):
    """Exact sums of conv2d: x [N, C, H, W], w [O, C/g, kH, kW]; [N, oH, oW, O]."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.full((n, c, h + 2 * padding[0], wd + 2 * padding[1]), zx, dtype=np.int64)
    xp[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + wd] = x
    oh = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    og = o // groups
    acc = np.zeros((n, oh, ow, o), dtype=np.int64)
    wc = w.astype(np.int64) - zw[:, None, None, None]
    for g in range(groups):
        for i in range(kh):
            for j in range(kw):
                rows = xp[:, g * cg:(g + 1) * cg,
                          i * dilation[0]:i * dilation[0] + stride[0] * (oh - 1) + 1:stride[0],
                          j * dilation[1]:j * dilation[1] + stride[1] * (ow - 1) + 1:stride[1]] - zx
                # rows [N, cg, oH, oW] times weights [og, cg] at (i, j)
                acc[..., g * og:(g + 1) * og] += np.einsum(
                    "ncyx,oc->nyxo", rows, wc[g * og:(g + 1) * og, :, i, j])
    return acc


def run_torch_conv(engine, x, zx, sx, w, zw, sw, per_channel, bias, settings, so, zo, relu, dtype):
    torch.backends.quantized.engine = engine
    qx, qw, b = torch_input(x, sx, zx, dtype), torch_weight(w, sw, zw, per_channel), torch_bias(bias)
    stride, padding, dilation, groups = settings
    try:
        packed = torch.ops.quantized.conv2d_prepack(qw, b, list(stride), list(padding),
                                                    list(dilation), groups)
        op = torch.ops.quantized.conv2d_relu if relu else torch.ops.quantized.conv2d
        return op(qx, packed, so, zo).int_repr().numpy().astype(np.int64)
    except RuntimeError:
        return None


def add_conv_case(name, rng, n, c, h, wd, o, k, stride=(1, 1), padding=(0, 0), dilation=(1, 1),
                  groups=1, per_channel=False, bias=True, relu=False, sx=0.05, so=None, zo=128):
    x = rng.integers(0, 256, size=(n, c, h, wd))
    zx = int(rng.integers(60, 200))
    w = rng.integers(-128, 128, size=(o, c // groups, k[0], k[1]))
    wscale = 0.01
    if per_channel:
        sw = ((rng.random(o) * 2 + 0.25) * wscale).astype(np.float32).astype(np.float64)
    else:
        sw = np.full(o, np.float64(np.float32(wscale)))
    zw = np.zeros(o, dtype=np.int64)  # qnnpack and onednn take only symmetric conv weights
    b = (rng.standard_normal(o) * sx * wscale * 40).astype(F32) if bias else None
    depth = c // groups * k[0] * k[1]
    if so is None:
        so = float(F32(sx * wscale * np.sqrt(depth) * 3))
    settings = (stride, padding, dilation, groups)
    acc = conv_acc(x, zx, w, zw, stride, padding, dilation, groups)
    ref = requantize(acc, sx, sw, b, so, zo, relu, "quint8").transpose(0, 3, 1, 2)
    emit("case", name, int(relu), *stride, *padding, *dilation, groups)
    emit("input", n, c, h, wd, "quint8", hexf(sx), zx)
    emit("data", *x.reshape(-1))
    if per_channel:
        emit("weight", *w.shape, "pc", *[hexf(v) for v in sw], *zw)
    else:
        emit("weight", *w.shape, "pt", hexf(sw[0]), zw[0])
    emit("data", *w.reshape(-1))
    emit("bias", "none") if b is None else emit("bias", *[hexf(v) for v in b])
    emit("output", hexf(so), zo)
    emit("formula", *ref.reshape(-1))
    for engine in ("onednn", "qnnpack"):
        got = run_torch_conv(engine, x, zx, sx, w, zw, sw, per_channel, b, settings, so, zo, relu,
                             "quint8")
        if got is None:
            emit(engine, "rejected")
        else:
            assert got.shape == ref.shape, (name, engine)
            assert np.abs(got - ref).max() <= 1, (name, engine, np.abs(got - ref).max())
            emit(engine, *got.reshape(-1))
    emit("end")


def conv_cases():
    rng = np.random.default_rng(16)
    add_conv_case("1x1", rng, 1, 8, 5, 5, 12, (1, 1))
    add_conv_case("3x3-pad1", rng, 2, 4, 7, 6, 8, (3, 3), padding=(1, 1), relu=True)
    add_conv_case("3x3-stride2", rng, 1, 6, 9, 9, 5, (3, 3), stride=(2, 2), padding=(1, 1),
                  per_channel=True)
    add_conv_case("5x3-dil2", rng, 1, 3, 11, 10, 7, (5, 3), dilation=(2, 1), padding=(2, 1))
    add_conv_case("groups2", rng, 1, 8, 6, 6, 6, (3, 3), groups=2, padding=(1, 1),
                  per_channel=True, relu=True)
    add_conv_case("depthwise", rng, 1, 16, 8, 8, 16, (3, 3), groups=16, padding=(1, 1),
                  bias=False)
    add_conv_case("depthwise-stride2", rng, 2, 8, 9, 7, 8, (3, 3), groups=8, stride=(2, 2),
                  padding=(1, 1), per_channel=True)
    add_conv_case("depth-multiplier", rng, 1, 4, 6, 6, 8, (3, 3), groups=4)
    add_conv_case("wide", rng, 1, 64, 6, 6, 40, (3, 3), padding=(1, 1), per_channel=True)
    add_conv_case("big-pad", rng, 1, 2, 3, 3, 3, (2, 2), padding=(3, 2), so=0.02, zo=10)
    add_conv_case("stride-3x1", rng, 1, 5, 10, 8, 4, (1, 3), stride=(3, 1), bias=False, relu=True)
    add_conv_case("batch3", rng, 3, 3, 5, 5, 4, (3, 3))


def add_dynamic_case(name, rng, m, k, n, per_channel=False, bias=True, reduce_range=False,
                     spread=3.0):
    x = (rng.standard_normal((m, k)) * spread).astype(F32)
    w = rng.integers(-128, 128, size=(n, k))
    if per_channel:
        sw = ((rng.random(n) * 2 + 0.25) * 0.01).astype(np.float32).astype(np.float64)
    else:
        sw = np.full(n, np.float64(np.float32(0.01)))
    zw = np.zeros(n, dtype=np.int64)
    b = (rng.standard_normal(n)).astype(F32) if bias else None
    # onednn's (the default engine's) parameters: under qnnpack PyTorch
    # ignores reduce_range.
    torch.backends.quantized.engine = "onednn"
    qx = torch.quantize_per_tensor_dynamic(torch.from_numpy(x), torch.quint8, reduce_range)
    sx, zx = qx.q_scale(), qx.q_zero_point()
    acc = (qx.int_repr().numpy().astype(np.int64) - zx) @ (w.astype(np.int64) - zw[:, None]).T
    ref = acc.astype(F32) * (F32(sx) * sw.astype(F32))
    if b is not None:
        ref = ref + b
    emit("case", name, int(reduce_range))
    emit("input", m, k, "float")
    emit("data", *[hexf(v) for v in x.reshape(-1)])
    if per_channel:
        emit("weight", n, k, "pc", *[hexf(v) for v in sw], *zw)
    else:
        emit("weight", n, k, "pt", hexf(sw[0]), zw[0])
    emit("data", *w.reshape(-1))
    emit("bias", "none") if b is None else emit("bias", *[hexf(v) for v in b])
    emit("formula", *[hexf(v) for v in ref.reshape(-1)])
    for engine in ("onednn", "qnnpack"):
        torch.backends.quantized.engine = engine
        packed = torch.ops.quantized.linear_prepack(torch_weight(w, sw, zw, per_channel),
                                                    torch_bias(b))
        got = torch.ops.quantized.linear_dynamic(torch.from_numpy(x), packed, reduce_range)
        emit(engine, *[hexf(v) for v in got.numpy().reshape(-1)])
    emit("end")


def dynamic_cases():
    rng = np.random.default_rng(17)
    for m, k, n in [(1, 1, 1), (3, 5, 7), (8, 64, 16), (5, 200, 33), (2, 1000, 12)]:
        for per_channel in (False, True):
            for reduce_range in (False, True):
                name = "%dx%dx%d-%s-%s" % (m, k, n, "pc" if per_channel else "pt",
                                           "reduce" if reduce_range else "full")
                add_dynamic_case(name, rng, m, k, n, per_channel=per_channel,
                                 bias=(m + k) % 2 == 0 or per_channel,
                                 reduce_range=reduce_range)
    add_dynamic_case("positive-only", rng, 4, 30, 6, spread=0.001)
    add_dynamic_case("wide-range", rng, 4, 30, 6, spread=1e4, per_channel=True)


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
    write("linear_golden.txt")
    conv_cases()
    write("conv2d_golden.txt")
    dynamic_cases()
    write("linear_dynamic_golden.txt")


def write(name):
    with open(os.path.join(OUT_DIR, name), "w") as f:
        f.write("\n".join(OUT) + "\n")
    OUT[:] = [HEADER]


# The three files go to the directory given as the argument, by default this
# script's own (tests/data).
OUT_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

if __name__ == "__main__":
    main()

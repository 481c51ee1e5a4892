#!/usr/bin/python3
"""Generates observer_golden.txt: PyTorch 1.13's parameters chosen from data
(torch._choose_qparams_per_tensor, torch.quantize_per_tensor_dynamic and the
observers of torch.ao.quantization), for tests/ops/test_observer_golden.cc.

Usage: /usr/bin/python3 make_observer_golden.py OUTPUT_PATH

Deterministic: inputs come from torch.randn with a torch.Generator seeded from
the case name, or from fixed lists. Every value written is also recomputed by
the NumPy transcription of docs/numerics.md's formulas below (float32 running
minima and maxima and moving averages, float32 scale arithmetic, double
arithmetic in choose_qparams); the script stops with an AssertionError if
PyTorch disagrees with it on any case, so the file records formulas that
PyTorch is known to follow here.

Where PyTorch gives no usable answer (NaN seen: an AssertionError; +-inf seen
or a range overflowing float32: an infinite scale; no data seen: a warning and
(1.0, 0)), qtensor reports an error instead: such a case has expect_error and
records what PyTorch did in torch_result.

choose_qparams cases with preserve_sparsity cannot be reached from PyTorch's
Python API (its callers pass false); their expected values come from the
NumPy transcription of ChooseQuantizationParams alone (source numpy).

Output format: ASCII text, one record per case, one field per line, a
keyword then its space-separated tokens. '#' lines are comments.

  case NAME                 starts a record
  kind KIND                 choose_qparams (min, max, qmin, qmax given),
                            choose_qparams_per_tensor, quantize_per_tensor_dynamic,
                            min_max, moving_average_min_max, per_channel_min_max,
                            moving_average_per_channel_min_max, histogram
  source torch|numpy        who computed the expected values
  dtype NAME                qint8, quint8 or qint32
  symmetric 0|1             observers: per_tensor/per_channel_symmetric
  reduce_range 0|1
  quant_range QMIN QMAX     observers: custom quant_min/quant_max (absent: None)
  averaging_constant HEX    moving-average observers (a float64)
  ch_axis INT               per-channel observers (may be negative)
  bins INT / upsample_rate INT  histogram
  min HEX / max HEX         choose_qparams: the float32 min and max
  qmin INT / qmax INT       choose_qparams
  preserve_sparsity 0|1     choose_qparams
  batch_shape D0 D1 ...     starts one batch fed to the observer (or the
  batch HEX ...             input of the per-tensor functions): shape, then
                            row-major float32 values (bare for none)
  expect_scale HEX ...      float32 scales (observers) or the float64 scale
  expect_zero_point INT ... zero points
  expect_int_repr INT ...   quantize_per_tensor_dynamic: the integers
  expect_error              qtensor reports an error (QT_ERR_INVALID_ARGUMENT)
  expect_forward_error I    histogram: feeding batch I (NaN or inf) fails, and
                            nothing after it is checked
  torch_result TEXT         with expect_error: what PyTorch 1.13 gave; or,
                            with expected values, PyTorch's different zero
                            points where its int32 arithmetic overflows
                            (qint32 affine observers whose
                            round(min/scale) is beyond int32)
  end

HEX is Python's float.hex() of the value ("inf", "-inf", "nan" for those).
"""

import math
import sys
import warnings
import zlib

import numpy as np
import torch
from torch.ao.quantization import (HistogramObserver, MinMaxObserver, MovingAverageMinMaxObserver,
                                   MovingAveragePerChannelMinMaxObserver,
                                   PerChannelMinMaxObserver)

torch.set_num_threads(1)
warnings.simplefilter("ignore")

F32 = np.float32
EPS = F32(np.finfo(np.float32).eps)
DTYPES = {"qint8": torch.qint8, "quint8": torch.quint8, "qint32": torch.qint32}


def hexf(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v.hex()


# ------------------------------------------------------------ transcriptions

def np_choose_qparams(mn, mx, qmin, qmax, preserve_sparsity, reduce_range):
    """ChooseQuantizationParams of PyTorch 1.13 (QuantUtils.h)."""
    mn, mx = F32(mn), F32(mx)
    assert mn <= mx
    if reduce_range:
        qmin, qmax = int(qmin / 2), int(qmax / 2)  # C++ division truncates
    if mn < 0 and mx > 0 and preserve_sparsity:
        sqmin = -((qmax - qmin) // 2 + 1)
        sqmax = (qmax - qmin) // 2
        max_scale = float(max(abs(mn / F32(sqmin)), abs(mx / F32(sqmax))))
        mn = F32(max_scale * sqmin)
        mx = F32(max_scale * sqmax)
    mn = min(mn, F32(0))
    mx = max(mx, F32(0))
    assert qmin < qmax
    scale = (float(mx) - float(mn)) / (qmax - qmin)
    s32 = F32(scale)
    if s32 == 0 or np.isinf(F32(1) / s32):
        scale = 0.1
    thr = F32(6.1e-5)
    if scale < thr:
        org = F32(scale)
        scale = float(thr)
        if mn == 0:
            mx = thr * F32(qmax - qmin)
        elif mx == 0:
            mn = -thr * F32(qmax - qmin)
        else:
            amp = thr / org
            mn = F32(mn * amp)
            mx = F32(mx * amp)
    zp_min = qmin - float(mn) / scale
    zp_max = qmax - float(mx) / scale
    err_min = abs(qmin) - abs(float(mn) / scale)
    err_max = abs(qmax) - abs(float(mx) / scale)
    zp = zp_min if err_min < err_max else zp_max
    if mn < 0 and mx > 0 and preserve_sparsity:
        zp = float(qmin + qmax) / 2
    if zp < qmin:
        nz = qmin
    elif zp > qmax:
        nz = qmax
    else:
        nz = int(np.rint(zp))
    return scale, nz


def np_qrange(dtype, reduce_range, quant_range):
    if quant_range is not None:
        qmin, qmax = quant_range
        if reduce_range:
            qmin, qmax = qmin // 2, qmax // 2
        return qmin, qmax
    if dtype == "qint8":
        return (-64, 63) if reduce_range else (-128, 127)
    if dtype == "quint8":
        return (0, 127) if reduce_range else (0, 255)
    return -(2**31), 2**31 - 1


def np_calc(min_val, max_val, dtype, symmetric, reduce_range, quant_range):
    """_calculate_qparams of torch.ao.quantization.observer, elementwise, or
    None where qtensor reports an error."""
    qmin, qmax = np_qrange(dtype, reduce_range, quant_range)
    scales, zps, torch_zps, overflow = [], [], [], False
    for mn, mx in zip(min_val, max_val):
        mn, mx = F32(mn), F32(mx)
        if not (np.isfinite(mn) and np.isfinite(mx)):
            return None
        mneg = min(mn, F32(0))
        mpos = max(mx, F32(0))
        if symmetric:
            mpos = max(-mneg, mpos)
            s = mpos / F32(float(qmax - qmin) / 2)
            s = max(s, EPS)
            if dtype == "quint8":
                zp = (qmin + qmax) // 2 if quant_range is not None else 128
            else:
                zp = 0
        else:
            s = F32(mpos - mneg) / F32(float(qmax - qmin))
            s = max(s, EPS)
            r = int(np.rint(mneg / s))
            zp = min(max(qmin - r, qmin), qmax)
            if not -(2**31) <= r < 2**31:
                # PyTorch converts r to int32 (x86 gives INT32_MIN for any
                # value out of range), then subtracts in int32 (wrapping).
                overflow = True
                t = (qmin + 2**31 + 2**31) % 2**32 - 2**31
                torch_zps.append(min(max(t, qmin), qmax))
        if not np.isfinite(s):
            return None
        scales.append(F32(s))
        zps.append(zp)
        if len(torch_zps) < len(zps):
            torch_zps.append(zp)
    return scales, zps, torch_zps, overflow


def np_observe(kind, batches, ch_axis, c):
    """Running (or moving-average) min and max in float32, or None if no batch
    had elements."""
    mn = mx = None
    c32 = F32(c) if c is not None else None
    for x in batches:
        if x.size == 0:
            continue
        if kind.startswith("per_channel") or kind.startswith("moving_average_per_channel"):
            y = np.moveaxis(x, ch_axis, 0).reshape(x.shape[ch_axis], -1)
            cmn = np.min(y, axis=1)  # NumPy's min propagates NaN as aminmax does
            cmx = np.max(y, axis=1)
        else:
            cmn = np.array([np.min(x)], F32)
            cmx = np.array([np.max(x)], F32)
        if mn is None:
            mn, mx = cmn.astype(F32), cmx.astype(F32)
        elif kind.startswith("moving"):
            mn = (mn + c32 * (cmn - mn)).astype(F32)
            mx = (mx + c32 * (cmx - mx)).astype(F32)
        else:
            mn = np.where(np.isnan(cmn) | np.isnan(mn), F32(np.nan), np.minimum(cmn, mn))
            mx = np.where(np.isnan(cmx) | np.isnan(mx), F32(np.nan), np.maximum(cmx, mx))
    return mn, mx


def np_torch_sum(a):
    """torch.sum of a contiguous float32 vector as PyTorch 1.13 adds it on
    CPU: SumKernel.cpp's cascade, Vectorized<float> of 8 lanes."""
    a = np.asarray(a, F32)
    n, lanes = a.size, 8
    vec_size = n // lanes
    vecs = a[:vec_size * lanes].reshape(vec_size, lanes)
    size_ilp = vec_size // 4
    lp = max(4, (1 if size_ilp <= 2 else int(size_ilp - 1).bit_length()) // 4)
    step, mask = 1 << lp, (1 << lp) - 1
    acc = np.zeros((4, 4, lanes), F32)
    i = 0
    while i + step <= size_ilp:
        for _ in range(step):
            acc[0] = acc[0] + vecs[i * 4:i * 4 + 4]
            i += 1
        for j in range(1, 4):
            acc[j] = acc[j] + acc[j - 1]
            acc[j - 1] = 0
            if i & (mask << (j * lp)):
                break
    while i < size_ilp:
        acc[0] = acc[0] + vecs[i * 4:i * 4 + 4]
        i += 1
    for j in range(1, 4):
        acc[0] = acc[0] + acc[j]
    partial = acc[0]
    for i in range(size_ilp * 4, vec_size):
        partial[0] = partial[0] + vecs[i]
    for k in range(1, 4):
        partial[0] = partial[0] + partial[k]
    total = F32(0)
    for k in range(vec_size * lanes, n):
        total = F32(total + a[k])
    for k in range(lanes):
        total = F32(total + partial[0][k])
    return total


def np_histc(x, bins, lo, hi):
    """torch.histc(x, bins, min=lo, max=hi) of PyTorch 1.13's CPU kernel."""
    left, right = float(lo), float(hi)
    if left == right and x.size:
        left, right = float(x.min()), float(x.max())
    if left == right:
        left, right = left - 1, right + 1
    lo32, hi32 = F32(left), F32(right)
    v = x[(x >= lo32) & (x <= hi32)]
    pos = np.trunc(((v - lo32).astype(F32) * F32(bins)).astype(F32) / F32(hi32 - lo32))
    pos = pos.astype(np.int64)
    pos[pos == bins] = bins - 1
    hist = np.zeros(bins, F32)
    np.add.at(hist, pos, F32(1))
    return hist


def np_div_floor(a, b):
    """c10::div_floor_floating in float32."""
    mod = np.fmod(a, b).astype(F32)
    div = ((a - mod).astype(F32) / b).astype(F32)
    div = np.where((mod != 0) & ((b < 0) != (mod < 0)), div - F32(1), div).astype(F32)
    fl = np.floor(div).astype(F32)
    fl = np.where((div - fl).astype(F32) > F32(0.5), fl + F32(1), fl).astype(F32)
    return np.where(div != 0, fl, np.copysign(F32(0), (a / b).astype(F32))).astype(F32)


class NpHistogram:
    """HistogramObserver's forward and _non_linear_param_search."""

    def __init__(self, bins, up, dst_nbins):
        self.bins, self.up, self.dst = bins, up, dst_nbins
        self.hist = np.zeros(bins, F32)
        self.min, self.max = F32(np.inf), F32(-np.inf)

    def forward(self, x):
        x = np.asarray(x, F32).reshape(-1)
        if x.size == 0:
            return
        if (self.min == np.inf and self.max == -np.inf) or self.min == self.max:
            self.min, self.max = F32(x.min()), F32(x.max())
            self.hist = np_histc(x, self.bins, int(self.min), int(self.max))
            return
        cmin, cmax = min(F32(x.min()), self.min), max(F32(x.max()), self.max)
        hbw = F32(F32(self.max - self.min) / F32(self.bins * self.up))
        width = F32(F32(self.bins) * hbw)
        ratio = np.ceil(F32(F32(cmax - cmin) / width))
        if not 1 <= ratio <= 2**31 - 1:
            raise ValueError("the new range is too wide for the histogram's bins")
        ds = int(ratio)
        cmax = F32(cmax + F32(F32(F32(ds) * width) - F32(cmax - cmin)))
        start = int(np.rint(F32(F32(self.min - cmin) / hbw)))
        comb = np_histc(x, self.bins, int(cmin), int(cmax))
        if cmin == self.min and cmax == self.max:
            comb = (comb + self.hist).astype(F32)
        else:
            hw = np.zeros(self.bins * ds, F32)
            hw[start:self.bins * self.up + start] = np.repeat(self.hist, self.up)
            integral = np.cumsum(hw, dtype=np.float64)[ds - 1::ds]
            shifted = np.zeros(self.bins, F32)
            shifted[1:] = integral[:-1].astype(F32)
            interp = (integral - shifted.astype(np.float64)) / self.up
            comb = (comb + interp.astype(F32)).astype(F32)
        self.hist, self.min, self.max = comb, cmin, cmax

    def _error(self, s, e):
        bw = (float(self.max) - float(self.min)) / self.bins
        dbw = bw * (e - s + 1) / self.dst
        if dbw == 0.0:
            return 0.0
        d32, half, mhalf = F32(dbw), F32(dbw / 2), F32(-dbw / 2)
        begin = ((np.arange(self.bins) - s).astype(F32) * F32(bw)).astype(F32)
        end = (begin + F32(bw)).astype(F32)
        top = F32(self.dst - 1)
        bb = np.clip(np_div_floor(begin, d32), F32(0), top).astype(F32)
        eb = np.clip(np_div_floor(end, d32), F32(0), top).astype(F32)
        density = (self.hist / F32(bw)).astype(F32)

        def get_norm(b, e, dens):
            return (dens * ((((e * e).astype(F32) * e).astype(F32)
                             - ((b * b).astype(F32) * b).astype(F32)).astype(F32) / F32(3))
                    ).astype(F32)
        norm = get_norm((begin - ((bb + F32(0.5)).astype(F32) * d32).astype(F32)).astype(F32),
                        np.full(self.bins, half, F32), density)
        norm = (norm + ((eb - bb).astype(F32) - F32(1)).astype(F32)
                * get_norm(mhalf, half, density)).astype(F32)
        norm = (norm + get_norm(mhalf, (end - ((eb * d32).astype(F32) + half).astype(F32)
                                        ).astype(F32), density)).astype(F32)
        return float(np_torch_sum(norm))

    def search(self):
        bin_width = F32(F32(self.max - self.min) / F32(self.bins))
        total = float(np_torch_sum(self.hist))
        csum = np.cumsum(self.hist, dtype=np.float64).astype(F32)
        alpha, beta, start, end, norm_min = 0.0, 1.0, 0, self.bins - 1, float("inf")
        while alpha < beta:
            na, nb = alpha + 1e-5, beta - 1e-5
            lo, hi = start, end
            while lo < end and csum[lo] < F32(na * total):
                lo += 1
            while hi > start and csum[hi] > F32(nb * total):
                hi -= 1
            ns, ne = start, end
            if (lo - start) > (end - hi):
                ns, alpha = lo, na
            else:
                ne, beta = hi, nb
            if ns == start and ne == end:
                continue
            norm = self._error(ns, ne)
            if norm > norm_min:
                break
            norm_min, start, end = norm, ns, ne
        return (F32(self.min + F32(bin_width * F32(start))),
                F32(self.min + F32(bin_width * F32(end + 1))))


# ------------------------------------------------------------------ writers

OUT = []
OVERFLOWS = []


def emit(*tokens):
    OUT.append(" ".join(str(t) for t in tokens))


def emit_batches(batches):
    for b in batches:
        emit("batch_shape", *b.shape)
        if b.size:
            emit("batch", *[hexf(v) for v in b.reshape(-1)])
        else:
            emit("batch")


def gen(name, shape, scale=1.0, shift=0.0):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    return (torch.randn(*shape, generator=g) * scale + shift).numpy().astype(F32)


def torch_choose_per_tensor(x, reduce_range):
    return torch._choose_qparams_per_tensor(torch.from_numpy(x), reduce_range)


def case_choose_per_tensor(name, x, reduce_range):
    emit("case", name)
    emit("kind", "choose_qparams_per_tensor")
    emit("source", "torch")
    emit("reduce_range", int(reduce_range))
    emit_batches([x])
    finite = x.size > 0 and np.all(np.isfinite(x))
    if finite:
        s, z = torch_choose_per_tensor(x, reduce_range)
        ns, nz = np_choose_qparams(x.min(), x.max(), 0, 255, False, reduce_range)
        assert (s, z) == (ns, nz), (name, s, z, ns, nz)
        emit("expect_scale", hexf(s))
        emit("expect_zero_point", z)
    else:
        emit("expect_error")
        emit("torch_result", torch_outcome(lambda: torch_choose_per_tensor(x, reduce_range)))
    emit("end")


def torch_outcome(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - recording what torch does
        return "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:100])
    if isinstance(r, torch.Tensor):
        return "scale %r zero_point %r" % (r.q_scale(), r.q_zero_point())
    if isinstance(r, tuple) and isinstance(r[0], torch.Tensor):
        return "scale %s zero_point %s" % (r[0].tolist(), r[1].tolist())
    return "scale %r zero_point %r" % r


def case_dynamic(name, x, dtype, reduce_range):
    emit("case", name)
    emit("kind", "quantize_per_tensor_dynamic")
    emit("source", "torch")
    emit("dtype", dtype)
    emit("reduce_range", int(reduce_range))
    emit_batches([x])
    fn = lambda: torch.quantize_per_tensor_dynamic(torch.from_numpy(x), DTYPES[dtype],  # noqa
                                                   reduce_range)
    if x.size > 0 and np.all(np.isfinite(x)):
        q = fn()
        qmin, qmax = (-128, 127) if dtype == "qint8" else (0, 255)
        ns, nz = np_choose_qparams(x.min(), x.max(), qmin, qmax, False, reduce_range)
        assert (q.q_scale(), q.q_zero_point()) == (ns, nz), name
        emit("expect_scale", hexf(q.q_scale()))
        emit("expect_zero_point", q.q_zero_point())
        emit("expect_int_repr", *q.int_repr().reshape(-1).tolist())
    else:
        emit("expect_error")
        emit("torch_result", torch_outcome(fn))
    emit("end")


def case_choose(name, mn, mx, qmin, qmax, preserve_sparsity, reduce_range):
    emit("case", name)
    emit("kind", "choose_qparams")
    mn, mx = F32(mn), F32(mx)
    if preserve_sparsity:
        source = "numpy"
        s, z = np_choose_qparams(mn, mx, qmin, qmax, True, reduce_range)
    else:
        # Reached through torch: _choose_qparams_per_tensor is (0, 255) and
        # quantize_per_tensor_dynamic(qint8) is (-128, 127).
        source = "torch"
        x = np.array([mn, mx], F32)
        if (qmin, qmax) == (0, 255):
            s, z = torch_choose_per_tensor(x, reduce_range)
        else:
            assert (qmin, qmax) == (-128, 127)
            q = torch.quantize_per_tensor_dynamic(torch.from_numpy(x), torch.qint8, reduce_range)
            s, z = q.q_scale(), q.q_zero_point()
        assert (s, z) == np_choose_qparams(mn, mx, qmin, qmax, False, reduce_range), name
    emit("source", source)
    emit("min", hexf(mn))
    emit("max", hexf(mx))
    emit("qmin", qmin)
    emit("qmax", qmax)
    emit("preserve_sparsity", int(preserve_sparsity))
    emit("reduce_range", int(reduce_range))
    emit("expect_scale", hexf(s))
    emit("expect_zero_point", z)
    emit("end")


def case_observer(name, kind, batches, dtype="quint8", symmetric=False, reduce_range=False,
                  quant_range=None, c=None, ch_axis=None):
    per_channel = "per_channel" in kind
    if per_channel:
        qscheme = torch.per_channel_symmetric if symmetric else torch.per_channel_affine
    else:
        qscheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
    kw = dict(dtype=DTYPES[dtype], qscheme=qscheme, reduce_range=reduce_range)
    if quant_range is not None:
        kw["quant_min"], kw["quant_max"] = quant_range
    if c is not None:
        kw["averaging_constant"] = c
    if per_channel:
        kw["ch_axis"] = ch_axis
    cls = {"min_max": MinMaxObserver, "moving_average_min_max": MovingAverageMinMaxObserver,
           "per_channel_min_max": PerChannelMinMaxObserver,
           "moving_average_per_channel_min_max": MovingAveragePerChannelMinMaxObserver}[kind]
    obs = cls(**kw)
    for b in batches:
        obs(torch.from_numpy(b.copy()))
    emit("case", name)
    emit("kind", kind)
    emit("source", "torch")
    emit("dtype", dtype)
    emit("symmetric", int(symmetric))
    emit("reduce_range", int(reduce_range))
    if quant_range is not None:
        emit("quant_range", *quant_range)
    if c is not None:
        emit("averaging_constant", hexf(c))
    if per_channel:
        emit("ch_axis", ch_axis)
    emit_batches(batches)
    mn, mx = np_observe(kind, batches, ch_axis, c)
    expected = None if mn is None else np_calc(mn, mx, dtype, symmetric, reduce_range,
                                               quant_range)
    if expected is None:
        emit("expect_error")
        emit("torch_result", torch_outcome(obs.calculate_qparams))
    else:
        s, z = obs.calculate_qparams()
        ts = [F32(v) for v in s.numpy().tolist()]
        tz = z.tolist()
        assert ts == expected[0] and tz == expected[2], (name, ts, tz, expected)
        assert s.dtype == torch.float32
        assert z.dtype == (torch.int64 if symmetric else torch.int32), (name, z.dtype)
        emit("expect_scale", *[hexf(v) for v in ts])
        emit("expect_zero_point", *expected[1])
        if expected[3]:
            # qtensor computes the zero point exactly; PyTorch overflows int32.
            OVERFLOWS.append(name)
            emit("torch_result", "zero_point %s (round(min/scale) overflows int32)" % tz)
    emit("end")


class pytest_raises:
    """Asserts that the NumPy transcription fails where PyTorch did."""

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        assert kind is not None, "PyTorch failed where the transcription did not"
        return True


def case_histogram(name, batches, dtype="quint8", symmetric=False, reduce_range=False,
                   quant_range=None, bins=2048, up=128):
    qscheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
    kw = dict(bins=bins, upsample_rate=up, dtype=DTYPES[dtype], qscheme=qscheme,
              reduce_range=reduce_range)
    if quant_range is not None:
        kw["quant_min"], kw["quant_max"] = quant_range
    obs = HistogramObserver(**kw)
    emit("case", name)
    emit("kind", "histogram")
    emit("source", "torch")
    emit("dtype", dtype)
    emit("symmetric", int(symmetric))
    emit("reduce_range", int(reduce_range))
    if quant_range is not None:
        emit("quant_range", *quant_range)
    emit("bins", bins)
    emit("upsample_rate", up)
    emit_batches(batches)
    ref = NpHistogram(bins, up, 2 ** torch.iinfo(DTYPES[dtype]).bits)
    for i, b in enumerate(batches):
        try:
            obs(torch.from_numpy(b))
        except (RuntimeError, ValueError, OverflowError) as e:
            # PyTorch fails in forward: int() of NaN or inf, or a range too
            # wide to resample (after writing min_val and max_val, or with an
            # overflow); qtensor refuses the batch and stays unchanged.
            with pytest_raises():
                ref.forward(b)
            emit("expect_forward_error", i)
            emit("torch_result", "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:100]))
            emit("end")
            return
        ref.forward(b)
    if ref.min == np.inf:
        emit("expect_error")
        emit("torch_result", torch_outcome(obs.calculate_qparams))
        emit("end")
        return
    assert np.array_equal(obs.histogram.numpy().view(np.uint32), ref.hist.view(np.uint32)), name
    assert (obs.min_val.item(), obs.max_val.item()) == (float(ref.min), float(ref.max)), name
    mn, mx = ref.search()
    tmn, tmx = obs._non_linear_param_search()
    assert (tmn.item(), tmx.item()) == (float(mn), float(mx)), name
    expected = np_calc([mn], [mx], dtype, symmetric, reduce_range, quant_range)
    s, z = obs.calculate_qparams()
    assert expected is not None and [F32(v) for v in s.tolist()] == expected[0], name
    assert z.tolist() == expected[2], name
    emit("expect_scale", *[hexf(v) for v in s.tolist()])
    emit("expect_zero_point", *expected[1])
    emit("end")


def fixed(*values):
    return np.array(values, F32)


def main(path):
    inf, nan = float("inf"), float("nan")
    degenerate = {
        "all_equal": [fixed(2.5, 2.5, 2.5)],
        "all_equal_negative": [fixed(-3.0, -3.0)],
        "all_zero": [fixed(0.0, 0.0, 0.0, 0.0)],
        "one_element": [fixed(0.7)],
        "tiny_range": [fixed(1e-30, -1e-30)],
        "tiny_positive": [fixed(3e-8)],
        "huge": [fixed(-3e38, 3e38)],
        "pos_inf": [fixed(1.0, inf)],
        "neg_inf": [fixed(-inf, 1.0)],
        "nan": [fixed(1.0, nan, -2.0)],
        "empty": [np.zeros((0, 3), F32)],
    }
    # choose_qparams through torch._choose_qparams_per_tensor and
    # quantize_per_tensor_dynamic.
    for rr in (False, True):
        for i, shape in enumerate([(7,), (3, 5), (2, 3, 4), (100,)]):
            for sc, sh in ((1.0, 0.0), (10.0, 3.0), (0.01, -0.5), (1e-4, 0.0), (1000.0, 500.0)):
                nm = "per_tensor_%d_%g_%g_rr%d" % (i, sc, sh, rr)
                case_choose_per_tensor(nm, gen(nm, shape, sc, sh), rr)
        for dn, b in degenerate.items():
            case_choose_per_tensor("per_tensor_%s_rr%d" % (dn, rr), b[0], rr)
        for dtype in ("qint8", "quint8"):
            for i, shape in enumerate([(5,), (4, 6), (64,)]):
                for sc, sh in ((1.0, 0.0), (5.0, 4.0), (1e-5, 0.0), (2.0, -7.0)):
                    nm = "dynamic_%s_%d_%g_%g_rr%d" % (dtype, i, sc, sh, rr)
                    case_dynamic(nm, gen(nm, shape, sc, sh), dtype, rr)
            for dn, b in degenerate.items():
                case_dynamic("dynamic_%s_%s_rr%d" % (dtype, dn, rr), b[0], dtype, rr)
    # choose_qparams with explicit min and max: ties of the zero point, the
    # small-scale floor in each of its three branches, the 0.1 fallback.
    pairs = [(-1.0, 1.0), (0.0, 1.0), (-1.0, 0.0), (-0.5, 2.0), (1.0, 3.0), (-3.0, -1.0),
             (0.0, 0.0), (-1e-3, 1e-3), (0.0, 1e-3), (-1e-3, 0.0), (-2e-3, 5e-4),
             (-1e-40, 1e-40), (0.0, 1e-38), (-0.3, 0.2), (-255.0, 0.0), (-127.5, 127.5),
             (-0.1, 25.4), (-1.2345678, 9.876543), (-5e-3, 1e-4)]
    for k in range(40):
        g = np.random.default_rng(k)
        a, b = sorted(F32(g.standard_normal(2) * 10.0 ** g.integers(-6, 4)))
        pairs.append((a, b))
    for qmin, qmax in ((0, 255), (-128, 127)):
        for rr in (False, True):
            for ps in (False, True):
                for i, (a, b) in enumerate(pairs):
                    case_choose("choose_%d_%d_%d_rr%d_ps%d" % (i, qmin, qmax, rr, ps), a, b,
                                qmin, qmax, ps, rr)
    # Observers.
    kinds = ["min_max", "moving_average_min_max", "per_channel_min_max",
             "moving_average_per_channel_min_max"]
    configs = []
    for dtype in ("quint8", "qint8", "qint32"):
        for sym in (False, True):
            for rr in (False, True):
                if sym and rr and dtype == "quint8":
                    continue  # NotImplementedError in PyTorch
                configs.append(dict(dtype=dtype, symmetric=sym, reduce_range=rr))
    for dtype, qr in (("quint8", (0, 15)), ("qint8", (-8, 7)), ("qint8", (-128, 127)),
                      ("qint8", (-3, 100)), ("qint32", (-(2**20), 2**20)),
                      ("qint32", (-1000, 3)), ("quint8", (0, 255))):
        for sym in (False, True):
            for rr in (False, True):
                if sym and rr and dtype == "quint8":
                    continue
                configs.append(dict(dtype=dtype, symmetric=sym, reduce_range=rr, quant_range=qr))
    for kind in kinds:
        per_channel = "per_channel" in kind
        moving = kind.startswith("moving")
        for ci, cfg in enumerate(configs):
            for vi, (sc, sh) in enumerate(((1.0, 0.0), (3.0, 2.5), (0.02, -0.01), (50.0, -80.0))):
                nm = "%s_%d_%d" % (kind, ci, vi)
                shapes = [(4, 6), (4, 6), (4, 3, 2)] if per_channel else [(5,), (2, 3), (1, 4, 2)]
                if per_channel and vi == 2:
                    shapes = [(2, 4, 3), (5, 4, 1)]
                batches = [gen(nm + "_%d" % j, s, sc * (j + 1), sh) for j, s in enumerate(shapes)]
                extra = {}
                if moving:
                    extra["c"] = (0.01, 0.5, 1.0, 0.1)[vi]
                if per_channel:
                    extra["ch_axis"] = (0, -1, 1, 0)[vi]
                    if vi == 1:
                        batches = [gen(nm + "_%d" % j, (3, 4, 5), sc, sh) for j in range(3)]
                case_observer(nm, kind, batches, **cfg, **extra)
        # Degenerate inputs, each alone and after an ordinary batch.
        for dn, bs in degenerate.items():
            for cfg_i in (0, 2, 3, len(configs) - 1):
                cfg = configs[cfg_i]
                extra = {}
                if moving:
                    extra["c"] = 0.25
                if per_channel:
                    extra["ch_axis"] = 0
                    bs2 = [b.reshape(1, -1) for b in bs]
                else:
                    bs2 = bs
                case_observer("%s_%s_%d" % (kind, dn, cfg_i), kind, bs2, **cfg, **extra)
                lead_shape = (1, 4) if per_channel else (4,)
                lead = gen("%s_lead_%s" % (kind, dn), lead_shape, 2.0, 0.5)
                case_observer("%s_%s_after_%d" % (kind, dn, cfg_i), kind, [lead] + bs2, **cfg,
                              **extra)
        case_observer("%s_no_data" % kind, kind, [], **({"c": 0.5} if moving else {}),
                      **({"ch_axis": 0} if per_channel else {}))
        if per_channel:
            # Several channels, one of them degenerate (all zero, NaN, inf).
            x = gen(kind + "_mixed", (4, 5), 1.0, 0.0)
            x[1] = 0.0
            case_observer(kind + "_channel_all_zero", kind, [x], ch_axis=0,
                          **({"c": 0.5} if moving else {}))
            x2 = x.copy()
            x2[2, 3] = nan
            case_observer(kind + "_channel_nan", kind, [x2], ch_axis=0,
                          **({"c": 0.5} if moving else {}))
            x3 = x.copy()
            x3[3, 0] = inf
            case_observer(kind + "_channel_inf", kind, [x3], ch_axis=0,
                          **({"c": 0.5} if moving else {}))
            # A transposed (non-contiguous) view: torch reads it as a view,
            # the file holds its row-major values.
            base = gen(kind + "_transposed", (6, 3), 1.5, 0.2)
            case_observer(kind + "_transposed", kind, [np.ascontiguousarray(base.T)], ch_axis=1,
                          **({"c": 0.5} if moving else {}))
        else:
            many = [gen("%s_many_%d" % (kind, j), (j + 1, 3), 1.0 + j, 0.3 * j) for j in range(12)]
            case_observer(kind + "_twelve_batches", kind, many, **({"c": 0.3} if moving else {}))

    # HistogramObserver: every dtype and scheme, bins and upsampling rates,
    # ranges that grow (resampling), stay (adding) or start all equal.
    hconfigs = []
    for dtype in ("quint8", "qint8", "qint32"):
        for sym in (False, True):
            for rr in (False, True):
                hconfigs.append(dict(dtype=dtype, symmetric=sym, reduce_range=rr))
    hconfigs += [dict(dtype="qint8", quant_range=(-8, 7)), dict(dtype="quint8", quant_range=(0, 15)),
                 dict(dtype="quint8", symmetric=True, quant_range=(0, 15))]
    for ci, cfg in enumerate(hconfigs):
        for vi, (bins, up, sc, sh) in enumerate(((2048, 128, 1.0, 0.0), (256, 16, 3.0, 2.5),
                                                   (64, 1, 0.02, -0.01), (7, 3, 50.0, -80.0))):
            nm = "histogram_%d_%d" % (ci, vi)
            shapes = [(60,), (3, 40), (100,)][:1 + (ci + vi) % 3]
            batches = [gen(nm + "_%d" % j, s, sc * (1 + j), sh * (1 - j)) for j, s in
                       enumerate(shapes)]
            case_histogram(nm, batches, bins=bins, up=up, **cfg)
    for dn, bs in degenerate.items():
        for ci in (0, 2, 5):
            case_histogram("histogram_%s_%d" % (dn, ci), bs, **hconfigs[ci])
            lead = gen("histogram_lead_" + dn, (30,), 2.0, 0.5)
            case_histogram("histogram_%s_after_%d" % (dn, ci), [lead] + bs, **hconfigs[ci])
            case_histogram("histogram_%s_then_%d" % (dn, ci), bs + [lead], **hconfigs[ci])
    case_histogram("histogram_no_data", [])
    case_histogram("histogram_fractions", [fixed(0.1, 0.4, 0.9), fixed(0.2, 0.35)])
    case_histogram("histogram_truncated_range", [fixed(-0.7, 0.3, 2.5, 2.9), fixed(1.5, 3.7)])
    case_histogram("histogram_four_batches",
                   [gen("histogram_four_%d" % j, (50,), 1.0 + 3 * j, j - 1.5) for j in range(4)])

    header = ["# Written by tests/data/make_observer_golden.py from PyTorch %s; do not edit."
              % torch.__version__,
              "# %d cases; %d where PyTorch's zero point overflows int32 (torch_result)."
              % (sum(1 for l in OUT if l.startswith("case ")), len(OVERFLOWS))]
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(header + OUT) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])

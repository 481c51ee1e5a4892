#!/usr/bin/python3
"""Generates golden.txt: PyTorch 1.13's results for quantize, dequantize,
int_repr, views and repr() of quantized tensors, for tests/core/test_golden.cc.

Usage: /usr/bin/python3 make_golden.py OUTPUT_PATH

Deterministic: every input comes from torch.randint with a torch.Generator
seeded from the case name (integers only, so no libm or SIMD code path
decides a bit), or from fixed lists; the one exception is the seed
notebook's torch.randn(2, 2, 3), also seeded. Quantization runs with one
thread, and every result is also checked against docs/numerics.md's
formulas (see check_* below), so the file cannot depend on the thread count
either.

Only cases where PyTorch 1.13 is exact are written (docs/numerics.md):
no NaN or inf inputs, qint32 values with |x/scale| + |zp| well below 2^24
(PyTorch adds the zero point in float32) except far past saturation, 8-bit
inputs with |x/scale| < 2^31 (fbgemm builds of PyTorch convert through
int32), qint32 integers whose q - zp fits int32 (PyTorch subtracts in
int32) and, per channel, qint32 integers below 2^24 (PyTorch converts q and
zp to float32 before subtracting). No per-channel views (PyTorch 1.13 is
wrong there). The script stops with an AssertionError if PyTorch disagrees
with the formulas on any written value.

Output format: ASCII text, one record per case, one field per line. A field
line is a keyword, then (unless the field is empty) a single space and the
field's tokens separated by single spaces. Lines starting with '#' are
comments; there are no blank lines.

  case NAME               starts a record; NAME is unique, without spaces
  kind KIND               quantize_per_tensor, quantize_per_channel,
                          make_per_tensor, view or copy
  base KIND               view only: how the base tensor is built
                          (quantize_per_tensor or make_per_tensor)
  dtype NAME              qint8, quint8 or qint32 (of the built tensor; for
                          make_per_tensor the integers are int8, uint8 or
                          int32 respectively)
  shape D0 D1 ...         sizes of the built tensor; bare "shape" for 0-dim
  input_float HEX ...     row-major float32 input of quantize_per_tensor /
                          quantize_per_channel (also view with base
                          quantize_per_tensor)
  input_int INT ...       row-major integers of make_per_tensor (also view
                          with base make_per_tensor, and copy's destination)
  scale HEX               per-tensor scale (a float64)
  zero_point INT          per-tensor zero point
  scales HEX ...          quantize_per_channel: the scales (float64 each)
  zero_points INT ...     quantize_per_channel: the zero points
  axis INT                quantize_per_channel: the channel axis (>= 0)
  src_input_int INT ...   copy only: the source's row-major integers; the
  src_scale HEX             source is made with make_per_tensor, same dtype
  src_zero_point INT        and shape as the destination
  op NAME ARG ...         view only, zero or more, applied in order:
                            select DIM INDEX          q.select(DIM, INDEX)
                            slice DIM START STOP STEP  q[..., START:STOP:STEP]
                                                      on DIM; START / STOP
                                                      may be "none" (an open
                                                      end); STEP > 0
                            narrow DIM START LENGTH   q.narrow(DIM, START, LENGTH)
                            transpose DIM0 DIM1       q.transpose(DIM0, DIM1)
                            permute D0 D1 ...         q.permute(D0, D1, ...)
                            contiguous                q.contiguous()
                          (DIM and INDEX may be negative: from the end)
  expect_shape D0 ...     the result's shape (bare for 0-dim)
  expect_dtype NAME       the result's dtype
  expect_qscheme NAME     per_tensor_affine or per_channel_affine
  expect_scale HEX        per tensor: q_scale()
  expect_zero_point INT   per tensor: q_zero_point()
  expect_scales HEX ...   per channel: q_per_channel_scales()
  expect_zero_points INT ...  per channel: q_per_channel_zero_points()
  expect_axis INT         per channel: q_per_channel_axis()
  expect_int_repr INT ... int_repr(), row-major
  expect_dequantize HEX ...  dequantize(), row-major float32 values
  expect_repr JSON        repr(q) with "torch." written "qtensor.", as a JSON
                          string on one line (only the escapes \\n \\" \\\\
                          occur)
  end                     ends the record

For copy, the destination (dtype, shape, input_int, scale, zero_point) and
the source are both made with make_per_tensor, then dst.copy_(src); the
expect_* fields describe dst afterwards.

HEX is Python's float.hex() of the value as a Python float (float32 values
are widened exactly), e.g. 0x1.99999a0000000p-4 or -0x0.0p+0; C's strtod
reads it exactly.
"""

import json
import sys
import zlib

import numpy as np
import torch

DTYPES = ("qint8", "quint8", "qint32")
TORCH_QDTYPE = {"qint8": torch.qint8, "quint8": torch.quint8, "qint32": torch.qint32}
TORCH_INT = {"qint8": torch.int8, "quint8": torch.uint8, "qint32": torch.int32}
NP_INT = {"qint8": np.int8, "quint8": np.uint8, "qint32": np.int32}
QRANGE = {"qint8": (-128, 127), "quint8": (0, 255), "qint32": (-(2**31), 2**31 - 1)}
# Default parameters per dtype for the shape grids.
DEFAULT_QPARAMS = {"qint8": (0.05, -3), "quint8": (0.02, 128), "qint32": (1e-3, 7)}


# ------------------------------------------------------------------ data


def generator(name, salt=""):
    """A torch.Generator seeded from the case name (independent of order)."""
    return torch.Generator().manual_seed(zlib.crc32((name + "/" + salt).encode("ascii")))


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def uniform(name, shape, low, high, salt=""):
    """float32 values spread over [low, high]: exact integer draws, then one
    float64 and one float32 rounding (IEEE, identical everywhere)."""
    n = numel(shape)
    k = torch.randint(0, 2**24 + 1, (n,), generator=generator(name, salt), dtype=torch.int64)
    u = k.numpy().astype(np.float64) / 2.0**24
    x = (low + (high - low) * u).astype(np.float32)
    return x.reshape(shape)


def quantized_range_data(name, shape, dtype, scale, zp, margin, salt=""):
    """Data covering the representable range of (dtype, scale, zp) and a
    margin of `margin` steps beyond each end (qint32: +-1e5 steps)."""
    lo, hi = QRANGE[dtype]
    if dtype == "qint32":
        lo_steps, hi_steps = -1e5, 1e5
    else:
        lo_steps, hi_steps = lo - zp - margin, hi - zp + margin
    return uniform(name, shape, lo_steps * scale, hi_steps * scale, salt)


def rand_ints(name, shape, low, high, salt=""):
    n = numel(shape)
    k = torch.randint(low, high + 1, (n,), generator=generator(name, salt), dtype=torch.int64)
    return k.numpy().reshape(shape)


def f32(values):
    return np.array(values, dtype=np.float64).astype(np.float32)


# ------------------------------------------------------ formula checks


def bits(a):
    return np.ascontiguousarray(np.asarray(a, dtype=np.float32)).view(np.uint32)


def assert_same_floats(got, want, what):
    got, want = np.asarray(got, np.float32).reshape(-1), np.asarray(want, np.float32).reshape(-1)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    bad = np.nonzero(bits(got) != bits(want))[0]
    assert bad.size == 0, "%s: PyTorch disagrees with docs/numerics.md at %d places, first at %d: " \
        "torch %r, formula %r" % (what, bad.size, bad[0], float(got[bad[0]]), float(want[bad[0]]))


def assert_same_ints(got, want, what):
    got, want = np.asarray(got, np.int64).reshape(-1), np.asarray(want, np.int64).reshape(-1)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    bad = np.nonzero(got != want)[0]
    assert bad.size == 0, "%s: PyTorch disagrees with docs/numerics.md at %d places, first at %d: " \
        "torch %d, formula %d" % (what, bad.size, bad[0], got[bad[0]], want[bad[0]])


def formula_quantize(x, scales, zps, dtype):
    """docs/numerics.md: q = clamp(zp + nearbyint(x * (1.0f / (float)scale)), qmin, qmax),
    product in float32, round half to even, sum exact in int64. scales and
    zps broadcast against x (per channel: shaped along the axis)."""
    x = np.asarray(x, np.float32)
    inv = np.float32(1.0) / np.asarray(scales, np.float64).astype(np.float32)
    prod = (x * inv).astype(np.float32)
    assert prod.dtype == np.float32
    rounded = np.rint(prod)  # half to even, in float32 (exact)
    assert np.all(np.isfinite(rounded))
    wide = np.clip(rounded.astype(np.float64), -2.0**62, 2.0**62).astype(np.int64)
    lo, hi = QRANGE[dtype]
    return np.clip(wide + np.asarray(zps, np.int64), lo, hi), prod


def formula_dequantize_per_tensor(q, scale, zp):
    """docs/numerics.md: (float)(q - zp) * (float)scale, in float32."""
    diff = np.asarray(q, np.int64) - zp
    return (diff.astype(np.float32) * np.float32(scale)).astype(np.float32)


def formula_dequantize_per_channel(q, scales, zps):
    """docs/numerics.md: (float)((double)(q - zp) * scale)."""
    diff = np.asarray(q, np.int64) - np.asarray(zps, np.int64)
    return (diff.astype(np.float64) * np.asarray(scales, np.float64)).astype(np.float32)


def channel_shape(ndim, axis, count):
    shape = [1] * ndim
    shape[axis] = count
    return shape


def check_exact_domain_quantize(prod, zps, dtype, name):
    """Refuses inputs where PyTorch 1.13 is not exact, so that no case
    relies on PyTorch's behaviour there."""
    a = np.abs(prod.astype(np.float64))
    if dtype == "qint32":
        zmax = float(np.max(np.abs(np.asarray(zps, np.int64)))) if np.size(zps) else 0.0
        # Either well inside float32's exact integers, or so far out that any
        # rounding of zp + q still saturates (and below 2^62: no UB cast).
        ok = (a + zmax < 2.0**23) | ((a > 2.0**33) & (a < 2.0**62))
    else:
        ok = a < 2.0**31 - 2.0**9
    assert np.all(ok), "%s: input outside PyTorch's exact domain" % name


def check_exact_domain_ints(q, zps, dtype, per_channel, name):
    q = np.asarray(q, np.int64)
    zps = np.asarray(zps, np.int64)
    if dtype == "qint32":
        d = q - zps
        assert np.all((d >= -(2**31)) & (d < 2**31)), "%s: q - zp overflows int32" % name
        if per_channel:
            # PyTorch computes (float)q - (float)zp: exact below 2^24; a
            # saturated q with zp 0 is left to the formula check.
            lo, hi = QRANGE[dtype]
            small = (np.abs(q) < 2**24) & (np.abs(zps) < 2**24) & (np.abs(d) < 2**24)
            saturated = ((q == lo) | (q == hi)) & (zps == 0)
            assert np.all(small | saturated), "%s: per-channel qint32 beyond 2^24" % name


# ------------------------------------------------------------ view ops


def apply_op_torch(t, op):
    name, args = op[0], op[1:]
    if name == "select":
        return t.select(args[0], args[1])
    if name == "slice":
        dim, start, stop, step = args
        return t[(slice(None),) * (dim % t.dim()) + (slice(start, stop, step),)]
    if name == "narrow":
        return t.narrow(args[0], args[1], args[2])
    if name == "transpose":
        return t.transpose(args[0], args[1])
    if name == "permute":
        return t.permute(*args)
    if name == "contiguous":
        return t.contiguous()
    raise ValueError(name)


def apply_op_numpy(a, op):
    name, args = op[0], op[1:]
    if name == "select":
        return np.take(a, args[1], axis=args[0])
    if name == "slice":
        dim, start, stop, step = args
        return a[(slice(None),) * (dim % a.ndim) + (slice(start, stop, step),)]
    if name == "narrow":
        dim, start, length = args
        start = start % a.shape[dim] if start < 0 else start
        assert 0 <= start and start + length <= a.shape[dim]
        return a[(slice(None),) * (dim % a.ndim) + (slice(start, start + length),)]
    if name == "transpose":
        return np.swapaxes(a, args[0], args[1])
    if name == "permute":
        return np.transpose(a, args)
    if name == "contiguous":
        return np.array(a, order="C", copy=True)  # keeps 0-dim, unlike ascontiguousarray
    raise ValueError(name)


def op_tokens(op):
    return " ".join(["op", op[0]] + ["none" if v is None else str(int(v)) for v in op[1:]])


# ------------------------------------------------------------- writing


def hexf(v):
    return float(v).hex()


def field(key, tokens=()):
    tokens = list(tokens)
    return key + (" " + " ".join(tokens) if tokens else "")


def repr_field(q):
    text = repr(q).replace("torch.", "qtensor.")
    assert all(c == "\n" or " " <= c <= "~" for c in text), text
    encoded = json.dumps(text)
    assert "\\" not in encoded.replace("\\n", "").replace('\\"', "").replace("\\\\", "")
    return "expect_repr " + encoded


class Golden:
    def __init__(self):
        self.records = []
        self.names = set()
        self.kinds = {}

    def _start(self, name, kind):
        assert name not in self.names, name
        assert " " not in name and name, name
        self.names.add(name)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        return [field("case", [name]), field("kind", [kind])]

    def _expect(self, name, q):
        """Writes torch's results for q, after checking them against the
        formulas (the caller has already checked int_repr)."""
        dtype = str(q.dtype).replace("torch.", "")
        ints = q.int_repr().reshape(-1).numpy().astype(np.int64)
        deq = q.dequantize().reshape(-1).numpy()
        assert deq.dtype == np.float32
        lines = [field("expect_shape", [str(d) for d in q.shape]),
                 field("expect_dtype", [dtype])]
        if q.qscheme() == torch.per_tensor_affine:
            scale, zp = q.q_scale(), q.q_zero_point()
            check_exact_domain_ints(ints, zp, dtype, False, name)
            assert_same_floats(deq, formula_dequantize_per_tensor(ints, scale, zp),
                               name + " dequantize")
            lines += [field("expect_qscheme", ["per_tensor_affine"]),
                      field("expect_scale", [hexf(scale)]),
                      field("expect_zero_point", [str(int(zp))])]
        else:
            assert q.qscheme() == torch.per_channel_affine
            scales = q.q_per_channel_scales().numpy().astype(np.float64)
            zps = q.q_per_channel_zero_points().numpy().astype(np.int64)
            axis = q.q_per_channel_axis()
            cs = channel_shape(q.dim(), axis, len(scales))
            q_full = ints.reshape(q.shape)
            check_exact_domain_ints(q_full, zps.reshape(cs), dtype, True, name)
            want = formula_dequantize_per_channel(q_full, scales.reshape(cs), zps.reshape(cs))
            assert_same_floats(deq, want, name + " dequantize")
            lines += [field("expect_qscheme", ["per_channel_affine"]),
                      field("expect_scales", [hexf(s) for s in scales]),
                      field("expect_zero_points", [str(int(z)) for z in zps]),
                      field("expect_axis", [str(int(axis))])]
        lines += [field("expect_int_repr", [str(int(v)) for v in ints]),
                  field("expect_dequantize", [hexf(v) for v in deq]),
                  repr_field(q), "end"]
        return lines

    # -- case kinds

    def quantize_per_tensor(self, name, x, scale, zp, dtype):
        x = np.asarray(x, np.float32)
        assert np.all(np.isfinite(x)), name
        q = torch.quantize_per_tensor(torch.from_numpy(x.copy()), scale, zp, TORCH_QDTYPE[dtype])
        want, prod = formula_quantize(x, scale, zp, dtype)
        check_exact_domain_quantize(prod, zp, dtype, name)
        assert_same_ints(q.int_repr().numpy(), want, name + " quantize")
        lines = self._start(name, "quantize_per_tensor")
        lines += [field("dtype", [dtype]), field("shape", [str(d) for d in x.shape]),
                  field("input_float", [hexf(v) for v in x.reshape(-1)]),
                  field("scale", [hexf(scale)]), field("zero_point", [str(zp)])]
        self.records.append(lines + self._expect(name, q))
        return q

    def quantize_per_channel(self, name, x, scales, zps, axis, dtype):
        x = np.asarray(x, np.float32)
        assert np.all(np.isfinite(x)), name
        scales_t = torch.as_tensor(scales)
        if scales_t.dtype != torch.float32:
            scales_t = scales_t.to(torch.float64)
        zps_t = torch.as_tensor(zps, dtype=torch.int64)
        q = torch.quantize_per_channel(torch.from_numpy(x.copy()), scales_t, zps_t, axis,
                                       TORCH_QDTYPE[dtype])
        # The scales torch uses: as float64 (a float32 tensor widens exactly).
        scales64 = scales_t.to(torch.float64).numpy()
        assert np.array_equal(q.q_per_channel_scales().numpy(), scales64), name
        cs = channel_shape(x.ndim, axis, len(scales64))
        want, prod = formula_quantize(x, scales64.reshape(cs),
                                      zps_t.numpy().reshape(cs), dtype)
        check_exact_domain_quantize(prod, zps_t.numpy(), dtype, name)
        assert_same_ints(q.int_repr().numpy(), want, name + " quantize")
        lines = self._start(name, "quantize_per_channel")
        lines += [field("dtype", [dtype]), field("shape", [str(d) for d in x.shape]),
                  field("input_float", [hexf(v) for v in x.reshape(-1)]),
                  field("scales", [hexf(s) for s in scales64]),
                  field("zero_points", [str(int(z)) for z in zps_t.tolist()]),
                  field("axis", [str(axis)])]
        self.records.append(lines + self._expect(name, q))
        return q

    @staticmethod
    def _make(ints, scale, zp, dtype):
        ints = np.asarray(ints, np.int64)
        lo, hi = QRANGE[dtype]
        assert np.all((ints >= lo) & (ints <= hi))
        t = torch.from_numpy(ints.astype(NP_INT[dtype]).copy())
        assert t.dtype == TORCH_INT[dtype]
        q = torch._make_per_tensor_quantized_tensor(t, scale, zp)
        assert q.dtype == TORCH_QDTYPE[dtype]
        assert_same_ints(q.int_repr().numpy(), ints, "make_per_tensor int_repr")
        return q

    def make_per_tensor(self, name, ints, scale, zp, dtype):
        ints = np.asarray(ints, np.int64)
        q = self._make(ints, scale, zp, dtype)
        lines = self._start(name, "make_per_tensor")
        lines += [field("dtype", [dtype]), field("shape", [str(d) for d in ints.shape]),
                  field("input_int", [str(int(v)) for v in ints.reshape(-1)]),
                  field("scale", [hexf(scale)]), field("zero_point", [str(zp)])]
        self.records.append(lines + self._expect(name, q))
        return q

    def view(self, name, base, data, scale, zp, dtype, ops):
        """base: 'quantize_per_tensor' (data: float32) or 'make_per_tensor'
        (data: integers). ops: tuples such as ("slice", 1, 0, None, 2)."""
        if base == "quantize_per_tensor":
            x = np.asarray(data, np.float32)
            assert np.all(np.isfinite(x)), name
            q = torch.quantize_per_tensor(torch.from_numpy(x.copy()), scale, zp,
                                          TORCH_QDTYPE[dtype])
            want, prod = formula_quantize(x, scale, zp, dtype)
            check_exact_domain_quantize(prod, zp, dtype, name)
            assert_same_ints(q.int_repr().numpy(), want, name + " quantize")
            shape = x.shape
            inputs = [field("input_float", [hexf(v) for v in x.reshape(-1)])]
        else:
            assert base == "make_per_tensor"
            ints = np.asarray(data, np.int64)
            q = self._make(ints, scale, zp, dtype)
            shape = ints.shape
            inputs = [field("input_int", [str(int(v)) for v in ints.reshape(-1)])]
        base_ints = q.int_repr().numpy()
        base_deq = q.dequantize().numpy()
        r = q
        n_ints, n_deq = base_ints, base_deq
        for op in ops:
            r = apply_op_torch(r, op)
            n_ints, n_deq = apply_op_numpy(n_ints, op), apply_op_numpy(n_deq, op)
        assert r.qscheme() == torch.per_tensor_affine
        assert r.q_scale() == q.q_scale() and r.q_zero_point() == q.q_zero_point(), name
        assert tuple(r.shape) == n_ints.shape, (name, r.shape, n_ints.shape)
        assert_same_ints(r.int_repr().reshape(-1).numpy(), n_ints, name + " view int_repr")
        # The view invariant: a view dequantizes as its base does.
        assert_same_floats(r.dequantize().reshape(-1).numpy(), n_deq, name + " view dequantize")
        lines = self._start(name, "view")
        lines += [field("base", [base]), field("dtype", [dtype]),
                  field("shape", [str(d) for d in shape])] + inputs
        lines += [field("scale", [hexf(scale)]), field("zero_point", [str(zp)])]
        lines += [op_tokens(op) for op in ops]
        self.records.append(lines + self._expect(name, r))
        return r

    def copy(self, name, dst_ints, dst_scale, dst_zp, src_ints, src_scale, src_zp, dtype):
        dst_ints = np.asarray(dst_ints, np.int64)
        src_ints = np.asarray(src_ints, np.int64)
        assert dst_ints.shape == src_ints.shape
        dst = self._make(dst_ints, dst_scale, dst_zp, dtype)
        src = self._make(src_ints, src_scale, src_zp, dtype)
        dst.copy_(src)
        # A whole contiguous destination takes src's integers and quantizer.
        assert_same_ints(dst.int_repr().numpy(), src_ints, name + " copy int_repr")
        assert dst.q_scale() == src_scale and dst.q_zero_point() == src_zp, name
        lines = self._start(name, "copy")
        lines += [field("dtype", [dtype]), field("shape", [str(d) for d in dst_ints.shape]),
                  field("input_int", [str(int(v)) for v in dst_ints.reshape(-1)]),
                  field("scale", [hexf(dst_scale)]), field("zero_point", [str(dst_zp)]),
                  field("src_input_int", [str(int(v)) for v in src_ints.reshape(-1)]),
                  field("src_scale", [hexf(src_scale)]),
                  field("src_zero_point", [str(src_zp)])]
        self.records.append(lines + self._expect(name, dst))
        return dst

    def write(self, path):
        with open(path, "w", encoding="ascii", newline="\n") as out:
            out.write("# Generated by make_golden.py with torch %s; do not edit.\n"
                      % torch.__version__)
            out.write("# Format: see the docstring of make_golden.py.\n")
            out.write("# %d cases: %s\n" % (len(self.records), ", ".join(
                "%s %d" % (k, self.kinds[k]) for k in sorted(self.kinds))))
            for lines in self.records:
                for line in lines:
                    out.write(line + "\n")


# ----------------------------------------------------------------- cases


def shape_name(shape):
    return "x".join(str(d) for d in shape) if shape else "scalar"


def add_seed_notebook_cases(g):
    """The examples of the seed notebook (PyTorch's "Introducing Quantized Tensor"),
    with its parameters."""
    x = torch.randn(2, 2, 3, generator=generator("seed_notebook")).numpy()
    g.quantize_per_tensor("seed_quantize_per_tensor_qint32", x, 1e-4, 2, "qint32")
    # The notebook's scales: a float32 tensor, so 0.1f, 0.01f, 0.001f.
    g.quantize_per_channel("seed_quantize_per_channel_qint32", x,
                           torch.tensor([1e-1, 1e-2, 1e-3]), [-1, 0, 1], 2, "qint32")
    ints = torch.randint(0, 100, size=(10,), dtype=torch.uint8,
                         generator=generator("seed_make")).numpy()
    g.make_per_tensor("seed_make_per_tensor_quint8", ints, 1e-4, 2, "quint8")
    # The integers the notebook showed, and its indexing q[2], q[0].
    shown = [66, 95, 39, 25, 1, 71, 94, 43, 13, 48]
    g.make_per_tensor("seed_make_per_tensor_quint8_shown", shown, 1e-4, 2, "quint8")
    g.view("seed_index_2", "make_per_tensor", shown, 1e-4, 2, "quint8", [("select", 0, 2)])
    g.view("seed_index_0", "make_per_tensor", shown, 1e-4, 2, "quint8", [("select", 0, 0)])
    # The copy: q2 (scale 1, zp -1) takes q1 (scale 0.1, zp 0) with the
    # integers the notebook showed; qtensor's empty tensors are zeros.
    q1 = [[-16, 40, 70], [33, 66, 86]]
    g.copy("seed_copy_qint8", np.zeros((2, 3), np.int64), 1.0, -1, q1, 0.1, 0, "qint8")
    g.view("seed_transpose", "make_per_tensor", q1, 0.1, 0, "qint8", [("transpose", 0, 1)])
    g.view("seed_permute", "make_per_tensor", q1, 0.1, 0, "qint8", [("permute", 1, 0)])
    g.view("seed_contiguous", "make_per_tensor", q1, 0.1, 0, "qint8", [("contiguous",)])
    g.view("seed_transpose_contiguous", "make_per_tensor", q1, 0.1, 0, "qint8",
           [("transpose", 0, 1), ("contiguous",)])


SHAPES = [(1, 7, 3), (5, 1), (3, 5, 2, 4), (), (1,), (0,), (3, 0), (2000,), (40, 30)]


def add_quantize_per_tensor_cases(g):
    for dtype in DTYPES:
        scale, zp = DEFAULT_QPARAMS[dtype]
        for shape in SHAPES:
            name = "qpt_%s_%s" % (dtype, shape_name(shape))
            g.quantize_per_tensor(name, quantized_range_data(name, shape, dtype, scale, zp, 20),
                                  scale, zp, dtype)

        # Tiny and huge scales.
        for scale in (1e-10, 1e-30, 1e5, 1e10):
            zp = {"qint8": 5, "quint8": 100, "qint32": -11}[dtype]
            name = "qpt_%s_scale_%s" % (dtype, ("%g" % scale).replace("+", ""))
            g.quantize_per_tensor(name, quantized_range_data(name, (4, 6), dtype, scale, zp, 10),
                                  scale, zp, dtype)

        # Scales that float32 cannot hold exactly, and one with 1/(float)s
        # different from (float)(1/s).
        for i, scale in enumerate((0.1, 1.0 / 3.0, 0.0123456789012345, 3.14159, 7e-3)):
            zp = {"qint8": -1, "quint8": 17, "qint32": 3}[dtype]
            name = "qpt_%s_inexact_scale_%d" % (dtype, i)
            g.quantize_per_tensor(name, quantized_range_data(name, (3, 7), dtype, scale, zp, 3),
                                  scale, zp, dtype)

        # Ties: x / scale exactly k + 0.5 (powers of two), both parities of
        # k and of zp, both signs.
        lo, hi = QRANGE[dtype]
        for scale in (0.5, 0.25, 2.0, 0.125):
            for zp in ({"qint8": (0, 1, -7), "quint8": (0, 1, 128), "qint32": (0, -3, 1000)}[dtype]):
                if dtype == "qint32":
                    ks = list(range(-40, 40)) + [2**22, -(2**22), 123456, -654321]
                else:
                    ks = list(range(lo - zp - 3, hi - zp + 3))
                x = f32([(k + 0.5) * scale for k in ks])
                name = "qpt_%s_ties_scale_%s_zp_%d" % (dtype, ("%g" % scale), zp)
                g.quantize_per_tensor(name, x, scale, zp, dtype)
        # Ties in float32 arithmetic with a scale that is not a power of two:
        # x * (1.0f / 0.1f) = x * 10.0f, often exactly k + 0.5 after rounding.
        ks = list(range(-20, 21))
        x = f32([(k + 0.5) / 10.0 for k in ks])
        g.quantize_per_tensor("qpt_%s_ties_scale_0.1" % dtype, x, 0.1,
                              {"qint8": 0, "quint8": 50, "qint32": 0}[dtype], dtype)

        # The multiply-by-reciprocal rule: with s = 0.00214854861f and
        # x = 0.273939937f, x * (1/s) is 127.5 but x / s is 127.49999.
        s = float(np.float32(0.00214854861))
        x = np.float32(0.273939937)
        near = np.array([x, -x, np.nextafter(x, np.float32(0)), np.nextafter(x, np.float32(1)),
                         np.float32(0.5) * x, np.float32(0.001)], np.float32)
        zp = {"qint8": -1, "quint8": 0, "qint32": 0}[dtype]
        g.quantize_per_tensor("qpt_%s_reciprocal_product" % dtype, near, s, zp, dtype)

        # Saturation: far beyond the range on both sides, and the edges.
        # (qint32: zero point 0, else PyTorch's int32 q - zp overflows.)
        for scale, zp in ((0.1, {"qint8": 3, "quint8": 200, "qint32": 0}[dtype]),
                          (1.0, {"qint8": -100, "quint8": 1, "qint32": 0}[dtype])):
            if dtype == "qint32":
                # Past 2^33 steps: PyTorch's float32 rounding of zp + q
                # cannot matter any more (and no int64 overflow below 2^62).
                steps = [1e10, 1e11, 1e12, 1e15, 1e18, 3e18]
                edge = [100.5, -100.5, 0.0]
            else:
                steps = [1e3, 1e4, 1e6, 1e8, 1e9, 2e9]
                edge = [hi - zp + d for d in (-1.0, -0.5, 0.0, 0.49, 0.5, 0.51, 1.0, 1.5)] + \
                       [lo - zp + d for d in (1.0, 0.5, 0.0, -0.49, -0.5, -0.51, -1.0, -1.5)]
            steps_all = steps + [-v for v in steps] + edge
            x = f32([v * scale for v in steps_all])
            name = "qpt_%s_saturation_scale_%g" % (dtype, scale)
            g.quantize_per_tensor(name, x, scale, zp, dtype)

        # Extreme zero points.
        zps = {"qint8": (-128, 127), "quint8": (0, 255), "qint32": (-1000000, 1000000)}[dtype]
        for zp in zps:
            name = "qpt_%s_zp_%d" % (dtype, zp)
            g.quantize_per_tensor(name, quantized_range_data(name, (2, 9), dtype, 0.03, zp, 5),
                                  0.03, zp, dtype)

        # Signed zeros, subnormal and tiny normal inputs.
        x = f32([0.0, -0.0, 1e-45, -1e-45, 1e-40, -1e-40, 1.17549435e-38, -1.17549435e-38,
                 1e-30, -1e-30, 3e-30, -2.5e-30])
        for scale in (1.0, 1e-30):
            zp = {"qint8": 9, "quint8": 9, "qint32": 9}[dtype]
            g.quantize_per_tensor("qpt_%s_small_inputs_scale_%g" % (dtype, scale), x, scale,
                                  zp, dtype)

    # Printing in scientific notation: wide dynamic range, huge and tiny.
    name = "qpt_qint32_sci_wide_range"
    x = f32([1e-4, 2.5e-3, 0.5, 12.0, 345.6, 500.0, -0.0003, -499.9])
    g.quantize_per_tensor(name, x, 1e-4, 2, "qint32")
    g.quantize_per_tensor("qpt_qint8_sci_huge", f32([1e7, -5e8, 1.2e9, 0.0, 3e6]), 1e7, 0,
                          "qint8")
    g.quantize_per_tensor("qpt_quint8_sci_tiny", f32([1e-6, 5e-6, 2.4e-5, 0.0]), 1e-7, 3,
                          "quint8")
    g.quantize_per_tensor("qpt_qint32_sci_large_values",
                          f32([1e5, 2e6, -3.5e6, 4e6, 1.0]), 1.0, 0, "qint32")


def add_quantize_per_channel_cases(g):
    for dtype in DTYPES:
        lo, hi = QRANGE[dtype]
        zp_pool = {"qint8": (-128, -7, 0, 3, 127), "quint8": (0, 1, 77, 128, 255),
                   "qint32": (-1000, -1, 0, 5, 100000)}[dtype]
        scale_pool = (0.1, 0.02, 0.5, 1.0 / 3.0, 0.00731, 2.0, 0.25)

        def params(count, salt):
            scales = [scale_pool[(i + salt) % len(scale_pool)] for i in range(count)]
            zps = [zp_pool[(i * 3 + salt) % len(zp_pool)] for i in range(count)]
            return scales, zps

        def data(name, shape, axis, scales, zps, margin=10):
            """Per channel, covers that channel's range plus a margin."""
            x = np.empty(shape, np.float32)
            for c in range(shape[axis]):
                idx = (slice(None),) * axis + (c,)
                x[idx] = quantized_range_data(name, x[idx].shape, dtype, scales[c], zps[c],
                                              margin, salt=str(c))
            return x

        cases = [((1, 7, 3), (0, 1, 2)), ((5, 1), (0, 1)), ((3, 5, 2, 4), (0, 1, 2, 3)),
                 ((6,), (0,)), ((2, 3, 1, 1), (1,))]
        for shape, axes in cases:
            for axis in axes:
                scales, zps = params(shape[axis], axis + len(shape))
                name = "qpc_%s_%s_axis_%d" % (dtype, shape_name(shape), axis)
                g.quantize_per_channel(name, data(name, shape, axis, scales, zps), scales, zps,
                                       axis, dtype)
        large = [((40, 30), 0), ((40, 30), 1)]
        if dtype == "qint8":
            large.append(((2000,), 0))  # 2000 channels (once: the file stays small)
        for shape, axis in large:
            scales, zps = params(shape[axis], 1)
            name = "qpc_%s_%s_axis_%d" % (dtype, shape_name(shape), axis)
            g.quantize_per_channel(name, data(name, shape, axis, scales, zps), scales, zps,
                                   axis, dtype)

        # Tiny and huge scales side by side.
        scales = [1e-30, 1e-10, 1e5, 1e10]
        zps = [zp_pool[i] for i in range(4)]
        name = "qpc_%s_tiny_huge_scales" % dtype
        g.quantize_per_channel(name, data(name, (3, 4), 1, scales, zps), scales, zps, 1, dtype)

        # Ties per channel.
        scales = [0.5, 0.25, 2.0, 0.125]
        zps = {"qint8": [0, 1, -7, 3], "quint8": [0, 1, 128, 255],
               "qint32": [0, -3, 1000, 1]}[dtype]
        ks = list(range(-8, 8)) if dtype == "qint32" else list(range(-140, 140, 9))
        x = np.array([[(k + 0.5) * s for k in ks] for s in scales], np.float64).astype(np.float32)
        g.quantize_per_channel("qpc_%s_ties" % dtype, x, scales, zps, 0, dtype)
        x = np.array([[(k + 0.5) / 10.0 for k in range(-20, 21)]] * 2).astype(np.float32)
        g.quantize_per_channel("qpc_%s_ties_scale_0.1" % dtype, x.T.copy(), [0.1, 0.1],
                               [zp_pool[2], zp_pool[3]], 1, dtype)

        # Saturation per channel (qint32: far past 2^33 steps).
        steps = [1e10, 1e12, 1e15] if dtype == "qint32" else [1e3, 1e6, 1e9]
        steps = steps + [-v for v in steps] + [0.5, -0.5, 1.5]
        scales = [0.1, 1.0, 3e-3]
        zps = [0, 0, 0] if dtype == "qint32" else [zp_pool[1], zp_pool[2], zp_pool[3]]
        x = np.array([[v * s for s in scales] for v in steps], np.float64).astype(np.float32)
        g.quantize_per_channel("qpc_%s_saturation" % dtype, x, scales, zps, 1, dtype)

        # Empty tensors, with and without channels.
        g.quantize_per_channel("qpc_%s_3x0_axis_0" % dtype, np.zeros((3, 0), np.float32),
                               [0.1, 0.2, 0.3], [zp_pool[0], zp_pool[1], zp_pool[4]], 0, dtype)
        g.quantize_per_channel("qpc_%s_3x0_axis_1" % dtype, np.zeros((3, 0), np.float32),
                               np.zeros(0, np.float64), [], 1, dtype)
        g.quantize_per_channel("qpc_%s_0_axis_0" % dtype, np.zeros((0,), np.float32),
                               np.zeros(0, np.float64), [], 0, dtype)

    # The seed notebook's parameters on other dtypes (float32 scales).
    x = torch.randn(2, 2, 3, generator=generator("seed_notebook")).numpy()
    g.quantize_per_channel("qpc_qint8_seed_params", x, torch.tensor([1e-1, 1e-2, 1e-3]),
                           [-1, 0, 1], 2, "qint8")
    g.quantize_per_channel("qpc_quint8_seed_params", x, torch.tensor([1e-1, 1e-2, 1e-3]),
                           [127, 128, 129], 2, "quint8")


def add_make_per_tensor_cases(g):
    # Every 8-bit value.
    g.make_per_tensor("make_qint8_all_values", np.arange(-128, 128).reshape(16, 16), 0.1, -3,
                      "qint8")
    g.make_per_tensor("make_quint8_all_values", np.arange(0, 256).reshape(4, 64), 1.0 / 3.0,
                      255, "quint8")
    g.make_per_tensor("make_qint8_all_values_zp_127", np.arange(-128, 128), 0.007, 127, "qint8")
    # int32 values past 2^24 (PyTorch converts the exact int32 q - zp).
    big = [2**31 - 1, -(2**31) + 10, 2**24 + 1, 2**24 + 3, -(2**24) - 1, 123456789,
           -987654321, 2**30 + 1, 0, 1, -1, 7]
    g.make_per_tensor("make_qint32_large_zp_0", big, 1.0, 0, "qint32")
    g.make_per_tensor("make_qint32_large_zp_7", big, 1e-3, 7, "qint32")
    g.make_per_tensor("make_qint32_large_zp_neg", [v for v in big if v < 2**31 - 9] +
                      [2**31 - 10], 0.37, -9, "qint32")
    g.make_per_tensor("make_qint32_large_scale_1e10", big, 1e10, 3, "qint32")
    for dtype in DTYPES:
        lo, hi = QRANGE[dtype]
        lo, hi = max(lo, -100000), min(hi, 100000)
        scale, zp = {"qint8": (0.05, 4), "quint8": (0.0123, 99), "qint32": (2.5e-5, -77)}[dtype]
        for shape in SHAPES:
            name = "make_%s_%s" % (dtype, shape_name(shape))
            g.make_per_tensor(name, rand_ints(name, shape, lo, hi), scale, zp, dtype)
        for scale in (1e-30, 1e-10, 1e5, 1e10):
            name = "make_%s_scale_%s" % (dtype, ("%g" % scale).replace("+", ""))
            g.make_per_tensor(name, rand_ints(name, (3, 4), lo, hi), scale, zp, dtype)


def add_view_cases(g):
    chains = [
        ("select_neg", [("select", 0, -1)]),
        ("select_neg_dim", [("select", -1, -2)]),
        ("select_twice", [("select", 1, 3), ("select", 0, -1)]),
        ("select_to_scalar", [("select", 0, 1), ("select", 0, 2), ("select", 0, 1),
                              ("select", 0, 3)]),
        ("slice_step", [("slice", 1, 0, 5, 2)]),
        ("slice_open_step", [("slice", 0, None, None, 2)]),
        ("slice_neg_start", [("slice", 2, -1, None, 1)]),
        ("slice_clamped", [("slice", 1, -100, 100, 3)]),
        ("slice_step_past_end", [("slice", 3, 1, None, 7)]),
        ("slice_empty", [("slice", 1, 4, 1, 1)]),
        ("slice_empty_contiguous", [("slice", 1, 4, 1, 1), ("contiguous",)]),
        ("narrow", [("narrow", 0, 1, 2)]),
        ("narrow_neg", [("narrow", -1, -3, 2)]),
        ("narrow_empty", [("narrow", 1, 2, 0)]),
        ("transpose", [("transpose", 0, 1)]),
        ("transpose_neg_contiguous", [("transpose", -1, 0), ("contiguous",)]),
        ("permute", [("permute", 2, 0, 1, 3)]),
        ("permute_contiguous", [("permute", 3, 1, 0, 2), ("contiguous",)]),
        ("permute_neg", [("permute", -1, 0, -2, 1)]),
        ("contiguous_noop", [("contiguous",)]),
        ("chain", [("slice", 1, 1, None, 2), ("transpose", 0, 2), ("select", -1, 1),
                   ("narrow", 0, 0, 1), ("contiguous",)]),
        ("chain_strided_transpose", [("slice", 3, None, None, 3), ("permute", 3, 2, 1, 0),
                                     ("select", 2, -2), ("slice", 0, 1, None, 1)]),
        ("contiguous_then_views", [("transpose", 1, 2), ("contiguous",), ("select", 0, 2),
                                   ("slice", 0, None, None, 2), ("transpose", 0, 1)]),
    ]
    for dtype in DTYPES:
        scale, zp = DEFAULT_QPARAMS[dtype]
        shape = (3, 5, 2, 4)
        name = "view_%s_base" % dtype
        x = quantized_range_data(name, shape, dtype, scale, zp, 5)
        for chain_name, ops in chains:
            g.view("view_%s_%s" % (dtype, chain_name), "quantize_per_tensor", x, scale, zp,
                   dtype, ops)
        lo, hi = QRANGE[dtype]
        lo, hi = max(lo, -100000), min(hi, 100000)
        ints = rand_ints(name, (4, 6), lo, hi, salt="ints")
        mscale, mzp = {"qint8": (1e-3, -2), "quint8": (7.5, 30), "qint32": (1e-5, 12)}[dtype]
        for chain_name, ops in (("make_select", [("select", 1, -1)]),
                                ("make_slice_transpose", [("slice", 1, 1, None, 2),
                                                          ("transpose", 0, 1)]),
                                ("make_narrow_contiguous", [("narrow", 1, 1, 4),
                                                            ("transpose", 1, 0),
                                                            ("contiguous",)])):
            g.view("view_%s_%s" % (dtype, chain_name), "make_per_tensor", ints, mscale, mzp,
                   dtype, ops)
        # Large: summarised printing of strided and transposed views.
        name = "view_%s_large_base" % dtype
        x = quantized_range_data(name, (40, 30), dtype, scale, zp, 5)
        g.view("view_%s_large_transpose" % dtype, "quantize_per_tensor", x, scale, zp, dtype,
               [("transpose", 0, 1)])
        g.view("view_%s_large_strided" % dtype, "quantize_per_tensor", x, scale, zp, dtype,
               [("slice", 0, 1, None, 3), ("slice", 1, None, -2, 1), ("contiguous",)])
        g.view("view_%s_0dim_contiguous" % dtype, "make_per_tensor",
               np.array(min(hi, 42), np.int64), 0.5, 0, dtype, [("contiguous",)])
        g.view("view_%s_empty_transpose" % dtype, "make_per_tensor",
               np.zeros((3, 0), np.int64), 0.5, 1, dtype, [("transpose", 0, 1)])


def add_copy_cases(g):
    src = rand_ints("copy_quint8", (5,), 0, 255)
    g.copy("copy_quint8", np.zeros(5, np.int64), 0.5, 3, src, 1e-4, 200, "quint8")
    src = rand_ints("copy_qint32", (2, 2, 3), -100000, 100000)
    g.copy("copy_qint32", np.zeros((2, 2, 3), np.int64), 1.0, 0, src, 2.5e-6, -17, "qint32")
    g.copy("copy_qint8_scalar", np.array(0, np.int64), 1.0, 0, np.array(-77, np.int64), 1e10,
           5, "qint8")


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s OUTPUT_PATH\n" % argv[0])
        return 2
    torch.set_num_threads(1)
    g = Golden()
    add_seed_notebook_cases(g)
    add_quantize_per_tensor_cases(g)
    add_quantize_per_channel_cases(g)
    add_make_per_tensor_cases(g)
    add_view_cases(g)
    add_copy_cases(g)
    g.write(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

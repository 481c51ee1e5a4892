"""The operators section of docs/performance.md (issue 13): qtensor's
elementwise operators, requantize, cat and observers at 16 Mi elements and
one thread, against a memcpy of the same bytes measured in the same run
(tests/bench/bench_ops.cc) and against PyTorch 1.13's same operators.

PyTorch is timed in a child process (`compare_ops.py --torch-json PATH`)
with one thread and LRU_CACHE_CAPACITY=1 set before torch loads, so the
setting cannot change the other sections' PyTorch figures.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

N = 16 << 20
DTYPES = ("qint8", "quint8", "qint32")
ZERO_POINTS = {"qint8": 3, "quint8": 128, "qint32": 3}  # of the inputs, as bench_ops.cc
UNARY = ("relu", "relu6", "clamp", "leaky_relu", "hardswish", "sigmoid", "tanh", "requantize")
BINARY = ("add", "add_relu", "mul", "mul_relu")
CATS = ("cat_dim0", "cat_dim1")
OBSERVERS = ("min_max", "moving_average_min_max", "per_channel_min_max")
MEMCPY_TARGET = 0.8
OBSERVER_TARGET = 0.5
FRESH_LIMIT = 1.15


def op_case(op, dtype):
    return f"op/{op}/{dtype}/{N}"


def observer_case(kind):
    return f"observer/{kind}/float/{N}"


# ------------------------------------------------------------------ PyTorch (child)

def torch_functions(torch, test_floats):
    """{case: zero-argument callable} doing what bench_ops.cc's case does."""
    F = torch.nn.functional
    tdtype = {"qint8": torch.qint8, "quint8": torch.quint8, "qint32": torch.qint32}
    x = torch.from_numpy(test_floats(N))
    half = torch.from_numpy(test_floats(N // 2)).reshape(4096, N // 2 // 4096)
    calls = {}
    for dtype in DTYPES:
        d, zp = tdtype[dtype], ZERO_POINTS[dtype]
        q = torch.quantize_per_tensor(x, 0.05, zp, d)
        q2 = torch.quantize_per_tensor(x, 0.03, zp, d)
        unary = {
            "relu": lambda q=q: torch.relu(q),
            "relu6": lambda q=q: F.relu6(q),
            "clamp": lambda q=q: torch.clamp(q, -1.0, 1.0),
            "leaky_relu": lambda q=q: F.leaky_relu(q, 0.01),
            "hardswish": lambda q=q, zp=zp: torch.ops.quantized.hardswish(q, 0.04, zp),
            "sigmoid": lambda q=q: torch.sigmoid(q),
            "tanh": lambda q=q: torch.tanh(q),
            "requantize": lambda q=q, zp=zp, d=d: torch.quantize_per_tensor(
                q.dequantize(), 0.07, zp - 1, d),
        }
        binary = {
            "add": lambda a=q, b=q2, zp=zp: torch.ops.quantized.add(a, b, 0.1, zp),
            "add_relu": lambda a=q, b=q2, zp=zp: torch.ops.quantized.add_relu(a, b, 0.1, zp),
            "mul": lambda a=q, b=q2, zp=zp: torch.ops.quantized.mul(a, b, 0.5, zp),
            "mul_relu": lambda a=q, b=q2, zp=zp: torch.ops.quantized.mul_relu(a, b, 0.5, zp),
        }
        qh = torch.quantize_per_tensor(half, 0.05, zp, d)
        cats = {f"cat_dim{dim}": (lambda a=qh, dim=dim: torch.cat([a, a], dim)) for dim in (0, 1)}
        for op, fn in {**unary, **binary, **cats}.items():
            calls[op_case(op, dtype)] = fn
    xs = x.reshape(64, N // 64)
    obs = torch.ao.quantization
    observers = {"min_max": obs.MinMaxObserver(),
                 "moving_average_min_max": obs.MovingAverageMinMaxObserver(),
                 "per_channel_min_max": obs.PerChannelMinMaxObserver(ch_axis=0)}
    for kind, observer in observers.items():
        calls[observer_case(kind)] = lambda o=observer: o(xs)
    return calls


def torch_child(path, min_time, repetitions):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch
    from compare import best_rate, test_floats
    torch.set_num_threads(1)
    rates, errors = {}, {}
    for case, fn in torch_functions(torch, test_floats).items():
        try:
            rates[case] = best_rate(fn, N, min_time, repetitions)
        except Exception as e:  # an operator PyTorch does not have for this dtype
            errors[case] = f"{type(e).__name__}: {str(e).splitlines()[0][:120]}"
    with open(path, "w") as f:
        json.dump({"rates": rates, "errors": errors, "version": torch.__version__}, f)


def torch_rates(min_time, repetitions):
    """(rates, errors, note) from a child process; empty with a note if PyTorch fails."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    env = dict(os.environ, LRU_CACHE_CAPACITY="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    cmd = [sys.executable, os.path.abspath(__file__), "--torch-json", path,
           "--min-time", str(min_time), "--repetitions", str(repetitions)]
    try:
        subprocess.run(cmd, check=True, env=env)
        with open(path) as f:
            data = json.load(f)
    except (subprocess.CalledProcessError, OSError, ValueError) as e:
        return {}, {}, f"PyTorch not measured ({e})"
    finally:
        if os.path.exists(path):
            os.unlink(path)
    return data["rates"], data["errors"], (f"PyTorch {data['version']}, "
                                           "torch.set_num_threads(1), LRU_CACHE_CAPACITY=1")


# ------------------------------------------------------------------ report

def _items(ours, case, impl):
    return ours.get(case, {}).get(impl, {}).get("items", 0.0)


def _fmt(rate):
    return f"{rate / 1e9:.3f}" if rate else "—"


def _paired(ours, case):
    pair = ours.get(case, {}).get("fresh_paired", {})
    return pair["fresh_best"] / pair["existing_best"] if "fresh_best" in pair else 0.0


def ops_section(ours, torch_r, torch_errors, torch_note, when):
    """The section's lines, from '## Operators' on."""
    lines = []
    add = lines.append
    add("## Operators (issue 13)")
    add("")
    add(f"Measured {when}; {torch_note}. Inputs: 16 Mi elements of the benchmark data "
        "quantized per tensor (scale 0.05; binary ops' second input 0.03; zero point 3, or 128 "
        "for quint8); outputs as in tests/bench/bench_ops.cc. Rates are G elements/s at one "
        "thread. **qtensor** makes a new result each call (as the C ABI's operators do), "
        "**existing** writes into an existing tensor; **memcpy** copies the same bytes "
        "(inputs read + output written, halved) in the same run; **vs memcpy** is qtensor's "
        f"rate over memcpy's (target >= {MEMCPY_TARGET:.0%}); **vs PyTorch** is qtensor's rate "
        "over PyTorch's (target > 1, where PyTorch has the operator for the dtype); **fresh** "
        "is the fastest fresh call over the fastest existing call, made in pairs one right "
        f"after the other (target <= {FRESH_LIMIT}x). Each figure is the best of the "
        "repetitions; on this VM a memcpy's rate moves by up to 2x from one moment to the next, "
        "so the ratios are what to read.")
    add("")
    add("| case | qtensor | existing | memcpy | vs memcpy | PyTorch | vs PyTorch | fresh | holds |")
    add("|---|---|---|---|---|---|---|---|---|")
    misses = []
    for op in UNARY + BINARY + CATS:
        for dtype in DTYPES:
            case = op_case(op, dtype)
            q, e = _items(ours, case, "qtensor"), _items(ours, case, "existing")
            mem = _items(ours, case, "memcpy")
            if not q:
                continue
            t = torch_r.get(case, 0.0)
            fresh = _paired(ours, case)
            vs_mem = q / mem if mem else 0.0
            checks = [vs_mem >= MEMCPY_TARGET, not fresh or fresh <= FRESH_LIMIT]
            if t and not op.startswith("cat"):
                checks.append(q > t)
            holds = all(checks)
            if not holds:
                misses.append(f"{op} {dtype}")
            vs_torch = f"{q / t:.2f}x" if t else ("—" if case not in torch_errors else "n/a")
            add(f"| {op} {dtype} | {_fmt(q)} | {_fmt(e)} | {_fmt(mem)} | {vs_mem:.0%} | "
                f"{_fmt(t)} | {vs_torch} | {f'{fresh:.2f}x' if fresh else '—'} | "
                f"{'yes' if holds else '**no**'} |")
    add("")
    add("`cat` joins two [4096, 2048] tensors of one quantizer along dim 0 or 1 (its target is "
        "memcpy's rate only). **n/a**: PyTorch 1.13 has no such kernel for the dtype "
        "(it raised the error below).")
    add("")
    add(f"Observers: one `forward` of 16 Mi float32 values as [64, 256 Ki] (per channel: "
        "axis 0) against a memcpy of the same 64 MiB (which reads them and writes as many); "
        f"target >= {OBSERVER_TARGET:.0%}.")
    add("")
    add("| observer | qtensor | memcpy | vs memcpy | PyTorch | vs PyTorch | holds |")
    add("|---|---|---|---|---|---|---|")
    for kind in OBSERVERS:
        case = observer_case(kind)
        q, mem, t = _items(ours, case, "qtensor"), _items(ours, case, "memcpy"), torch_r.get(case, 0.0)
        if not q:
            continue
        holds = mem and q / mem >= OBSERVER_TARGET
        if not holds:
            misses.append(kind)
        add(f"| {kind} | {_fmt(q)} | {_fmt(mem)} | {q / mem:.0%} | {_fmt(t)} | "
            f"{f'{q / t:.2f}x' if t else '—'} | {'yes' if holds else '**no**'} |")
    add("")
    if torch_errors:
        add("PyTorch errors (no figure):")
        add("")
        for case, error in sorted(torch_errors.items()):
            add(f"- `{case}`: {error}")
        add("")
    add(f"Cases short of a target: {', '.join(misses) if misses else 'none'}.")
    add("")
    return lines


def replace_section(text, section_lines):
    """text with its '## Operators (issue 13)' section (up to the next '## ')
    replaced by section_lines, or those appended."""
    lines = text.rstrip("\n").split("\n")
    start = next((i for i, l in enumerate(lines) if l.startswith("## Operators (issue 13)")), None)
    if start is None:
        return "\n".join(lines + [""] + section_lines) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[:start] + section_lines + lines[end:]) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-json", required=True)
    parser.add_argument("--min-time", type=float, default=0.02)
    parser.add_argument("--repetitions", type=int, default=20)
    args = parser.parse_args()
    torch_child(args.torch_json, args.min_time, args.repetitions)

"""The linear and conv2d section of docs/performance.md (issue 15): qtensor's
quantized linear and conv2d (tests/bench/bench_gemm.cc) at one thread and
two, in GOPS (2 operations per multiply-add), against PyTorch 1.13's onednn
engine as it runs here (AMX where the CPU has it), onednn capped to AVX-512
VNNI (ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI, what a CPU without AMX such as
the checking machine's runs) and qnnpack, each in the same run.

    /usr/bin/python3 tests/bench/compare_gemm.py --build build

rewrites only that section of docs/performance.md. PyTorch runs in child
processes (`compare_gemm.py --torch-json PATH --engine E --threads T`) so
each engine setting applies before torch loads.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import best_rate, machine, run_benchmarks  # noqa: E402

LINEAR = [(1, 4096, 4096), (16, 4096, 4096), (128, 768, 3072), (1024, 1024, 1024)]
# name: (channels, size, out_channels, kernel, stride, groups), as bench_gemm.cc.
CONV = {
    "resnet3x3_56": (64, 56, 64, 3, 1, 1), "resnet3x3_28": (128, 28, 128, 3, 1, 1),
    "resnet3x3_14": (256, 14, 256, 3, 1, 1), "resnet3x3_7": (512, 7, 512, 3, 1, 1),
    "resnet1x1_56to28": (64, 56, 128, 1, 2, 1), "resnet1x1_28to14": (128, 28, 256, 1, 2, 1),
    "resnet1x1_14to7": (256, 14, 512, 1, 2, 1), "mobilenet_dw_112": (32, 112, 32, 3, 1, 32),
    "mobilenet_dw_56": (128, 56, 128, 3, 1, 128)}
ENGINES = {"onednn": ("onednn", {}),
           "onednn_vnni": ("onednn", {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE_VNNI"}),
           "qnnpack": ("qnnpack", {})}
THREADS = (1, 2)
# AVX2 only, one thread: qtensor with QTENSOR_MAX_SIMD_TARGET=AVX2 against
# onednn capped the same way (qnnpack uses no wider vectors than that).
AVX2_ENGINES = {"onednn_avx2": ("onednn", {"ONEDNN_MAX_CPU_ISA": "AVX2"})}
SECTION = "## Linear and conv2d (issue 15)"


def linear_case(s, family="linear"):
    return f"gemm/{family}/%dx%dx%d" % s


def conv_case(name):
    return "gemm/conv/" + name


def conv_ops(c):
    channels, size, out_channels, kernel, stride, groups = c
    out = (size + 2 * (kernel // 2) - kernel) // stride + 1
    return 2 * out_channels * out * out * channels // groups * kernel * kernel


# ------------------------------------------------------------------ PyTorch (child)

def torch_child(path, engine, threads, min_time, repetitions):
    import torch
    torch.set_num_threads(threads)
    torch.backends.quantized.engine = engine
    gen = torch.Generator().manual_seed(0)
    rates, errors = {}, {}

    def measure(case, fn, ops):
        try:
            rates[case] = best_rate(fn, ops, min_time, repetitions)
        except Exception as e:  # noqa: BLE001 - an engine that lacks the case
            errors[case] = f"{type(e).__name__}: {str(e).splitlines()[0][:100]}"

    for m, k, n in LINEAR:
        x = torch.quantize_per_tensor(torch.rand(m, k, generator=gen) * 16 - 8, 16 / 255, 128,
                                      torch.quint8)
        w = torch.quantize_per_channel(torch.randn(n, k, generator=gen),
                                       torch.full((n,), 0.0625, dtype=torch.double),
                                       torch.zeros(n, dtype=torch.long), 0, torch.qint8)
        packed = torch.ops.quantized.linear_prepack(w, torch.full((n,), 0.25))
        measure(linear_case((m, k, n)),
                lambda x=x, p=packed: torch.ops.quantized.linear(x, p, 0.5, 128), 2 * m * k * n)
        # 7-bit activations (0..127), as bench_gemm.cc's gemm/linear7.
        x7 = torch.quantize_per_tensor(torch.rand(m, k, generator=gen) * 16 - 8, 16 / 127, 64,
                                       torch.quint8)
        measure(linear_case((m, k, n), "linear7"),
                lambda x=x7, p=packed: torch.ops.quantized.linear(x, p, 0.5, 128), 2 * m * k * n)
    for name, c in CONV.items():
        channels, size, out_channels, kernel, stride, groups = c
        x = torch.quantize_per_tensor(torch.rand(1, channels, size, size, generator=gen) * 16 - 8,
                                      16 / 255, 128, torch.quint8)
        w = torch.quantize_per_channel(
            torch.randn(out_channels, channels // groups, kernel, kernel, generator=gen),
            torch.full((out_channels,), 0.0625, dtype=torch.double),
            torch.zeros(out_channels, dtype=torch.long), 0, torch.qint8)
        pad = kernel // 2
        packed = torch.ops.quantized.conv2d_prepack(w, torch.full((out_channels,), 0.25),
                                                    [stride, stride], [pad, pad], [1, 1], groups)
        measure(conv_case(name),
                lambda x=x, p=packed: torch.ops.quantized.conv2d(x, p, 0.5, 128), conv_ops(c))
    with open(path, "w") as f:
        json.dump({"rates": rates, "errors": errors, "version": torch.__version__}, f)


def torch_rates(min_time, repetitions):
    """{(engine key, threads): {case: ops/s}} and notes, one child per setting."""
    results, notes = {}, []
    settings = [(key, value, threads) for key, value in ENGINES.items() for threads in THREADS]
    settings += [(key, value, 1) for key, value in AVX2_ENGINES.items()]
    for key, (engine, extra_env), threads in settings:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            path = out.name
        env = dict(os.environ, LRU_CACHE_CAPACITY="1", **extra_env)
        cmd = [sys.executable, os.path.abspath(__file__), "--torch-json", path, "--engine",
               engine, "--threads", str(threads), "--min-time", str(min_time),
               "--repetitions", str(repetitions)]
        try:
            subprocess.run(cmd, check=True, env=env, stderr=subprocess.DEVNULL)
            with open(path) as f:
                data = json.load(f)
            results[(key, threads)] = data["rates"]
            for case, error in data["errors"].items():
                notes.append(f"{key}, {threads} thread(s), {case}: {error}")
        except (subprocess.CalledProcessError, OSError, ValueError) as e:
            notes.append(f"{key}, {threads} thread(s): not measured ({e})")
        finally:
            if os.path.exists(path):
                os.unlink(path)
    return results, notes


# ------------------------------------------------------------------ report

def gops(rate):
    return f"{rate / 1e9:.1f}" if rate else "—"


def avx2_section(ours, torch_r):
    """The one-thread table of qtensor and onednn both capped to AVX2."""
    lines = ["### AVX2 only, 1 thread", "",
             "qtensor with QTENSOR_MAX_SIMD_TARGET=AVX2, onednn with ONEDNN_MAX_CPU_ISA=AVX2 "
             "(whose `vpmaddubsw` saturates: wrong answers on general inputs, see "
             "docs/numerics.md), qnnpack as above. `linear7` has activations of 7 bits "
             "(0..127, as PyTorch's reduce_range gives), where qtensor takes its full-rate "
             "`vpmaddubsw` path, exact there; on other inputs it widens to 16 bits "
             "(`vpmaddwd`), half the multiplies per instruction.", "",
             "| case | qtensor AVX2 GOPS | onednn AVX2 | qnnpack | vs onednn AVX2 "
             "| vs faster of onednn AVX2, qnnpack |",
             "|---|---:|---:|---:|---:|---:|"]
    cases = ([linear_case(s) for s in LINEAR] + [linear_case(s, "linear7") for s in LINEAR] +
             [conv_case(n) for n in CONV])
    for case in cases:
        rate = ours.get(case, {}).get("t1", {}).get("items", 0.0)
        onednn = torch_r.get(("onednn_avx2", 1), {}).get(case, 0.0)
        qnn = torch_r.get(("qnnpack", 1), {}).get(case, 0.0)
        best = max(onednn, qnn)
        lines.append(f"| {case.split('/', 1)[1]} | {gops(rate)} | {gops(onednn)} | {gops(qnn)} | "
                     f"{rate / onednn if onednn else 0:.2f}x | {rate / best if best else 0:.2f}x |")
    return lines + [""]


def section(ours, torch_r, notes, when, ours_avx2=None):
    lines = []
    add = lines.append
    peak = ours.get("gemm/peak", {}).get("vpdpbusd", {}).get("items", 0.0)
    add(SECTION)
    add("")
    add(f"Measured {when} with `tests/bench/compare_gemm.py`. GOPS count two operations per "
        "multiply-add (2·M·N·K; for a convolution 2·N·O·oH·oW·(C/groups)·kH·kW), each the best "
        "of the repetitions, wall clock. Inputs quint8 per tensor, weights qint8 per channel, "
        "a bias; outputs quint8. PyTorch 1.13 in child processes with `torch.set_num_threads` "
        "and LRU_CACHE_CAPACITY=1: `onednn` as it runs here (its AMX int8 kernels on this "
        "CPU), `onednn VNNI` capped with ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI (what a CPU "
        "without AMX, such as the checking machine's Zen 4, runs), and `qnnpack`.")
    add("")
    if peak:
        add(f"Peak: `gemm/peak/vpdpbusd` runs 16 independent `vpdpbusd` (64 multiply-adds each) "
            f"at {peak / 1e9:.0f} GOPS on one core: the rate of the instruction the AVX-512 VNNI "
            "kernel is made of, measured in the same run. `% peak` is one thread's rate over it.")
        add("")
    for threads in THREADS:
        add(f"### {threads} thread{'s' if threads > 1 else ''}")
        add("")
        add("| case | qtensor GOPS | % peak | onednn | onednn VNNI | qnnpack | vs onednn VNNI "
            "| vs best of onednn VNNI, qnnpack |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|")
        cases = [linear_case(s) for s in LINEAR] + [conv_case(n) for n in CONV]
        for case in cases:
            rate = ours.get(case, {}).get(f"t{threads}", {}).get("items", 0.0)
            onednn = torch_r.get(("onednn", threads), {}).get(case, 0.0)
            vnni = torch_r.get(("onednn_vnni", threads), {}).get(case, 0.0)
            qnn = torch_r.get(("qnnpack", threads), {}).get(case, 0.0)
            best = max(vnni, qnn)
            add(f"| {case.split('/', 1)[1]} | {gops(rate)} | "
                f"{100 * rate / peak / threads:.0f}% | {gops(onednn)} | {gops(vnni)} | "
                f"{gops(qnn)} | {rate / vnni if vnni else 0:.2f}x | "
                f"{rate / best if best else 0:.2f}x |" if peak else
                f"| {case.split('/', 1)[1]} | {gops(rate)} | — | {gops(onednn)} | {gops(vnni)} | "
                f"{gops(qnn)} | — | — |")
        add("")
    gemv = linear_case(LINEAR[0])
    weights = ours.get(gemv, {}).get("t1", {}).get("bytes", 0.0)
    memcpy = ours.get(gemv, {}).get("weights_memcpy", {}).get("bytes", 0.0)
    if weights and memcpy:
        add(f"GEMV (1x4096x4096, 16 MiB of weights, more than the caches hold): the weights "
            f"stream at {weights / 2**30:.1f} GiB/s on one thread, against memcpy's "
            f"{memcpy / 2**30:.1f} GiB/s of traffic (read plus write) in the same run: "
            f"{100 * weights / memcpy:.0f}% of the memory bandwidth.")
        add("")
    if ours_avx2:
        lines += avx2_section(ours_avx2, torch_r)
    if notes:
        add("Not measured: " + "; ".join(notes) + ".")
        add("")
    return lines


def replace_section(text, section_lines):
    lines = text.rstrip("\n").split("\n")
    start = next((i for i, l in enumerate(lines) if l.startswith(SECTION)), None)
    if start is None:
        return "\n".join(lines + [""] + section_lines) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[:start] + section_lines + lines[end:]) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--min-time", type=float, default=0.2)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--report", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "performance.md"))
    parser.add_argument("--torch-json")
    parser.add_argument("--engine")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.torch_json:
        torch_child(args.torch_json, args.engine, args.threads, args.min_time, args.repetitions)
        return
    bench = os.path.join(args.build, "tests", "bench", "qtensor_bench")
    ours, _ = run_benchmarks(bench, args.min_time, args.repetitions, "^gemm/")
    ours_avx2, _ = run_benchmarks(bench, args.min_time, args.repetitions,
                                  "^gemm/(linear|linear7|conv)/.*/t1",
                                  env=dict(os.environ, QTENSOR_MAX_SIMD_TARGET="AVX2"))
    torch_r, notes = torch_rates(args.min_time, args.repetitions)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    m = machine()
    when = f"{now} ({m['cpu']}, {m['cores']} cores, load {m['load']})"
    with open(args.report) as f:
        text = f.read()
    with open(args.report, "w") as f:
        f.write(replace_section(text, section(ours, torch_r, notes, when, ours_avx2)))


if __name__ == "__main__":
    main()

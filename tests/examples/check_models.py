#!/usr/bin/env python3
"""Runs each program that runs docs/examples/models.qt (one per language),
requires them all to print the same two lines, and compares those with
PyTorch's outputs (docs/examples/models_torch.txt) within docs/numerics.md's
bounds: the CNN's integers at most one step apart, the MLP's floats within
1e-5 of their size or of 0.01, whichever is larger (onednn sums in another
order). Prints how many differ.

    check_models.py MODELS.qt TORCH.txt -- PROGRAM [ARGS...] -- PROGRAM ...

Each program gets MODELS.qt as its last argument.
"""
import struct
import subprocess
import sys


def parse(lines):
    out = {}
    for line in lines.strip().splitlines():
        key, _, values = line.partition(":")
        out[key] = values.split()
    return out


def main(argv):
    models, torch_path = argv[1], argv[2]
    programs, current = [], None
    for arg in argv[3:]:
        if arg == "--":
            current = []
            programs.append(current)
        else:
            current.append(arg)
    outputs = []
    for program in programs:
        result = subprocess.run(program + [models], capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            sys.exit(f"{program[0]} failed ({result.returncode}): {result.stderr.strip()}")
        outputs.append(result.stdout)
        print(f"{' '.join(program)}:\n{result.stdout}", end="")
    for program, output in zip(programs, outputs):
        if output != outputs[0]:
            sys.exit(f"{' '.join(program)} printed other values than {' '.join(programs[0])}")
    ours = parse(outputs[0])
    with open(torch_path) as f:
        torch = parse(f.read())
    if set(ours) != {"cnn", "mlp"} or len(ours["cnn"]) != len(torch["cnn"]) or \
            len(ours["mlp"]) != len(torch["mlp"]):
        sys.exit(f"unexpected output: {outputs[0]!r}")
    cnn_steps = [abs(int(a) - int(b)) for a, b in zip(ours["cnn"], torch["cnn"])]
    if max(cnn_steps) > 1:
        sys.exit(f"cnn differs from torch by up to {max(cnn_steps)} steps: {cnn_steps}")
    floats = [(struct.unpack("<f", bytes.fromhex(a)[::-1])[0],
               struct.unpack("<f", bytes.fromhex(b)[::-1])[0])
              for a, b in zip(ours["mlp"], torch["mlp"])]
    # Relative to the value, or to 0.01 for values nearer 0 than that.
    worst = max(abs(a - b) / max(abs(b), 0.01) for a, b in floats)
    if worst > 1e-5:
        sys.exit(f"mlp differs from torch by a relative {worst:.3g}")
    print(f"{len(programs)} programs agree; cnn: {sum(s > 0 for s in cnn_steps)} of "
          f"{len(cnn_steps)} outputs one step from torch (onednn), mlp: "
          f"{sum(a != b for a, b in floats)} of {len(floats)} floats differ from torch, "
          f"at most {worst:.2g} relative")


if __name__ == "__main__":
    main(sys.argv)

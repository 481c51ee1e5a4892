#!/usr/bin/env bash
# The ONNX interchange check (docs/onnx.md): the checker exports models with
# qtensor and make_typed_models.py builds some with onnx's own protobuf
# classes and typed fields, run_ort.mjs runs them all in ONNX Runtime, and
# the checker imports them and compares every value bit for bit.
# Usage: run.sh PYTHON NODE_MODULES CHECKER WORK_DIR
# Exits 77 (ctest's skip) with the reason when node or onnxruntime-node is absent.
set -euo pipefail
python=$1 node_modules=$2 checker=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
NODE_MODULES=$node_modules source "$here/../require_onnxruntime.sh"
rm -rf "$work"
mkdir -p "$work"
"$checker" make "$work"
"$python" "$here/make_typed_models.py" "$work"
node "$here/run_ort.mjs" "$node_modules" "$work"
"$checker" compare "$work"

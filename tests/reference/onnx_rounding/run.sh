#!/usr/bin/env bash
# The ONNX rounding check: make_cases.py writes the models and inputs,
# run_ort.mjs runs them in ONNX Runtime, the comparer checks every element.
# Usage: run.sh PYTHON NODE_MODULES COMPARER WORK_DIR
# Exits 77 (ctest's skip) with the reason when node or onnxruntime-node is absent.
set -euo pipefail
python=$1 node_modules=$2 comparer=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
NODE_MODULES=$node_modules source "$here/../require_onnxruntime.sh"
rm -rf "$work"
"$python" "$here/make_cases.py" "$work"
node "$here/run_ort.mjs" "$node_modules" "$work"
"$comparer" "$work"

#!/usr/bin/env bash
# The ONNX rounding check: make_cases.py writes the models and inputs,
# run_ort.mjs runs them in ONNX Runtime, the comparer checks every element.
# Usage: run.sh PYTHON NODE_MODULES COMPARER WORK_DIR
# Exits 77 (ctest's skip) with the reason when node or onnxruntime-node is absent.
set -euo pipefail
python=$1 node_modules=$2 comparer=$3 work=$4
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed; the ONNX Runtime reference runs under node"
  exit 77
fi
if [ ! -f "$node_modules/onnxruntime-node/package.json" ]; then
  echo "SKIP: onnxruntime-node is not in $node_modules (the npm_references fixture installs it)"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
"$python" "$here/make_cases.py" "$work"
node "$here/run_ort.mjs" "$node_modules" "$work"
"$comparer" "$work"

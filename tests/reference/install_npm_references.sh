#!/usr/bin/env bash
# Installs the npm packages the reference checks run under node: ONNX Runtime
# (onnxruntime-node; its install script, which fetches GPU parts, is skipped:
# the Linux x64 CPU build is inside the package) and an independent GGUF
# reader (@huggingface/gguf). Usage: install_npm_references.sh PREFIX
# Exits 77 (ctest's skip) with the reason when node or npm is absent.
set -euo pipefail
prefix=$1
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed; the ONNX Runtime and GGUF reader checks need it"
    exit 77
  fi
done
mkdir -p "$prefix"
if [ -f "$prefix/node_modules/onnxruntime-node/package.json" ] &&
   [ -f "$prefix/node_modules/@huggingface/gguf/package.json" ]; then
  echo "already installed in $prefix"
  exit 0
fi
npm install --ignore-scripts --no-audit --no-fund --prefix "$prefix" \
  onnxruntime-node@1.31.1 @huggingface/gguf@0.4.6
test -f "$prefix/node_modules/onnxruntime-node/package.json"
test -f "$prefix/node_modules/@huggingface/gguf/package.json"

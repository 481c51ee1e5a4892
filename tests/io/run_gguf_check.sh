#!/usr/bin/env bash
# The gguf_independent_reader test: qtensor_make_gguf_reference writes a GGUF
# file and one through the bundle path, gguf_check.mjs reads each with
# @huggingface/gguf (installed by the npm_references fixture) and compares.
# Exits 77 (ctest's skip) with the reason only when node is absent; a missing
# package is a failure.
# usage: run_gguf_check.sh MAKER NPM_PREFIX WORK_DIR
set -euo pipefail
maker=$1 prefix=$2 work=$3
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed; the independent GGUF reader check needs it"
  exit 77
fi
mkdir -p "$work"
"$maker" "$work/reference"
node "$(dirname "$0")/gguf_check.mjs" "$prefix" "$work/reference"
node "$(dirname "$0")/gguf_check.mjs" "$prefix" "$work/reference.bundle"

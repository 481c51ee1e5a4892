#!/usr/bin/env bash
# The fuzz_deserialize test: each fuzz target in turn, the deserializer for
# three quarters of SECONDS, the GGUF, ONNX, .npy and container readers for
# a quarter each (the whole run takes 1.75 * SECONDS).
# usage: run_fuzzers.sh FUZZ_BIN_DIR DATA_DIR WORK_DIR SECONDS
set -euo pipefail
bin=$1 data=$2 work=$3 seconds=$4
here=$(dirname "$0")
bash "$here/run_fuzz.sh" "$bin/qtensor_fuzz_deserialize" "$work/deserialize" $((seconds * 3 / 4)) \
  "$data/format_v1" "$data/corrupt" "$data/fuzz_regressions"
bash "$here/run_fuzz.sh" "$bin/qtensor_fuzz_gguf" "$work/gguf" $(((seconds + 3) / 4)) \
  "$data/gguf_corrupt" "$data/gguf_regressions"
bash "$here/run_fuzz.sh" "$bin/qtensor_fuzz_onnx" "$work/onnx" $(((seconds + 3) / 4)) \
  "$data/onnx_corrupt" "$data/onnx_regressions"
bash "$here/run_fuzz.sh" "$bin/qtensor_fuzz_npy" "$work/npy" $(((seconds + 3) / 4)) \
  "$data/npy" "$data/npy_regressions"
bash "$here/run_fuzz.sh" "$bin/qtensor_fuzz_container" "$work/container" $(((seconds + 3) / 4)) \
  "$data/container_corrupt" "$data/container_regressions"

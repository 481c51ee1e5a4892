#!/usr/bin/env bash
# The fuzz_deserialize test: each fuzz target in turn, the deserializer for
# SECONDS, the .npy reader for a quarter of that.
# usage: run_fuzzers.sh FUZZ_BIN_DIR DATA_DIR WORK_DIR SECONDS
set -euo pipefail
bin=$1 data=$2 work=$3 seconds=$4
here=$(dirname "$0")
bash "$here/run_fuzz.sh" "$bin/qtensor_fuzz_deserialize" "$work/deserialize" "$seconds" \
  "$data/format_v1" "$data/corrupt" "$data/fuzz_regressions"
bash "$here/run_fuzz.sh" "$bin/qtensor_fuzz_npy" "$work/npy" $(((seconds + 3) / 4)) \
  "$data/npy" "$data/npy_regressions"

#!/usr/bin/env bash
# Seeds a scratch corpus, replays every seed once, then fuzzes for a bounded
# time. Fails on any crash, leak, sanitizer report or broken check; the input
# that did it is left in WORK/artifacts and must be kept as a regression case
# (tests/data/fuzz_regressions/ for the deserializer).
# usage: run_fuzz.sh FUZZER WORK_DIR SECONDS SEED_DIR...   (missing SEED_DIRs are skipped)
set -euo pipefail
fuzzer=$1 work=$2 seconds=$3
shift 3

rm -rf "$work/corpus" "$work/artifacts"
mkdir -p "$work/corpus" "$work/artifacts"
seeds=0
for dir in "$@"; do
  [[ -d "$dir" ]] || continue
  while IFS= read -r -d '' file; do
    # Flattened names: seeds from different folders must not collide.
    cp "$file" "$work/corpus/$(basename "$dir")_$(basename "$file")"
    seeds=$((seeds + 1))
  done < <(find "$dir" -type f -print0)
done
echo "$(basename "$fuzzer"): seeded $seeds files"
if [[ $seeds -eq 0 ]]; then
  echo "no seeds found in $*" >&2
  exit 1
fi

status=0
"$fuzzer" -runs=0 -artifact_prefix="$work/artifacts/" "$work/corpus" || status=$?
if [[ $status -eq 0 ]]; then
  "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" || status=$?
fi
if [[ $status -ne 0 ]]; then
  echo "FUZZING FAILED (status $status); keep each input below as a regression case:" >&2
  ls -l "$work/artifacts" >&2
fi
exit $status

#!/usr/bin/env bash
# Runs clang-tidy over every C++ source under src/ with the checks of the
# repository's .clang-tidy; any warning fails the test and is printed.
# usage: run_clang_tidy.sh CLANG_TIDY SOURCE_DIR BUILD_DIR (with compile_commands.json)
set -euo pipefail
clang_tidy=$1 source_dir=$2 build_dir=$3
[ -f "$build_dir/compile_commands.json" ] || {
  echo "no $build_dir/compile_commands.json (configure with QTENSOR_BUILD_TESTS=ON)"
  exit 1
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cd "$source_dir"
count=$(find src -name '*.cc' | wc -l)
status=0
find src -name '*.cc' -print0 | LC_ALL=C sort -z |
  xargs -0 -n 1 -P 2 "$clang_tidy" -p "$build_dir" --quiet --warnings-as-errors='*' \
    >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || grep -q 'warning:\|error:' "$log"; then
  grep -v '^[0-9]* warnings* generated\.$' "$log"
  echo "clang-tidy found problems in src/ (checks: .clang-tidy)"
  exit 1
fi
echo "clang-tidy: $count sources under src/, no warnings"

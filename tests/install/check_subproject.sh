#!/usr/bin/env bash
# qtensor added with add_subdirectory() by another project: it adds no tests,
# sanitizer suite or bindings of its own, its compile options stay on its own
# targets (the parent's program is compiled without them), and the parent's
# program links qtensor::qtensor and runs.
# usage: check_subproject.sh SOURCE_DIR THIS_DIR WORK_DIR
set -euo pipefail
source_dir=$1 here=$2 work=$3
rm -rf "$work"
cmake -S "$here/subproject" -B "$work" -DQTENSOR_SOURCE_DIR="$source_dir" \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$work.configure.log" 2>&1 ||
  { cat "$work.configure.log"; exit 1; }

tests=$(ctest --test-dir "$work" -N | awk '/^Total Tests:/ { print $3 }')
[ "$tests" = "0" ] || { echo "qtensor added $tests tests to its parent"; exit 1; }
for option in QTENSOR_BUILD_TESTS QTENSOR_SANITIZER_SUITE QTENSOR_BUILD_BINDINGS; do
  grep -q "^$option:BOOL=OFF$" "$work/CMakeCache.txt" || { echo "$option is not OFF"; exit 1; }
done

# The parent's own source is compiled with the parent's flags only.
parent_entry=$(grep -B3 '"file": ".*consumer\.c"' "$work/compile_commands.json" || true)
[ -n "$parent_entry" ] || { echo "consumer.c is not in compile_commands.json"; exit 1; }
if echo "$parent_entry" | grep -qE -- '-ffp-contract|-Wextra'; then
  echo "qtensor's compile options leaked into the parent's target:"
  echo "$parent_entry"
  exit 1
fi
# ... while qtensor's own sources keep theirs.
grep -B3 '"file": ".*src/core/tensor\.cc"' "$work/compile_commands.json" |
  grep -q -- '-ffp-contract=off' || { echo "qtensor's own sources lost -ffp-contract=off"; exit 1; }

cmake --build "$work" --target parent_app -j2 >"$work.build.log" 2>&1 ||
  { tail -n 50 "$work.build.log"; exit 1; }
"$work/parent_app" >/dev/null
echo "as a subproject: no tests or bindings added, options kept on qtensor's targets, parent_app runs"

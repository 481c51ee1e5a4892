#!/usr/bin/env bash
# qtensor.hpp needs C++17 and says so: a C++14 compile stops at its #error
# with that message; C++17 compiles.
# usage: check_cxx_standard.sh CXX INCLUDE_DIR
set -euo pipefail
cxx=$1 include=$2
source=$(mktemp "${TMPDIR:-/tmp}/qtensor-cxx-standard.XXXXXX.cc")
trap 'rm -f "$source"' EXIT
echo '#include <qtensor/qtensor.hpp>' >"$source"
if errors=$("$cxx" -std=c++14 -fsyntax-only -I"$include" "$source" 2>&1); then
  echo "FAIL: qtensor.hpp compiled as C++14"
  exit 1
fi
first_error=$(grep -m1 'error' <<<"$errors")
grep -q 'qtensor.hpp requires C++17 or later' <<<"$first_error" ||
  { echo "FAIL: the first C++14 error is not qtensor.hpp's own:"; echo "$errors" | head; exit 1; }
"$cxx" -std=c++17 -fsyntax-only -I"$include" "$source"
echo "C++14: $first_error"
echo "C++17: compiles"

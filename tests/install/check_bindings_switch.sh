#!/usr/bin/env bash
# QTENSOR_BINDINGS picks the languages: configured with none, qtensor looks
# for neither SWIG, Java nor Mono and adds no binding tests; with python
# only, it adds Python's and no Java or C# ones; an unknown name is an error.
# Configures only (no build) in a scratch directory.
# usage: check_bindings_switch.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
scratch=$(mktemp -d "${TMPDIR:-/tmp}/qtensor-bindings-switch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
configure() {  # DIR BINDINGS
  cmake -S "$source_dir" -B "$scratch/$1" "-DQTENSOR_BINDINGS=$2" -DQTENSOR_SANITIZER_SUITE=OFF \
    >"$scratch/$1.log" 2>&1
}
tests_matching() { ctest --test-dir "$scratch/$1" -N | grep -cE "Test +#[0-9]+: $2" || true; }

configure none "" || { cat "$scratch/none.log"; fail "configure without bindings"; }
! grep -qE '^(SWIG_EXECUTABLE|Java_JAVAC_EXECUTABLE|QTENSOR_MCS):' "$scratch/none/CMakeCache.txt" ||
  fail "looked for SWIG, javac or mcs without bindings"
[ "$(tests_matching none '(java|csharp)_')" = 0 ] || fail "Java or C# tests without bindings"
[ "$(tests_matching none 'python_(api|binding)')" = 0 ] || fail "Python module tests without bindings"

configure python python || { cat "$scratch/python.log"; fail "configure with python"; }
[ "$(tests_matching python '(java|csharp)_')" = 0 ] || fail "Java or C# tests with python only"
[ "$(tests_matching python 'python_')" -gt 1 ] || fail "no Python tests with python"
! grep -qE '^(Java_JAVAC_EXECUTABLE|QTENSOR_MCS):' "$scratch/python/CMakeCache.txt" ||
  fail "looked for javac or mcs with python only"

if configure bad "python;ruby"; then fail "QTENSOR_BINDINGS=python;ruby accepted"; fi
grep -q "unknown language 'ruby'" "$scratch/bad.log" || fail "no message for an unknown language"
echo "QTENSOR_BINDINGS: none, python only and an unknown name behave"

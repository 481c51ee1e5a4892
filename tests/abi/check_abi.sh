#!/usr/bin/env bash
# Compares the built library's ABI with the committed baseline (abi.txt):
#   - the exported symbols with their version nodes;
#   - every declaration of the public header, preprocessed (functions with
#     their parameter types, enums with their values, opaque types);
#   - the header's QTENSOR_ macros that are part of the contract (not the
#     version macros, which change every release).
# It also checks that the functions declared and the symbols exported are the
# same set. On a difference it prints it (diff -u) and fails.
#
# usage: check_abi.sh CC LIBRARY INCLUDE_DIR BASELINE          check
#        check_abi.sh CC LIBRARY INCLUDE_DIR BASELINE --update  rewrite the baseline
# A deliberate ABI change updates the baseline in the same commit and is
# recorded in CHANGELOG.md.
set -euo pipefail
cc=$1 library=$2 include_dir=$3 baseline=$4 mode=${5:-check}
header=$include_dir/qtensor/qtensor.h
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

nm -D --defined-only --with-symbol-versions "$library" |
  awk '$2 == "T" { print $3 }' | LC_ALL=C sort >"$work/symbols"

# The preprocessed header, one declaration per line, blanks collapsed; only
# qtensor's own (not those of the system headers it includes).
"$cc" -E -P -I "$include_dir" "$header" |
  tr '\n' ' ' | tr -s ' \t' ' ' | tr ';' '\n' |
  sed -e 's/^ *//' -e 's/ *$//' -e 's/ *\([(),*]\) */\1/g' -e 's/ *$/;/' |
  sed 's/__attribute__((visibility("default")))//' |
  grep -E '\b(qt|QT)_' | LC_ALL=C sort >"$work/declarations"

"$cc" -dM -E -I "$include_dir" "$header" |
  grep -E '^#define QTENSOR_' |
  grep -vE '^#define QTENSOR_(VERSION_[A-Z]+|API|QTENSOR_H)( |$)' |
  LC_ALL=C sort >"$work/macros"

{
  echo "# The ABI of libqtensor.so, checked by tests/abi/check_abi.sh."
  echo "## exported symbols"
  cat "$work/symbols"
  echo "## declarations"
  cat "$work/declarations"
  echo "## macros"
  cat "$work/macros"
} >"$work/abi.txt"

declared=$(grep -oE '\bqt_[a-z0-9_]+\(' "$work/declarations" | tr -d '(' | LC_ALL=C sort -u)
exported=$(sed 's/@.*//' "$work/symbols" | LC_ALL=C sort -u)
if [ "$declared" != "$exported" ]; then
  echo "declared functions and exported symbols differ (< declared only, > exported only):"
  diff <(echo "$declared") <(echo "$exported") | grep '^[<>]' || true
  exit 1
fi

if [ "$mode" = "--update" ]; then
  cp "$work/abi.txt" "$baseline"
  echo "wrote $baseline"
  exit 0
fi
if ! diff -u "$baseline" "$work/abi.txt"; then
  echo
  echo "The ABI differs from the baseline $baseline (- baseline, + built)."
  echo "If the change is deliberate, rewrite the baseline in the same commit:"
  echo "  bash tests/abi/check_abi.sh $cc $library $include_dir $baseline --update"
  echo "and record the change in CHANGELOG.md."
  exit 1
fi
echo "ABI matches $baseline: $(wc -l <"$work/symbols") symbols, $(wc -l <"$work/declarations") declarations"

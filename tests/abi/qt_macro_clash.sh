#!/usr/bin/env bash
# Builds and runs qt_macro_clash.c and qt_macro_clash.cc: programs that define
# Qt's macros before including qtensor's headers. Warnings are errors, so a
# redefined macro fails the test.
# usage: qt_macro_clash.sh CC CXX INCLUDE_DIR LIBRARY_FILE WORK_DIR
set -euo pipefail
cc=$1 cxx=$2 include_dir=$3 library=$4 work=$5
here=$(dirname "$0")
libdir=$(dirname "$library")
mkdir -p "$work"
flags=(-Wall -Wextra -Werror -pedantic-errors -I "$include_dir" -L "$libdir" -Wl,-rpath,"$libdir")
"$cc" -std=c11 "${flags[@]}" "$here/qt_macro_clash.c" -lqtensor -o "$work/qt_macro_clash_c"
"$work/qt_macro_clash_c"
"$cxx" -std=c++17 "${flags[@]}" "$here/qt_macro_clash.cc" -lqtensor -o "$work/qt_macro_clash_cxx"
"$work/qt_macro_clash_cxx"
echo "C and C++ programs with Qt's macros include qtensor's headers and run"

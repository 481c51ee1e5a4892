#!/usr/bin/env bash
# Installs the built library into a scratch prefix and builds a C program
# against it twice: with pkg-config and with find_package(qtensor), neither
# given an rpath nor LD_LIBRARY_PATH. Also checks the exported symbols, the
# SONAME and the $ORIGIN-relative RUNPATHs of the installed programs and
# modules.
# Builds and runs the README's C example the same way, comparing its output,
# and docs/notebook.md's C blocks inside notebook_harness.c, comparing what
# it prints with the page's text blocks.
# usage: check_install.sh BUILD_DIR THIS_DIR WORK_DIR README NOTEBOOK
set -euo pipefail
unset LD_LIBRARY_PATH
build=$1 here=$2 work=$3 readme=$4 notebook=$5
rm -rf "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
# The SONAME: libqtensor.so.MAJOR, and while MAJOR is 0, libqtensor.so.0.MINOR.
version_part() {
  awk -v name="QTENSOR_VERSION_$1" '$1 == "#define" && $2 == name { print $3 }' \
    "$prefix/include/qtensor/qtensor.h"
}
major=$(version_part MAJOR) minor=$(version_part MINOR)
expected_soname=libqtensor.so.$major
[ "$major" != 0 ] || expected_soname=libqtensor.so.0.$minor
lib=$(ls "$prefix"/lib*/"$expected_soname".* | head -n 1)
libdir=$(dirname "$lib")

soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
[ "$soname" = "$expected_soname" ] || { echo "SONAME is '$soname', not $expected_soname"; exit 1; }
# Each exported function is a qt_* one carrying a QTENSOR_ version node; the
# nodes themselves appear as absolute symbols of their own name.
others=$(nm -D --defined-only --with-symbol-versions "$lib" | awk '{print $3}' |
         grep -vE '^qt_[a-z0-9_]+@@?QTENSOR_[0-9.]+$|^QTENSOR_[0-9.]+(@@QTENSOR_[0-9.]+)?$' || true)
[ -z "$others" ] || { echo "symbols other than versioned qt_* exported:"; echo "$others"; exit 1; }
echo "SONAME $soname; $(nm -D --defined-only "$lib" | grep -c ' qt_') qt_* symbols, nothing else"

# Whatever links the library finds it relative to itself: RUNPATH $ORIGIN/...
runpath() { readelf -d "$1" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]$/\1/p'; }
check_runpath() {  # FILE EXPECTED
  [ -f "$prefix/$1" ] || return 0  # a binding not built
  local found
  found=$(runpath "$prefix/$1")
  [ "$found" = "$2" ] || { echo "$1: RUNPATH '$found', expected '$2'"; exit 1; }
  # grep reads all of ldd's output (no -q): under pipefail an early exit
  # would make ldd die of SIGPIPE and the pipeline fail at random.
  ldd "$prefix/$1" | grep "libqtensor.so.* => $prefix/" >/dev/null ||
    { echo "$1 does not load the installed library:"; ldd "$prefix/$1"; exit 1; }
  echo "$1: RUNPATH $found"
}
libname=$(basename "$libdir")
check_runpath bin/qtensor "\$ORIGIN/../$libname"
check_runpath "$libname/libqtensor_java.so" "\$ORIGIN"
check_runpath "$libname/cli/qtensor/libqtensor_csharp.so" "\$ORIGIN/../.."
version=$(awk '$1 == "#define" && $2 ~ /^QTENSOR_VERSION_(MAJOR|MINOR|PATCH)$/ { v = v sep $3; sep = "." }
               END { print v }' "$prefix/include/qtensor/qtensor.h")
"$prefix/bin/qtensor" --version | grep "^qtensor $version " >/dev/null ||
  { echo "the installed qtensor program does not say version $version"; exit 1; }

# pkg-config's Libs carry the rpath: the program starts as it is.
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc -std=c99 -Wall -Werror "$here/consumer.c" -o "$work/consumer_pkgconfig" \
  $(pkg-config --cflags --libs qtensor)
"$work/consumer_pkgconfig" >"$work/consumer_pkgconfig.out"
diff -u <(echo "qtensor $version"; cat "$here/consumer.expected") "$work/consumer_pkgconfig.out"

# The README's example: its one ```c block.
awk '/^```c$/ { inside = 1; next } /^```$/ { inside = 0 } inside' "$readme" >"$work/readme_example.c"
cc -std=c99 -Wall -Werror "$work/readme_example.c" -o "$work/readme_example" \
  $(pkg-config --cflags --libs qtensor)
"$work/readme_example" >"$work/readme_example.out"
diff -u "$here/readme_example.expected" "$work/readme_example.out"
echo "the README's example prints what readme_example.expected holds"

# docs/notebook.md: block N of C goes to notebook_block_N.c, which the
# harness includes in order; the text blocks are what it must print.
blocks=$work/notebook_blocks
mkdir -p "$blocks"
awk -v dir="$blocks" '/^```c$/ { n++; inside = 1; file = dir "/notebook_block_" n ".c"; printf "" > file; next }
                      /^```$/ { inside = 0 } inside { print > file }' "$notebook"
count=$(find "$blocks" -name 'notebook_block_*.c' | wc -l)
included=$(grep -c '^#include "notebook_block_' "$here/notebook_harness.c")
[ "$count" = "$included" ] ||
  { echo "docs/notebook.md has $count C blocks; notebook_harness.c includes $included"; exit 1; }
awk '/^```text$/ { inside = 1; next } /^```$/ { inside = 0 } inside' "$notebook" >"$work/notebook.expected"
cc -std=c99 -Wall -Werror -I"$blocks" "$here/notebook_harness.c" -o "$work/notebook" \
  $(pkg-config --cflags --libs qtensor)
"$work/notebook" >"$work/notebook.out"
diff -u "$work/notebook.expected" "$work/notebook.out"
echo "docs/notebook.md's $count C blocks print its text blocks"

cmake -S "$here" -B "$work/cmake_build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake_build" >/dev/null
"$work/cmake_build/consumer" >"$work/consumer_cmake.out"
diff -u "$work/consumer_pkgconfig.out" "$work/consumer_cmake.out"
echo "pkg-config and find_package consumers both work"

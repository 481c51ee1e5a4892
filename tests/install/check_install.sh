#!/usr/bin/env bash
# Installs the built library into a scratch prefix and builds a C program
# against it twice: with pkg-config and with find_package(qtensor). Also
# checks the exported symbols and the SONAME.
# Builds and runs the README's C example the same way, comparing its output.
# usage: check_install.sh BUILD_DIR THIS_DIR WORK_DIR README
set -euo pipefail
build=$1 here=$2 work=$3 readme=$4
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

export PKG_CONFIG_PATH=$libdir/pkgconfig
cc -std=c99 -Wall -Werror "$here/consumer.c" -o "$work/consumer_pkgconfig" \
  $(pkg-config --cflags --libs qtensor) -Wl,-rpath,"$libdir"
"$work/consumer_pkgconfig"

# The README's example: its one ```c block.
awk '/^```c$/ { inside = 1; next } /^```$/ { inside = 0 } inside' "$readme" >"$work/readme_example.c"
cc -std=c99 -Wall -Werror "$work/readme_example.c" -o "$work/readme_example" \
  $(pkg-config --cflags --libs qtensor) -Wl,-rpath,"$libdir"
"$work/readme_example" >"$work/readme_example.out"
diff -u "$here/readme_example.expected" "$work/readme_example.out"
echo "the README's example prints what readme_example.expected holds"

cmake -S "$here" -B "$work/cmake_build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_RPATH="$libdir" >/dev/null
cmake --build "$work/cmake_build" >/dev/null
"$work/cmake_build/consumer"
echo "pkg-config and find_package consumers both work"

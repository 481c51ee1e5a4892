#!/usr/bin/env bash
# The C/C++ packages as a user gets them. cpack makes the .tar.gz and the
# .deb in a scratch directory outside the source and build trees. The
# tarball is unpacked there and then moved (it must not care where it
# lives); a C program built with pkg-config, and a C and a C++14 program
# built by a CMake project with find_package(qtensor), are built against it
# and run without LD_LIBRARY_PATH, and their output is compared. The .deb's
# control fields and file list are checked, and its files, unpacked, run.
# usage: check_packages.sh BUILD_DIR THIS_DIR HAVE_DOCS(1/0)
set -euo pipefail
unset LD_LIBRARY_PATH PKG_CONFIG_PATH CMAKE_PREFIX_PATH
build=$1 here=$2 have_docs=$3
fail() { echo "FAIL: $*"; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/qtensor-packages.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

version=$(awk '$1 == "#define" && $2 ~ /^QTENSOR_VERSION_(MAJOR|MINOR|PATCH)$/ { v = v sep $3; sep = "." }
               END { print v }' "$here/../../include/qtensor/qtensor.h")
runpath() { readelf -d "$1" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]$/\1/p'; }
expected_output() { echo "qtensor $version"; cat "$here/consumer.expected"; }

# Pack, the C API reference first so that the packages hold it.
if [ "$have_docs" = 1 ]; then
  cmake --build "$build" --target docs >"$scratch/docs.log" 2>&1 || { cat "$scratch/docs.log"; fail "docs"; }
fi
cpack --config "$build/CPackConfig.cmake" -G "TGZ;DEB" -B "$scratch/packages" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log"; fail "cpack"; }
tarball=$scratch/packages/qtensor-$version-Linux.tar.gz
deb=$scratch/packages/qtensor_${version}_$(dpkg --print-architecture).deb
[ -f "$tarball" ] && [ -f "$deb" ] || { ls "$scratch/packages"; fail "packages not named as expected"; }

# --- The tarball, unpacked and moved elsewhere.
mkdir "$scratch/unpacked"
tar xzf "$tarball" -C "$scratch/unpacked"
root=$scratch/moved/qtensor
mkdir -p "$scratch/moved"
mv "$scratch/unpacked/qtensor-$version-Linux" "$root"
for file in bin/qtensor include/qtensor/qtensor.h include/qtensor/qtensor.hpp \
            lib/libqtensor.so "lib/libqtensor.so.$version" lib/pkgconfig/qtensor.pc \
            lib/cmake/qtensor/qtensorConfig.cmake lib/cmake/qtensor/qtensorConfigVersion.cmake \
            share/man/man1/qtensor.1.gz; do
  [ -e "$root/$file" ] || fail "the tarball has no $file"
done
# Only the C/C++ package: no binding's files.
leftovers=$(cd "$root" && find . -name '*java*' -o -name '*csharp*' -o -name '*.dll' -o -name '*.py')
[ -z "$leftovers" ] || fail "binding files in the C/C++ package: $leftovers"
if [ "$have_docs" = 1 ]; then
  [ -f "$root/share/doc/qtensor/html/index.html" ] &&
    grep -rq qt_quantize_per_tensor "$root/share/doc/qtensor/html" ||
    fail "no C API reference in share/doc/qtensor/html"
fi
[ "$(runpath "$root/bin/qtensor")" = '$ORIGIN/../lib' ] ||
  fail "bin/qtensor's RUNPATH is '$(runpath "$root/bin/qtensor")'"
"$root/bin/qtensor" --version | grep "^qtensor $version " >/dev/null || fail "qtensor --version"
# The manual page renders, without warnings, with its name and version.
man_text=$(MANWIDTH=80 MANPAGER=cat man --warnings -l "$root/share/man/man1/qtensor.1.gz" 2>"$scratch/man.err")
[ ! -s "$scratch/man.err" ] || { cat "$scratch/man.err"; fail "man page warnings"; }
grep -q "qtensor - inspect and convert quantized-tensor files" <<<"$man_text" || fail "man page NAME"
grep -q "qtensor $version" <<<"$man_text" || fail "man page version"
echo "tarball: files, RUNPATH \$ORIGIN/../lib, qtensor $version runs, man page renders"

# pkg-config: the prefix comes from the .pc file's place; Libs carry the rpath.
export PKG_CONFIG_PATH=$root/lib/pkgconfig
[ "$(pkg-config --modversion qtensor)" = "$version" ] || fail "pkg-config --modversion"
[ "$(realpath "$(pkg-config --variable=libdir qtensor)")" = "$root/lib" ] || fail "pkg-config libdir"
cc -std=c99 -Wall -Werror "$here/consumer.c" -o "$scratch/consumer_pkgconfig" \
  $(pkg-config --cflags --libs qtensor)
loaded=$(ldd "$scratch/consumer_pkgconfig" | awk '/libqtensor\.so/ { print $3 }')
[ "$(realpath "$(dirname "$loaded")")" = "$(realpath "$root/lib")" ] || fail "loads '$loaded'"
"$scratch/consumer_pkgconfig" >"$scratch/consumer_pkgconfig.out"
diff -u <(expected_output) "$scratch/consumer_pkgconfig.out"
echo "pkg-config: a C program builds and runs against the moved tarball"

# find_package, from a project copied outside the trees; C++14 is raised to 17.
cp -r "$here/packaged" "$scratch/project"
cp "$here/consumer.c" "$scratch/project/"
cmake -S "$scratch/project" -B "$scratch/project/build" -DCMAKE_PREFIX_PATH="$root" \
  >"$scratch/cmake.log" 2>&1 || { cat "$scratch/cmake.log"; fail "configure"; }
cmake --build "$scratch/project/build" >"$scratch/cmake.log" 2>&1 || { cat "$scratch/cmake.log"; fail "build"; }
grep -B3 '"file": ".*consumer\.cc"' "$scratch/project/build/compile_commands.json" | grep -- '-std=c++17' >/dev/null ||
  fail "qtensor::qtensor did not raise the C++ standard to 17"
for program in consumer_c consumer_cxx; do
  "$scratch/project/build/$program" >"$scratch/$program.out"
  diff -u <(expected_output) "$scratch/$program.out"
done
echo "find_package: a C and a C++14-project C++ program build (-std=c++17) and run"

# --- The .deb.
[ "$(dpkg-deb -f "$deb" Package)" = qtensor ] || fail "Package"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version"
depends=$(dpkg-deb -f "$deb" Depends)
for dependency in libprotobuf libhwy libstdc++6 libc6; do
  grep -q "$dependency" <<<"$depends" || fail "Depends lacks $dependency: $depends"
done
soversion=$(objdump -p "$root/lib/libqtensor.so.$version" | awk '/SONAME/ { sub(/libqtensor\.so\./, "", $2); print $2 }')
[ "$(dpkg-deb -I "$deb" shlibs)" = "libqtensor $soversion qtensor (>= $version)" ] ||
  fail "shlibs: $(dpkg-deb -I "$deb" shlibs)"
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for file in ./usr/bin/qtensor ./usr/include/qtensor/qtensor.h ./usr/include/qtensor/qtensor.hpp \
            "./usr/lib/libqtensor.so.$version" ./usr/lib/pkgconfig/qtensor.pc \
            ./usr/lib/cmake/qtensor/qtensorConfig.cmake ./usr/share/man/man1/qtensor.1.gz; do
  grep -qxF "$file" <<<"$contents" || fail "the .deb has no $file"
done
[ "$have_docs" = 0 ] || grep -qxF ./usr/share/doc/qtensor/html/index.html <<<"$contents" ||
  fail "the .deb has no HTML reference"
dpkg-deb -x "$deb" "$scratch/deb"
# Under /usr: plain paths, no rpath in pkg-config's Libs.
grep -qx 'prefix=/usr' "$scratch/deb/usr/lib/pkgconfig/qtensor.pc" || fail "the .deb's .pc prefix"
! grep -q rpath "$scratch/deb/usr/lib/pkgconfig/qtensor.pc" || fail "the .deb's .pc has an rpath"
"$scratch/deb/usr/bin/qtensor" --version | grep "^qtensor $version " >/dev/null || fail "the .deb's qtensor"
echo "deb: qtensor $version, Depends: $depends"

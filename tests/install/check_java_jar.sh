#!/usr/bin/env bash
# The self-contained jar, alone in a scratch directory outside the source and
# build trees, runs docs/java.md's Example.java (its ```java Example.java
# block) with no java.library.path, io.qtensor.library or LD_LIBRARY_PATH,
# printing the ```text block after it. Also checks the jar's manifest and
# pom, the RUNPATH of its JNI module, that the extracted libraries are
# deleted, the error on a platform the jar has no library for, and that
# javadoc said nothing (javadoc.log beside the javadoc jar).
# usage: check_java_jar.sh JAVA JAR_TOOL QTENSOR_JAR POM JAVADOC_JAR VERSION JAVA_MD
set -euo pipefail
java=$1 jar_tool=$2 jar=$3 pom=$4 javadoc_jar=$5 version=$6 doc=$7
unset LD_LIBRARY_PATH JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS CLASSPATH
fail() { echo "FAIL: $*"; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/qtensor-java-jar.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/run" "$scratch/unpacked" "$scratch/tmp"
cp "$jar" "$scratch/run/qtensor.jar"

# The example and what it prints, as the page shows them.
awk '/^```java Example.java$/ { inside = 1; next } /^```$/ { inside = 0 } inside' "$doc" \
  >"$scratch/run/Example.java"
awk '/^```java Example.java$/ { seen = 1 } seen && /^```text$/ { inside = 1; next }
     inside && /^```$/ { exit } inside' "$doc" >"$scratch/expected.txt"
[ -s "$scratch/run/Example.java" ] && [ -s "$scratch/expected.txt" ] ||
  fail "$doc has no \`\`\`java Example.java block followed by a \`\`\`text block"

cd "$scratch/run"
"$java" -cp qtensor.jar Example.java >"$scratch/printed.txt" 2>"$scratch/stderr.txt" ||
  { cat "$scratch/stderr.txt"; fail "java -cp qtensor.jar Example.java failed"; }
diff -u "$scratch/expected.txt" "$scratch/printed.txt" ||
  fail "Example.java printed something else than $doc shows"
echo "java -cp qtensor.jar Example.java, alone in $scratch/run, prints what the page shows"

# The libraries go to a private directory that is gone after the run.
"$java" -Djava.io.tmpdir="$scratch/tmp" -cp qtensor.jar Example.java >/dev/null
leftovers=$(ls -A "$scratch/tmp")
[ -z "$leftovers" ] || fail "extracted files left behind: $leftovers"

# A platform without a library in the jar: a clear error naming it.
if "$java" -Dos.arch=riscv64 -cp qtensor.jar Example.java >/dev/null 2>"$scratch/riscv.txt"; then
  fail "ran on linux-riscv64, which the jar has no library for"
fi
grep -q "UnsatisfiedLinkError: qtensor: this jar carries no native library for linux-riscv64" \
  "$scratch/riscv.txt" || { cat "$scratch/riscv.txt"; fail "unclear error for linux-riscv64"; }
echo "os.arch riscv64: $(grep -o 'this jar carries no native library for [a-z0-9_-]*' "$scratch/riscv.txt")"

# The property io.qtensor.library comes before the jar's copies: a missing
# file is an error naming it, and the build tree's module (beside the jar)
# runs the example.
missing=$scratch/missing/libqtensor_java.so
if "$java" -Dio.qtensor.library="$missing" -cp qtensor.jar Example.java >/dev/null 2>"$scratch/missing.txt"
then
  fail "io.qtensor.library=$missing was not used"
fi
grep -q "UnsatisfiedLinkError.*$missing" "$scratch/missing.txt" ||
  { cat "$scratch/missing.txt"; fail "the error does not name $missing"; }
build_module=$(dirname "$jar")/libqtensor_java.so
"$java" -Dio.qtensor.library="$build_module" -cp qtensor.jar Example.java >"$scratch/property.txt"
diff -u "$scratch/expected.txt" "$scratch/property.txt" ||
  fail "Example.java with io.qtensor.library=$build_module printed something else"
echo "io.qtensor.library is honoured first"

# A jar whose libqtensor.so is damaged: an error naming the file, no crash.
native=$("$jar_tool" --list --file qtensor.jar |
         sed -n 's|^\(io/qtensor/native/[^/]*\)/libraries.txt$|\1|p')
soname=$("$jar_tool" --list --file qtensor.jar |
         sed -n "s|^$native/\(libqtensor\.so\..*\)\$|\1|p")
mkdir -p "$scratch/damaged/$native"
cp qtensor.jar "$scratch/damaged/qtensor.jar"
echo "not a shared library" >"$scratch/damaged/$native/$soname"
"$jar_tool" --update --file "$scratch/damaged/qtensor.jar" -C "$scratch/damaged" io
if "$java" -cp "$scratch/damaged/qtensor.jar" Example.java >/dev/null 2>"$scratch/damaged.txt"; then
  fail "ran with a damaged $soname"
fi
grep -q "UnsatisfiedLinkError: qtensor: cannot load $soname extracted from the jar" \
  "$scratch/damaged.txt" || { cat "$scratch/damaged.txt"; fail "unclear error for a damaged $soname"; }
echo "a damaged $soname: $(grep -o "cannot load $soname extracted from the jar" "$scratch/damaged.txt")"

# Manifest, module name, Maven metadata.
cd "$scratch/unpacked"
"$jar_tool" --extract --file "$scratch/run/qtensor.jar"
manifest=META-INF/MANIFEST.MF
for line in "Automatic-Module-Name: io.qtensor" "Implementation-Title: qtensor" \
            "Implementation-Version: $version"; do
  tr -d '\r' <"$manifest" | grep -qx "$line" || fail "the manifest lacks '$line'"
done
"$jar_tool" --describe-module --file "$scratch/run/qtensor.jar" | grep -q "^io.qtensor automatic" ||
  fail "the jar is not the automatic module io.qtensor"
maven=META-INF/maven/io.qtensor/qtensor
cmp "$maven/pom.xml" "$pom" || fail "the jar's pom.xml differs from $pom"
pom_version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$maven/pom.xml")
[ "$pom_version" = "$version" ] || fail "the pom says version '$pom_version', not $version"
grep -qx "version=$version" "$maven/pom.properties" || fail "pom.properties lacks version=$version"
grep -q "<groupId>io.qtensor</groupId>" "$maven/pom.xml" &&
  grep -q "<artifactId>qtensor</artifactId>" "$maven/pom.xml" || fail "not io.qtensor:qtensor"
echo "manifest and pom: io.qtensor:qtensor:$version, Automatic-Module-Name io.qtensor"

# The JNI module finds libqtensor.so beside it, wherever it is extracted.
runpath=$(readelf -d "$native/libqtensor_java.so" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]$/\1/p')
[ "$runpath" = "\$ORIGIN" ] || fail "$native/libqtensor_java.so has RUNPATH '$runpath'"
echo "$native/: $(tr '\n' ' ' <"$native/libraries.txt")(RUNPATH \$ORIGIN)"

# javadoc -Xdoclint:all said nothing, and documented the public API only.
javadoc_log=$(dirname "$javadoc_jar")/javadoc.log
[ -f "$javadoc_log" ] && [ ! -s "$javadoc_log" ] || fail "javadoc said: $(cat "$javadoc_log")"
pages=$("$jar_tool" --list --file "$javadoc_jar")
grep -qx "io/qtensor/QTensor.html" <<<"$pages" || fail "no QTensor page in $javadoc_jar"
! grep -q "io/qtensor/Native" <<<"$pages" || fail "$javadoc_jar documents SWIG's classes"
echo "javadoc: no warnings, $(grep -c '^io/qtensor/[A-Z].*\.html$' <<<"$pages") class pages"

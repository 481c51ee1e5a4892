#!/usr/bin/env bash
# The jar with its pom, javadoc and sources jars installed into a scratch
# Maven repository by Maven's install plugin, as docs/java.md's
# `mvn install:install-file` does: Maven must accept the pom, and the
# repository must then hold io/qtensor/qtensor/VERSION/ with each file byte
# for byte. Offline, with Debian's maven and install plugin: a settings file
# mirrors every repository to /usr/share/maven-repo, which has no index of
# plugin prefixes, so the plugin is named in full.
# usage: check_maven_install.sh MVN JAR POM JAVADOC_JAR SOURCES_JAR VERSION
set -euo pipefail
mvn=$1 jar=$2 pom=$3 javadoc_jar=$4 sources_jar=$5 version=$6
fail() { echo "FAIL: $*"; exit 1; }
debian_repo=/usr/share/maven-repo
plugins=$debian_repo/org/apache/maven/plugins/maven-install-plugin
plugin_version=$(find "$plugins" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1)
[ -n "$plugin_version" ] || fail "no Maven install plugin in $plugins (libmaven-install-plugin-java)"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/qtensor-maven.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/settings.xml" <<SETTINGS
<settings>
  <localRepository>$scratch/repository</localRepository>
  <mirrors>
    <mirror><id>debian</id><mirrorOf>*</mirrorOf><url>file://$debian_repo</url></mirror>
  </mirrors>
</settings>
SETTINGS
(cd "$scratch" && HOME=$scratch "$mvn" -B -q -s settings.xml \
   "org.apache.maven.plugins:maven-install-plugin:$plugin_version:install-file" \
   -Dfile="$jar" -DpomFile="$pom" -Djavadoc="$javadoc_jar" -Dsources="$sources_jar") \
  >"$scratch/mvn.log" 2>&1 || { cat "$scratch/mvn.log"; fail "mvn install-file"; }

installed=$scratch/repository/io/qtensor/qtensor/$version
for pair in "$jar:qtensor-$version.jar" "$pom:qtensor-$version.pom" \
            "$javadoc_jar:qtensor-$version-javadoc.jar" "$sources_jar:qtensor-$version-sources.jar"; do
  cmp "${pair%%:*}" "$installed/${pair#*:}" || fail "$installed/${pair#*:} is not ${pair%%:*}"
done
echo "Maven installed io.qtensor:qtensor:$version (jar, pom, javadoc, sources) with install plugin $plugin_version"

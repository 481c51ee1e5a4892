#!/usr/bin/env bash
# The C# NuGet package as a user gets it. The target qtensor_nupkg packs
# QTensor.VERSION.nupkg; its file list, nuspec id and version are checked and
# no file in it may name the source or build tree. `nuget install` from a
# local folder feed lays it out under packages/QTensor.VERSION/ in a scratch
# directory outside the trees; NupkgConsumer.cs is compiled against
# lib/net45/QTensor.dll there and run by mono in two layouts, with nothing
# pointing into the build tree: an app folder as a NuGet consumer's build
# output is (the assembly plus runtimes/linux-x64/native/), and the package
# folder itself on MONO_PATH. A classic project (packages.config style,
# importing build/net45/QTensor.targets) is built by xbuild for .NET
# Framework 4.5, whose reference assemblies it compiles against, and run from
# its output. The output is compared each time. Without libqtensor beside the
# module, the error must name it.
# Last, docs/csharp.md's examples run against the installed package.
# usage: check_nupkg.sh BUILD_DIR SOURCE_DIR THIS_DIR NUPKG VERSION LIBRARY_SONAME MCS MONO NUGET
#                       XBUILD DOC_RUNNER
set -euo pipefail
unset LD_LIBRARY_PATH MONO_PATH MONO_CONFIG
build=$1 source=$2 here=$3 nupkg=$4 version=$5 soname=$6 mcs=$7 mono=$8 nuget=$9 xbuild=${10}
doc_runner=${11}
fail() { echo "FAIL: $*"; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/qtensor-nupkg.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export HOME=$scratch/home  # nuget writes its config under HOME
mkdir -p "$HOME" "$scratch/feed"

cmake --build "$build" --target qtensor_nupkg >"$scratch/pack.log" 2>&1 ||
  { cat "$scratch/pack.log"; fail "cmake --build --target qtensor_nupkg"; }
cp "$nupkg" "$scratch/feed/"
package=$scratch/feed/$(basename "$nupkg")

# --- The package's contents.
native=runtimes/linux-x64/native
expected_files=$(printf '%s\n' '[Content_Types].xml' QTensor.nuspec _rels/.rels \
  lib/net45/QTensor.dll lib/net45/QTensor.xml build/net45/QTensor.targets "$native/$soname" "$native/libqtensor_csharp.so" \
  package/services/metadata/core-properties/ | sort)
actual_files=$(unzip -Z1 "$package" | sed 's#core-properties/.*\.psmdcp$#core-properties/#' | sort)
[ "$actual_files" = "$expected_files" ] ||
  fail "file list: $(diff <(echo "$expected_files") <(echo "$actual_files") || true)"
nuspec=$(unzip -p "$package" QTensor.nuspec)
grep -qx "  *<id>QTensor</id>" <<<"$nuspec" || fail "nuspec id: $nuspec"
grep -qx "  *<version>$version</version>" <<<"$nuspec" || fail "nuspec version (want $version): $nuspec"
unzip -q "$package" -d "$scratch/contents"
for tree in "$build" "$source"; do
  named=$(grep -rlaF "$tree" "$scratch/contents" || true)
  [ -z "$named" ] || fail "files naming $tree: $named"
done

# --- Installed from a folder feed, as nuget lays it out.
(cd "$scratch" && "$nuget" install QTensor -Version "$version" -Source "$scratch/feed" \
   -OutputDirectory packages -NonInteractive >"$scratch/install.log" 2>&1) ||
  { cat "$scratch/install.log"; fail "nuget install"; }
installed=$scratch/packages/QTensor.$version
[ -f "$installed/lib/net45/QTensor.dll" ] || fail "nuget install laid out: $(find "$scratch/packages")"
mkdir -p "$scratch/out" "$scratch/elsewhere"
"$mcs" -nologo -out:"$scratch/out/NupkgConsumer.exe" -r:"$installed/lib/net45/QTensor.dll" \
  "$here/NupkgConsumer.cs" || fail "mcs"

expected_output() { sed "s/@VERSION@/$version/g" "$here/nupkg_consumer.expected"; }
check_run() {  # LABEL, then the command
  local label=$1; shift
  local output
  output=$(cd "$scratch/elsewhere" && "$@" 2>&1) || { echo "$output"; fail "$label: exit status"; }
  [ "$output" = "$(expected_output)" ] ||
    fail "$label: output differs: $(diff <(expected_output) <(echo "$output") || true)"
  echo "ok: $label"
}

# The app folder a NuGet consumer's build output is: the assembly beside the
# program, the natives under runtimes/RID/native/.
app=$scratch/app
mkdir -p "$app"
cp "$scratch/out/NupkgConsumer.exe" "$installed/lib/net45/QTensor.dll" "$app/"
cp -r "$installed/runtimes" "$app/"
check_run "app folder" "$mono" "$app/NupkgConsumer.exe"

# The package folder itself, found through MONO_PATH.
check_run "package folder" env MONO_PATH="$installed/lib/net45" "$mono" "$scratch/out/NupkgConsumer.exe"

# A project built by xbuild for .NET Framework 4.5 with the package's
# targets file imported, as NuGet's packages.config restore adds it.
project=$scratch/project
mkdir -p "$project"
cp "$here/NupkgConsumer.cs" "$project/"
cat >"$project/Consumer.csproj" <<PROJECT
<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="4.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <AssemblyName>NupkgConsumer</AssemblyName>
    <TargetFrameworkVersion>v4.5</TargetFrameworkVersion>
    <OutputPath>bin/</OutputPath>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="System" />
    <Reference Include="QTensor"><HintPath>$installed/lib/net45/QTensor.dll</HintPath></Reference>
    <Compile Include="NupkgConsumer.cs" />
  </ItemGroup>
  <Import Project="\$(MSBuildToolsPath)/Microsoft.CSharp.targets" />
  <Import Project="$installed/build/net45/QTensor.targets" />
</Project>
PROJECT
(cd "$project" && "$xbuild" /nologo /verbosity:minimal Consumer.csproj >"$scratch/xbuild.log" 2>&1) ||
  { cat "$scratch/xbuild.log"; fail "xbuild"; }
for file in QTensor.dll "$native/libqtensor_csharp.so" "$native/$soname"; do
  [ -f "$project/bin/$file" ] || fail "xbuild's output lacks $file: $(find "$project/bin")"
done
check_run "xbuild output" "$mono" "$project/bin/NupkgConsumer.exe"

# Without libqtensor beside the module, the error names what is missing.
broken=$scratch/broken
mkdir -p "$broken/runtimes/linux-x64/native"
cp "$app/NupkgConsumer.exe" "$app/QTensor.dll" "$broken/"
cp "$installed/$native/libqtensor_csharp.so" "$broken/$native/"
if output=$(cd "$scratch/elsewhere" && "$mono" "$broken/NupkgConsumer.exe" 2>&1); then
  fail "ran without $soname"
fi
grep -qF "cannot load $broken/$native/libqtensor_csharp.so: $soname: cannot open shared object file" \
  <<<"$output" || { echo "$output"; fail "no clear error without $soname"; }
echo "ok: a clear error without $soname"

# docs/csharp.md's examples, compiled against the installed assembly and run
# beside it with the package's runtimes/ folder (the app-folder layout).
docs=$scratch/docs
mkdir -p "$docs"
cp -r "$installed/runtimes" "$docs/"
(cd "$scratch/elsewhere" && "$mono" "$doc_runner" "$source/docs/csharp.md" "$docs" "$mcs" "$mono" \
   "$installed/lib/net45/QTensor.dll") >"$scratch/docs.log" 2>&1 ||
  { cat "$scratch/docs.log"; fail "docs/csharp.md against the installed package"; }
[ ! -e "$docs/QTensor.dll.config" ] || fail "the docs run used a dllmap"
echo "ok: docs/csharp.md's examples against the installed package"

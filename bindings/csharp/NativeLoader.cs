// Finds the native module libqtensor_csharp.so where a NuGet package puts it
// (runtimes/RID/native/) before the first P/Invoke, so no dllmap or
// LD_LIBRARY_PATH is needed. Modern .NET gets a DllImport resolver
// (NativeLibrary.SetDllImportResolver, looked up by reflection since Mono
// lacks it); Mono gets the module loaded by absolute path first, which its
// own lookup of "libqtensor_csharp.so" then finds by SONAME.
//
// Every public class calls EnsureLoaded from its static constructor. Mono
// resolves a P/Invoke when it compiles the generated method that calls it,
// before that class's own static constructor runs; the public classes'
// constructors run before any generated method is compiled.
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace QTensor {

static class NativeLoader {
  // The name the generated P/Invokes import (SWIG's -dllimport).
  internal const string ModuleName = "qtensor_csharp";

  static bool done;
  static readonly object gate = new object();

  // Where to look for the module, best first, for an operating system
  // ("linux", "osx", "win"), an architecture ("x64", "arm64", "x86", "arm")
  // and the directory holding QTensor.dll: the app's runtimes/RID/native/
  // (the layout a NuGet consumer's output gets), beside the assembly, and
  // the package's own runtimes/ folder two levels up (running straight from
  // packages/QTensor.VERSION/lib/TFM/).
  internal static List<string> CandidatePaths(string os, string arch, string assemblyDir) {
    if (os == null) throw new ArgumentNullException(nameof(os));
    if (arch == null) throw new ArgumentNullException(nameof(arch));
    if (assemblyDir == null) throw new ArgumentNullException(nameof(assemblyDir));
    string file = FileName(os);
    string native = Path.Combine("runtimes", os + "-" + arch, "native");
    return new List<string> {
      Path.Combine(assemblyDir, native, file),
      Path.Combine(assemblyDir, file),
      Path.GetFullPath(Path.Combine(assemblyDir, "..", "..", native, file)),
    };
  }

  internal static string FileName(string os) {
    switch (os) {
      case "win": return ModuleName + ".dll";
      case "osx": return "lib" + ModuleName + ".dylib";
      default: return "lib" + ModuleName + ".so";
    }
  }

  // .NET 4.5 has no RuntimeInformation: the OS from Environment, the
  // architecture from RuntimeInformation by reflection where the runtime
  // has it (Mono 6, .NET Core), else from the pointer size.
  internal static string CurrentOs() {
    if (Environment.OSVersion.Platform == PlatformID.Win32NT) return "win";
    bool mac = Environment.OSVersion.Platform == PlatformID.MacOSX ||
               Directory.Exists("/System/Library/CoreServices");
    return mac ? "osx" : "linux";
  }

  internal static string CurrentArch() {
    Type info = Type.GetType("System.Runtime.InteropServices.RuntimeInformation");
    PropertyInfo architecture = info?.GetProperty("ProcessArchitecture");
    if (architecture != null) return architecture.GetValue(null).ToString().ToLowerInvariant();
    return IntPtr.Size == 8 ? "x64" : "x86";
  }

  // The first candidate that exists, or null (then the runtime's own lookup,
  // a dllmap or the module beside the assembly, decides).
  internal static string Find() {
    string location = typeof(NativeLoader).Assembly.Location;
    if (string.IsNullOrEmpty(location)) return null;
    foreach (string path in CandidatePaths(CurrentOs(), CurrentArch(),
                                           Path.GetDirectoryName(location))) {
      if (File.Exists(path)) return path;
    }
    return null;
  }

  // Does its work once; every public class's static constructor calls it.
  internal static void EnsureLoaded() {
    lock (gate) {
      if (done) return;
      done = true;
      if (RegisterResolver()) return;
      string path = Find();
      if (path != null && CurrentOs() == "linux") Preload(path);
    }
  }

  // Modern .NET: NativeLibrary.SetDllImportResolver(assembly, Resolve).
  static bool RegisterResolver() {
    Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary");
    Type resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver");
    if (nativeLibrary == null || resolverType == null) return false;
    MethodInfo set = nativeLibrary.GetMethod("SetDllImportResolver",
                                             new[] { typeof(Assembly), resolverType });
    MethodInfo load = nativeLibrary.GetMethod("Load", new[] { typeof(string) });
    if (set == null || load == null) return false;
    loadByPath = load;
    Delegate resolver = Delegate.CreateDelegate(
        resolverType, typeof(NativeLoader).GetMethod("Resolve",
                                                     BindingFlags.NonPublic | BindingFlags.Static));
    set.Invoke(null, new object[] { typeof(NativeLoader).Assembly, resolver });
    return true;
  }

  static MethodInfo loadByPath;

  // The resolver: our module from the first candidate that exists; anything
  // else (or no candidate) to the runtime's default lookup.
  static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) {
    if (libraryName != ModuleName) return IntPtr.Zero;
    string path = Find();
    if (path == null) return IntPtr.Zero;
    return (IntPtr)loadByPath.Invoke(null, new object[] { path });
  }

  const int RtldNow = 2;

  [DllImport("libdl.so.2")]
  static extern IntPtr dlopen(string file, int mode);

  [DllImport("libdl.so.2")]
  static extern IntPtr dlerror();

  static void Preload(string path) {
    if (dlopen(path, RtldNow) != IntPtr.Zero) return;
    string reason = Marshal.PtrToStringAnsi(dlerror());
    throw new DllNotFoundException("cannot load " + path + ": " + reason);
  }
}

}  // namespace QTensor

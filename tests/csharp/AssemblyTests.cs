// QTensor.dll as an assembly: its version is the project's (the native
// library's), and where NativeLoader looks for the native module.
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace QTensor.Tests {

[TestFixture]
public class AssemblyTests {
  static readonly Assembly Library_ = typeof(Tensor).Assembly;

  [Test]
  public void VersionIsTheProjectVersion() {
    Assert.AreEqual(new Version(Library.Version + ".0"), Library_.GetName().Version);
    Assert.AreEqual(Library.Version + ".0",
                    Library_.GetCustomAttribute<AssemblyFileVersionAttribute>().Version);
    Assert.AreEqual(Library.Version,
                    Library_.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
                        .InformationalVersion);
  }

  // Each public class runs NativeLoader from a static constructor, so that
  // it runs before Mono compiles the first P/Invoke (see NativeLoader.cs).
  [Test]
  public void EveryPublicClassHasAStaticConstructor() {
    string[] without = Library_.GetExportedTypes()
                           .Where(t => t.IsClass && !typeof(Exception).IsAssignableFrom(t))
                           .Where(t => t.TypeInitializer == null ||
                                       (t.Attributes & TypeAttributes.BeforeFieldInit) != 0)
                           .Select(t => t.Name)
                           .ToArray();
    CollectionAssert.IsEmpty(without);
  }

  [Test]
  public void CandidatePathsOnLinux() {
    CollectionAssert.AreEqual(
        new[] { "/app/runtimes/linux-x64/native/libqtensor_csharp.so",
                "/app/libqtensor_csharp.so",
                "/runtimes/linux-x64/native/libqtensor_csharp.so" },
        NativeLoader.CandidatePaths("linux", "x64", "/app"));
    CollectionAssert.AreEqual(
        new[] { "/p/QTensor.0.2.0/lib/net45/runtimes/linux-arm64/native/libqtensor_csharp.so",
                "/p/QTensor.0.2.0/lib/net45/libqtensor_csharp.so",
                "/p/QTensor.0.2.0/runtimes/linux-arm64/native/libqtensor_csharp.so" },
        NativeLoader.CandidatePaths("linux", "arm64", "/p/QTensor.0.2.0/lib/net45"));
  }

  [Test]
  public void CandidateFileNamesByOs() {
    Assert.AreEqual("qtensor_csharp.dll", NativeLoader.FileName("win"));
    Assert.AreEqual("libqtensor_csharp.dylib", NativeLoader.FileName("osx"));
    Assert.AreEqual("libqtensor_csharp.so", NativeLoader.FileName("linux"));
    StringAssert.EndsWith(Path.Combine("runtimes", "osx-arm64", "native", "libqtensor_csharp.dylib"),
                          NativeLoader.CandidatePaths("osx", "arm64", "/a/b")[0]);
  }

  [Test]
  public void CandidatePathsRefuseNull() {
    Assert.Throws<ArgumentNullException>(() => NativeLoader.CandidatePaths(null, "x64", "/a"));
    Assert.Throws<ArgumentNullException>(() => NativeLoader.CandidatePaths("linux", null, "/a"));
    Assert.Throws<ArgumentNullException>(() => NativeLoader.CandidatePaths("linux", "x64", null));
  }

  // This process runs on Mono, which has no NativeLibrary: the resolver for
  // modern .NET is not exercised here, the preload is.
  [Test]
  public void CurrentPlatform() {
    Assert.AreEqual("linux", NativeLoader.CurrentOs());
    CollectionAssert.Contains(new[] { "x64", "arm64", "x86", "arm" }, NativeLoader.CurrentArch());
    Assert.IsNull(Type.GetType("System.Runtime.InteropServices.NativeLibrary"),
                  "this runtime has NativeLibrary: the resolver path is the one in use");
  }
}

}  // namespace QTensor.Tests

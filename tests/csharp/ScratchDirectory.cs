// A fresh directory under the system's temporary one for each test of a
// fixture that derives from this class, removed after the test.
using System;
using System.IO;
using NUnit.Framework;

namespace QTensor.Tests {

public abstract class ScratchDirectoryTests {
  protected string directory;

  [SetUp]
  public void MakeDirectory() {
    directory = Path.Combine(Path.GetTempPath(), "qtensor-csharp-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(directory);
  }

  [TearDown]
  public void RemoveDirectory() => Directory.Delete(directory, true);
}

}  // namespace QTensor.Tests

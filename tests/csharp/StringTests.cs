// Strings reach the library as UTF-8: a string parameter holding U+0000
// (which would end the C string) or an unpaired surrogate (which has no
// UTF-8) throws ArgumentException naming the parameter, before the library
// sees it (docs/bindings.md), never a shortened name.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using QTensor;

namespace QTensor.Tests {

[TestFixture]
public class StringTests : ScratchDirectoryTests {
  static readonly string[] Unencodable = { "a\0b", "\0", "a\uD800b", "\uDC00",
                                           "a\uDBFF\uDBFF\uDC00" };

  [TearDown]
  public void RemoveSimdCap() => Library.SetMaxSimdTarget("");

  [Test]
  public void TheMessageNamesTheParameterAndTheCharacter() {
    using (var bundle = new Bundle())
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2 }, 0.5, 0)) {
      var nul = Assert.Throws<ArgumentException>(() => bundle["a\0b"] = a);
      Assert.AreEqual("name", nul.ParamName);
      StringAssert.StartsWith("name may not contain the character U+0000", nul.Message);
      var lone = Assert.Throws<ArgumentException>(() => bundle.Metadata["k"] = "a\uD800b");
      Assert.AreEqual("value", lone.ParamName);
      StringAssert.StartsWith("value may not contain an unpaired surrogate (U+D800 at index 1)",
                              lone.Message);
      var reversed = Assert.Throws<ArgumentException>(() => Tensor.Load("\uDC00\uD800"));
      Assert.AreEqual("path", reversed.ParamName);
      StringAssert.StartsWith("path may not contain an unpaired surrogate (U+DC00 at index 0)",
                              reversed.Message);
    }
  }

  // Each member, each bad string: refused, and nothing changed.
  [Test]
  public void BundleNamesMetadataAndPathsAreRefused() {
    using (var bundle = new Bundle())
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2 }, 0.5, 0)) {
      bundle["kept"] = a;
      bundle.Metadata["kept"] = "value";
      foreach (string bad in Unencodable) {
        string path = directory + "/" + bad;  // Path.Combine refuses U+0000
        Tensor unused;
        var calls = new Action[] {
          () => bundle[bad] = a, () => unused = bundle[bad], () => bundle.Add(bad, a),
          () => bundle.Remove(bad), () => bundle.ContainsKey(bad),
          () => bundle.TryGetValue(bad, out unused), () => bundle.Metadata[bad] = "value",
          () => bundle.Metadata["key"] = bad, () => { string value = bundle.Metadata[bad]; },
          () => bundle.Metadata.ContainsKey(bad), () => a.Save(path), () => Tensor.Load(path),
          () => bundle.Save(path), () => Bundle.Load(path), () => Library.SetMaxSimdTarget(bad),
        };
        foreach (Action call in calls) {
          var error = Assert.Throws<ArgumentException>(() => call());
          StringAssert.Contains(" may not contain ", error.Message);
        }
      }
      Assert.AreEqual(new[] { "kept" }, bundle.Keys);
      Assert.AreEqual(new[] { "kept" }, bundle.Metadata.Keys);
      Assert.AreEqual("value", bundle.Metadata["kept"]);
      Assert.IsEmpty(Directory.GetFileSystemEntries(directory));
    }
  }

  // By reflection, so that a member added later is held to the rule too:
  // every public member with a string parameter refuses each bad string in
  // it with ArgumentException (not a subclass) naming that parameter. (The
  // exceptions' constructors are left out: their messages stay in .NET.)
  [Test]
  public void EveryStringParameterOfThePublicApiIsChecked() {
    var failures = new List<string>();
    var checkedMembers = new List<string>();
    using (Tensor tensor = Tensor.MakePerTensorQuantized(new sbyte[] { 1 }, 1.0, 0))
    using (Quantizer quantizer = Quantizer.PerTensor(1.0, 0, DType.QInt8))
    using (var bundle = new Bundle())
    using (BundleFile file = OpenEmptyContainer())
    using (BundleWriter writer = BundleWriter.Open(Path.Combine(directory, "unfinished.qtc"))) {
      var targets = new Dictionary<Type, object> {
        { typeof(Tensor), tensor }, { typeof(Quantizer), quantizer }, { typeof(Bundle), bundle },
        { typeof(BundleMetadata), bundle.Metadata }, { typeof(BundleFile), file },
        { typeof(BundleFileMetadata), file.Metadata }, { typeof(BundleWriter), writer },
      };
      foreach (MethodBase method in PublicApi.Callables()) {
        if (typeof(Exception).IsAssignableFrom(method.DeclaringType)) continue;
        ParameterInfo[] parameters = method.GetParameters();
        for (int i = 0; i < parameters.Length; ++i) {
          if (parameters[i].ParameterType != typeof(string)) continue;
          checkedMembers.Add(PublicApi.Describe(method));
          foreach (string bad in Unencodable) {
            object[] arguments = PublicApi.Samples(method, tensor, quantizer);
            arguments[i] = directory + "/" + bad;
            object target = method.IsStatic || method is ConstructorInfo
                                ? null : targets[method.DeclaringType];
            Exception thrown = PublicApi.Thrown(method, target, arguments);
            var refused = thrown as ArgumentException;
            if (thrown?.GetType() != typeof(ArgumentException) ||
                refused.ParamName != parameters[i].Name) {
              failures.Add($"{PublicApi.Describe(method)}, {parameters[i].Name} = " +
                           $"\"{Escaped(bad)}\": " + (thrown?.GetType().Name ?? "no exception") +
                           (refused == null ? "" : $" naming \"{refused.ParamName}\""));
            }
          }
        }
      }
      Assert.AreEqual(0, bundle.Count);
      Assert.AreEqual(0, bundle.Metadata.Count);
    }
    Assert.IsEmpty(failures, string.Join("\n", failures));
    CollectionAssert.AreEquivalent(new[] {
      "Library.SetMaxSimdTarget(String target)",
      "Tensor.Save(String path)", "Tensor.Load(String path)",
      "Bundle.get_Item(String name)", "Bundle.set_Item(String name, Tensor value)",
      "Bundle.Add(String name, Tensor tensor)", "Bundle.Remove(String name)",
      "Bundle.SetFloat(String name, Byte[] data, Int64[] shape, FloatDType dtype)",
      "Bundle.IsFloat(String name)", "Bundle.FloatDType(String name)",
      "Bundle.FloatShape(String name)", "Bundle.FloatData(String name)",
      "Bundle.FloatValues(String name)",
      "Bundle.ContainsKey(String name)", "Bundle.TryGetValue(String name, Tensor& tensor)",
      "Bundle.Save(String path)", "Bundle.Load(String path)", "Bundle.SaveGguf(String path)",
      "Bundle.SaveOnnx(String path)", "Bundle.LoadOnnx(String path)",
      "Bundle.LoadGguf(String path)",
      "BundleMetadata.get_Item(String key)", "BundleMetadata.set_Item(String key, String value)",
      "BundleMetadata.ContainsKey(String key)",
      "Bundle.SaveContainer(String path)", "Bundle.SaveMessage(String path)",
      "BundleFile.Open(String path)", "BundleFile.Contains(String name)",
      "BundleFile.Get(String name)", "BundleFile.IsFloat(String name)",
      "BundleFile.Shape(String name)", "BundleFile.DType(String name)",
      "BundleFile.Quantizer(String name)", "BundleFile.FloatDType(String name)",
      "BundleFile.PayloadOffset(String name)", "BundleFile.PayloadLength(String name)",
      "BundleFile.ReadPayload(String name)", "BundleFile.Verify(String name)",
      "BundleFileMetadata.get_Item(String key)", "BundleFileMetadata.ContainsKey(String key)",
      "BundleFileMetadata.TryGetValue(String key, String& value)",
      "BundleWriter.Open(String path)", "BundleWriter.Add(String name, Tensor tensor)",
      "BundleWriter.AddFloat(String name, Byte[] data, Int64[] shape, FloatDType dtype)",
      "BundleWriter.SetMetadata(String key, String value)",
    }, checkedMembers.Distinct());
  }

  BundleFile OpenEmptyContainer() {
    string path = Path.Combine(directory, "empty.qtc");
    using (var empty = new Bundle()) empty.SaveContainer(path);
    return BundleFile.Open(path);
  }

  static string Escaped(string text) {
    return string.Concat(text.Select(c => c < ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:X4}"
                                                                          : c.ToString()));
  }

  // A paired surrogate is a character: it reaches the library whole.
  [Test]
  public void PairedSurrogatesAndOtherTextPass() {
    using (var bundle = new Bundle())
    using (Tensor a = Tensor.MakePerTensorQuantized(new sbyte[] { 1, 2 }, 0.5, 0)) {
      bundle["a\uD83D\uDE00"] = a;
      bundle.Metadata["auteur"] = "Zo\u00eb, \u91cf\u5316 \uD83D\uDE00";
      string path = Path.Combine(directory, "\u91cf\u5316 \uD83D\uDE00.qtb");
      bundle.Save(path);
      using (Bundle copy = Bundle.Load(path)) {
        Assert.AreEqual(new[] { "a\uD83D\uDE00" }, copy.Keys);
        Assert.AreEqual("Zo\u00eb, \u91cf\u5316 \uD83D\uDE00", copy.Metadata["auteur"]);
        Assert.IsTrue(copy.ContainsKey("a\uD83D\uDE00"));
      }
    }
  }
}

}  // namespace QTensor.Tests

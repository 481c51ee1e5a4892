// Argument checks and native-buffer conversions shared by the public classes.
using System;

namespace QTensor {

internal static class Arguments {
  internal static T NotNull<T>(T value, string name) where T : class {
    if (value == null) throw new ArgumentNullException(name);
    return value;
  }

  // What keeps text from reaching the library whole as UTF-8 (U+0000 ends a
  // C string; an unpaired surrogate has no UTF-8), or null if nothing does.
  // Scales and zero points: both given, one of each per channel.
  internal static void SameLength(Array scales, Array zeroPoints) {
    NotNull(scales, nameof(scales));
    NotNull(zeroPoints, nameof(zeroPoints));
    if (scales.Length != zeroPoints.Length) {
      throw new QTensorArgumentException(
          $"{scales.Length} scales but {zeroPoints.Length} zero points");
    }
  }

  internal static string Unencodable(string text) {
    for (int i = 0; i < text.Length; ++i) {
      char c = text[i];
      if (c == '\0') return "the character U+0000";
      if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) {
        ++i;
      } else if (char.IsSurrogate(c)) {
        return $"an unpaired surrogate (U+{(int)c:X4} at index {i})";
      }
    }
    return null;
  }

  // Every string parameter of the public API (docs/bindings.md's rule): null
  // throws ArgumentNullException, and text the library could not get whole
  // ArgumentException, both naming the parameter.
  internal static string Text(string text, string name) {
    NotNull(text, name);
    string problem = Unencodable(text);
    if (problem != null) throw new ArgumentException($"{name} may not contain {problem}", name);
    return text;
  }

  // Every string passed to a native call (the csin typemap of std::string in
  // qtensor_csharp.i), behind Text's checks: the marshaller would cut it at
  // U+0000, or fail on an unpaired surrogate with its own message. null
  // passes on to SWIG's check.
  internal static string Utf8(string text) {
    string problem = text == null ? null : Unencodable(text);
    if (problem != null) {
      throw new ArgumentException($"a string given to the library may not contain {problem}");
    }
    return text;
  }

  // Copies the native serialized bytes into a new array and frees them.
  internal static byte[] TakeBytes(Bytes bytes) {
    using (bytes) {
      long size = bytes.Size();
      var result = new byte[size];
      bytes.CopyTo(result, size);
      return result;
    }
  }
}

}  // namespace QTensor

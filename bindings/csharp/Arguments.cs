// Argument checks and native-buffer conversions shared by the public classes.
using System;

namespace QTensor {

internal static class Arguments {
  internal static T NotNull<T>(T value, string name) where T : class {
    if (value == null) throw new ArgumentNullException(name);
    return value;
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

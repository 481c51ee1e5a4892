// The file format (proto/qtensor.proto): one tensor per file or byte array.
// A view is written as a contiguous tensor with its values and parameters.
using System;

namespace QTensor {

public sealed partial class Tensor {
  /// <summary>This view in the qtensor file format, as bytes.</summary>
  public byte[] Serialize() => Arguments.TakeBytes(Native.SerializeBytes());

  /// <summary>
  /// A tensor from bytes of the file format (malformed data:
  /// <see cref="QTensorCorruptDataException"/>).
  /// </summary>
  public static Tensor Deserialize(byte[] data) {
    Arguments.NotNull(data, nameof(data));
    return new Tensor(NativeTensor.DeserializeBytes(data, data.Length));
  }

  /// <summary>Writes this view to a file (<see cref="QTensorIOException"/> on failure).</summary>
  public void Save(string path) => Native.save(Arguments.Text(path, nameof(path)));

  /// <summary>
  /// Reads a tensor from a file written by any qtensor language (a missing
  /// or unreadable file: <see cref="QTensorIOException"/>).
  /// </summary>
  public static Tensor Load(string path) {
    return new Tensor(NativeTensor.load(Arguments.Text(path, nameof(path))));
  }
}

}  // namespace QTensor

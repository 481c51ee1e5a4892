// The file format (proto/qtensor.proto): one tensor per file or byte array.
// A view is written as a contiguous tensor with its values and parameters.
using System;

namespace QTensor {

public sealed partial class Tensor {
  public byte[] Serialize() => Arguments.TakeBytes(Native.SerializeBytes());

  public static Tensor Deserialize(byte[] data) {
    Arguments.NotNull(data, nameof(data));
    return new Tensor(NativeTensor.DeserializeBytes(data, data.Length));
  }

  public void Save(string path) => Native.save(Arguments.Text(path, nameof(path)));

  public static Tensor Load(string path) {
    return new Tensor(NativeTensor.load(Arguments.Text(path, nameof(path))));
  }
}

}  // namespace QTensor

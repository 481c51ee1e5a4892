// A program built against QTensor.dll as the NuGet package delivers it: it
// quantizes (its first native call goes through a generated proxy class),
// adds and dequantizes, then prints the versions it sees.
using System;
using QTensor;

static class NupkgConsumer {
  static void Main() {
    using (Tensor q = Tensor.QuantizePerTensor(new float[] { -1.0f, 0.0f, 0.5f, 2.0f },
                                               new long[] { 2, 2 }, 0.5, 2, DType.QUInt8))
    using (Tensor sum = q.Add(q, 0.25, 0)) {
      Console.WriteLine("int_repr " + string.Join(" ", (byte[])q.IntRepr()));
      Console.WriteLine("sum " + string.Join(" ", sum.Dequantize()));
    }
    Console.WriteLine("library " + Library.Version);
    Console.WriteLine("assembly " + typeof(Tensor).Assembly.GetName().Version);
  }
}

// Runs the two models of docs/examples/models.qt (written by
// export_models.py from PyTorch) with qtensor's C# binding alone, and prints
// the same two lines as run_models.c: the CNN's output integers and the
// MLP's output floats as their bits in hex.
//
//   mcs -r:QTensor.dll RunModels.cs && mono RunModels.exe MODELS.qt
using System;
using System.Linq;
using QTensor;

public static class RunModels {
  static string[] Words(Bundle models, string key) =>
      models.Metadata[key].Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);

  static float[] Floats(Bundle models, string key) =>
      Words(models, key)
          .Select(w => BitConverter.ToSingle(BitConverter.GetBytes(Convert.ToUInt32(w, 16)), 0))
          .ToArray();

  static double Scale(Bundle models, string key) =>
      BitConverter.Int64BitsToDouble(Convert.ToInt64(models.Metadata[key], 16));

  static long[] Ints(Bundle models, string key) => Words(models, key).Select(long.Parse).ToArray();

  static Tensor ConvRelu(Bundle models, string layer, Tensor x) {
    using (Tensor weight = models[layer + ".weight"])
    using (PackedConv2d packed = PackedConv2d.Prepack(
               weight, Floats(models, layer + ".bias"), Ints(models, layer + ".stride"),
               Ints(models, layer + ".padding"), Ints(models, layer + ".dilation"),
               Ints(models, layer + ".groups")[0])) {
      return x.Conv2dRelu(packed, Scale(models, layer + ".scale"),
                          Ints(models, layer + ".zero_point")[0]);
    }
  }

  static string RunCnn(Bundle models) {
    using (Tensor input = Tensor.QuantizePerTensor(
               Floats(models, "cnn.input"), Ints(models, "cnn.input_shape"),
               Scale(models, "cnn.quant.scale"), Ints(models, "cnn.quant.zero_point")[0],
               DType.QUInt8))
    using (Tensor conv1 = ConvRelu(models, "cnn.conv1", input))
    using (Tensor pooled = conv1.MaxPool2d(new long[] { 2 }, null, new long[] { 0 },
                                           new long[] { 1 }, false))
    using (Tensor conv2 = ConvRelu(models, "cnn.conv2", pooled))
    using (Tensor averaged = conv2.AdaptiveAvgPool2d(1))
    using (Tensor flat = averaged.Flatten(1))
    using (Tensor fcWeight = models["cnn.fc.weight"])
    using (PackedLinear fc = PackedLinear.Prepack(fcWeight, Floats(models, "cnn.fc.bias")))
    using (Tensor y = flat.Linear(fc, Scale(models, "cnn.fc.scale"),
                                  Ints(models, "cnn.fc.zero_point")[0])) {
      return "cnn: " + string.Join(" ", y.IntRepr<byte>());
    }
  }

  // PyTorch's dynamic Linear module calls linear_dynamic with reduce_range
  // true, so this does too.
  static string RunMlp(Bundle models) {
    using (Tensor w1 = models["mlp.fc1.weight"])
    using (Tensor w2 = models["mlp.fc2.weight"])
    using (PackedLinear fc1 = PackedLinear.Prepack(w1, Floats(models, "mlp.fc1.bias")))
    using (PackedLinear fc2 = PackedLinear.Prepack(w2, Floats(models, "mlp.fc2.bias"))) {
      long[] shape = Ints(models, "mlp.input_shape");
      float[] hidden = fc1.LinearDynamic(Floats(models, "mlp.input"), shape, true);
      for (int i = 0; i < hidden.Length; ++i) hidden[i] = hidden[i] > 0.0f ? hidden[i] : 0.0f;
      float[] y = fc2.LinearDynamic(hidden, new[] { shape[0], fc1.OutFeatures }, true);
      return "mlp: " + string.Join(" ", y.Select(
                                           v => BitConverter.ToUInt32(BitConverter.GetBytes(v), 0)
                                                    .ToString("x8")));
    }
  }

  public static int Main(string[] args) {
    using (Bundle models = Bundle.Load(args[0])) {
      Console.WriteLine(RunCnn(models));
      Console.WriteLine(RunMlp(models));
    }
    return 0;
  }
}

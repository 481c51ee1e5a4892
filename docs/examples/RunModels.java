// Runs the two models of docs/examples/models.qt (written by
// export_models.py from PyTorch) with qtensor's Java binding alone, and
// prints the same two lines as run_models.c: the CNN's output integers and
// the MLP's output floats as their bits in hex.
//
//   java -cp qtensor.jar RunModels.java MODELS.qt
import io.qtensor.Bundle;
import io.qtensor.DType;
import io.qtensor.PackedConv2d;
import io.qtensor.PackedLinear;
import io.qtensor.QTensor;
import java.util.Arrays;
import java.util.StringJoiner;

public final class RunModels {
  private RunModels() {}

  private static float[] floats(Bundle models, String key) {
    String[] words = models.getMetadata(key).trim().split(" +");
    float[] out = new float[words.length];
    for (int i = 0; i < words.length; ++i) {
      out[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(words[i], 16));
    }
    return out;
  }

  private static double scale(Bundle models, String key) {
    return Double.longBitsToDouble(Long.parseUnsignedLong(models.getMetadata(key).trim(), 16));
  }

  private static long[] ints(Bundle models, String key) {
    return Arrays.stream(models.getMetadata(key).trim().split(" +"))
        .mapToLong(Long::parseLong)
        .toArray();
  }

  private static QTensor convRelu(Bundle models, String layer, QTensor x) {
    try (QTensor weight = models.get(layer + ".weight");
         PackedConv2d packed = PackedConv2d.prepack(weight, floats(models, layer + ".bias"),
             ints(models, layer + ".stride"), ints(models, layer + ".padding"),
             ints(models, layer + ".dilation"), ints(models, layer + ".groups")[0])) {
      return x.conv2dRelu(packed, scale(models, layer + ".scale"),
                          ints(models, layer + ".zero_point")[0]);
    }
  }

  private static String runCnn(Bundle models) {
    try (QTensor input = QTensor.quantizePerTensor(floats(models, "cnn.input"),
             ints(models, "cnn.input_shape"), scale(models, "cnn.quant.scale"),
             ints(models, "cnn.quant.zero_point")[0], DType.QUINT8);
         QTensor conv1 = convRelu(models, "cnn.conv1", input);
         QTensor pooled = conv1.maxPool2d(new long[] {2}, null, new long[] {0}, new long[] {1},
                                          false);
         QTensor conv2 = convRelu(models, "cnn.conv2", pooled);
         QTensor averaged = conv2.adaptiveAvgPool2d(1);
         QTensor flat = averaged.flatten(1, -1);
         QTensor fcWeight = models.get("cnn.fc.weight");
         PackedLinear fc = PackedLinear.prepack(fcWeight, floats(models, "cnn.fc.bias"));
         QTensor y = flat.linear(fc, scale(models, "cnn.fc.scale"),
                                 ints(models, "cnn.fc.zero_point")[0])) {
      StringJoiner line = new StringJoiner(" ", "cnn: ", "");
      for (int v : y.intRepr()) line.add(Integer.toString(v));
      return line.toString();
    }
  }

  // PyTorch's dynamic Linear module calls linear_dynamic with reduce_range
  // true, so this does too.
  private static String runMlp(Bundle models) {
    try (QTensor w1 = models.get("mlp.fc1.weight");
         QTensor w2 = models.get("mlp.fc2.weight");
         PackedLinear fc1 = PackedLinear.prepack(w1, floats(models, "mlp.fc1.bias"));
         PackedLinear fc2 = PackedLinear.prepack(w2, floats(models, "mlp.fc2.bias"))) {
      long[] shape = ints(models, "mlp.input_shape");
      float[] hidden = fc1.linearDynamic(floats(models, "mlp.input"), shape, true);
      for (int i = 0; i < hidden.length; ++i) hidden[i] = hidden[i] > 0.0f ? hidden[i] : 0.0f;
      float[] y = fc2.linearDynamic(hidden, new long[] {shape[0], fc1.outFeatures()}, true);
      StringJoiner line = new StringJoiner(" ", "mlp: ", "");
      for (float v : y) line.add(String.format("%08x", Float.floatToRawIntBits(v)));
      return line.toString();
    }
  }

  public static void main(String[] args) {
    try (Bundle models = Bundle.load(args[0])) {
      System.out.println(runCnn(models));
      System.out.println(runMlp(models));
    }
  }
}

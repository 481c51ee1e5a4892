// Runs the two models of docs/examples/models.qt (written by
// export_models.py from PyTorch) with qtensor's C++ facade alone, and prints
// the same two lines as run_models.c: the CNN's output integers and the
// MLP's output floats as their bits in hex. Usage: run_models MODELS.qt
#include <qtensor/qtensor.hpp>

#include <array>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// The values of a metadata string: hex bits of float32 (bits 32) or double
// (bits 64), or decimal integers (bits 0).
std::vector<float> Floats(const qtensor::Bundle& models, const std::string& key) {
  std::istringstream in(models.metadata(key));
  std::vector<float> out;
  for (std::string word; in >> word;) {
    const auto bits = static_cast<uint32_t>(std::stoul(word, nullptr, 16));
    float v;
    std::memcpy(&v, &bits, sizeof v);
    out.push_back(v);
  }
  return out;
}
double Scale(const qtensor::Bundle& models, const std::string& key) {
  const uint64_t bits = std::stoull(models.metadata(key), nullptr, 16);
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}
std::vector<int64_t> Ints(const qtensor::Bundle& models, const std::string& key) {
  std::istringstream in(models.metadata(key));
  std::vector<int64_t> out;
  for (int64_t v; in >> v;) out.push_back(v);
  return out;
}
std::array<int64_t, 2> Pair(const qtensor::Bundle& models, const std::string& key) {
  const std::vector<int64_t> v = Ints(models, key);
  return {v.at(0), v.at(1)};
}

qtensor::Tensor ConvRelu(const qtensor::Bundle& models, const std::string& layer,
                         const qtensor::Tensor& x) {
  qtensor::Conv2dSettings settings;
  settings.stride = Pair(models, layer + ".stride");
  settings.padding = Pair(models, layer + ".padding");
  settings.dilation = Pair(models, layer + ".dilation");
  settings.groups = Ints(models, layer + ".groups").at(0);
  const qtensor::PackedConv2d packed = qtensor::PackedConv2d::prepack(
      models.get(layer + ".weight"), Floats(models, layer + ".bias"), settings);
  return qtensor::conv2d_relu(x, packed, Scale(models, layer + ".scale"),
                              Ints(models, layer + ".zero_point").at(0));
}

void RunCnn(const qtensor::Bundle& models) {
  const qtensor::Tensor input = qtensor::Tensor::QuantizePerTensor(
      Floats(models, "cnn.input"), Ints(models, "cnn.input_shape"),
      Scale(models, "cnn.quant.scale"), Ints(models, "cnn.quant.zero_point").at(0), QT_QUINT8);
  qtensor::Tensor x = ConvRelu(models, "cnn.conv1", input).max_pool2d({2, 2});
  x = ConvRelu(models, "cnn.conv2", x).adaptive_avg_pool2d({1, 1}).flatten(1);
  const qtensor::PackedLinear fc =
      qtensor::PackedLinear::prepack(models.get("cnn.fc.weight"), Floats(models, "cnn.fc.bias"));
  const qtensor::Tensor y = qtensor::linear(x, fc, Scale(models, "cnn.fc.scale"),
                                            Ints(models, "cnn.fc.zero_point").at(0));
  std::printf("cnn:");
  for (const uint8_t v : y.int_repr<uint8_t>()) std::printf(" %u", static_cast<unsigned>(v));
  std::printf("\n");
}

// PyTorch's dynamic Linear module calls linear_dynamic with reduce_range
// true, so this does too.
void RunMlp(const qtensor::Bundle& models) {
  const qtensor::PackedLinear fc1 =
      qtensor::PackedLinear::prepack(models.get("mlp.fc1.weight"), Floats(models, "mlp.fc1.bias"));
  const qtensor::PackedLinear fc2 =
      qtensor::PackedLinear::prepack(models.get("mlp.fc2.weight"), Floats(models, "mlp.fc2.bias"));
  const std::vector<int64_t> shape = Ints(models, "mlp.input_shape");
  std::vector<float> hidden =
      qtensor::linear_dynamic(Floats(models, "mlp.input"), shape, fc1, true);
  for (float& v : hidden) v = v > 0.0f ? v : 0.0f;
  const std::vector<float> y = qtensor::linear_dynamic(
      hidden, {shape.at(0), static_cast<int64_t>(fc1.out_features())}, fc2, true);
  std::printf("mlp:");
  for (const float v : y) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    std::printf(" %08" PRIx32, bits);
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " MODELS.qt\n";
    return 2;
  }
  try {
    const qtensor::Bundle models = qtensor::Bundle::load(argv[1]);
    RunCnn(models);
    RunMlp(models);
  } catch (const qtensor::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}

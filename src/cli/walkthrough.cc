#include "walkthrough.h"

#include <charconv>
#include <sstream>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace qtensor::cli {
namespace {

// The notebook's randn(2, 2, 3), as it printed it.
const std::vector<float> kFloatTensor = {0.1231f,  -1.9974f, 0.2806f, 0.6392f,  -0.2118f, 0.6879f,
                                         -0.1315f, -0.4067f, 0.5414f, -0.4595f, -1.7321f, -0.5273f};
// The notebook's randint(0, 100, (10,), dtype=uint8), as int_repr showed it.
const std::vector<uint8_t> kIntTensor = {66, 95, 39, 25, 1, 71, 94, 43, 13, 48};

std::string Shortest(float value) {
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

template <typename T, typename Format>
std::string List(const std::vector<T>& values, Format format, const char* open = "[",
                 const char* close = "]") {
  std::string text = open;
  for (size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + format(values[i]);
  return text + close;
}

std::string Floats(const std::vector<float>& values) { return List(values, Shortest); }

template <typename T>
std::string Ints(const std::vector<T>& values) {
  return List(values, [](T v) { return std::to_string(v); });
}

std::string Doubles(const std::vector<double>& values) {
  return List(values, [](double v) {
    std::ostringstream text;
    text << v;
    return text.str();
  });
}

class Notebook {
 public:
  explicit Notebook(std::ostream& out) : out_(out) {}

  void Section(const std::string& title) { out_ << "\n== " << title << "\n"; }
  void Note(const std::string& text) { out_ << "# " << text << "\n"; }
  void Code(const std::string& code) { out_ << ">>> " << code << "\n"; }
  // One step: the code, then what it shows.
  void Show(const std::string& code, const std::string& result) {
    if (!code.empty()) Code(code);
    out_ << result << "\n";
  }

 private:
  std::ostream& out_;
};

void CreationSteps(Notebook& nb) {
  nb.Section("Creating a quantized tensor by quantizing a float tensor");
  nb.Code("std::vector<float> float_tensor = " + Floats(kFloatTensor) + ";  // shape {2, 2, 3}");
  const Tensor q_per_tensor =
      Tensor::QuantizePerTensor(kFloatTensor, {2, 2, 3}, 1e-4, 2, QT_QINT32);
  nb.Code(
      "auto q_per_tensor = Tensor::QuantizePerTensor(float_tensor, {2, 2, 3}, 1e-4, 2, "
      "QT_QINT32);");
  nb.Show("q_per_tensor", q_per_tensor.to_string());

  nb.Section("Per-channel quantization");
  const Tensor q_per_channel = Tensor::QuantizePerChannel(
      kFloatTensor, {2, 2, 3}, {1e-1, 1e-2, 1e-3}, {-1, 0, 1}, 2, QT_QINT32);
  nb.Code(
      "auto q_per_channel = Tensor::QuantizePerChannel(float_tensor, {2, 2, 3}, "
      "{1e-1, 1e-2, 1e-3}, {-1, 0, 1}, /*axis=*/2, QT_QINT32);");
  nb.Show("q_per_channel", q_per_channel.to_string());

  nb.Section("An empty quantized tensor from a shape and a quantizer");
  nb.Note("Its integers are all 0 (never uninitialised memory), so each value is (0 - 2) * 1e-4.");
  const Quantizer quantizer = Quantizer::PerTensor(QT_QINT32, 1e-4, 2);
  nb.Code("auto quantizer = Quantizer::PerTensor(QT_QINT32, 1e-4, 2);");
  const Tensor empty = Tensor::EmptyQuantized({10}, quantizer);
  nb.Code("auto q = Tensor::EmptyQuantized({10}, quantizer);");
  nb.Show("q", empty.to_string());

  nb.Section("A quantized tensor from integers and quantization parameters");
  nb.Note("The dtype follows the integer type: uint8 -> quint8, int8 -> qint8, int32 -> qint32.");
  nb.Code("std::vector<uint8_t> int_tensor = " + Ints(kIntTensor) + ";");
  nb.Code("auto q = Tensor::MakePerTensorQuantized(int_tensor, {10}, 1e-4, 2);  // no dtype");
  nb.Show("q", Tensor::MakePerTensorQuantized(kIntTensor, {10}, 1e-4, 2).to_string());
  nb.Note("Or with a quantizer object, one function for every scheme:");
  nb.Code("Tensor::FromIntRepr(int_tensor, {10}, Quantizer::PerTensor(QT_QUINT8, 1e-4, 2))");
  nb.Show(
      "",
      Tensor::FromIntRepr(kIntTensor, {10}, Quantizer::PerTensor(QT_QUINT8, 1e-4, 2)).to_string());
}

void OperationSteps(Notebook& nb) {
  const Tensor q = Tensor::MakePerTensorQuantized(kIntTensor, {10}, 1e-4, 2);

  nb.Section("Dequantize");
  nb.Show("q.dequantize()", Floats(q.dequantize()));

  nb.Section("Slicing: a view sharing q's storage, with the same scale and zero point");
  nb.Code("auto s = q[2];");
  nb.Show("s", q[2].to_string());
  nb.Show("q.slice(0, 1, 8, 3)  // q[1:8:3]", q.slice(0, 1, 8, 3).to_string());

  nb.Section("Assignment: the value is quantized with the element's parameters");
  nb.Code("q.set({0}, 3.5f);  // q[0] = 3.5: 3.5 / 1e-4 + 2 saturates at 255");
  q.set({0}, 3.5f);
  nb.Show("q[0]", q[0].to_string());

  nb.Section("Copy between tensors of the same size and dtype");
  const Tensor q1 = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QINT8, 1e-1, 0));
  const Tensor q2 = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QINT8, 1.0, -1));
  nb.Code("auto q1 = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QINT8, 1e-1, 0));");
  nb.Code("auto q2 = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QINT8, 1, -1));");
  q1.copy_(std::vector<float>{-1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f});
  nb.Code("q1.copy_(std::vector<float>{-1.6, 4.0, 7.0, 3.3, 6.6, 8.6});  // quantized into q1");
  nb.Note("q2 is a whole contiguous tensor: it takes q1's integers and parameters exactly.");
  nb.Show("q2.copy_(q1)", q2.copy_(q1).to_string());
  nb.Note("A view of part of a storage keeps its own parameters: the source is requantized.");
  const Tensor big = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QINT8, 0.5, 0));
  nb.Code("auto big = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QINT8, 0.5, 0));");
  nb.Code("big[0].copy_(q1[0]);");
  big[0].copy_(q1[0]);
  nb.Show("big", big.to_string());

  nb.Section("Permutation");
  nb.Show("q1.transpose(0, 1)", q1.transpose(0, 1).to_string());
  nb.Show("q1.permute({1, 0})", q1.permute({1, 0}).to_string());
  nb.Show("q1.transpose(0, 1).is_contiguous()",
          q1.transpose(0, 1).is_contiguous() ? "true" : "false");
  nb.Show("q1.transpose(0, 1).contiguous()", q1.transpose(0, 1).contiguous().to_string());

  nb.Section("Views of a per-channel tensor keep every element's own parameters");
  nb.Note("PyTorch 1.13 refuses transpose and permute here; qtensor moves the channel axis.");
  const Tensor q_per_channel = Tensor::QuantizePerChannel(
      kFloatTensor, {2, 2, 3}, {1e-1, 1e-2, 1e-3}, {-1, 0, 1}, 2, QT_QINT32);
  nb.Show("q_per_channel.transpose(0, 2)", q_per_channel.transpose(0, 2).to_string());
  nb.Show("q_per_channel.select(0, 1)  // the channel axis becomes 1",
          q_per_channel.select(0, 1).to_string());
  nb.Show("q_per_channel.select(2, 1)  // one channel left: per tensor with its parameters",
          q_per_channel.select(2, 1).to_string());
}

void InspectionSteps(Notebook& nb) {
  const Tensor q = Tensor::MakePerTensorQuantized(kIntTensor, {10}, 1e-4, 2);

  nb.Section("Inspecting a quantized tensor");
  nb.Show("q.numel(), q.sizes()", std::to_string(q.numel()) + ", " + Ints(q.sizes()));
  nb.Show("q.is_quantized()", q.is_quantized() ? "true" : "false");
  std::ostringstream scale;
  scale << q.q_scale();
  nb.Show("q.q_scale()", scale.str());
  nb.Show("q.q_zero_point()", std::to_string(q.q_zero_point()));
  nb.Show("q.int_repr<uint8_t>()", Ints(q.int_repr<uint8_t>()));
  nb.Show("q[0].item()", Shortest(q[0].item()));

  nb.Section("Quantizer objects");
  const Quantizer quantizer = q.quantizer();
  nb.Code("auto quantizer = q.quantizer();");
  nb.Show("quantizer.qscheme()", qt_qscheme_name(quantizer.qscheme()));
  nb.Show("quantizer.dtype()", qt_dtype_name(quantizer.dtype()));
  nb.Show("quantizer.scale(), quantizer.zero_point()",
          scale.str() + ", " + std::to_string(quantizer.zero_point()));
  const Tensor q_per_channel = Tensor::QuantizePerChannel(
      kFloatTensor, {2, 2, 3}, {1e-1, 1e-2, 1e-3}, {-1, 0, 1}, 2, QT_QINT32);
  const Quantizer per_channel = q_per_channel.transpose(0, 2).quantizer();
  nb.Code("auto per_channel = q_per_channel.transpose(0, 2).quantizer();");
  nb.Show("per_channel.scales(), per_channel.zero_points(), per_channel.axis()",
          Doubles(per_channel.scales()) + ", " + Ints(per_channel.zero_points()) + ", " +
              std::to_string(per_channel.axis()));
  nb.Code("Tensor::Quantize(float_tensor, {2, 2, 3}, q_per_channel.quantizer())");
  nb.Show("", Tensor::Quantize(kFloatTensor, {2, 2, 3}, q_per_channel.quantizer()).to_string());

  nb.Section("Printing");
  nb.Show("std::cout << q", q.to_string());
  nb.Show("std::cout << q[0]", q[0].to_string());
}

}  // namespace

void RunWalkthrough(std::ostream& out) {
  Notebook nb(out);
  out << "qtensor " << qt_version() << ": a walk through the quantized-tensor notebook\n";
  CreationSteps(nb);
  OperationSteps(nb);
  InspectionSteps(nb);
}

}  // namespace qtensor::cli

// The ONNX interchange check (docs/onnx.md), in two steps around ONNX
// Runtime:
//
//   onnx_interchange make DIR     writes, for every dtype, scheme and scale
//                                 type ONNX can hold (and views, 0-dim and
//                                 empty tensors), a model NAME.onnx exported
//                                 by qt_bundle_save_onnx, qtensor's dequantized
//                                 values NAME.TENSOR.expected (float32 bits),
//                                 and a line "NAME TENSOR..." in DIR/cases.txt
//   onnx_interchange compare DIR  loads every model in cases.txt (and those
//                                 make_typed_models.py wrote) with
//                                 qt_bundle_load_onnx and compares each
//                                 tensor's dequantized values with ONNX
//                                 Runtime's output NAME.TENSOR.ort, and with
//                                 NAME.TENSOR.expected where there is one,
//                                 bit for bit
//
// Exit status: 0 when every element agrees, 1 otherwise.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "qtensor/qtensor.hpp"

using qtensor::Bundle;
using qtensor::Quantizer;
using qtensor::Tensor;

namespace {

struct DTypeCase {
  qt_dtype dtype;
  int64_t qmin, qmax;
};

// quint2x4 has no ONNX type; qint32 keeps within +-2^24 per channel (beyond
// it the export refuses, docs/onnx.md) and zero points 0.
const DTypeCase kDTypes[] = {
    {QT_QINT8, -128, 127},
    {QT_QUINT8, 0, 255},
    {QT_QINT16, -32768, 32767},
    {QT_QUINT16, 0, 65535},
    {QT_QINT32, -(1 << 24), 1 << 24},
    {QT_QINT4, -8, 7},
    {QT_QUINT4, 0, 15},
    {QT_QUINT4X2, 0, 15},
};

const std::pair<qt_scale_type, const char*> kScaleTypes[] = {
    {QT_SCALE_FLOAT64, "f64"},
    {QT_SCALE_FLOAT32, "f32"},
    {QT_SCALE_FLOAT16, "f16"},
    {QT_SCALE_BFLOAT16, "bf16"},
};

// Scales that are values of the type: 8 significant bits for float16 and
// bfloat16 (2^-10 to 2^2 is normal in both), 24 for float32 and float64
// (which is exported as FLOAT, so it must hold float32 values).
std::vector<double> Scales(size_t count, qt_scale_type type, std::mt19937* rng) {
  std::vector<double> scales;
  for (size_t i = 0; i < count; ++i) {
    const double mantissa =
        type == QT_SCALE_FLOAT16 || type == QT_SCALE_BFLOAT16
            ? 1.0 + static_cast<double>((*rng)() % 128) / 128.0             // 8 bits
            : 1.0 + static_cast<double>((*rng)() % (1 << 23)) / 8388608.0;  // 24 bits
    const int exponent = static_cast<int>((*rng)() % 12) - 10;              // 2^-10 .. 2^1
    scales.push_back(std::ldexp(mantissa, exponent));
  }
  return scales;
}

std::vector<int64_t> ZeroPoints(const DTypeCase& d, size_t count, std::mt19937* rng) {
  std::vector<int64_t> zero_points;
  for (size_t i = 0; i < count; ++i) {
    const int64_t lo = d.dtype == QT_QINT32 ? 0 : d.qmin;
    const int64_t hi = d.dtype == QT_QINT32 ? 0 : d.qmax;
    zero_points.push_back(lo + static_cast<int64_t>((*rng)() % static_cast<uint64_t>(hi - lo + 1)));
  }
  return zero_points;
}

// Integers over the range, both ends included.
Tensor Random(const DTypeCase& d, const std::vector<int64_t>& shape, const Quantizer& q,
              std::mt19937* rng) {
  int64_t numel = 1;
  for (int64_t s : shape) numel *= s;
  const size_t size = qt_dtype_size(d.dtype);
  std::vector<uint8_t> bytes(static_cast<size_t>(numel) * size);
  for (int64_t i = 0; i < numel; ++i) {
    const int64_t v =
        i == 0 ? d.qmin
        : i == 1
            ? d.qmax
            : d.qmin + static_cast<int64_t>((*rng)() % static_cast<uint64_t>(d.qmax - d.qmin + 1));
    std::memcpy(&bytes[static_cast<size_t>(i) * size], &v, size);
  }
  return Tensor::FromIntRepr(bytes.data(), bytes.size(), shape, q);
}

void WriteFile(const std::string& path, const void* data, size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::vector<uint32_t> Words(const std::vector<uint8_t>& bytes) {
  std::vector<uint32_t> words(bytes.size() / 4);
  if (!words.empty()) std::memcpy(words.data(), bytes.data(), words.size() * 4);
  return words;
}

std::vector<uint32_t> ReadBits(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return Words(std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}));
}

std::vector<uint32_t> DequantizedBits(const Tensor& t) {
  const std::vector<float> values = t.dequantize();
  std::vector<uint32_t> bits(values.size());
  if (!bits.empty()) std::memcpy(bits.data(), values.data(), values.size() * 4);
  return bits;
}

class Maker {
 public:
  explicit Maker(std::string dir) : dir_(std::move(dir)) {}

  void Add(const std::string& name, const std::vector<std::pair<std::string, Tensor>>& tensors) {
    Bundle bundle;
    std::string line = name;
    for (const auto& [tensor_name, tensor] : tensors) {
      bundle.set(tensor_name, tensor);
      const std::vector<uint32_t> bits = DequantizedBits(tensor);
      WriteFile(dir_ + "/" + name + "." + tensor_name + ".expected", bits.data(), bits.size() * 4);
      line += " " + tensor_name;
    }
    bundle.save_onnx(dir_ + "/" + name + ".onnx");
    lines_ += line + "\n";
  }

  // A bundle with float32 and float16 entries (bfloat16, which
  // onnxruntime-node cannot return, is checked by tests/io) beside a tensor:
  // each entry's expected output is its bytes.
  void AddFloatEntries(const std::string& name, const Tensor& tensor) {
    // float32: a NaN with a payload, -0.0, a subnormal, inf; float16: a
    // signalling NaN, -0.0, a subnormal, 65504.
    const std::vector<uint32_t> f32 = {0x7fc00123u, 0x80000000u, 0x00000001u, 0x7f800000u};
    const std::vector<uint16_t> f16 = {0x7c01, 0x8000, 0x0001, 0x7bff, 0x3c00, 0xc000};
    Bundle bundle;
    bundle.set_float("norm", f32.data(), f32.size() * 4, {2, 2}, QT_FLOAT32);
    bundle.set("tensor", tensor);
    bundle.set_float("emb", f16.data(), f16.size() * 2, {3, 2}, QT_FLOAT16);
    for (const char* entry : {"norm", "emb"}) {
      const std::vector<uint8_t> bytes = bundle.float_data(entry);
      WriteFile(dir_ + "/" + name + "." + entry + ".expected", bytes.data(), bytes.size());
    }
    const std::vector<uint32_t> bits = DequantizedBits(tensor);
    WriteFile(dir_ + "/" + name + ".tensor.expected", bits.data(), bits.size() * 4);
    bundle.save_onnx(dir_ + "/" + name + ".onnx");
    lines_ += name + " norm tensor emb\n";
  }

  ~Maker() { std::ofstream(dir_ + "/cases.txt", std::ios::app) << lines_; }

 private:
  std::string dir_;
  std::string lines_;
};

void Make(const std::string& dir) {
  Maker maker(dir);
  std::mt19937 rng(20261207);
  const std::vector<int64_t> shape = {4, 7, 6};
  for (const DTypeCase& d : kDTypes) {
    for (const auto& [scale_type, scale_name] : kScaleTypes) {
      const std::string tag = std::string(qt_dtype_name(d.dtype)) + "_" + scale_name;
      const auto with_type = [&](const Quantizer& q) { return q.with_scale_type(scale_type); };
      std::vector<std::pair<std::string, Tensor>> tensors;
      tensors.emplace_back(
          "tensor", Random(d, shape,
                           with_type(Quantizer::PerTensor(d.dtype, Scales(1, scale_type, &rng)[0],
                                                          ZeroPoints(d, 1, &rng)[0])),
                           &rng));
      for (int64_t axis : {0, 1, 2}) {
        const auto n = static_cast<size_t>(shape[static_cast<size_t>(axis)]);
        tensors.emplace_back(
            "channel" + std::to_string(axis),
            Random(d, shape,
                   with_type(Quantizer::PerChannel(d.dtype, Scales(n, scale_type, &rng),
                                                   ZeroPoints(d, n, &rng), axis)),
                   &rng));
      }
      for (auto [axis, block] :
           {std::pair{2, 4}, std::pair{1, 3}, std::pair{0, 2}, std::pair{2, 32}, std::pair{1, 1}}) {
        std::vector<int64_t> params = shape;
        params[static_cast<size_t>(axis)] = (shape[static_cast<size_t>(axis)] + block - 1) / block;
        const auto n = static_cast<size_t>(params[0] * params[1] * params[2]);
        tensors.emplace_back(
            "block" + std::to_string(axis) + "_" + std::to_string(block),
            Random(d, shape,
                   with_type(Quantizer::PerBlock(d.dtype, Scales(n, scale_type, &rng),
                                                 ZeroPoints(d, n, &rng), axis, block)),
                   &rng));
      }
      maker.Add(tag, tensors);
      // Views: their own elements with their own parameters.
      const Tensor& channels = tensors[2].second;  // per channel along axis 1
      const Tensor& blocks = tensors[4].second;    // blocks of 4 along axis 2
      if (d.dtype == QT_QUINT4 && scale_type == QT_SCALE_FLOAT16) {
        maker.AddFloatEntries("float_entries", tensors[4].second);
      }
      maker.Add(tag + "_views", {{"transposed", channels.transpose(0, 2)},
                                 {"stepped", channels.slice(1, 6, INT64_MIN, -2)},
                                 {"selected", channels.select(1, 3)},
                                 {"block_slice", blocks.slice(2, 4, 6, 1)},
                                 {"block_odd", blocks.slice(2, 1, 6, 2)},
                                 {"scalar", blocks.select(0, 1).select(0, 2).select(0, 5)},
                                 {"empty", channels.narrow(0, 1, 0)}});
    }
  }
}

// The models of cases.txt and typed.txt: every tensor against ONNX
// Runtime's output and, where written, qtensor's values before export.
int Compare(const std::string& dir) {
  size_t models = 0, tensors = 0, elements = 0, differ = 0;
  for (const char* list : {"cases.txt", "typed.txt"}) {
    std::ifstream in(dir + "/" + list);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream words(line);
      std::string name;
      words >> name;
      const Bundle bundle = Bundle::load_onnx(dir + "/" + name + ".onnx");
      ++models;
      std::string tensor_name;
      size_t count = 0;
      while (words >> tensor_name) {
        ++count;
        const std::string base = dir + "/" + name + "." + tensor_name;
        // A float entry's bytes, as 32-bit words (float16 ones in pairs).
        const std::vector<uint32_t> got = bundle.is_float(tensor_name)
                                              ? Words(bundle.float_data(tensor_name))
                                              : DequantizedBits(bundle.get(tensor_name));
        std::vector<std::vector<uint32_t>> references = {ReadBits(base + ".ort")};
        if (std::string(list) == "cases.txt") references.push_back(ReadBits(base + ".expected"));
        for (const std::vector<uint32_t>& want : references) {
          if (want.size() != got.size()) {
            std::printf("%s %s: %zu values, the reference has %zu\n", name.c_str(),
                        tensor_name.c_str(), got.size(), want.size());
            ++differ;
            continue;
          }
          for (size_t i = 0; i < got.size(); ++i) {
            if (got[i] == want[i]) continue;
            if (++differ <= 20) {
              std::printf("%s %s [%zu]: qtensor %08x, reference %08x\n", name.c_str(),
                          tensor_name.c_str(), i, got[i], want[i]);
            }
          }
        }
        elements += got.size();
        ++tensors;
      }
      if (count != bundle.size()) {
        std::printf("%s: the model holds %zu tensors, the list %zu\n", name.c_str(), bundle.size(),
                    count);
        ++differ;
      }
    }
  }
  std::printf("%zu models, %zu tensors, %zu elements: %zu differ\n", models, tensors, elements,
              differ);
  return differ == 0 && models > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: onnx_interchange make|compare DIR\n");
    return 2;
  }
  try {
    const std::string mode = argv[1];
    if (mode == "make") {
      Make(argv[2]);
      return 0;
    }
    if (mode == "compare") return Compare(argv[2]);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  std::fprintf(stderr, "unknown mode %s\n", argv[1]);
  return 2;
}

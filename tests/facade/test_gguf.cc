// The facade's GGUF calls: quantize_gguf against llama.cpp's formulas on a
// known block, Quantizer::Gguf's signed and zero block scales, GGUF files as
// bundles (bytes and files round trip identical), and the refusals.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace {

using qtensor::Bundle;
using qtensor::Quantizer;
using qtensor::Tensor;

// The golden "ties_q4" block of tests/data/gguf_golden/blocks.txt: -16..15.
std::vector<float> Ties() {
  std::vector<float> x(32);
  for (int i = 0; i < 32; ++i) x[i] = static_cast<float>(i - 16);
  return x;
}

uint64_t Bits(double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// The error a call throws (QT_OK and "" when it does not).
template <typename Call>
qtensor::Error ErrorOf(Call call) {
  try {
    call();
  } catch (const qtensor::Error& error) {
    return error;
  }
  return qtensor::Error(QT_OK, "");
}

}  // namespace

TEST_CASE("quantize_gguf gives llama.cpp's blocks of a known block") {
  const std::vector<float> x = Ties();
  // Q4_0: d = (the first value of largest magnitude, -16) / -8 = 2,
  // q = min(15, trunc(x / 2 + 8.5)).
  const Tensor q4 = qtensor::quantize_gguf(x, {1, 32}, QT_GGUF_Q4_0);
  CHECK(q4.dtype() == QT_QUINT4);
  CHECK(q4.quantizer().scales() == std::vector<double>{2.0});
  CHECK(q4.quantizer().zero_points() == std::vector<int64_t>{8});
  CHECK(q4.quantizer().rounding() == QT_ROUNDING_GGUF);
  CHECK(q4.quantizer().scale_type() == QT_SCALE_FLOAT16);
  CHECK(q4.quantizer().block_size() == 32);
  const std::vector<uint8_t> want4 = {0, 1, 1, 2,  2,  3,  3,  4,  4,  5,  5,  6,  6,  7,  7,  8,
                                      8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 15};
  CHECK(q4.int_repr<uint8_t>() == want4);
  // Q8_0: d = 16 / 127, stored as float16 0x3008; q = roundf(x * 127 / 16).
  const Tensor q8 = qtensor::quantize_gguf(x.data(), x.size(), {32}, QT_GGUF_Q8_0);
  CHECK(q8.dtype() == QT_QINT8);
  CHECK(q8.quantizer().scales() == std::vector<double>{0.1259765625});
  const std::vector<int8_t> want8 = {-127, -119, -111, -103, -95, -87, -79, -71, -64, -56, -48,
                                     -40,  -32,  -24,  -16,  -8,  0,   8,   16,  24,  32,  40,
                                     48,   56,   64,   71,   79,  87,  95,  103, 111, 119};
  CHECK(q8.int_repr<int8_t>() == want8);
}

TEST_CASE("GGUF bundles round trip with signed and zero block scales") {
  const std::vector<double> scales = {-0.5, 0.0, -0.0, 2.0};
  const Quantizer gguf = Quantizer::Gguf(QT_GGUF_Q8_0, scales);
  CHECK(gguf.rounding() == QT_ROUNDING_GGUF);
  std::vector<int8_t> ints(128);
  for (size_t i = 0; i < ints.size(); ++i) ints[i] = static_cast<int8_t>(static_cast<int>(i) - 64);
  Bundle bundle;
  bundle.set("q8", Tensor::FromIntRepr(ints, {1, 128}, gguf));
  bundle.set("q4", qtensor::quantize_gguf(Ties(), {32}, QT_GGUF_Q4_0));
  bundle.set_metadata("general.architecture", "STRING \"llama\"");
  bundle.set_metadata("llama.block_count", "UINT32 32");

  const std::string file = bundle.serialize_gguf();
  CHECK(file.compare(0, 4, "GGUF") == 0);
  const Bundle back = Bundle::deserialize_gguf(file);
  CHECK(back.serialize_gguf() == file);
  CHECK(back.names() == std::vector<std::string>{"q8", "q4"});
  CHECK(back.metadata("llama.block_count") == "UINT32 32");
  CHECK(back.metadata("general.architecture") == "STRING \"llama\"");
  const std::vector<double> got = back.get("q8").quantizer().scales();
  REQUIRE(got.size() == scales.size());
  for (size_t b = 0; b < scales.size(); ++b) CHECK(Bits(got[b]) == Bits(scales[b]));
  CHECK(back.get("q8").int_repr<int8_t>() == ints);
  const std::vector<float> values = back.get("q8").dequantize();
  CHECK(values[0] == 32.0f);     // -64 * -0.5
  CHECK(values[127] == 126.0f);  // 63 * 2
  CHECK(back.get("q4").quantizer() == bundle.get("q4").quantizer());

  const std::string path = "qtensor_facade_test_gguf.gguf";
  bundle.save_gguf(path);
  CHECK(Bundle::load_gguf(path).serialize_gguf() == file);
  std::remove(path.c_str());
}

TEST_CASE("GGUF refusals name the tensor") {
  // A per-tensor tensor GGUF cannot hold.
  const std::vector<float> zeros(64, 0.0f);
  Bundle plain;
  plain.set("w", Tensor::QuantizePerTensor(zeros, {2, 32}, 0.5, 0, QT_QINT8));
  const qtensor::Error refused = ErrorOf([&] { (void)plain.serialize_gguf(); });
  CHECK(refused.status() == QT_ERR_INVALID_ARGUMENT);
  CHECK(std::string(refused.what()).find("'w'") != std::string::npos);

  // A Q8_0 file whose tensor's ggml type is patched to Q4_1 (3).
  Bundle one;
  one.set("weird", qtensor::quantize_gguf(zeros, {64}, QT_GGUF_Q8_0));
  std::string file = one.serialize_gguf();
  // Tensor info: name (u64 length, bytes), n_dims u32, one u64 ne, type u32.
  const size_t type_at = file.find("weird") + 5 + 4 + 8;
  REQUIRE(static_cast<uint8_t>(file[type_at]) == 8);
  file[type_at] = 3;
  const qtensor::Error corrupt = ErrorOf([&] { (void)Bundle::deserialize_gguf(file); });
  CHECK(corrupt.status() == QT_ERR_CORRUPT_DATA);
  CHECK(std::string(corrupt.what()).find("(\"weird\") is of ggml type Q4_1") != std::string::npos);

  CHECK(ErrorOf([&] { qtensor::quantize_gguf(zeros.data(), 63, {64}, QT_GGUF_Q8_0); }).status() ==
        QT_ERR_SHAPE_MISMATCH);
  CHECK(ErrorOf([&] {
          qtensor::quantize_gguf(zeros, {2, 32}, static_cast<qt_gguf_type>(3));
        }).status() == QT_ERR_INVALID_ARGUMENT);
  CHECK(ErrorOf([&] { Quantizer::Gguf(QT_GGUF_Q4_0, {0.1}); }).status() == QT_ERR_INVALID_ARGUMENT);
  CHECK(ErrorOf([&] { Bundle::load_gguf("/nonexistent/model.gguf"); }).status() == QT_ERR_IO);
}

TEST_CASE("describe_gguf lists every tensor, also those a bundle refuses") {
  const std::vector<float> zeros(64, 0.0f);
  Bundle one;
  one.set("weird", qtensor::quantize_gguf(zeros, {2, 32}, QT_GGUF_Q8_0));
  one.set_metadata("general.name", "STRING \"t\\u0001\"");
  std::string file = one.serialize_gguf();
  CHECK(qtensor::describe_gguf(file) ==
        "GGUF file, version 3, 1 tensor (qtensor reads 1 of them: F32, F16, BF16, Q8_0 and "
        "Q4_0)\n  \"weird\": Q8_0, shape (2, 32), 68 bytes\nmetadata (1 key):\n"
        "  \"general.name\": STRING \"t\\u0001\"\n");
  // The same file with its tensor's ggml type patched to Q4_1 (3), whose
  // blocks of 32 take 20 bytes: two of them fit the 68 bytes of data.
  const size_t type_at = file.find("weird") + 5 + 4 + 16;
  REQUIRE(static_cast<uint8_t>(file[type_at]) == 8);
  file[type_at] = 3;
  CHECK(qtensor::describe_gguf(file).find("  \"weird\": Q4_1, shape (2, 32), 40 bytes (not read "
                                          "by qtensor)\n") != std::string::npos);

  CHECK(ErrorOf([&] { qtensor::describe_gguf("GGUF"); }).status() == QT_ERR_CORRUPT_DATA);
  char* text = nullptr;
  CHECK(qt_describe_gguf(nullptr, reinterpret_cast<const uint8_t*>(file.data()), file.size()) ==
        QT_ERR_INVALID_ARGUMENT);
  CHECK(qt_describe_gguf(&text, nullptr, 4) == QT_ERR_INVALID_ARGUMENT);
  CHECK(text == nullptr);
}

// GGUF files as bundles and GGUF's block types as tensors, through the C
// ABI (src/capi/gguf_api.cc): qt_quantize_gguf against the golden blocks of
// llama.cpp's formulas, GGUF -> bundle -> GGUF giving the same bytes, block
// scales of 0, -0.0 and negative values kept, GGUF rounding with fixed
// scales, the refusals, and the metadata's typed text
// (src/io/gguf_metadata_text.h).
#include <doctest/doctest.h>

#include <qtensor/qtensor.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.h"
#include "gguf_golden_blocks.h"
#include "io/gguf_metadata_text.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "kernels/half_float.h"

namespace {

namespace io = qtensor::io;
namespace qk = qtensor::kernels;

std::string Message() { return qt_last_error_message(); }

// A GGUF file's bytes as a bundle and back.
std::string RoundTrip(const std::string& bytes) {
  qt_bundle* bundle = nullptr;
  REQUIRE_MESSAGE(
      qt_bundle_deserialize_gguf(&bundle, reinterpret_cast<const uint8_t*>(bytes.data()),
                                 bytes.size()) == QT_OK,
      Message());
  uint8_t* out = nullptr;
  size_t size = 0;
  const qt_status status = qt_bundle_serialize_gguf(&out, &size, bundle);
  qt_bundle_free(bundle);
  REQUIRE_MESSAGE(status == QT_OK, Message());
  std::string result(reinterpret_cast<const char*>(out), size);
  qt_buffer_free(out);
  return result;
}

// The bundle written in qtensor's own format, read back and written as GGUF.
std::string GgufThroughOwnFormat(const qt_bundle* bundle) {
  uint8_t* own = nullptr;
  size_t own_size = 0;
  REQUIRE(qt_bundle_serialize(&own, &own_size, bundle) == QT_OK);
  qt_bundle* reread = nullptr;
  REQUIRE_MESSAGE(qt_bundle_deserialize(&reread, own, own_size) == QT_OK, Message());
  uint8_t* gguf = nullptr;
  size_t gguf_size = 0;
  REQUIRE(qt_bundle_serialize_gguf(&gguf, &gguf_size, reread) == QT_OK);
  std::string result(reinterpret_cast<const char*>(gguf), gguf_size);
  qt_buffer_free(gguf);
  qt_buffer_free(own);
  qt_bundle_free(reread);
  return result;
}

std::vector<uint8_t> Q8Block(uint16_t d, int8_t first) {
  std::vector<uint8_t> block(34);
  std::memcpy(block.data(), &d, 2);
  for (int j = 0; j < 32; ++j) block[2 + j] = static_cast<uint8_t>(first + j);
  return block;
}

std::vector<uint8_t> Q4Block(uint16_t d, uint8_t seed) {
  std::vector<uint8_t> block(18);
  std::memcpy(block.data(), &d, 2);
  for (int j = 0; j < 16; ++j) block[2 + j] = static_cast<uint8_t>(seed * 37 + j * 11);
  return block;
}

std::vector<uint8_t> Concat(const std::vector<std::vector<uint8_t>>& parts) {
  std::vector<uint8_t> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

io::GgufTensor TensorInfo(const std::string& name, std::vector<uint64_t> dims, io::GgmlType type,
                          const std::vector<uint8_t>& data) {
  io::GgufTensor info;
  info.name = name;
  info.dims = std::move(dims);
  info.type = static_cast<uint32_t>(type);
  info.data = data.data();
  info.size = data.size();
  return info;
}

// Scales 0, -0.0, negative, subnormal and the largest float16, in two
// rows of two blocks (Q8_0) and one row of four (Q4_0), with metadata of
// every type in key order (a bundle keeps metadata sorted by key).
struct SampleFile {
  std::vector<uint8_t> q8 =
      Concat({Q8Block(0x0000, -128), Q8Block(0x8000, 5), Q8Block(0xbc00, 90), Q8Block(0x0001, -3)});
  std::vector<uint8_t> q4 =
      Concat({Q4Block(0x7bff, 1), Q4Block(0xc500, 2), Q4Block(0x3555, 3), Q4Block(0x8001, 4)});
  std::string bytes;

  SampleFile() {
    io::GgufFile file;
    io::GgufArray nested;
    nested.element_type = io::GgufValueType::kArray;
    io::GgufArray inner;
    inner.element_type = io::GgufValueType::kInt16;
    const int16_t values[2] = {-2, 300};
    inner.fixed.assign(reinterpret_cast<const char*>(values), sizeof values);
    nested.arrays = {inner, inner};
    io::GgufArray strings;
    strings.element_type = io::GgufValueType::kString;
    strings.strings = {"a", std::string("\xff\x00z", 3), "\xe2\x82\xac"};
    file.metadata = {
        {"a.array_of_arrays", io::GgufValue::Array(nested)},
        {"b.strings", io::GgufValue::Array(strings)},
        {"c.nan", io::GgufValue::Float32(std::nanf("5"))},
        {"d.negative_zero", io::GgufValue::Float64(-0.0)},
        {"e.bool", io::GgufValue::Bool(true)},
        {"general.alignment", io::GgufValue::Uint32(64)},
        {"general.architecture", io::GgufValue::String("llama")},
        {"i64", io::GgufValue::Int64(INT64_MIN)},
        {"u64", io::GgufValue::Uint64(UINT64_MAX)},
        {"u8", io::GgufValue::Uint8(255)},
    };
    file.tensors = {TensorInfo("blk.0.q8", {64, 2}, io::GgmlType::kQ8_0, q8),
                    TensorInfo("blk.0.q4", {128}, io::GgmlType::kQ4_0, q4)};
    bytes = io::WriteGguf(file);
  }
};

}  // namespace

TEST_CASE("qt_quantize_gguf gives llama.cpp's blocks, and they dequantize as GGUF's do") {
  size_t checked = 0, refused = 0;
  for (const qtensor::test::GoldenBlock& golden : qtensor::test::ReadGolden()) {
    CAPTURE(golden.format);
    CAPTURE(golden.name);
    const qt_gguf_type type = golden.format == "q8_0" ? QT_GGUF_Q8_0 : QT_GGUF_Q4_0;
    uint16_t d = 0;
    std::memcpy(&d, golden.bytes.data(), 2);
    const int64_t shape[1] = {32};
    qt_tensor* tensor = nullptr;
    const qt_status status = qt_quantize_gguf(&tensor, golden.input.data(), shape, 1, type);
    if ((d & 0x7c00) == 0x7c00) {  // an infinite or NaN d: not a quantizer's scale
      CHECK(status == QT_ERR_INVALID_ARGUMENT);
      CHECK(Message().find("block 0 has a scale d of") != std::string::npos);
      ++refused;
      continue;
    }
    REQUIRE_MESSAGE(status == QT_OK, Message());
    qt_bundle* bundle = nullptr;
    REQUIRE(qt_bundle_new(&bundle) == QT_OK);
    REQUIRE(qt_bundle_set(bundle, "t", tensor) == QT_OK);
    uint8_t* file = nullptr;
    size_t size = 0;
    REQUIRE_MESSAGE(qt_bundle_serialize_gguf(&file, &size, bundle) == QT_OK, Message());
    const io::GgufFile parsed = io::ReadGguf(file, size);
    REQUIRE(parsed.tensors.size() == 1);
    CHECK(std::vector<uint8_t>(parsed.tensors[0].data,
                               parsed.tensors[0].data + parsed.tensors[0].size) == golden.bytes);
    float values[32];
    REQUIRE(qt_dequantize(values, 32, tensor) == QT_OK);
    for (int j = 0; j < 32; ++j) {
      CHECK(qk::FloatBits(values[j]) == qk::FloatBits(golden.dequantized[j]));
    }
    qt_buffer_free(file);
    qt_bundle_free(bundle);
    qt_tensor_free(tensor);
    ++checked;
  }
  CHECK(checked >= 20);
  CHECK(refused >= 2);
}

TEST_CASE("GGUF -> bundle -> GGUF gives the same bytes, block scales of 0, -0.0 and < 0 kept") {
  const SampleFile sample;
  CHECK(RoundTrip(sample.bytes) == sample.bytes);

  qt_bundle* bundle = nullptr;
  REQUIRE(qt_bundle_deserialize_gguf(&bundle, reinterpret_cast<const uint8_t*>(sample.bytes.data()),
                                     sample.bytes.size()) == QT_OK);
  qt_tensor* q8 = nullptr;
  REQUIRE(qt_bundle_get(&q8, bundle, "blk.0.q8") == QT_OK);
  int64_t shape[2] = {};
  REQUIRE(qt_tensor_shape(shape, 2, q8) == QT_OK);
  CHECK(shape[0] == 2);  // GGUF's ne = [64, 2], innermost first
  CHECK(shape[1] == 64);
  qt_quantizer* quantizer = nullptr;
  REQUIRE(qt_tensor_quantizer(&quantizer, q8) == QT_OK);
  qt_rounding rounding{};
  qt_scale_type scale_type{};
  REQUIRE(qt_quantizer_rounding(&rounding, quantizer) == QT_OK);
  REQUIRE(qt_quantizer_scale_type(&scale_type, quantizer) == QT_OK);
  CHECK(rounding == QT_ROUNDING_GGUF);
  CHECK(scale_type == QT_SCALE_FLOAT16);
  double scales[4] = {};
  REQUIRE(qt_quantizer_scales(scales, 4, quantizer) == QT_OK);
  CHECK(scales[0] == 0.0);
  CHECK(!std::signbit(scales[0]));
  CHECK(scales[1] == 0.0);
  CHECK(std::signbit(scales[1]));
  CHECK(scales[2] == -1.0);
  CHECK(scales[3] == std::ldexp(1.0, -24));  // the smallest float16 subnormal
  // GGUF's dequantize: (float)q * d.
  float values[128];
  REQUIRE(qt_dequantize(values, 128, q8) == QT_OK);
  CHECK(values[64] == -90.0f);
  CHECK(values[0] == 0.0f);
  CHECK(values[96] == static_cast<float>(-3 * std::ldexp(1.0, -24)));
  qt_quantizer_free(quantizer);
  qt_tensor_free(q8);

  qt_tensor* q4 = nullptr;
  REQUIRE(qt_bundle_get(&q4, bundle, "blk.0.q4") == QT_OK);
  uint8_t ints[128];
  REQUIRE(qt_int_repr(ints, sizeof ints, q4) == QT_OK);
  // Value j of a block is the low nibble of byte j, value j + 16 the high.
  CHECK(ints[0] == (sample.q4[2] & 15));
  CHECK(ints[16] == (sample.q4[2] >> 4));
  CHECK(ints[32 + 15] == (sample.q4[18 + 2 + 15] & 15));
  REQUIRE(qt_dequantize(values, 128, q4) == QT_OK);
  CHECK(values[0] == static_cast<float>((sample.q4[2] & 15) - 8) * 65504.0f);
  const char* architecture = nullptr;
  REQUIRE(qt_bundle_metadata(&architecture, bundle, "general.architecture") == QT_OK);
  CHECK(std::string(architecture) == "STRING \"llama\"");
  qt_tensor_free(q4);

  // And through qtensor's own file format.
  CHECK(GgufThroughOwnFormat(bundle) == sample.bytes);
  qt_bundle_free(bundle);
}

TEST_CASE("GGUF's F32, F16 and BF16 tensors are float entries, bit for bit, in file order") {
  // NaN payloads, -0.0 and subnormals in each type.
  const std::vector<uint8_t> f16 = {0x01, 0x7c, 0x00, 0x80, 0x01, 0x00,
                                    0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b};
  const std::vector<uint8_t> f32 = {0x23, 0x01, 0xc0, 0x7f, 0, 0, 0, 0x80, 1, 0, 0, 0};
  const std::vector<uint8_t> bf16 = {0x81, 0x7f, 0x01, 0x00};
  const std::vector<uint8_t> q8 = Q8Block(0x3c00, -7);
  io::GgufFile file;
  file.tensors = {TensorInfo("token_embd", {3, 2}, io::GgmlType::kF16, f16),
                  TensorInfo("blk.0.q8", {32}, io::GgmlType::kQ8_0, q8),
                  TensorInfo("norm", {3}, io::GgmlType::kF32, f32),
                  TensorInfo("bf", {2}, io::GgmlType::kBF16, bf16)};
  const std::string bytes = io::WriteGguf(file);
  CHECK(RoundTrip(bytes) == bytes);

  qt_bundle* bundle = nullptr;
  REQUIRE(qt_bundle_deserialize_gguf(&bundle, reinterpret_cast<const uint8_t*>(bytes.data()),
                                     bytes.size()) == QT_OK);
  const char* names[4] = {"token_embd", "blk.0.q8", "norm", "bf"};
  const std::vector<uint8_t>* data[4] = {&f16, nullptr, &f32, &bf16};
  const qt_float_dtype dtypes[4] = {QT_FLOAT16, QT_FLOAT32, QT_FLOAT32, QT_BFLOAT16};
  for (int i = 0; i < 4; ++i) {
    CAPTURE(names[i]);
    const char* name = nullptr;
    REQUIRE(qt_bundle_name(&name, bundle, static_cast<size_t>(i)) == QT_OK);
    CHECK(std::string(name) == names[i]);
    bool is_float = false;
    REQUIRE(qt_bundle_is_float(&is_float, bundle, name) == QT_OK);
    CHECK(is_float == (data[i] != nullptr));
    if (data[i] == nullptr) continue;
    qt_float_dtype dtype{};
    REQUIRE(qt_bundle_float_dtype(&dtype, bundle, name) == QT_OK);
    CHECK(dtype == dtypes[i]);
    const void* stored = nullptr;
    size_t size = 0;
    REQUIRE(qt_bundle_float_data(&stored, &size, bundle, name) == QT_OK);
    REQUIRE(size == data[i]->size());
    CHECK(std::memcmp(stored, data[i]->data(), size) == 0);
  }
  int64_t shape[2] = {};
  REQUIRE(qt_bundle_float_shape(shape, 2, bundle, "token_embd") == QT_OK);
  CHECK(shape[0] == 2);  // GGUF's ne = [3, 2], innermost first
  CHECK(shape[1] == 3);

  // Through qtensor's own file format and back to the same GGUF bytes.
  CHECK(GgufThroughOwnFormat(bundle) == bytes);

  // A float entry of more than 4 dims does not fit GGUF.
  const int64_t five[5] = {1, 1, 1, 1, 1};
  const uint16_t one = 0x3c00;
  REQUIRE(qt_bundle_set_float(bundle, "wide", &one, sizeof one, five, 5, QT_FLOAT16) == QT_OK);
  uint8_t* gguf = nullptr;
  size_t gguf_size = 0;
  CHECK(qt_bundle_serialize_gguf(&gguf, &gguf_size, bundle) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "float entry 'wide' has 5 dims: GGUF tensors have at most 4");
  CHECK(gguf == nullptr);
  qt_bundle_free(bundle);
}

TEST_CASE("GGUF files a bundle cannot hold are refused, naming the tensor") {
  const std::vector<uint8_t> q41(20 * 2, 0);
  io::GgufFile file;
  file.tensors = {TensorInfo("weird", {64}, io::GgmlType::kQ4_1, q41)};
  const std::string q41_file = io::WriteGguf(file);
  qt_bundle* bundle = nullptr;
  CHECK(qt_bundle_deserialize_gguf(&bundle, reinterpret_cast<const uint8_t*>(q41_file.data()),
                                   q41_file.size()) == QT_ERR_CORRUPT_DATA);
  CHECK(Message() ==
        "GGUF tensors[0] (\"weird\") is of ggml type Q4_1: qtensor reads F32, F16, BF16, Q8_0 "
        "and Q4_0 tensors");
  CHECK(bundle == nullptr);

  const std::vector<uint8_t> inf_block = Q8Block(0x7c00, 0);
  file.tensors = {TensorInfo("inf", {32}, io::GgmlType::kQ8_0, inf_block)};
  const std::string inf_file = io::WriteGguf(file);
  CHECK(qt_bundle_deserialize_gguf(&bundle, reinterpret_cast<const uint8_t*>(inf_file.data()),
                                   inf_file.size()) == QT_ERR_CORRUPT_DATA);
  CHECK(Message() ==
        "GGUF tensors[0] (\"inf\"): Q8_0 block 0 has a scale d of inf: qtensor holds finite block "
        "scales only");
  CHECK(qt_bundle_deserialize_gguf(&bundle, nullptr, 0) == QT_ERR_CORRUPT_DATA);
  CHECK(qt_bundle_deserialize_gguf(nullptr, nullptr, 0) == QT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("tensors GGUF cannot hold are refused when writing, naming the tensor") {
  qt_bundle* bundle = nullptr;
  REQUIRE(qt_bundle_new(&bundle) == QT_OK);
  const std::vector<float> data(64, 1.0f);
  const int64_t shape[2] = {2, 32};
  qt_tensor* per_tensor = nullptr;
  REQUIRE(qt_quantize_per_tensor(&per_tensor, data.data(), shape, 2, 0.5, 0, QT_QINT8) == QT_OK);
  REQUIRE(qt_bundle_set(bundle, "w", per_tensor) == QT_OK);
  uint8_t* out = nullptr;
  size_t size = 0;
  CHECK(qt_bundle_serialize_gguf(&out, &size, bundle) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() ==
        "tensor 'w' does not fit GGUF: GGUF's Q8_0 and Q4_0 need a per-block quantizer with "
        "blocks of 32 along the last axis");
  CHECK(out == nullptr);

  // Q8_0's form, but five dims.
  const int64_t five[5] = {1, 1, 1, 2, 32};
  qt_tensor* deep = nullptr;
  REQUIRE(qt_quantize_gguf(&deep, data.data(), five, 5, QT_GGUF_Q8_0) == QT_OK);
  REQUIRE(qt_bundle_set(bundle, "w", deep) == QT_OK);
  CHECK(qt_bundle_serialize_gguf(&out, &size, bundle) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "tensor 'w' has 5 dims: GGUF tensors have at most 4");

  // A transposed view has no blocks of 32 along its last axis.
  qt_tensor* matrix = nullptr;
  qt_tensor* transposed = nullptr;
  const int64_t square[2] = {32, 32};
  const std::vector<float> square_data(1024, 0.25f);
  REQUIRE(qt_quantize_gguf(&matrix, square_data.data(), square, 2, QT_GGUF_Q4_0) == QT_OK);
  REQUIRE(qt_transpose(&transposed, matrix, 0, 1) == QT_OK);
  REQUIRE(qt_bundle_set(bundle, "w", transposed) == QT_OK);
  CHECK(qt_bundle_serialize_gguf(&out, &size, bundle) == QT_ERR_INVALID_ARGUMENT);
  // A row of it (a view walking the blocks from a boundary) fits.
  qt_tensor* row = nullptr;
  REQUIRE(qt_select(&row, matrix, 0, 3) == QT_OK);
  REQUIRE(qt_bundle_set(bundle, "w", row) == QT_OK);
  REQUIRE_MESSAGE(qt_bundle_serialize_gguf(&out, &size, bundle) == QT_OK, Message());
  const io::GgufFile parsed = io::ReadGguf(out, size);
  REQUIRE(parsed.tensors.size() == 1);
  CHECK(parsed.tensors[0].dims == std::vector<uint64_t>{32});
  qt_buffer_free(out);

  const int64_t odd[1] = {48};
  qt_tensor* none = nullptr;
  CHECK(qt_quantize_gguf(&none, data.data(), odd, 1, QT_GGUF_Q8_0) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "Q8_0 blocks: the last dim must be a multiple of 32, got 48");
  CHECK(qt_quantize_gguf(&none, data.data(), shape, 0, QT_GGUF_Q8_0) == QT_ERR_INVALID_ARGUMENT);
  CHECK(qt_quantize_gguf(&none, data.data(), shape, 2, static_cast<qt_gguf_type>(3)) ==
        QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "unknown GGUF type 3 (expected QT_GGUF_Q4_0 = 2 or QT_GGUF_Q8_0 = 8)");
  CHECK(qt_quantize_gguf(&none, nullptr, shape, 2, QT_GGUF_Q8_0) == QT_ERR_INVALID_ARGUMENT);
  CHECK(none == nullptr);
  qt_tensor_free(row);
  qt_tensor_free(transposed);
  qt_tensor_free(matrix);
  qt_tensor_free(deep);
  qt_tensor_free(per_tensor);
  qt_bundle_free(bundle);
}

TEST_CASE("GGUF rounding quantizes with each block's fixed d, and the operators refuse it") {
  const double scales[2] = {-0.5, 0.0};
  qt_quantizer* q4 = nullptr;
  REQUIRE_MESSAGE(qt_quantizer_new_gguf(&q4, QT_GGUF_Q4_0, scales, 2) == QT_OK, Message());
  const int64_t shape[1] = {64};
  std::vector<float> x(64, 0.0f);
  x[0] = 1.0f;    // 1 / -0.5 = -2 -> trunc(-2 + 8.5) = 6
  x[1] = -3.9f;   // 7.8 + 8.5 -> 15 (clamped from 16.3)
  x[2] = 100.0f;  // -200 + 8.5 < 0 -> 0
  x[3] = NAN;     // -> 0
  x[32] = 7.0f;   // d = 0: id = 0 -> trunc(8.5) = 8
  qt_tensor* tensor = nullptr;
  REQUIRE_MESSAGE(qt_quantize(&tensor, x.data(), shape, 1, q4) == QT_OK, Message());
  uint8_t ints[64];
  REQUIRE(qt_int_repr(ints, 64, tensor) == QT_OK);
  CHECK(ints[0] == 6);
  CHECK(ints[1] == 15);
  CHECK(ints[2] == 0);
  CHECK(ints[3] == 0);
  CHECK(ints[4] == 8);
  CHECK(ints[32] == 8);
  float back[64];
  REQUIRE(qt_dequantize(back, 64, tensor) == QT_OK);
  CHECK(back[0] == 1.0f);  // (6 - 8) * -0.5
  CHECK(back[32] == 0.0f);

  const double q8_scales[1] = {-2.0};
  qt_quantizer* q8 = nullptr;
  REQUIRE(qt_quantizer_new_gguf(&q8, QT_GGUF_Q8_0, q8_scales, 1) == QT_OK);
  const int64_t shape32[1] = {32};
  std::vector<float> y(32, 0.0f);
  y[0] = 5.0f;     // roundf(-2.5) = -3 (half away from zero)
  y[1] = -1000.f;  // 500 -> 127
  y[2] = 1000.f;   // -500 -> -128
  qt_tensor* t8 = nullptr;
  REQUIRE(qt_quantize(&t8, y.data(), shape32, 1, q8) == QT_OK);
  int8_t ints8[32];
  REQUIRE(qt_int_repr(ints8, 32, t8) == QT_OK);
  CHECK(ints8[0] == -3);
  CHECK(ints8[1] == 127);
  CHECK(ints8[2] == -128);
  // fill and element writes follow the same formula.
  REQUIRE(qt_fill(t8, 5.0f) == QT_OK);
  REQUIRE(qt_int_repr(ints8, 32, t8) == QT_OK);
  CHECK(ints8[31] == -3);

  qt_tensor* relu = nullptr;
  CHECK(qt_relu(&relu, t8) == QT_ERR_TYPE_MISMATCH);
  CHECK(Message().find("per-block tensors are not computed on") != std::string::npos);
  qt_tensor* scalar_view = nullptr;
  REQUIRE(qt_select(&scalar_view, t8, 0, 0) == QT_OK);
  CHECK(qt_relu(&relu, scalar_view) == QT_ERR_TYPE_MISMATCH);
  qt_tensor* copy = nullptr;
  REQUIRE_MESSAGE(qt_clone(&copy, scalar_view) == QT_OK, Message());  // a per-tensor GGUF storage
  CHECK(qt_relu(&relu, copy) == QT_ERR_TYPE_MISMATCH);
  CHECK(Message() ==
        "relu: tensors with GGUF rounding are not computed on (their scales may be 0 or "
        "negative); requantize first");
  CHECK(relu == nullptr);

  // What GGUF rounding asks of a quantizer.
  const double bad[1] = {0.1};  // not a float16 value
  qt_quantizer* none = nullptr;
  CHECK(qt_quantizer_new_gguf(&none, QT_GGUF_Q8_0, bad, 1) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "scales[0] = 0.1 is not a float16 value (the nearest is 0.0999755859375)");
  const double infinite[1] = {INFINITY};
  CHECK(qt_quantizer_new_gguf(&none, QT_GGUF_Q8_0, infinite, 1) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "scales[0] must be finite, got inf");
  qt_quantizer* pytorch = nullptr;
  REQUIRE(qt_quantizer_new_per_tensor(&pytorch, QT_QINT8, 0.5, 3) == QT_OK);
  qt_quantizer* half = nullptr;
  REQUIRE(qt_quantizer_with_scale_type(&half, pytorch, QT_SCALE_FLOAT16) == QT_OK);
  CHECK(qt_quantizer_with_rounding(&none, pytorch, QT_ROUNDING_GGUF) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "GGUF rounding needs float16 scales (GGUF's d), not float64");
  CHECK(qt_quantizer_with_rounding(&none, half, QT_ROUNDING_GGUF) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "zero_point = 3: GGUF rounding needs zero points of 0 for qint8");
  // A negative scale cannot leave GGUF rounding.
  CHECK(qt_quantizer_with_rounding(&none, q8, QT_ROUNDING_PYTORCH) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Message() == "scales[0] must be positive and finite, got -2.0");
  CHECK(none == nullptr);

  // Files keep GGUF rounding and its scales, -0.0 included.
  const double signed_zero[1] = {-0.0};
  qt_quantizer* zero_q = nullptr;
  REQUIRE(qt_quantizer_new_gguf(&zero_q, QT_GGUF_Q8_0, signed_zero, 1) == QT_OK);
  qt_tensor* zero_t = nullptr;
  REQUIRE(qt_quantize(&zero_t, y.data(), shape32, 1, zero_q) == QT_OK);
  uint8_t* file = nullptr;
  size_t size = 0;
  REQUIRE(qt_serialize(&file, &size, zero_t) == QT_OK);
  qt_tensor* loaded = nullptr;
  REQUIRE_MESSAGE(qt_deserialize(&loaded, file, size) == QT_OK, Message());
  qt_quantizer* loaded_q = nullptr;
  REQUIRE(qt_tensor_quantizer(&loaded_q, loaded) == QT_OK);
  double loaded_scale = 1.0;
  REQUIRE(qt_quantizer_scales(&loaded_scale, 1, loaded_q) == QT_OK);
  CHECK(std::signbit(loaded_scale));
  CHECK(loaded_scale == 0.0);
  qt_rounding rounding{};
  REQUIRE(qt_quantizer_rounding(&rounding, loaded_q) == QT_OK);
  CHECK(rounding == QT_ROUNDING_GGUF);

  for (qt_quantizer* q : {q4, q8, pytorch, half, zero_q, loaded_q}) qt_quantizer_free(q);
  for (qt_tensor* t : {tensor, t8, scalar_view, copy, zero_t, loaded}) qt_tensor_free(t);
  qt_buffer_free(file);
}

TEST_CASE("GGUF metadata as typed text: every type both ways, and bad text refused") {
  const auto round_trip = [](const io::GgufValue& value, const std::string& text) {
    CHECK(io::GgufValueText(value) == text);
    const io::GgufValue back = io::ParseGgufValueText(text);
    CHECK(io::GgufValueText(back) == text);
    CHECK(back.type == value.type);
    CHECK(back.bits == value.bits);
    CHECK(back.string == value.string);
  };
  round_trip(io::GgufValue::Uint8(200), "UINT8 200");
  round_trip(io::GgufValue::Int8(-128), "INT8 -128");
  round_trip(io::GgufValue::Uint16(65535), "UINT16 65535");
  round_trip(io::GgufValue::Int16(-32768), "INT16 -32768");
  round_trip(io::GgufValue::Uint32(4294967295u), "UINT32 4294967295");
  round_trip(io::GgufValue::Int32(INT32_MIN), "INT32 -2147483648");
  round_trip(io::GgufValue::Uint64(UINT64_MAX), "UINT64 18446744073709551615");
  round_trip(io::GgufValue::Int64(INT64_MIN), "INT64 -9223372036854775808");
  round_trip(io::GgufValue::Float32(1e-5f), "FLOAT32 1e-05");
  round_trip(io::GgufValue::Float32(0.1f), "FLOAT32 0.1");
  round_trip(io::GgufValue::Float32(-0.0f), "FLOAT32 -0");
  round_trip(io::GgufValue::Float32(-INFINITY), "FLOAT32 -inf");
  round_trip(io::GgufValue::Float32(qk::FloatFromBits(0xffc00001u)), "FLOAT32 nan:0xffc00001");
  round_trip(io::GgufValue::Float64(0.1), "FLOAT64 0.1");
  round_trip(io::GgufValue::Float64(5e-324), "FLOAT64 5e-324");
  round_trip(io::GgufValue::Bool(false), "BOOL false");
  round_trip(io::GgufValue::String(""), "STRING \"\"");
  round_trip(io::GgufValue::String(std::string("q\"\\\n\t\x01\x7f\0\xc3\xa9\xc3", 11)),
             "STRING \"q\\\"\\\\\\n\\t\\u0001\\u007f\\u0000\xc3\xa9\\xc3\"");
  io::GgufArray empty;
  empty.element_type = io::GgufValueType::kFloat32;
  CHECK(io::GgufValueText(io::GgufValue::Array(empty)) == "ARRAY<FLOAT32> []");
  const io::GgufValue parsed = io::ParseGgufValueText(
      "ARRAY<ARRAY> [ARRAY<UINT8> [1, 2], ARRAY<STRING> [\"x\"], ARRAY<ARRAY> []]");
  REQUIRE(parsed.array.arrays.size() == 3);
  CHECK(parsed.array.arrays[0].fixed == std::string("\x01\x02", 2));
  CHECK(parsed.array.arrays[1].strings == std::vector<std::string>{"x"});
  CHECK(io::GgufValueText(parsed) ==
        "ARRAY<ARRAY> [ARRAY<UINT8> [1, 2], ARRAY<STRING> [\"x\"], ARRAY<ARRAY> []]");

  const auto refused = [](const std::string& text) {
    try {
      io::ParseGgufValueText(text);
    } catch (const qtensor::core::Error& error) {
      CHECK(error.kind() == qtensor::core::ErrorKind::kInvalidArgument);
      return std::string(error.what());
    }
    return std::string("(no error)");
  };
  CHECK(refused("UINT8 256").rfind("GGUF metadata text at byte 6: \"256\" is not an integer", 0) ==
        0);
  CHECK(refused("INT8 +1").find("is not an integer") != std::string::npos);
  CHECK(refused("FLOAT32 nan").find("\"nan\" is not a FLOAT32 value") != std::string::npos);
  CHECK(refused("FLOAT32 nan:0x3f800000").find("is not a FLOAT32 value") != std::string::npos);
  CHECK(refused("BOOL 1").find("\"1\" is not a BOOL value") != std::string::npos);
  CHECK(refused("STRING \"open").find("has no closing") != std::string::npos);
  CHECK(refused("STRING \"\\q\"").find("unknown escape \\q") != std::string::npos);
  CHECK(refused("STRING \"\\u0100\"").find("only bytes below 0x100") != std::string::npos);
  CHECK(refused("TEXT \"x\"").find("unknown type name \"TEXT\"") != std::string::npos);
  CHECK(refused("UINT8 1 ").find("text after the value") != std::string::npos);
  CHECK(refused("ARRAY<UINT8> [1,2]").find("expected ' '") != std::string::npos);
  CHECK(refused("").find("unknown type name \"\"") != std::string::npos);
  std::string deep = "ARRAY<UINT8> []";
  for (int depth = 1; depth < 8; ++depth) deep = "ARRAY<ARRAY> [" + deep + "]";
  CHECK(io::GgufValueText(io::ParseGgufValueText(deep)) == deep);  // 8 deep: as the reader allows
  CHECK(refused("ARRAY<ARRAY> [" + deep + "]").find("nested deeper than 8") != std::string::npos);
}

TEST_CASE("GGUF files are saved and loaded whole") {
  // A file of the corpus, read back byte for byte.
  const std::string corpus =
      std::string(QTENSOR_TEST_DATA_DIR) + "/gguf_corrupt/valid_no_tensors.gguf";
  std::ifstream in(corpus, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(bytes.size() > 24);
  qt_bundle* loaded = nullptr;
  REQUIRE_MESSAGE(qt_bundle_load_gguf(&loaded, corpus.c_str()) == QT_OK, Message());
  uint8_t* out = nullptr;
  size_t size = 0;
  REQUIRE_MESSAGE(qt_bundle_serialize_gguf(&out, &size, loaded) == QT_OK, Message());
  CHECK(std::string(reinterpret_cast<const char*>(out), size) == bytes);
  qt_buffer_free(out);

  // A bundle of blocks saved, then loaded.
  std::vector<float> x(64);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) * 0.25f - 7.0f;
  const int64_t shape[] = {2, 32};
  qt_tensor* tensor = nullptr;
  REQUIRE(qt_quantize_gguf(&tensor, x.data(), shape, 2, QT_GGUF_Q4_0) == QT_OK);
  REQUIRE(qt_bundle_set(loaded, "w", tensor) == QT_OK);
  const std::string path = "qtensor_io_test_saved.gguf";
  REQUIRE_MESSAGE(qt_bundle_save_gguf(loaded, path.c_str()) == QT_OK, Message());
  REQUIRE_MESSAGE(qt_bundle_serialize_gguf(&out, &size, loaded) == QT_OK, Message());
  const std::string saved(reinterpret_cast<const char*>(out), size);
  qt_buffer_free(out);
  qt_bundle* again = nullptr;
  REQUIRE_MESSAGE(qt_bundle_load_gguf(&again, path.c_str()) == QT_OK, Message());
  REQUIRE_MESSAGE(qt_bundle_serialize_gguf(&out, &size, again) == QT_OK, Message());
  CHECK(std::string(reinterpret_cast<const char*>(out), size) == saved);
  qt_buffer_free(out);
  std::remove(path.c_str());
  CHECK(qt_bundle_load_gguf(&again, path.c_str()) == QT_ERR_IO);
  qt_bundle_free(again);
  qt_bundle_free(loaded);
  qt_tensor_free(tensor);
}

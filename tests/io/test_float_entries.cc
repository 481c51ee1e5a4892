// A bundle's unquantized float entries in the file format: bit-exact round
// trips among quantized tensors, the encoding protobuf itself reads back
// (dtype 10 to 12, no quantization field, format version 2), decoding from
// hand-built bytes, and the refusals of FloatArray::Copy and of a single
// tensor with a float dtype.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "core/error.h"
#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "io/float_array.h"
#include "io/serialize.h"
#include "qtensor.pb.h"
#include "wire_builder.h"

using qtensor::core::DType;
using qtensor::core::ErrorKind;
using qtensor::core::Tensor;
using qtensor::io::Bundle;
using qtensor::io::FloatArray;
using qtensor::io::FloatDType;
using namespace wire;

namespace {

template <typename T>
std::string RawBytes(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

FloatArray Array(FloatDType dtype, std::vector<int64_t> shape, const std::string& bytes) {
  return FloatArray::Copy(dtype, std::move(shape), bytes.data(), bytes.size());
}

Tensor SmallTensor(int8_t first) {
  const int8_t ints[3] = {first, 0, -1};
  return qtensor::core::FromIntRepr(ints, sizeof ints, {3},
                                    qtensor::core::Quantizer::PerTensor(DType::kQInt8, 0.5, 1));
}

// NaN with a payload, -0.0, the smallest subnormal, inf; float16 and bfloat16
// with a signalling NaN, -0.0, the smallest subnormal and 1.0.
const std::string kF32 = RawBytes(std::vector<uint32_t>{0x7fc00123u, 0x80000000u, 1u, 0x7f800000u});
const std::string kF16 = RawBytes(std::vector<uint16_t>{0x7c01u, 0x8000u, 1u, 0x3c00u, 0, 0});
const std::string kBF16 = RawBytes(std::vector<uint16_t>{0x7f81u, 0x8000u, 1u, 0x3f80u});

Bundle MixedBundle() {
  Bundle bundle;
  bundle.entries.emplace_back("q0", SmallTensor(5));
  bundle.entries.emplace_back("norm", Array(FloatDType::kFloat32, {4}, kF32));
  bundle.entries.emplace_back("emb", Array(FloatDType::kFloat16, {2, 3}, kF16));
  bundle.entries.emplace_back("bf", Array(FloatDType::kBFloat16, {2, 1, 2}, kBF16));
  bundle.entries.emplace_back("scalar", Array(FloatDType::kFloat32, {}, kF32.substr(0, 4)));
  bundle.entries.emplace_back("empty", Array(FloatDType::kFloat16, {0, 7}, ""));
  bundle.entries.emplace_back("q1", SmallTensor(-7));
  bundle.metadata["general.architecture"] = "llama";
  return bundle;
}

void CheckSame(const Bundle& got, const Bundle& want) {
  REQUIRE(got.entries.size() == want.entries.size());
  for (size_t i = 0; i < want.entries.size(); ++i) {
    CAPTURE(want.entries[i].first);
    CHECK(got.entries[i].first == want.entries[i].first);
    const auto* want_array = std::get_if<FloatArray>(&want.entries[i].second);
    const auto* got_array = std::get_if<FloatArray>(&got.entries[i].second);
    REQUIRE((want_array == nullptr) == (got_array == nullptr));
    if (want_array != nullptr) {
      CHECK(got_array->dtype == want_array->dtype);
      CHECK(got_array->shape == want_array->shape);
      CHECK(got_array->Bytes() == want_array->Bytes());
    } else {
      const Tensor& a = std::get<Tensor>(got.entries[i].second);
      const Tensor& b = std::get<Tensor>(want.entries[i].second);
      std::vector<float> x(3), y(3);
      qtensor::core::Dequantize(a, x.data());
      qtensor::core::Dequantize(b, y.data());
      CHECK(x == y);
    }
  }
  CHECK(got.metadata == want.metadata);
}

std::string Serialized(const Bundle& bundle) {
  const qtensor::io::Buffer buffer = qtensor::io::SerializeBundle(bundle);
  return std::string(reinterpret_cast<const char*>(buffer.data.get()), buffer.size);
}

Bundle Deserialized(const std::string& bytes) {
  return qtensor::io::DeserializeBundle(reinterpret_cast<const uint8_t*>(bytes.data()),
                                        bytes.size());
}

template <typename Body>
std::string ErrorOf(ErrorKind kind, Body&& body) {
  try {
    body();
  } catch (const qtensor::core::Error& error) {
    CHECK(error.kind() == kind);
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("float entries: a mixed bundle round trips bit for bit, in order") {
  const Bundle bundle = MixedBundle();
  const std::string bytes = Serialized(bundle);
  const Bundle back = Deserialized(bytes);
  CheckSame(back, bundle);
  CHECK(Serialized(back) == bytes);

  const std::string path = "test_float_entries.qtb";
  qtensor::io::SaveBundle(bundle, path);
  CheckSame(qtensor::io::LoadBundle(path), bundle);
  std::remove(path.c_str());
}

TEST_CASE("float entries: protobuf reads the encoding as the format describes") {
  qtensor::v1::File file;
  const std::string bytes = Serialized(MixedBundle());
  REQUIRE(file.ParseFromString(bytes));
  CHECK(file.format_version() == 2);  // a version-1 reader refuses it
  REQUIRE(file.bundle().tensors_size() == 7);
  const qtensor::v1::Tensor& norm = file.bundle().tensors(1);
  CHECK(norm.dtype() == qtensor::v1::DTYPE_FLOAT32);
  CHECK(norm.data() == kF32);
  CHECK(norm.name() == "norm");
  CHECK(norm.qscheme() == 0);
  CHECK(norm.scale() == 0.0);
  CHECK(norm.scale_type() == 0);
  CHECK(file.bundle().tensors(2).dtype() == qtensor::v1::DTYPE_FLOAT16);
  CHECK(file.bundle().tensors(3).dtype() == qtensor::v1::DTYPE_BFLOAT16);
  CHECK(std::vector<int64_t>(file.bundle().tensors(3).shape().begin(),
                             file.bundle().tensors(3).shape().end()) ==
        std::vector<int64_t>{2, 1, 2});
  CHECK(file.bundle().tensors(4).shape_size() == 0);

  Bundle quantized_only;
  quantized_only.entries.emplace_back("q", SmallTensor(1));
  REQUIRE(file.ParseFromString(Serialized(quantized_only)));
  CHECK(file.format_version() == 1);
}

TEST_CASE("float entries: decoded from hand-built bytes") {
  const std::string entry = VarintField(1, 12) + VarintField(2, 2) +
                            BytesField(9, kBF16.substr(0, 4)) + BytesField(10, "w");
  const Bundle bundle = Deserialized(BundleFile(BytesField(1, entry)));
  REQUIRE(bundle.entries.size() == 1);
  const FloatArray& array = std::get<FloatArray>(bundle.entries[0].second);
  CHECK(array.dtype == FloatDType::kBFloat16);
  CHECK(array.shape == std::vector<int64_t>{2});
  CHECK(array.Bytes() == kBF16.substr(0, 4));

  // A single tensor cannot be one.
  const std::string single = TensorFile(VarintField(1, 10) + BytesField(9, kF32.substr(0, 4)));
  CHECK(
      ErrorOf(ErrorKind::kCorruptData, [&] {
        qtensor::io::DeserializeTensor(reinterpret_cast<const uint8_t*>(single.data()),
                                       single.size());
      }) == "tensor: dtype 10 (float32) is an unquantized float entry, which only a bundle holds");
  // Nor is a quantized field allowed on one.
  const std::string scaled = BundleFile(BytesField(1, entry + DoubleField(4, 0.5)));
  CHECK(ErrorOf(ErrorKind::kCorruptData, [&] { Deserialized(scaled); }) ==
        "bundle tensors[0] (\"w\"): scale 0.5 is set: a float entry has no quantization fields");
}

TEST_CASE("float entries: FloatArray::Copy checks its input; Widen is exact") {
  CHECK(ErrorOf(ErrorKind::kShapeMismatch, [] {
          Array(FloatDType::kFloat16, {2, 3}, std::string(11, '\0'));
        }) == "data is 11 bytes but 6 values of float16 need 12");
  CHECK(ErrorOf(ErrorKind::kInvalidArgument, [] {
          Array(FloatDType::kFloat32, {2, -1}, "");
        }).find("negative size -1") != std::string::npos);
  CHECK(ErrorOf(ErrorKind::kOutOfMemory, [] {
          Array(FloatDType::kFloat32, {int64_t{1} << 40, int64_t{1} << 40}, "");
        }).find("too large") != std::string::npos);
  CHECK(ErrorOf(ErrorKind::kInvalidArgument,
                [] { FloatArray::Copy(FloatDType::kFloat32, {1}, nullptr, 4); }) == "data is NULL");

  const FloatArray f16 = Array(FloatDType::kFloat16, {6}, kF16);
  std::vector<float> values(6);
  f16.Widen(values.data());
  uint32_t bits;
  std::memcpy(&bits, &values[0], 4);
  CHECK(bits == 0x7fc02000u);  // quiet, the payload kept
  std::memcpy(&bits, &values[1], 4);
  CHECK(bits == 0x80000000u);
  CHECK(values[2] == 0x1p-24f);
  CHECK(values[3] == 1.0f);
  const FloatArray bf16 = Array(FloatDType::kBFloat16, {4}, kBF16);
  std::vector<float> wide(4);
  bf16.Widen(wide.data());
  std::memcpy(&bits, &wide[2], 4);
  CHECK(bits == 0x00010000u);
  CHECK(wide[3] == 1.0f);
}

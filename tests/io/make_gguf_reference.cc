// Writes OUT.gguf with qtensor's GGUF writer (every metadata type, nested
// arrays, F32 / F16 / Q8_0 / Q4_0 tensors made by qtensor's kernels) and
// OUT.json saying what it holds, for gguf_check.mjs to compare with what an
// independent reader (@huggingface/gguf) finds in OUT.gguf.
// usage: qtensor_make_gguf_reference OUT   (writes OUT.gguf and OUT.json)
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "kernels/gguf_block_kernels.h"
#include "kernels/half_float.h"

namespace {

namespace io = qtensor::io;
namespace qk = qtensor::kernels;
using io::GgufArray;
using io::GgufValue;
using io::GgufValueType;

std::string Json(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", byte);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

// A fixed-size element's bytes as JSON: 64-bit integers as strings (node
// reads them as BigInt), the rest as numbers, bools as true / false.
std::string FixedJson(GgufValueType type, uint64_t bits) {
  GgufValue v;
  v.type = type;
  v.bits = bits;
  switch (type) {
    case GgufValueType::kUint64:
      return "\"" + std::to_string(bits) + "\"";
    case GgufValueType::kInt64:
      return "\"" + std::to_string(static_cast<int64_t>(bits)) + "\"";
    case GgufValueType::kBool:
      return bits != 0 ? "true" : "false";
    default:
      return Number(v.AsDouble());
  }
}

std::string ArrayJson(const GgufArray& array) {
  std::string out = "[";
  const uint64_t n = array.size();
  const size_t width = io::GgufFixedSize(array.element_type);
  for (uint64_t i = 0; i < n; ++i) {
    if (i > 0) out += ",";
    if (array.element_type == GgufValueType::kString) {
      out += Json(array.strings[i]);
    } else if (array.element_type == GgufValueType::kArray) {
      out += ArrayJson(array.arrays[i]);
    } else {
      uint64_t bits = 0;
      std::memcpy(&bits, array.fixed.data() + i * width, width);
      out += FixedJson(array.element_type, bits);
    }
  }
  return out + "]";
}

std::string ValueJson(const GgufValue& value) {
  if (value.type == GgufValueType::kString) return Json(value.string);
  if (value.type == GgufValueType::kArray) return ArrayJson(value.array);
  return FixedJson(value.type, value.bits);
}

template <typename T>
GgufArray Fixed(GgufValueType type, std::vector<T> values) {
  GgufArray array;
  array.element_type = type;
  array.fixed.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  return array;
}

std::string FloatBitsJson(const std::vector<float>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%s\"%08" PRIx32 "\"", i > 0 ? "," : "",
                  qk::FloatBits(values[i]));
    out += buf;
  }
  return out + "]";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT   (writes OUT.gguf and OUT.json)\n", argv[0]);
    return 2;
  }
  const std::string out = argv[1];
  io::GgufFile file;
  const auto add = [&](const char* key, GgufValue value) {
    file.metadata.push_back({key, std::move(value)});
  };
  add("general.architecture", GgufValue::String("qtensor-test"));
  add("general.alignment", GgufValue::Uint32(64));
  add("test.u8", GgufValue::Uint8(250));
  add("test.i8", GgufValue::Int8(-7));
  add("test.u16", GgufValue::Uint16(65000));
  add("test.i16", GgufValue::Int16(-32000));
  add("test.u32", GgufValue::Uint32(4000000000u));
  add("test.i32", GgufValue::Int32(-2000000000));
  add("test.f32", GgufValue::Float32(0.1f));
  add("test.bool", GgufValue::Bool(true));
  add("test.string", GgufValue::String("h\xc3\xa9llo \"quoted\""));
  add("test.u64", GgufValue::Uint64(18000000000000000000u));
  add("test.i64", GgufValue::Int64(-9000000000000000000));
  add("test.f64", GgufValue::Float64(-1.0 / 3.0));
  add("test.array.i32", GgufValue::Array(Fixed<int32_t>(GgufValueType::kInt32, {-1, 0, 7})));
  add("test.array.f32", GgufValue::Array(Fixed<float>(GgufValueType::kFloat32, {0.5f, -2.0f})));
  add("test.array.bool", GgufValue::Array(Fixed<uint8_t>(GgufValueType::kBool, {1, 0})));
  add("test.array.u64", GgufValue::Array(Fixed<uint64_t>(GgufValueType::kUint64, {1, ~0ull})));
  GgufArray strings;
  strings.element_type = GgufValueType::kString;
  strings.strings = {"<s>", "</s>", ""};
  add("test.array.string", GgufValue::Array(strings));
  GgufArray nested;
  nested.element_type = GgufValueType::kArray;
  nested.arrays = {Fixed<uint8_t>(GgufValueType::kUint8, {1, 2}), strings};
  add("test.array.nested", GgufValue::Array(nested));

  // Tensors: values made by qtensor's conversions and block kernels.
  std::vector<float> values(2 * 64);
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = std::sin(static_cast<float>(i) * 0.37f) * 3.0f;
  }
  std::vector<uint8_t> f32(values.size() * 4), f16(values.size() * 2);
  std::memcpy(f32.data(), values.data(), f32.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const uint16_t h = qk::FloatToHalfBits(values[i]);
    std::memcpy(&f16[i * 2], &h, 2);
  }
  std::vector<uint8_t> q8(values.size() / 32 * qk::kQ8_0BlockBytes);
  std::vector<uint8_t> q4(values.size() / 32 * qk::kQ4_0BlockBytes);
  qk::QuantizeQ8_0(values.data(), values.size(), q8.data());
  qk::QuantizeQ4_0(values.data(), values.size(), q4.data());
  std::vector<float> q8_values(values.size()), q4_values(values.size());
  qk::DequantizeQ8_0(q8.data(), values.size(), q8_values.data());
  qk::DequantizeQ4_0(q4.data(), values.size(), q4_values.data());
  const auto tensor = [](const char* name, std::vector<uint64_t> dims, io::GgmlType type,
                         const std::vector<uint8_t>& data) {
    io::GgufTensor t;
    t.name = name;
    t.dims = std::move(dims);
    t.type = static_cast<uint32_t>(type);
    t.data = data.data();
    t.size = data.size();
    return t;
  };
  file.tensors = {tensor("blk.0.f32", {64, 2}, io::GgmlType::kF32, f32),
                  tensor("blk.0.f16", {16, 4, 2}, io::GgmlType::kF16, f16),
                  tensor("blk.0.q8_0", {64, 2}, io::GgmlType::kQ8_0, q8),
                  tensor("blk.0.q4_0", {128}, io::GgmlType::kQ4_0, q4)};

  const std::string bytes = io::WriteGguf(file);
  // What was written, as our reader finds it (offsets, data offset).
  const io::GgufFile back =
      io::ReadGguf(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  std::string json =
      "{\n\"version\": 3,\n\"tensor_data_offset\": " + std::to_string(back.data_offset) +
      ",\n\"metadata\": [\n";
  for (size_t i = 0; i < back.metadata.size(); ++i) {
    const GgufValue& v = back.metadata[i].value;
    json += std::string(i > 0 ? ",\n" : "") + "{\"key\": " + Json(back.metadata[i].key) +
            ", \"type\": " + std::to_string(static_cast<uint32_t>(v.type));
    if (v.type == GgufValueType::kArray) {
      json += ", \"subType\": " + std::to_string(static_cast<uint32_t>(v.array.element_type));
    }
    json += ", \"value\": " + ValueJson(v) + "}";
  }
  json += "\n],\n\"tensors\": [\n";
  for (size_t i = 0; i < back.tensors.size(); ++i) {
    const io::GgufTensor& t = back.tensors[i];
    json += std::string(i > 0 ? ",\n" : "") + "{\"name\": " + Json(t.name) + ", \"shape\": [";
    for (size_t d = 0; d < t.dims.size(); ++d) {
      json += std::string(d > 0 ? ", " : "") + "\"" + std::to_string(t.dims[d]) + "\"";
    }
    json += "], \"dtype\": " + std::to_string(t.type) + ", \"offset\": \"" +
            std::to_string(t.offset) + "\", \"bytes\": " + std::to_string(t.size) + "}";
  }
  json += "\n],\n\"f32_values\": " + FloatBitsJson(values) +
          ",\n\"q8_0_dequantized\": " + FloatBitsJson(q8_values) +
          ",\n\"q4_0_dequantized\": " + FloatBitsJson(q4_values) + "\n}\n";

  std::ofstream(out + ".gguf", std::ios::binary) << bytes;
  std::ofstream(out + ".json") << json;
  std::printf("wrote %s.gguf (%zu bytes) and %s.json\n", out.c_str(), bytes.size(), out.c_str());
  return 0;
}

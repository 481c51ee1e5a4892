// Writes OUT.gguf with qtensor's GGUF writer (every metadata type, nested
// arrays, F32 / F16 / Q8_0 / Q4_0 tensors made by qtensor's kernels) and
// OUT.json saying what it holds, for gguf_check.mjs to compare with what an
// independent reader (@huggingface/gguf) finds in OUT.gguf; and the same
// pair OUT.bundle.* of a file written through the C API's bundle path
// (qt_quantize_gguf tensors, metadata set as typed text,
// qt_bundle_serialize_gguf), whose expected metadata is written here from
// the typed text, not read back.
// usage: qtensor_make_gguf_reference OUT
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "kernels/gguf_block_kernels.h"
#include "kernels/half_float.h"
#include "qtensor/qtensor.h"

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

// A tensor info as our reader found it, plus extra JSON members.
std::string TensorInfoJson(const io::GgufTensor& t, const std::string& extra) {
  std::string json = "{\"name\": " + Json(t.name) + ", \"shape\": [";
  for (size_t d = 0; d < t.dims.size(); ++d) {
    json += std::string(d > 0 ? ", " : "") + "\"" + std::to_string(t.dims[d]) + "\"";
  }
  return json + "], \"dtype\": " + std::to_string(t.type) + ", \"offset\": \"" +
         std::to_string(t.offset) + "\", \"bytes\": " + std::to_string(t.size) + extra + "}";
}

void Write(const std::string& base, const std::string& bytes, const std::string& json) {
  std::ofstream(base + ".gguf", std::ios::binary) << bytes;
  std::ofstream(base + ".json") << json;
  std::printf("wrote %s.gguf (%zu bytes) and %s.json\n", base.c_str(), bytes.size(), base.c_str());
}

void Check(qt_status status) {
  if (status != QT_OK) {
    std::fprintf(stderr, "qtensor: %s\n", qt_last_error_message());
    std::exit(1);
  }
}

// The bundle path: tensors from qt_quantize_gguf, metadata as typed text.
// Each metadata entry: key, typed text, and the JSON of what a GGUF reader
// must find (type, subType, value), in key order as the bundle writes them.
struct TypedEntry {
  const char* key;
  const char* text;
  const char* expected;
};
const TypedEntry kTypedMetadata[] = {
    {"general.alignment", "UINT32 64", "\"type\": 4, \"value\": 64"},
    {"general.architecture", "STRING \"llama\"", "\"type\": 8, \"value\": \"llama\""},
    {"llama.block_count", "UINT32 32", "\"type\": 4, \"value\": 32"},
    {"llama.rope.freq_base", "FLOAT32 10000", "\"type\": 6, \"value\": 10000"},
    {"note", "plain text, stored as a GGUF string",
     "\"type\": 8, \"value\": "
     "\"plain text, stored as a GGUF string\""},
    {"test.bool", "BOOL true", "\"type\": 7, \"value\": true"},
    {"test.i64", "INT64 -9000000000000000000", "\"type\": 11, \"value\": \"-9000000000000000000\""},
    {"test.nested", "ARRAY<ARRAY> [ARRAY<INT32> [-1, 7], ARRAY<UINT8> [2]]",
     "\"type\": 9, \"subType\": 9, \"value\": [[-1, 7], [2]]"},
    {"tokenizer.ggml.tokens", "ARRAY<STRING> [\"<s>\", \"</s>\", \"h\xc3\xa9\"]",
     "\"type\": 9, \"subType\": 8, \"value\": [\"<s>\", \"</s>\", \"h\\u00e9\"]"}};

void WriteBundleFile(const std::string& base) {
  struct Entry {
    const char* name;
    std::vector<int64_t> shape;
    qt_gguf_type type;
  };
  const Entry entries[] = {{"blk.0.attn_q.weight", {2, 64}, QT_GGUF_Q8_0},
                           {"blk.0.ffn_up.weight", {3, 32}, QT_GGUF_Q4_0},
                           {"blk.1.ffn_up.weight", {2, 2, 64}, QT_GGUF_Q4_0}};
  qt_bundle* bundle = nullptr;
  Check(qt_bundle_new(&bundle));
  std::vector<std::vector<float>> dequantized;
  for (const Entry& e : entries) {
    size_t n = 1;
    for (const int64_t size : e.shape) n *= static_cast<size_t>(size);
    std::vector<float> x(n);
    for (size_t i = 0; i < n; ++i) x[i] = std::cos(static_cast<float>(i) * 0.11f) * 2.5f;
    qt_tensor* tensor = nullptr;
    Check(qt_quantize_gguf(&tensor, x.data(), e.shape.data(), e.shape.size(), e.type));
    Check(qt_bundle_set(bundle, e.name, tensor));
    std::vector<float> values(n);
    Check(qt_dequantize(values.data(), n, tensor));
    dequantized.push_back(values);
    qt_tensor_free(tensor);
  }
  for (const TypedEntry& m : kTypedMetadata) Check(qt_bundle_set_metadata(bundle, m.key, m.text));
  uint8_t* data = nullptr;
  size_t size = 0;
  Check(qt_bundle_serialize_gguf(&data, &size, bundle));
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  qt_buffer_free(data);
  qt_bundle_free(bundle);

  // Offsets and the data section's start as our reader finds them.
  const io::GgufFile back =
      io::ReadGguf(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  std::string json =
      "{\n\"version\": 3,\n\"tensor_data_offset\": " + std::to_string(back.data_offset) +
      ",\n\"metadata\": [\n";
  bool first = true;
  for (const TypedEntry& m : kTypedMetadata) {
    json += std::string(first ? "" : ",\n") + "{\"key\": " + Json(m.key) + ", " + m.expected + "}";
    first = false;
  }
  json += "\n],\n\"tensors\": [\n";
  for (size_t i = 0; i < back.tensors.size(); ++i) {
    json += std::string(i > 0 ? ",\n" : "") +
            TensorInfoJson(back.tensors[i], ", \"values\": " + FloatBitsJson(dequantized[i]));
  }
  Write(base, bytes, json + "\n]\n}\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: %s OUT   (writes OUT.gguf, OUT.json, OUT.bundle.gguf and "
                 "OUT.bundle.json)\n",
                 argv[0]);
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
  std::vector<float> values(size_t{2} * 64);
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
    json += std::string(i > 0 ? ",\n" : "") + TensorInfoJson(back.tensors[i], "");
  }
  json += "\n],\n\"f32_values\": " + FloatBitsJson(values) +
          ",\n\"q8_0_dequantized\": " + FloatBitsJson(q8_values) +
          ",\n\"q4_0_dequantized\": " + FloatBitsJson(q4_values) + "\n}\n";

  Write(out, bytes, json);
  WriteBundleFile(out + ".bundle");
  return 0;
}

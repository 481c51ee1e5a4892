// A GGUF file as plain data: what gguf_reader.h parses and gguf_writer.h
// writes. Tensor data is not copied: each tensor points into a buffer its
// owner keeps alive (the reader's input, or the caller's for the writer).
#ifndef QTENSOR_IO_GGUF_FILE_H_
#define QTENSOR_IO_GGUF_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "io/gguf_format.h"

namespace qtensor::io {

// The elements of an array value, stored compactly: an array of a million
// bytes costs a million bytes.
struct GgufArray {
  GgufValueType element_type = GgufValueType::kUint8;
  // Fixed-size elements: their bytes as in the file (little-endian),
  // size() * GgufFixedSize(element_type) of them.
  std::string fixed;
  std::vector<std::string> strings;  // kString elements
  std::vector<GgufArray> arrays;     // kArray elements

  uint64_t size() const;
};

// One metadata value.
struct GgufValue {
  GgufValueType type = GgufValueType::kUint8;
  // A fixed-size scalar's bytes as in the file (little-endian), in the low
  // bytes; a bool is 0 or 1.
  uint64_t bits = 0;
  std::string string;  // kString: bytes, not checked to be UTF-8
  GgufArray array;     // kArray

  static GgufValue Uint8(uint8_t v) { return Fixed(GgufValueType::kUint8, v); }
  static GgufValue Int8(int8_t v) { return Fixed(GgufValueType::kInt8, static_cast<uint8_t>(v)); }
  static GgufValue Uint16(uint16_t v) { return Fixed(GgufValueType::kUint16, v); }
  static GgufValue Int16(int16_t v) {
    return Fixed(GgufValueType::kInt16, static_cast<uint16_t>(v));
  }
  static GgufValue Uint32(uint32_t v) { return Fixed(GgufValueType::kUint32, v); }
  static GgufValue Int32(int32_t v) {
    return Fixed(GgufValueType::kInt32, static_cast<uint32_t>(v));
  }
  static GgufValue Uint64(uint64_t v) { return Fixed(GgufValueType::kUint64, v); }
  static GgufValue Int64(int64_t v) {
    return Fixed(GgufValueType::kInt64, static_cast<uint64_t>(v));
  }
  static GgufValue Float32(float v);
  static GgufValue Float64(double v);
  static GgufValue Bool(bool v) { return Fixed(GgufValueType::kBool, v ? 1 : 0); }
  static GgufValue String(std::string v);
  static GgufValue Array(GgufArray v);

  // The value as a number (integers, bool, floats), for printing and
  // lookups; a 64-bit integer beyond 2^53 is rounded.
  double AsDouble() const;

 private:
  static GgufValue Fixed(GgufValueType type, uint64_t bits);
};

struct GgufKeyValue {
  std::string key;
  GgufValue value;
};

struct GgufTensor {
  std::string name;
  std::vector<uint64_t> dims;  // ne[0] (innermost) first; at most kGgufMaxDims
  uint32_t type = 0;           // a GgmlType id
  // Bytes from the start of the data section (the writer computes it).
  uint64_t offset = 0;
  // The tensor's bytes (GgufTensorBytes(dims, type) of them).
  const uint8_t* data = nullptr;
  uint64_t size = 0;
};

struct GgufFile {
  uint32_t version = kGgufVersionWritten;
  std::vector<GgufKeyValue> metadata;  // in file order
  std::vector<GgufTensor> tensors;     // in file order
  // Where the data section starts in the file, and its alignment (set by
  // the reader; the writer takes the alignment from the metadata).
  uint64_t data_offset = 0;
  uint32_t alignment = kGgufDefaultAlignment;
};

// The value stored under key, or nullptr.
const GgufValue* FindGgufValue(const std::vector<GgufKeyValue>& metadata, const std::string& key);

// The alignment the metadata gives (kGgufAlignmentKey, a UINT32 power of two
// up to kGgufMaxAlignment), or the default. Throws core::Error of `kind`
// with a message naming the key if the value is not valid.
uint32_t GgufAlignment(const std::vector<GgufKeyValue>& metadata, core::ErrorKind kind);

// The bytes of a tensor of these dims and ggml type. Throws core::Error of
// `kind`, the message starting with `where`, for an unknown type, too many
// dims, ne[0] not a whole number of blocks, or a size beyond 2^63.
uint64_t GgufTensorBytes(const std::vector<uint64_t>& dims, uint32_t type, core::ErrorKind kind,
                         const std::string& where);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_GGUF_FILE_H_

// The constants of GGUF, the file format of ggml and llama.cpp
// (github.com/ggml-org/ggml, docs/gguf.md there), and the limits qtensor's
// reader puts on untrusted files (docs/gguf.md here). All numbers in a GGUF
// file are little-endian.
#ifndef QTENSOR_IO_GGUF_FORMAT_H_
#define QTENSOR_IO_GGUF_FORMAT_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::io {

inline constexpr char kGgufMagic[4] = {'G', 'G', 'U', 'F'};
inline constexpr uint32_t kGgufOldestVersionRead = 2;  // version 1 had 32-bit counts
inline constexpr uint32_t kGgufVersionWritten = 3;     // 3 only added big-endian files

inline constexpr char kGgufAlignmentKey[] = "general.alignment";
inline constexpr uint32_t kGgufDefaultAlignment = 32;

// ggml's GGML_MAX_DIMS: a tensor has at most 4 dims, ne[0] innermost.
inline constexpr uint32_t kGgufMaxDims = 4;

// The metadata value types.
enum class GgufValueType : uint32_t {
  kUint8 = 0,
  kInt8 = 1,
  kUint16 = 2,
  kInt16 = 3,
  kUint32 = 4,
  kInt32 = 5,
  kFloat32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kUint64 = 10,
  kInt64 = 11,
  kFloat64 = 12,
};
inline constexpr uint32_t kGgufValueTypeCount = 13;

// Bytes of one value of a fixed-size type; 0 for kString and kArray.
size_t GgufFixedSize(GgufValueType type);
const char* GgufValueTypeName(GgufValueType type);

// The tensor types of ggml's enum ggml_type that GGUF files hold. 4 and 5
// (Q4_2, Q4_3) and 31 to 33, 36 to 38 (repacked forms) were removed from
// ggml and are not read.
enum class GgmlType : uint32_t {
  kF32 = 0,
  kF16 = 1,
  kQ4_0 = 2,
  kQ4_1 = 3,
  kQ5_0 = 6,
  kQ5_1 = 7,
  kQ8_0 = 8,
  kQ8_1 = 9,
  kQ2_K = 10,
  kQ3_K = 11,
  kQ4_K = 12,
  kQ5_K = 13,
  kQ6_K = 14,
  kQ8_K = 15,
  kIQ2_XXS = 16,
  kIQ2_XS = 17,
  kIQ3_XXS = 18,
  kIQ1_S = 19,
  kIQ4_NL = 20,
  kIQ3_S = 21,
  kIQ2_S = 22,
  kIQ4_XS = 23,
  kI8 = 24,
  kI16 = 25,
  kI32 = 26,
  kI64 = 27,
  kF64 = 28,
  kIQ1_M = 29,
  kBF16 = 30,
  kTQ1_0 = 34,
  kTQ2_0 = 35,
  kMXFP4 = 39,
};

// A ggml type's layout: ne[0] holds whole blocks of block_size elements,
// each block_bytes long.
struct GgmlTypeTraits {
  const char* name;
  uint32_t block_size;
  uint32_t block_bytes;
};

// The traits of type id `id`, or nullptr for an id this reader does not know.
const GgmlTypeTraits* FindGgmlType(uint32_t id);

// ---------------------------------------------------------------- limits

// Keys: the specification's 65535 bytes. Tensor names: ggml keeps them in
// char[GGML_MAX_NAME = 64] with the terminating NUL, so at most 63 bytes.
inline constexpr uint64_t kGgufMaxKeyBytes = 65535;
inline constexpr uint64_t kGgufMaxTensorNameBytes = 63;
// String values (chat templates, vocabularies' tokens) and counts: far above
// real files, low enough that no count can be mistaken for a size.
inline constexpr uint64_t kGgufMaxStringBytes = uint64_t{1} << 30;
inline constexpr uint64_t kGgufMaxTensors = uint64_t{1} << 20;
inline constexpr uint64_t kGgufMaxKeyValues = uint64_t{1} << 20;
// Arrays of arrays: ggml itself reads none; qtensor reads up to this depth.
inline constexpr uint32_t kGgufMaxArrayDepth = 8;
// general.alignment: a power of two, at most this.
inline constexpr uint32_t kGgufMaxAlignment = uint32_t{1} << 16;

}  // namespace qtensor::io

#endif  // QTENSOR_IO_GGUF_FORMAT_H_

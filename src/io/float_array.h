// An unquantized float array as a bundle holds it beside its quantized
// tensors (GGUF's F32, F16 and BF16 tensors: norms, embeddings): a dtype, a
// shape and the values' little-endian bytes, kept bit for bit (NaN
// payloads, -0.0, subnormals). It is data, not an operand: no operator takes
// it. Copies share the immutable bytes, which the array owns or borrows
// from an owner that keeps them alive (a mapped file).
#ifndef QTENSOR_IO_FLOAT_ARRAY_H_
#define QTENSOR_IO_FLOAT_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace qtensor::io {

// The C ABI's qt_float_dtype values.
enum class FloatDType { kFloat32 = 1, kFloat16 = 2, kBFloat16 = 3 };

bool IsValidFloatDType(int value);
// "float32", "float16", "bfloat16".
const char* FloatDTypeName(FloatDType dtype);
// 4 or 2.
size_t FloatDTypeBytes(FloatDType dtype);

// The product of shape; throws kInvalidArgument for a negative dim or a rank
// above kMaxDims, kOutOfMemory when numel * FloatDTypeBytes(dtype) is beyond
// what can be allocated (the limits of a quantized tensor of that width).
int64_t CheckedFloatNumel(const std::vector<int64_t>& shape, FloatDType dtype);

struct FloatArray {
  FloatDType dtype = FloatDType::kFloat32;
  std::vector<int64_t> shape;
  // The values: size = numel * FloatDTypeBytes(dtype) bytes at data (never
  // NULL), immutable, kept alive by owner.
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::shared_ptr<const void> owner;

  // Checks shape (as CheckedFloatNumel) and that size is numel *
  // FloatDTypeBytes(dtype) (kShapeMismatch otherwise), and copies size bytes
  // from data (which may be NULL when size is 0).
  static FloatArray Copy(FloatDType dtype, std::vector<int64_t> shape, const void* data,
                         size_t size);
  // The same checks, and then the array borrows size bytes at data (not
  // NULL), which owner keeps alive and no one changes.
  static FloatArray Borrow(FloatDType dtype, std::vector<int64_t> shape, const uint8_t* data,
                           size_t size, std::shared_ptr<const void> owner);

  // The bytes as a string (a copy), for comparisons.
  std::string Bytes() const { return std::string(reinterpret_cast<const char*>(data), size); }

  int64_t numel() const;
  // The values as float32 into out[0, numel): float16 and bfloat16 widen
  // exactly (a signalling NaN becomes quiet).
  void Widen(float* out) const;
};

}  // namespace qtensor::io

#endif  // QTENSOR_IO_FLOAT_ARRAY_H_

#include "io/float_array.h"

#include <cstring>
#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/storage.h"
#include "kernels/half_float.h"

namespace qtensor::io {

bool IsValidFloatDType(int value) {
  return value >= static_cast<int>(FloatDType::kFloat32) &&
         value <= static_cast<int>(FloatDType::kBFloat16);
}

const char* FloatDTypeName(FloatDType dtype) {
  switch (dtype) {
    case FloatDType::kFloat32:
      return "float32";
    case FloatDType::kFloat16:
      return "float16";
    case FloatDType::kBFloat16:
      return "bfloat16";
  }
  return "unknown";
}

size_t FloatDTypeBytes(FloatDType dtype) { return dtype == FloatDType::kFloat32 ? 4 : 2; }

int64_t CheckedFloatNumel(const std::vector<int64_t>& shape, FloatDType dtype) {
  // The quantized dtype of the same width has the same limits.
  return core::CheckedNumel(
      shape, dtype == FloatDType::kFloat32 ? core::DType::kQInt32 : core::DType::kQInt16);
}

FloatArray FloatArray::Copy(FloatDType dtype, std::vector<int64_t> shape, const void* data,
                            size_t size) {
  const auto numel = static_cast<uint64_t>(CheckedFloatNumel(shape, dtype));
  const uint64_t needed = numel * FloatDTypeBytes(dtype);  // bounded by CheckedFloatNumel
  if (size != needed) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               "data is " + std::to_string(size) + " bytes but " + std::to_string(numel) +
                   " values of " + FloatDTypeName(dtype) + " need " + std::to_string(needed));
  }
  if (size > 0 && data == nullptr) core::Fail(core::ErrorKind::kInvalidArgument, "data is NULL");
  FloatArray array;
  array.dtype = dtype;
  array.shape = std::move(shape);
  array.bytes = std::make_shared<const std::string>(static_cast<const char*>(data), size);
  return array;
}

int64_t FloatArray::numel() const {
  return static_cast<int64_t>(bytes->size() / FloatDTypeBytes(dtype));
}

void FloatArray::Widen(float* out) const {
  const auto* in = reinterpret_cast<const uint8_t*>(bytes->data());
  const size_t n = static_cast<size_t>(numel());
  if (dtype == FloatDType::kFloat32) {
    if (n > 0) std::memcpy(out, in, n * sizeof(float));
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    uint16_t bits;
    std::memcpy(&bits, in + 2 * i, sizeof(bits));
    out[i] = dtype == FloatDType::kFloat16 ? kernels::HalfBitsToFloat(bits)
                                           : kernels::BFloat16BitsToFloat(bits);
  }
}

}  // namespace qtensor::io

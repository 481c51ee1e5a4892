#include "io/float_array.h"

#include <cstring>
#include <stdexcept>
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

namespace {

// Copy's and Borrow's checks of the shape and the size.
void CheckFloatSize(FloatDType dtype, const std::vector<int64_t>& shape, size_t size) {
  const auto numel = static_cast<uint64_t>(CheckedFloatNumel(shape, dtype));
  const uint64_t needed = numel * FloatDTypeBytes(dtype);  // bounded by CheckedFloatNumel
  if (size != needed) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               "data is " + std::to_string(size) + " bytes but " + std::to_string(numel) +
                   " values of " + FloatDTypeName(dtype) + " need " + std::to_string(needed));
  }
}

}  // namespace

FloatArray FloatArray::Copy(FloatDType dtype, std::vector<int64_t> shape, const void* data,
                            size_t size) {
  CheckFloatSize(dtype, shape, size);
  if (size > 0 && data == nullptr) core::Fail(core::ErrorKind::kInvalidArgument, "data is NULL");
  // A string: never a NULL pointer, also when empty.
  auto copy = std::make_shared<const std::string>(static_cast<const char*>(data), size);
  const auto* bytes = reinterpret_cast<const uint8_t*>(copy->data());
  return Borrow(dtype, std::move(shape), bytes, size, std::move(copy));
}

FloatArray FloatArray::Borrow(FloatDType dtype, std::vector<int64_t> shape, const uint8_t* data,
                              size_t size, std::shared_ptr<const void> owner) {
  CheckFloatSize(dtype, shape, size);
  if (data == nullptr || owner == nullptr) {
    throw std::logic_error("FloatArray::Borrow: the bytes and their owner are required");
  }
  FloatArray array;
  array.dtype = dtype;
  array.shape = std::move(shape);
  array.data = data;
  array.size = size;
  array.owner = std::move(owner);
  return array;
}

int64_t FloatArray::numel() const { return static_cast<int64_t>(size / FloatDTypeBytes(dtype)); }

void FloatArray::Widen(float* out) const {
  const uint8_t* in = data;
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

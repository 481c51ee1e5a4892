// The quantized integer types and their ranges.
#ifndef QTENSOR_CORE_DTYPE_H_
#define QTENSOR_CORE_DTYPE_H_

#include <cstddef>
#include <cstdint>
#include <limits>

namespace qtensor::core {

// Values equal the C ABI's qt_dtype.
enum class DType { kQInt8 = 1, kQUInt8 = 2, kQInt32 = 3 };

bool IsValidDType(int value);
size_t ElementSize(DType dtype);
int64_t QMin(DType dtype);
int64_t QMax(DType dtype);
const char* DTypeName(DType dtype);  // "qint8"; PyTorch's spelling

// Calls fn(T{}) with T the dtype's underlying integer type.
template <typename Fn>
decltype(auto) VisitDType(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::kQInt8:
      return fn(int8_t{});
    case DType::kQUInt8:
      return fn(uint8_t{});
    case DType::kQInt32:
      break;
  }
  return fn(int32_t{});
}

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_DTYPE_H_

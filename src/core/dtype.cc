#include "core/dtype.h"

namespace qtensor::core {

bool IsValidDType(int value) {
  return value == static_cast<int>(DType::kQInt8) || value == static_cast<int>(DType::kQUInt8) ||
         value == static_cast<int>(DType::kQInt32);
}

size_t ElementSize(DType dtype) {
  return VisitDType(dtype, [](auto t) { return sizeof(t); });
}

int64_t QMin(DType dtype) {
  return VisitDType(dtype,
                    [](auto t) -> int64_t { return std::numeric_limits<decltype(t)>::min(); });
}

int64_t QMax(DType dtype) {
  return VisitDType(dtype,
                    [](auto t) -> int64_t { return std::numeric_limits<decltype(t)>::max(); });
}

const char* DTypeName(DType dtype) {
  switch (dtype) {
    case DType::kQInt8:
      return "qint8";
    case DType::kQUInt8:
      return "quint8";
    case DType::kQInt32:
      return "qint32";
  }
  return "unknown";
}

}  // namespace qtensor::core

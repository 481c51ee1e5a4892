// A tensor's int_repr as int64 values, whatever its dtype's int_repr type:
// what the core tests compare against their formulas.
#ifndef QTENSOR_TESTS_CORE_INT_VALUES_H_
#define QTENSOR_TESTS_CORE_INT_VALUES_H_

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/dtype.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"

inline std::vector<int64_t> IntValues(const qtensor::core::Tensor& t) {
  namespace core = qtensor::core;
  const auto n = static_cast<size_t>(t.numel());
  const size_t width = core::ElementSize(t.dtype());
  std::vector<uint8_t> bytes(n * width);
  core::IntRepr(t, bytes.data());
  const bool is_signed = core::QMin(t.dtype()) < 0;
  std::vector<int64_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    if (width == 4) {
      int32_t v;
      std::memcpy(&v, &bytes[4 * i], 4);
      out[i] = v;
    } else if (width == 2) {
      int16_t v;
      std::memcpy(&v, &bytes[2 * i], 2);
      out[i] = is_signed ? int64_t{v} : int64_t{static_cast<uint16_t>(v)};
    } else {
      out[i] = is_signed ? int64_t{static_cast<int8_t>(bytes[i])} : int64_t{bytes[i]};
    }
  }
  return out;
}

#endif  // QTENSOR_TESTS_CORE_INT_VALUES_H_

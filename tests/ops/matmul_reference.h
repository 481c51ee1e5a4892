// The linear / conv2d tests' reference: docs/numerics.md's "Linear" formula
// written out for one output from its exact sum, and the helpers both tests
// read results and errors with.
#ifndef QTENSOR_TESTS_OPS_MATMUL_REFERENCE_H_
#define QTENSOR_TESTS_OPS_MATMUL_REFERENCE_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/tensor.h"
#include "tensor_helpers.h"

namespace qtensor::ops {

// The integers of an 8-bit tensor, row-major.
inline std::vector<int64_t> IntsOf(const core::Tensor& t) {
  std::vector<int64_t> out;
  for (const uint8_t b : IntBytes(t)) {
    out.push_back(t.dtype() == core::DType::kQInt8 ? int64_t{static_cast<int8_t>(b)} : int64_t{b});
  }
  return out;
}

// One output from acc = sum (x - zx)(w - zw): the bias quantized to qint32
// (saturated) and added, the float32 multiplier, rounding half to even, the
// zero point and the clamp (from the zero point for relu).
inline int64_t ReferenceOutput(int64_t acc, const float* bias, double input_scale,
                               double weight_scale, double scale, int64_t zero_point, bool relu,
                               core::DType dtype) {
  if (bias != nullptr) {
    const float inv = 1.0f / static_cast<float>(input_scale * weight_scale);
    const float q = std::nearbyint(*bias * inv);
    acc += q >= 0x1p31f ? INT32_MAX : q < -0x1p31f ? INT32_MIN : static_cast<int64_t>(q);
  }
  const float m = static_cast<float>(weight_scale) * static_cast<float>(input_scale) /
                  static_cast<float>(scale);
  const int64_t lo = relu ? zero_point : (dtype == core::DType::kQInt8 ? -128 : 0);
  const int64_t hi = dtype == core::DType::kQInt8 ? 127 : 255;
  const float v = static_cast<float>(acc) * m;
  return std::clamp(static_cast<int64_t>(std::nearbyint(v)) + zero_point, lo, hi);
}

// The kind of core::Error call throws, or kNotFound when it throws none.
template <class Call>
core::ErrorKind ErrorKindOf(const Call& call) {
  try {
    call();
  } catch (const core::Error& e) {
    return e.kind();
  }
  return core::ErrorKind::kNotFound;
}

}  // namespace qtensor::ops

#endif  // QTENSOR_TESTS_OPS_MATMUL_REFERENCE_H_

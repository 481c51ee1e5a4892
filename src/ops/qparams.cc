#include "ops/qparams.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "core/error.h"

namespace qtensor::ops {

using core::ErrorKind;
using core::Fail;

namespace {

// PyTorch's SMALL_SCALE_THRESHOLD (fp16's smallest normal, rounded).
constexpr float kSmallScaleThreshold = 6.1e-5f;

std::string Text(double v) {
  std::ostringstream s;
  s.precision(9);
  s << v;
  return s.str();
}

}  // namespace

QParams ChooseQuantizationParams(float min, float max, int64_t qmin64, int64_t qmax64,
                                 bool preserve_sparsity, bool reduce_range) {
  if (!std::isfinite(min) || !std::isfinite(max)) {
    Fail(ErrorKind::kInvalidArgument,
         "choose_qparams: min " + Text(min) + " and max " + Text(max) + " must be finite");
  }
  if (!(min <= max)) {
    Fail(ErrorKind::kInvalidArgument,
         "choose_qparams: min " + Text(min) + " must be less than or equal to max " + Text(max));
  }
  constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
  constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
  if (qmin64 < kInt32Min || qmin64 > kInt32Max || qmax64 < kInt32Min || qmax64 > kInt32Max) {
    Fail(ErrorKind::kInvalidArgument, "choose_qparams: qmin " + std::to_string(qmin64) +
                                          " and qmax " + std::to_string(qmax64) +
                                          " must lie in the int32 range");
  }
  int32_t qmin = static_cast<int32_t>(qmin64);
  int32_t qmax = static_cast<int32_t>(qmax64);
  if (reduce_range) {
    qmin = qmin / 2;
    qmax = qmax / 2;
  }
  if (qmin >= qmax) {
    Fail(ErrorKind::kInvalidArgument,
         "choose_qparams: qmin " + std::to_string(qmin) + " must be less than qmax " +
             std::to_string(qmax) + (reduce_range ? " (after reduce_range halved them)" : ""));
  }
  // The differences below are at most 2^32 - 1: int64 arithmetic, then
  // converted exactly where PyTorch's int arithmetic does not overflow.
  const int64_t range = int64_t{qmax} - qmin;
  if (min < 0 && max > 0 && preserve_sparsity) {
    const int64_t symmetric_qmin = -(range / 2 + 1);
    const int64_t symmetric_qmax = range / 2;
    const double max_scale = std::max(std::fabs(min / static_cast<float>(symmetric_qmin)),
                                      std::fabs(max / static_cast<float>(symmetric_qmax)));
    min = static_cast<float>(max_scale * static_cast<double>(symmetric_qmin));
    max = static_cast<float>(max_scale * static_cast<double>(symmetric_qmax));
  }
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  double scale = (static_cast<double>(max) - min) / static_cast<double>(range);
  if (static_cast<float>(scale) == 0.0f || std::isinf(1.0f / static_cast<float>(scale))) {
    scale = 0.1;
  }
  if (scale < kSmallScaleThreshold) {
    const float org_scale = static_cast<float>(scale);
    scale = kSmallScaleThreshold;
    if (min == 0.0f) {
      max = kSmallScaleThreshold * static_cast<float>(range);
    } else if (max == 0.0f) {
      min = -kSmallScaleThreshold * static_cast<float>(range);
    } else {
      const float amplifier = kSmallScaleThreshold / org_scale;
      min *= amplifier;
      max *= amplifier;
    }
  }
  const double zero_point_from_min = qmin - min / scale;
  const double zero_point_from_max = qmax - max / scale;
  const double zero_point_from_min_error =
      std::abs(static_cast<double>(qmin)) - std::abs(min / scale);
  const double zero_point_from_max_error =
      std::abs(static_cast<double>(qmax)) - std::abs(max / scale);
  double initial_zero_point = zero_point_from_min_error < zero_point_from_max_error
                                  ? zero_point_from_min
                                  : zero_point_from_max;
  if (min < 0 && max > 0 && preserve_sparsity) {
    initial_zero_point = static_cast<double>(int64_t{qmin} + qmax) / 2;
  }
  int64_t zero_point;
  if (initial_zero_point < qmin) {
    zero_point = qmin;
  } else if (initial_zero_point > qmax) {
    zero_point = qmax;
  } else {
    zero_point = static_cast<int64_t>(std::nearbyint(initial_zero_point));
  }
  return {scale, zero_point};
}

MinMax FiniteMinMax(const float* data, size_t count, const char* what) {
  if (count == 0) {
    Fail(ErrorKind::kInvalidArgument,
         std::string(what) + ": the input is empty: there is no min or max to choose from");
  }
  float lo = data[0];
  float hi = data[0];
  bool finite = true;
  for (size_t i = 0; i < count; ++i) {
    const float x = data[i];
    finite &= std::isfinite(x);
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  if (!finite) {
    for (size_t i = 0; i < count; ++i) {
      if (!std::isfinite(data[i])) {
        Fail(ErrorKind::kInvalidArgument, std::string(what) + ": element " + std::to_string(i) +
                                              " is " + Text(data[i]) +
                                              ": parameters are chosen from finite data only");
      }
    }
  }
  return {lo, hi};
}

QParams ChooseQParamsPerTensor(const float* data, size_t count, bool reduce_range) {
  const MinMax mm = FiniteMinMax(data, count, "choose_qparams_per_tensor");
  return ChooseQuantizationParams(mm.min, mm.max, 0, 255, false, reduce_range);
}

QParams ChooseQParamsDynamic(const float* data, size_t count, core::DType dtype,
                             bool reduce_range) {
  if (dtype != core::DType::kQInt8 && dtype != core::DType::kQUInt8) {
    Fail(ErrorKind::kInvalidArgument, std::string("quantize_per_tensor_dynamic: dtype ") +
                                          core::DTypeName(dtype) +
                                          " is not supported (PyTorch takes qint8 or quint8)");
  }
  const MinMax mm = FiniteMinMax(data, count, "quantize_per_tensor_dynamic");
  return ChooseQuantizationParams(mm.min, mm.max, core::QMin(dtype), core::QMax(dtype), false,
                                  reduce_range);
}

}  // namespace qtensor::ops

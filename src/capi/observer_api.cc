// qt_choose_qparams*, qt_quantize_per_tensor_dynamic and qt_observer_*:
// parameters chosen from data (src/ops/qparams.h, src/ops/observer.h).
#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "capi/handles.h"
#include "core/storage.h"
#include "core/tensor_ops.h"
#include "ops/observer.h"
#include "ops/qparams.h"

struct qt_observer {
  qtensor::ops::Observer observer;
};

using qtensor::capi::CheckCapacity;
using qtensor::capi::DTypeArgument;
using qtensor::capi::FloatDataArgument;
using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ShapeArgument;
using qtensor::core::DType;
using qtensor::ops::Observer;
using qtensor::ops::ObserverKind;
using qtensor::ops::ObserverOptions;

namespace {

qt_status NewObserver(qt_observer** out, ObserverKind kind, double averaging_constant,
                      int64_t ch_axis, qt_dtype dtype, bool symmetric, bool reduce_range,
                      int64_t quant_min, int64_t quant_max, int64_t bins = 2048,
                      int64_t upsample_rate = 128) {
  return Guard([&] {
    Required(out, "out");
    ObserverOptions options;
    options.kind = kind;
    options.dtype = DTypeArgument(dtype);
    options.symmetric = symmetric;
    options.reduce_range = reduce_range;
    options.custom_range = quant_min != 0 || quant_max != 0;
    options.quant_min = quant_min;
    options.quant_max = quant_max;
    options.averaging_constant = averaging_constant;
    options.ch_axis = ch_axis;
    options.bins = bins;
    options.upsample_rate = upsample_rate;
    *out = new qt_observer{Observer(options)};
  });
}

const Observer& ObserverOf(const qt_observer* handle) {
  return Required(handle, "observer")->observer;
}

// Copies min_val or max_val; a per-tensor observer before data has +inf and
// -inf, as PyTorch's buffers start.
void CopyRange(float* out, size_t capacity, const Observer& o, bool min) {
  std::vector<float> values = min ? o.min_val() : o.max_val();
  if (values.empty() && !o.per_channel()) {
    const float inf = std::numeric_limits<float>::infinity();
    values.push_back(min ? inf : -inf);
  }
  CheckCapacity(capacity, values.size(), "capacity");
  if (!values.empty()) Required(out, "out");
  std::copy(values.begin(), values.end(), out);
}

}  // namespace

extern "C" {

qt_status qt_choose_qparams(double* scale, int64_t* zero_point, float min, float max, int64_t qmin,
                            int64_t qmax, bool preserve_sparsity, bool reduce_range) {
  return Guard([&] {
    Required(scale, "scale");
    Required(zero_point, "zero_point");
    const qtensor::ops::QParams p = qtensor::ops::ChooseQuantizationParams(
        min, max, qmin, qmax, preserve_sparsity, reduce_range);
    *scale = p.scale;
    *zero_point = p.zero_point;
  });
}

qt_status qt_choose_qparams_per_tensor(double* scale, int64_t* zero_point, const float* data,
                                       const int64_t* shape, size_t ndim, bool reduce_range) {
  return Guard([&] {
    Required(scale, "scale");
    Required(zero_point, "zero_point");
    const std::vector<int64_t> dims = ShapeArgument(shape, ndim);
    const size_t numel = FloatDataArgument(data, dims);
    const qtensor::ops::QParams p = qtensor::ops::ChooseQParamsPerTensor(data, numel, reduce_range);
    *scale = p.scale;
    *zero_point = p.zero_point;
  });
}

qt_status qt_quantize_per_tensor_dynamic(qt_tensor** out, const float* data, const int64_t* shape,
                                         size_t ndim, qt_dtype dtype, bool reduce_range) {
  return Guard([&] {
    Required(out, "out");
    const DType d = DTypeArgument(dtype);
    const std::vector<int64_t> dims = ShapeArgument(shape, ndim);
    const size_t numel = FloatDataArgument(data, dims);
    const qtensor::ops::QParams p =
        qtensor::ops::ChooseQParamsDynamic(data, numel, d, reduce_range);
    qtensor::capi::ReturnTensor(
        out, qtensor::core::Quantize(
                 data, dims, qtensor::core::Quantizer::PerTensor(d, p.scale, p.zero_point)));
  });
}

qt_status qt_observer_new_min_max(qt_observer** out, qt_dtype dtype, bool symmetric,
                                  bool reduce_range, int64_t quant_min, int64_t quant_max) {
  return NewObserver(out, ObserverKind::kMinMax, 0.01, 0, dtype, symmetric, reduce_range, quant_min,
                     quant_max);
}

qt_status qt_observer_new_moving_average_min_max(qt_observer** out, double averaging_constant,
                                                 qt_dtype dtype, bool symmetric, bool reduce_range,
                                                 int64_t quant_min, int64_t quant_max) {
  return NewObserver(out, ObserverKind::kMovingAverageMinMax, averaging_constant, 0, dtype,
                     symmetric, reduce_range, quant_min, quant_max);
}

qt_status qt_observer_new_per_channel_min_max(qt_observer** out, int64_t ch_axis, qt_dtype dtype,
                                              bool symmetric, bool reduce_range, int64_t quant_min,
                                              int64_t quant_max) {
  return NewObserver(out, ObserverKind::kPerChannelMinMax, 0.01, ch_axis, dtype, symmetric,
                     reduce_range, quant_min, quant_max);
}

qt_status qt_observer_new_moving_average_per_channel_min_max(qt_observer** out,
                                                             double averaging_constant,
                                                             int64_t ch_axis, qt_dtype dtype,
                                                             bool symmetric, bool reduce_range,
                                                             int64_t quant_min, int64_t quant_max) {
  return NewObserver(out, ObserverKind::kMovingAveragePerChannelMinMax, averaging_constant, ch_axis,
                     dtype, symmetric, reduce_range, quant_min, quant_max);
}

qt_status qt_observer_new_histogram(qt_observer** out, int64_t bins, int64_t upsample_rate,
                                    qt_dtype dtype, bool symmetric, bool reduce_range,
                                    int64_t quant_min, int64_t quant_max) {
  return NewObserver(out, ObserverKind::kHistogram, 0.01, 0, dtype, symmetric, reduce_range,
                     quant_min, quant_max, bins, upsample_rate);
}

void qt_observer_free(qt_observer* observer) { delete observer; }

qt_status qt_observer_forward(qt_observer* observer, const float* data, const int64_t* shape,
                              size_t ndim) {
  return Guard([&] {
    Required(observer, "observer");
    const std::vector<int64_t> dims = ShapeArgument(shape, ndim);
    FloatDataArgument(data, dims);
    observer->observer.Forward(data, dims);
  });
}

qt_status qt_observer_num_channels(size_t* out, const qt_observer* observer) {
  return Guard([&] {
    const Observer& o = ObserverOf(observer);
    *Required(out, "out") = o.per_channel() ? o.min_val().size() : 1;
  });
}

qt_status qt_observer_calculate_qparams(float* scales, int64_t* zero_points, size_t capacity,
                                        const qt_observer* observer) {
  return Guard([&] {
    const qtensor::ops::ObserverParams p = ObserverOf(observer).CalculateQParams();
    const size_t n = p.scales.size();
    CheckCapacity(capacity, n, "capacity");
    Required(scales, "scales");
    Required(zero_points, "zero_points");
    std::copy(p.scales.begin(), p.scales.end(), scales);
    std::copy(p.zero_points.begin(), p.zero_points.end(), zero_points);
  });
}

qt_status qt_observer_min_val(float* out, size_t capacity, const qt_observer* observer) {
  return Guard([&] { CopyRange(out, capacity, ObserverOf(observer), true); });
}

qt_status qt_observer_max_val(float* out, size_t capacity, const qt_observer* observer) {
  return Guard([&] { CopyRange(out, capacity, ObserverOf(observer), false); });
}

qt_status qt_observer_quantizer(qt_quantizer** out, const qt_observer* observer) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_quantizer{ObserverOf(observer).MakeQuantizer()};
  });
}

}  // extern "C"

// Quantized linear layers and 2-D convolutions: qt_linear_prepack and
// qt_conv2d_prepack, the accessors of their packed weights, qt_linear,
// qt_linear_relu, qt_conv2d and qt_conv2d_relu.
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "capi/handles.h"
#include "core/tensor_ops.h"
#include "ops/conv2d.h"
#include "ops/linear.h"

using qtensor::capi::ArrayArgument;
using qtensor::capi::FloatDataArgument;
using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::ShapeArgument;
using qtensor::capi::TensorOf;

namespace {

const qtensor::ops::PackedLinear& PackedOf(const qt_packed_linear* handle) {
  return *Required(handle, "packed")->packed;
}

// A bias as qt_packed_linear_bias hands it out.
void CopyBias(const std::vector<float>& bias, float* out, size_t capacity, size_t* count) {
  Required(count, "count");
  if (capacity > 0) Required(out, "out");
  std::copy_n(bias.begin(), std::min(capacity, bias.size()), out);
  *count = bias.size();
}

}  // namespace

qt_status qt_linear_prepack(qt_packed_linear** out, const qt_tensor* weight, const float* bias,
                            size_t bias_len) {
  return Guard([&] {
    Required(out, "out");
    auto packed = std::make_shared<const qtensor::ops::PackedLinear>(
        TensorOf(weight), ArrayArgument(bias, bias_len, "bias"));
    *out = new qt_packed_linear{std::move(packed)};
  });
}

void qt_packed_linear_free(qt_packed_linear* packed) { delete packed; }

qt_status qt_packed_linear_weight(qt_tensor** out, const qt_packed_linear* packed) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::core::Clone(PackedOf(packed).weight()));
  });
}

qt_status qt_packed_linear_bias(float* out, size_t capacity, size_t* count,
                                const qt_packed_linear* packed) {
  return Guard([&] { CopyBias(PackedOf(packed).bias(), out, capacity, count); });
}

qt_status qt_packed_linear_in_features(size_t* out, const qt_packed_linear* packed) {
  return Guard([&] { *Required(out, "out") = PackedOf(packed).in_features(); });
}

qt_status qt_packed_linear_out_features(size_t* out, const qt_packed_linear* packed) {
  return Guard([&] { *Required(out, "out") = PackedOf(packed).out_features(); });
}

qt_status qt_linear(qt_tensor** out, const qt_tensor* input, const qt_packed_linear* packed,
                    double scale, int64_t zero_point) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out,
                 qtensor::ops::Linear(TensorOf(input), PackedOf(packed), scale, zero_point, false));
  });
}

qt_status qt_linear_dynamic(float* out, size_t capacity, const float* data, const int64_t* shape,
                            size_t ndim, const qt_packed_linear* packed, bool reduce_range) {
  return Guard([&] {
    const qtensor::ops::PackedLinear& weights = PackedOf(packed);
    const std::vector<int64_t> dims = ShapeArgument(shape, ndim);
    FloatDataArgument(data, dims);
    const size_t needed = qtensor::ops::LinearDynamicOutputSize(dims, weights);
    if (needed > 0) Required(out, "out");
    if (capacity < needed) {
      qtensor::core::Fail(qtensor::core::ErrorKind::kInvalidArgument,
                          "capacity " + std::to_string(capacity) + " is below the " +
                              std::to_string(needed) + " output values");
    }
    qtensor::ops::LinearDynamic(data, dims, weights, reduce_range, out);
  });
}

qt_status qt_linear_relu(qt_tensor** out, const qt_tensor* input, const qt_packed_linear* packed,
                         double scale, int64_t zero_point) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out,
                 qtensor::ops::Linear(TensorOf(input), PackedOf(packed), scale, zero_point, true));
  });
}

namespace {

const qtensor::ops::PackedConv2d& PackedOf(const qt_packed_conv2d* handle) {
  return *Required(handle, "packed")->packed;
}

std::array<int64_t, 2> PairArgument(const int64_t* values, const char* name) {
  Required(values, name);
  return {values[0], values[1]};
}

}  // namespace

qt_status qt_conv2d_prepack(qt_packed_conv2d** out, const qt_tensor* weight, const float* bias,
                            size_t bias_len, const int64_t* stride, const int64_t* padding,
                            const int64_t* dilation, int64_t groups) {
  return Guard([&] {
    Required(out, "out");
    qtensor::ops::Conv2dSettings settings;
    settings.stride = PairArgument(stride, "stride");
    settings.padding = PairArgument(padding, "padding");
    settings.dilation = PairArgument(dilation, "dilation");
    settings.groups = groups;
    auto packed = std::make_shared<const qtensor::ops::PackedConv2d>(
        TensorOf(weight), ArrayArgument(bias, bias_len, "bias"), settings);
    *out = new qt_packed_conv2d{std::move(packed)};
  });
}

void qt_packed_conv2d_free(qt_packed_conv2d* packed) { delete packed; }

qt_status qt_packed_conv2d_weight(qt_tensor** out, const qt_packed_conv2d* packed) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::core::Clone(PackedOf(packed).weight()));
  });
}

qt_status qt_packed_conv2d_bias(float* out, size_t capacity, size_t* count,
                                const qt_packed_conv2d* packed) {
  return Guard([&] { CopyBias(PackedOf(packed).bias(), out, capacity, count); });
}

qt_status qt_packed_conv2d_settings(int64_t* stride, int64_t* padding, int64_t* dilation,
                                    int64_t* groups, const qt_packed_conv2d* packed) {
  return Guard([&] {
    const qtensor::ops::Conv2dSettings& s = PackedOf(packed).settings();
    if (stride != nullptr) std::copy(s.stride.begin(), s.stride.end(), stride);
    if (padding != nullptr) std::copy(s.padding.begin(), s.padding.end(), padding);
    if (dilation != nullptr) std::copy(s.dilation.begin(), s.dilation.end(), dilation);
    if (groups != nullptr) *groups = s.groups;
  });
}

qt_status qt_conv2d(qt_tensor** out, const qt_tensor* input, const qt_packed_conv2d* packed,
                    double scale, int64_t zero_point) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out,
                 qtensor::ops::Conv2d(TensorOf(input), PackedOf(packed), scale, zero_point, false));
  });
}

qt_status qt_conv2d_relu(qt_tensor** out, const qt_tensor* input, const qt_packed_conv2d* packed,
                         double scale, int64_t zero_point) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out,
                 qtensor::ops::Conv2d(TensorOf(input), PackedOf(packed), scale, zero_point, true));
  });
}

// Quantized linear layers: qt_linear_prepack, the qt_packed_linear
// accessors, qt_linear and qt_linear_relu.
#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "capi/handles.h"
#include "core/tensor_ops.h"
#include "ops/linear.h"

using qtensor::capi::ArrayArgument;
using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::TensorOf;

namespace {

const qtensor::ops::PackedLinear& PackedOf(const qt_packed_linear* handle) {
  return *Required(handle, "packed")->packed;
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
  return Guard([&] {
    Required(count, "count");
    const std::vector<float>& bias = PackedOf(packed).bias();
    if (capacity > 0) Required(out, "out");
    std::copy_n(bias.begin(), std::min(capacity, bias.size()), out);
    *count = bias.size();
  });
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

qt_status qt_linear_relu(qt_tensor** out, const qt_tensor* input, const qt_packed_linear* packed,
                         double scale, int64_t zero_point) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out,
                 qtensor::ops::Linear(TensorOf(input), PackedOf(packed), scale, zero_point, true));
  });
}

// qt_quantizer_*: creating quantizers and reading their parameters.
#include <algorithm>

#include "capi/handles.h"

using qtensor::capi::ArrayArgument;
using qtensor::capi::CopyOut;
using qtensor::capi::DTypeArgument;
using qtensor::capi::Guard;
using qtensor::capi::QuantizerOf;
using qtensor::capi::Required;
using qtensor::core::ErrorKind;
using qtensor::core::Fail;
using qtensor::core::QSchemeName;
using qtensor::core::Quantizer;

namespace {

const Quantizer& PerTensorQuantizerOf(const qt_quantizer* handle) {
  const Quantizer& quantizer = QuantizerOf(handle);
  if (quantizer.per_channel() || quantizer.per_block()) {
    Fail(ErrorKind::kTypeMismatch, std::string("the quantizer is ") +
                                       (quantizer.per_block() ? "per-block" : "per-channel") +
                                       ": it has no single scale or zero point");
  }
  return quantizer;
}

// The integer zero points of a quantizer, refused for float qparams.
const std::vector<int64_t>& IntegerZeroPointsOf(const qt_quantizer* handle) {
  const Quantizer& quantizer = QuantizerOf(handle);
  if (quantizer.float_qparams()) {
    Fail(ErrorKind::kTypeMismatch,
         "the quantizer is per_channel_affine_float_qparams: its zero points are floats (read "
         "them with qt_quantizer_float_zero_points)");
  }
  return quantizer.zero_points();
}

}  // namespace

extern "C" {

qt_status qt_quantizer_new_per_tensor(qt_quantizer** out, qt_dtype dtype, double scale,
                                      int64_t zero_point) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_quantizer{Quantizer::PerTensor(DTypeArgument(dtype), scale, zero_point)};
  });
}

qt_status qt_quantizer_new_per_channel(qt_quantizer** out, qt_dtype dtype, const double* scales,
                                       const int64_t* zero_points, size_t num_channels,
                                       int64_t axis) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_quantizer{
        Quantizer::PerChannel(DTypeArgument(dtype), ArrayArgument(scales, num_channels, "scales"),
                              ArrayArgument(zero_points, num_channels, "zero_points"), axis)};
  });
}

qt_status qt_quantizer_new_per_block(qt_quantizer** out, qt_dtype dtype, const double* scales,
                                     const int64_t* zero_points, size_t count, int64_t axis,
                                     int64_t block_size) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_quantizer{
        Quantizer::PerBlock(DTypeArgument(dtype), ArrayArgument(scales, count, "scales"),
                            ArrayArgument(zero_points, count, "zero_points"), axis, block_size)};
  });
}

qt_status qt_quantizer_new_per_channel_float_qparams(qt_quantizer** out, qt_dtype dtype,
                                                     const float* scales, const float* zero_points,
                                                     size_t num_channels, int64_t axis) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_quantizer{Quantizer::PerChannelFloatQParams(
        DTypeArgument(dtype), ArrayArgument(scales, num_channels, "scales"),
        ArrayArgument(zero_points, num_channels, "zero_points"), axis)};
  });
}

qt_status qt_quantizer_float_zero_points(float* out, size_t capacity,
                                         const qt_quantizer* quantizer) {
  return Guard([&] {
    const Quantizer& q = QuantizerOf(quantizer);
    if (!q.float_qparams()) {
      Fail(ErrorKind::kTypeMismatch,
           std::string("the quantizer is ") + QSchemeName(q.scheme()) +
               ": its zero points are integers (qt_quantizer_zero_points)");
    }
    CopyOut(q.float_zero_points(), out, capacity);
  });
}

void qt_quantizer_free(qt_quantizer* quantizer) { delete quantizer; }

qt_status qt_quantizer_with_rounding(qt_quantizer** out, const qt_quantizer* quantizer,
                                     qt_rounding rounding) {
  return Guard([&] {
    Required(out, "out");
    const auto value = static_cast<qtensor::core::Rounding>(qtensor::capi::EnumValue(rounding));
    *out = new qt_quantizer{QuantizerOf(quantizer).WithRounding(value)};
  });
}

qt_status qt_quantizer_with_scale_type(qt_quantizer** out, const qt_quantizer* quantizer,
                                       qt_scale_type type) {
  return Guard([&] {
    Required(out, "out");
    const auto value = static_cast<qtensor::core::ScaleType>(qtensor::capi::EnumValue(type));
    *out = new qt_quantizer{QuantizerOf(quantizer).WithScaleType(value)};
  });
}

qt_status qt_quantizer_scale_type(qt_scale_type* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const auto type = static_cast<qt_scale_type>(QuantizerOf(quantizer).scale_type());
    *Required(out, "out") = type;
  });
}

qt_status qt_quantizer_rounding(qt_rounding* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const auto rounding = static_cast<qt_rounding>(QuantizerOf(quantizer).rounding());
    *Required(out, "out") = rounding;
  });
}

qt_status qt_quantizer_dtype(qt_dtype* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const qt_dtype dtype = static_cast<qt_dtype>(QuantizerOf(quantizer).dtype());
    *Required(out, "out") = dtype;
  });
}

qt_status qt_quantizer_qscheme(qt_qscheme* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const qt_qscheme scheme = static_cast<qt_qscheme>(QuantizerOf(quantizer).scheme());
    *Required(out, "out") = scheme;
  });
}

qt_status qt_quantizer_scale(double* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const double scale = PerTensorQuantizerOf(quantizer).scales()[0];
    *Required(out, "out") = scale;
  });
}

qt_status qt_quantizer_zero_point(int64_t* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const int64_t zero_point = PerTensorQuantizerOf(quantizer).zero_points()[0];
    *Required(out, "out") = zero_point;
  });
}

qt_status qt_quantizer_axis(int64_t* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const Quantizer& q = QuantizerOf(quantizer);
    if (!q.per_channel() && !q.per_block()) {
      Fail(ErrorKind::kTypeMismatch, "the quantizer is per-tensor: no axis");
    }
    if (q.axis() == Quantizer::kNoAxis) {
      Fail(ErrorKind::kTypeMismatch,
           "the quantizer is one channel of a view that selected its channel axis away: no axis");
    }
    *Required(out, "out") = q.axis();
  });
}

qt_status qt_quantizer_block_size(int64_t* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const Quantizer& q = QuantizerOf(quantizer);
    if (!q.per_block()) {
      Fail(ErrorKind::kTypeMismatch, std::string("the quantizer is ") +
                                         (q.per_channel() ? "per-channel" : "per-tensor") +
                                         ": it has no block size");
    }
    *Required(out, "out") = q.block_size();
  });
}

qt_status qt_quantizer_num_channels(size_t* out, const qt_quantizer* quantizer) {
  return Guard([&] {
    const size_t count = QuantizerOf(quantizer).num_channels();
    *Required(out, "out") = count;
  });
}

qt_status qt_quantizer_scales(double* out, size_t capacity, const qt_quantizer* quantizer) {
  return Guard([&] { CopyOut(QuantizerOf(quantizer).scales(), out, capacity); });
}

qt_status qt_quantizer_zero_points(int64_t* out, size_t capacity, const qt_quantizer* quantizer) {
  return Guard([&] { CopyOut(IntegerZeroPointsOf(quantizer), out, capacity); });
}

qt_status qt_quantizer_equal(bool* out, const qt_quantizer* a, const qt_quantizer* b) {
  return Guard([&] {
    const bool equal = QuantizerOf(a) == QuantizerOf(b);
    *Required(out, "out") = equal;
  });
}

}  // extern "C"

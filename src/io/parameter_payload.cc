#include "io/parameter_payload.h"

#include <cstring>

#include "core/dtype.h"
#include "core/dtype_conversion.h"
#include "core/error.h"
#include "kernels/half_float.h"

namespace qtensor::io {
namespace {

using core::ScaleType;

size_t ScaleWidth(ScaleType type) {
  switch (type) {
    case ScaleType::kFloat64:
      return 8;
    case ScaleType::kFloat32:
      return 4;
    case ScaleType::kFloat16:
    case ScaleType::kBFloat16:
      return 2;
  }
  return 8;
}

bool HasFloatZeroPoints(v1::QScheme scheme) {
  return scheme == v1::PER_CHANNEL_AFFINE_FLOAT_QPARAMS;
}

template <typename T>
void Append(std::vector<uint8_t>* out, T value) {
  uint8_t bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);  // little-endian hosts only, as the format
  out->insert(out->end(), bytes, bytes + sizeof value);
}

template <typename T>
T Load(const uint8_t* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

void AppendScale(std::vector<uint8_t>* out, double scale, ScaleType type) {
  const auto single = static_cast<float>(scale);  // exact: a value of the type
  switch (type) {
    case ScaleType::kFloat64:
      return Append(out, scale);
    case ScaleType::kFloat32:
      return Append(out, single);
    case ScaleType::kFloat16:
      return Append(out, kernels::FloatToHalfBits(single));
    case ScaleType::kBFloat16:
      return Append(out, kernels::FloatToBFloat16Bits(single));
  }
}

double LoadScale(const uint8_t* at, ScaleType type) {
  switch (type) {
    case ScaleType::kFloat64:
      return Load<double>(at);
    case ScaleType::kFloat32:
      return Load<float>(at);
    case ScaleType::kFloat16:
      return kernels::HalfBitsToFloat(Load<uint16_t>(at));
    case ScaleType::kBFloat16:
      return kernels::BFloat16BitsToFloat(Load<uint16_t>(at));
  }
  return 0.0;
}

}  // namespace

uint64_t ScalePayloadBytes(const TensorLayout& layout) {
  return static_cast<uint64_t>(layout.parameters) * ScaleWidth(layout.forms.scale_type);
}

uint64_t ZeroPointPayloadBytes(const TensorLayout& layout) {
  if (HasFloatZeroPoints(layout.qscheme)) {
    return static_cast<uint64_t>(layout.parameters) * sizeof(float);
  }
  return core::StorageBytes(layout.dtype, layout.parameters);
}

ParameterPayloads EncodeParameters(const v1::Tensor& message) {
  const auto type = static_cast<ScaleType>(message.scale_type() + 1);
  ParameterPayloads out;
  out.scales.reserve(static_cast<size_t>(message.scales_size()) * ScaleWidth(type));
  for (double scale : message.scales()) AppendScale(&out.scales, scale, type);
  if (HasFloatZeroPoints(message.qscheme())) {
    for (float zero_point : message.float_zero_points()) Append(&out.zero_points, zero_point);
  } else {
    out.zero_points = core::IntegersToStorage(static_cast<core::DType>(message.dtype()),
                                              message.zero_points().data(),
                                              static_cast<size_t>(message.zero_points_size()));
  }
  return out;
}

QuantizerArrays DecodeParameters(const TensorLayout& layout, const uint8_t* scales,
                                 const uint8_t* zero_points, const std::string& where) {
  const auto count = static_cast<size_t>(layout.parameters);
  QuantizerArrays arrays;
  arrays.scales.resize(count);
  const size_t width = ScaleWidth(layout.forms.scale_type);
  for (size_t i = 0; i < count; ++i) {
    arrays.scales[i] = LoadScale(scales + i * width, layout.forms.scale_type);
  }
  if (HasFloatZeroPoints(layout.qscheme)) {
    arrays.float_zero_points.resize(count);
    for (size_t i = 0; i < count; ++i) {
      arrays.float_zero_points[i] = Load<float>(zero_points + i * sizeof(float));
    }
    return arrays;
  }
  arrays.zero_points.resize(count);
  for (size_t i = 0; i < count; ++i) {
    arrays.zero_points[i] = core::StoredInteger(layout.dtype, zero_points, i);
  }
  const size_t used_bits = count * static_cast<size_t>(core::ElementBits(layout.dtype)) % 8;
  if (used_bits != 0 && (zero_points[ZeroPointPayloadBytes(layout) - 1] >> used_bits) != 0) {
    core::Fail(core::ErrorKind::kCorruptData,
               where + ": the unused high bits of the zero points' last byte are not 0");
  }
  return arrays;
}

}  // namespace qtensor::io

#include "kernels/channel_params.h"

#include <utility>

namespace qtensor::kernels {

ChannelParams ChannelParams::From(size_t first) const {
  ChannelParams params = *this;
  params.scales += first;
  params.zero_points += first;
  params.inv_scales += first;
  params.float_scales += first;
  params.small_zero_points += first;
  return params;
}

ChannelTables::ChannelTables(std::vector<double> scales, std::vector<int64_t> zero_points)
    : scales_(std::move(scales)), zero_points_(std::move(zero_points)) {
  const size_t channels = scales_.size();
  inv_scales_.resize(channels);
  float_scales_.resize(channels);
  small_zero_points_.resize(channels);
  constexpr int64_t kSmall = int64_t{1} << 23;
  float_arithmetic_ = true;
  for (size_t c = 0; c < channels; ++c) {
    const float scale = static_cast<float>(scales_[c]);
    const int64_t zero_point = zero_points_[c];
    inv_scales_[c] = InverseScale(scales_[c]);
    float_scales_[c] = scale;
    small_zero_points_[c] = static_cast<int32_t>(zero_point);
    // Why this suffices: for q - zp of at most 24 bits (8-bit q, or int32
    // q the kernel checks) and a float32 scale, the f64 product has at
    // most 48 significant bits, so it is exact, and one f32 multiply
    // rounds it as the formula's final conversion does.
    float_arithmetic_ &=
        static_cast<double>(scale) == scales_[c] && zero_point >= -kSmall && zero_point < kSmall;
  }
}

ChannelParams ChannelTables::Params() const {
  ChannelParams params;
  params.scales = scales_.data();
  params.zero_points = zero_points_.data();
  params.inv_scales = inv_scales_.data();
  params.float_scales = float_scales_.data();
  params.small_zero_points = small_zero_points_.data();
  params.float_arithmetic = float_arithmetic_;
  return params;
}

}  // namespace qtensor::kernels

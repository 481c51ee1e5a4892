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

ChannelTables::ChannelTables() {
  static const std::shared_ptr<const Tables> kEmpty = std::make_shared<const Tables>();
  tables_ = kEmpty;
}

ChannelTables::ChannelTables(std::vector<double> scales, std::vector<int64_t> zero_points) {
  auto tables = std::make_shared<Tables>();
  tables->scales = std::move(scales);
  tables->zero_points = std::move(zero_points);
  const size_t channels = tables->scales.size();
  tables->inv_scales.resize(channels);
  tables->float_scales.resize(channels);
  tables->small_zero_points.resize(channels);
  constexpr int64_t kSmall = int64_t{1} << 23;
  tables->float_arithmetic = true;
  for (size_t c = 0; c < channels; ++c) {
    const double scale = tables->scales[c];
    const int64_t zero_point = tables->zero_points[c];
    tables->inv_scales[c] = InverseScale(scale);
    tables->float_scales[c] = static_cast<float>(scale);
    tables->small_zero_points[c] = static_cast<int32_t>(zero_point);
    // Why this suffices: for q - zp of at most 24 bits (8-bit q, or int32
    // q the kernel checks) and a float32 scale, the f64 product has at
    // most 48 significant bits, so it is exact, and one f32 multiply
    // rounds it as the formula's final conversion does.
    tables->float_arithmetic &= static_cast<double>(tables->float_scales[c]) == scale &&
                                zero_point >= -kSmall && zero_point < kSmall;
  }
  tables_ = std::move(tables);
}

ChannelParams ChannelTables::Params() const {
  ChannelParams params;
  params.scales = tables_->scales.data();
  params.zero_points = tables_->zero_points.data();
  params.inv_scales = tables_->inv_scales.data();
  params.float_scales = tables_->float_scales.data();
  params.small_zero_points = tables_->small_zero_points.data();
  params.float_arithmetic = tables_->float_arithmetic;
  return params;
}

}  // namespace qtensor::kernels

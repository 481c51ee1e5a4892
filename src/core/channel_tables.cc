#include "core/channel_tables.h"

#include <utility>

namespace qtensor::core {

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
  tables->float_arithmetic = true;
  for (size_t c = 0; c < channels; ++c) {
    const double scale = tables->scales[c];
    const int64_t zero_point = tables->zero_points[c];
    tables->inv_scales[c] = kernels::InverseScale(scale);
    tables->float_scales[c] = static_cast<float>(scale);
    tables->small_zero_points[c] = static_cast<int32_t>(zero_point);
    tables->float_arithmetic &= kernels::FloatArithmeticIsExact(scale, zero_point);
  }
  tables_ = std::move(tables);
}

kernels::ChannelParams ChannelTables::Params() const {
  kernels::ChannelParams params;
  params.scales = tables_->scales.data();
  params.zero_points = tables_->zero_points.data();
  params.inv_scales = tables_->inv_scales.data();
  params.float_scales = tables_->float_scales.data();
  params.small_zero_points = tables_->small_zero_points.data();
  params.float_arithmetic = tables_->float_arithmetic;
  return params;
}

}  // namespace qtensor::core

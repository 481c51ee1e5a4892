// The per-channel parameter tables a quantizer owns: its scales and zero
// points and every form of them the kernels read, converted once when the
// quantizer is made. A kernel call then converts nothing (for 64 channels
// the conversions and checks took a fifth of a 4 Ki-element dequantize).
#ifndef QTENSOR_CORE_CHANNEL_TABLES_H_
#define QTENSOR_CORE_CHANNEL_TABLES_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/channel_params.h"

namespace qtensor::core {

// Immutable once made: copies share the tables (a quantizer is copied on
// many calls, into each storage and view that uses it).
class ChannelTables {
 public:
  ChannelTables();  // no channels
  // scales and zero_points of equal length.
  ChannelTables(std::vector<double> scales, std::vector<int64_t> zero_points);

  const std::vector<double>& scales() const { return tables_->scales; }
  const std::vector<int64_t>& zero_points() const { return tables_->zero_points; }
  // The kernels' view of the tables, valid while these tables live.
  kernels::ChannelParams Params() const;

 private:
  struct Tables {
    std::vector<double> scales;
    std::vector<int64_t> zero_points;
    std::vector<float> inv_scales;
    std::vector<float> float_scales;
    std::vector<int32_t> small_zero_points;
    bool float_arithmetic = false;
  };
  std::shared_ptr<const Tables> tables_;
};

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_CHANNEL_TABLES_H_

// Per-channel quantization parameters in every form the kernels use. A
// quantizer converts its parameters once, when it is made; a kernel call
// then converts nothing (for 64 channels the conversions and checks took a
// fifth of a 4 Ki-element dequantize).
#ifndef QTENSOR_KERNELS_CHANNEL_PARAMS_H_
#define QTENSOR_KERNELS_CHANNEL_PARAMS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace qtensor::kernels {

// 1.0f / (float)scale: the reciprocal every quantize multiplies by.
inline float InverseScale(double scale) { return 1.0f / static_cast<float>(scale); }

// The parameters of a run of channels, c = 0, 1, ...: pointers into a
// ChannelTables, which must outlive it.
struct ChannelParams {
  const double* scales = nullptr;
  const int64_t* zero_points = nullptr;
  const float* inv_scales = nullptr;    // InverseScale(scales[c])
  const float* float_scales = nullptr;  // (float)scales[c]
  // (int32)zero_points[c]; meaningful only when float_arithmetic is set.
  const int32_t* small_zero_points = nullptr;
  // Every scale of the tables is a float32 value and every zero point is in
  // [-2^23, 2^23). Per-channel dequantize, (float)((double)(q - zp) *
  // scale), can then run in float arithmetic with the same results.
  bool float_arithmetic = false;

  // The same run from channel `first` on.
  ChannelParams From(size_t first) const;
};

// Immutable once made: copies share the tables (a quantizer is copied on
// many calls, into each storage and view that uses it).
class ChannelTables {
 public:
  ChannelTables();  // no channels
  // scales and zero_points of equal length.
  ChannelTables(std::vector<double> scales, std::vector<int64_t> zero_points);

  const std::vector<double>& scales() const { return tables_->scales; }
  const std::vector<int64_t>& zero_points() const { return tables_->zero_points; }
  ChannelParams Params() const;

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

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_CHANNEL_PARAMS_H_

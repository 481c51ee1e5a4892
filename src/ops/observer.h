// Observers: quantization parameters from the running minimum and maximum of
// float batches, with the semantics of PyTorch 1.13's torch.ao.quantization
// MinMaxObserver, MovingAverageMinMaxObserver, PerChannelMinMaxObserver and
// MovingAveragePerChannelMinMaxObserver, and HistogramObserver (its
// histogram and search: ops/histogram.h). This header is the home of their
// formulas; docs/numerics.md states them in prose.
#ifndef QTENSOR_OPS_OBSERVER_H_
#define QTENSOR_OPS_OBSERVER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/quantizer.h"
#include "ops/histogram.h"

namespace qtensor::ops {

enum class ObserverKind {
  kMinMax,
  kMovingAverageMinMax,
  kPerChannelMinMax,
  kMovingAveragePerChannelMinMax,
  kHistogram,
};

// What calculate_qparams gives: float32 scales and zero points, one each per
// channel (one in all for the per-tensor observers).
struct ObserverParams {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
};

// The options of an observer, as torch's constructors take them.
struct ObserverOptions {
  ObserverKind kind = ObserverKind::kMinMax;
  core::DType dtype = core::DType::kQUInt8;
  bool symmetric = false;     // per_tensor_symmetric / per_channel_symmetric
  bool reduce_range = false;  // one bit less of range
  bool custom_range = false;  // quant_min and quant_max given
  int64_t quant_min = 0;
  int64_t quant_max = 0;
  double averaging_constant = 0.01;  // moving-average observers
  int64_t ch_axis = 0;               // per-channel observers
  int64_t bins = 2048;               // HistogramObserver
  int64_t upsample_rate = 128;       // HistogramObserver
};

class Observer {
 public:
  // Checks the options as torch does, and more (kInvalidArgument):
  // symmetric with reduce_range for quint8 (torch: NotImplementedError); a
  // custom range must hold 0, have quant_min < quant_max, fit the dtype and,
  // for qint32, hold at most 2^31 values (torch's limit);
  // averaging_constant must lie in (0, 1]; ch_axis in [-64, 64); bins in
  // [1, 2^24] and upsample_rate in [1, 2^20] (HistogramObserver).
  explicit Observer(const ObserverOptions& options);

  // Feeds one batch of row-major floats of the given shape. A batch without
  // elements is ignored, as torch ignores it. Per channel, ch_axis must lie
  // in [-ndim, ndim) (kOutOfRange) and every batch must have as many
  // channels as the first (kShapeMismatch). On error nothing changes.
  void Forward(const float* data, const std::vector<int64_t>& shape);

  // torch's calculate_qparams(). Throws kInvalidArgument if no element was
  // seen yet (torch warns and gives (1.0, 0)), if a running min or max is
  // NaN (torch: AssertionError), or if a scale is not finite (an infinity
  // was seen, or max - min overflows float32; torch gives the infinite
  // scale).
  ObserverParams CalculateQParams() const;

  // The parameters as a quantizer: per tensor, or per channel along ch_axis.
  core::Quantizer MakeQuantizer() const;

  bool has_data() const { return !min_val_.empty(); }
  bool per_channel() const;
  const ObserverOptions& options() const { return options_; }
  int64_t quant_min() const { return quant_min_; }  // after reduce_range
  int64_t quant_max() const { return quant_max_; }
  // The running (or averaged) minima and maxima, one per channel; empty
  // before data.
  const std::vector<float>& min_val() const { return min_val_; }
  const std::vector<float>& max_val() const { return max_val_; }

 private:
  ObserverOptions options_;
  int64_t quant_min_ = 0;
  int64_t quant_max_ = 0;
  std::vector<float> min_val_;
  std::vector<float> max_val_;
  Histogram histogram_;  // HistogramObserver only
};

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_OBSERVER_H_

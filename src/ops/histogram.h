// The histogram of torch.ao.quantization.HistogramObserver (PyTorch 1.13),
// step for step in the same float32 and float64 arithmetic, and its L2
// search for the range to quantize. This header is the home of those
// formulas (docs/numerics.md states them in prose); observer.h uses them.
#ifndef QTENSOR_OPS_HISTOGRAM_H_
#define QTENSOR_OPS_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace qtensor::ops {

// The state of a HistogramObserver: bins counts over [min, max].
struct Histogram {
  std::vector<float> counts;
  float min = 0;
  float max = 0;
};

// torch.histc(x, bins, min=lo, max=hi) (PyTorch 1.13's CPU kernel): lo and
// hi are the integers the observer truncates its range to; if they are equal
// the data's min and max are used, and if those are equal too, lo - 1 and
// hi + 1. Elements outside [(float)lo, (float)hi] are not counted; element x
// falls in bin (int64)((x - lo) * bins / (hi - lo)) (float32), the last bin
// taking hi. Throws kInvalidArgument where PyTorch's kernel would divide by
// zero (an all-equal batch beyond 2^24 in magnitude).
std::vector<float> Histc(const float* data, size_t count, size_t bins, double lo, double hi,
                         float data_min, float data_max);

// HistogramObserver.forward on a batch with elements, finite, of the given
// min and max: a first batch (has_data false), or one after batches that
// were all equal, makes a new histogram; otherwise the range widens and the
// old histogram is upsampled by upsample_rate and resampled onto it
// (_adjust_min_max, _combine_histograms). Throws kInvalidArgument where
// PyTorch fails (a range too narrow or too wide for float32 arithmetic).
void HistogramForward(Histogram& h, bool has_data, const float* data, size_t count, float data_min,
                      float data_max, size_t bins, int64_t upsample_rate);

// _non_linear_param_search: the range [min, max] that the L2 search over
// the histogram picks for dst_nbins = 2^bits quantization levels.
void HistogramSearch(const Histogram& h, double dst_nbins, float& new_min, float& new_max);

// torch.sum of a contiguous float32 array as PyTorch 1.13 adds it on CPU
// (its cascade of four levels of four vector accumulators of 8 lanes).
float TorchSum(const float* data, size_t count);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_HISTOGRAM_H_

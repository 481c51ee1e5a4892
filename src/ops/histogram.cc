#include "ops/histogram.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"

namespace qtensor::ops {

using core::ErrorKind;
using core::Fail;

namespace {

// c10's CeilLog2 (1 for x <= 2).
int64_t CeilLog2(int64_t x) {
  if (x <= 2) return 1;
  int64_t bits = 0;
  for (auto v = static_cast<uint64_t>(x - 1); v != 0; v >>= 1) ++bits;
  return bits;
}

// c10::div_floor_floating in float32.
float DivFloor(float a, float b) {
  if (b == 0.0f) return a / b;
  const float mod = std::fmod(a, b);
  float div = (a - mod) / b;
  if (mod != 0.0f && (b < 0.0f) != (mod < 0.0f)) div -= 1.0f;
  if (div == 0.0f) return std::copysign(0.0f, a / b);
  float floordiv = std::floor(div);
  if (div - floordiv > 0.5f) floordiv += 1.0f;
  return floordiv;
}

float Clamp(float v, float lo, float hi) { return std::min(std::max(v, lo), hi); }

}  // namespace

float TorchSum(const float* data, size_t count) {
  // ATen's vectorized_inner_sum / row_sum / multi_row_sum (SumKernel.cpp)
  // with Vectorized<float> of 8 lanes: each lane is added in float32 on its
  // own, in this order.
  constexpr size_t kLanes = 8;
  constexpr size_t kIlp = 4;
  constexpr size_t kLevels = 4;
  using Vec = std::array<float, kLanes>;
  const auto add = [](Vec& a, const Vec& b) {
    for (size_t k = 0; k < kLanes; ++k) a[k] += b[k];
  };
  const auto load = [&](size_t v) {
    Vec out;
    for (size_t k = 0; k < kLanes; ++k) out[k] = data[v * kLanes + k];
    return out;
  };
  const size_t vec_size = count / kLanes;
  const size_t size_ilp = vec_size / kIlp;
  const int64_t level_power =
      std::max<int64_t>(4, CeilLog2(static_cast<int64_t>(size_ilp)) / int64_t{kLevels});
  const size_t level_step = size_t{1} << level_power;
  const size_t level_mask = level_step - 1;
  std::array<std::array<Vec, kIlp>, kLevels> acc{};
  size_t i = 0;
  while (i + level_step <= size_ilp) {
    for (size_t j = 0; j < level_step; ++j, ++i) {
      for (size_t k = 0; k < kIlp; ++k) add(acc[0][k], load(i * kIlp + k));
    }
    for (size_t j = 1; j < kLevels; ++j) {
      for (size_t k = 0; k < kIlp; ++k) {
        add(acc[j][k], acc[j - 1][k]);
        acc[j - 1][k] = Vec{};
      }
      if ((i & (level_mask << (j * static_cast<size_t>(level_power)))) != 0) break;
    }
  }
  for (; i < size_ilp; ++i) {
    for (size_t k = 0; k < kIlp; ++k) add(acc[0][k], load(i * kIlp + k));
  }
  for (size_t j = 1; j < kLevels; ++j) {
    for (size_t k = 0; k < kIlp; ++k) add(acc[0][k], acc[j][k]);
  }
  std::array<Vec, kIlp> partial = acc[0];
  for (size_t v = size_ilp * kIlp; v < vec_size; ++v) add(partial[0], load(v));
  for (size_t k = 1; k < kIlp; ++k) add(partial[0], partial[k]);
  float final_acc = 0.0f;
  for (size_t k = vec_size * kLanes; k < count; ++k) final_acc += data[k];
  for (size_t k = 0; k < kLanes; ++k) final_acc += partial[0][k];
  return final_acc;
}

std::vector<float> Histc(const float* data, size_t count, size_t bins, double lo, double hi,
                         float data_min, float data_max) {
  double left = lo;
  double right = hi;
  if (left == right && count > 0) {
    left = data_min;
    right = data_max;
  }
  if (left == right) {
    left -= 1;
    right += 1;
  }
  const auto l32 = static_cast<float>(left);
  const auto r32 = static_cast<float>(right);
  const float width = r32 - l32;
  if (!(width > 0.0f) || !std::isfinite(width)) {
    Fail(ErrorKind::kInvalidArgument,
         "HistogramObserver: the histogram's range [" + std::to_string(left) + ", " +
             std::to_string(right) +
             "] has no float32 width (all-equal data of a magnitude beyond 2^24): PyTorch "
             "divides by zero here");
  }
  std::vector<float> hist(bins, 0.0f);
  const auto nbins = static_cast<float>(bins);
  for (size_t i = 0; i < count; ++i) {
    const float x = data[i];
    if (!(x >= l32 && x <= r32)) continue;
    const float q = (x - l32) * nbins / width;
    auto pos = static_cast<int64_t>(q);
    if (pos == static_cast<int64_t>(bins)) pos -= 1;
    hist[static_cast<size_t>(pos)] += 1.0f;
  }
  return hist;
}

void HistogramForward(Histogram& h, bool has_data, const float* data, size_t count, float data_min,
                      float data_max, size_t bins, int64_t upsample_rate) {
  if (!has_data || h.min == h.max) {
    Histogram fresh;
    fresh.counts = Histc(data, count, bins, std::trunc(static_cast<double>(data_min)),
                         std::trunc(static_cast<double>(data_max)), data_min, data_max);
    fresh.min = data_min;
    fresh.max = data_max;
    h = std::move(fresh);
    return;
  }
  const float combined_min = std::min(data_min, h.min);
  float combined_max = std::max(data_max, h.max);
  // _adjust_min_max.
  const float hist_bin_width =
      (h.max - h.min) / static_cast<float>(static_cast<int64_t>(bins) * upsample_rate);
  const float all_bins_width = static_cast<float>(bins) * hist_bin_width;
  const float ratio = std::ceil((combined_max - combined_min) / all_bins_width);
  if (!(ratio >= 1.0f && ratio <= 2147483647.0f)) {
    Fail(ErrorKind::kInvalidArgument,
         "HistogramObserver: the new range [" + std::to_string(combined_min) + ", " +
             std::to_string(combined_max) + "] is too wide for the histogram's bins (" +
             std::to_string(ratio) + " times), which PyTorch cannot resample either");
  }
  const auto downsample_rate = static_cast<int64_t>(ratio);
  const float e =
      static_cast<float>(downsample_rate) * all_bins_width - (combined_max - combined_min);
  combined_max = combined_max + e;
  const auto start_idx =
      static_cast<int64_t>(std::nearbyint((h.min - combined_min) / hist_bin_width));
  const auto nbins = static_cast<int64_t>(bins);
  if (start_idx < 0 || start_idx + nbins * upsample_rate > nbins * downsample_rate) {
    Fail(ErrorKind::kInvalidArgument,
         "HistogramObserver: the old histogram does not fit the new range after rounding "
         "(PyTorch fails the same way)");
  }
  std::vector<float> combined =
      Histc(data, count, bins, std::trunc(static_cast<double>(combined_min)),
            std::trunc(static_cast<double>(combined_max)), data_min, data_max);
  if (combined_min == h.min && combined_max == h.max) {
    for (size_t i = 0; i < bins; ++i) combined[i] += h.counts[i];
  } else {
    // _combine_histograms: the old counts, each repeated upsample_rate
    // times at start_idx of a zero array of bins * downsample_rate, summed
    // in double (cumsum) and sampled at every downsample_rate-th position.
    // Zeros add nothing to a double sum, so the sums walk the repeated
    // counts only.
    std::vector<double> integral(bins);
    double acc = 0.0;
    int64_t next = 0;  // index into the repeated counts
    const int64_t repeated = nbins * upsample_rate;
    for (int64_t k = 0; k < nbins; ++k) {
      const int64_t upto = (k + 1) * downsample_rate - 1 - start_idx;  // last index summed
      for (; next <= upto && next < repeated; ++next) {
        acc += static_cast<double>(h.counts[static_cast<size_t>(next / upsample_rate)]);
      }
      integral[static_cast<size_t>(k)] = acc;
    }
    for (size_t k = 0; k < bins; ++k) {
      const float shifted = k == 0 ? 0.0f : static_cast<float>(integral[k - 1]);
      const double interpolated =
          (integral[k] - static_cast<double>(shifted)) / static_cast<double>(upsample_rate);
      combined[k] = combined[k] + static_cast<float>(interpolated);
    }
  }
  h.counts = std::move(combined);
  h.min = combined_min;
  h.max = combined_max;
}

namespace {

// _compute_quantization_error(next_start_bin, next_end_bin).
double QuantizationError(const Histogram& h, double dst_nbins, int64_t start, int64_t end) {
  const size_t bins = h.counts.size();
  const double bin_width =
      (static_cast<double>(h.max) - static_cast<double>(h.min)) / static_cast<double>(bins);
  const double dst_bin_width = bin_width * static_cast<double>(end - start + 1) / dst_nbins;
  if (dst_bin_width == 0.0) return 0.0;
  const auto bw = static_cast<float>(bin_width);
  const auto dbw = static_cast<float>(dst_bin_width);
  const auto half = static_cast<float>(dst_bin_width / 2);
  const auto minus_half = static_cast<float>(-dst_bin_width / 2);
  const auto top = static_cast<float>(dst_nbins - 1);
  // _get_norm(delta_begin, delta_end, density) = density * (e^3 - b^3) / 3.
  const auto norm_of = [](float b, float e, float density) {
    const float n = (e * e * e - b * b * b) / 3.0f;
    return density * n;
  };
  const float middle = (half * half * half - minus_half * minus_half * minus_half) / 3.0f;
  std::vector<float> norm(bins);
  for (size_t i = 0; i < bins; ++i) {
    const float src_begin = static_cast<float>(static_cast<int64_t>(i) - start) * bw;
    const float src_end = src_begin + bw;
    const float begin_bin = Clamp(DivFloor(src_begin, dbw), 0.0f, top);
    const float begin_center = (begin_bin + 0.5f) * dbw;
    const float end_bin = Clamp(DivFloor(src_end, dbw), 0.0f, top);
    const float density = h.counts[i] / bw;
    float n = 0.0f;
    n = n + norm_of(src_begin - begin_center, half, density);
    n = n + (end_bin - begin_bin - 1.0f) * (density * middle);
    const float end_center = end_bin * dbw + half;
    n = n + norm_of(minus_half, src_end - end_center, density);
    norm[i] = n;
  }
  return static_cast<double>(TorchSum(norm.data(), bins));
}

}  // namespace

void HistogramSearch(const Histogram& h, double dst_nbins, float& new_min, float& new_max) {
  const size_t bins = h.counts.size();
  const float bin_width = (h.max - h.min) / static_cast<float>(bins);
  const auto total = static_cast<double>(TorchSum(h.counts.data(), bins));
  std::vector<float> csum(bins);
  double running = 0.0;
  for (size_t i = 0; i < bins; ++i) {
    running += static_cast<double>(h.counts[i]);
    csum[i] = static_cast<float>(running);
  }
  const double stepsize = 1e-5;
  double alpha = 0.0;
  double beta = 1.0;
  int64_t start_bin = 0;
  int64_t end_bin = static_cast<int64_t>(bins) - 1;
  double norm_min = std::numeric_limits<double>::infinity();
  while (alpha < beta) {
    const double next_alpha = alpha + stepsize;
    const double next_beta = beta - stepsize;
    int64_t l = start_bin;
    int64_t r = end_bin;
    const auto alpha_total = static_cast<float>(next_alpha * total);
    const auto beta_total = static_cast<float>(next_beta * total);
    while (l < end_bin && csum[static_cast<size_t>(l)] < alpha_total) ++l;
    while (r > start_bin && csum[static_cast<size_t>(r)] > beta_total) --r;
    int64_t next_start_bin = start_bin;
    int64_t next_end_bin = end_bin;
    if ((l - start_bin) > (end_bin - r)) {
      next_start_bin = l;
      alpha = next_alpha;
    } else {
      next_end_bin = r;
      beta = next_beta;
    }
    if (next_start_bin == start_bin && next_end_bin == end_bin) continue;
    const double norm = QuantizationError(h, dst_nbins, next_start_bin, next_end_bin);
    if (norm > norm_min) break;
    norm_min = norm;
    start_bin = next_start_bin;
    end_bin = next_end_bin;
  }
  new_min = h.min + bin_width * static_cast<float>(start_bin);
  new_max = h.min + bin_width * static_cast<float>(end_bin + 1);
}

}  // namespace qtensor::ops

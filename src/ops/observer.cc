#include "ops/observer.h"

#include <cmath>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/shape.h"
#include "core/storage.h"
#include "ops/histogram.h"

namespace qtensor::ops {

using core::DType;
using core::ErrorKind;
using core::Fail;

namespace {

// Python's floor division, which torch's calculate_qmin_qmax uses.
int64_t FloorDiv2(int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }

// torch.min / torch.max of two floats: NaN if either is NaN.
float NanMin(float a, float b) { return (std::isnan(a) || std::isnan(b)) ? NAN : (b < a ? b : a); }
float NanMax(float a, float b) { return (std::isnan(a) || std::isnan(b)) ? NAN : (b > a ? b : a); }

std::string Text(double v) {
  std::ostringstream s;
  s.precision(9);
  s << v;
  return s.str();
}

// Folds count floats into lo, hi (NaN ignored) and nan (any NaN seen). With
// SSE2 (every x86-64), four vectors of each run side by side, so the loop
// reads memory at its speed; min and max are exact, so the order is free.
void FoldMinMax(const float* p, size_t count, float& lo, float& hi, bool& nan) {
  size_t i = 0;
#if defined(__SSE2__)
  if (count >= 16) {
    __m128 l0 = _mm_set1_ps(lo), l1 = l0, l2 = l0, l3 = l0;
    __m128 h0 = _mm_set1_ps(hi), h1 = h0, h2 = h0, h3 = h0;
    __m128 n0 = _mm_setzero_ps(), n1 = n0;
    for (; i + 16 <= count; i += 16) {
      const __m128 a = _mm_loadu_ps(p + i);
      const __m128 b = _mm_loadu_ps(p + i + 4);
      const __m128 c = _mm_loadu_ps(p + i + 8);
      const __m128 d = _mm_loadu_ps(p + i + 12);
      // _mm_min_ps(x, acc) is x < acc ? x : acc: a NaN x leaves acc.
      l0 = _mm_min_ps(a, l0);
      l1 = _mm_min_ps(b, l1);
      l2 = _mm_min_ps(c, l2);
      l3 = _mm_min_ps(d, l3);
      h0 = _mm_max_ps(a, h0);
      h1 = _mm_max_ps(b, h1);
      h2 = _mm_max_ps(c, h2);
      h3 = _mm_max_ps(d, h3);
      n0 = _mm_or_ps(n0, _mm_or_ps(_mm_cmpunord_ps(a, a), _mm_cmpunord_ps(b, b)));
      n1 = _mm_or_ps(n1, _mm_or_ps(_mm_cmpunord_ps(c, c), _mm_cmpunord_ps(d, d)));
    }
    alignas(16) float lows[4], highs[4];
    _mm_store_ps(lows, _mm_min_ps(_mm_min_ps(l0, l1), _mm_min_ps(l2, l3)));
    _mm_store_ps(highs, _mm_max_ps(_mm_max_ps(h0, h1), _mm_max_ps(h2, h3)));
    for (int k = 0; k < 4; ++k) {
      lo = lows[k] < lo ? lows[k] : lo;
      hi = highs[k] > hi ? highs[k] : hi;
    }
    nan |= _mm_movemask_ps(_mm_or_ps(n0, n1)) != 0;
  }
#endif
  bool n = false;
  for (; i < count; ++i) {
    const float x = p[i];
    n |= x != x;
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  nan |= n;
}

// lo[c] = min(lo[c], p[c]), the same for hi, nan[c] |= isnan(p[c]), for c
// in [0, count).
void FoldRow(const float* p, size_t count, float* lo, float* hi, bool* nan) {
  size_t c = 0;
#if defined(__SSE2__)
  for (; c + 4 <= count; c += 4) {
    const __m128 x = _mm_loadu_ps(p + c);
    _mm_storeu_ps(lo + c, _mm_min_ps(x, _mm_loadu_ps(lo + c)));
    _mm_storeu_ps(hi + c, _mm_max_ps(x, _mm_loadu_ps(hi + c)));
    const int bad = _mm_movemask_ps(_mm_cmpunord_ps(x, x));
    if (bad != 0) {
      for (int k = 0; k < 4; ++k) {
        if (((bad >> k) & 1) != 0) nan[c + static_cast<size_t>(k)] = true;
      }
    }
  }
#endif
  for (; c < count; ++c) {
    const float x = p[c];
    if (x != x) nan[c] = true;
    lo[c] = x < lo[c] ? x : lo[c];
    hi[c] = x > hi[c] ? x : hi[c];
  }
}

const char* KindName(ObserverKind kind) {
  switch (kind) {
    case ObserverKind::kMinMax:
      return "MinMaxObserver";
    case ObserverKind::kMovingAverageMinMax:
      return "MovingAverageMinMaxObserver";
    case ObserverKind::kPerChannelMinMax:
      return "PerChannelMinMaxObserver";
    case ObserverKind::kMovingAveragePerChannelMinMax:
      return "MovingAveragePerChannelMinMaxObserver";
    case ObserverKind::kHistogram:
      break;
  }
  return "HistogramObserver";
}

bool Moving(ObserverKind kind) {
  return kind == ObserverKind::kMovingAverageMinMax ||
         kind == ObserverKind::kMovingAveragePerChannelMinMax;
}

}  // namespace

bool Observer::per_channel() const {
  return options_.kind == ObserverKind::kPerChannelMinMax ||
         options_.kind == ObserverKind::kMovingAveragePerChannelMinMax;
}

Observer::Observer(const ObserverOptions& options) : options_(options) {
  const std::string name = KindName(options.kind);
  const DType dtype = options.dtype;
  // (HistogramObserver skips this check of MinMaxObserver's, as in PyTorch.)
  if (options.symmetric && options.reduce_range && dtype == DType::kQUInt8 &&
      options.kind != ObserverKind::kHistogram) {
    Fail(ErrorKind::kInvalidArgument,
         name +
             ": reduce_range is not supported with a symmetric scheme for quint8 (as in "
             "PyTorch)");
  }
  if (options.kind == ObserverKind::kHistogram && !core::IsComputeDType(dtype)) {
    Fail(ErrorKind::kInvalidArgument, name + ": dtype " + core::DTypeName(dtype) +
                                          " is not supported (it takes quint8, qint8 or qint32)");
  }
  if (options.custom_range) {
    const int64_t lo = options.quant_min;
    const int64_t hi = options.quant_max;
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (!(lo <= 0 && 0 <= hi)) {
      Fail(ErrorKind::kInvalidArgument, name + ": the quantization range " + range +
                                            " must include 0 (quant_min <= 0 <= quant_max)");
    }
    if (!(lo < hi)) {
      Fail(ErrorKind::kInvalidArgument,
           name + ": quant_min must be less than quant_max, got " + range);
    }
    if (lo < core::QMin(dtype) || hi > core::QMax(dtype)) {
      Fail(ErrorKind::kInvalidArgument, name + ": the quantization range " + range +
                                            " does not fit " + core::DTypeName(dtype) + " [" +
                                            std::to_string(core::QMin(dtype)) + ", " +
                                            std::to_string(core::QMax(dtype)) + "]");
    }
    if (dtype == DType::kQInt32 && hi - lo + 1 > (int64_t{1} << 31)) {
      Fail(ErrorKind::kInvalidArgument, name + ": the quantization range " + range +
                                            " holds more than 2^31 values (PyTorch's limit "
                                            "for qint32)");
    }
    quant_min_ = options.reduce_range ? FloorDiv2(lo) : lo;
    quant_max_ = options.reduce_range ? FloorDiv2(hi) : hi;
  } else if (dtype == DType::kQInt32) {
    // torch keeps qint32's full range even with reduce_range.
    quant_min_ = core::QMin(dtype);
    quant_max_ = core::QMax(dtype);
  } else {
    quant_min_ = options.reduce_range ? FloorDiv2(core::QMin(dtype)) : core::QMin(dtype);
    quant_max_ = options.reduce_range ? FloorDiv2(core::QMax(dtype)) : core::QMax(dtype);
  }
  if (Moving(options.kind) &&
      !(options.averaging_constant > 0.0 && options.averaging_constant <= 1.0)) {
    Fail(ErrorKind::kInvalidArgument,
         name + ": averaging_constant " + Text(options.averaging_constant) + " must lie in (0, 1]");
  }
  if (options.kind == ObserverKind::kHistogram) {
    if (options.bins < 1 || options.bins > (int64_t{1} << 24)) {
      Fail(ErrorKind::kInvalidArgument,
           name + ": bins " + std::to_string(options.bins) + " is outside [1, 2^24]");
    }
    if (options.upsample_rate < 1 || options.upsample_rate > (int64_t{1} << 20)) {
      Fail(ErrorKind::kInvalidArgument, name + ": upsample_rate " +
                                            std::to_string(options.upsample_rate) +
                                            " is outside [1, 2^20]");
    }
  }
  const auto max_dims = static_cast<int64_t>(core::kMaxDims);
  if (per_channel() && (options.ch_axis < -max_dims || options.ch_axis >= max_dims)) {
    Fail(ErrorKind::kInvalidArgument,
         name + ": ch_axis " + std::to_string(options.ch_axis) + " is outside [-64, 64)");
  }
}

void Observer::Forward(const float* data, const std::vector<int64_t>& shape) {
  core::CheckRank(shape.size());
  // Floats are 4 bytes, as qint32's integers: the same size limits.
  const auto numel = static_cast<size_t>(core::CheckedNumel(shape, DType::kQInt32));
  size_t channels = 1;
  size_t outer = 1;
  size_t inner = numel;
  if (per_channel()) {
    const auto ndim = static_cast<int64_t>(shape.size());
    const int64_t axis = options_.ch_axis;
    if (axis < -ndim || axis >= ndim) {
      Fail(ErrorKind::kOutOfRange, std::string(KindName(options_.kind)) + ": ch_axis " +
                                       std::to_string(axis) + " is outside a batch of rank " +
                                       std::to_string(ndim));
    }
    const auto a = static_cast<size_t>(axis < 0 ? axis + ndim : axis);
    channels = static_cast<size_t>(shape[a]);
    outer = 1;
    for (size_t d = 0; d < a; ++d) outer *= static_cast<size_t>(shape[d]);
    inner = 1;
    for (size_t d = a + 1; d < shape.size(); ++d) inner *= static_cast<size_t>(shape[d]);
  }
  if (numel == 0) return;  // torch returns an empty batch unobserved
  if (data == nullptr) Fail(ErrorKind::kInvalidArgument, "data is NULL");
  if (has_data() && channels != min_val_.size()) {
    Fail(ErrorKind::kShapeMismatch, std::string(KindName(options_.kind)) + ": a batch with " +
                                        std::to_string(channels) + " channels along ch_axis " +
                                        std::to_string(options_.ch_axis) + ", after " +
                                        std::to_string(min_val_.size()) + " channels before");
  }
  if (options_.kind == ObserverKind::kHistogram) {
    float lo_all = std::numeric_limits<float>::infinity();
    float hi_all = -std::numeric_limits<float>::infinity();
    bool any_nan = false;
    FoldMinMax(data, numel, lo_all, hi_all, any_nan);
    if (any_nan || !std::isfinite(lo_all) || !std::isfinite(hi_all)) {
      Fail(ErrorKind::kInvalidArgument,
           "HistogramObserver: the batch holds NaN or an infinity, which the histogram cannot "
           "place (PyTorch fails too, after changing its min_val and max_val)");
    }
    Histogram next = histogram_;
    HistogramForward(next, has_data(), data, numel, lo_all, hi_all,
                     static_cast<size_t>(options_.bins), options_.upsample_rate);
    histogram_ = std::move(next);
    min_val_.assign(1, histogram_.min);
    max_val_.assign(1, histogram_.max);
    return;
  }
  // torch.aminmax: NaN if any element is NaN.
  std::vector<float> lo(channels, std::numeric_limits<float>::infinity());
  std::vector<float> hi(channels, -std::numeric_limits<float>::infinity());
  std::unique_ptr<bool[]> nan(new bool[channels]());
  const float* p = data;
  if (inner == 1 && channels > 1) {
    // Channels last: fold each row into the per-channel accumulators.
    for (size_t o = 0; o < outer; ++o, p += channels) {
      FoldRow(p, channels, lo.data(), hi.data(), nan.get());
    }
  }
  for (size_t o = 0; o < outer && !(inner == 1 && channels > 1); ++o) {
    for (size_t c = 0; c < channels; ++c) {
      bool n = false;
      FoldMinMax(p, inner, lo[c], hi[c], n);
      if (n) nan[c] = true;
      p += inner;
    }
  }
  for (size_t c = 0; c < channels; ++c) {
    if (nan[c]) lo[c] = hi[c] = NAN;
  }
  if (!has_data()) {
    min_val_ = std::move(lo);
    max_val_ = std::move(hi);
    return;
  }
  if (Moving(options_.kind)) {
    // min + c * (cur - min), every operation in float32 as torch's.
    const auto c32 = static_cast<float>(options_.averaging_constant);
    for (size_t c = 0; c < channels; ++c) {
      min_val_[c] = min_val_[c] + c32 * (lo[c] - min_val_[c]);
      max_val_[c] = max_val_[c] + c32 * (hi[c] - max_val_[c]);
    }
  } else {
    for (size_t c = 0; c < channels; ++c) {
      min_val_[c] = NanMin(lo[c], min_val_[c]);
      max_val_[c] = NanMax(hi[c], max_val_[c]);
    }
  }
}

ObserverParams Observer::CalculateQParams() const {
  const std::string name = KindName(options_.kind);
  if (!has_data()) {
    Fail(ErrorKind::kInvalidArgument,
         name +
             ": calculate_qparams before the observer saw any data (feed it a batch with "
             "elements first)");
  }
  std::vector<float> mins = min_val_;
  std::vector<float> maxs = max_val_;
  if (options_.kind == ObserverKind::kHistogram) {
    // The range the L2 search picks, for 2^bits levels of the dtype (256,
    // or 2^32 for qint32, whatever the quantization range: PyTorch's
    // dst_nbins).
    const double levels = options_.dtype == DType::kQInt32 ? 4294967296.0 : 256.0;
    HistogramSearch(histogram_, levels, mins[0], maxs[0]);
  }
  const size_t channels = mins.size();
  ObserverParams out;
  out.scales.resize(channels);
  out.zero_points.resize(channels);
  const auto eps = std::numeric_limits<float>::epsilon();
  const int64_t qmin = quant_min_;
  const int64_t qmax = quant_max_;
  for (size_t c = 0; c < channels; ++c) {
    const float mn = mins[c];
    const float mx = maxs[c];
    const std::string where = per_channel() ? " of channel " + std::to_string(c) : "";
    if (std::isnan(mn) || std::isnan(mx)) {
      std::string message = name;
      message += ": the observed range" + where;
      message +=
          " is NaN (the data held NaN, or an infinity entered a moving average): no "
          "parameters";
      Fail(ErrorKind::kInvalidArgument, message);
    }
    const float min_neg = mn < 0.0f ? mn : 0.0f;
    const float max_pos = mx > 0.0f ? mx : 0.0f;
    float scale;
    int64_t zero_point = 0;
    if (options_.symmetric) {
      const float amax = -min_neg > max_pos ? -min_neg : max_pos;
      scale = amax / static_cast<float>(static_cast<double>(qmax - qmin) / 2);
      scale = scale > eps ? scale : eps;
      if (options_.dtype == DType::kQUInt8) {
        zero_point = options_.custom_range ? FloorDiv2(qmin + qmax) : 128;
      }
    } else {
      scale = (max_pos - min_neg) / static_cast<float>(static_cast<double>(qmax - qmin));
      scale = scale > eps ? scale : eps;
      // torch.round, then qmin - that, clamped. The rounded quotient is
      // exact here: torch converts it to int32, which overflows for qint32
      // observers whose min is far below -2^31 * scale (docs/numerics.md).
      const float r = std::nearbyint(min_neg / scale);
      if (std::isfinite(scale)) {
        const double d = static_cast<double>(qmin) - static_cast<double>(r);
        zero_point = d < static_cast<double>(qmin)   ? qmin
                     : d > static_cast<double>(qmax) ? qmax
                                                     : static_cast<int64_t>(d);
      }
    }
    if (!std::isfinite(scale)) {
      std::string message = name;
      message += ": the observed range" + where;
      message += " [" + Text(mn) + ", " + Text(mx) + "]";
      message +=
          " gives an infinite scale (an infinity was seen, or the range overflows float32): no "
          "parameters";
      Fail(ErrorKind::kInvalidArgument, message);
    }
    out.scales[c] = scale;
    out.zero_points[c] = zero_point;
  }
  return out;
}

core::Quantizer Observer::MakeQuantizer() const {
  const ObserverParams p = CalculateQParams();
  if (!per_channel()) {
    return core::Quantizer::PerTensor(options_.dtype, p.scales[0], p.zero_points[0]);
  }
  std::vector<double> scales(p.scales.begin(), p.scales.end());
  return core::Quantizer::PerChannel(options_.dtype, std::move(scales), p.zero_points,
                                     options_.ch_axis);
}

}  // namespace qtensor::ops

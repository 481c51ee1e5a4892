// Observers' and choose_qparams' argument checks and state rules (the values
// themselves are checked against PyTorch in test_observer_golden.cc).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "ops/histogram.h"
#include "ops/observer.h"
#include "ops/qparams.h"

namespace {

using qtensor::core::DType;
using qtensor::core::Error;
using qtensor::core::ErrorKind;
using qtensor::ops::Observer;
using qtensor::ops::ObserverKind;
using qtensor::ops::ObserverOptions;

template <typename Fn>
ErrorKind KindOf(const Fn& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no error");
  return ErrorKind::kNotFound;
}

ObserverOptions Options(ObserverKind kind, DType dtype = DType::kQUInt8) {
  ObserverOptions o;
  o.kind = kind;
  o.dtype = dtype;
  return o;
}

}  // namespace

TEST_CASE("observer options are checked as torch checks them, and more") {
  ObserverOptions o = Options(ObserverKind::kMinMax);
  o.symmetric = true;
  o.reduce_range = true;
  CHECK(KindOf([&] { Observer{o}; }) == ErrorKind::kInvalidArgument);
  o.dtype = DType::kQInt8;
  CHECK_NOTHROW(Observer{o});

  o = Options(ObserverKind::kMinMax, DType::kQInt8);
  o.custom_range = true;
  for (auto [lo, hi] : std::vector<std::pair<int64_t, int64_t>>{
           {1, 5}, {-5, -1}, {0, 0}, {3, -3}, {-129, 127}, {-128, 128}}) {
    CAPTURE(lo);
    CAPTURE(hi);
    o.quant_min = lo;
    o.quant_max = hi;
    CHECK(KindOf([&] { Observer{o}; }) == ErrorKind::kInvalidArgument);
  }
  o.dtype = DType::kQInt32;
  o.quant_min = std::numeric_limits<int32_t>::min();
  o.quant_max = std::numeric_limits<int32_t>::max();
  CHECK(KindOf([&] { Observer{o}; }) == ErrorKind::kInvalidArgument);  // 2^32 values
  o.quant_min = -(int64_t{1} << 30);
  o.quant_max = (int64_t{1} << 30) - 1;
  CHECK_NOTHROW(Observer{o});

  o = Options(ObserverKind::kMovingAverageMinMax);
  for (double c : {0.0, -0.5, 1.5, std::nan("")}) {
    o.averaging_constant = c;
    CHECK(KindOf([&] { Observer{o}; }) == ErrorKind::kInvalidArgument);
  }
  o.averaging_constant = 1.0;
  CHECK_NOTHROW(Observer{o});

  o = Options(ObserverKind::kPerChannelMinMax);
  o.ch_axis = 64;
  CHECK(KindOf([&] { Observer{o}; }) == ErrorKind::kInvalidArgument);
  o.ch_axis = -65;
  CHECK(KindOf([&] { Observer{o}; }) == ErrorKind::kInvalidArgument);
}

TEST_CASE("reduce_range halves ranges with floor division; qint32's default range stays full") {
  ObserverOptions o = Options(ObserverKind::kMinMax, DType::kQInt8);
  o.reduce_range = true;
  CHECK(Observer{o}.quant_min() == -64);
  CHECK(Observer{o}.quant_max() == 63);
  o.custom_range = true;
  o.quant_min = -3;
  o.quant_max = 7;
  CHECK(Observer{o}.quant_min() == -2);
  CHECK(Observer{o}.quant_max() == 3);
  o = Options(ObserverKind::kMinMax, DType::kQInt32);
  o.reduce_range = true;
  CHECK(Observer{o}.quant_min() == std::numeric_limits<int32_t>::min());
}

TEST_CASE("a bad batch leaves the observer as it was") {
  ObserverOptions o = Options(ObserverKind::kPerChannelMinMax);
  o.ch_axis = 1;
  Observer obs(o);
  const std::vector<float> a = {1, 2, 3, -4, 5, 6};
  CHECK(KindOf([&] { obs.CalculateQParams(); }) == ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { obs.Forward(a.data(), {6}); }) == ErrorKind::kOutOfRange);  // ch_axis 1
  obs.Forward(a.data(), {2, 3});
  REQUIRE(obs.min_val() == std::vector<float>{-4, 2, 3});
  CHECK(KindOf([&] { obs.Forward(a.data(), {3, 2}); }) == ErrorKind::kShapeMismatch);
  CHECK(KindOf([&] { obs.Forward(a.data(), {}); }) == ErrorKind::kOutOfRange);
  CHECK(KindOf([&] { obs.Forward(nullptr, {2, 3}); }) == ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { obs.Forward(a.data(), {2, -3}); }) == ErrorKind::kInvalidArgument);
  CHECK(obs.min_val() == std::vector<float>{-4, 2, 3});
  CHECK(obs.max_val() == std::vector<float>{1, 5, 6});
  obs.Forward(nullptr, {0, 3});  // empty: ignored, NULL allowed
  CHECK(obs.min_val() == std::vector<float>{-4, 2, 3});
  const auto p = obs.CalculateQParams();
  CHECK(p.scales.size() == 3);
  const auto q = obs.MakeQuantizer();
  CHECK(q.per_channel());
}

TEST_CASE("an observer that saw only empty batches has no parameters") {
  Observer obs(Options(ObserverKind::kMinMax));
  obs.Forward(nullptr, {0});
  obs.Forward(nullptr, {4, 0});
  CHECK_FALSE(obs.has_data());
  CHECK(KindOf([&] { obs.CalculateQParams(); }) == ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { obs.MakeQuantizer(); }) == ErrorKind::kInvalidArgument);
}

TEST_CASE("choose_qparams checks its arguments") {
  using qtensor::ops::ChooseQuantizationParams;
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(KindOf([&] { ChooseQuantizationParams(1, 0, 0, 255, false, false); }) ==
        ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { ChooseQuantizationParams(0, inf, 0, 255, false, false); }) ==
        ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { ChooseQuantizationParams(NAN, 1, 0, 255, false, false); }) ==
        ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { ChooseQuantizationParams(0, 1, 5, 5, false, false); }) ==
        ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { ChooseQuantizationParams(0, 1, 0, 1, false, true); }) ==
        ErrorKind::kInvalidArgument);  // reduce_range leaves [0, 0]
  CHECK(KindOf([&] { ChooseQuantizationParams(0, 1, 0, int64_t{1} << 31, false, false); }) ==
        ErrorKind::kInvalidArgument);
  const auto p = ChooseQuantizationParams(-1, 1, -128, 127, true, false);
  CHECK(p.zero_point == 0);  // (qmin + qmax) / 2 = -0.5, rounded half to even
  const std::vector<float> x = {1, 2};
  CHECK(KindOf([&] { qtensor::ops::ChooseQParamsDynamic(x.data(), 2, DType::kQInt32, false); }) ==
        ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { qtensor::ops::ChooseQParamsPerTensor(x.data(), 0, false); }) ==
        ErrorKind::kInvalidArgument);
}

TEST_CASE("the running min and max equal a plain loop's, NaN and infinities anywhere") {
  // Lengths around the vector loops' steps, specials in the body and tails,
  // every layout of channels (inner 1, channels last, and inner > 1).
  uint32_t seed = 12345;
  const auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed;
  };
  const float specials[] = {NAN, std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(), -0.0f, 0.0f};
  for (int64_t channels : {1, 3, 4, 7, 9}) {
    for (int64_t outer : {1, 2, 5}) {
      for (int64_t inner : {1, 3, 15, 16, 17, 33, 70}) {
        const size_t n = static_cast<size_t>(outer * channels * inner);
        std::vector<float> x(n);
        for (float& v : x) v = static_cast<float>(static_cast<int32_t>(next() % 20001) - 10000) / 7;
        for (int k = 0; k < 2; ++k) {
          if (next() % 3 == 0) x[next() % n] = specials[next() % 5];
        }
        ObserverOptions o = Options(ObserverKind::kPerChannelMinMax);
        o.ch_axis = 1;
        Observer obs(o);
        obs.Forward(x.data(), {outer, channels, inner});
        Observer whole(Options(ObserverKind::kMinMax));
        whole.Forward(x.data(), {static_cast<int64_t>(n)});
        float all_lo = INFINITY, all_hi = -INFINITY;
        bool all_nan = false;
        for (int64_t c = 0; c < channels; ++c) {
          float lo = INFINITY, hi = -INFINITY;
          bool nan = false;
          for (int64_t a = 0; a < outer; ++a) {
            for (int64_t i = 0; i < inner; ++i) {
              const float v = x[static_cast<size_t>((a * channels + c) * inner + i)];
              nan |= std::isnan(v);
              lo = v < lo ? v : lo;
              hi = v > hi ? v : hi;
            }
          }
          all_nan |= nan;
          all_lo = lo < all_lo ? lo : all_lo;
          all_hi = hi > all_hi ? hi : all_hi;
          CAPTURE(channels);
          CAPTURE(outer);
          CAPTURE(inner);
          CAPTURE(c);
          const auto ci = static_cast<size_t>(c);
          if (nan) {
            CHECK(std::isnan(obs.min_val()[ci]));
            CHECK(std::isnan(obs.max_val()[ci]));
          } else {
            CHECK(obs.min_val()[ci] == lo);
            CHECK(obs.max_val()[ci] == hi);
          }
        }
        if (all_nan) {
          CHECK(std::isnan(whole.min_val()[0]));
        } else {
          CHECK(whole.min_val()[0] == all_lo);
          CHECK(whole.max_val()[0] == all_hi);
        }
      }
    }
  }
}

TEST_CASE("TorchSum adds float32 in PyTorch 1.13's CPU order (torch.sum's values)") {
  // x[i] = (i * 2654435761 mod 1000003) * 1e-3f - 500 in float32; the sums
  // are torch.sum's, which differ from a plain loop's and a double sum's.
  const std::pair<size_t, float> cases[] = {{37, 0x1.6155c2p+10f},
                                            {1000, 0x1.721f4ap+11f},
                                            {2048, 0x1.bbcf6ep+10f},
                                            {5000, 0x1.735d74p+11f}};
  for (const auto& [n, want] : cases) {
    std::vector<float> x(n);
    for (size_t i = 0; i < n; ++i) {
      x[i] = static_cast<float>((uint64_t{i} * 2654435761u) % 1000003u) * 1e-3f - 500.0f;
    }
    CAPTURE(n);
    CHECK(qtensor::ops::TorchSum(x.data(), n) == want);
  }
}

TEST_CASE("HistogramObserver checks bins and upsample_rate, and refuses NaN or inf batches") {
  ObserverOptions o = Options(ObserverKind::kHistogram);
  for (const auto& [bins, up] : std::vector<std::pair<int64_t, int64_t>>{
           {0, 128}, {-1, 128}, {(int64_t{1} << 24) + 1, 1}, {2048, 0}, {16, (1 << 20) + 1}}) {
    o.bins = bins;
    o.upsample_rate = up;
    CHECK(KindOf([&] { Observer{o}; }) == ErrorKind::kInvalidArgument);
  }
  o.bins = 16;
  o.upsample_rate = 4;
  o.symmetric = true;
  o.reduce_range = true;  // allowed for quint8 here, as in PyTorch
  Observer obs(o);
  const std::vector<float> good = {0.5f, 2.0f, -1.0f};
  const std::vector<float> bad = {1.0f, NAN};
  obs.Forward(good.data(), {3});
  CHECK(KindOf([&] { obs.Forward(bad.data(), {2}); }) == ErrorKind::kInvalidArgument);
  CHECK(obs.min_val() == std::vector<float>{-1.0f});
  CHECK(obs.max_val() == std::vector<float>{2.0f});
  CHECK(obs.CalculateQParams().zero_points == std::vector<int64_t>{128});
}

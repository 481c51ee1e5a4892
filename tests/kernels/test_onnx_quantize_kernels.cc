// Tests of the ONNX quantize kernels: the scalar kernels against hand-worked
// answers, and every Highway target compiled in (and supported by this CPU)
// against the scalar kernels, bit for bit: ties, saturation edges, NaN, +-inf,
// -0, denormal scales, tails, unaligned pointers, per-axis and blocked shapes.
// Also that ONNX's dequantize is qtensor's per-tensor and per-channel one.

#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/onnx_quantize_kernels.h"
#include "kernels/quantize_kernels.h"

namespace {

namespace qk = qtensor::kernels;
namespace onnx = qtensor::kernels::onnx;
using onnx::Int16Range;
using onnx::Int4Range;
using onnx::Int8Range;
using onnx::Uint16Range;
using onnx::Uint4Range;
using onnx::Uint8Range;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kDenormMin = std::numeric_limits<float>::denorm_min();

// ------------------------------------------------------------------ dispatch

// The dispatched kernels of one output range, by the range's type.
template <class Range>
struct Dispatched;

#define QTENSOR_DISPATCHED(Range, TensorFn, AxisFn, BlockedFn)                        \
  template <>                                                                         \
  struct Dispatched<Range> {                                                          \
    using T = Range::T;                                                               \
    static void PerTensor(const float* in, size_t n, float s, int64_t zp, T* out) {   \
      onnx::TensorFn(in, n, s, zp, out);                                              \
    }                                                                                 \
    static void PerAxis(const float* in, size_t outer, size_t channels, size_t inner, \
                        const qk::ChannelParams& params, T* out) {                    \
      onnx::AxisFn(in, outer, channels, inner, params, out);                          \
    }                                                                                 \
    static void Blocked(const float* in, size_t outer, size_t axis_len, size_t inner, \
                        const onnx::BlockedParams& params, T* out) {                  \
      onnx::BlockedFn(in, outer, axis_len, inner, params, out);                       \
    }                                                                                 \
  };
QTENSOR_DISPATCHED(Int8Range, QuantizePerTensor, QuantizePerAxis, QuantizeBlocked)
QTENSOR_DISPATCHED(Uint8Range, QuantizePerTensor, QuantizePerAxis, QuantizeBlocked)
QTENSOR_DISPATCHED(Int16Range, QuantizePerTensor, QuantizePerAxis, QuantizeBlocked)
QTENSOR_DISPATCHED(Uint16Range, QuantizePerTensor, QuantizePerAxis, QuantizeBlocked)
QTENSOR_DISPATCHED(Int4Range, QuantizePerTensor4Bit, QuantizePerAxis4Bit, QuantizeBlocked4Bit)
QTENSOR_DISPATCHED(Uint4Range, QuantizePerTensor4Bit, QuantizePerAxis4Bit, QuantizeBlocked4Bit)
#undef QTENSOR_DISPATCHED

// The scalar and the dispatched per-tensor kernel on one element.
struct Scalar {
  template <class Range>
  static typename Range::T Q(float x, float scale, int32_t zp) {
    typename Range::T q;
    onnx::scalar::QuantizePerTensor<Range>(&x, 1, scale, zp, &q);
    CHECK(q == onnx::scalar::QuantizeValue<Range>(x, scale, zp));
    return q;
  }
};
struct Simd {
  template <class Range>
  static typename Range::T Q(float x, float scale, int32_t zp) {
    typename Range::T q;
    Dispatched<Range>::PerTensor(&x, 1, scale, zp, &q);
    return q;
  }
};

// ------------------------------------------------------------------ data

template <typename T>
bool SameBits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

// Scales: exact powers of two, ordinary ones, the example of
// docs/numerics.md, tiny, huge and denormal ones.
const std::vector<float> kScales = {1.0f,   0.5f,           4.0f,      3.0f,  0.1f,
                                    1e-3f,  0.00214854861f, 7e-8f,     1e30f, FLT_MAX,
                                    1e-38f, 1e-40f,         kDenormMin};

template <class Range>
std::vector<int32_t> ZeroPoints() {
  const int32_t mid = (Range::kMin + Range::kMax + 1) / 2;
  return {Range::kMin, Range::kMin + 1, mid, Range::kMax - 1, Range::kMax};
}

// Inputs x whose x / scale falls on ties (k + 0.5), one float either side,
// and the saturation edges of Range with zero point zp.
template <class Range>
std::vector<float> EdgeFloats(float scale, int32_t zp) {
  std::vector<float> v;
  const auto around = [&](double q) {
    float x = static_cast<float>(q * scale);
    for (int k = 0; k < 2; ++k) x = std::nextafter(x, -kInf);
    for (int k = 0; k < 5; ++k, x = std::nextafter(x, kInf)) v.push_back(x);
  };
  for (const double edge :
       {static_cast<double>(Range::kMin - zp), static_cast<double>(Range::kMax - zp), 0.0}) {
    for (const double delta : {-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5}) around(edge + delta);
  }
  for (int k = -6; k <= 6; ++k) around(k + 0.5);
  return v;
}

std::vector<float> SpecialFloats() {
  return {0.0f,     -0.0f,   kNaN,         -kNaN,      kInf,        -kInf,       FLT_MAX,
          -FLT_MAX, FLT_MIN, -FLT_MIN,     kDenormMin, -kDenormMin, 1e30f,       -1e30f,
          0.5f,     -0.5f,   1.5f,         2.5f,       -2.5f,       0.49999997f, 0x1p31f,
          -0x1p31f, 0x1p24f, 0.273939937f, 127.5f,     -128.5f,     65535.5f,    -32768.5f};
}

std::vector<float> RandomFloats(size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> small(-300.0f, 300.0f);
  std::uniform_real_distribution<float> exponent(-150.0f, 128.0f);
  std::vector<float> v(n);
  for (float& x : v) {
    switch (rng() % 3) {
      case 0:
        x = small(rng);
        break;
      case 1:
        x = std::exp2(exponent(rng)) * (rng() % 2 ? 1.0f : -1.0f);
        break;
      default: {
        const uint32_t bits = static_cast<uint32_t>(rng());
        std::memcpy(&x, &bits, 4);
      }
    }
  }
  return v;
}

// The inputs of the per-tensor comparisons for one scale and zero point.
template <class Range>
std::vector<float> Inputs(float scale, int32_t zp, std::mt19937& rng) {
  std::vector<float> v = SpecialFloats();
  const std::vector<float> edges = EdgeFloats<Range>(scale, zp);
  v.insert(v.end(), edges.begin(), edges.end());
  const std::vector<float> random = RandomFloats(200, rng);
  v.insert(v.end(), random.begin(), random.end());
  return v;
}

// Lengths around every vector size, and long ones.
const std::vector<size_t> kLengths = {0,  1,  3,  4,  5,  7,  8,  9,  15,
                                      16, 17, 31, 32, 33, 63, 64, 65, 1000};

// ------------------------------------------------------------------ known answers

template <class Impl>
void CheckKnownAnswers() {
  // Half to even, after a float division.
  CHECK(Impl::template Q<Int8Range>(2.5f, 1.0f, 0) == 2);
  CHECK(Impl::template Q<Int8Range>(3.5f, 1.0f, 0) == 4);
  CHECK(Impl::template Q<Int8Range>(-2.5f, 1.0f, 0) == -2);
  CHECK(Impl::template Q<Int8Range>(0.5f, 1.0f, 0) == 0);
  CHECK(Impl::template Q<Int8Range>(0.50000006f, 1.0f, 0) == 1);
  CHECK(Impl::template Q<Int8Range>(5.0f, 2.0f, 10) == 12);
  CHECK(Impl::template Q<Int8Range>(-0.0f, 1.0f, 3) == 3);
  // x / scale is 127.49999, where x * (1 / scale) is 127.5 (PyTorch: 128).
  CHECK(Impl::template Q<Uint8Range>(0.273939937f, 0.00214854861f, 0) == 127);
  // Saturation, NaN -> qmin, infinities.
  CHECK(Impl::template Q<Int8Range>(127.5f, 1.0f, 0) == 127);
  CHECK(Impl::template Q<Int8Range>(-128.5f, 1.0f, 0) == -128);
  CHECK(Impl::template Q<Int8Range>(kNaN, 1.0f, 5) == -128);
  CHECK(Impl::template Q<Int8Range>(kInf, 1.0f, -128) == 127);
  CHECK(Impl::template Q<Int8Range>(-kInf, 1.0f, 127) == -128);
  CHECK(Impl::template Q<Uint8Range>(kNaN, 1.0f, 255) == 0);
  CHECK(Impl::template Q<Uint8Range>(-1.0f, 1.0f, 255) == 254);
  CHECK(Impl::template Q<Int16Range>(32767.5f, 1.0f, 0) == 32767);
  CHECK(Impl::template Q<Int16Range>(-32768.5f, 1.0f, 0) == -32768);
  CHECK(Impl::template Q<Int16Range>(300.0f, 0.5f, -1000) == -400);
  CHECK(Impl::template Q<Int16Range>(kNaN, 1.0f, 0) == -32768);
  CHECK(Impl::template Q<Uint16Range>(65534.5f, 1.0f, 0) == 65534);
  CHECK(Impl::template Q<Uint16Range>(65535.5f, 1.0f, 0) == 65535);
  CHECK(Impl::template Q<Uint16Range>(-1.0f, 1.0f, 65535) == 65534);
  CHECK(Impl::template Q<Uint16Range>(kNaN, 1.0f, 65535) == 0);
  CHECK(Impl::template Q<Int4Range>(7.4f, 1.0f, 0) == 7);
  CHECK(Impl::template Q<Int4Range>(7.5f, 1.0f, 0) == 7);
  CHECK(Impl::template Q<Int4Range>(-8.5f, 1.0f, 0) == -8);
  CHECK(Impl::template Q<Int4Range>(20.0f, 2.0f, -3) == 7);
  CHECK(Impl::template Q<Int4Range>(kNaN, 1.0f, 7) == -8);
  CHECK(Impl::template Q<Int4Range>(kInf, 1.0f, -8) == 7);
  CHECK(Impl::template Q<Uint4Range>(14.5f, 1.0f, 0) == 14);
  CHECK(Impl::template Q<Uint4Range>(15.5f, 1.0f, 0) == 15);
  CHECK(Impl::template Q<Uint4Range>(-0.5f, 1.0f, 0) == 0);
  CHECK(Impl::template Q<Uint4Range>(kNaN, 1.0f, 15) == 0);
  // Denormal and zero scales: plain IEEE division.
  CHECK(Impl::template Q<Int8Range>(kDenormMin, kDenormMin, 0) == 1);
  CHECK(Impl::template Q<Int8Range>(3 * kDenormMin, 2 * kDenormMin, 0) == 2);
  CHECK(Impl::template Q<Int8Range>(1.0f, kDenormMin, 0) == 127);
  CHECK(Impl::template Q<Int8Range>(1.0f, 0.0f, 0) == 127);
  CHECK(Impl::template Q<Int8Range>(-1.0f, 0.0f, 0) == -128);
  CHECK(Impl::template Q<Int8Range>(0.0f, 0.0f, 3) == -128);  // 0 / 0 is NaN
}

TEST_CASE("scalar ONNX quantize gives the hand-worked answers") { CheckKnownAnswers<Scalar>(); }

TEST_CASE("every target's ONNX quantize gives the hand-worked answers") {
  ForEachTarget([] { CheckKnownAnswers<Simd>(); });
}

TEST_CASE("ONNX and PyTorch rounding differ where the reciprocal rounds") {
  const float scale = 0.00214854861f, x = 0.273939937f;
  const uint8_t pytorch = qk::scalar::QuantizeValue<uint8_t>(x, qk::InverseScale(scale), 0);
  CHECK(pytorch == 128);
  CHECK(onnx::scalar::QuantizeValue<Uint8Range>(x, scale, 0) == 127);
}

TEST_CASE("blocked parameters: element (o, a, i) uses parameter (o, a / block_size, i)") {
  // [1][5][2] in blocks of 2: parameter rows 0, 0, 1, 1, 2 (the last block
  // short), each of 2 scales; 12 / scale shows which one was used.
  const std::vector<float> in(10, 12.0f);
  const std::vector<float> scales = {1, 2, 3, 4, 6, 12};
  const std::vector<int32_t> zero_points(6, 0);
  const onnx::BlockedParams params{scales.data(), zero_points.data(), 2};
  const std::vector<int8_t> expected = {12, 6, 12, 6, 4, 3, 4, 3, 2, 1};
  std::vector<int8_t> got(10);
  onnx::scalar::QuantizeBlocked<Int8Range>(in.data(), 1, 5, 2, params, got.data());
  CHECK(got == expected);
  ForEachTarget([&] {
    std::vector<int8_t> simd(10);
    onnx::QuantizeBlocked(in.data(), 1, 5, 2, params, simd.data());
    CHECK(simd == expected);
  });
  const std::vector<int8_t> q = {12, 6, 12, 6, 4, 3, 4, 3, 2, 1};
  std::vector<float> f(10);
  onnx::scalar::DequantizeBlocked(q.data(), 1, 5, 2, params, f.data());
  CHECK(f == std::vector<float>(10, 12.0f));
}

// ------------------------------------------------------------------ every target

// Output buffers start `offset` elements in and keep a guard value around
// the n outputs, so that a write outside them shows.
template <typename T>
std::vector<T> Guarded(size_t n, size_t offset) {
  return std::vector<T>(offset + n + 8, static_cast<T>(0x5A));
}

constexpr size_t kOffsets[][2] = {{0, 0}, {1, 3}, {3, 1}};

template <class Range>
void CheckPerTensor() {
  using T = typename Range::T;
  std::mt19937 rng(1);
  for (const float scale : kScales) {
    for (const int32_t zp : ZeroPoints<Range>()) {
      const std::vector<float> all = Inputs<Range>(scale, zp, rng);
      for (const size_t n : kLengths) {
        for (const auto& offsets : kOffsets) {
          CAPTURE(scale);
          CAPTURE(zp);
          CAPTURE(n);
          std::vector<float> in(offsets[0] + n);
          for (size_t i = 0; i < n; ++i) in[offsets[0] + i] = all[(i * 7 + n) % all.size()];
          std::vector<T> want = Guarded<T>(n, offsets[1]);
          std::vector<T> got = want;
          onnx::scalar::QuantizePerTensor<Range>(in.data() + offsets[0], n, scale, zp,
                                                 want.data() + offsets[1]);
          Dispatched<Range>::PerTensor(in.data() + offsets[0], n, scale, zp,
                                       got.data() + offsets[1]);
          REQUIRE(SameBits(got, want));
        }
      }
      // Every input at once, so that each lands in a full vector too.
      std::vector<T> want(all.size()), got(all.size());
      onnx::scalar::QuantizePerTensor<Range>(all.data(), all.size(), scale, zp, want.data());
      Dispatched<Range>::PerTensor(all.data(), all.size(), scale, zp, got.data());
      REQUIRE(SameBits(got, want));
    }
  }
}

TEST_CASE("ONNX quantize per tensor: every target equals the scalar kernel") {
  ForEachTarget([] {
    CheckPerTensor<Int8Range>();
    CheckPerTensor<Uint8Range>();
    CheckPerTensor<Int16Range>();
    CheckPerTensor<Uint16Range>();
    CheckPerTensor<Int4Range>();
    CheckPerTensor<Uint4Range>();
  });
}

// Random parameters for `count` channels or blocks, from kScales and the
// range's zero points.
template <class Range>
void RandomParams(size_t count, std::mt19937& rng, std::vector<float>& scales,
                  std::vector<int32_t>& zero_points) {
  const std::vector<int32_t> zps = ZeroPoints<Range>();
  scales.resize(count);
  zero_points.resize(count);
  for (size_t c = 0; c < count; ++c) {
    scales[c] = kScales[rng() % kScales.size()];
    zero_points[c] = zps[rng() % zps.size()];
  }
}

// Inputs for a shape: specials, ties and random values, at rotating places.
std::vector<float> ShapeInputs(size_t n, size_t offset, std::mt19937& rng) {
  const std::vector<float> special = SpecialFloats();
  std::vector<float> v = RandomFloats(offset + n, rng);
  std::uniform_real_distribution<float> ties(-40.0f, 40.0f);
  for (size_t i = 0; i < n; ++i) {
    if (i % 5 == 1) v[offset + i] = special[(i / 5) % special.size()];
    if (i % 5 == 3) v[offset + i] = std::round(ties(rng)) + 0.5f;  // a tie for scale 1
  }
  return v;
}

template <class Range>
void CheckPerAxis() {
  using T = typename Range::T;
  std::mt19937 rng(2);
  for (const size_t outer : {1, 2, 7}) {
    for (const size_t channels : {1, 3, 5}) {
      for (const size_t inner : {1, 3, 8, 15, 16, 17, 33, 70}) {
        for (const auto& offsets : kOffsets) {
          CAPTURE(outer);
          CAPTURE(channels);
          CAPTURE(inner);
          std::vector<float> scales;
          std::vector<int32_t> zps32;
          RandomParams<Range>(channels, rng, scales, zps32);
          const std::vector<int64_t> zps(zps32.begin(), zps32.end());
          qk::ChannelParams params;
          params.float_scales = scales.data();
          params.zero_points = zps.data();
          const size_t n = outer * channels * inner;
          const std::vector<float> in = ShapeInputs(n, offsets[0], rng);
          std::vector<T> want = Guarded<T>(n, offsets[1]);
          std::vector<T> got = want;
          onnx::scalar::QuantizePerAxis<Range>(in.data() + offsets[0], outer, channels, inner,
                                               params, want.data() + offsets[1]);
          Dispatched<Range>::PerAxis(in.data() + offsets[0], outer, channels, inner, params,
                                     got.data() + offsets[1]);
          REQUIRE(SameBits(got, want));
        }
      }
    }
  }
}

TEST_CASE("ONNX quantize per axis: every target equals the scalar kernel") {
  ForEachTarget([] {
    CheckPerAxis<Int8Range>();
    CheckPerAxis<Uint8Range>();
    CheckPerAxis<Int16Range>();
    CheckPerAxis<Uint16Range>();
    CheckPerAxis<Int4Range>();
    CheckPerAxis<Uint4Range>();
  });
}

// Blocked shapes: last axis (inner 1) with blocks shorter and longer than a
// vector and a short last block, rows shorter and longer than a vector.
struct BlockedShape {
  size_t outer, axis_len, inner, block_size;
};
std::vector<BlockedShape> BlockedShapes() {
  std::vector<BlockedShape> shapes;
  for (const size_t inner : {1, 3, 16, 17, 40}) {
    for (const size_t axis_len : {1, 5, 32, 33, 100}) {
      for (const size_t block : {1, 2, 3, 16, 32, 64, 128}) {
        shapes.push_back({inner == 1 ? size_t{3} : size_t{2}, axis_len, inner, block});
      }
    }
  }
  return shapes;
}

size_t ParamCount(const BlockedShape& s) {
  return s.outer * ((s.axis_len + s.block_size - 1) / s.block_size) * s.inner;
}

template <class Range>
void CheckBlocked() {
  using T = typename Range::T;
  std::mt19937 rng(3);
  for (const BlockedShape& shape : BlockedShapes()) {
    for (const auto& offsets : kOffsets) {
      CAPTURE(shape.outer);
      CAPTURE(shape.axis_len);
      CAPTURE(shape.inner);
      CAPTURE(shape.block_size);
      std::vector<float> scales;
      std::vector<int32_t> zps;
      RandomParams<Range>(ParamCount(shape), rng, scales, zps);
      const onnx::BlockedParams params{scales.data(), zps.data(), shape.block_size};
      const size_t n = shape.outer * shape.axis_len * shape.inner;
      const std::vector<float> in = ShapeInputs(n, offsets[0], rng);
      std::vector<T> want = Guarded<T>(n, offsets[1]);
      std::vector<T> got = want;
      onnx::scalar::QuantizeBlocked<Range>(in.data() + offsets[0], shape.outer, shape.axis_len,
                                           shape.inner, params, want.data() + offsets[1]);
      Dispatched<Range>::Blocked(in.data() + offsets[0], shape.outer, shape.axis_len, shape.inner,
                                 params, got.data() + offsets[1]);
      REQUIRE(SameBits(got, want));
    }
  }
}

TEST_CASE("ONNX quantize blocked: every target equals the scalar kernel") {
  ForEachTarget([] {
    CheckBlocked<Int8Range>();
    CheckBlocked<Uint8Range>();
    CheckBlocked<Int16Range>();
    CheckBlocked<Uint16Range>();
    CheckBlocked<Int4Range>();
    CheckBlocked<Uint4Range>();
  });
}

// Dequantize of integers of Range held in T (4-bit ranges in bytes).
template <class Range>
void CheckDequantizeBlocked() {
  using T = typename Range::T;
  std::mt19937 rng(4);
  std::uniform_int_distribution<int32_t> value(Range::kMin, Range::kMax);
  for (const BlockedShape& shape : BlockedShapes()) {
    for (const auto& offsets : kOffsets) {
      CAPTURE(shape.outer);
      CAPTURE(shape.axis_len);
      CAPTURE(shape.inner);
      CAPTURE(shape.block_size);
      std::vector<float> scales;
      std::vector<int32_t> zps;
      RandomParams<Range>(ParamCount(shape), rng, scales, zps);
      const onnx::BlockedParams params{scales.data(), zps.data(), shape.block_size};
      const size_t n = shape.outer * shape.axis_len * shape.inner;
      std::vector<T> in(offsets[0] + n);
      for (T& q : in) q = static_cast<T>(value(rng));
      std::vector<float> want = Guarded<float>(n, offsets[1]);
      std::vector<float> got = want;
      onnx::scalar::DequantizeBlocked(in.data() + offsets[0], shape.outer, shape.axis_len,
                                      shape.inner, params, want.data() + offsets[1]);
      onnx::DequantizeBlocked(in.data() + offsets[0], shape.outer, shape.axis_len, shape.inner,
                              params, got.data() + offsets[1]);
      REQUIRE(SameBits(got, want));
    }
  }
}

TEST_CASE("ONNX dequantize blocked: every target equals the scalar kernel") {
  ForEachTarget([] {
    CheckDequantizeBlocked<Int8Range>();
    CheckDequantizeBlocked<Uint8Range>();
    CheckDequantizeBlocked<Int16Range>();
    CheckDequantizeBlocked<Uint16Range>();
    CheckDequantizeBlocked<Int4Range>();
    CheckDequantizeBlocked<Uint4Range>();
  });
}

// ONNX's (float)(q - zp) * scale with a float32 scale is qtensor's per-tensor
// formula written the same way, and its per-channel one,
// (float)((double)(q - zp) * scale): for |q - zp| < 2^17 and a 24-bit scale
// the double product is exact, so both round the exact product once.
template <class Range>
void CheckDequantizeFormulasAgree(std::mt19937& rng) {
  std::vector<float> scales = kScales;
  for (int k = 0; k < 20; ++k)
    scales.push_back(std::exp2(static_cast<float>(rng() % 280) - 150.0f));
  for (const float scale : scales) {
    for (const int32_t zp : ZeroPoints<Range>()) {
      for (int32_t q = Range::kMin; q <= Range::kMax; ++q) {
        const float ours = onnx::scalar::DequantizeValue(q, scale, zp);
        const float per_tensor = static_cast<float>(int64_t{q} - zp) * scale;
        const float per_channel = qk::scalar::DequantizeChannelValue(q, scale, zp);
        if (std::memcmp(&ours, &per_tensor, 4) != 0 || std::memcmp(&ours, &per_channel, 4) != 0) {
          CAPTURE(q);
          CAPTURE(zp);
          CAPTURE(scale);
          FAIL("dequantize formulas differ");
        }
      }
    }
  }
}

TEST_CASE("ONNX dequantize is qtensor's per-tensor and per-channel dequantize") {
  std::mt19937 rng(5);
  CheckDequantizeFormulasAgree<Int8Range>(rng);
  CheckDequantizeFormulasAgree<Uint8Range>(rng);
  CheckDequantizeFormulasAgree<Int16Range>(rng);
  CheckDequantizeFormulasAgree<Uint16Range>(rng);
}

}  // namespace

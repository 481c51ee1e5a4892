// Tests of the quantize kernels: the scalar kernels against hand-worked
// answers, and every Highway target compiled in (and supported by this CPU)
// against the scalar kernels, bit for bit, on random data, ties, saturation edges,
// NaN/inf, tails, unaligned pointers and per-channel shapes.

#include <doctest/doctest.h>
#include <hwy/targets.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "core/channel_tables.h"
#include "for_each_target.h"
#include "kernels/quantize_kernels.h"

namespace {

namespace qk = qtensor::kernels;
namespace scalar = qtensor::kernels::scalar;
// The kernels' per-channel parameters, made as the core makes them.
using qtensor::core::ChannelTables;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();

template <typename T>
uint64_t Bits(T v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  return bits;
}

// Per-channel quantize reads only inv_scales and zero_points: parameters for
// it from reciprocals the tests choose directly.
qk::ChannelParams QuantizeParams(const float* inv_scales, const int64_t* zero_points) {
  qk::ChannelParams params;
  params.inv_scales = inv_scales;
  params.zero_points = zero_points;
  return params;
}

template <typename T>
std::string Describe(T v) {
  char buf[64];
  if constexpr (std::is_floating_point_v<T>) {
    std::snprintf(buf, sizeof(buf), "%.9g (%a, bits 0x%llx)", static_cast<double>(v),
                  static_cast<double>(v), static_cast<unsigned long long>(Bits(v)));
  } else {
    std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(v));
  }
  return buf;
}

// Heap memory from a 64-byte aligned address and exactly `bytes` long, so
// that AddressSanitizer flags any access past its end.
class AlignedBytes {
 public:
  explicit AlignedBytes(size_t bytes) {
    void* p = nullptr;
    REQUIRE(posix_memalign(&p, 64, std::max<size_t>(bytes, 1)) == 0);
    ptr_.reset(static_cast<uint8_t*>(p));
  }
  uint8_t* get() const { return ptr_.get(); }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t, Free> ptr_;
};

// n input elements starting `offset` elements past an aligned address and
// ending where the allocation ends (reads past n are out of bounds).
template <typename T>
class Input {
 public:
  Input(const T* src, size_t n, size_t offset) : bytes_((offset + n) * sizeof(T)), offset_(offset) {
    if (n != 0) std::memcpy(data(), src, n * sizeof(T));
  }
  const T* data() const { return reinterpret_cast<const T*>(bytes_.get()) + offset_; }
  T* data() { return reinterpret_cast<T*>(bytes_.get()) + offset_; }

 private:
  AlignedBytes bytes_;
  size_t offset_;
};

// n output elements starting `offset` elements past an aligned address,
// surrounded by guard bytes that must survive the kernel.
template <typename T>
class Output {
 public:
  static constexpr uint8_t kGuard = 0xA5;
  static constexpr size_t kGuardBytes = 64;

  Output(size_t n, size_t offset)
      : n_(n), offset_(offset), size_((offset + n) * sizeof(T) + kGuardBytes), bytes_(size_) {
    std::memset(bytes_.get(), kGuard, size_);
  }
  T* data() const { return reinterpret_cast<T*>(bytes_.get()) + offset_; }

  bool GuardsIntact() const {
    const uint8_t* all = bytes_.get();
    const uint8_t* begin = reinterpret_cast<const uint8_t*>(data());
    const uint8_t* end = begin + n_ * sizeof(T);
    const auto is_guard = [](uint8_t b) { return b == kGuard; };
    return std::all_of(all, begin, is_guard) && std::all_of(end, all + size_, is_guard);
  }

 private:
  size_t n_, offset_, size_;
  AlignedBytes bytes_;
};

// Runs the scalar and the dispatched kernel over `src` (n elements, with
// the given pointer offsets) and requires the same bits and intact guards.
template <typename TIn, typename TOut, class Simd, class Scalar>
void CheckSame(const TIn* src, size_t n, size_t in_offset, size_t out_offset, const Simd& simd,
               const Scalar& scalar_kernel) {
  CAPTURE(n);
  CAPTURE(in_offset);
  CAPTURE(out_offset);
  const Input<TIn> in(src, n, in_offset);
  std::vector<TOut> expected(n);
  scalar_kernel(in.data(), expected.data());
  const Output<TOut> out(n, out_offset);
  simd(in.data(), out.data());
  REQUIRE(out.GuardsIntact());
  for (size_t i = 0; i < n; ++i) {
    if (Bits(out.data()[i]) != Bits(expected[i])) {
      INFO("index ", i, ": input ", Describe(src[i]), ", got ", Describe(out.data()[i]),
           ", expected ", Describe(expected[i]));
      FAIL("SIMD and scalar kernels differ");
    }
  }
}

// Lengths around every vector size (4, 8 and 16 floats on x86, and more for
// other targets), plus long ones.
std::vector<size_t> Lengths() {
  std::vector<size_t> lengths = {0, 1000, 4099};
  for (const size_t lanes : {1, 2, 4, 8, 16, 32, 64}) {
    for (const size_t n : {lanes - 1, lanes, lanes + 1, 3 * lanes + 5}) lengths.push_back(n);
  }
  std::sort(lengths.begin(), lengths.end());
  lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
  return lengths;
}

// Input and output pointer offsets, in elements from an aligned address.
constexpr size_t kOffsets[][2] = {{0, 0}, {1, 3}, {2, 1}, {3, 2}};

template <typename T>
constexpr int64_t kQMin = std::numeric_limits<T>::min();
template <typename T>
constexpr int64_t kQMax = std::numeric_limits<T>::max();

// Zero points at and near the dtype's extremes.
template <typename T>
std::vector<int64_t> ZeroPoints() {
  if constexpr (std::is_same_v<T, int8_t>) return {-128, -1, 0, 5, 127};
  if constexpr (std::is_same_v<T, uint8_t>) return {0, 1, 128, 254, 255};
  return {kI32Min, kI32Min + 1, -5, 0, 7, kI32Max - 1, kI32Max};
}

// Reciprocal scales: powers of two (so the edge and tie inputs below are
// exact), ordinary ones, and those of tiny and huge scales.
const std::vector<float> kInvScales = {
    1.0f,        0.5f,  4.0f,    0x1p-20f, 0x1p20f,
    1.0f / 3.0f, 0.1f,  10.0f,   1e-3f,    3e-7f,
    1e7f,        1e30f, FLT_MAX, 1e-38f,   std::numeric_limits<float>::denorm_min()};

// Floats that are special in themselves.
std::vector<float> SpecialFloats() {
  std::vector<float> v = {0.0f, -0.0f, kNaN, -kNaN, kInf, -kInf, FLT_MAX, -FLT_MAX, FLT_MIN,
                          -FLT_MIN, std::numeric_limits<float>::denorm_min(),
                          -std::numeric_limits<float>::denorm_min(), 1e30f, -1e30f,
                          // 0.5 - 2^-25: x + 0.5 rounds up to 1 in float
                          0.49999997f, -0.49999997f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 0.50000006f,
                          8388607.5f, 8388608.0f, 8388609.0f, 16777216.0f, 16777218.0f,
                          2147483520.0f, 2147483648.0f, -2147483648.0f, -2147483904.0f,
                          4294967040.0f, 4294967296.0f, -4294967296.0f, 0x1p53f, 0x1p62f, -0x1p62f,
                          0x1p63f, -0x1p63f, 0x1p64f, 127.5f, 128.5f, -128.5f, -129.5f, 255.5f,
                          256.5f};
  uint32_t nan_payload = 0x7FC12345u;  // a NaN with a payload
  float payload;
  std::memcpy(&payload, &nan_payload, 4);
  v.push_back(payload);
  nan_payload = 0xFF800001u;  // a signaling NaN
  std::memcpy(&payload, &nan_payload, 4);
  v.push_back(payload);
  return v;
}

// Random floats of every kind: small, log-uniform over the whole range, any
// bit pattern, half-integers.
std::vector<float> RandomFloats(size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> small(-300.0f, 300.0f);
  std::uniform_real_distribution<float> exponent(-150.0f, 128.0f);
  std::uniform_int_distribution<int> integer(-70000, 70000);
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) {
    switch (rng() % 4) {
      case 0:
        v[i] = small(rng);
        break;
      case 1:
        v[i] = std::exp2(exponent(rng)) * (rng() % 2 ? 1.0f : -1.0f);
        break;
      case 2: {
        const uint32_t bits = static_cast<uint32_t>(rng());
        std::memcpy(&v[i], &bits, 4);
        break;
      }
      default:
        v[i] = static_cast<float>(integer(rng)) + 0.5f;
    }
  }
  return v;
}

// Inputs x such that x * inv lands on ties and on and around the saturation
// edges of dtype T with zero point zp (exactly so for power-of-two inv).
template <typename T>
std::vector<float> EdgeFloats(float inv, int64_t zp) {
  std::vector<float> v;
  const double edges[] = {static_cast<double>(kQMin<T> - zp), static_cast<double>(kQMax<T> - zp),
                          0.0};
  const double deltas[] = {-1.5, -1.0, -0.5, -0.49999997, 0.0, 0.49999997, 0.5, 1.0, 1.5};
  for (const double edge : edges) {
    for (const double delta : deltas) {
      const float x = static_cast<float>((edge + delta) / inv);
      v.insert(v.end(), {x, std::nextafter(x, kInf), std::nextafter(x, -kInf)});
    }
  }
  for (int k = -6; k <= 6; ++k) v.push_back(static_cast<float>((k + 0.5) / inv));  // ties
  return v;
}

// ------------------------------------------------------------------ known answers

// The scalar and the dispatched kernels, behind one interface.
struct ScalarKernels {
  template <typename T>
  static T Quantize(float x, float inv, int64_t zp) {
    T q;
    scalar::QuantizePerTensor(&x, 1, inv, zp, &q);
    CHECK(Bits(q) == Bits(scalar::QuantizeValue<T>(x, inv, zp)));
    return q;
  }
  template <typename T>
  static float Dequantize(T q, float scale, int64_t zp) {
    float f;
    scalar::DequantizePerTensor(&q, 1, scale, zp, &f);
    return f;
  }
  template <typename T>
  static float DequantizeChannel(T q, double scale, int64_t zp) {
    float f;
    scalar::DequantizePerChannel(&q, 1, 1, 1, ChannelTables({scale}, {zp}).Params(), &f);
    return f;
  }
  template <typename T>
  static void QuantizeChannels(const float* in, size_t outer, size_t channels, size_t inner,
                               const float* inv, const int64_t* zp, T* out) {
    scalar::QuantizePerChannel(in, outer, channels, inner, QuantizeParams(inv, zp), out);
  }
};

struct Dispatched {
  template <typename T>
  static T Quantize(float x, float inv, int64_t zp) {
    T q;
    qk::QuantizePerTensor(&x, 1, inv, zp, &q);
    return q;
  }
  template <typename T>
  static float Dequantize(T q, float scale, int64_t zp) {
    float f;
    qk::DequantizePerTensor(&q, 1, scale, zp, &f);
    return f;
  }
  template <typename T>
  static float DequantizeChannel(T q, double scale, int64_t zp) {
    float f;
    qk::DequantizePerChannel(&q, 1, 1, 1, ChannelTables({scale}, {zp}).Params(), &f);
    return f;
  }
  template <typename T>
  static void QuantizeChannels(const float* in, size_t outer, size_t channels, size_t inner,
                               const float* inv, const int64_t* zp, T* out) {
    qk::QuantizePerChannel(in, outer, channels, inner, QuantizeParams(inv, zp), out);
  }
};

template <class Impl>
void CheckKnownAnswers() {
  // Round half to even, after x * inv in float.
  CHECK(Impl::template Quantize<int8_t>(2.5f, 1.0f, 0) == 2);
  CHECK(Impl::template Quantize<int8_t>(3.5f, 1.0f, 0) == 4);
  CHECK(Impl::template Quantize<int8_t>(-2.5f, 1.0f, 0) == -2);
  CHECK(Impl::template Quantize<int8_t>(-3.5f, 1.0f, 0) == -4);
  CHECK(Impl::template Quantize<int8_t>(0.5f, 1.0f, 0) == 0);
  CHECK(Impl::template Quantize<int8_t>(0.49999997f, 1.0f, 0) == 0);
  CHECK(Impl::template Quantize<int8_t>(-0.49999997f, 1.0f, 0) == 0);
  CHECK(Impl::template Quantize<int8_t>(0.50000006f, 1.0f, 0) == 1);
  CHECK(Impl::template Quantize<int8_t>(5.0f, 0.5f, 10) == 12);  // 2.5 -> 2, + 10
  CHECK(Impl::template Quantize<int8_t>(-0.0f, 1.0f, 3) == 3);
  // Saturation and specials.
  CHECK(Impl::template Quantize<int8_t>(127.5f, 1.0f, 0) == 127);
  CHECK(Impl::template Quantize<int8_t>(-128.5f, 1.0f, 0) == -128);
  CHECK(Impl::template Quantize<int8_t>(1e30f, 1.0f, 0) == 127);
  CHECK(Impl::template Quantize<int8_t>(-FLT_MAX, 1.0f, 0) == -128);
  CHECK(Impl::template Quantize<int8_t>(kInf, 1.0f, -128) == 127);
  CHECK(Impl::template Quantize<int8_t>(-kInf, 1.0f, 127) == -128);
  CHECK(Impl::template Quantize<int8_t>(kNaN, 1.0f, 0) == 0);
  CHECK(Impl::template Quantize<int8_t>(kNaN, 1.0f, 3) == 3);
  CHECK(Impl::template Quantize<int8_t>(1.0f, 1e-45f, -7) == -7);  // denormal inv
  CHECK(Impl::template Quantize<uint8_t>(1.0f, 1.0f, 255) == 255);
  CHECK(Impl::template Quantize<uint8_t>(-1.0f, 1.0f, 255) == 254);
  CHECK(Impl::template Quantize<uint8_t>(-255.0f, 1.0f, 255) == 0);
  CHECK(Impl::template Quantize<uint8_t>(-300.0f, 1.0f, 255) == 0);
  CHECK(Impl::template Quantize<uint8_t>(kNaN, 1.0f, 255) == 255);
  CHECK(Impl::template Quantize<uint8_t>(-0.6f, 1.0f, 0) == 0);
  CHECK(Impl::template Quantize<uint8_t>(254.5f, 1.0f, 0) == 254);
  CHECK(Impl::template Quantize<uint8_t>(255.5f, 1.0f, 0) == 255);
  // int32: the sum is exact, saturation happens after it.
  CHECK(Impl::template Quantize<int32_t>(100.5f, 1.0f, -5) == 95);
  CHECK(Impl::template Quantize<int32_t>(3e9f, 1.0f, -5) == kI32Max);
  CHECK(Impl::template Quantize<int32_t>(0x1p33f, 1.0f, -5) == kI32Max);
  CHECK(Impl::template Quantize<int32_t>(-3e9f, 1.0f, -5) == kI32Min);
  CHECK(Impl::template Quantize<int32_t>(4294967040.0f, 1.0f, kI32Min) == 2147483392);
  CHECK(Impl::template Quantize<int32_t>(4294967296.0f, 1.0f, kI32Min) == kI32Max);
  CHECK(Impl::template Quantize<int32_t>(-1.0f, 1.0f, kI32Min) == kI32Min);
  CHECK(Impl::template Quantize<int32_t>(kNaN, 1.0f, kI32Min) == kI32Min);
  CHECK(Impl::template Quantize<int32_t>(-3e9f, 1.0f, kI32Max) == -852516353);
  CHECK(Impl::template Quantize<int32_t>(-4294967040.0f, 1.0f, kI32Max) == -2147483393);
  CHECK(Impl::template Quantize<int32_t>(-4294967296.0f, 1.0f, kI32Max) == kI32Min);
  CHECK(Impl::template Quantize<int32_t>(2147483520.0f, 1.0f, 0) == 2147483520);
  CHECK(Impl::template Quantize<int32_t>(2147483648.0f, 1.0f, 0) == kI32Max);
  CHECK(Impl::template Quantize<int32_t>(123456792.0f, 1.0f, 0) == 123456792);
  CHECK(Impl::template Quantize<int32_t>(kInf, 1.0f, kI32Max) == kI32Max);
  CHECK(Impl::template Quantize<int32_t>(-kInf, 1.0f, kI32Min) == kI32Min);
  CHECK(Impl::template Quantize<int32_t>(0x1p70f, 1.0f, 0) == kI32Max);

  // Dequantize per tensor: (float)(q - zp) * scale.
  CHECK(Bits(Impl::Dequantize(int8_t{-128}, 1.0f, 127)) == Bits(-255.0f));
  CHECK(Bits(Impl::Dequantize(uint8_t{0}, 0.5f, 255)) == Bits(-127.5f));
  CHECK(Bits(Impl::Dequantize(int8_t{9}, 0.1f, 0)) == Bits(std::nextafter(0.9f, 1.0f)));
  CHECK(Bits(Impl::Dequantize(uint8_t{100}, FLT_MAX, 0)) == Bits(kInf));
  CHECK(Bits(Impl::Dequantize(kI32Max, 1.0f, kI32Min)) == Bits(4294967296.0f));
  CHECK(Bits(Impl::Dequantize(kI32Min, 1.0f, kI32Max)) == Bits(-4294967296.0f));
  CHECK(Bits(Impl::Dequantize(int32_t{16777219}, 1.0f, 0)) == Bits(16777220.0f));
  CHECK(Bits(Impl::Dequantize(int32_t{-16777219}, 1.0f, 0)) == Bits(-16777220.0f));
  CHECK(Bits(Impl::Dequantize(int32_t{1}, 1.0f, -16777216)) == Bits(16777216.0f));
  CHECK(Bits(Impl::Dequantize(int32_t{5}, 1.0f, 5)) == Bits(0.0f));

  // Dequantize per channel: (float)((double)(q - zp) * scale). For q = 9 and
  // scale 0.1 that is 0.9f, one ulp below 9.0f * 0.1f.
  CHECK(Bits(Impl::DequantizeChannel(int8_t{9}, 0.1, 0)) == Bits(0.9f));
  CHECK(Bits(Impl::DequantizeChannel(uint8_t{9}, 0.1, 0)) == Bits(0.9f));
  CHECK(Bits(Impl::DequantizeChannel(int32_t{9}, 0.1, 0)) == Bits(0.9f));
  CHECK(Bits(Impl::DequantizeChannel(kI32Max, 1.0, kI32Min)) == Bits(4294967296.0f));
  CHECK(Bits(Impl::DequantizeChannel(uint8_t{255}, 1e38, 0)) == Bits(kInf));
  CHECK(Bits(Impl::DequantizeChannel(int8_t{-128}, 1e38, 127)) == Bits(-kInf));
  // 2^128 - 2^103 is halfway between FLT_MAX and 2^128: rounds to even, to inf.
  CHECK(Bits(Impl::DequantizeChannel(int8_t{1}, 0x1.ffffffp127, 0)) == Bits(kInf));
  CHECK(Bits(Impl::DequantizeChannel(int8_t{-1}, 0x1.ffffffp127, 0)) == Bits(-kInf));
  CHECK(Bits(Impl::DequantizeChannel(int8_t{1}, 0x1.fffffefffffffp127, 0)) == Bits(FLT_MAX));
  CHECK(Bits(Impl::DequantizeChannel(int32_t{0}, 1e300, 0)) == Bits(0.0f));

  // Per channel quantize: element (o, c) uses channel c's parameters.
  const float in[] = {2.5f, 5.0f, 3.5f, 1e30f, kNaN, kNaN};
  const float inv[] = {1.0f, 0.5f};
  const int64_t zp[] = {0, 10};
  int8_t out[6];
  Impl::QuantizeChannels(in, 3, 2, 1, inv, zp, out);
  const int8_t expected[] = {2, 12, 4, 127, 0, 10};
  CHECK(std::equal(out, out + 6, expected));
}

TEST_CASE("scalar kernels give the hand-worked answers") { CheckKnownAnswers<ScalarKernels>(); }

TEST_CASE("every target gives the hand-worked answers") {
  ForEachTarget([] { CheckKnownAnswers<Dispatched>(); });
}

TEST_CASE("per-tensor and per-channel dequantize each keep their own formula") {
  // The same q, zp and scale through both paths differ by one ulp here.
  const float per_tensor = 9.0f * 0.1f;
  const float per_channel = static_cast<float>(9.0 * 0.1);
  REQUIRE(per_tensor != per_channel);
  ForEachTarget([&] {
    const int8_t q = 9;
    const double scale = 0.1;
    const int64_t zp = 0;
    float a, b;
    qk::DequantizePerTensor(&q, 1, static_cast<float>(scale), zp, &a);
    qk::DequantizePerChannel(&q, 1, 1, 1, ChannelTables({scale}, {zp}).Params(), &b);
    CHECK(Bits(a) == Bits(per_tensor));
    CHECK(Bits(b) == Bits(per_channel));
  });
}

TEST_CASE("empty inputs touch nothing") {
  ForEachTarget([] {
    qk::QuantizePerTensor(nullptr, 0, 1.0f, 0, static_cast<int8_t*>(nullptr));
    qk::DequantizePerTensor(static_cast<const int32_t*>(nullptr), 0, 1.0f, 0, nullptr);
    const float inv = 1.0f;
    const double scale = 1.0;
    const int64_t zp = 0;
    qk::QuantizePerChannel(nullptr, 0, 1, 4, QuantizeParams(&inv, &zp),
                           static_cast<uint8_t*>(nullptr));
    qk::QuantizePerChannel(nullptr, 3, 0, 4, qk::ChannelParams(), static_cast<int32_t*>(nullptr));
    qk::DequantizePerChannel(static_cast<const int8_t*>(nullptr), 3, 1, 0,
                             ChannelTables({scale}, {zp}).Params(), nullptr);
  });
}

// ------------------------------------------------------------------ SIMD == scalar

// Inputs for one (inv, zp): specials, edges and random values, shuffled.
template <typename T>
std::vector<float> QuantizeInputs(float inv, int64_t zp, std::mt19937& rng) {
  std::vector<float> v = SpecialFloats();
  const std::vector<float> edges = EdgeFloats<T>(inv, zp);
  const std::vector<float> random = RandomFloats(5000, rng);
  v.insert(v.end(), edges.begin(), edges.end());
  v.insert(v.end(), random.begin(), random.end());
  std::shuffle(v.begin(), v.end(), rng);
  return v;
}

TEST_CASE_TEMPLATE("QuantizePerTensor matches the scalar kernel", T, int8_t, uint8_t, int32_t) {
  std::mt19937 rng(1234);
  const std::vector<size_t> lengths = Lengths();
  ForEachTarget([&] {
    for (const float inv : kInvScales) {
      for (const int64_t zp : ZeroPoints<T>()) {
        CAPTURE(Describe(inv));
        CAPTURE(zp);
        const std::vector<float> inputs = QuantizeInputs<T>(inv, zp, rng);
        for (const size_t n : lengths) {
          for (const auto& offsets : kOffsets) {
            // Different windows, so that every kind of value meets the tails.
            const size_t start = (n * 7 + offsets[0] * 131) % (inputs.size() - n + 1);
            CheckSame<float, T>(
                inputs.data() + start, n, offsets[0], offsets[1],
                [&](const float* in, T* out) { qk::QuantizePerTensor(in, n, inv, zp, out); },
                [&](const float* in, T* out) { scalar::QuantizePerTensor(in, n, inv, zp, out); });
          }
        }
      }
    }
  });
}

// int32 results computed in int32 where every lane's rounded value and the
// zero point are within 2^30 (the shortcut), next to vectors just past that
// bound or with a zero point past it (the f64 formula): runs of values of
// one size class, so that whole vectors take each path.
TEST_CASE("QuantizePerTensor int32: the int32 shortcut and its bounds match the scalar kernel") {
  std::mt19937 rng(4321);
  const float bound = 0x1p30f;
  std::vector<float> inputs;
  std::uniform_real_distribution<float> inside(-bound, bound);
  std::uniform_int_distribution<int32_t> half_integers(-4000, 4000);
  for (int run = 0; run < 64; ++run) {
    for (int i = 0; i < 61; ++i) {
      switch (run % 4) {
        case 0:
          inputs.push_back(inside(rng));
          break;
        case 1:
          inputs.push_back(static_cast<float>(half_integers(rng)) + 0.5f);
          break;
        case 2:
          inputs.push_back(i % 2 ? bound : -bound);
          break;
        default:
          inputs.push_back(i % 3 ? std::nextafter(bound, 2 * bound) : inside(rng));
      }
    }
  }
  const int64_t big = int64_t{1} << 30;
  ForEachTarget([&] {
    for (const float inv : {1.0f, 0.5f, 1.0f / 3.0f, 2.0f}) {
      for (const int64_t zp : {int64_t{0}, int64_t{-7}, big, -big, big + 1, -big - 1,
                               int64_t{kI32Max}, int64_t{kI32Min}}) {
        CAPTURE(Describe(inv));
        CAPTURE(zp);
        for (const size_t n : {inputs.size(), size_t{61}, size_t{17}}) {
          for (const auto& offsets : kOffsets) {
            CheckSame<float, int32_t>(
                inputs.data(), n, offsets[0], offsets[1],
                [&](const float* in, int32_t* out) { qk::QuantizePerTensor(in, n, inv, zp, out); },
                [&](const float* in, int32_t* out) {
                  scalar::QuantizePerTensor(in, n, inv, zp, out);
                });
          }
        }
      }
    }
  });
}

// Stored integers: every 8-bit value, or int32 extremes, values whose
// difference to zero points needs 33 bits or rounds as a float, and random.
template <typename T>
std::vector<T> DequantizeInputs(std::mt19937& rng) {
  std::vector<T> v;
  if constexpr (sizeof(T) == 1) {
    for (int rep = 0; rep < 20; ++rep) {
      for (int64_t q = kQMin<T>; q <= kQMax<T>; ++q) v.push_back(static_cast<T>(q));
    }
  } else {
    v = {kI32Min, kI32Min + 1, -16777219, -16777217, -16777216, -1,         0,           1,      5,
         7,       16777216,    16777217,  16777219,  33554435,  2147483520, kI32Max - 1, kI32Max};
    std::uniform_int_distribution<int32_t> small(-100000, 100000);
    for (int i = 0; i < 5000; ++i) {
      v.push_back(i % 2 ? static_cast<int32_t>(rng()) : small(rng));
    }
  }
  std::shuffle(v.begin(), v.end(), rng);
  return v;
}

const std::vector<float> kScales = {
    1.0f,   0.5f,  0.1f,  3.0f,    1.0f / 3.0f, 1e-3f,
    1e-20f, 1e20f, 1e38f, FLT_MAX, FLT_MIN,     std::numeric_limits<float>::denorm_min()};

TEST_CASE_TEMPLATE("DequantizePerTensor matches the scalar kernel", T, int8_t, uint8_t, int32_t) {
  std::mt19937 rng(5678);
  const std::vector<size_t> lengths = Lengths();
  const std::vector<T> inputs = DequantizeInputs<T>(rng);
  ForEachTarget([&] {
    for (const float scale : kScales) {
      for (const int64_t zp : ZeroPoints<T>()) {
        CAPTURE(Describe(scale));
        CAPTURE(zp);
        for (const size_t n : lengths) {
          for (const auto& offsets : kOffsets) {
            const size_t start = (n * 7 + offsets[0] * 131) % (inputs.size() - n + 1);
            CheckSame<T, float>(
                inputs.data() + start, n, offsets[0], offsets[1],
                [&](const T* in, float* out) { qk::DequantizePerTensor(in, n, scale, zp, out); },
                [&](const T* in, float* out) {
                  scalar::DequantizePerTensor(in, n, scale, zp, out);
                });
          }
        }
      }
    }
  });
}

struct Shape {
  size_t outer, channels, inner;
};

// Channel axis last (inner 1), first (outer 1), alone (channels 1); short
// and long runs of a channel (the kernels switch strategy at 64, keep
// parameter patterns of up to 1024 elements on the stack, and take runs of
// a vector or more one by one when a pattern would serve fewer than 4
// rows); rows of a few elements up to a few thousand, many rows of a short
// one, and conv weights on their first axis ({1, 64, 27}).
const Shape kShapes[] = {
    {1, 64, 27},  {3, 40, 12},  {1, 1, 1},   {1, 1, 1000}, {3, 1, 37},   {1, 5, 1},   {1000, 3, 1},
    {5000, 3, 1}, {7, 16, 1},   {2, 300, 1}, {1, 2000, 1}, {2, 5000, 1}, {4, 3, 5},   {5, 7, 17},
    {3, 600, 3},  {2, 1500, 3}, {2, 70, 33}, {2, 4, 255},  {2, 3, 256},  {2, 2, 300}, {1, 9, 257},
    {3, 2, 1029}, {64, 1, 1},   {1, 64, 16}, {40, 9, 100}, {0, 3, 4},    {3, 0, 4},   {3, 4, 0},
    {3, 5, 63},   {3, 5, 64},   {4, 3, 7},   {2, 1023, 1}};

TEST_CASE_TEMPLATE("QuantizePerChannel matches the scalar kernel", T, int8_t, uint8_t, int32_t) {
  std::mt19937 rng(91011);
  const std::vector<float> specials = SpecialFloats();
  const std::vector<int64_t> zero_points = ZeroPoints<T>();
  ForEachTarget([&] {
    for (const Shape& shape : kShapes) {
      CAPTURE(shape.outer);
      CAPTURE(shape.channels);
      CAPTURE(shape.inner);
      std::vector<float> inv(shape.channels);
      std::vector<int64_t> zp(shape.channels);
      for (size_t c = 0; c < shape.channels; ++c) {
        inv[c] = kInvScales[rng() % kInvScales.size()];
        zp[c] = zero_points[rng() % zero_points.size()];
      }
      // Each element: random, special, or an edge or tie of its own channel.
      const size_t n = shape.outer * shape.channels * shape.inner;
      std::vector<float> in = RandomFloats(n, rng);
      for (size_t k = 0; k < n; ++k) {
        const size_t c = (k / std::max<size_t>(shape.inner, 1)) % shape.channels;
        if (rng() % 3 == 0) {
          const std::vector<float> edges = EdgeFloats<T>(inv[c], zp[c]);
          in[k] = edges[rng() % edges.size()];
        } else if (rng() % 4 == 0) {
          in[k] = specials[rng() % specials.size()];
        }
      }
      for (const size_t o : {0, 1}) {
        const size_t* offsets = kOffsets[o];
        const auto run = [&](auto quantize) {
          return [&, quantize](const float* x, T* q) {
            quantize(x, shape.outer, shape.channels, shape.inner,
                     QuantizeParams(inv.data(), zp.data()), q);
          };
        };
        CheckSame<float, T>(in.data(), n, offsets[0], offsets[1],
                            run([](auto... args) { qk::QuantizePerChannel(args...); }),
                            run([](auto... args) { scalar::QuantizePerChannel(args...); }));
      }
    }
  });
}

// Per-channel scales are doubles: ordinary ones, ones whose products round
// differently in float, and ones whose products overflow float (exactly at
// and just below the rounding threshold, too) or underflow it.
const std::vector<double> kChannelScales = {1.0,
                                            0.1,
                                            0.3,
                                            1.0 / 3.0,
                                            1e-3,
                                            2.5,
                                            1e-30,
                                            1e-300,
                                            5e-324,
                                            1e38,
                                            3e38,
                                            1e300,
                                            0x1.ffffffp127,
                                            0x1.fffffefffffffp127,
                                            0x1p-149,
                                            0x1.8p-150};

// Per-channel dequantize of `in`, laid out as `shape`: the dispatched kernel
// against the scalar kernel, at the pointer offsets kOffsets[o] for each o given.
template <typename T>
void CompareDequantizePerChannel(const Shape& shape, const std::vector<T>& in,
                                 const std::vector<double>& scales, const std::vector<int64_t>& zp,
                                 std::initializer_list<size_t> offset_sets) {
  const ChannelTables tables(scales, zp);
  for (const size_t o : offset_sets) {
    const size_t* offsets = kOffsets[o];
    const auto run = [&](auto dequantize) {
      return [&, dequantize](const T* q, float* f) {
        dequantize(q, shape.outer, shape.channels, shape.inner, tables.Params(), f);
      };
    };
    CheckSame<T, float>(in.data(), in.size(), offsets[0], offsets[1],
                        run([](auto... args) { qk::DequantizePerChannel(args...); }),
                        run([](auto... args) { scalar::DequantizePerChannel(args...); }));
  }
}

// Per-channel dequantize over every shape, with scales drawn from `pool`.
template <typename T>
void CheckDequantizePerChannel(const std::vector<double>& pool, uint32_t seed) {
  std::mt19937 rng(seed);
  const std::vector<int64_t> zero_points = ZeroPoints<T>();
  const std::vector<T> values = DequantizeInputs<T>(rng);
  ForEachTarget([&] {
    for (const Shape& shape : kShapes) {
      CAPTURE(shape.outer);
      CAPTURE(shape.channels);
      CAPTURE(shape.inner);
      std::vector<double> scales(shape.channels);
      std::vector<int64_t> zp(shape.channels);
      for (size_t c = 0; c < shape.channels; ++c) {
        scales[c] = pool[rng() % pool.size()];
        zp[c] = zero_points[rng() % zero_points.size()];
      }
      std::vector<T> in(shape.outer * shape.channels * shape.inner);
      for (T& q : in) q = values[rng() % values.size()];
      CompareDequantizePerChannel(shape, in, scales, zp, {0, 3});
    }
  });
}

TEST_CASE_TEMPLATE("DequantizePerChannel matches the scalar kernel", T, int8_t, uint8_t, int32_t) {
  CheckDequantizePerChannel<T>(kChannelScales, 121314);
}

// Scales that are all float32 values take another path for 8-bit values
// (the per-tensor arithmetic, exact there): ordinary, tiny, subnormal and
// huge ones, whose products round, underflow or overflow float.
const std::vector<double> kFloatChannelScales = {1.0,     0.1f,     0.3f,    1.0f / 3.0f, 1e-3f,
                                                 2.5,     1e-30f,   1e38f,   3e38f,       FLT_MAX,
                                                 FLT_MIN, 0x1p-149, 0x1p-140};

TEST_CASE_TEMPLATE("DequantizePerChannel with float32 scales matches the scalar kernel", T, int8_t,
                   uint8_t, int32_t) {
  CheckDequantizePerChannel<T>(kFloatChannelScales, 151617);
}

// The float path of int32 per-channel dequantize (float32 scales, zero
// points within 2^23) checks every vector, or a column of rows at once, for
// values beyond 2^23 and takes the exact formula for those. Mostly values in
// range, then, with one beyond it here and there, on every shape (and on
// outputs large enough to be streamed).
std::vector<int32_t> MostlyInFloatRange(size_t n, std::mt19937& rng) {
  constexpr int32_t kEdge = 1 << 23;
  const std::vector<int32_t> edges = {-kEdge, -kEdge + 1, kEdge - 1, 0, -1, 1};
  const std::vector<int32_t> beyond = {kEdge, -kEdge - 1, 16777217, kI32Min, kI32Max};
  std::uniform_int_distribution<int32_t> in_range(-kEdge, kEdge - 1);
  std::vector<int32_t> v(n);
  for (int32_t& q : v) {
    const uint32_t pick = rng() % 64;
    q = pick == 0  ? beyond[rng() % beyond.size()]
        : pick < 4 ? edges[rng() % edges.size()]
                   : in_range(rng);
  }
  return v;
}

void CheckInt32FloatPath(const Shape& shape, std::mt19937& rng) {
  CAPTURE(shape.outer);
  CAPTURE(shape.channels);
  CAPTURE(shape.inner);
  const std::vector<int64_t> small_zero_points = {-(1 << 23), -5, 0, 7, (1 << 23) - 1};
  std::vector<double> scales(shape.channels);
  std::vector<int64_t> zp(shape.channels);
  for (size_t c = 0; c < shape.channels; ++c) {
    scales[c] = kFloatChannelScales[rng() % kFloatChannelScales.size()];
    zp[c] = small_zero_points[rng() % small_zero_points.size()];
  }
  const std::vector<int32_t> in =
      MostlyInFloatRange(shape.outer * shape.channels * shape.inner, rng);
  CompareDequantizePerChannel(shape, in, scales, zp, {0, 1});
}

TEST_CASE("int32 per-channel dequantize in float takes the exact formula beyond 2^23") {
  std::mt19937 rng(222324);
  ForEachTarget([&] {
    for (const Shape& shape : kShapes) CheckInt32FloatPath(shape, rng);
    const size_t streamed = qk::kStreamBytes / sizeof(float) / 3 + 1001;
    CheckInt32FloatPath({1, 3, streamed}, rng);
    CheckInt32FloatPath({streamed, 3, 1}, rng);
  });
}

// ------------------------------------------------------------------ large outputs

// Outputs of kStreamBytes or more are written with non-temporal stores,
// after a head that aligns them: each kernel over such an output, aligned
// and not, per tensor and per channel (long runs and lane patterns).
template <typename T>
std::vector<T> Tile(const std::vector<T>& pool, size_t n) {
  std::vector<T> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = pool[(i * 7919) % pool.size()];
  return v;
}

TEST_CASE_TEMPLATE("outputs of kStreamBytes and more match the scalar kernels", T, int8_t, uint8_t,
                   int32_t) {
  std::mt19937 rng(181920);
  const float inv = 0.37f;
  const int64_t zp = ZeroPoints<T>()[2];
  // Quantize writes n T, dequantize n floats: each just over the limit.
  const size_t n_quantize = qk::kStreamBytes / sizeof(T) + 1001;
  const size_t n_dequantize = qk::kStreamBytes / sizeof(float) + 1001;
  const std::vector<float> floats = Tile(QuantizeInputs<T>(inv, zp, rng), n_quantize);
  const std::vector<T> ints = Tile(DequantizeInputs<T>(rng), n_dequantize);
  const std::vector<float> inv_scales = {0.37f, 2.0f, 1e-3f};
  const std::vector<double> scales = {0.1, 0.25, 3.0};  // one not a float
  const std::vector<double> float_scales = {0.1f, 0.25, 3.0};
  const std::vector<int64_t> zps = {zp, ZeroPoints<T>()[0], ZeroPoints<T>()[4]};
  ForEachTarget([&] {
    for (const size_t o : {0, 1}) {
      const size_t* offsets = kOffsets[o];
      const size_t nq = n_quantize, nd = n_dequantize;
      CheckSame<float, T>(
          floats.data(), nq, offsets[0], offsets[1],
          [&](const float* x, T* q) { qk::QuantizePerTensor(x, nq, inv, zp, q); },
          [&](const float* x, T* q) { scalar::QuantizePerTensor(x, nq, inv, zp, q); });
      CheckSame<T, float>(
          ints.data(), nd, offsets[0], offsets[1],
          [&](const T* q, float* f) { qk::DequantizePerTensor(q, nd, 0.1f, zp, f); },
          [&](const T* q, float* f) { scalar::DequantizePerTensor(q, nd, 0.1f, zp, f); });
      // 3 channels first (long runs), then last (a lane pattern).
      for (const Shape& shape : {Shape{1, 3, nq / 3}, Shape{nq / 3, 3, 1}}) {
        CAPTURE(shape.inner);
        const size_t n = shape.outer * shape.channels * shape.inner;
        CheckSame<float, T>(
            floats.data(), n, offsets[0], offsets[1],
            [&](const float* x, T* q) {
              qk::QuantizePerChannel(x, shape.outer, 3, shape.inner,
                                     QuantizeParams(inv_scales.data(), zps.data()), q);
            },
            [&](const float* x, T* q) {
              scalar::QuantizePerChannel(x, shape.outer, 3, shape.inner,
                                         QuantizeParams(inv_scales.data(), zps.data()), q);
            });
      }
      for (const Shape& shape : {Shape{1, 3, nd / 3}, Shape{nd / 3, 3, 1}}) {
        for (const auto* channel_scales : {&scales, &float_scales}) {
          CAPTURE(shape.inner);
          CAPTURE((*channel_scales)[0]);
          const size_t n = shape.outer * shape.channels * shape.inner;
          const ChannelTables tables(*channel_scales, zps);
          CheckSame<T, float>(
              ints.data(), n, offsets[0], offsets[1],
              [&](const T* q, float* f) {
                qk::DequantizePerChannel(q, shape.outer, 3, shape.inner, tables.Params(), f);
              },
              [&](const T* q, float* f) {
                scalar::DequantizePerChannel(q, shape.outer, 3, shape.inner, tables.Params(), f);
              });
        }
      }
    }
  });
}

// Short channel runs in tensors of many channels (weights on their first
// axis) are visited run by run, each run's last vector overlapping the one
// before it, in outputs that do not stay in the caches (kColumnBytes, 256
// KiB: 270 000 elements exceed it even as 8-bit outputs); kShapes has small
// ones.
TEST_CASE_TEMPLATE("short runs of many channels match the scalar kernels", T, int8_t, uint8_t,
                   int32_t) {
  std::mt19937 rng(252627);
  const std::vector<int64_t> zero_points = ZeroPoints<T>();
  const std::vector<T> values = DequantizeInputs<T>(rng);
  const std::vector<float> floats = QuantizeInputs<T>(0.37f, zero_points[2], rng);
  ForEachTarget([&] {
    for (const Shape& shape : {Shape{1, 30000, 9}, Shape{2, 15000, 9}}) {
      CAPTURE(shape.outer);
      CAPTURE(shape.channels);
      const size_t n = shape.outer * shape.channels * shape.inner;
      std::vector<int64_t> zp(shape.channels);
      std::vector<float> inv(shape.channels);
      for (size_t c = 0; c < shape.channels; ++c) {
        zp[c] = zero_points[rng() % zero_points.size()];
        inv[c] = kInvScales[rng() % kInvScales.size()];
      }
      for (const auto* pool : {&kChannelScales, &kFloatChannelScales}) {
        std::vector<double> scales(shape.channels);
        for (double& scale : scales) scale = (*pool)[rng() % pool->size()];
        CompareDequantizePerChannel(shape, Tile(values, n), scales, zp, {0, 1});
      }
      const std::vector<float> x = Tile(floats, n);
      const qk::ChannelParams params = QuantizeParams(inv.data(), zp.data());
      CheckSame<float, T>(
          x.data(), n, 1, 3,
          [&](const float* in, T* q) {
            qk::QuantizePerChannel(in, shape.outer, shape.channels, shape.inner, params, q);
          },
          [&](const float* in, T* q) {
            scalar::QuantizePerChannel(in, shape.outer, shape.channels, shape.inner, params, q);
          });
    }
  });
}

}  // namespace

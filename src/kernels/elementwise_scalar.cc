// The scalar elementwise kernels: the definitions the SIMD ones are held to.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/elementwise_kernels.h"
#include "kernels/exp_formula_constants.h"

namespace qtensor::kernels::scalar {
namespace {

// 1 + e^t for t in [-20, 87], in exp_formula_constants.h's steps.
float OnePlusExp(float t) {
  const float k = t * kLog2e + kRoundMagic;
  const float n = k - kRoundMagic;
  const float r = (t - n * kLn2Hi) - n * kLn2Lo;
  float p = kExp6;
  p = p * r + kExp5;
  p = p * r + kExp4;
  p = p * r + kExp3;
  p = p * r + kExp2;
  const float e = r + (r * r) * p;
  uint32_t k_bits = 0;
  std::memcpy(&k_bits, &k, sizeof k);
  const uint32_t s_bits = (k_bits << 23) + kExponentOne;
  float s = 0.0f;
  std::memcpy(&s, &s_bits, sizeof s);
  const float se = s * e;
  return n >= kExactOnePlus ? s + (1.0f + se) : (1.0f + s) + se;
}

float Sigmoid(float x) {
  if (std::isnan(x)) return x;
  if (x < kSigmoidArgMin) return 0.0f;
  return 1.0f / OnePlusExp(std::max(std::min(-x, -kSigmoidArgMin), -kSigmoidArgMax));
}

float Tanh(float x) {
  if (std::isnan(x)) return x;
  const float a = std::fabs(x);
  float y = 0.0f;
  if (a < kTanhPolyBelow) {
    const float z = a * a;
    float p = kTanh11;
    p = p * z + kTanh9;
    p = p * z + kTanh7;
    p = p * z + kTanh5;
    p = p * z + kTanh3;
    y = a + a * (z * p);
  } else {
    const float m = std::min(a, kTanhArgMax);
    y = 1.0f - 2.0f / OnePlusExp(m + m);
  }
  return std::copysign(y, x);
}

template <typename T>
void Multiply(const T* a, int64_t za, const T* b, int64_t zb, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = CenteredProduct(static_cast<int64_t>(a[i]) - za, static_cast<int64_t>(b[i]) - zb);
  }
}

template <typename T>
void Clamp(const T* in, size_t n, T low, T high, T* out) {
  for (size_t i = 0; i < n; ++i) out[i] = std::min(std::max(in[i], low), high);
}

}  // namespace

// In int64 where it does not overflow (nearly every case; the 128-bit
// conversion is a slow library call), else in 128 bits.
float CenteredProduct(int64_t a, int64_t b) {
  int64_t product = 0;
  if (!__builtin_mul_overflow(a, b, &product)) return static_cast<float>(product);
  return static_cast<float>(static_cast<__int128>(a) * b);
}

void ClampIntegers(const int8_t* in, size_t n, int8_t low, int8_t high, int8_t* out) {
  Clamp(in, n, low, high, out);
}
void ClampIntegers(const uint8_t* in, size_t n, uint8_t low, uint8_t high, uint8_t* out) {
  Clamp(in, n, low, high, out);
}
void ClampIntegers(const int32_t* in, size_t n, int32_t low, int32_t high, int32_t* out) {
  Clamp(in, n, low, high, out);
}

void AddFloats(const float* a, const float* b, size_t n, bool relu, float* out) {
  for (size_t i = 0; i < n; ++i) {
    const float sum = a[i] + b[i];
    out[i] = relu ? (sum > 0.0f ? sum : 0.0f) : sum;
  }
}

void LeakyReluFloats(const float* in, size_t n, float slope, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = in[i] > 0.0f ? in[i] : in[i] * slope;
}

void HardswishFloats(const float* in, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) {
    const float x = in[i], t = x + 3.0f;
    const float c = t > 0.0f ? std::min(t, 6.0f) : 0.0f;
    out[i] = x * c / 6.0f;
  }
}

void SigmoidFloats(const float* in, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = Sigmoid(in[i]);
}

void TanhFloats(const float* in, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = Tanh(in[i]);
}

void MultiplyCentered(const int8_t* a, int64_t za, const int8_t* b, int64_t zb, size_t n,
                      float* out) {
  Multiply(a, za, b, zb, n, out);
}
void MultiplyCentered(const uint8_t* a, int64_t za, const uint8_t* b, int64_t zb, size_t n,
                      float* out) {
  Multiply(a, za, b, zb, n, out);
}
void MultiplyCentered(const int32_t* a, int64_t za, const int32_t* b, int64_t zb, size_t n,
                      float* out) {
  Multiply(a, za, b, zb, n, out);
}

}  // namespace qtensor::kernels::scalar

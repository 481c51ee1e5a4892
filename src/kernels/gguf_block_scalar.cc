// The scalar GGUF block kernels: the formulas of gguf_block_kernels.h one
// element at a time, what the SIMD kernels are held to.
#include <cmath>
#include <cstdint>

#include "kernels/gguf_block_kernels.h"
#include "kernels/half_float.h"

namespace qtensor::kernels::scalar {
int8_t X86FloatToInt8(float v) {
  int32_t i = INT32_MIN;                                          // x86's "integer indefinite"
  if (v >= -0x1p31f && v < 0x1p31f) i = static_cast<int32_t>(v);  // NaN fails both
  return static_cast<int8_t>(static_cast<uint8_t>(static_cast<uint32_t>(i) & 0xff));
}

int8_t QuantizeQ8_0Value(float x, float id) {
  const float v = std::round(x * id);
  if (std::isnan(v)) return 0;
  return static_cast<int8_t>(v < -128.0f ? -128.0f : v > 127.0f ? 127.0f : v);
}

uint8_t QuantizeQ4_0Value(float x, float id) {
  const float v = x * id + 8.5f;
  if (v >= 15.0f) return 15;
  return v > 0.0f ? static_cast<uint8_t>(v) : 0;  // NaN fails both tests
}

void QuantizeQ8_0(const float* in, size_t n, uint8_t* out) {
  for (size_t b = 0; b < n / kGgufBlock; ++b, out += kQ8_0BlockBytes) {
    const float* x = in + b * kGgufBlock;
    float amax = 0.0f;
    for (size_t j = 0; j < kGgufBlock; ++j) {
      const float a = std::fabs(x[j]);
      amax = amax > a ? amax : a;
    }
    const float d = amax / 127.0f;
    const float id = GgufInverseScale(d);
    StoreHalf(d, out);
    for (size_t j = 0; j < kGgufBlock; ++j) {
      out[2 + j] = static_cast<uint8_t>(X86FloatToInt8(std::round(x[j] * id)));
    }
  }
}

void QuantizeQ4_0(const float* in, size_t n, uint8_t* out) {
  for (size_t b = 0; b < n / kGgufBlock; ++b, out += kQ4_0BlockBytes) {
    const float* x = in + b * kGgufBlock;
    float amax = 0.0f, max = 0.0f;
    for (size_t j = 0; j < kGgufBlock; ++j) {
      if (amax < std::fabs(x[j])) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    const float d = max / -8.0f;
    const float id = GgufInverseScale(d);
    StoreHalf(d, out);
    uint8_t q[kGgufBlock];
    for (size_t j = 0; j < kGgufBlock; ++j) {
      const int8_t v = X86FloatToInt8(x[j] * id + 8.5f);
      q[j] = static_cast<uint8_t>(v < 15 ? v : 15);
    }
    for (size_t j = 0; j < kGgufBlock / 2; ++j) {
      out[2 + j] = static_cast<uint8_t>(q[j] | (q[j + 16] << 4));
    }
  }
}

void DequantizeQ8_0(const uint8_t* in, size_t n, float* out) {
  for (size_t b = 0; b < n / kGgufBlock; ++b, in += kQ8_0BlockBytes) {
    const float d = LoadHalf(in);
    for (size_t j = 0; j < kGgufBlock; ++j) {
      out[b * kGgufBlock + j] = static_cast<float>(static_cast<int8_t>(in[2 + j])) * d;
    }
  }
}

void DequantizeQ4_0(const uint8_t* in, size_t n, float* out) {
  for (size_t b = 0; b < n / kGgufBlock; ++b, in += kQ4_0BlockBytes) {
    const float d = LoadHalf(in);
    float* y = out + b * kGgufBlock;
    for (size_t j = 0; j < kGgufBlock / 2; ++j) {
      y[j] = static_cast<float>((in[2 + j] & 0x0f) - 8) * d;
      y[j + 16] = static_cast<float>((in[2 + j] >> 4) - 8) * d;
    }
  }
}

}  // namespace qtensor::kernels::scalar

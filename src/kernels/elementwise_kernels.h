// Elementwise kernels of the operators over contiguous arrays (src/ops):
// integer clamps and float sums. Like the quantize kernels they know only
// pointers, lengths and parameters, and each Highway target gives the bits
// of the scalar kernels below.
//
//   ClampIntegers: out[i] = min(max(in[i], low), high)   (high wins if low > high)
//   AddFloats:     out[i] = a[i] + b[i] in float32; with relu, then
//                  out[i] > 0 ? out[i] : 0 (NaN and -0 give +0)
//   MultiplyCentered: out[i] = (float)((a[i] - za) * (b[i] - zb)), the
//                  product exact in integers, rounded once to float32
//   LeakyReluFloats: out[i] = x > 0 ? x : x * slope          (x = in[i])
//   HardswishFloats: out[i] = x * c / 6 (left to right), where t = x + 3 and
//                  c = t > 0 ? min(t, 6) : 0 (so c is never NaN)
//   SigmoidFloats, TanhFloats: qtensor's float32 sigmoid and tanh, step by
//                  step as exp_formula_constants.h and docs/numerics.md write
//                  them (within 2 ulps of the true functions)
// out may be in (or a or b): each element is read before it is written.
#ifndef QTENSOR_KERNELS_ELEMENTWISE_KERNELS_H_
#define QTENSOR_KERNELS_ELEMENTWISE_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

void ClampIntegers(const int8_t* in, size_t n, int8_t low, int8_t high, int8_t* out);
void ClampIntegers(const uint8_t* in, size_t n, uint8_t low, uint8_t high, uint8_t* out);
void ClampIntegers(const int32_t* in, size_t n, int32_t low, int32_t high, int32_t* out);

void AddFloats(const float* a, const float* b, size_t n, bool relu, float* out);
void LeakyReluFloats(const float* in, size_t n, float slope, float* out);
void HardswishFloats(const float* in, size_t n, float* out);
void SigmoidFloats(const float* in, size_t n, float* out);
void TanhFloats(const float* in, size_t n, float* out);

void MultiplyCentered(const int8_t* a, int64_t za, const int8_t* b, int64_t zb, size_t n,
                      float* out);
void MultiplyCentered(const uint8_t* a, int64_t za, const uint8_t* b, int64_t zb, size_t n,
                      float* out);

namespace scalar {

// The exact product of two centred integers a - za and b - zb (each within
// +-(2^32 - 1)) rounded once to float32.
float CenteredProduct(int64_t a, int64_t b);
void MultiplyCentered(const int32_t* a, int64_t za, const int32_t* b, int64_t zb, size_t n,
                      float* out);

void ClampIntegers(const int8_t* in, size_t n, int8_t low, int8_t high, int8_t* out);
void ClampIntegers(const uint8_t* in, size_t n, uint8_t low, uint8_t high, uint8_t* out);
void ClampIntegers(const int32_t* in, size_t n, int32_t low, int32_t high, int32_t* out);

void AddFloats(const float* a, const float* b, size_t n, bool relu, float* out);
void LeakyReluFloats(const float* in, size_t n, float slope, float* out);
void HardswishFloats(const float* in, size_t n, float* out);
void SigmoidFloats(const float* in, size_t n, float* out);
void TanhFloats(const float* in, size_t n, float* out);

void MultiplyCentered(const int8_t* a, int64_t za, const int8_t* b, int64_t zb, size_t n,
                      float* out);
void MultiplyCentered(const uint8_t* a, int64_t za, const uint8_t* b, int64_t zb, size_t n,
                      float* out);

}  // namespace scalar
}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_ELEMENTWISE_KERNELS_H_

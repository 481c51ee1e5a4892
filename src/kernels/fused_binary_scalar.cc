// The scalar fused add / mul kernels: the scalar dequantize, AddFloats /
// MultiplyCentered and QuantizeValue formulas applied to one element at a
// time, the definition the SIMD kernels are held to.
#include <algorithm>

#include "kernels/elementwise_kernels.h"
#include "kernels/fused_binary_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::kernels::scalar {
namespace {

template <typename T>
void Add(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) {
  for (size_t i = 0; i < n; ++i) {
    float x = 0.0f, y = 0.0f, sum = 0.0f;
    DequantizePerTensor(a + i, 1, p.scale_a, p.zero_a, &x);
    DequantizePerTensor(b + i, 1, p.scale_b, p.zero_b, &y);
    AddFloats(&x, &y, 1, p.relu, &sum);
    out[i] = QuantizeValue<T>(sum, p.inv_scale, p.zero_out);
  }
}

template <typename T>
void Multiply(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) {
  for (size_t i = 0; i < n; ++i) {
    float product = 0.0f;
    MultiplyCentered(a + i, p.zero_a, b + i, p.zero_b, 1, &product);
    const T q = QuantizeValue<T>(product, p.inv_scale, p.zero_out);
    out[i] = p.relu ? std::max(q, static_cast<T>(p.zero_out)) : q;
  }
}

}  // namespace

void AddQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                  int8_t* out) {
  Add(a, b, n, p, out);
}
void AddQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                  uint8_t* out) {
  Add(a, b, n, p, out);
}
void AddQuantized(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                  int32_t* out) {
  Add(a, b, n, p, out);
}
void MultiplyQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                       int8_t* out) {
  Multiply(a, b, n, p, out);
}
void MultiplyQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                       uint8_t* out) {
  Multiply(a, b, n, p, out);
}
void MultiplyQuantized(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                       int32_t* out) {
  Multiply(a, b, n, p, out);
}

}  // namespace qtensor::kernels::scalar

// add and mul of two contiguous per-tensor arrays of one dtype (8-bit or
// int32) in one pass (no float buffers), with
// docs/numerics.md's formulas, element by element exactly those of the
// scalar kernels composed:
//
//   add: s = (float)(a - za) * sa + (float)(b - zb) * sb   (each op rounded)
//        relu: s = s > 0 ? s : 0;   out = QuantizeValue(s, inv_scale, zo)
//   mul: out = QuantizeValue((float)((a - za) * (b - zb)), multiplier, zo),
//        the product exact (scalar::CenteredProduct) and rounded once
//        relu: out = max(out, zo)
//
// The result has the inputs' dtype. Each Highway target gives these bits.
#ifndef QTENSOR_KERNELS_FUSED_BINARY_KERNELS_H_
#define QTENSOR_KERNELS_FUSED_BINARY_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

struct FusedBinaryParams {
  float scale_a = 1.0f, scale_b = 1.0f;  // add only
  int64_t zero_a = 0, zero_b = 0;
  float inv_scale = 1.0f;  // add: 1 / (float)scale; mul: the multiplier
  int64_t zero_out = 0;
  bool relu = false;
};

void AddQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                  int8_t* out);
void AddQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                  uint8_t* out);
void AddQuantized(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                  int32_t* out);
void MultiplyQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                       int8_t* out);
void MultiplyQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                       uint8_t* out);
void MultiplyQuantized(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                       int32_t* out);

namespace scalar {

void AddQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                  int8_t* out);
void AddQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                  uint8_t* out);
void AddQuantized(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                  int32_t* out);
void MultiplyQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                       int8_t* out);
void MultiplyQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                       uint8_t* out);
void MultiplyQuantized(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                       int32_t* out);

}  // namespace scalar
}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_FUSED_BINARY_KERNELS_H_

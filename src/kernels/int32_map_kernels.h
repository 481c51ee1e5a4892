// One pass from int32 values of one per-tensor quantizer to int32 values of
// another, through a float map: requantize, leaky relu, hardswish, sigmoid
// and tanh of qint32 tensors without float buffers. Element by element the result is the
// scalar kernels composed (quantize_kernels.h, elementwise_kernels.h):
//
//   x = (float)(q - zero_point) * scale          dequantize per tensor
//   y = x | LeakyReluFloats(x, slope) | HardswishFloats(x) | SigmoidFloats(x)
//       | TanhFloats(x)
//   out = quantize y with inv_scale, out_zero_point to int32
//
// out may equal in (each vector is read before it is written), not overlap
// it otherwise. Each Highway target gives these bits.
#ifndef QTENSOR_KERNELS_INT32_MAP_KERNELS_H_
#define QTENSOR_KERNELS_INT32_MAP_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

enum class Int32Map { kIdentity, kLeakyRelu, kHardswish, kSigmoid, kTanh };

struct Int32MapParams {
  float scale = 1.0f;
  int64_t zero_point = 0;  // within int32, as a qint32 zero point is
  Int32Map map = Int32Map::kIdentity;
  float slope = 0.0f;  // kLeakyRelu's
  float inv_scale = 1.0f;
  int64_t out_zero_point = 0;
};

void MapInt32(const int32_t* in, size_t n, const Int32MapParams& p, int32_t* out);

namespace scalar {
void MapInt32(const int32_t* in, size_t n, const Int32MapParams& p, int32_t* out);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_INT32_MAP_KERNELS_H_

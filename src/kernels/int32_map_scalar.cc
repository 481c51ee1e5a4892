// The scalar int32 map: the scalar kernels composed, a few elements at a time.
#include <algorithm>

#include "kernels/elementwise_kernels.h"
#include "kernels/int32_map_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::kernels::scalar {

void MapInt32(const int32_t* in, size_t n, const Int32MapParams& p, int32_t* out) {
  constexpr size_t kChunk = 64;
  float values[kChunk];
  for (size_t start = 0; start < n; start += kChunk) {
    const size_t count = std::min(kChunk, n - start);
    DequantizePerTensor(in + start, count, p.scale, p.zero_point, values);
    if (p.map == Int32Map::kLeakyRelu) LeakyReluFloats(values, count, p.slope, values);
    if (p.map == Int32Map::kHardswish) HardswishFloats(values, count, values);
    if (p.map == Int32Map::kSigmoid) SigmoidFloats(values, count, values);
    if (p.map == Int32Map::kTanh) TanhFloats(values, count, values);
    QuantizePerTensor(values, count, p.inv_scale, p.out_zero_point, out + start);
  }
}

}  // namespace qtensor::kernels::scalar

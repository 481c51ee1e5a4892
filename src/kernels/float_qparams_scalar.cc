// The scalar float-qparams kernels: float_qparams.h's value functions in
// order over the block.

#include <limits>

#include "kernels/float_qparams.h"
#include "kernels/float_qparams_kernels.h"

namespace qtensor::kernels::scalar {

template <typename T>
void QuantizeFloatQParamsBlock(const float* in, const ChannelBlock& b, const float* inv_scales,
                               const float* zero_points, T* out) {
  constexpr int64_t kMin = std::numeric_limits<T>::min(), kMax = std::numeric_limits<T>::max();
  ForEachChannelElement(b, [&](size_t k, size_t c) {
    out[k] = static_cast<T>(QuantizeFloatQParams(in[k], inv_scales[c], zero_points[c], kMin, kMax));
  });
}

template <typename T>
void DequantizeFloatQParamsBlock(const T* in, const ChannelBlock& b, const float* scales,
                                 const float* zero_points, float* out) {
  ForEachChannelElement(b, [&](size_t k, size_t c) {
    out[k] = DequantizeFloatQParams(in[k], scales[c], zero_points[c]);
  });
}

template void QuantizeFloatQParamsBlock<int8_t>(const float*, const ChannelBlock&, const float*,
                                                const float*, int8_t*);
template void QuantizeFloatQParamsBlock<uint8_t>(const float*, const ChannelBlock&, const float*,
                                                 const float*, uint8_t*);
template void DequantizeFloatQParamsBlock<int8_t>(const int8_t*, const ChannelBlock&, const float*,
                                                  const float*, float*);
template void DequantizeFloatQParamsBlock<uint8_t>(const uint8_t*, const ChannelBlock&,
                                                   const float*, const float*, float*);

}  // namespace qtensor::kernels::scalar

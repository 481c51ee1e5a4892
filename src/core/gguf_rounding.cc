#include "core/gguf_rounding.h"

#include "core/block_layout.h"
#include "core/view_walk.h"
#include "kernels/gguf_block_kernels.h"

namespace qtensor::core {

bool UsesGgufRounding(const Tensor& tensor) {
  return tensor.storage()->quantizer().rounding() == Rounding::kGguf;
}

uint8_t QuantizeGgufValue(DType dtype, float x, float d) {
  const float id = kernels::scalar::GgufInverseScale(d);
  if (dtype == DType::kQUInt4) return kernels::scalar::QuantizeQ4_0Value(x, id);
  return static_cast<uint8_t>(kernels::scalar::QuantizeQ8_0Value(x, id));
}

std::vector<uint8_t> QuantizeGguf(const Tensor& view, const float* in) {
  std::vector<uint8_t> out(static_cast<size_t>(view.numel()));
  const DType dtype = view.dtype();
  const Quantizer& quantizer = view.storage()->quantizer();
  if (quantizer.per_block()) {
    const BlockLayout layout(*view.storage());
    const kernels::ChannelParams p = quantizer.KernelParams();
    size_t k = 0;
    ForEachPosition(view, [&](int64_t position) {
      out[k] = QuantizeGgufValue(dtype, in[k], p.float_scales[layout.ParamOf(position)]);
      ++k;
    });
    return out;
  }
  const ElementParams params = view.Params();
  size_t k = 0;
  for (size_t o = 0; o < params.outer; ++o) {
    for (size_t c = 0; c < params.channels; ++c) {
      const float d = params.channel.float_scales[c];
      for (size_t i = 0; i < params.inner; ++i, ++k) out[k] = QuantizeGgufValue(dtype, in[k], d);
    }
  }
  return out;
}

}  // namespace qtensor::core

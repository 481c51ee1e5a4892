#include "core/gguf_rounding.h"

#include <algorithm>

#include "core/block_layout.h"
#include "core/element_parts.h"
#include "core/parallel.h"
#include "core/view_walk.h"
#include "kernels/gguf_rounding_kernels.h"

namespace qtensor::core {
namespace {

kernels::GgufValues ValuesOf(DType dtype) {
  return dtype == DType::kQUInt4 ? kernels::GgufValues::kQ4_0 : kernels::GgufValues::kQ8_0;
}

// The whole storage with blocks along its last axis: the kernel over parts
// of whole rows.
void QuantizeRowBlocks(kernels::GgufValues values, const BlockLayout& layout, const float* scales,
                       const float* in, uint8_t* out) {
  const auto rows = static_cast<size_t>(layout.outer()), size = static_cast<size_t>(layout.size());
  const auto blocks = static_cast<size_t>(layout.blocks());
  const size_t parts = PartsFor(rows * size, rows);
  RunParts(parts, [&](size_t k) {
    const size_t begin = Share(rows, k, parts), end = Share(rows, k + 1, parts);
    const kernels::BlockRows b{end - begin, size, static_cast<size_t>(layout.block_size())};
    kernels::QuantizeGgufBlockRows(values, in + begin * size, b, scales + begin * blocks,
                                   out + begin * size);
  });
}

}  // namespace

bool UsesGgufRounding(const Tensor& tensor) {
  return tensor.storage()->quantizer().rounding() == Rounding::kGguf;
}

uint8_t QuantizeGgufValue(DType dtype, float x, float d) {
  return kernels::scalar::QuantizeGgufValue(ValuesOf(dtype), x, d);
}

std::vector<uint8_t> QuantizeGguf(const Tensor& view, const float* in) {
  std::vector<uint8_t> out(static_cast<size_t>(view.numel()));
  const DType dtype = view.dtype();
  const kernels::GgufValues values = ValuesOf(dtype);
  const Quantizer& quantizer = view.storage()->quantizer();
  if (quantizer.per_block()) {
    const BlockLayout layout(*view.storage());
    const kernels::ChannelParams p = quantizer.KernelParams();
    if (InOwnLayout(view) && layout.inner() == 1) {
      QuantizeRowBlocks(values, layout, p.float_scales, in, out.data());
      return out;
    }
    size_t k = 0;
    ForEachPosition(view, [&](int64_t position) {
      out[k] = QuantizeGgufValue(dtype, in[k], p.float_scales[layout.ParamOf(position)]);
      ++k;
    });
    return out;
  }
  const ElementParams params = view.Params();
  ForEachPart(params, [&](size_t first, size_t outer, size_t c, size_t channels, size_t inner) {
    kernels::QuantizeGgufChannels(values, in + first, {outer, channels, inner},
                                  params.channel.float_scales + c, out.data() + first);
  });
  return out;
}

}  // namespace qtensor::core

#include "ops/lookup_table.h"

#include <vector>

#include "core/dtype.h"
#include "kernels/lookup_kernels.h"

namespace qtensor::ops {
namespace {

// Below this many elements the table (a 256-element MapInto) costs more
// than it saves.
constexpr int64_t kTableElements = 2048;

bool EightBitPerTensor(const core::Tensor& t) {
  return core::ElementSize(t.dtype()) == 1 && !t.Params().per_channel_arithmetic;
}

}  // namespace

bool TakesTable(const core::Tensor& dst, const core::Tensor& src) {
  return src.numel() >= kTableElements && EightBitPerTensor(src) && EightBitPerTensor(dst);
}

std::array<uint8_t, 256> BuildTable(const core::Tensor& dst, const core::Tensor& src,
                                    const core::FloatMap& map, const float* inverse_scale) {
  const core::Tensor every = core::Tensor::ForOverwrite({256}, src.EffectiveQuantizer());
  uint8_t* bytes = core::FirstElement(every);
  for (int k = 0; k < 256; ++k) bytes[k] = static_cast<uint8_t>(k);
  const core::Tensor mapped = core::Tensor::ForOverwrite({256}, dst.EffectiveQuantizer());
  core::MapInto(mapped, every, map, inverse_scale);
  std::array<uint8_t, 256> table;
  const uint8_t* out = core::FirstElement(mapped);
  for (int k = 0; k < 256; ++k) table[k] = out[k];
  return table;
}

void MapElements(const core::Tensor& dst, const core::Tensor& src, const core::FloatMap& map,
                 const float* inverse_scale) {
  if (!TakesTable(dst, src)) {
    core::MapInto(dst, src, map, inverse_scale);
    return;
  }
  const std::array<uint8_t, 256> table = BuildTable(dst, src, map, inverse_scale);
  const size_t n = static_cast<size_t>(src.numel());
  if (src.IsContiguous() && dst.IsContiguous() && src.storage() != dst.storage()) {
    kernels::LookupBytes(core::FirstElement(src), n, table.data(), core::FirstElement(dst));
    return;
  }
  // Other layouts, or one storage: src is read whole first, as MapInto does.
  std::vector<uint8_t> ints(n);
  core::IntRepr(src, ints.data());
  kernels::LookupBytes(ints.data(), n, table.data(), ints.data());
  core::WriteIntRepr(dst, ints.data());
}

}  // namespace qtensor::ops

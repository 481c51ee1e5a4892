#include "ops/lookup_table.h"

#include <vector>

#include "core/dtype.h"
#include "kernels/elementwise_kernels.h"
#include "kernels/lookup_kernels.h"

namespace qtensor::ops {
namespace {

// Below this many elements the table (a 256-element MapInto) costs more
// than it saves.
constexpr int64_t kTableElements = 2048;

bool EightBitPerTensor(const core::Tensor& t) {
  return (t.dtype() == core::DType::kQInt8 || t.dtype() == core::DType::kQUInt8) &&
         !t.Params().per_channel_arithmetic;
}

bool ContiguousInt32PerTensor(const core::Tensor& t) {
  return t.dtype() == core::DType::kQInt32 && t.IsContiguous() &&
         !t.Params().per_channel_arithmetic;
}

// Both contiguous qint32 per tensor, and one pass reads each element before
// writing it: separate storages, or the very same elements.
bool TakesInt32Pass(const core::Tensor& dst, const core::Tensor& src) {
  return ContiguousInt32PerTensor(src) && ContiguousInt32PerTensor(dst) &&
         (src.storage() != dst.storage() || src.offset() == dst.offset());
}

core::FloatMap FloatMapOf(const KnownMap& map) {
  switch (map.kind) {
    case kernels::Int32Map::kLeakyRelu:
      return [slope = map.slope](float* values, size_t count) {
        kernels::LeakyReluFloats(values, count, slope, values);
      };
    case kernels::Int32Map::kHardswish:
      return [](float* values, size_t count) { kernels::HardswishFloats(values, count, values); };
    case kernels::Int32Map::kSigmoid:
      return [](float* values, size_t count) { kernels::SigmoidFloats(values, count, values); };
    case kernels::Int32Map::kTanh:
      return [](float* values, size_t count) { kernels::TanhFloats(values, count, values); };
    case kernels::Int32Map::kIdentity:
      break;
  }
  return nullptr;
}

}  // namespace

bool TakesTable(const core::Tensor& dst, const core::Tensor& src) {
  return src.numel() >= kTableElements && EightBitPerTensor(src) && EightBitPerTensor(dst);
}

std::array<uint8_t, 256> BuildTable(const core::Tensor& dst, const core::Tensor& src,
                                    const core::FloatMap& map, const float* inverse_scale) {
  const core::Tensor every = core::Tensor::ForOverwrite({256}, src.EffectiveQuantizer());
  uint8_t* bytes = core::MutableFirstElement(every);
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
    kernels::LookupBytes(core::FirstElement(src), n, table.data(), core::MutableFirstElement(dst));
    return;
  }
  // Other layouts, or one storage: src is read whole first, as MapInto does.
  std::vector<uint8_t> ints(n);
  core::IntRepr(src, ints.data());
  kernels::LookupBytes(ints.data(), n, table.data(), ints.data());
  core::WriteIntRepr(dst, ints.data());
}

void MapElements(const core::Tensor& dst, const core::Tensor& src, const KnownMap& map,
                 const float* inverse_scale) {
  if (!TakesInt32Pass(dst, src) || src.numel() == 0) {
    MapElements(dst, src, FloatMapOf(map), inverse_scale);
    return;
  }
  const core::ElementParams in = src.Params(), out = dst.Params();
  kernels::Int32MapParams p;
  p.scale = in.channel.float_scales[0];
  p.zero_point = in.zero_point(0);
  p.map = map.kind;
  p.slope = map.slope;
  p.inv_scale = inverse_scale != nullptr ? *inverse_scale : out.channel.inv_scales[0];
  p.out_zero_point = out.zero_point(0);
  kernels::MapInt32(reinterpret_cast<const int32_t*>(core::FirstElement(src)),
                    static_cast<size_t>(src.numel()), p,
                    reinterpret_cast<int32_t*>(core::MutableFirstElement(dst)));
}

}  // namespace qtensor::ops

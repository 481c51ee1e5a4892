#include "core/block_quantize.h"

#include <algorithm>
#include <vector>

#include "core/block_layout.h"
#include "core/dtype_conversion.h"
#include "core/onnx_rounding.h"
#include "core/view_walk.h"
#include "kernels/onnx_quantize_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::core {
namespace {

bool InOwnLayout(const Tensor& view) {
  return view.IsWholeStorage() && view.shape() == view.storage()->shape();
}

BlockShape ShapeOf(const BlockLayout& layout) {
  return {static_cast<size_t>(layout.outer()), static_cast<size_t>(layout.size()),
          static_cast<size_t>(layout.inner())};
}

kernels::onnx::BlockedParams BlockedOf(const kernels::ChannelParams& p, const BlockLayout& layout) {
  // small_zero_points holds every zero point as int32 (any dtype's fit).
  return {p.float_scales, p.small_zero_points, static_cast<size_t>(layout.block_size())};
}

// PyTorch's rounding over the whole storage, one kernel call per block (a
// run of one parameter along the axis when the axis is innermost, else a
// block's rows, each element of a row with its own parameters).
template <typename T>
void QuantizeStorage(const float* in, const BlockLayout& layout, const kernels::ChannelParams& p,
                     T* out) {
  const int64_t size = layout.size(), inner = layout.inner(), bs = layout.block_size();
  for (int64_t o = 0; o < layout.outer(); ++o) {
    for (int64_t b = 0; b < layout.blocks(); ++b) {
      const int64_t first = b * bs, rows = std::min(bs, size - first);
      const int64_t at = (o * size + first) * inner;
      const auto param = static_cast<size_t>((o * layout.blocks() + b) * inner);
      if (inner == 1) {
        kernels::QuantizePerTensor(in + at, static_cast<size_t>(rows), p.inv_scales[param],
                                   p.zero_points[param], out + at);
      } else {
        kernels::QuantizePerChannel(in + at, static_cast<size_t>(rows), static_cast<size_t>(inner),
                                    1, p.From(param), out + at);
      }
    }
  }
}

}  // namespace

void DequantizeBlocks(const Tensor& view, const uint8_t* compute, float* out) {
  const BlockLayout layout(*view.storage());
  const kernels::ChannelParams p = view.storage()->quantizer().KernelParams();
  const bool own_layout = InOwnLayout(view);
  VisitComputeType(view.dtype(), [&](auto t) {
    using T = decltype(t);
    const T* q = reinterpret_cast<const T*>(compute);
    if constexpr (sizeof(T) == 1) {
      if (own_layout) {
        const BlockShape b = ShapeOf(layout);
        kernels::onnx::DequantizeBlocked(q, b.outer, b.size, b.inner, BlockedOf(p, layout), out);
        return;
      }
    }
    size_t k = 0;
    ForEachPosition(view, [&](int64_t position) {
      const size_t j = layout.ParamOf(position);
      out[k] =
          static_cast<float>(static_cast<int64_t>(q[k]) - p.zero_points[j]) * p.float_scales[j];
      ++k;
    });
  });
}

void QuantizeBlocks(const Tensor& view, const float* in, uint8_t* int_repr) {
  const Quantizer& quantizer = view.storage()->quantizer();
  const BlockLayout layout(*view.storage());
  const kernels::ChannelParams p = quantizer.KernelParams();
  const DType dtype = view.dtype();
  const bool own_layout = InOwnLayout(view);
  if (quantizer.rounding() == Rounding::kOnnx) {
    if (own_layout) {
      QuantizeOnnxBlocked(in, ShapeOf(layout), BlockedOf(p, layout), dtype, int_repr);
      return;
    }
    const size_t width = ElementSize(dtype);
    size_t k = 0;
    ForEachPosition(view, [&](int64_t position) {
      ElementParams one;
      one.channel = p.From(layout.ParamOf(position));
      QuantizeOnnx(in + k, one, dtype, int_repr + k * width);
      ++k;
    });
    return;
  }
  const auto numel = static_cast<size_t>(view.numel());
  std::vector<uint8_t> compute(numel * ElementSize(ComputeDType(dtype)));
  VisitComputeType(dtype, [&](auto t) {
    using T = decltype(t);
    T* q = reinterpret_cast<T*>(compute.data());
    if (own_layout) {
      QuantizeStorage(in, layout, p, q);
      return;
    }
    size_t k = 0;
    ForEachPosition(view, [&](int64_t position) {
      const size_t j = layout.ParamOf(position);
      q[k] = kernels::scalar::QuantizeValue<T>(in[k], p.inv_scales[j], p.zero_points[j]);
      ++k;
    });
  });
  NarrowFromCompute(dtype, compute.data(), numel, int_repr);
}

}  // namespace qtensor::core

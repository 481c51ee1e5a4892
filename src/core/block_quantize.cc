#include "core/block_quantize.h"

#include <algorithm>
#include <vector>

#include "core/block_layout.h"
#include "core/dtype_conversion.h"
#include "core/onnx_rounding.h"
#include "core/view_walk.h"
#include "kernels/block_row_kernels.h"
#include "kernels/onnx_quantize_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::core {
namespace {

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

// Rows at a time for the row-block paths: about 16 KiB of one-byte values,
// which stay in the L1 cache between the kernel and the packing.
constexpr int64_t kChunkValues = int64_t{1} << 14;

// Calls run(first_row, rows, at) over the storage rows the tensor covers,
// in cache-sized runs, if it takes the row-block paths: it is whole
// consecutive rows of its storage in order (the whole storage, or a narrow
// of its first dim, as a loader reading a tensor in chunks makes), the
// blocks along the rows. at is the run's first element in the tensor.
template <class Run>
bool ForEachRowRun(const Tensor& tensor, const Run& run) {
  const BlockLayout layout(*tensor.storage());
  const int64_t size = layout.size();
  if (layout.inner() != 1 || ElementBits(tensor.dtype()) > 8 || tensor.numel() == 0 ||
      !tensor.IsContiguous() || tensor.offset() % size != 0 || tensor.numel() % size != 0) {
    return false;
  }
  const int64_t begin = tensor.offset() / size, end = begin + tensor.numel() / size;
  const int64_t step = std::max<int64_t>(1, kChunkValues / size);
  for (int64_t first = begin; first < end; first += step) {
    run(first, std::min(step, end - first), (first - begin) * size);
  }
  return true;
}

kernels::NibbleRounding NibbleRoundingOf(Rounding rounding) {
  switch (rounding) {
    case Rounding::kOnnx:
      return kernels::NibbleRounding::kOnnx;
    case Rounding::kGguf:
      return kernels::NibbleRounding::kGgufQ4_0;
    case Rounding::kPyTorch:
      break;
  }
  return kernels::NibbleRounding::kPyTorch;
}

// Whether rows of a 4-bit dtype go straight to and from their packed bytes:
// with rows and blocks of even lengths, every block starts at a byte.
bool PairsOfNibbles(DType dtype, int64_t size, int64_t block_size) {
  return IsPacked(dtype) && ElementBits(dtype) == 4 && size % 2 == 0 && block_size % 2 == 0;
}

}  // namespace

bool DequantizeRowBlocks(const Tensor& tensor, float* out) {
  const Storage& storage = *tensor.storage();
  const BlockLayout layout(storage);
  const kernels::ChannelParams p = storage.quantizer().KernelParams();
  const DType dtype = tensor.dtype();
  const int64_t size = layout.size(), blocks = layout.blocks();
  std::vector<uint8_t> values;
  const bool nibbles = PairsOfNibbles(dtype, size, layout.block_size());
  const bool stream = static_cast<size_t>(tensor.numel()) * sizeof(float) >= kernels::kStreamBytes;
  return ForEachRowRun(tensor, [&](int64_t first, int64_t rows, int64_t out_at) {
    const int64_t at = first * size, count = rows * size;
    const kernels::BlockRows b{static_cast<size_t>(rows), static_cast<size_t>(size),
                               static_cast<size_t>(layout.block_size())};
    const auto param = static_cast<size_t>(first * blocks);
    if (nibbles) {
      kernels::DequantizeNibbleBlockRows(storage.bytes() + at / 2, QMin(dtype) < 0, b,
                                         p.float_scales + param, p.small_zero_points + param,
                                         stream, out + out_at);
      return;
    }
    const uint8_t* ints = storage.bytes() + at;
    if (IsPacked(dtype)) {
      values.resize(static_cast<size_t>(count));
      UnpackElements(dtype, storage.bytes(), at, values.size(), values.data());
      ints = values.data();
    }
    kernels::DequantizeBlockRows(ints, QMin(dtype) < 0, b, p.float_scales + param,
                                 p.small_zero_points + param, stream, out + out_at);
  });
}

bool QuantizeRowBlocks(const Tensor& tensor, const float* in) {
  const Storage& storage = *tensor.storage();
  const Quantizer& quantizer = storage.quantizer();
  const BlockLayout layout(storage);
  const kernels::ChannelParams p = quantizer.KernelParams();
  const DType dtype = tensor.dtype();
  const int64_t size = layout.size(), blocks = layout.blocks();
  const auto qmin = static_cast<int32_t>(QMin(dtype)), qmax = static_cast<int32_t>(QMax(dtype));
  std::vector<uint8_t> values;
  uint8_t* bytes = tensor.storage()->mutable_bytes();
  const bool nibbles = PairsOfNibbles(dtype, size, layout.block_size());
  const kernels::NibbleRounding rounding = NibbleRoundingOf(quantizer.rounding());
  // GGUF's rounding has only its Q4_0 form here (quint4 storage).
  if (quantizer.rounding() == Rounding::kGguf && !nibbles) return false;
  const float* factors =
      rounding == kernels::NibbleRounding::kPyTorch ? p.inv_scales : p.float_scales;
  return ForEachRowRun(tensor, [&](int64_t first, int64_t rows, int64_t in_at) {
    const int64_t at = first * size, count = rows * size;
    const auto param = static_cast<size_t>(first * blocks);
    const auto block_size = static_cast<size_t>(layout.block_size());
    if (nibbles) {
      const kernels::BlockRows b{static_cast<size_t>(rows), static_cast<size_t>(size), block_size};
      kernels::QuantizeNibbleBlockRows(rounding, in + in_at, b, factors + param,
                                       p.small_zero_points + param, qmin, qmax, bytes + at / 2);
      return;
    }
    uint8_t* ints = bytes + at;
    if (IsPacked(dtype)) {
      values.resize(static_cast<size_t>(count));
      ints = values.data();
    }
    if (quantizer.rounding() == Rounding::kOnnx) {
      const BlockShape shape{static_cast<size_t>(rows), static_cast<size_t>(size), 1};
      QuantizeOnnxBlocked(in + in_at, shape,
                          {p.float_scales + param, p.small_zero_points + param, block_size}, dtype,
                          ints);
    } else {
      const kernels::BlockRows b{static_cast<size_t>(rows), static_cast<size_t>(size), block_size};
      kernels::QuantizeBlockRows(in + in_at, b, p.inv_scales + param, p.small_zero_points + param,
                                 qmin, qmax, ints);
    }
    if (IsPacked(dtype)) PackElements(dtype, values.data(), values.size(), bytes, at);
  });
}

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

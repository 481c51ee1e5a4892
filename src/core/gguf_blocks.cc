#include "core/gguf_blocks.h"

#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/print.h"
#include "core/shape.h"
#include "core/storage.h"
#include "core/tensor_ops.h"
#include "kernels/gguf_block_kernels.h"
#include "kernels/half_float.h"

namespace qtensor::core {
namespace {

constexpr int64_t kBlock = static_cast<int64_t>(kernels::kGgufBlock);

DType DTypeOf(GgufBlockType type) {
  return type == GgufBlockType::kQ4_0 ? DType::kQUInt4 : DType::kQInt8;
}

// The number of blocks of a tensor of this shape; throws for a shape that
// cannot hold GGUF blocks.
int64_t BlockCountOf(GgufBlockType type, const std::vector<int64_t>& shape) {
  const std::string what = std::string(GgufBlockTypeName(type)) + " blocks: ";
  if (shape.empty()) Fail(ErrorKind::kInvalidArgument, what + "a 0-dim tensor has no blocks");
  const int64_t numel = CheckedNumel(shape, DTypeOf(type));
  if (shape.back() % kBlock != 0) {
    Fail(ErrorKind::kInvalidArgument,
         what + "the last dim must be a multiple of 32, got " + std::to_string(shape.back()));
  }
  return numel / kBlock;
}

}  // namespace

const char* GgufBlockTypeName(GgufBlockType type) {
  return type == GgufBlockType::kQ4_0 ? "Q4_0" : "Q8_0";
}

bool IsGgufBlockType(int value) {
  return value == static_cast<int>(GgufBlockType::kQ4_0) ||
         value == static_cast<int>(GgufBlockType::kQ8_0);
}

size_t GgufBlockBytes(GgufBlockType type) {
  return type == GgufBlockType::kQ4_0 ? kernels::kQ4_0BlockBytes : kernels::kQ8_0BlockBytes;
}

Quantizer GgufQuantizer(GgufBlockType type, std::vector<double> scales) {
  const DType dtype = DTypeOf(type);
  std::vector<int64_t> zero_points(scales.size(), dtype == DType::kQUInt4 ? 8 : 0);
  return Quantizer::PerBlock(dtype, std::move(scales), std::move(zero_points), -1, kBlock,
                             {Rounding::kGguf, ScaleType::kFloat16});
}

Tensor TensorFromGgufBlocks(GgufBlockType type, const std::vector<int64_t>& shape,
                            const uint8_t* blocks) {
  const auto count = static_cast<size_t>(BlockCountOf(type, shape));
  const size_t block_bytes = GgufBlockBytes(type);
  std::vector<double> scales(count);
  std::vector<uint8_t> values(count * kernels::kGgufBlock);
  for (size_t b = 0; b < count; ++b) {
    const uint8_t* block = blocks + b * block_bytes;
    uint16_t bits = 0;
    std::memcpy(&bits, block, sizeof bits);
    const float d = kernels::HalfBitsToFloat(bits);
    if (!std::isfinite(d)) {
      Fail(ErrorKind::kInvalidArgument, std::string(GgufBlockTypeName(type)) + " block " +
                                            std::to_string(b) + " has a scale d of " +
                                            FormatPythonFloat(d) +
                                            ": qtensor holds finite block scales only");
    }
    scales[b] = d;
    uint8_t* out = values.data() + b * kernels::kGgufBlock;
    if (type == GgufBlockType::kQ8_0) {
      std::memcpy(out, block + 2, kernels::kGgufBlock);
    } else {
      for (size_t j = 0; j < kernels::kGgufBlock / 2; ++j) {
        out[j] = block[2 + j] & 0x0f;
        out[j + 16] = block[2 + j] >> 4;
      }
    }
  }
  return FromIntRepr(values.data(), values.size(), shape, GgufQuantizer(type, std::move(scales)));
}

std::optional<GgufBlockType> GgufBlockTypeOf(const Tensor& tensor, std::string* why_not) {
  const auto refuse = [&](const std::string& reason) -> std::optional<GgufBlockType> {
    if (why_not != nullptr) *why_not = reason;
    return std::nullopt;
  };
  if (tensor.ndim() == 0) return refuse("a 0-dim tensor has no blocks");
  const Quantizer q = tensor.EffectiveQuantizer().Resolved(tensor.shape());
  if (!q.per_block() || q.block_size() != kBlock ||
      q.axis() != static_cast<int64_t>(tensor.ndim()) - 1) {
    return refuse(
        "GGUF's Q8_0 and Q4_0 need a per-block quantizer with blocks of 32 along the "
        "last axis");
  }
  if (tensor.shape().back() % kBlock != 0) {
    return refuse("the last dim, " + std::to_string(tensor.shape().back()) +
                  ", is not a multiple of 32");
  }
  if (q.scale_type() != ScaleType::kFloat16) {
    return refuse(std::string("GGUF's block scales are float16, not ") +
                  ScaleTypeName(q.scale_type()));
  }
  const auto all_zero_points = [&](int64_t value) {
    for (const int64_t zero_point : q.zero_points()) {
      if (zero_point != value) return false;
    }
    return true;
  };
  if (q.dtype() == DType::kQInt8 && all_zero_points(0)) return GgufBlockType::kQ8_0;
  if (q.dtype() == DType::kQUInt4 && all_zero_points(8)) return GgufBlockType::kQ4_0;
  return refuse(std::string("GGUF's blocks are qint8 with zero points 0 (Q8_0) or quint4 with "
                            "zero points 8 (Q4_0), not ") +
                DTypeName(q.dtype()) + " with these zero points");
}

std::vector<uint8_t> GgufBlocksOf(const Tensor& tensor, GgufBlockType type) {
  const Quantizer q = tensor.EffectiveQuantizer();
  const size_t count = q.scales().size();
  std::vector<uint8_t> values(count * kernels::kGgufBlock);
  IntRepr(tensor, values.data());
  const size_t block_bytes = GgufBlockBytes(type);
  std::vector<uint8_t> blocks(count * block_bytes);
  for (size_t b = 0; b < count; ++b) {
    uint8_t* block = blocks.data() + b * block_bytes;
    // The scale is a float16 value (its scale type), so this is exact and
    // keeps -0.0.
    kernels::StoreHalf(static_cast<float>(q.scales()[b]), block);
    const uint8_t* in = values.data() + b * kernels::kGgufBlock;
    if (type == GgufBlockType::kQ8_0) {
      std::memcpy(block + 2, in, kernels::kGgufBlock);
    } else {
      for (size_t j = 0; j < kernels::kGgufBlock / 2; ++j) {
        block[2 + j] = static_cast<uint8_t>(in[j] | (in[j + 16] << 4));
      }
    }
  }
  return blocks;
}

Tensor QuantizeGgufBlocks(GgufBlockType type, const float* data,
                          const std::vector<int64_t>& shape) {
  const auto count = static_cast<size_t>(BlockCountOf(type, shape));
  std::vector<uint8_t> blocks(count * GgufBlockBytes(type));
  const size_t n = count * kernels::kGgufBlock;
  if (type == GgufBlockType::kQ8_0) {
    kernels::QuantizeQ8_0(data, n, blocks.data());
  } else {
    kernels::QuantizeQ4_0(data, n, blocks.data());
  }
  return TensorFromGgufBlocks(type, shape, blocks.data());
}

}  // namespace qtensor::core

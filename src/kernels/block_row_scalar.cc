#include <algorithm>
#include <vector>

#include "kernels/block_row_kernels.h"
#include "kernels/gguf_block_kernels.h"
#include "kernels/nibble_kernels.h"
#include "kernels/onnx_quantize_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::kernels::scalar {

namespace {

// PyTorch's rounding to qmin..qmax (block_row_kernels.h).
uint8_t QuantizeByteValue(float x, float inv_scale, int32_t zero_point, int32_t qmin,
                          int32_t qmax) {
  const int32_t q = QuantizeValue<int32_t>(x, inv_scale, zero_point);
  return static_cast<uint8_t>(std::clamp(q, qmin, qmax));
}

// One 4-bit value by the rule each rounding names (block_row_kernels.h).
uint8_t QuantizeNibbleValue(NibbleRounding rounding, float x, float factor, int32_t zero_point,
                            int32_t qmin, int32_t qmax) {
  switch (rounding) {
    case NibbleRounding::kOnnx:
      return qmin < 0 ? static_cast<uint8_t>(
                            onnx::scalar::QuantizeValue<onnx::Int4Range>(x, factor, zero_point))
                      : onnx::scalar::QuantizeValue<onnx::Uint4Range>(x, factor, zero_point);
    case NibbleRounding::kGgufQ4_0:
      return QuantizeQ4_0Value(x, GgufInverseScale(factor));
    case NibbleRounding::kPyTorch:
      break;
  }
  return QuantizeByteValue(x, factor, zero_point, qmin, qmax);
}

}  // namespace

void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    for (size_t i = first; i < first + count; ++i) {
      out[i] = QuantizeByteValue(in[i], inv_scales[p], zero_points[p], qmin, qmax);
    }
  });
}

void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, float* out) {
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    for (size_t i = first; i < first + count; ++i) {
      const int32_t q = is_signed ? int32_t{static_cast<int8_t>(in[i])} : int32_t{in[i]};
      out[i] = static_cast<float>(q - zero_points[p]) * scales[p];
    }
  });
}

// The value rules with the values unpacked, then packed, so each formula
// stays in one place.
void QuantizeNibbleBlockRows(NibbleRounding rounding, const float* in, const BlockRows& b,
                             const float* factors, const int32_t* zero_points, int32_t qmin,
                             int32_t qmax, uint8_t* packed) {
  std::vector<uint8_t> values(b.rows * b.size);
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t p = block.param;
    for (size_t i = block.first; i < block.first + block.count; ++i) {
      values[i] = QuantizeNibbleValue(rounding, in[i], factors[p], zero_points[p], qmin, qmax);
    }
  });
  scalar::PackNibbles(values.data(), values.size() / 2, packed);
}

void DequantizeNibbleBlockRows(const uint8_t* packed, bool is_signed, const BlockRows& b,
                               const float* scales, const int32_t* zero_points, float* out) {
  std::vector<uint8_t> values(b.rows * b.size);
  scalar::UnpackNibbles(packed, values.size() / 2, is_signed, values.data());
  scalar::DequantizeBlockRows(values.data(), is_signed, b, scales, zero_points, out);
}

}  // namespace qtensor::kernels::scalar

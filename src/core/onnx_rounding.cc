#include "core/onnx_rounding.h"

#include <stdexcept>

namespace qtensor::core {
namespace {

// ONNX's rounding (Rounding::kOnnx): int_repr values, per tensor or per
// channel; 4-bit values come one per byte.
template <typename T, bool kFourBit>
void QuantizeRowsOnnx(const float* in, const ElementParams& p, T* out) {
  namespace onnx = kernels::onnx;
  if (p.channels == 1) {
    const size_t n = p.outer * p.inner;
    const float scale = p.channel.float_scales[0];
    if constexpr (kFourBit) {
      onnx::QuantizePerTensor4Bit(in, n, scale, p.zero_point(0), out);
    } else {
      onnx::QuantizePerTensor(in, n, scale, p.zero_point(0), out);
    }
  } else if constexpr (kFourBit) {
    onnx::QuantizePerAxis4Bit(in, p.outer, p.channels, p.inner, p.channel, out);
  } else {
    onnx::QuantizePerAxis(in, p.outer, p.channels, p.inner, p.channel, out);
  }
}

template <typename T, bool kFourBit>
void QuantizeBlocksOnnx(const float* in, const BlockShape& b, const kernels::onnx::BlockedParams& p,
                        T* out) {
  if constexpr (kFourBit) {
    kernels::onnx::QuantizeBlocked4Bit(in, b.outer, b.size, b.inner, p, out);
  } else {
    kernels::onnx::QuantizeBlocked(in, b.outer, b.size, b.inner, p, out);
  }
}

}  // namespace

void QuantizeOnnx(const float* in, const ElementParams& p, DType dtype, uint8_t* out) {
  switch (dtype) {
    case DType::kQInt8:
      return QuantizeRowsOnnx<int8_t, false>(in, p, reinterpret_cast<int8_t*>(out));
    case DType::kQUInt8:
      return QuantizeRowsOnnx<uint8_t, false>(in, p, out);
    case DType::kQInt16:
      return QuantizeRowsOnnx<int16_t, false>(in, p, reinterpret_cast<int16_t*>(out));
    case DType::kQUInt16:
      return QuantizeRowsOnnx<uint16_t, false>(in, p, reinterpret_cast<uint16_t*>(out));
    case DType::kQInt4:
      return QuantizeRowsOnnx<int8_t, true>(in, p, reinterpret_cast<int8_t*>(out));
    case DType::kQUInt4:
      return QuantizeRowsOnnx<uint8_t, true>(in, p, out);
    default:
      throw std::logic_error("ONNX rounding of a dtype WithRounding refuses");
  }
}

void QuantizeOnnxBlocked(const float* in, const BlockShape& b,
                         const kernels::onnx::BlockedParams& p, DType dtype, uint8_t* out) {
  switch (dtype) {
    case DType::kQInt8:
      return QuantizeBlocksOnnx<int8_t, false>(in, b, p, reinterpret_cast<int8_t*>(out));
    case DType::kQUInt8:
      return QuantizeBlocksOnnx<uint8_t, false>(in, b, p, out);
    case DType::kQInt16:
      return QuantizeBlocksOnnx<int16_t, false>(in, b, p, reinterpret_cast<int16_t*>(out));
    case DType::kQUInt16:
      return QuantizeBlocksOnnx<uint16_t, false>(in, b, p, reinterpret_cast<uint16_t*>(out));
    case DType::kQInt4:
      return QuantizeBlocksOnnx<int8_t, true>(in, b, p, reinterpret_cast<int8_t*>(out));
    case DType::kQUInt4:
      return QuantizeBlocksOnnx<uint8_t, true>(in, b, p, out);
    default:
      throw std::logic_error("ONNX rounding of a dtype WithRounding refuses");
  }
}

}  // namespace qtensor::core

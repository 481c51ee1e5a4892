// Quantizing with ONNX's rounding (Rounding::kOnnx) into int_repr values
// (4-bit ones one per byte), for the dtypes Quantizer::WithRounding allows:
// the core's side of kernels/onnx_quantize_kernels.h.
#ifndef QTENSOR_CORE_ONNX_ROUNDING_H_
#define QTENSOR_CORE_ONNX_ROUNDING_H_

#include <cstddef>
#include <cstdint>

#include "core/dtype.h"
#include "core/tensor.h"
#include "kernels/onnx_quantize_kernels.h"

namespace qtensor::core {

// A contiguous block seen as [outer][size][inner] around its block axis.
struct BlockShape {
  size_t outer, size, inner;
};

// Per tensor or per channel, over p's [outer][channels][inner].
void QuantizeOnnx(const float* in, const ElementParams& p, DType dtype, uint8_t* out);
// Per block, parameters laid out [outer][blocks][inner].
void QuantizeOnnxBlocked(const float* in, const BlockShape& b,
                         const kernels::onnx::BlockedParams& p, DType dtype, uint8_t* out);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_ONNX_ROUNDING_H_

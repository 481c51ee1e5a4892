// Quantizing with GGUF's rounding (Rounding::kGguf) into int_repr values:
// llama.cpp's Q8_0 value formula for qint8 and Q4_0's for quint4, each
// element with its own scale d (kernels/gguf_block_kernels.h has the
// formulas). The zero points are the formats' own (0 and 8), which the
// quantizer checked.
#ifndef QTENSOR_CORE_GGUF_ROUNDING_H_
#define QTENSOR_CORE_GGUF_ROUNDING_H_

#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/tensor.h"

namespace qtensor::core {

bool UsesGgufRounding(const Tensor& tensor);

// One value with scale d: an int8 (qint8) or a nibble in [0, 15] (quint4).
uint8_t QuantizeGgufValue(DType dtype, float x, float d);

// The view's numel int_repr values (one per byte) for its row-major floats.
std::vector<uint8_t> QuantizeGguf(const Tensor& view, const float* in);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_GGUF_ROUNDING_H_

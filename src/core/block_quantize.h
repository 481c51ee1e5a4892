// Quantize and dequantize of views of per-block storages, each element with
// the parameters at its position (core/block_layout.h):
//   quantize:   the quantizer's rounding (PyTorch's or ONNX's), with the
//               element's block's scale and zero point;
//   dequantize: (float)(q - zp) * (float)scale, the per-tensor formula
//               (what ONNX's DequantizeLinear computes; PyTorch has no
//               blocks).
// The whole storage in its own layout takes the kernels; other views go
// element by element.
#ifndef QTENSOR_CORE_BLOCK_QUANTIZE_H_
#define QTENSOR_CORE_BLOCK_QUANTIZE_H_

#include <cstdint>

#include "core/tensor.h"

namespace qtensor::core {

// compute: the view's integers in their compute dtype's form, row-major.
void DequantizeBlocks(const Tensor& view, const uint8_t* compute, float* out);
// Writes the view's numel int_repr values (narrowed to its dtype) for the
// row-major floats in.
void QuantizeBlocks(const Tensor& view, const float* in, uint8_t* int_repr);

// The fast path of the two for the common layout: whole consecutive rows of
// the storage in order (the whole storage, or a narrow of its first dim),
// blocks along its last axis, values of one byte or less. A cache-sized run
// of rows at a time goes through the block-row kernels and the nibble
// packing (no full-size buffer). Quantize also takes GGUF's rounding for
// quint4 (Q4_0's values). False, doing nothing, for any other tensor.
bool DequantizeRowBlocks(const Tensor& tensor, float* out);
bool QuantizeRowBlocks(const Tensor& tensor, const float* in);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_BLOCK_QUANTIZE_H_

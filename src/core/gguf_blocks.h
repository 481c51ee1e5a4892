// GGUF's Q8_0 and Q4_0 blocks as qtensor tensors and back, losslessly.
//
// A GGUF tensor of ne = [n, rows...] (n a multiple of 32) is the qtensor
// tensor of shape (..., rows, n) whose quantizer is per block of 32 along
// the last axis, with each block's float16 d as its scale (bits kept, 0 and
// -0.0 and negative ones included) and GGUF rounding:
//   Q8_0: qint8, zero points 0, the block's 32 int8 values;
//   Q4_0: quint4, zero points 8, the block's 32 nibbles (GGUF keeps value j
//         in the low nibble of byte j and value j + 16 in its high nibble;
//         qtensor packs values in order, so the nibbles are reordered).
// Both dequantize to GGUF's (float)(q - zero_point) * d.
#ifndef QTENSOR_CORE_GGUF_BLOCKS_H_
#define QTENSOR_CORE_GGUF_BLOCKS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/quantizer.h"
#include "core/tensor.h"

namespace qtensor::core {

// ggml's type ids (the C ABI's qt_gguf_type).
enum class GgufBlockType { kQ4_0 = 2, kQ8_0 = 8 };

const char* GgufBlockTypeName(GgufBlockType type);  // "Q4_0", "Q8_0"
bool IsGgufBlockType(int value);
size_t GgufBlockBytes(GgufBlockType type);  // 18 and 34

// The quantizer of the blocks above, with these scales (one per block,
// rows first; each a finite float16 value).
Quantizer GgufQuantizer(GgufBlockType type, std::vector<double> scales);

// The tensor holding the blocks of a tensor of this shape (rank >= 1, the
// last dim a multiple of 32): numel / 32 blocks of GgufBlockBytes(type)
// bytes at blocks. Throws kInvalidArgument for another shape, and for a
// block whose d is infinite or NaN (a quantizer cannot hold it), naming the
// block.
Tensor TensorFromGgufBlocks(GgufBlockType type, const std::vector<int64_t>& shape,
                            const uint8_t* blocks);

// Which block type a tensor's values and parameters are, if any: per block
// of 32 along its last axis (the view's own quantizer, core/block_layout.h),
// float16 scales, the last dim a multiple of 32, and qint8 with zero points
// 0 (Q8_0) or quint4 with zero points 8 (Q4_0). Any rounding. Otherwise
// nullopt and why_not says what does not fit.
std::optional<GgufBlockType> GgufBlockTypeOf(const Tensor& tensor, std::string* why_not);

// The view's blocks (GgufBlockTypeOf must give type).
std::vector<uint8_t> GgufBlocksOf(const Tensor& tensor, GgufBlockType type);

// Floats quantized into blocks as llama.cpp's quantize_row_q8_0 /
// quantize_row_q4_0 do (kernels/gguf_block_kernels.h), as the tensor
// above. Throws as TensorFromGgufBlocks (a block of NaN, inf or values
// beyond float16's range gets a d qtensor cannot hold).
Tensor QuantizeGgufBlocks(GgufBlockType type, const float* data, const std::vector<int64_t>& shape);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_GGUF_BLOCKS_H_

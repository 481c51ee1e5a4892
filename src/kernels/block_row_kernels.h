// Per-block quantize and dequantize where the blocks run along rows (the
// last axis, as 4-bit weights and GGUF hold them), for values of one byte
// (int8 / uint8 bit patterns, the 4-bit dtypes' values one per byte):
//   quantize:   q = clamp(zp + nearbyint(x * inv_scale), qmin, qmax),
//               NaN -> zp (PyTorch's formula, quantize_kernels.h)
//   dequantize: (float)(q - zp) * scale
// each element with its block's parameters. Each Highway target gives the
// scalar kernel's results.
#ifndef QTENSOR_KERNELS_BLOCK_ROW_KERNELS_H_
#define QTENSOR_KERNELS_BLOCK_ROW_KERNELS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

// rows rows of size values, contiguous; each row's blocks of block_size
// values (the last possibly short) use parameters [row][block], laid out
// row-major: rows * ceil(size / block_size) of them.
struct BlockRows {
  size_t rows, size, block_size;
};

// Block k of row r of b: its first value, its length (the last of a row
// possibly short) and the index of its parameters.
struct Block {
  size_t first, count, param;
};

inline size_t BlocksPerRow(const BlockRows& b) {
  return (b.size + b.block_size - 1) / b.block_size;
}

inline Block BlockAt(const BlockRows& b, size_t r, size_t k, size_t blocks_per_row) {
  const size_t start = k * b.block_size;
  return {r * b.size + start, std::min(b.block_size, b.size - start), r * blocks_per_row + k};
}

// Calls run(block) for each block of b, in order. Always inlined, so that
// the SIMD kernels' run, compiled for their target, can inline too (a call
// per block cost up to half the time of blocks of 32).
template <class Run>
inline __attribute__((always_inline)) void ForEachRowBlock(const BlockRows& b, const Run& run) {
  const size_t blocks = BlocksPerRow(b);
  for (size_t r = 0; r < b.rows; ++r) {
    for (size_t k = 0; k < blocks; ++k) run(BlockAt(b, r, k, blocks));
  }
}

// qmin <= zero_points[p] <= qmax, within one byte's range (signed when
// qmin < 0).
void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out);
// stream: the caller writes kStreamBytes or more in all (over any number of
// calls), so whole vectors skip the cache where out is aligned for it; the
// values are the same either way.
void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, bool stream, float* out);

// Which of a quantizer's roundings a 4-bit quantize follows, and what its
// factors are (one per block):
//   kPyTorch:  inverse scales; the formula above;
//   kOnnx:     scales; onnx::scalar::QuantizeValue (x / scale, NaN -> qmin);
//   kGgufQ4_0: the scales d; scalar::QuantizeQ4_0Value with
//              id = GgufInverseScale(d) (gguf_block_kernels.h), giving 0..15
//              (the quint4 value; zero points and qmin..qmax unused).
enum class NibbleRounding { kPyTorch, kOnnx, kGgufQ4_0 };

// The same for 4-bit values packed two a byte, the first in the low nibble
// (quint4, qint4 and quint4x2 storage), where size and block_size are even
// (so every block starts at a byte): packed holds rows * size / 2 bytes.
// qmin..qmax is the 4-bit range; is_signed reads nibbles as int4.
void QuantizeNibbleBlockRows(NibbleRounding rounding, const float* in, const BlockRows& b,
                             const float* factors, const int32_t* zero_points, int32_t qmin,
                             int32_t qmax, uint8_t* packed);
void DequantizeNibbleBlockRows(const uint8_t* packed, bool is_signed, const BlockRows& b,
                               const float* scales, const int32_t* zero_points, bool stream,
                               float* out);

namespace scalar {
void QuantizeNibbleBlockRows(NibbleRounding rounding, const float* in, const BlockRows& b,
                             const float* factors, const int32_t* zero_points, int32_t qmin,
                             int32_t qmax, uint8_t* packed);
void DequantizeNibbleBlockRows(const uint8_t* packed, bool is_signed, const BlockRows& b,
                               const float* scales, const int32_t* zero_points, float* out);
void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out);
void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, float* out);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_BLOCK_ROW_KERNELS_H_

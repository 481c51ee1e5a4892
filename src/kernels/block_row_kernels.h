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

// Calls run(first, count, param) for each block of b, in order: its first
// value, its length and the index of its parameters.
template <class Run>
inline void ForEachBlock(const BlockRows& b, const Run& run) {
  const size_t blocks = (b.size + b.block_size - 1) / b.block_size;
  for (size_t r = 0; r < b.rows; ++r) {
    for (size_t k = 0; k < blocks; ++k) {
      const size_t start = k * b.block_size;
      run(r * b.size + start, std::min(b.block_size, b.size - start), r * blocks + k);
    }
  }
}

// qmin <= zero_points[p] <= qmax, within one byte's range (signed when
// qmin < 0).
void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out);
void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, float* out);

namespace scalar {
void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out);
void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, float* out);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_BLOCK_ROW_KERNELS_H_

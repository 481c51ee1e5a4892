// Quantized 2-D pooling as PyTorch 1.13 computes it on quantized tensors
// (torch.nn.quantized.functional.max_pool2d, avg_pool2d,
// adaptive_avg_pool2d); docs/numerics.md ("Pooling") gives the formulas.
#ifndef QTENSOR_OPS_POOL_H_
#define QTENSOR_OPS_POOL_H_

#include <array>
#include <cstdint>

#include "core/tensor.h"

namespace qtensor::ops {

// The window of max_pool2d and avg_pool2d, each pair (height, width).
struct PoolWindow {
  std::array<int64_t, 2> kernel{1, 1};
  std::array<int64_t, 2> stride{1, 1};
  std::array<int64_t, 2> padding{0, 0};
  std::array<int64_t, 2> dilation{1, 1};
  bool ceil_mode = false;
};

// Each function takes a (C, H, W) or (N, C, H, W) view, any strides, and
// returns a new contiguous tensor with the input's quantizer: per tensor,
// or per channel along N or C (each plane keeps its own parameters).
// Throws kInvalidArgument for another rank, a per-channel axis on H or W,
// H or W of 0, a kernel, stride or dilation below 1, a padding below 0 or
// above kernel / 2, an output size below 1, or a window that holds no
// input element (looked for only where the result has elements); the input
// is never written.

// The largest integer of each window (padding never wins).
core::Tensor MaxPool2d(const core::Tensor& input, const PoolWindow& window);

// The average of each window (dilation must be 1), rounded as PyTorch's
// NCHW kernel does. divisor_override 0 means none (PyTorch rejects 0).
core::Tensor AvgPool2d(const core::Tensor& input, const PoolWindow& window, bool count_include_pad,
                       int64_t divisor_override);

// The average over rows floor(i * H / out_h) .. ceil((i + 1) * H / out_h)
// and the same for columns; output sizes must be at least 1.
core::Tensor AdaptiveAvgPool2d(const core::Tensor& input, int64_t output_height,
                               int64_t output_width);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_POOL_H_

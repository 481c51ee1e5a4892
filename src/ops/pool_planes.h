// What the pooling operators share: the input seen as N * C planes of
// H x W integers read through its strides, each plane's zero point, the
// checks of the window, and torch's output size rule.
#ifndef QTENSOR_OPS_POOL_PLANES_H_
#define QTENSOR_OPS_POOL_PLANES_H_

#include <cstdint>
#include <vector>

#include "core/quantizer.h"
#include "core/tensor.h"
#include "ops/pool.h"

namespace qtensor::ops::pool {

// The input as planes; built by Planes(), which checks rank and quantizer.
struct PlaneLayout {
  explicit PlaneLayout(const core::Quantizer& q) : quantizer(q) {}

  int64_t batch = 1, channels = 1, height = 0, width = 0;
  // Strides in elements; batch_stride is 0 for a 3-D input.
  int64_t batch_stride = 0, channel_stride = 0, row_stride = 0, column_stride = 0;
  const uint8_t* first = nullptr;  // the element (0, 0, 0, 0)
  core::Quantizer quantizer;       // the input's and the output's
  // Per plane (n * channels + c), its zero point.
  std::vector<int64_t> zero_points;
  bool three_dims = false;
};

PlaneLayout Planes(const core::Tensor& input, const char* op);

// The output's shape: the input's with H and W replaced.
std::vector<int64_t> OutputShape(const PlaneLayout& planes, int64_t height, int64_t width);

// Checks the window (op names the operator in messages).
void CheckWindow(const PoolWindow& window, const char* op);

// torch's pooling_output_shape for one dim: floor or ceil of
// (size + 2 * padding - dilation * (kernel - 1) - 1) / stride, plus 1,
// less one where ceil_mode's last window would start past the input and
// its left padding. Throws for a result below 1.
int64_t PooledSize(int64_t size, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation,
                   bool ceil_mode, const char* op);

// The input rows (or columns) one output row's window reads: count taps
// from first, dilation apart; extent is the window's size clipped to the
// input and its padding (avg_pool2d's count_include_pad divisor).
struct Taps {
  int64_t first = 0, count = 0, extent = 0;
};

// The taps of each of `pooled` windows along a dim; throws for a window
// that reads no input element.
std::vector<Taps> WindowTaps(int64_t pooled, int64_t size, int64_t kernel, int64_t stride,
                             int64_t padding, int64_t dilation, const char* op);

}  // namespace qtensor::ops::pool

#endif  // QTENSOR_OPS_POOL_PLANES_H_

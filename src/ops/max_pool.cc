// max_pool2d: the largest integer of each window. A max of integers is the
// max of the values they stand for under one plane's parameters, so no
// arithmetic is needed and every engine of PyTorch agrees.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/dtype.h"
#include "ops/computable.h"
#include "ops/pool.h"
#include "ops/pool_planes.h"

namespace qtensor::ops {
namespace {

template <typename T>
void MaxPlanes(const pool::PlaneLayout& in, const std::vector<pool::Taps>& rows,
               const std::vector<pool::Taps>& cols, int64_t row_step, int64_t col_step, T* out) {
  const T* base = reinterpret_cast<const T*>(in.first);
  const int64_t row_stride = in.row_stride * row_step, col_stride = in.column_stride * col_step;
  for (int64_t n = 0; n < in.batch; ++n) {
    for (int64_t c = 0; c < in.channels; ++c) {
      const T* plane = base + n * in.batch_stride + c * in.channel_stride;
      for (const pool::Taps& r : rows) {
        const T* row0 = plane + r.first * in.row_stride;
        for (const pool::Taps& w : cols) {
          const T* tap0 = row0 + w.first * in.column_stride;
          T best = std::numeric_limits<T>::lowest();
          for (int64_t i = 0; i < r.count; ++i) {
            const T* tap = tap0 + i * row_stride;
            for (int64_t j = 0; j < w.count; ++j) best = std::max(best, tap[j * col_stride]);
          }
          *out++ = best;
        }
      }
    }
  }
}

}  // namespace

core::Tensor MaxPool2d(const core::Tensor& input, const PoolWindow& window) {
  RequireComputable(input, "max_pool2d");
  const char* op = "max_pool2d";
  pool::CheckWindow(window, op);
  const pool::PlaneLayout in = pool::Planes(input, op);
  const int64_t height =
      pool::PooledSize(in.height, window.kernel[0], window.stride[0], window.padding[0],
                       window.dilation[0], window.ceil_mode, op);
  const int64_t width =
      pool::PooledSize(in.width, window.kernel[1], window.stride[1], window.padding[1],
                       window.dilation[1], window.ceil_mode, op);
  // The result first: its size is checked before tables of its rows and
  // columns are built.
  core::Tensor result =
      core::Tensor::ForOverwrite(pool::OutputShape(in, height, width), in.quantizer);
  if (result.numel() == 0) return result;
  const std::vector<pool::Taps> rows =
      pool::WindowTaps(height, in.height, window.kernel[0], window.stride[0], window.padding[0],
                       window.dilation[0], op);
  const std::vector<pool::Taps> cols =
      pool::WindowTaps(width, in.width, window.kernel[1], window.stride[1], window.padding[1],
                       window.dilation[1], op);
  core::VisitDType(input.dtype(), [&](auto t) {
    using T = decltype(t);
    MaxPlanes(in, rows, cols, window.dilation[0], window.dilation[1],
              reinterpret_cast<T*>(result.storage()->mutable_bytes()));
  });
  return result;
}

}  // namespace qtensor::ops

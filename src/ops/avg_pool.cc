// avg_pool2d and adaptive_avg_pool2d with the rounding of PyTorch 1.13's
// NCHW kernels (avg_pool2d_out_frame, adaptive_avg_pool_single_out_frame);
// docs/numerics.md ("Pooling") states both formulas.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"
#include "ops/computable.h"
#include "ops/pool.h"
#include "ops/pool_planes.h"

namespace qtensor::ops {
namespace {

// The integer nearest to value (ties to even), saturated to T's range.
template <typename T>
T RoundToInteger(float value) {
  // Below 2^22 in magnitude, adding and taking away 1.5 * 2^23 rounds to an
  // integer, ties to even, as nearbyint does, without a call into libm.
  constexpr float kShifter = 12582912.0f, kExactBelow = 4194304.0f;
  const float rounded =
      std::fabs(value) < kExactBelow ? (value + kShifter) - kShifter : std::nearbyint(value);
  if (!(rounded > static_cast<float>(std::numeric_limits<T>::lowest()))) {
    return std::numeric_limits<T>::lowest();
  }
  if (rounded >= static_cast<float>(std::numeric_limits<T>::max())) {
    return std::numeric_limits<T>::max();
  }
  return static_cast<T>(rounded);
}

template <typename T>
int64_t WindowSum(const T* first, int64_t rows, int64_t cols, int64_t row_stride,
                  int64_t col_stride) {
  int64_t sum = 0;
  for (int64_t i = 0; i < rows; ++i) {
    const T* row = first + i * row_stride;
    for (int64_t j = 0; j < cols; ++j) sum += row[j * col_stride];
  }
  return sum;
}

struct AvgOptions {
  bool count_include_pad = true;
  int64_t divisor_override = 0;  // 0: none
};

// round(float(sum - size * zp) * float(1.0 / divisor) + float(zp)), all in
// float32 as PyTorch's kernel does. Each window's size and multiplier is the
// same in every plane: computed once.
template <typename T>
void AvgPlanes(const pool::PlaneLayout& in, const std::vector<pool::Taps>& rows,
               const std::vector<pool::Taps>& cols, const AvgOptions& options, T* out) {
  std::vector<int64_t> sizes;
  std::vector<float> multipliers;
  sizes.reserve(rows.size() * cols.size());
  multipliers.reserve(rows.size() * cols.size());
  for (const pool::Taps& r : rows) {
    for (const pool::Taps& w : cols) {
      const int64_t size = r.count * w.count;
      const int64_t divisor = options.divisor_override != 0 ? options.divisor_override
                              : options.count_include_pad   ? r.extent * w.extent
                                                            : size;
      sizes.push_back(size);
      multipliers.push_back(static_cast<float>(1.0 / static_cast<double>(divisor)));
    }
  }
  const T* base = reinterpret_cast<const T*>(in.first);
  for (int64_t n = 0; n < in.batch; ++n) {
    for (int64_t c = 0; c < in.channels; ++c) {
      const T* plane = base + n * in.batch_stride + c * in.channel_stride;
      const int64_t zero_point = in.zero_points[n * in.channels + c];
      const float zero = static_cast<float>(zero_point);
      size_t k = 0;
      for (const pool::Taps& r : rows) {
        const T* row0 = plane + r.first * in.row_stride;
        for (const pool::Taps& w : cols) {
          const int64_t sum = WindowSum(row0 + w.first * in.column_stride, r.count, w.count,
                                        in.row_stride, in.column_stride);
          const float centred = static_cast<float>(sum - sizes[k] * zero_point);
          *out++ = RoundToInteger<T>(centred * multipliers[k] + zero);
          ++k;
        }
      }
    }
  }
}

// round(float(sum) * ((1.0f / rows) / cols)): the raw integers' mean (the
// zero point cancels), the reciprocal built in float32 as PyTorch does.
template <typename T>
void AdaptivePlanes(const pool::PlaneLayout& in, const std::vector<pool::Taps>& rows,
                    const std::vector<pool::Taps>& cols, T* out) {
  const T* base = reinterpret_cast<const T*>(in.first);
  for (int64_t p = 0; p < in.batch * in.channels; ++p) {
    const T* plane =
        base + (p / in.channels) * in.batch_stride + (p % in.channels) * in.channel_stride;
    for (const pool::Taps& r : rows) {
      const float row_reciprocal = 1.0f / static_cast<float>(r.count);
      for (const pool::Taps& w : cols) {
        const float reciprocal = row_reciprocal / static_cast<float>(w.count);
        const int64_t sum = WindowSum(plane + r.first * in.row_stride + w.first * in.column_stride,
                                      r.count, w.count, in.row_stride, in.column_stride);
        *out++ = RoundToInteger<T>(static_cast<float>(sum) * reciprocal);
      }
    }
  }
}

// Adaptive pooling's windows along a dim: floor(o * size / pooled) to
// ceil((o + 1) * size / pooled).
std::vector<pool::Taps> AdaptiveTaps(int64_t pooled, int64_t size) {
  std::vector<pool::Taps> taps(static_cast<size_t>(pooled));
  for (int64_t o = 0; o < pooled; ++o) {
    const int64_t start = o * size / pooled;
    const int64_t end = ((o + 1) * size + pooled - 1) / pooled;
    taps[static_cast<size_t>(o)] = {start, end - start, end - start};
  }
  return taps;
}

// A new result of the pooled shape, filled by fill(rows, cols, out) with the
// windows make_windows() gives. The result is allocated (its size checked)
// before the windows are listed, and an empty one is returned as it is.
template <class MakeWindows, class Fill>
core::Tensor PoolInto(const pool::PlaneLayout& in, core::DType dtype, int64_t height, int64_t width,
                      const MakeWindows& make_windows, const Fill& fill) {
  core::Tensor result =
      core::Tensor::ForOverwrite(pool::OutputShape(in, height, width), in.quantizer);
  if (result.numel() == 0) return result;
  const auto windows = make_windows();  // (rows, cols)
  core::VisitDType(dtype, [&](auto t) {
    using T = decltype(t);
    fill(windows.first, windows.second, reinterpret_cast<T*>(result.storage()->mutable_bytes()));
  });
  return result;
}

}  // namespace

core::Tensor AvgPool2d(const core::Tensor& input, const PoolWindow& window, bool count_include_pad,
                       int64_t divisor_override) {
  RequireComputable(input, "avg_pool2d");
  const char* op = "avg_pool2d";
  pool::CheckWindow(window, op);
  if (window.dilation[0] != 1 || window.dilation[1] != 1) {
    core::Fail(core::ErrorKind::kInvalidArgument, "avg_pool2d: dilation must be 1");
  }
  const pool::PlaneLayout in = pool::Planes(input, op);
  const int64_t height = pool::PooledSize(in.height, window.kernel[0], window.stride[0],
                                          window.padding[0], 1, window.ceil_mode, op);
  const int64_t width = pool::PooledSize(in.width, window.kernel[1], window.stride[1],
                                         window.padding[1], 1, window.ceil_mode, op);
  const AvgOptions options{count_include_pad, divisor_override};
  auto windows = [&] {
    return std::make_pair(pool::WindowTaps(height, in.height, window.kernel[0], window.stride[0],
                                           window.padding[0], 1, op),
                          pool::WindowTaps(width, in.width, window.kernel[1], window.stride[1],
                                           window.padding[1], 1, op));
  };
  return PoolInto(in, input.dtype(), height, width, windows,
                  [&](const auto& rows, const auto& cols, auto* out) {
                    AvgPlanes(in, rows, cols, options, out);
                  });
}

core::Tensor AdaptiveAvgPool2d(const core::Tensor& input, int64_t output_height,
                               int64_t output_width) {
  RequireComputable(input, "adaptive_avg_pool2d");
  const char* op = "adaptive_avg_pool2d";
  constexpr int64_t kLargest = std::numeric_limits<int32_t>::max();  // torch's int sizes
  if (output_height < 1 || output_width < 1 || output_height > kLargest ||
      output_width > kLargest) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               std::string(op) + ": output_size must be between 1 and 2^31 - 1, got (" +
                   std::to_string(output_height) + ", " + std::to_string(output_width) + ")");
  }
  const pool::PlaneLayout in = pool::Planes(input, op);
  auto windows = [&] {
    return std::make_pair(AdaptiveTaps(output_height, in.height),
                          AdaptiveTaps(output_width, in.width));
  };
  return PoolInto(
      in, input.dtype(), output_height, output_width, windows,
      [&](const auto& rows, const auto& cols, auto* out) { AdaptivePlanes(in, rows, cols, out); });
}

}  // namespace qtensor::ops

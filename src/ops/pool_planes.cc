#include "ops/pool_planes.h"

#include <algorithm>
#include <limits>
#include <string>

#include "core/error.h"
#include "core/tensor_ops.h"

namespace qtensor::ops::pool {
namespace {

[[noreturn]] void Invalid(const char* op, const std::string& message) {
  core::Fail(core::ErrorKind::kInvalidArgument, std::string(op) + ": " + message);
}

// Rounds toward minus infinity (b > 0).
int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

std::string Pair(const std::array<int64_t, 2>& values) {
  return "(" + std::to_string(values[0]) + ", " + std::to_string(values[1]) + ")";
}

}  // namespace

PlaneLayout Planes(const core::Tensor& input, const char* op) {
  const int64_t rank = static_cast<int64_t>(input.ndim());
  if (rank != 3 && rank != 4) {
    Invalid(op, "expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got " + std::to_string(rank) +
                    " dims");
  }
  PlaneLayout planes(input.EffectiveQuantizer());
  const std::vector<int64_t>& shape = input.shape();
  const std::vector<int64_t> strides = input.strides();
  planes.three_dims = rank == 3;
  const int64_t c = rank - 3;  // the channel dim
  if (rank == 4) {
    planes.batch = shape[0];
    planes.batch_stride = strides[0];
  }
  planes.channels = shape[c];
  planes.channel_stride = strides[c];
  planes.height = shape[c + 1];
  planes.row_stride = strides[c + 1];
  planes.width = shape[c + 2];
  planes.column_stride = strides[c + 2];
  if (planes.height == 0 || planes.width == 0) {
    Invalid(op, "the input's height and width must be non-zero, got " +
                    std::to_string(planes.height) + " x " + std::to_string(planes.width));
  }
  const int64_t planes_count = planes.batch * planes.channels;
  const core::Quantizer& q = planes.quantizer;
  if (!q.per_channel()) {
    planes.zero_points.assign(static_cast<size_t>(planes_count), q.zero_points()[0]);
  } else {
    const int64_t axis = q.ResolveAxis(shape);
    if (axis > c) {
      Invalid(op, "a per-channel quantizer's axis must be the batch or channel dim, got dim " +
                      std::to_string(axis) + " of " + std::to_string(rank));
    }
    planes.zero_points.resize(static_cast<size_t>(planes_count));
    for (int64_t n = 0; n < planes.batch; ++n) {
      for (int64_t ch = 0; ch < planes.channels; ++ch) {
        const int64_t channel = (axis == c) ? ch : n;
        planes.zero_points[n * planes.channels + ch] = q.zero_points()[channel];
      }
    }
  }
  if (input.numel() > 0) planes.first = core::FirstElement(input);
  return planes;
}

std::vector<int64_t> OutputShape(const PlaneLayout& planes, int64_t height, int64_t width) {
  if (planes.three_dims) return {planes.channels, height, width};
  return {planes.batch, planes.channels, height, width};
}

void CheckWindow(const PoolWindow& window, const char* op) {
  constexpr int64_t kLargest = std::numeric_limits<int32_t>::max();  // torch's int parameters
  for (int i = 0; i < 2; ++i) {
    if (window.kernel[i] > kLargest || window.stride[i] > kLargest ||
        window.padding[i] > kLargest || window.dilation[i] > kLargest) {
      Invalid(op, "kernel_size, stride, padding and dilation must be below 2^31");
    }
    if (window.kernel[i] < 1) {
      Invalid(op, "kernel_size must be positive, got " + Pair(window.kernel));
    }
    if (window.stride[i] < 1) Invalid(op, "stride must be positive, got " + Pair(window.stride));
    if (window.dilation[i] < 1) {
      Invalid(op, "dilation must be positive, got " + Pair(window.dilation));
    }
    if (window.padding[i] < 0 || window.padding[i] > window.kernel[i] / 2) {
      Invalid(op, "padding must be between 0 and half the kernel size, got padding " +
                      Pair(window.padding) + " and kernel_size " + Pair(window.kernel));
    }
  }
}

int64_t PooledSize(int64_t size, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation,
                   bool ceil_mode, const char* op) {
  const int64_t span = size + 2 * padding - dilation * (kernel - 1) - 1;
  int64_t pooled = FloorDiv(span + (ceil_mode ? stride - 1 : 0), stride) + 1;
  if (ceil_mode && (pooled - 1) * stride >= size + padding) --pooled;
  if (pooled < 1) {
    Invalid(op, "the window (kernel " + std::to_string(kernel) + ", dilation " +
                    std::to_string(dilation) + ", padding " + std::to_string(padding) +
                    ") does not fit an input of size " + std::to_string(size));
  }
  return pooled;
}

std::vector<Taps> WindowTaps(int64_t pooled, int64_t size, int64_t kernel, int64_t stride,
                             int64_t padding, int64_t dilation, const char* op) {
  std::vector<Taps> taps(static_cast<size_t>(pooled));
  for (int64_t o = 0; o < pooled; ++o) {
    const int64_t start = o * stride - padding;
    const int64_t low = start < 0 ? CeilDiv(-start, dilation) : 0;
    const int64_t high = std::min(kernel, CeilDiv(size - start, dilation));
    if (high <= low) {
      Invalid(op, "window " + std::to_string(o) + " (from " + std::to_string(start) +
                      ") reads no input element of a dim of size " + std::to_string(size));
    }
    Taps& t = taps[static_cast<size_t>(o)];
    t.first = start + low * dilation;
    t.count = high - low;
    t.extent = std::min(start + kernel, size + padding) - start;
  }
  return taps;
}

}  // namespace qtensor::ops::pool

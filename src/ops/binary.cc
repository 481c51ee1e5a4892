#include "ops/binary.h"
#include "ops/computable.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "core/shape.h"
#include "core/tensor_ops.h"
#include "kernels/elementwise_kernels.h"
#include "kernels/fused_binary_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::ops {
namespace {

using core::ElementParams;
using core::Tensor;

const char* NameOf(BinaryOp op, bool relu) {
  if (op == BinaryOp::kAdd) return relu ? "add_relu" : "add";
  return relu ? "mul_relu" : "mul";
}

// NumPy's broadcasting of two shapes: the result's shape, and for each
// input the step through its own row-major elements along each result dim
// (0 where the input has size 1 there or lacks the dim).
struct Broadcast {
  std::vector<int64_t> shape;
  std::vector<int64_t> a_steps, b_steps;
};

std::vector<int64_t> StepsFor(const std::vector<int64_t>& own, size_t ndim) {
  std::vector<int64_t> steps(ndim, 0);
  int64_t stride = 1;
  for (size_t k = 0; k < own.size(); ++k) {
    const size_t own_dim = own.size() - 1 - k, dim = ndim - 1 - k;
    if (own[own_dim] != 1) steps[dim] = stride;
    stride *= own[own_dim];
  }
  return steps;
}

Broadcast BroadcastShapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                          const char* name) {
  const size_t ndim = std::max(a.size(), b.size());
  Broadcast result;
  result.shape.assign(ndim, 1);
  for (size_t k = 0; k < ndim; ++k) {
    const int64_t size_a = k < a.size() ? a[a.size() - 1 - k] : 1;
    const int64_t size_b = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (size_a != size_b && size_a != 1 && size_b != 1) {
      core::Fail(core::ErrorKind::kShapeMismatch,
                 std::string(name) + ": shapes " + core::ShapeText(a, core::ShapeStyle::kTuple) +
                     " and " + core::ShapeText(b, core::ShapeStyle::kTuple) + " do not broadcast");
    }
    result.shape[ndim - 1 - k] = size_a == 1 ? size_b : size_a;
  }
  result.a_steps = StepsFor(a, ndim);
  result.b_steps = StepsFor(b, ndim);
  return result;
}

// An input's elements, row-major: for add the float32 values dequantize
// gives; for mul the centered integers q - zp and each element's float32
// scale (torch's integer formula).
struct Operand {
  std::vector<float> values;
  std::vector<int64_t> centered;
  std::vector<float> scales;
};

Operand ReadOperand(BinaryOp op, const Tensor& tensor) {
  Operand operand;
  const size_t n = static_cast<size_t>(tensor.numel());
  if (op == BinaryOp::kAdd) {
    operand.values.resize(n);
    core::Dequantize(tensor, operand.values.data());
    return operand;
  }
  std::vector<uint8_t> bytes(n * core::ElementSize(tensor.dtype()));
  core::IntRepr(tensor, bytes.data());
  operand.centered.resize(n);
  operand.scales.resize(n);
  const ElementParams params = tensor.Params();
  core::VisitDType(tensor.dtype(), [&](auto t) {
    using T = decltype(t);
    const T* ints = reinterpret_cast<const T*>(bytes.data());
    size_t k = 0;
    for (size_t o = 0; o < params.outer; ++o) {
      for (size_t c = 0; c < params.channels; ++c) {
        const int64_t zero_point = params.zero_point(c);
        const float scale = params.channel.float_scales[c];
        for (size_t i = 0; i < params.inner; ++i, ++k) {
          operand.centered[k] = static_cast<int64_t>(ints[k]) - zero_point;
          operand.scales[k] = scale;
        }
      }
    }
  });
  return operand;
}

// Calls element(out_index, a_index, b_index) for every element of the
// broadcast result in row-major order.
template <class Element>
void ForEachElement(const Broadcast& b, const Element& element) {
  const size_t ndim = b.shape.size();
  int64_t numel = 1;
  for (int64_t size : b.shape) numel *= size;
  if (numel == 0) return;
  std::vector<int64_t> index(ndim, 0);
  int64_t ia = 0, ib = 0;
  for (int64_t k = 0; k < numel; ++k) {
    element(k, ia, ib);
    for (size_t d = ndim; d-- > 0;) {
      ia += b.a_steps[d];
      ib += b.b_steps[d];
      if (++index[d] < b.shape[d]) break;
      ia -= b.a_steps[d] * b.shape[d];
      ib -= b.b_steps[d] * b.shape[d];
      index[d] = 0;
    }
  }
}

// Same shapes, both contiguous and per tensor: the formulas above, a chunk
// at a time through the SIMD kernels (which give the scalar formulas' bits).
bool TakesFastPath(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.IsContiguous() && b.IsContiguous() &&
         !a.Params().per_channel_arithmetic && !b.Params().per_channel_arithmetic;
}

// (a - za) * (b - zb) as float for inputs of two dtypes (one dtype takes
// the fused kernels).
template <typename TA, typename TB>
void MultiplyCentered(const TA* a, int64_t za, const TB* b, int64_t zb, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = kernels::scalar::CenteredProduct(static_cast<int64_t>(a[i]) - za,
                                              static_cast<int64_t>(b[i]) - zb);
  }
}

template <typename TA, typename TB, typename TOut>
void FastBinary(BinaryOp op, bool relu, const Tensor& a, const Tensor& b, float inv_scale,
                float out_scale, int64_t zero_point, TOut* out) {
  constexpr size_t kChunk = 4096;
  const ElementParams pa = a.Params(), pb = b.Params();
  const float sa = pa.channel.float_scales[0], sb = pb.channel.float_scales[0];
  const int64_t za = pa.zero_point(0), zb = pb.zero_point(0);
  const float multiplier = sa * sb * (1.0f / out_scale);
  const TA* x = reinterpret_cast<const TA*>(core::FirstElement(a));
  const TB* y = reinterpret_cast<const TB*>(core::FirstElement(b));
  const size_t n = static_cast<size_t>(a.numel());
  if constexpr (std::is_same_v<TA, TB> && std::is_same_v<TA, TOut>) {
    // Two arrays of one dtype: one pass, no float buffers, the same formulas
    // element by element (kernels/fused_binary_kernels.h).
    kernels::FusedBinaryParams p;
    p.scale_a = sa;
    p.scale_b = sb;
    p.zero_a = za;
    p.zero_b = zb;
    p.inv_scale = op == BinaryOp::kAdd ? inv_scale : multiplier;
    p.zero_out = zero_point;
    p.relu = relu;
    if (op == BinaryOp::kAdd) {
      kernels::AddQuantized(x, y, n, p, out);
    } else {
      kernels::MultiplyQuantized(x, y, n, p, out);
    }
    return;
  }
  std::vector<float> first(kChunk), second(kChunk);
  for (size_t start = 0; start < n; start += kChunk) {
    const size_t count = std::min(kChunk, n - start);
    if (op == BinaryOp::kAdd) {
      kernels::DequantizePerTensor(x + start, count, sa, za, first.data());
      kernels::DequantizePerTensor(y + start, count, sb, zb, second.data());
      kernels::AddFloats(first.data(), second.data(), count, relu, first.data());
      kernels::QuantizePerTensor(first.data(), count, inv_scale, zero_point, out + start);
    } else {
      MultiplyCentered(x + start, za, y + start, zb, count, first.data());
      kernels::QuantizePerTensor(first.data(), count, multiplier, zero_point, out + start);
      if (relu) {
        const TOut floor = static_cast<TOut>(zero_point);
        for (size_t i = 0; i < count; ++i) out[start + i] = std::max(out[start + i], floor);
      }
    }
  }
}

}  // namespace

std::vector<int64_t> BinaryShape(BinaryOp op, const core::Tensor& a, const core::Tensor& b,
                                 bool relu) {
  return BroadcastShapes(a.shape(), b.shape(), NameOf(op, relu)).shape;
}

void BinaryInto(BinaryOp op, const core::Tensor& dst, const core::Tensor& a, const core::Tensor& b,
                bool relu) {
  RequireComputable(a, NameOf(op, relu));
  RequireComputable(b, NameOf(op, relu));
  RequireComputable(dst, NameOf(op, relu));
  const Broadcast broadcast = BroadcastShapes(a.shape(), b.shape(), NameOf(op, relu));
  const int64_t numel = dst.numel();
  if (numel == 0) return;
  const ElementParams out = dst.Params();
  const float inv_scale = out.channel.inv_scales[0];
  const float out_scale = static_cast<float>(out.scale(0));
  const int64_t zero_point = out.zero_point(0);
  if (TakesFastPath(a, b)) {
    core::VisitDType(a.dtype(), [&](auto ta) {
      core::VisitDType(b.dtype(), [&](auto tb) {
        using TA = decltype(ta);
        using TB = decltype(tb);
        FastBinary<TA, TB>(op, relu, a, b, inv_scale, out_scale, zero_point,
                           reinterpret_cast<TA*>(core::MutableFirstElement(dst)));
      });
    });
    return;
  }
  const Operand x = ReadOperand(op, a), y = ReadOperand(op, b);
  core::VisitDType(dst.dtype(), [&](auto t) {
    using T = decltype(t);
    T* ints = reinterpret_cast<T*>(core::MutableFirstElement(dst));
    ForEachElement(broadcast, [&](int64_t k, int64_t ia, int64_t ib) {
      T q;
      if (op == BinaryOp::kAdd) {
        float sum = 0.0f;
        kernels::scalar::AddFloats(&x.values[ia], &y.values[ib], 1, relu, &sum);
        q = kernels::scalar::QuantizeValue<T>(sum, inv_scale, zero_point);
      } else {
        // torch's requantize_from_int: the integer product times the float
        // multiplier scale_a * scale_b / scale, rounded half to even.
        const float multiplier = x.scales[ia] * y.scales[ib] * (1.0f / out_scale);
        const float product = kernels::scalar::CenteredProduct(x.centered[ia], y.centered[ib]);
        q = kernels::scalar::QuantizeValue<T>(product, multiplier, zero_point);
        if (relu) q = std::max<T>(q, static_cast<T>(zero_point));
      }
      ints[k] = q;
    });
  });
}

core::Tensor Binary(BinaryOp op, const core::Tensor& a, const core::Tensor& b, double scale,
                    int64_t zero_point, bool relu) {
  RequireComputable(a, NameOf(op, relu));
  RequireComputable(b, NameOf(op, relu));
  const Broadcast broadcast = BroadcastShapes(a.shape(), b.shape(), NameOf(op, relu));
  Tensor result = Tensor::ForOverwrite(broadcast.shape,
                                       core::Quantizer::PerTensor(a.dtype(), scale, zero_point));
  BinaryInto(op, result, a, b, relu);
  return result;
}

}  // namespace qtensor::ops

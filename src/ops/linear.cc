#include "ops/linear.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "core/tensor_ops.h"
#include "kernels/channel_params.h"
#include "kernels/gemm_kernels.h"
#include "kernels/quantize_kernels.h"
#include "kernels/sum_requantize_kernels.h"

namespace qtensor::ops {

namespace {

void CheckInput(const core::Tensor& input, const PackedLinear& weights) {
  if (input.dtype() != core::DType::kQUInt8 && input.dtype() != core::DType::kQInt8) {
    core::Fail(core::ErrorKind::kTypeMismatch,
               std::string("linear: the input must be quint8 or qint8, not ") +
                   core::DTypeName(input.dtype()));
  }
  if (input.Params().per_channel_arithmetic) {
    core::Fail(core::ErrorKind::kInvalidArgument, "linear: the input must be quantized per tensor");
  }
  if (input.ndim() == 0 || input.shape().back() != static_cast<int64_t>(weights.in_features())) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               "linear: the input's last dim must be in_features " +
                   std::to_string(weights.in_features()));
  }
}

// The input's rows as unsigned bytes (qint8 shifted by 128, as its zero
// point is), each padded with zeros to whole groups, and each row's sum.
struct UnsignedRows {
  std::vector<uint8_t> bytes;
  std::vector<int32_t> sums;
  size_t stride = 0;
  int32_t zero_point = 0;
};

UnsignedRows MakeRows(const core::Tensor& input, size_t rows, size_t depth) {
  UnsignedRows r;
  r.stride = kernels::GemmPaddedDepth(depth);
  r.bytes.assign(rows * r.stride, 0);
  r.sums.assign(rows, 0);
  const bool shift = input.dtype() == core::DType::kQInt8;
  r.zero_point = static_cast<int32_t>(input.Params().zero_point(0)) + (shift ? 128 : 0);
  const core::Tensor x = core::Contiguous(input);
  const uint8_t* in = core::FirstElement(x);
  for (size_t i = 0; i < rows; ++i) {
    uint8_t* row = r.bytes.data() + i * r.stride;
    int32_t sum = 0;
    for (size_t k = 0; k < depth; ++k) {
      row[k] = static_cast<uint8_t>(in[i * depth + k] ^ (shift ? 0x80 : 0));
      sum += row[k];
    }
    r.sums[i] = sum;
  }
  return r;
}

template <typename T>
void Requantize(const std::vector<int32_t>& products, const UnsignedRows& rows,
                const PackedLinear& weights, const core::ElementParams& input_params, double scale,
                int64_t zero_point, bool relu, T* out) {
  const size_t n = weights.out_features(), depth = weights.in_features();
  const float input_scale = static_cast<float>(input_params.scale(0));
  const float output_scale = static_cast<float>(scale);
  // Per column: the multiplier, and the terms of acc that do not depend on
  // the row, in int64 (exact for every depth the kernels take).
  std::vector<float> multipliers(n);
  std::vector<int64_t> column_terms(n);
  int64_t largest_bias = 0;
  bool zero_weight_zero_points = true;
  for (size_t j = 0; j < n; ++j) {
    const double weight_scale = weights.scales()[j];
    multipliers[j] = static_cast<float>(weight_scale) * input_scale / output_scale;
    int64_t bias = 0;
    if (!weights.bias().empty()) {
      bias = kernels::scalar::QuantizeValue<int32_t>(
          weights.bias()[j], kernels::InverseScale(input_params.scale(0) * weight_scale), 0);
    }
    largest_bias = std::max(largest_bias, bias < 0 ? -bias : bias);
    const int64_t zw = weights.zero_points()[j];
    zero_weight_zero_points = zero_weight_zero_points && zw == 0;
    column_terms[j] = bias - int64_t{rows.zero_point} * weights.column_sums()[j] +
                      static_cast<int64_t>(depth) * rows.zero_point * zw;
  }
  const T floor = relu ? static_cast<T>(zero_point) : std::numeric_limits<T>::min();
  // |acc| <= depth * 255 * 255 + |bias|: where that fits in int32, the
  // kernels' int32 arithmetic is exact.
  if (static_cast<int64_t>(depth) * 255 * 255 + largest_bias <=
      std::numeric_limits<int32_t>::max()) {
    std::vector<int32_t> terms(column_terms.begin(),
                               column_terms.end());  // wrapped: exact mod 2^32
    kernels::SumRequantizeParams p;
    p.weight_zero_points = zero_weight_zero_points ? nullptr : weights.zero_points().data();
    p.column_terms = terms.data();
    p.multipliers = multipliers.data();
    p.zero_point = static_cast<int32_t>(zero_point);
    p.floor = floor;
    for (size_t i = 0; i < rows.sums.size(); ++i) {
      p.row_sum = rows.sums[i];
      kernels::RequantizeSums(products.data() + i * n, n, p, out + i * n);
    }
    return;
  }
  for (size_t i = 0; i < rows.sums.size(); ++i) {
    for (size_t j = 0; j < n; ++j) {
      const int64_t acc = int64_t{products[i * n + j]} -
                          int64_t{weights.zero_points()[j]} * rows.sums[i] + column_terms[j];
      const T q =
          kernels::scalar::QuantizeValue<T>(static_cast<float>(acc), multipliers[j], zero_point);
      out[i * n + j] = std::max(q, floor);
    }
  }
}

}  // namespace

core::Tensor Linear(const core::Tensor& input, const PackedLinear& weights, double scale,
                    int64_t zero_point, bool relu) {
  CheckInput(input, weights);
  std::vector<int64_t> shape = input.shape();
  shape.back() = static_cast<int64_t>(weights.out_features());
  core::Tensor result = core::Tensor::ForOverwrite(
      shape, core::Quantizer::PerTensor(input.dtype(), scale, zero_point));
  const size_t depth = weights.in_features(), columns = weights.out_features();
  const size_t rows = static_cast<size_t>(input.numel()) / depth;
  if (rows == 0) return result;

  const UnsignedRows a = MakeRows(input, rows, depth);
  std::vector<int32_t> products(rows * columns);
  kernels::GemmShape gemm;
  gemm.rows = rows;
  gemm.columns = columns;
  gemm.depth = depth;
  gemm.a_stride = a.stride;
  gemm.c_stride = columns;
  const size_t panels = kernels::GemmPanels(columns);
  // Work in units of 16 multiply-adds per element of kParallelElements.
  const size_t parts = core::PartsFor(rows * columns * depth / 16, panels);
  core::RunParts(parts, [&](size_t part) {
    const size_t first = panels * part / parts, last = panels * (part + 1) / parts;
    kernels::GemmU8S8(a.bytes.data(), weights.packed(), gemm, first, last - first, products.data());
  });
  uint8_t* out = core::FirstElement(result);
  if (input.dtype() == core::DType::kQInt8) {
    Requantize(products, a, weights, input.Params(), scale, zero_point, relu,
               reinterpret_cast<int8_t*>(out));
  } else {
    Requantize(products, a, weights, input.Params(), scale, zero_point, relu, out);
  }
  return result;
}

}  // namespace qtensor::ops

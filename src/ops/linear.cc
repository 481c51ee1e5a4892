#include "ops/linear.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/storage.h"
#include "core/tensor_ops.h"
#include "ops/qparams.h"
#include "ops/quantized_matmul.h"

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

  UnsignedRows a(rows, depth, input.dtype(), input.Params().zero_point(0));
  const core::Tensor x = core::Contiguous(input);
  const uint8_t* in = core::FirstElement(x);
  const uint8_t flip = a.shifted ? 0x80 : 0;
  for (size_t i = 0; i < rows; ++i) {
    uint8_t* row = a.row(i);
    for (size_t k = 0; k < depth; ++k) row[k] = in[i * depth + k] ^ flip;
  }
  a.ComputeSums();
  const MatmulOutput output{input.Params().scale(0), scale, zero_point, relu};
  uint8_t* out = core::MutableFirstElement(result);
  if (a.shifted) {
    QuantizedMatmul(a, weights.matrix(), output, reinterpret_cast<int8_t*>(out), columns);
  } else {
    QuantizedMatmul(a, weights.matrix(), output, out, columns);
  }
  return result;
}

size_t LinearDynamicOutputSize(const std::vector<int64_t>& shape, const PackedLinear& weights) {
  if (shape.empty() || shape.back() != static_cast<int64_t>(weights.in_features())) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               "linear_dynamic: the input's last dim must be in_features " +
                   std::to_string(weights.in_features()));
  }
  const auto rows =
      static_cast<size_t>(core::CheckedNumel(shape, core::DType::kQUInt8)) / weights.in_features();
  if (rows > std::numeric_limits<size_t>::max() / sizeof(float) / weights.out_features()) {
    core::Fail(core::ErrorKind::kInvalidArgument, "linear_dynamic: the output is too large");
  }
  return rows * weights.out_features();
}

void LinearDynamic(const float* data, const std::vector<int64_t>& shape,
                   const PackedLinear& weights, bool reduce_range, float* out) {
  const size_t depth = weights.in_features();
  const size_t rows = LinearDynamicOutputSize(shape, weights) / weights.out_features();
  const size_t count = rows * depth;
  if (rows == 0) return;
  const QParams q = ChooseQParamsDynamic(data, count, core::DType::kQUInt8, reduce_range);
  const core::Tensor x = core::Quantize(
      data, shape, core::Quantizer::PerTensor(core::DType::kQUInt8, q.scale, q.zero_point));
  UnsignedRows a(rows, depth, core::DType::kQUInt8, q.zero_point);
  const uint8_t* in = core::FirstElement(x);
  for (size_t i = 0; i < rows; ++i) std::copy_n(in + i * depth, depth, a.row(i));
  a.ComputeSums();
  FloatMatmul(a, weights.matrix(), q.scale, out, weights.out_features());
}

}  // namespace qtensor::ops

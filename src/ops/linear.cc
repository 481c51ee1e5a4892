#include "ops/linear.h"

#include <string>
#include <vector>

#include "core/error.h"
#include "core/tensor_ops.h"
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
  uint8_t* out = core::FirstElement(result);
  if (a.shifted) {
    QuantizedMatmul(a, weights.matrix(), output, reinterpret_cast<int8_t*>(out), columns);
  } else {
    QuantizedMatmul(a, weights.matrix(), output, out, columns);
  }
  return result;
}

}  // namespace qtensor::ops

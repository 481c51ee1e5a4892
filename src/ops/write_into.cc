#include "ops/write_into.h"

#include <string>

#include "core/error.h"
#include "core/shape.h"
#include "core/tensor_ops.h"
#include "ops/cat.h"
#include "ops/clamp.h"
#include "ops/float_unary.h"

namespace qtensor::ops {
namespace {

// Writes result's integers into dst. result is contiguous, and its elements
// have dst's parameters, so the integers are the values.
void WriteResult(const core::Tensor& dst, const core::Tensor& result, const char* name) {
  if (result.shape() != dst.shape()) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               std::string(name) + ": out has shape " +
                   core::ShapeText(dst.shape(), core::ShapeStyle::kTuple) + ", the result " +
                   core::ShapeText(result.shape(), core::ShapeStyle::kTuple));
  }
  if (result.numel() == 0) return;
  core::WriteIntRepr(dst, core::FirstElement(result));
}

const char* OutName(BinaryOp op, bool relu) {
  if (op == BinaryOp::kAdd) return relu ? "add_relu_out" : "add_out";
  return relu ? "mul_relu_out" : "mul_out";
}

}  // namespace

void LeakyReluInPlace(const core::Tensor& tensor, float negative_slope) {
  WriteResult(tensor, LeakyRelu(tensor, negative_slope), "leaky_relu_");
}

void Relu6InPlace(const core::Tensor& tensor) { WriteResult(tensor, Relu6(tensor), "relu6_"); }

void ClampInPlace(const core::Tensor& tensor, float min, float max) {
  WriteResult(tensor, Clamp(tensor, min, max), "clamp_");
}

void BinaryOut(BinaryOp op, const core::Tensor& out, const core::Tensor& a, const core::Tensor& b,
               bool relu) {
  const char* name = OutName(op, relu);
  const core::Quantizer output = out.EffectiveQuantizer();
  if (output.per_channel()) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               std::string(name) + ": out must be quantized per tensor, as in PyTorch");
  }
  if (out.dtype() != a.dtype()) {
    core::Fail(core::ErrorKind::kTypeMismatch, std::string(name) + ": out is " +
                                                   core::DTypeName(out.dtype()) + ", a is " +
                                                   core::DTypeName(a.dtype()));
  }
  WriteResult(out, Binary(op, a, b, output.scales()[0], output.zero_points()[0], relu), name);
}

void CatOut(const core::Tensor& out, const std::vector<core::Tensor>& tensors, int64_t dim,
            bool relu) {
  const core::Quantizer output = out.EffectiveQuantizer();
  WriteResult(out, Cat(tensors, dim, &output, relu), relu ? "cat_relu_out" : "cat_out");
}

}  // namespace qtensor::ops

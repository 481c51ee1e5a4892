#include "ops/write_into.h"

#include <string>
#include <vector>

#include "core/error.h"
#include "core/shape.h"
#include "core/tensor_ops.h"
#include "ops/binary.h"
#include "ops/cat.h"
#include "ops/clamp.h"
#include "ops/float_unary.h"

namespace qtensor::ops {
namespace {

void CheckOutShape(const core::Tensor& dst, const std::vector<int64_t>& shape, const char* name) {
  if (shape != dst.shape()) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               std::string(name) + ": out has shape " +
                   core::ShapeText(dst.shape(), core::ShapeStyle::kTuple) + ", the result " +
                   core::ShapeText(shape, core::ShapeStyle::kTuple));
  }
}

// Writes result's integers into dst. result is contiguous, and its elements
// have dst's parameters, so the integers are the values.
void WriteResult(const core::Tensor& dst, const core::Tensor& result, const char* name) {
  CheckOutShape(dst, result.shape(), name);
  if (result.numel() == 0) return;
  core::WriteIntRepr(dst, core::FirstElement(result));
}

// Whether an operator can compute straight into out: contiguous, and
// sharing no storage with an input. Otherwise (out a view of an input, as
// an in-place call is) the result is made first and then written.
bool WritesDirectly(const core::Tensor& out, const std::vector<core::Tensor>& inputs) {
  if (!out.IsContiguous()) return false;
  for (const core::Tensor& input : inputs) {
    if (input.storage() == out.storage()) return false;
  }
  return true;
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
  if (WritesDirectly(out, {a, b})) {
    CheckOutShape(out, BinaryShape(op, a, b, relu), name);
    BinaryInto(op, out, a, b, relu);
    return;
  }
  WriteResult(out, Binary(op, a, b, output.scales()[0], output.zero_points()[0], relu), name);
}

void CatOut(const core::Tensor& out, const std::vector<core::Tensor>& tensors, int64_t dim,
            bool relu) {
  const char* name = relu ? "cat_relu_out" : "cat_out";
  if (WritesDirectly(out, tensors)) {
    CheckOutShape(out, CatShape(tensors, dim), name);
    CatInto(out, tensors, dim, relu);
    return;
  }
  const core::Quantizer output = out.EffectiveQuantizer();
  WriteResult(out, Cat(tensors, dim, &output, relu), name);
}

}  // namespace qtensor::ops

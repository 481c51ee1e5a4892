#include "ops/cat.h"

#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/shape.h"
#include "core/tensor_ops.h"
#include "ops/clamp.h"
#include "ops/lookup_table.h"

namespace qtensor::ops {
namespace {

using core::ErrorKind;
using core::Fail;
using core::Tensor;

std::string Shape(const Tensor& t) { return core::ShapeText(t.shape(), core::ShapeStyle::kTuple); }

// The result's shape; throws unless every input has the first's rank and
// sizes off dim.
std::vector<int64_t> JoinedShape(const std::vector<Tensor>& tensors, int64_t dim) {
  std::vector<int64_t> shape = tensors[0].shape();
  for (size_t i = 1; i < tensors.size(); ++i) {
    const std::vector<int64_t>& other = tensors[i].shape();
    bool fits = other.size() == shape.size();
    for (size_t d = 0; fits && d < shape.size(); ++d) {
      fits = static_cast<int64_t>(d) == dim || other[d] == shape[d];
    }
    if (!fits) {
      Fail(ErrorKind::kShapeMismatch, "cat: tensor " + std::to_string(i) + " has shape " +
                                          Shape(tensors[i]) + ", tensor 0 has " +
                                          Shape(tensors[0]) + "; only dim " + std::to_string(dim) +
                                          " may differ");
    }
    shape[dim] += other[dim];
  }
  return shape;
}

// The dim as an index into the shapes (negative counts from the end), and
// the joined shape; throws for no inputs, a 0-dim input, a dim out of range
// and shapes that do not join.
std::vector<int64_t> CheckedJoin(const std::vector<Tensor>& tensors, int64_t& dim) {
  if (tensors.empty()) Fail(ErrorKind::kInvalidArgument, "cat: no tensors to join");
  const int64_t ndim = static_cast<int64_t>(tensors[0].ndim());
  if (ndim == 0) Fail(ErrorKind::kInvalidArgument, "cat: a 0-dim tensor cannot be joined");
  if (dim < -ndim || dim >= ndim) {
    Fail(ErrorKind::kOutOfRange,
         "cat: dim " + std::to_string(dim) + " is out of range for rank " + std::to_string(ndim));
  }
  if (dim < 0) dim += ndim;
  return JoinedShape(tensors, dim);
}

// Each input into its slice of result along dim (already checked).
void WriteParts(const Tensor& result, const std::vector<Tensor>& tensors, int64_t dim, bool relu) {
  int64_t offset = 0;
  for (const Tensor& tensor : tensors) {
    const int64_t size = tensor.shape()[dim];
    const Tensor part = result.Slice(dim, offset, offset + size, 1);
    offset += size;
    if (part.numel() == 0) continue;
    if (part.EffectiveQuantizer() == tensor.EffectiveQuantizer()) {
      // One copy where either side is contiguous, else through a buffer.
      const bool packed = core::IsPacked(tensor.dtype());
      if (part.IsContiguous() && !packed) {
        core::IntRepr(tensor, core::MutableFirstElement(part));
      } else if (tensor.IsContiguous() && !packed) {
        core::WriteIntRepr(part, core::FirstElement(tensor));
      } else {
        std::vector<uint8_t> ints(static_cast<size_t>(tensor.numel()) *
                                  core::ElementSize(tensor.dtype()));
        core::IntRepr(tensor, ints.data());
        core::WriteIntRepr(part, ints.data());
      }
    } else {
      RequantizeElements(part, tensor);
    }
  }
  if (relu) ReluInPlace(result);
}

}  // namespace

core::Tensor Cat(const std::vector<core::Tensor>& tensors, int64_t dim,
                 const core::Quantizer* quantizer, bool relu) {
  const std::vector<int64_t> shape = CheckedJoin(tensors, dim);
  const core::Quantizer parameters =
      quantizer != nullptr ? *quantizer : tensors[0].EffectiveQuantizer();
  if (quantizer == nullptr && parameters.per_channel() && parameters.axis() == dim &&
      shape[dim] != tensors[0].shape()[dim]) {
    Fail(ErrorKind::kInvalidArgument,
         "cat: the first tensor's per-channel parameters are along dim " + std::to_string(dim) +
             ", which the tensors join; give the result's quantizer");
  }
  Tensor result = Tensor::ForOverwrite(shape, parameters);
  WriteParts(result, tensors, dim, relu);
  return result;
}

std::vector<int64_t> CatShape(const std::vector<core::Tensor>& tensors, int64_t dim) {
  return CheckedJoin(tensors, dim);
}

void CatInto(const core::Tensor& dst, const std::vector<core::Tensor>& tensors, int64_t dim,
             bool relu) {
  CheckedJoin(tensors, dim);
  WriteParts(dst, tensors, dim, relu);
}

}  // namespace qtensor::ops

#include "ops/index_select.h"

#include <cstring>
#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/storage.h"
#include "core/tensor_ops.h"
#include "ops/selected_like.h"

namespace qtensor::ops {
namespace {

using core::ErrorKind;
using core::Fail;
using core::Tensor;

int64_t Product(const std::vector<int64_t>& shape, size_t begin, size_t end) {
  int64_t product = 1;
  for (size_t d = begin; d < end; ++d) product *= shape[d];
  return product;
}

// The integers of tensor's slices at indices along dim, written into result
// (which has the gathered shape): one row-major pass over copies of both.
void GatherIntegers(const Tensor& result, const Tensor& tensor, size_t dim,
                    const std::vector<int64_t>& indices) {
  const size_t width = core::ElementSize(tensor.dtype());
  std::vector<uint8_t> source(static_cast<size_t>(tensor.numel()) * width);
  core::IntRepr(tensor, source.data());
  std::vector<uint8_t> gathered(static_cast<size_t>(result.numel()) * width);
  const auto outer = static_cast<size_t>(Product(tensor.shape(), 0, dim));
  const auto size = static_cast<size_t>(tensor.shape()[dim]);
  const size_t row = static_cast<size_t>(Product(tensor.shape(), dim + 1, tensor.ndim())) * width;
  uint8_t* out = gathered.data();
  for (size_t o = 0; o < outer; ++o) {
    for (const int64_t index : indices) {
      std::memcpy(out, source.data() + (o * size + static_cast<size_t>(index)) * row, row);
      out += row;
    }
  }
  core::WriteIntRepr(result, gathered.data());
}

}  // namespace

Tensor IndexSelect(const Tensor& tensor, int64_t dim, const std::vector<int64_t>& indices) {
  const int64_t d = tensor.WrapDim(dim);
  const int64_t size = tensor.shape()[static_cast<size_t>(d)];
  for (const int64_t index : indices) {
    if (index < 0 || index >= size) {
      Fail(ErrorKind::kOutOfRange, "index_select: index " + std::to_string(index) +
                                       " is out of range for dim " + std::to_string(d) +
                                       " of size " + std::to_string(size));
    }
  }
  std::vector<int64_t> shape = tensor.shape();
  shape[static_cast<size_t>(d)] = static_cast<int64_t>(indices.size());
  core::CheckedNumel(shape, tensor.dtype());
  Tensor result = SelectedLike(tensor, d, indices, "index_select");
  if (result.numel() > 0) GatherIntegers(result, tensor, static_cast<size_t>(d), indices);
  return result;
}

Tensor Repeat(const Tensor& tensor, const std::vector<int64_t>& sizes) {
  if (sizes.size() < tensor.ndim()) {
    Fail(ErrorKind::kInvalidArgument,
         "repeat: " + std::to_string(sizes.size()) + " repeats for a tensor of rank " +
             std::to_string(tensor.ndim()) + "; give at least one per dim");
  }
  Tensor view = tensor;
  while (view.ndim() < sizes.size()) view = view.Unsqueeze(0);
  std::vector<int64_t> shape = view.shape();
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] < 0) {
      Fail(ErrorKind::kInvalidArgument,
           "repeat: repeats must be non-negative, got " + std::to_string(sizes[d]));
    }
    if (shape[d] != 0 && sizes[d] > INT64_MAX / shape[d]) {
      Fail(ErrorKind::kOutOfMemory, "repeat: the result's size overflows");
    }
    shape[d] *= sizes[d];
  }
  // Checked whole before any index list of that size is made.
  core::CheckedNumel(shape, tensor.dtype());
  bool copied = false;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) continue;
    const int64_t size = view.shape()[d];
    std::vector<int64_t> indices(static_cast<size_t>(size * sizes[d]));
    for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<int64_t>(i) % size;
    view = IndexSelect(view, static_cast<int64_t>(d), indices);
    copied = true;
  }
  return copied ? view : core::Clone(view);
}

}  // namespace qtensor::ops

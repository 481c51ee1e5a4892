#include "core/reshape.h"

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/error.h"
#include "core/shape.h"
#include "core/tensor_ops.h"

namespace qtensor::core {
namespace {

int64_t Product(const std::vector<int64_t>& shape, size_t begin, size_t end) {
  int64_t product = 1;
  for (size_t d = begin; d < end; ++d) product *= shape[d];
  return product;
}

// dim wrapped into [0, ndim) (a 0-dim tensor takes -1 and 0, as torch's
// maybe_wrap_dim allows); throws kOutOfRange with torch's message.
int64_t WrapDimAllowingScalar(int64_t dim, int64_t ndim) {
  const int64_t extent = ndim == 0 ? 1 : ndim;
  if (dim < -extent || dim >= extent) {
    Fail(ErrorKind::kOutOfRange, "dimension out of range (expected to be in range of [" +
                                     std::to_string(-extent) + ", " + std::to_string(extent - 1) +
                                     "], but got " + std::to_string(dim) + ")");
  }
  return dim < 0 ? dim + extent : dim;
}

// The strides of torch's computeStride for viewing (shape, strides) as
// new_shape, and for each new dim the range [first, last] of old dims in
// its chunk (a run of old dims that row-major order walks evenly). Empty
// when the layout cannot be viewed so. numel > 0 and rank > 0.
struct ViewLayout {
  std::vector<int64_t> strides;
  std::vector<int64_t> chunk_first, chunk_last;
};

std::optional<ViewLayout> ComputeLayout(const std::vector<int64_t>& shape,
                                        const std::vector<int64_t>& strides,
                                        const std::vector<int64_t>& new_shape) {
  const size_t n = new_shape.size();
  ViewLayout layout{std::vector<int64_t>(n), std::vector<int64_t>(n), std::vector<int64_t>(n)};
  int64_t view_d = static_cast<int64_t>(n) - 1;
  int64_t chunk_base_stride = strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  int64_t chunk_last = static_cast<int64_t>(shape.size()) - 1;
  for (int64_t tensor_d = chunk_last; tensor_d >= 0; --tensor_d) {
    tensor_numel *= shape[tensor_d];
    if (tensor_d == 0 ||
        (shape[tensor_d - 1] != 1 && strides[tensor_d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_shape[view_d] == 1)) {
        layout.strides[view_d] = view_numel * chunk_base_stride;
        layout.chunk_first[view_d] = tensor_d;
        layout.chunk_last[view_d] = chunk_last;
        view_numel *= new_shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (tensor_d > 0) {
        chunk_base_stride = strides[tensor_d - 1];
        tensor_numel = view_numel = 1;
        chunk_last = tensor_d - 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return layout;
}

// torch's strides for a view of an empty tensor: contiguous, size 0
// counted as 1.
std::vector<int64_t> EmptyViewStrides(const std::vector<int64_t>& new_shape) {
  std::vector<int64_t> strides(new_shape.size());
  int64_t stride = 1;
  for (size_t d = new_shape.size(); d-- > 0;) {
    strides[d] = stride;
    stride *= new_shape[d] > 1 ? new_shape[d] : 1;
  }
  return strides;
}

}  // namespace

std::vector<int64_t> InferShape(const std::vector<int64_t>& shape, int64_t numel) {
  CheckRank(shape.size());
  std::vector<int64_t> result = shape;
  int64_t inferred = -1;
  int64_t known = 1;     // product of the given sizes
  int64_t capacity = 1;  // product with 0 counted as 1: must fit int64
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == -1) {
      if (inferred >= 0) Fail(ErrorKind::kInvalidArgument, "only one dimension can be inferred");
      inferred = static_cast<int64_t>(d);
    } else if (shape[d] < -1) {
      Fail(ErrorKind::kInvalidArgument, "invalid shape dimension " + std::to_string(shape[d]));
    } else {
      bool overflow = __builtin_mul_overflow(capacity, shape[d] > 1 ? shape[d] : 1, &capacity);
      if (overflow) capacity = -1;
      known = shape[d] == 0 ? 0 : known;
      if (capacity < 0) break;
    }
  }
  auto invalid = [&] {
    Fail(ErrorKind::kShapeMismatch, "shape '" + ShapeText(shape, ShapeStyle::kList) +
                                        "' is invalid for input of size " + std::to_string(numel));
  };
  if (capacity < 0) invalid();
  if (known != 0) known = capacity;
  if (inferred < 0) {
    if (known != numel) invalid();
    return result;
  }
  if (known == 0) {
    if (numel != 0) invalid();
    Fail(ErrorKind::kShapeMismatch,
         "cannot reshape tensor of 0 elements into shape " + ShapeText(shape, ShapeStyle::kList) +
             " because the unspecified dimension size -1 can be any value and is ambiguous");
  }
  if (numel % known != 0) invalid();
  result[inferred] = numel / known;
  return result;
}

std::optional<Tensor> Tensor::ViewIfViewable(const std::vector<int64_t>& new_shape) const {
  const int64_t count = numel();
  const size_t n = new_shape.size();
  // The channel dim, kept where a new dim of its size starts at the same
  // row-major place (so covers the same elements in the same order).
  const int64_t old_channel = channel_dim();
  int64_t new_channel = -1;
  if (old_channel >= 0) {
    const int64_t before = Product(shape_, 0, static_cast<size_t>(old_channel));
    for (size_t j = 0; j < n && new_channel < 0; ++j) {
      if (new_shape[j] == shape_[old_channel] && Product(new_shape, 0, j) == before) {
        new_channel = static_cast<int64_t>(j);
      }
    }
    if (new_channel < 0 && shape_[old_channel] > 1 && count > 0) {
      Fail(ErrorKind::kInvalidArgument,
           "the channel dim (dim " + std::to_string(old_channel) + ", size " +
               std::to_string(shape_[old_channel]) + ") of a per-channel quantized tensor " +
               ShapeText(shape_, ShapeStyle::kList) + " would be merged with or split across " +
               "other dims in shape " + ShapeText(new_shape, ShapeStyle::kList) +
               "; a quantizer has one channel axis");
    }
  }
  if (count == 0 && new_shape == shape_) return *this;  // torch keeps the strides
  const std::vector<int64_t> old_strides = strides();
  std::optional<ViewLayout> layout;
  if (count == 0) {
    layout = ViewLayout{EmptyViewStrides(new_shape), {}, {}};
  } else if (shape_.empty()) {
    layout = ViewLayout{std::vector<int64_t>(n, 1), {}, {}};
  } else {
    layout = ComputeLayout(shape_, old_strides, new_shape);
    if (!layout) return std::nullopt;
  }
  Tensor view = *this;
  view.shape_ = new_shape;
  view.base_dim_.assign(n, -1);
  view.step_ = layout->strides;
  for (size_t d = 0; d < n; ++d) {
    const int64_t stride = layout->strides[d];
    if (static_cast<int64_t>(d) == new_channel) {
      view.base_dim_[d] = base_dim_[old_channel];
      view.step_[d] = step_[old_channel];
      continue;
    }
    if (new_shape[d] == 1 || count == 0) continue;  // walks no base dim
    // Of the chunk's old dims whose stride divides this one, the outermost:
    // an unchanged dim keeps its own base dim, a merged one walks the
    // innermost of the dims it merges, a split one the dim it splits.
    int64_t best = -1;
    for (int64_t o = layout->chunk_first[d]; o <= layout->chunk_last[d]; ++o) {
      if (shape_[o] == 1 || o == old_channel || stride % old_strides[o] != 0) continue;
      if (best < 0 || std::llabs(old_strides[o]) > std::llabs(old_strides[best])) best = o;
    }
    if (best < 0) throw std::logic_error("view: no base dim for a new dim");
    view.base_dim_[d] = base_dim_[best];
    view.step_[d] = step_[best] * (stride / old_strides[best]);
  }
  return view;
}

Tensor Tensor::View(const std::vector<int64_t>& new_shape) const {
  std::optional<Tensor> view = ViewIfViewable(new_shape);
  if (!view) {
    Fail(ErrorKind::kShapeMismatch,
         "view size is not compatible with input tensor's size and stride (at least one "
         "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  }
  return *view;
}

Tensor Tensor::Unsqueeze(int64_t dim) const {
  const int64_t ndim = static_cast<int64_t>(shape_.size());
  CheckRank(shape_.size() + 1);
  if (dim < -ndim - 1 || dim > ndim) {
    Fail(ErrorKind::kOutOfRange, "dimension out of range (expected to be in range of [" +
                                     std::to_string(-ndim - 1) + ", " + std::to_string(ndim) +
                                     "], but got " + std::to_string(dim) + ")");
  }
  const int64_t d = dim < 0 ? dim + ndim + 1 : dim;
  const int64_t stride = d >= ndim ? 1 : shape_[d] * strides()[d];
  Tensor view = *this;
  view.shape_.insert(view.shape_.begin() + d, 1);
  view.base_dim_.insert(view.base_dim_.begin() + d, -1);
  view.step_.insert(view.step_.begin() + d, stride);
  return view;
}

Tensor Tensor::Squeeze() const {
  Tensor view = *this;
  for (size_t d = shape_.size(); d-- > 0;) {
    if (shape_[d] == 1) view = view.Select(static_cast<int64_t>(d), 0);
  }
  return view;
}

Tensor Tensor::Squeeze(int64_t dim) const {
  const int64_t d = WrapDimAllowingScalar(dim, static_cast<int64_t>(shape_.size()));
  if (shape_.empty() || shape_[d] != 1) return *this;
  return Select(d, 0);
}

Tensor View(const Tensor& tensor, const std::vector<int64_t>& shape) {
  return tensor.View(InferShape(shape, tensor.numel()));
}

Tensor Reshape(const Tensor& tensor, const std::vector<int64_t>& shape) {
  const std::vector<int64_t> inferred = InferShape(shape, tensor.numel());
  if (std::optional<Tensor> view = tensor.ViewIfViewable(inferred)) return *view;
  return Clone(tensor).View(inferred);
}

Tensor Flatten(const Tensor& tensor, int64_t start_dim, int64_t end_dim) {
  const int64_t ndim = static_cast<int64_t>(tensor.ndim());
  const int64_t start = WrapDimAllowingScalar(start_dim, ndim);
  const int64_t end = WrapDimAllowingScalar(end_dim, ndim);
  if (start > end) {
    Fail(ErrorKind::kInvalidArgument,
         "flatten() has invalid args: start_dim cannot come after end_dim");
  }
  if (ndim == 0) return Reshape(tensor, {1});
  if (start == end) return tensor;
  const std::vector<int64_t>& shape = tensor.shape();
  std::vector<int64_t> flat(shape.begin(), shape.begin() + start);
  flat.push_back(Product(shape, static_cast<size_t>(start), static_cast<size_t>(end) + 1));
  flat.insert(flat.end(), shape.begin() + end + 1, shape.end());
  return Reshape(tensor, flat);
}

}  // namespace qtensor::core

#include "core/tensor.h"

#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "core/block_layout.h"
#include "core/error.h"

namespace qtensor::core {
namespace {

int64_t Product(const std::vector<int64_t>& shape, size_t begin, size_t end) {
  int64_t product = 1;
  for (size_t d = begin; d < end; ++d) product *= shape[d];
  return product;
}

// Python's slice.indices(): clamps start and stop into the dim and returns
// the number of elements the slice walks.
int64_t AdjustSliceIndices(int64_t length, int64_t step, int64_t& start, int64_t& stop) {
  auto clamp = [&](int64_t& index) {
    if (index < 0) {
      index += length;
      if (index < 0) index = step < 0 ? -1 : 0;
    } else if (index >= length) {
      index = step < 0 ? length - 1 : length;
    }
  };
  clamp(start);
  clamp(stop);
  if (step < 0) return stop < start ? (start - stop - 1) / -step + 1 : 0;
  return start < stop ? (stop - start - 1) / step + 1 : 0;
}

}  // namespace

Tensor Tensor::Empty(const std::vector<int64_t>& shape, const Quantizer& quantizer) {
  CheckedNumel(shape, quantizer.dtype());
  return Tensor(std::make_shared<Storage>(shape, quantizer));
}

Tensor Tensor::ForOverwrite(const std::vector<int64_t>& shape, const Quantizer& quantizer) {
  CheckedNumel(shape, quantizer.dtype());
  return Tensor(std::make_shared<Storage>(shape, quantizer, StorageInit::kCallerWritesAll));
}

Tensor::Tensor(std::shared_ptr<Storage> storage)
    : storage_(std::move(storage)),
      shape_(storage_->shape()),
      base_dim_(shape_.size()),
      step_(shape_.size(), 1),
      origin_(shape_.size(), 0) {
  std::iota(base_dim_.begin(), base_dim_.end(), 0);
}

int64_t Tensor::numel() const { return Product(shape_, 0, shape_.size()); }

std::vector<int64_t> Tensor::strides() const {
  std::vector<int64_t> strides(shape_.size());
  for (size_t d = 0; d < shape_.size(); ++d) {
    const int64_t b = base_dim_[d];
    strides[d] = b < 0 ? step_[d] : step_[d] * storage_->strides()[b];
  }
  return strides;
}

int64_t Tensor::offset() const {
  int64_t offset = 0;
  for (size_t b = 0; b < origin_.size(); ++b) offset += origin_[b] * storage_->strides()[b];
  return offset;
}

bool Tensor::IsContiguous() const {
  if (numel() == 0) return true;
  const std::vector<int64_t> view_strides = strides();
  int64_t expected = 1;
  for (size_t d = shape_.size(); d-- > 0;) {
    if (shape_[d] == 1) continue;
    if (view_strides[d] != expected) return false;
    expected *= shape_[d];
  }
  return true;
}

bool Tensor::IsWholeStorage() const { return IsContiguous() && numel() == storage_->numel(); }

int64_t Tensor::channel_dim() const {
  const int64_t axis = storage_->channel_axis();
  if (axis < 0) return -1;
  for (size_t d = 0; d < base_dim_.size(); ++d) {
    if (base_dim_[d] == axis) return static_cast<int64_t>(d);
  }
  return -1;
}

std::vector<double> ElementParams::Scales() const {
  return std::vector<double>(channel.scales, channel.scales + channels);
}

std::vector<int64_t> ElementParams::ZeroPoints() const {
  return std::vector<int64_t>(channel.zero_points, channel.zero_points + channels);
}

std::vector<float> ElementParams::FloatZeroPoints() const {
  return std::vector<float>(float_zero_points, float_zero_points + channels);
}

ElementParams Tensor::Params() const {
  const Quantizer& quantizer = storage_->quantizer();
  if (quantizer.per_block()) {
    Fail(ErrorKind::kTypeMismatch,
         "this operation takes per-tensor or per-channel tensors, not per-block ones (requantize "
         "first)");
  }
  const kernels::ChannelParams all = quantizer.KernelParams();
  const int64_t axis = storage_->channel_axis();
  ElementParams params;
  params.per_channel_arithmetic = axis >= 0;
  params.channel_dim = channel_dim();
  params.inner = static_cast<size_t>(numel());
  params.channel = all;
  if (axis < 0) return params;
  const float* float_zero_points =
      quantizer.float_qparams() ? quantizer.float_zero_points().data() : nullptr;
  if (params.channel_dim < 0) {
    params.channel = all.From(static_cast<size_t>(origin_[axis]));
    if (float_zero_points != nullptr) params.float_zero_points = float_zero_points + origin_[axis];
    return params;
  }
  const size_t d = static_cast<size_t>(params.channel_dim);
  const int64_t first = origin_[axis], count = shape_[d], step = step_[d];
  if (step == 1) {  // the usual case, a run of the storage's channels
    params.channel = all.From(static_cast<size_t>(first));
    if (float_zero_points != nullptr) params.float_zero_points = float_zero_points + first;
  } else {
    std::vector<double> scales;
    std::vector<int64_t> zero_points;
    std::vector<float> picked_float;
    scales.reserve(static_cast<size_t>(count));
    zero_points.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      scales.push_back(quantizer.scales()[first + i * step]);
      zero_points.push_back(quantizer.zero_points()[first + i * step]);
      if (float_zero_points != nullptr) picked_float.push_back(float_zero_points[first + i * step]);
    }
    params.picked =
        std::make_shared<const ChannelTables>(std::move(scales), std::move(zero_points));
    params.channel = params.picked->Params();
    if (float_zero_points != nullptr) {
      params.picked_float = std::make_shared<const std::vector<float>>(std::move(picked_float));
      params.float_zero_points = params.picked_float->data();
    }
  }
  params.outer = static_cast<size_t>(Product(shape_, 0, d));
  params.channels = static_cast<size_t>(shape_[d]);
  params.inner = static_cast<size_t>(Product(shape_, d + 1, shape_.size()));
  return params;
}

Quantizer Tensor::EffectiveQuantizer() const {
  if (storage_->quantizer().per_block()) return PerBlockQuantizerOf(*this);
  if (storage_->channel_axis() < 0) return storage_->quantizer();
  const ElementParams params = Params();
  const Quantizer& base = storage_->quantizer();
  if (base.float_qparams()) {
    // No per-tensor form has a float zero point: a view without the channel
    // dim keeps its one channel, without an axis.
    if (params.channel_dim < 0) return base.OneChannel(static_cast<size_t>(origin_[base.axis()]));
    const std::vector<double> scales = params.Scales();
    return Quantizer::PerChannelFloatQParams(dtype(),
                                             std::vector<float>(scales.begin(), scales.end()),
                                             params.FloatZeroPoints(), params.channel_dim)
        .WithForms(base.forms());
  }
  if (params.channel_dim < 0) {
    return Quantizer::PerTensor(dtype(), params.scale(0), params.zero_point(0),
                                storage_->quantizer().forms());
  }
  return Quantizer::PerChannel(dtype(), params.Scales(), params.ZeroPoints(), params.channel_dim,
                               storage_->quantizer().forms());
}

int64_t Tensor::PositionOf(const std::vector<int64_t>& index) const {
  int64_t position = offset();
  const std::vector<int64_t> view_strides = strides();
  for (size_t d = 0; d < index.size(); ++d) position += index[d] * view_strides[d];
  return position;
}

int64_t Tensor::ChannelOf(const std::vector<int64_t>& index) const {
  if (storage_->quantizer().per_block()) {
    return static_cast<int64_t>(BlockLayout(*storage_).ParamOf(PositionOf(index)));
  }
  const int64_t axis = storage_->channel_axis();
  if (axis < 0) return 0;
  const int64_t d = channel_dim();
  return d < 0 ? origin_[axis] : origin_[axis] + index[d] * step_[d];
}

int64_t Tensor::WrapDim(int64_t dim) const {
  const int64_t ndim = static_cast<int64_t>(shape_.size());
  if (ndim == 0) {
    Fail(ErrorKind::kOutOfRange,
         "dimension specified as " + std::to_string(dim) + " but tensor has no dimensions");
  }
  if (dim < -ndim || dim >= ndim) {
    Fail(ErrorKind::kOutOfRange, "dimension out of range (expected to be in range of [" +
                                     std::to_string(-ndim) + ", " + std::to_string(ndim - 1) +
                                     "], but got " + std::to_string(dim) + ")");
  }
  return dim < 0 ? dim + ndim : dim;
}

Tensor Tensor::Select(int64_t dim, int64_t index) const {
  const int64_t d = WrapDim(dim);
  const int64_t size = shape_[d];
  if (index < -size || index >= size) {
    Fail(ErrorKind::kOutOfRange, "index " + std::to_string(index) +
                                     " is out of bounds for dimension " + std::to_string(d) +
                                     " with size " + std::to_string(size));
  }
  if (index < 0) index += size;
  Tensor view = *this;
  if (base_dim_[d] >= 0) view.origin_[base_dim_[d]] += index * step_[d];
  view.shape_.erase(view.shape_.begin() + d);
  view.base_dim_.erase(view.base_dim_.begin() + d);
  view.step_.erase(view.step_.begin() + d);
  return view;
}

Tensor Tensor::Slice(int64_t dim, int64_t start, int64_t stop, int64_t step) const {
  const int64_t d = WrapDim(dim);
  if (step == 0) Fail(ErrorKind::kInvalidArgument, "slice step cannot be zero");
  // As Python does, so that -step cannot overflow.
  if (step == std::numeric_limits<int64_t>::min()) step = -std::numeric_limits<int64_t>::max();
  const int64_t size = AdjustSliceIndices(shape_[d], step, start, stop);
  Tensor view = *this;
  view.shape_[d] = size;
  if (size > 0 && base_dim_[d] >= 0) view.origin_[base_dim_[d]] += start * step_[d];
  // With two or more elements |step| < shape[d], so the product stays within
  // the base dim; with fewer the step is never used.
  view.step_[d] = size > 1 ? step_[d] * step : 1;
  return view;
}

Tensor Tensor::Narrow(int64_t dim, int64_t start, int64_t length) const {
  const int64_t d = WrapDim(dim);
  const int64_t size = shape_[d];
  if (start < -size || start > size) {
    Fail(ErrorKind::kOutOfRange, "narrow start " + std::to_string(start) +
                                     " is out of range for dimension " + std::to_string(d) +
                                     " with size " + std::to_string(size));
  }
  if (start < 0) start += size;
  if (length < 0 || length > size - start) {
    Fail(ErrorKind::kOutOfRange, "narrow: start (" + std::to_string(start) + ") + length (" +
                                     std::to_string(length) + ") exceeds dimension size (" +
                                     std::to_string(size) + ")");
  }
  return Slice(d, start, start + length, 1);
}

Tensor Tensor::Transpose(int64_t dim0, int64_t dim1) const {
  const int64_t d0 = WrapDim(dim0);
  const int64_t d1 = WrapDim(dim1);
  Tensor view = *this;
  std::swap(view.shape_[d0], view.shape_[d1]);
  std::swap(view.base_dim_[d0], view.base_dim_[d1]);
  std::swap(view.step_[d0], view.step_[d1]);
  return view;
}

Tensor Tensor::Permute(const std::vector<int64_t>& dims) const {
  if (dims.size() != shape_.size()) {
    Fail(ErrorKind::kInvalidArgument, "permute: got " + std::to_string(dims.size()) +
                                          " dims for a tensor of rank " +
                                          std::to_string(shape_.size()));
  }
  std::vector<bool> seen(shape_.size(), false);
  Tensor view = *this;
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = WrapDim(dims[i]);
    if (seen[d]) {
      Fail(ErrorKind::kInvalidArgument, "permute: dim " + std::to_string(d) + " repeats");
    }
    seen[d] = true;
    view.shape_[i] = shape_[d];
    view.base_dim_[i] = base_dim_[d];
    view.step_[i] = step_[d];
  }
  return view;
}

}  // namespace qtensor::core

// A tensor is a view of a storage. Each of its dims walks one dim of the
// storage's base shape (select removes dims, so some base dims may be walked
// by none and sit at a fixed coordinate). Recording that mapping, rather than
// bare strides, is what lets every view find each element's own channel:
//   base coordinate of base dim b = origin[b] + sum over view dims d walking b
//                                   of index[d] * step[d]
// and strides and offset follow from it. A view dim may also walk no base
// dim (base dim -1): a size-1 dim from unsqueeze or view, or any dim of an
// empty view; its step is then its stride in elements. A dim that view()
// merged from several base dims walks the innermost of them, past that
// dim's extent: the sum stays each element's position, and no dim but the
// channel dim ever walks a per-channel storage's channel axis.
#ifndef QTENSOR_CORE_TENSOR_H_
#define QTENSOR_CORE_TENSOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/channel_tables.h"
#include "core/quantizer.h"
#include "core/storage.h"

namespace qtensor::core {

// How to (de)quantize a view's elements in row-major order: the view is seen
// as [outer][channels][inner] around its channel dim, and element (o, c, i)
// uses channel c of `channel`. Without a channel dim, channels is 1.
struct ElementParams {
  // True when the storage is per-channel: dequantize then uses the
  // per-channel (double) formula, even for a view that selected away the
  // channel axis, so every view dequantizes bit for bit like its base.
  bool per_channel_arithmetic = false;
  int64_t channel_dim = -1;  // the view dim walking the channels, or -1
  size_t outer = 1, channels = 1, inner = 1;
  // The view's channels in order: a run of the storage quantizer's tables
  // (valid while the storage keeps that quantizer), or for a view stepping
  // over its channels, the tables in `picked`.
  kernels::ChannelParams channel;
  std::shared_ptr<const ChannelTables> picked;
  // Float qparams: the same channels' float zero points (in `picked_float`
  // when picked), which replace channel.zero_points; else nullptr.
  const float* float_zero_points = nullptr;
  std::shared_ptr<const std::vector<float>> picked_float;

  double scale(size_t c) const { return channel.scales[c]; }
  int64_t zero_point(size_t c) const { return channel.zero_points[c]; }
  std::vector<double> Scales() const;  // of the `channels` channels
  std::vector<int64_t> ZeroPoints() const;
  std::vector<float> FloatZeroPoints() const;
};

class Tensor {
 public:
  // A new zero-filled contiguous tensor in a storage of its own.
  static Tensor Empty(const std::vector<int64_t>& shape, const Quantizer& quantizer);
  // The same with its integers not yet written: for callers that write
  // every element before the tensor is seen.
  static Tensor ForOverwrite(const std::vector<int64_t>& shape, const Quantizer& quantizer);
  // The identity view of a whole storage.
  explicit Tensor(std::shared_ptr<Storage> storage);

  const std::shared_ptr<Storage>& storage() const { return storage_; }
  DType dtype() const { return storage_->dtype(); }
  const std::vector<int64_t>& shape() const { return shape_; }
  size_t ndim() const { return shape_.size(); }
  int64_t numel() const;
  std::vector<int64_t> strides() const;
  int64_t offset() const;  // in elements from the storage's start
  bool IsContiguous() const;
  // Contiguous and covering every element of its storage.
  bool IsWholeStorage() const;

  // The view dim walking the storage's channel axis, or -1.
  int64_t channel_dim() const;
  // Throws kTypeMismatch for a per-block storage, whose parameters follow
  // each element's position instead (core/block_layout.h).
  ElementParams Params() const;
  // The view's own quantizer, in its own dim numbering (docs/design.md).
  Quantizer EffectiveQuantizer() const;
  // The base dim walked by view dim d, or -1 (see the opening comment).
  int64_t base_dim(int64_t d) const { return base_dim_[d]; }
  // The step of view dim d in base coordinates (see the opening comment).
  int64_t step(int64_t d) const { return step_[d]; }

  // Position in the storage (in elements) of the element at a full index
  // (already checked and non-negative), and that element's channel (per
  // block: the index of its parameters).
  int64_t PositionOf(const std::vector<int64_t>& index) const;
  int64_t ChannelOf(const std::vector<int64_t>& index) const;

  // Views. Negative dims and indices count from the end.
  Tensor Select(int64_t dim, int64_t index) const;
  Tensor Slice(int64_t dim, int64_t start, int64_t stop, int64_t step) const;
  Tensor Narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor Transpose(int64_t dim0, int64_t dim1) const;
  Tensor Permute(const std::vector<int64_t>& dims) const;
  // Shape views (src/core/reshape.cc). View takes a shape already checked
  // by InferShape (core/reshape.h) and throws where torch's view does, and
  // where it would merge or split a per-channel view's channel dim;
  // ViewIfViewable gives nullopt instead for a stride layout that
  // cannot be viewed so.
  Tensor View(const std::vector<int64_t>& shape) const;
  std::optional<Tensor> ViewIfViewable(const std::vector<int64_t>& shape) const;
  Tensor Unsqueeze(int64_t dim) const;
  Tensor Squeeze() const;             // every size-1 dim
  Tensor Squeeze(int64_t dim) const;  // dim if its size is 1, else the same view

  // A checked, non-negative form of dim for this tensor's rank.
  int64_t WrapDim(int64_t dim) const;

 private:
  std::shared_ptr<Storage> storage_;
  std::vector<int64_t> shape_;
  std::vector<int64_t> base_dim_;  // per view dim
  std::vector<int64_t> step_;      // per view dim, in base coordinates
  std::vector<int64_t> origin_;    // per base dim
};

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_TENSOR_H_

#include "ops/selected_like.h"

#include <string>

#include "core/error.h"
#include "core/quantizer.h"

namespace qtensor::ops {
namespace {

using core::ErrorKind;
using core::Fail;
using core::Quantizer;
using core::Tensor;

// quantizer (per channel, along the selected dim) with its channels picked.
Quantizer PickedChannels(const Quantizer& quantizer, const std::vector<int64_t>& indices) {
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  std::vector<float> float_scales;
  std::vector<float> float_zero_points;
  for (const int64_t index : indices) {
    const auto c = static_cast<size_t>(index);
    scales.push_back(quantizer.scales()[c]);
    zero_points.push_back(quantizer.zero_points()[c]);
    if (quantizer.float_qparams()) {
      float_scales.push_back(static_cast<float>(quantizer.scales()[c]));
      float_zero_points.push_back(quantizer.float_zero_points()[c]);
    }
  }
  if (quantizer.float_qparams()) {
    return Quantizer::PerChannelFloatQParams(quantizer.dtype(), float_scales,
                                             std::move(float_zero_points), quantizer.axis())
        .WithForms(quantizer.forms());
  }
  return Quantizer::PerChannel(quantizer.dtype(), std::move(scales), std::move(zero_points),
                               quantizer.axis(), quantizer.forms());
}

// A zero-filled tensor of shape with like's parameters for every element,
// like's channel dim (if any) keeping like's channels; a view that selected
// away a per-channel axis keeps its one channel as Clone does.
Tensor ZerosWithParamsOf(const Tensor& like, const std::vector<int64_t>& shape,
                         const Quantizer* channels) {
  if (like.storage()->quantizer().per_block()) {
    return Tensor::Empty(shape, like.EffectiveQuantizer());
  }
  const core::ElementParams params = like.Params();
  if (params.per_channel_arithmetic && params.channel_dim < 0) {
    // Its one channel as a size-1 base dim selected away again, so every
    // element dequantizes with the per-channel formula as like's do.
    std::vector<int64_t> base_shape = shape;
    base_shape.insert(base_shape.begin(), 1);
    const auto channel = like.ChannelOf(std::vector<int64_t>(like.ndim(), 0));
    const Quantizer one_channel =
        like.storage()->quantizer().OneChannel(static_cast<size_t>(channel)).WithAxis(0);
    return Tensor::Empty(base_shape, one_channel).Select(0, 0);
  }
  return Tensor::Empty(shape, channels != nullptr ? *channels : like.EffectiveQuantizer());
}

}  // namespace

Tensor EmptyLike(const Tensor& like) { return ZerosWithParamsOf(like, like.shape(), nullptr); }

Tensor SelectedLike(const Tensor& like, int64_t dim, const std::vector<int64_t>& indices,
                    const char* what) {
  if (like.storage()->quantizer().per_block()) {
    Fail(ErrorKind::kTypeMismatch,
         std::string(what) +
             ": a per-block quantized tensor's parameters follow each element's position; "
             "requantize it to per-tensor or per-channel parameters first");
  }
  std::vector<int64_t> shape = like.shape();
  shape[static_cast<size_t>(dim)] = static_cast<int64_t>(indices.size());
  if (like.channel_dim() == dim) {
    const Quantizer picked = PickedChannels(like.EffectiveQuantizer(), indices);
    return ZerosWithParamsOf(like, shape, &picked);
  }
  return ZerosWithParamsOf(like, shape, nullptr);
}

}  // namespace qtensor::ops

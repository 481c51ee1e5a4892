#include "ops/masked_fill.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/dtype.h"
#include "core/tensor_ops.h"

namespace qtensor::ops {

using core::Tensor;

void MaskedFillInPlace(const Tensor& tensor, const bool* mask, float value) {
  if (tensor.numel() == 0) return;
  // value quantized with every element's parameters: a filled copy.
  const Tensor filled = core::Clone(tensor);
  core::Fill(filled, value);
  const size_t width = core::ElementSize(tensor.dtype());
  const auto numel = static_cast<size_t>(tensor.numel());
  std::vector<uint8_t> ints(numel * width);
  std::vector<uint8_t> fill_ints(numel * width);
  core::IntRepr(tensor, ints.data());
  core::IntRepr(filled, fill_ints.data());
  for (size_t i = 0; i < numel; ++i) {
    if (mask[i]) std::memcpy(&ints[i * width], &fill_ints[i * width], width);
  }
  core::WriteIntRepr(tensor, ints.data());
}

}  // namespace qtensor::ops

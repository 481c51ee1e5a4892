// Helpers of the operator tests: random inputs, and a tensor's integers as
// bytes to compare results with.
#ifndef QTENSOR_TESTS_OPS_TENSOR_HELPERS_H_
#define QTENSOR_TESTS_OPS_TENSOR_HELPERS_H_

#include <cstdint>
#include <random>
#include <vector>

#include "core/dtype.h"
#include "core/tensor_ops.h"

namespace qtensor::ops {

// A tensor of the given shape and parameters holding normally distributed
// values (the same for a seed).
inline core::Tensor RandomTensor(const std::vector<int64_t>& shape,
                                 const core::Quantizer& quantizer, uint32_t seed,
                                 float spread = 3.0f) {
  int64_t numel = 1;
  for (int64_t size : shape) numel *= size;
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, spread);
  std::vector<float> values(static_cast<size_t>(numel));
  for (float& v : values) v = normal(rng);
  return core::Quantize(values.data(), shape, quantizer);
}

// The view's integers, row-major, as bytes.
inline std::vector<uint8_t> IntBytes(const core::Tensor& tensor) {
  std::vector<uint8_t> bytes(static_cast<size_t>(tensor.numel()) *
                             core::ElementSize(tensor.dtype()));
  core::IntRepr(tensor, bytes.data());
  return bytes;
}

}  // namespace qtensor::ops

#endif  // QTENSOR_TESTS_OPS_TENSOR_HELPERS_H_

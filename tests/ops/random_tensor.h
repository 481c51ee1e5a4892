// Test inputs for the operators: a tensor of the given shape and
// parameters holding normally distributed values (the same for a seed).
#ifndef QTENSOR_TESTS_OPS_RANDOM_TENSOR_H_
#define QTENSOR_TESTS_OPS_RANDOM_TENSOR_H_

#include <cstdint>
#include <random>
#include <vector>

#include "core/tensor_ops.h"

namespace qtensor::ops {

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

}  // namespace qtensor::ops

#endif  // QTENSOR_TESTS_OPS_RANDOM_TENSOR_H_

// leaky_relu against its definition: dequantize, x >= 0 ? x : x * slope in
// float32, quantize with the source's own parameters; views, per-channel
// tensors and every dtype; bad slopes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "kernels/elementwise_kernels.h"
#include "kernels/quantize_kernels.h"
#include "ops/float_unary.h"
#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

TEST_CASE("leaky_relu is its float formula on the dequantized values") {
  for (DType dtype : {DType::kQInt8, DType::kQUInt8, DType::kQInt32}) {
    const int64_t zp = dtype == DType::kQUInt8 ? 120 : -3;
    const Tensor per_tensor = RandomTensor({4, 5, 6}, Quantizer::PerTensor(dtype, 0.043, zp), 1);
    const Tensor per_channel =
        RandomTensor({4, 5, 6},
                     Quantizer::PerChannel(dtype, {0.01, 0.02, 0.03, 0.04, 0.05},
                                           {zp, zp + 1, zp + 2, zp, zp}, 1),
                     2);
    for (const Tensor& source : {per_tensor, per_tensor.Transpose(0, 2).Slice(1, 0, 5, 2),
                                 per_channel, per_channel.Select(2, 3)}) {
      for (float slope : {0.01f, 1.5f, -0.3f, 0.0f}) {
        std::vector<float> values(static_cast<size_t>(source.numel()));
        core::Dequantize(source, values.data());
        for (float& v : values) v = v >= 0.0f ? v : v * slope;
        const Tensor expected =
            core::Quantize(values.data(), source.shape(), source.EffectiveQuantizer());
        const Tensor actual = LeakyRelu(source, slope);
        CHECK(actual.EffectiveQuantizer() == source.EffectiveQuantizer());
        CHECK(IntBytes(actual) == IntBytes(expected));
      }
    }
  }
}

TEST_CASE("sigmoid and tanh are their float formulas, quantized with fixed parameters") {
  struct Fixed {
    DType dtype;
    double sigmoid_scale, tanh_scale;
    int64_t sigmoid_zero_point, tanh_zero_point;
  };
  const Fixed fixed[] = {{DType::kQUInt8, 1.0 / 256, 1.0 / 128, 0, 128},
                         {DType::kQInt8, 1.0 / 256, 1.0 / 128, -128, 0},
                         {DType::kQInt32, std::ldexp(1.0, -32), std::ldexp(1.0, -31), 0, 0}};
  for (const Fixed& f : fixed) {
    const Tensor source =
        RandomTensor({4, 5}, Quantizer::PerTensor(f.dtype, 0.05, 3), 4).Transpose(0, 1);
    std::vector<float> values(static_cast<size_t>(source.numel()));
    core::Dequantize(source, values.data());
    std::vector<float> sigmoid(values.size()), tanh(values.size());
    kernels::scalar::SigmoidFloats(values.data(), values.size(), sigmoid.data());
    kernels::scalar::TanhFloats(values.data(), values.size(), tanh.data());
    const Quantizer sigmoid_q =
        Quantizer::PerTensor(f.dtype, f.sigmoid_scale, f.sigmoid_zero_point);
    const Quantizer tanh_q = Quantizer::PerTensor(f.dtype, f.tanh_scale, f.tanh_zero_point);
    CHECK(Sigmoid(source).EffectiveQuantizer() == sigmoid_q);
    CHECK(Tanh(source).EffectiveQuantizer() == tanh_q);
    CHECK(IntBytes(Sigmoid(source)) ==
          IntBytes(core::Quantize(sigmoid.data(), source.shape(), sigmoid_q)));
    CHECK(IntBytes(Tanh(source)) == IntBytes(core::Quantize(tanh.data(), source.shape(), tanh_q)));
  }
}

TEST_CASE("hardswish quantizes its formula with (float)(1 / scale)") {
  for (DType dtype : {DType::kQInt8, DType::kQUInt8, DType::kQInt32}) {
    const int64_t zp = dtype == DType::kQUInt8 ? 128 : -3;
    const Tensor source =
        RandomTensor({6, 7}, Quantizer::PerTensor(dtype, 0.05, zp), 5).Slice(1, 0, 7, 2);
    std::vector<float> values(static_cast<size_t>(source.numel()));
    core::Dequantize(source, values.data());
    const double scale = 0.03;  // 1 / (float)0.03 and (float)(1 / 0.03) differ
    const float inverse = static_cast<float>(1.0 / scale);
    REQUIRE(inverse != 1.0f / static_cast<float>(scale));
    const Tensor actual = Hardswish(source, scale, zp + 1);
    CHECK(actual.EffectiveQuantizer() == Quantizer::PerTensor(dtype, scale, zp + 1));
    std::vector<uint8_t> want;
    core::VisitDType(dtype, [&](auto t) {
      using T = decltype(t);
      for (float x : values) {
        const float y = x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
        const T q = kernels::scalar::QuantizeValue<T>(y, inverse, zp + 1);
        const auto* bytes = reinterpret_cast<const uint8_t*>(&q);
        want.insert(want.end(), bytes, bytes + sizeof(T));
      }
    });
    CHECK(IntBytes(actual) == want);
  }
  const Tensor source = RandomTensor({3}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0), 6);
  CHECK_THROWS_AS(Hardswish(source, 0.0, 0), core::Error);
  CHECK_THROWS_AS(Hardswish(source, 0.1, 128), core::Error);
}

TEST_CASE("leaky_relu refuses a slope that is not finite") {
  const Tensor source = RandomTensor({3}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0), 3);
  CHECK_THROWS_AS(LeakyRelu(source, NAN), core::Error);
  CHECK_THROWS_AS(LeakyRelu(source, -INFINITY), core::Error);
}

}  // namespace
}  // namespace qtensor::ops

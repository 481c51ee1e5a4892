// Per-block 4-bit tensors through the core, as a user quantizes a weight:
// 16 Mi floats of a [4096, 4096] matrix into quint4 (two values a byte) with
// a scale and zero point per block of 32 along the last axis, and back to
// floats; against memcpy of the same traffic (floats, packed bytes and the
// float scales and int32 zero points the kernels read). Names:
// per_block_<op>/quint4/b32/16777216/<qtensor|memcpy>, and quantize with
// ONNX's and GGUF's (Q4_0) rounding: .../qtensor_onnx, .../qtensor_gguf
// (float16 scales; GGUF's zero points are 8).
#include <cstdint>
#include <string>
#include <vector>

#include "bench_util.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"

namespace qtensor::bench {
namespace {

constexpr int64_t kRows = 4096, kColumns = 4096, kBlock = 32;
constexpr size_t kElements = static_cast<size_t>(kRows * kColumns);
constexpr size_t kParams = kElements / kBlock;
constexpr size_t kTraffic = kElements * sizeof(float) + kElements / 2 + kParams * 8;

// GGUF's rounding needs float16 scales (these are float16 values) and Q4_0's
// zero points of 8.
core::Quantizer Blocks(core::Rounding rounding = core::Rounding::kPyTorch) {
  std::vector<double> scales(kParams);
  std::vector<int64_t> zero_points(kParams);
  for (size_t p = 0; p < kParams; ++p) {
    scales[p] = 0.75 + static_cast<double>(p % 13) * 0.0625;
    zero_points[p] = rounding == core::Rounding::kGguf ? 8 : 6 + static_cast<int64_t>(p % 5);
  }
  core::Quantizer q =
      core::Quantizer::PerBlock(core::DType::kQUInt4, scales, zero_points, 1, kBlock);
  if (rounding == core::Rounding::kPyTorch) return q;
  return q.WithScaleType(core::ScaleType::kFloat16).WithRounding(rounding);
}

void Quantize(benchmark::State& state, core::Rounding rounding) {
  const Array<float> x = TestFloats(kElements);
  const core::Tensor q = core::Tensor::Empty({kRows, kColumns}, Blocks(rounding));
  for (auto _ : state) {
    core::QuantizeInto(q, x.data());
    benchmark::ClobberMemory();
  }
  Report(state, kElements, kTraffic);
}

void Dequantize(benchmark::State& state) {
  const Array<float> x = TestFloats(kElements);
  const core::Tensor q = core::Quantize(x.data(), {kRows, kColumns}, Blocks());
  Array<float> out(kElements);
  for (auto _ : state) {
    core::Dequantize(q, out.data());
    benchmark::ClobberMemory();
  }
  Report(state, kElements, kTraffic);
}

}  // namespace

void RegisterPerBlockBenchmarks() {
  const std::string suffix = "/quint4/b32/" + std::to_string(kElements);
  Register("per_block_quantize" + suffix + "/qtensor",
           [](benchmark::State& state) { Quantize(state, core::Rounding::kPyTorch); });
  Register("per_block_quantize" + suffix + "/qtensor_onnx",
           [](benchmark::State& state) { Quantize(state, core::Rounding::kOnnx); });
  Register("per_block_quantize" + suffix + "/qtensor_gguf",
           [](benchmark::State& state) { Quantize(state, core::Rounding::kGguf); });
  Register("per_block_quantize" + suffix + "/memcpy",
           [](benchmark::State& state) { MemcpyBaseline(state, kElements, kTraffic); });
  Register("per_block_dequantize" + suffix + "/qtensor", Dequantize);
  Register("per_block_dequantize" + suffix + "/memcpy",
           [](benchmark::State& state) { MemcpyBaseline(state, kElements, kTraffic); });
}

}  // namespace qtensor::bench

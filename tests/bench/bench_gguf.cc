// GGUF's Q4_0 blocks (src/kernels/gguf_block_kernels.h): quantize and
// dequantize of 16 Mi floats, the dispatched kernel and the scalar one,
// beside a memcpy of the same traffic (the floats plus 18 bytes a block).
// Names: gguf_q4_0_{quantize,dequantize}/16777216/{kernel,scalar,memcpy}.
// And GGUF rounding with given scales (src/kernels/gguf_rounding_kernels.h),
// one byte out per float: Q8_0's and Q4_0's values for a [4096, 4096]
// weight with a float scale per block of 32 along its rows, beside a memcpy
// of the floats, the bytes and the scales. Names:
// gguf_rounding_{q8_0,q4_0}/b32/16777216/{kernel,scalar,memcpy}.
#include <string>
#include <vector>

#include "bench_util.h"
#include "kernels/gguf_block_kernels.h"
#include "kernels/gguf_rounding_kernels.h"

namespace qtensor::bench {
namespace {

namespace kernels = qtensor::kernels;

constexpr size_t kElements = size_t{16} << 20;
constexpr size_t kBlockBytes = kElements / kernels::kGgufBlock * kernels::kQ4_0BlockBytes;
constexpr size_t kTraffic = kElements * sizeof(float) + kBlockBytes;

constexpr size_t kRowLength = 4096;
constexpr size_t kRoundingTraffic =
    kElements * sizeof(float) + kElements + kElements / kernels::kGgufBlock * sizeof(float);

void RegisterGgufRoundingBenchmarks() {
  const std::string suffix = "/b32/" + std::to_string(kElements);
  for (const auto values : {kernels::GgufValues::kQ8_0, kernels::GgufValues::kQ4_0}) {
    std::string name =
        values == kernels::GgufValues::kQ8_0 ? "gguf_rounding_q8_0" : "gguf_rounding_q4_0";
    name += suffix;
    for (const bool simd : {true, false}) {
      Register(name + (simd ? "/kernel" : "/scalar"), [simd, values](benchmark::State& state) {
        const Array<float> x = TestFloats(kElements);
        std::vector<float> scales(kElements / kernels::kGgufBlock);
        for (size_t p = 0; p < scales.size(); ++p) {
          const float d = 0.0625f + static_cast<float>(p % 13) * 0.0078125f;
          scales[p] = values == kernels::GgufValues::kQ4_0 ? -d : d;
        }
        const kernels::BlockRows b{kElements / kRowLength, kRowLength, kernels::kGgufBlock};
        Array<uint8_t> q(kElements);
        for (auto _ : state) {
          (simd ? kernels::QuantizeGgufBlockRows : kernels::scalar::QuantizeGgufBlockRows)(
              values, x.data(), b, scales.data(), q.data());
          benchmark::ClobberMemory();
        }
        Report(state, kElements, kRoundingTraffic);
      });
    }
    Register(name + "/memcpy",
             [](benchmark::State& state) { MemcpyBaseline(state, kElements, kRoundingTraffic); });
  }
}

}  // namespace

void RegisterGgufBenchmarks() {
  const std::string suffix = "/" + std::to_string(kElements);
  for (const bool simd : {true, false}) {
    const char* impl = simd ? "/kernel" : "/scalar";
    Register("gguf_q4_0_quantize" + suffix + impl, [simd](benchmark::State& state) {
      const Array<float> x = TestFloats(kElements);
      Array<uint8_t> q(kBlockBytes);
      for (auto _ : state) {
        (simd ? kernels::QuantizeQ4_0 : kernels::scalar::QuantizeQ4_0)(x.data(), kElements,
                                                                       q.data());
        benchmark::ClobberMemory();
      }
      Report(state, kElements, kTraffic);
    });
    Register("gguf_q4_0_dequantize" + suffix + impl, [simd](benchmark::State& state) {
      const Array<float> x = TestFloats(kElements);
      Array<uint8_t> q(kBlockBytes);
      kernels::scalar::QuantizeQ4_0(x.data(), kElements, q.data());
      Array<float> y(kElements);
      for (auto _ : state) {
        (simd ? kernels::DequantizeQ4_0 : kernels::scalar::DequantizeQ4_0)(q.data(), kElements,
                                                                           y.data());
        benchmark::ClobberMemory();
      }
      Report(state, kElements, kTraffic);
    });
  }
  for (const char* op : {"gguf_q4_0_quantize", "gguf_q4_0_dequantize"}) {
    Register(op + suffix + "/memcpy",
             [](benchmark::State& state) { MemcpyBaseline(state, kElements, kTraffic); });
  }
  RegisterGgufRoundingBenchmarks();
}

}  // namespace qtensor::bench

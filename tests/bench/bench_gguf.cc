// GGUF's Q4_0 blocks (src/kernels/gguf_block_kernels.h): quantize and
// dequantize of 16 Mi floats, the dispatched kernel and the scalar one,
// beside a memcpy of the same traffic (the floats plus 18 bytes a block).
// Names: gguf_q4_0_{quantize,dequantize}/16777216/{kernel,scalar,memcpy}.
#include <string>

#include "bench_util.h"
#include "kernels/gguf_block_kernels.h"

namespace qtensor::bench {
namespace {

namespace kernels = qtensor::kernels;

constexpr size_t kElements = size_t{16} << 20;
constexpr size_t kBlockBytes = kElements / kernels::kGgufBlock * kernels::kQ4_0BlockBytes;
constexpr size_t kTraffic = kElements * sizeof(float) + kBlockBytes;

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
}

}  // namespace qtensor::bench

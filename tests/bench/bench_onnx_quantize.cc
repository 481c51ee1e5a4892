// ONNX's blocked quantize and dequantize (src/kernels/onnx_quantize_kernels.h)
// of 16 Mi floats to int4 values held one per byte, in blocks of 32 along the
// last axis (ONNX's block_size, as 4-bit weights use it): the kernel, the
// scalar kernel and memcpy of the same traffic. Names:
// onnx_<op>/blocked32_last_axis/int4/16777216/<implementation>.
#include <cstdint>
#include <string>

#include "bench_util.h"
#include "kernels/onnx_quantize_kernels.h"

namespace qtensor::bench {
namespace {

namespace onnx = qtensor::kernels::onnx;

constexpr size_t kElements = size_t{16} << 20;
constexpr size_t kRow = 4096;  // the last axis
constexpr size_t kBlock = 32;
constexpr size_t kParams = kElements / kBlock;
// Floats in, one byte out, and a float scale and an int32 zero point a block.
constexpr size_t kTraffic = kElements * (sizeof(float) + 1) + kParams * 8;

// Scales around 1 (TestFloats spans [-8, 8): mostly inside int4's range) and
// zero points in [-2, 2].
struct Params {
  Array<float> scales{kParams};
  Array<int32_t> zero_points{kParams};
  Params() {
    for (size_t p = 0; p < kParams; ++p) {
      scales[p] = 0.75f + static_cast<float>(p % 13) * 0.05f;
      zero_points[p] = static_cast<int32_t>(p % 5) - 2;
    }
  }
  onnx::BlockedParams Blocked() const { return {scales.data(), zero_points.data(), kBlock}; }
};

template <class Quantize>
void QuantizeRow(benchmark::State& state, const Quantize& quantize) {
  const Params p;
  const Array<float> x = TestFloats(kElements);
  Array<int8_t> q(kElements);
  for (auto _ : state) {
    quantize(x.data(), kElements / kRow, kRow, 1, p.Blocked(), q.data());
    benchmark::ClobberMemory();
  }
  Report(state, kElements, kTraffic);
}

template <class Dequantize>
void DequantizeRow(benchmark::State& state, const Dequantize& dequantize) {
  const Params p;
  const Array<float> x = TestFloats(kElements);
  Array<int8_t> q(kElements);
  onnx::scalar::QuantizeBlocked<onnx::Int4Range>(x.data(), kElements / kRow, kRow, 1, p.Blocked(),
                                                 q.data());
  Array<float> out(kElements);
  for (auto _ : state) {
    dequantize(q.data(), kElements / kRow, kRow, 1, p.Blocked(), out.data());
    benchmark::ClobberMemory();
  }
  Report(state, kElements, kTraffic);
}

}  // namespace

void RegisterOnnxQuantizeBenchmarks() {
  const std::string suffix = "/blocked32_last_axis/int4/" + std::to_string(kElements);
  Register("onnx_quantize" + suffix + "/kernel", [](benchmark::State& state) {
    QuantizeRow(state, [](auto... args) { onnx::QuantizeBlocked4Bit(args...); });
  });
  Register("onnx_quantize" + suffix + "/scalar", [](benchmark::State& state) {
    QuantizeRow(state, onnx::scalar::QuantizeBlocked<onnx::Int4Range>);
  });
  Register("onnx_quantize" + suffix + "/memcpy",
           [](benchmark::State& state) { MemcpyBaseline(state, kElements, kTraffic); });
  Register("onnx_dequantize" + suffix + "/kernel", [](benchmark::State& state) {
    DequantizeRow(state, [](auto... args) { onnx::DequantizeBlocked(args...); });
  });
  Register("onnx_dequantize" + suffix + "/scalar", [](benchmark::State& state) {
    DequantizeRow(state, onnx::scalar::DequantizeBlocked<int8_t>);
  });
  Register("onnx_dequantize" + suffix + "/memcpy",
           [](benchmark::State& state) { MemcpyBaseline(state, kElements, kTraffic); });
}

}  // namespace qtensor::bench

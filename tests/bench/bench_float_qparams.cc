// PyTorch's float-qparams quantize and dequantize kernels
// (src/kernels/float_qparams_kernels.h) on 16 Mi int8 values, the
// dispatched kernel and the scalar one, beside a memcpy of the same traffic
// (the floats and the bytes). Two layouts of a [4096, 4096] weight: channels
// on axis 0 (runs of 4096 with one scale) and on the last axis (every lane
// its own scale). Names:
// float_qparams_{quantize,dequantize}/qint8/{axis0,axis1}/16777216/{kernel,scalar,memcpy}.
#include <cstdint>
#include <string>
#include <vector>

#include "bench_util.h"
#include "kernels/float_qparams_kernels.h"

namespace qtensor::bench {
namespace {

namespace kernels = qtensor::kernels;

constexpr size_t kSide = 4096;
constexpr size_t kElements = kSide * kSide;
constexpr size_t kTraffic = kElements * sizeof(float) + kElements;

struct Params {
  std::vector<float> inv_scales, scales, zero_points;
};

Params TestParams() {
  Params p;
  for (size_t c = 0; c < kSide; ++c) {
    p.scales.push_back(0.0625f + static_cast<float>(c % 7) * 0.03125f);
    p.inv_scales.push_back(1.0f / p.scales.back());
    p.zero_points.push_back(static_cast<float>(c % 11) * 0.5f - 2.0f);
  }
  return p;
}

std::string Name(const char* op, const std::string& where, const char* impl) {
  std::string name = op;
  name += where;
  name += impl;
  return name;
}

}  // namespace

void RegisterFloatQParamsBenchmarks() {
  const std::string suffix = "/" + std::to_string(kElements);
  for (const bool last_axis : {false, true}) {
    const kernels::ChannelBlock b =
        last_axis ? kernels::ChannelBlock{kSide, kSide, 1} : kernels::ChannelBlock{1, kSide, kSide};
    const std::string where = (last_axis ? "/qint8/axis1" : "/qint8/axis0") + suffix;
    for (const bool simd : {true, false}) {
      const char* impl = simd ? "/kernel" : "/scalar";
      Register(Name("float_qparams_quantize", where, impl), [simd, b](benchmark::State& state) {
        const Array<float> x = TestFloats(kElements);
        const Params p = TestParams();
        Array<int8_t> q(kElements);
        for (auto _ : state) {
          if (simd) {
            kernels::QuantizeFloatQParamsBlock(x.data(), b, p.inv_scales.data(),
                                               p.zero_points.data(), q.data());
          } else {
            kernels::scalar::QuantizeFloatQParamsBlock(x.data(), b, p.inv_scales.data(),
                                                       p.zero_points.data(), q.data());
          }
          benchmark::ClobberMemory();
        }
        Report(state, kElements, kTraffic);
      });
      Register(Name("float_qparams_dequantize", where, impl), [simd, b](benchmark::State& state) {
        const Array<float> x = TestFloats(kElements);
        const Params p = TestParams();
        Array<int8_t> q(kElements);
        kernels::scalar::QuantizeFloatQParamsBlock(x.data(), b, p.inv_scales.data(),
                                                   p.zero_points.data(), q.data());
        Array<float> y(kElements);
        for (auto _ : state) {
          if (simd) {
            kernels::DequantizeFloatQParamsBlock(q.data(), b, p.scales.data(), p.zero_points.data(),
                                                 y.data());
          } else {
            kernels::scalar::DequantizeFloatQParamsBlock(q.data(), b, p.scales.data(),
                                                         p.zero_points.data(), y.data());
          }
          benchmark::ClobberMemory();
        }
        Report(state, kElements, kTraffic);
      });
    }
    for (const char* op : {"float_qparams_quantize", "float_qparams_dequantize"}) {
      Register(Name(op, where, "/memcpy"),
               [](benchmark::State& state) { MemcpyBaseline(state, kElements, kTraffic); });
    }
  }
}

}  // namespace qtensor::bench

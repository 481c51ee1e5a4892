// Quantized linear and conv2d (issue 15) at the shapes of the report, on one
// thread and two: gemm/linear/<M>x<K>x<N>/t<threads> (and gemm/linear7/...
// with activations of 7 bits),
// gemm/conv/<layer>/t<threads>; items are operations (2 per multiply-add),
// so items_per_second is OPS. Beside them: gemm/linear/.../weights_memcpy,
// a memcpy of the weight bytes (the bandwidth a GEMV's weights stream at),
// and gemm/peak/vpdpbusd, the machine's rate for the instruction the AVX-512
// VNNI kernel is built on (where the CPU has it).
#include <array>
#include <string>
#include <vector>

#include "bench_util.h"
#include "core/parallel.h"
#include "core/quantizer.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"
#include "ops/conv2d.h"
#include "ops/linear.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace qtensor::bench {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

// Values spread over the whole integer range of the input and weight types.
Tensor Activations(const std::vector<int64_t>& shape) {
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  const Array<float> x = TestFloats(n);
  return core::Quantize(x.data(), shape, Quantizer::PerTensor(DType::kQUInt8, 16.0 / 255, 128));
}
// Activations of 7 bits (0..127), as PyTorch's reduce_range observers give:
// the AVX2 kernel's full-rate path.
Tensor SevenBitActivations(const std::vector<int64_t>& shape) {
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  const Array<float> x = TestFloats(n);
  return core::Quantize(x.data(), shape, Quantizer::PerTensor(DType::kQUInt8, 16.0 / 127, 64));
}
Tensor Weights(const std::vector<int64_t>& shape) {
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  const Array<float> w = TestFloats(n);
  std::vector<double> scales(static_cast<size_t>(shape[0]));
  for (size_t i = 0; i < scales.size(); ++i) scales[i] = 0.0625 * (1.0 + 0.01 * (i % 7));
  return core::Quantize(
      w.data(), shape,
      Quantizer::PerChannel(DType::kQInt8, scales, std::vector<int64_t>(scales.size(), 0), 0));
}

// Runs fn on `threads` threads (core::SetNumThreads) for as long as it lives.
struct Threads {
  explicit Threads(int threads) { core::SetNumThreads(threads); }
  ~Threads() { core::SetNumThreads(1); }
  Threads(const Threads&) = delete;
  Threads& operator=(const Threads&) = delete;
};

constexpr std::array<std::array<int64_t, 3>, 4> kLinearShapes{
    {{1, 4096, 4096}, {16, 4096, 4096}, {128, 768, 3072}, {1024, 1024, 1024}}};

// The linear cases: full-range activations on one thread and two, and
// 7-bit ones on one thread.
struct LinearRun {
  const char* family;
  int threads;
  bool seven_bit;
};
constexpr LinearRun kLinearRuns[] = {
    {"linear", 1, false}, {"linear", 2, false}, {"linear7", 1, true}};

void RegisterLinear() {
  for (const auto& s : kLinearShapes) {
    const std::string shape =
        std::to_string(s[0]) + "x" + std::to_string(s[1]) + "x" + std::to_string(s[2]);
    const size_t ops = 2 * static_cast<size_t>(s[0] * s[1] * s[2]);
    for (const LinearRun& run : kLinearRuns) {
      const std::string name =
          std::string("gemm/") + run.family + "/" + shape + "/t" + std::to_string(run.threads);
      Register(name, [=](benchmark::State& state) {
        const Tensor x =
            run.seven_bit ? SevenBitActivations({s[0], s[1]}) : Activations({s[0], s[1]});
        const ops::PackedLinear packed(Weights({s[2], s[1]}),
                                       std::vector<float>(static_cast<size_t>(s[2]), 0.25f));
        const Threads use(run.threads);
        for (auto _ : state) {
          Tensor y = ops::Linear(x, packed, 0.5, 128, false);
          benchmark::DoNotOptimize(y);
        }
        Report(state, ops, static_cast<size_t>(s[1] * s[2]));
      });
    }
    Register("gemm/linear/" + shape + "/weights_memcpy", [=](benchmark::State& state) {
      // Copying the weights' bytes reads and writes them: twice their size.
      MemcpyBaseline(state, ops, 2 * static_cast<size_t>(s[1] * s[2]));
    });
  }
}

struct ConvLayer {
  const char* name;
  int64_t channels, size, out_channels, kernel, stride, groups;
};
// ResNet-18's 3x3 layers and 1x1 downsamples, and MobileNet's depthwise
// 3x3, at batch 1.
constexpr ConvLayer kConvLayers[] = {
    {"resnet3x3_56", 64, 56, 64, 3, 1, 1},       {"resnet3x3_28", 128, 28, 128, 3, 1, 1},
    {"resnet3x3_14", 256, 14, 256, 3, 1, 1},     {"resnet3x3_7", 512, 7, 512, 3, 1, 1},
    {"resnet1x1_56to28", 64, 56, 128, 1, 2, 1},  {"resnet1x1_28to14", 128, 28, 256, 1, 2, 1},
    {"resnet1x1_14to7", 256, 14, 512, 1, 2, 1},  {"mobilenet_dw_112", 32, 112, 32, 3, 1, 32},
    {"mobilenet_dw_56", 128, 56, 128, 3, 1, 128}};

void RegisterConv() {
  for (const ConvLayer& l : kConvLayers) {
    const int64_t pad = l.kernel / 2;
    const int64_t out = (l.size + 2 * pad - l.kernel) / l.stride + 1;
    const size_t ops = 2 * static_cast<size_t>(l.out_channels * out * out *
                                               (l.channels / l.groups) * l.kernel * l.kernel);
    for (const int threads : {1, 2}) {
      Register(std::string("gemm/conv/") + l.name + "/t" + std::to_string(threads),
               [=](benchmark::State& state) {
                 const Tensor x = Activations({1, l.channels, l.size, l.size});
                 ops::Conv2dSettings settings;
                 settings.stride = {l.stride, l.stride};
                 settings.padding = {pad, pad};
                 settings.groups = l.groups;
                 const ops::PackedConv2d packed(
                     Weights({l.out_channels, l.channels / l.groups, l.kernel, l.kernel}),
                     std::vector<float>(static_cast<size_t>(l.out_channels), 0.25f), settings);
                 const Threads use(threads);
                 for (auto _ : state) {
                   Tensor y = ops::Conv2d(x, packed, 0.5, 128, false);
                   benchmark::DoNotOptimize(y);
                 }
                 Report(state, ops, 0);
               });
    }
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
// 16 independent sums, each vpdpbusd 64 multiply-adds: the VNNI kernel's
// instruction at the rate the core issues it.
__attribute__((target("avx512f,avx512vnni"))) void VpdpbusdPeak(benchmark::State& state) {
  __m512i s0{}, s1{}, s2{}, s3{}, s4{}, s5{}, s6{}, s7{}, s8{}, s9{}, s10{}, s11{}, s12{}, s13{},
      s14{}, s15{};
  const __m512i x = _mm512_set1_epi32(0x01020304), w = _mm512_set1_epi32(0x01010101);
  constexpr int64_t kSteps = 1 << 16;
  for (auto _ : state) {
    for (int64_t i = 0; i < kSteps; ++i) {
#define QTENSOR_DPBUSD(s) asm("vpdpbusd %2, %1, %0" : "+v"(s) : "v"(x), "v"(w));
      QTENSOR_DPBUSD(s0)
      QTENSOR_DPBUSD(s1)
      QTENSOR_DPBUSD(s2) QTENSOR_DPBUSD(s3) QTENSOR_DPBUSD(s4) QTENSOR_DPBUSD(s5) QTENSOR_DPBUSD(s6)
          QTENSOR_DPBUSD(s7) QTENSOR_DPBUSD(s8) QTENSOR_DPBUSD(s9) QTENSOR_DPBUSD(s10)
              QTENSOR_DPBUSD(s11) QTENSOR_DPBUSD(s12) QTENSOR_DPBUSD(s13) QTENSOR_DPBUSD(s14)
                  QTENSOR_DPBUSD(s15)
#undef QTENSOR_DPBUSD
    }
  }
  const __m512i sum = _mm512_add_epi32(
      _mm512_add_epi32(_mm512_add_epi32(s0, s1), _mm512_add_epi32(s2, s3)),
      _mm512_add_epi32(
          _mm512_add_epi32(_mm512_add_epi32(s4, s5), _mm512_add_epi32(s6, s7)),
          _mm512_add_epi32(_mm512_add_epi32(s8, s9),
                           _mm512_add_epi32(_mm512_add_epi32(s10, s11),
                                            _mm512_add_epi32(_mm512_add_epi32(s12, s13),
                                                             _mm512_add_epi32(s14, s15))))));
  benchmark::DoNotOptimize(sum);
  Report(state, static_cast<size_t>(kSteps) * 16 * 128, 0);
}
#endif

}  // namespace

void RegisterGemmBenchmarks() {
  RegisterLinear();
  RegisterConv();
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx512vnni")) Register("gemm/peak/vpdpbusd", VpdpbusdPeak);
#endif
}

}  // namespace qtensor::bench

// Quantize and dequantize, per tensor and per channel (channel axis first
// and last), for every dtype at 4 Ki, 256 Ki and 16 Mi elements; 8-bit
// per-channel dequantize also with scales that are not float32 values.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "bench_util.h"
#include "core/channel_tables.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::bench {
namespace {

namespace kernels = qtensor::kernels;
namespace scalar = qtensor::kernels::scalar;
using qtensor::core::ChannelTables;

constexpr size_t kChannels = 64;
// Cases this large are also measured split across the cores.
constexpr size_t kThreadedElements = size_t{16} << 20;

enum class Scheme { kPerTensor, kAxisFirst, kAxisLast };

struct Case {
  qt_dtype dtype;
  Scheme scheme;
  size_t n;
  // Per-channel scales that are not float32 values (see ParamsFor).
  bool double_scales = false;

  size_t elem_size() const { return qt_dtype_size(dtype); }
  std::vector<int64_t> shape() const {
    const int64_t c = kChannels, rest = static_cast<int64_t>(n / kChannels);
    switch (scheme) {
      case Scheme::kPerTensor:
        return {static_cast<int64_t>(n)};
      case Scheme::kAxisFirst:
        return {c, rest};
      default:
        return {rest, c};
    }
  }
  // The [outer][channels][inner] view of the kernels.
  size_t outer() const { return scheme == Scheme::kAxisLast ? n / kChannels : 1; }
  size_t inner() const { return scheme == Scheme::kAxisFirst ? n / kChannels : 1; }
  size_t channels() const { return scheme == Scheme::kPerTensor ? 1 : kChannels; }
  size_t traffic() const { return n * (sizeof(float) + elem_size()); }
  std::string name(const char* op) const {
    static const char* const kSchemes[] = {"per_tensor", "per_channel_axis_first",
                                           "per_channel_axis_last"};
    return std::string(op) + "/" + kSchemes[static_cast<int>(scheme)] + "/" + qt_dtype_name(dtype) +
           "/" + std::to_string(n);
  }
};

// Per-channel parameters; channel 0's are also the per-tensor ones.
struct Params {
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  // The same in the kernels' forms, made once as a quantizer makes them.
  ChannelTables tables;
};

// Scales are float32 values, as PyTorch's observers compute them (then 8-bit
// per-channel dequantize runs in float arithmetic, exactly); with
// double_scales they have all 53 bits, and per-channel dequantize computes
// its product in f64.
Params ParamsFor(const Case& k) {
  Params p;
  for (size_t c = 0; c < kChannels; ++c) {
    const double exact = 0.05 * (1.0 + static_cast<double>(c) / 64.0);
    const double scale = k.double_scales ? exact : static_cast<float>(exact);
    p.scales.push_back(scale);
    const int64_t offset = static_cast<int64_t>(c % 7) - 3;
    p.zero_points.push_back(k.dtype == QT_QUINT8 ? 128 + offset : offset);
  }
  p.tables = ChannelTables(p.scales, p.zero_points);
  return p;
}

void NewTensor(const Case& k, const Params& p, const float* data, qt_tensor** out) {
  const std::vector<int64_t> shape = k.shape();
  if (k.scheme == Scheme::kPerTensor) {
    Check(qt_quantize_per_tensor(out, data, shape.data(), shape.size(), p.scales[0],
                                 p.zero_points[0], k.dtype),
          "qt_quantize_per_tensor");
  } else {
    const int64_t axis = k.scheme == Scheme::kAxisFirst ? 0 : 1;
    Check(qt_quantize_per_channel(out, data, shape.data(), shape.size(), p.scales.data(),
                                  p.zero_points.data(), kChannels, axis, k.dtype),
          "qt_quantize_per_channel");
  }
}

// The SIMD kernels called directly, without the ABI's per-call work.
template <typename T>
void KernelQuantize(const Case& k, const Params& p, const float* in, T* out) {
  if (k.scheme == Scheme::kPerTensor) {
    kernels::QuantizePerTensor(in, k.n, p.tables.Params().inv_scales[0], p.zero_points[0], out);
  } else {
    kernels::QuantizePerChannel(in, k.outer(), k.channels(), k.inner(), p.tables.Params(), out);
  }
}
template <typename T>
void KernelDequantize(const Case& k, const Params& p, const T* in, float* out) {
  if (k.scheme == Scheme::kPerTensor) {
    kernels::DequantizePerTensor(in, k.n, static_cast<float>(p.scales[0]), p.zero_points[0], out);
  } else {
    kernels::DequantizePerChannel(in, k.outer(), k.channels(), k.inner(), p.tables.Params(), out);
  }
}

// The scalar kernel on the same buffers.
template <typename T>
void ScalarQuantize(const Case& k, const Params& p, const float* in, T* out) {
  if (k.scheme == Scheme::kPerTensor) {
    scalar::QuantizePerTensor(in, k.n, p.tables.Params().inv_scales[0], p.zero_points[0], out);
  } else {
    scalar::QuantizePerChannel(in, k.outer(), k.channels(), k.inner(), p.tables.Params(), out);
  }
}
template <typename T>
void ScalarDequantize(const Case& k, const Params& p, const T* in, float* out) {
  if (k.scheme == Scheme::kPerTensor) {
    scalar::DequantizePerTensor(in, k.n, static_cast<float>(p.scales[0]), p.zero_points[0], out);
  } else {
    scalar::DequantizePerChannel(in, k.outer(), k.channels(), k.inner(), p.tables.Params(), out);
  }
}

template <typename T>
void RegisterQuantize(const Case k) {
  const std::string quantize = k.name("quantize");

  // Into an existing tensor (dst.copy_(floats)): the kernel plus the ABI.
  const auto into_existing = [k](benchmark::State& state) {
    const Params p = ParamsFor(k);
    const Array<float> x = TestFloats(k.n);
    TensorHandle t;
    NewTensor(k, p, x.data(), &t.get);
    for (auto _ : state) {
      Check(qt_copy_from_float(t.get, x.data(), k.n), "qt_copy_from_float");
      benchmark::ClobberMemory();
    }
    Report(state, k.n, k.traffic());
  };
  Register(quantize + "/qtensor", into_existing);
  if (k.n >= kThreadedElements) {
    Register(quantize + "/qtensor_threads", [into_existing](benchmark::State& state) {
      const AllCores threads;
      into_existing(state);
    });
  }
  // A new tensor each time, as torch.quantize_per_tensor / _per_channel do.
  Register(quantize + "/qtensor_new", [k](benchmark::State& state) {
    const Params p = ParamsFor(k);
    const Array<float> x = TestFloats(k.n);
    for (auto _ : state) {
      TensorHandle t;
      NewTensor(k, p, x.data(), &t.get);
      benchmark::DoNotOptimize(t.get);
    }
    Report(state, k.n, k.traffic());
  });
  if (k.n >= kThreadedElements) {
    Register(quantize + "/fresh_paired", [k](benchmark::State& state) {
      const Params p = ParamsFor(k);
      const Array<float> x = TestFloats(k.n);
      TensorHandle t;
      NewTensor(k, p, x.data(), &t.get);
      PairedFresh(
          state,
          [&] {
            Check(qt_copy_from_float(t.get, x.data(), k.n), "qt_copy_from_float");
            benchmark::ClobberMemory();
          },
          [&] {
            TensorHandle fresh;
            NewTensor(k, p, x.data(), &fresh.get);
            benchmark::DoNotOptimize(fresh.get);
          },
          k.n, k.traffic());
    });
  }
  Register(quantize + "/kernel", [k](benchmark::State& state) {
    const Params p = ParamsFor(k);
    const Array<float> x = TestFloats(k.n);
    Array<T> q(k.n);
    for (auto _ : state) {
      KernelQuantize(k, p, x.data(), q.data());
      benchmark::ClobberMemory();
    }
    Report(state, k.n, k.traffic());
  });
  Register(quantize + "/scalar", [k](benchmark::State& state) {
    const Params p = ParamsFor(k);
    const Array<float> x = TestFloats(k.n);
    Array<T> q(k.n);
    for (auto _ : state) {
      ScalarQuantize(k, p, x.data(), q.data());
      benchmark::ClobberMemory();
    }
    Report(state, k.n, k.traffic());
  });
  Register(quantize + "/memcpy",
           [k](benchmark::State& state) { MemcpyBaseline(state, k.n, k.traffic()); });
}

template <typename T>
void RegisterDequantize(const Case k) {
  const std::string dequantize = k.name(k.double_scales ? "dequantize_f64_scales" : "dequantize");

  const auto through_abi = [k](benchmark::State& state) {
    const Params p = ParamsFor(k);
    const Array<float> x = TestFloats(k.n);
    TensorHandle t;
    NewTensor(k, p, x.data(), &t.get);
    Array<float> out(k.n);
    for (auto _ : state) {
      Check(qt_dequantize(out.data(), out.size(), t.get), "qt_dequantize");
      benchmark::ClobberMemory();
    }
    Report(state, k.n, k.traffic());
  };
  Register(dequantize + "/qtensor", through_abi);
  // Into a fresh float buffer each time, from the library's allocator (as an
  // operator's result is): what a fresh result costs over an existing one.
  if (!k.double_scales) {
    Register(dequantize + "/qtensor_new", [k](benchmark::State& state) {
      const Params p = ParamsFor(k);
      const Array<float> x = TestFloats(k.n);
      TensorHandle t;
      NewTensor(k, p, x.data(), &t.get);
      for (auto _ : state) {
        const core::MemoryBlock out = core::AllocateBlock(k.n * sizeof(float));
        Check(qt_dequantize(reinterpret_cast<float*>(out.get()), k.n, t.get), "qt_dequantize");
        benchmark::DoNotOptimize(out.get());
      }
      Report(state, k.n, k.traffic());
    });
  }
  if (k.n >= kThreadedElements && !k.double_scales) {
    Register(dequantize + "/fresh_paired", [k](benchmark::State& state) {
      const Params p = ParamsFor(k);
      const Array<float> x = TestFloats(k.n);
      TensorHandle t;
      NewTensor(k, p, x.data(), &t.get);
      Array<float> out(k.n);
      PairedFresh(
          state,
          [&] {
            Check(qt_dequantize(out.data(), out.size(), t.get), "qt_dequantize");
            benchmark::ClobberMemory();
          },
          [&] {
            const core::MemoryBlock fresh = core::AllocateBlock(k.n * sizeof(float));
            Check(qt_dequantize(reinterpret_cast<float*>(fresh.get()), k.n, t.get),
                  "qt_dequantize");
            benchmark::DoNotOptimize(fresh.get());
          },
          k.n, k.traffic());
    });
  }
  if (k.n >= kThreadedElements && !k.double_scales) {
    Register(dequantize + "/qtensor_threads", [through_abi](benchmark::State& state) {
      const AllCores threads;
      through_abi(state);
    });
  }
  Register(dequantize + "/kernel", [k](benchmark::State& state) {
    const Params p = ParamsFor(k);
    const Array<float> x = TestFloats(k.n);
    Array<T> q(k.n);
    ScalarQuantize(k, p, x.data(), q.data());
    Array<float> out(k.n);
    for (auto _ : state) {
      KernelDequantize(k, p, q.data(), out.data());
      benchmark::ClobberMemory();
    }
    Report(state, k.n, k.traffic());
  });
  Register(dequantize + "/scalar", [k](benchmark::State& state) {
    const Params p = ParamsFor(k);
    const Array<float> x = TestFloats(k.n);
    Array<T> q(k.n);
    ScalarQuantize(k, p, x.data(), q.data());
    Array<float> out(k.n);
    for (auto _ : state) {
      ScalarDequantize(k, p, q.data(), out.data());
      benchmark::ClobberMemory();
    }
    Report(state, k.n, k.traffic());
  });
  Register(dequantize + "/memcpy",
           [k](benchmark::State& state) { MemcpyBaseline(state, k.n, k.traffic()); });
}

// Convolution weights, qint8 per channel on their first axis (PyTorch's
// default for weights), against per tensor on the same buffers: channel
// runs of 27 and 9 elements (a first layer, a depthwise layer) as well as
// long ones. Names: weights_<op>/<shape>/qint8/<n>/kernel (per channel) and
// .../kernel_per_tensor.
struct WeightShape {
  const char* name;
  size_t channels, inner;
};
constexpr WeightShape kWeightShapes[] = {
    {"64x3x3x3", 64, 27}, {"256x1x3x3", 256, 9}, {"64x64x3x3", 64, 576}, {"256x128x1x1", 256, 128}};

void RegisterWeightBenchmarks() {
  for (const WeightShape& shape : kWeightShapes) {
    const size_t n = shape.channels * shape.inner;
    const std::string suffix = std::string("/") + shape.name + "/qint8/" + std::to_string(n);
    for (const bool per_channel : {true, false}) {
      const char* impl = per_channel ? "/kernel" : "/kernel_per_tensor";
      const auto tables = [shape] {
        std::vector<double> scales;
        std::vector<int64_t> zero_points;
        for (size_t c = 0; c < shape.channels; ++c) {
          scales.push_back(static_cast<float>(0.05 * (1.0 + static_cast<double>(c % 64) / 64.0)));
          zero_points.push_back(static_cast<int64_t>(c % 7) - 3);
        }
        return ChannelTables(scales, zero_points);
      };
      Register("weights_quantize" + suffix + impl, [=](benchmark::State& state) {
        const ChannelTables t = tables();
        const kernels::ChannelParams p = t.Params();
        const Array<float> x = TestFloats(n);
        Array<int8_t> q(n);
        for (auto _ : state) {
          if (per_channel) {
            kernels::QuantizePerChannel(x.data(), 1, shape.channels, shape.inner, p, q.data());
          } else {
            kernels::QuantizePerTensor(x.data(), n, p.inv_scales[0], p.zero_points[0], q.data());
          }
          benchmark::ClobberMemory();
        }
        Report(state, n, n * (sizeof(float) + 1));
      });
      Register("weights_dequantize" + suffix + impl, [=](benchmark::State& state) {
        const ChannelTables t = tables();
        const kernels::ChannelParams p = t.Params();
        const Array<float> x = TestFloats(n);
        Array<int8_t> q(n);
        scalar::QuantizePerChannel(x.data(), 1, shape.channels, shape.inner, p, q.data());
        Array<float> out(n);
        for (auto _ : state) {
          if (per_channel) {
            kernels::DequantizePerChannel(q.data(), 1, shape.channels, shape.inner, p, out.data());
          } else {
            kernels::DequantizePerTensor(q.data(), n, p.float_scales[0], p.zero_points[0],
                                         out.data());
          }
          benchmark::ClobberMemory();
        }
        Report(state, n, n * (sizeof(float) + 1));
      });
    }
  }
}

}  // namespace

void RegisterQuantizeBenchmarks() {
  RegisterWeightBenchmarks();
  for (size_t n : {size_t{4} << 10, size_t{256} << 10, size_t{16} << 20}) {
    for (Scheme scheme : {Scheme::kPerTensor, Scheme::kAxisFirst, Scheme::kAxisLast}) {
      RegisterQuantize<int8_t>({QT_QINT8, scheme, n});
      RegisterDequantize<int8_t>({QT_QINT8, scheme, n});
      RegisterQuantize<uint8_t>({QT_QUINT8, scheme, n});
      RegisterDequantize<uint8_t>({QT_QUINT8, scheme, n});
      RegisterQuantize<int32_t>({QT_QINT32, scheme, n});
      RegisterDequantize<int32_t>({QT_QINT32, scheme, n});
    }
    // 8-bit per-channel dequantize also with scales of 53 bits, which take
    // the f64 formula (as int32 ones with zero points beyond 2^23 do).
    for (Scheme scheme : {Scheme::kAxisFirst, Scheme::kAxisLast}) {
      RegisterDequantize<int8_t>({QT_QINT8, scheme, n, true});
      RegisterDequantize<uint8_t>({QT_QUINT8, scheme, n, true});
    }
  }
}

}  // namespace qtensor::bench

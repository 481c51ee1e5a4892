// The elementwise operators, requantize, cat and the min/max observers on
// 16 Mi elements at one thread (issue 13), each beside a memcpy of the same
// bytes (inputs read + output written) in the same run. Names:
// op/<op>/<dtype>/<n>/<impl> with impl qtensor (a new result, as the
// operators give), existing (the same into an existing tensor), memcpy and
// fresh_paired (fresh against existing, call by call; see PairedFresh).
#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "bench_util.h"
#include "core/quantizer.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"
#include "ops/binary.h"
#include "ops/cat.h"
#include "ops/clamp.h"
#include "ops/float_unary.h"
#include "ops/observer.h"
#include "ops/requantize.h"

namespace qtensor::bench {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

constexpr size_t kElements = size_t{16} << 20;

struct DTypeCase {
  const char* name;
  DType dtype;
  int64_t zero_point;  // of the inputs
};
constexpr DTypeCase kDTypes[] = {
    {"qint8", DType::kQInt8, 3}, {"quint8", DType::kQUInt8, 128}, {"qint32", DType::kQInt32, 3}};

// TestFloats quantized with scale `scale` (values in [-8, 8)).
Tensor Input(const DTypeCase& t, double scale, size_t n, int64_t rows = 1) {
  const Array<float> x = TestFloats(n);
  const std::vector<int64_t> shape =
      rows == 1 ? std::vector<int64_t>{static_cast<int64_t>(n)}
                : std::vector<int64_t>{rows, static_cast<int64_t>(n) / rows};
  return core::Quantize(x.data(), shape, Quantizer::PerTensor(t.dtype, scale, t.zero_point));
}

// An operator as a fresh call and an into-existing call on inputs made once.
struct Op {
  std::function<Tensor()> fresh;
  std::function<void(const Tensor&)> into;
};
using MakeOp = std::function<Op()>;

void RegisterOp(const std::string& case_name, size_t traffic, const MakeOp& make) {
  Register(case_name + "/qtensor", [=](benchmark::State& state) {
    const Op op = make();
    for (auto _ : state) {
      Tensor result = op.fresh();
      benchmark::DoNotOptimize(result);
    }
    Report(state, kElements, traffic);
  });
  Register(case_name + "/existing", [=](benchmark::State& state) {
    const Op op = make();
    const Tensor dst = op.fresh();
    for (auto _ : state) {
      op.into(dst);
      benchmark::ClobberMemory();
    }
    Report(state, kElements, traffic);
  });
  Register(case_name + "/fresh_paired", [=](benchmark::State& state) {
    const Op op = make();
    const Tensor dst = op.fresh();
    PairedFresh(
        state, [&] { op.into(dst); },
        [&] {
          Tensor result = op.fresh();
          benchmark::DoNotOptimize(result);
        },
        kElements, traffic);
  });
  Register(case_name + "/memcpy",
           [=](benchmark::State& state) { MemcpyBaseline(state, kElements, traffic); });
}

std::string Name(const char* op, const DTypeCase& t) {
  return std::string("op/") + op + "/" + t.name + "/" + std::to_string(kElements);
}

void RegisterUnary() {
  for (const DTypeCase& t : kDTypes) {
    const size_t traffic = 2 * kElements * core::ElementSize(t.dtype);
    const auto unary = [&](const char* name, std::function<Tensor(const Tensor&)> fresh,
                           std::function<void(const Tensor&, const Tensor&)> into) {
      RegisterOp(Name(name, t), traffic, [t, fresh, into] {
        const Tensor src = Input(t, 0.05, kElements);
        return Op{[src, fresh] { return fresh(src); },
                  [src, into](const Tensor& dst) { into(dst, src); }};
      });
    };
    unary("relu", ops::Relu, ops::ReluInto);
    unary("relu6", ops::Relu6, ops::Relu6Into);
    unary(
        "clamp", [](const Tensor& s) { return ops::Clamp(s, -1.0f, 1.0f); },
        [](const Tensor& d, const Tensor& s) { ops::ClampInto(d, s, -1.0f, 1.0f); });
    unary(
        "leaky_relu", [](const Tensor& s) { return ops::LeakyRelu(s, 0.01f); },
        [](const Tensor& d, const Tensor& s) { ops::LeakyReluInto(d, s, 0.01f); });
    unary(
        "hardswish",
        [](const Tensor& s) { return ops::Hardswish(s, 0.04, s.Params().zero_point(0)); },
        ops::HardswishInto);
    unary("sigmoid", ops::Sigmoid, ops::SigmoidInto);
    unary("tanh", ops::Tanh, ops::TanhInto);
    unary(
        "requantize",
        [t](const Tensor& s) {
          return ops::Requantize(s, Quantizer::PerTensor(t.dtype, 0.07, t.zero_point - 1));
        },
        ops::RequantizeExisting);
  }
}

void RegisterBinary() {
  const struct {
    const char* name;
    ops::BinaryOp op;
    bool relu;
  } kOps[] = {{"add", ops::BinaryOp::kAdd, false},
              {"add_relu", ops::BinaryOp::kAdd, true},
              {"mul", ops::BinaryOp::kMul, false},
              {"mul_relu", ops::BinaryOp::kMul, true}};
  for (const DTypeCase& t : kDTypes) {
    const size_t traffic = 3 * kElements * core::ElementSize(t.dtype);
    for (const auto& o : kOps) {
      const ops::BinaryOp op = o.op;
      const bool relu = o.relu;
      const double out_scale = op == ops::BinaryOp::kAdd ? 0.1 : 0.5;
      RegisterOp(Name(o.name, t), traffic, [t, op, relu, out_scale] {
        const Tensor a = Input(t, 0.05, kElements), b = Input(t, 0.03, kElements);
        const int64_t zp = t.zero_point;
        return Op{[=] { return ops::Binary(op, a, b, out_scale, zp, relu); },
                  [=](const Tensor& dst) { ops::BinaryInto(op, dst, a, b, relu); }};
      });
    }
  }
}

// Two [4096, 2048] tensors with one quantizer joined along dim 0 (a copy of
// each) and dim 1 (rows interleaved).
void RegisterCat() {
  for (const DTypeCase& t : kDTypes) {
    const size_t traffic = 2 * kElements * core::ElementSize(t.dtype);
    for (const int64_t dim : {0, 1}) {
      const std::string name = std::string("cat_dim") + std::to_string(dim);
      RegisterOp(Name(name.c_str(), t), traffic, [t, dim] {
        const Tensor a = Input(t, 0.05, kElements / 2, 4096),
                     b = Input(t, 0.05, kElements / 2, 4096);
        return Op{[=] {
                    return ops::Cat({a, b}, dim, nullptr, false);
                  },
                  [=](const Tensor& dst) {
                    // Into an existing result: each part's integers copied.
                    const int64_t half = dst.shape()[dim] / 2;
                    core::Copy(dst.Slice(dim, 0, half, 1), a);
                    core::Copy(dst.Slice(dim, half, 2 * half, 1), b);
                  }};
      });
    }
  }
}

// One Forward of 16 Mi floats (a pass reading 64 MiB) against a memcpy of
// the same 64 MiB (which reads them and writes as many).
void RegisterObservers() {
  const struct {
    const char* name;
    ops::ObserverKind kind;
  } kKinds[] = {{"min_max", ops::ObserverKind::kMinMax},
                {"moving_average_min_max", ops::ObserverKind::kMovingAverageMinMax},
                {"per_channel_min_max", ops::ObserverKind::kPerChannelMinMax}};
  const size_t bytes = kElements * sizeof(float);
  for (const auto& k : kKinds) {
    const ops::ObserverKind kind = k.kind;
    const std::string name =
        std::string("observer/") + k.name + "/float/" + std::to_string(kElements);
    Register(name + "/qtensor", [kind](benchmark::State& state) {
      const Array<float> x = TestFloats(kElements);
      ops::ObserverOptions options;
      options.kind = kind;
      ops::Observer observer(options);
      const std::vector<int64_t> shape = {64, static_cast<int64_t>(kElements / 64)};
      for (auto _ : state) {
        observer.Forward(x.data(), shape);
        benchmark::ClobberMemory();
      }
      Report(state, kElements, kElements * sizeof(float));
    });
    Register(name + "/memcpy",
             [bytes](benchmark::State& state) { MemcpyBaseline(state, kElements, 2 * bytes); });
  }
}

}  // namespace

void RegisterOpBenchmarks() {
  RegisterUnary();
  RegisterBinary();
  RegisterCat();
  RegisterObservers();
}

}  // namespace qtensor::bench

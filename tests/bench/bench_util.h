// Shared pieces of the benchmark program: buffers, test data, the memcpy
// baseline and a check that turns a failed qt_* call into an abort with the
// library's message (a benchmark that silently measured an error would lie).
#ifndef QTENSOR_TESTS_BENCH_BENCH_UTIL_H_
#define QTENSOR_TESTS_BENCH_BENCH_UTIL_H_

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/memory_block.h"
#include "qtensor/qtensor.h"

namespace qtensor::bench {

inline void Check(qt_status status, const char* what) {
  if (status != QT_OK) {
    std::fprintf(stderr, "%s failed: %s\n", what, qt_last_error_message());
    std::abort();
  }
}

// Owns a tensor handle for the length of one benchmark.
struct TensorHandle {
  qt_tensor* get = nullptr;
  TensorHandle() = default;
  TensorHandle(const TensorHandle&) = delete;
  TensorHandle& operator=(const TensorHandle&) = delete;
  ~TensorHandle() { qt_tensor_free(get); }
};

// A zero-filled array on 64-byte aligned memory, as the library's storages
// are. (With std::vector's 16-byte alignment the relative offset of two
// buffers varies from build to build, and some offsets slow loops down
// several times over: 4 KiB aliasing, cache-line splits.)
template <typename T>
class Array {
 public:
  explicit Array(size_t n, T value = T{}) : block_(core::AllocateBlock(n * sizeof(T))), size_(n) {
    std::fill(begin(), end(), value);
  }
  T* data() { return reinterpret_cast<T*>(block_.get()); }
  const T* data() const { return reinterpret_cast<const T*>(block_.get()); }
  size_t size() const { return size_; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }

 private:
  core::MemoryBlock block_;
  size_t size_;
};

// Floats spread over [-8, 8) with a fixed seed: with the benchmark scales
// most values quantize inside the range, a few saturate.
inline Array<float> TestFloats(size_t n) {
  Array<float> values(n);
  uint32_t state = 12345u;
  for (float& v : values) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) * (16.0f / 16777216.0f) - 8.0f;
  }
  return values;
}

// Reports n elements and `bytes` bytes of memory traffic per iteration.
inline void Report(benchmark::State& state, size_t n, size_t bytes) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes));
}

// The limit a kernel is measured against: memcpy moving the same traffic
// (reading and writing traffic / 2 bytes), reported with the same element
// count so its items/s compare directly.
// Both buffers are 64-byte aligned, as storages are: glibc's memcpy slows
// down many times over for some relative offsets of 16-byte aligned
// buffers (16 KiB at dst - src = 16 KiB + 16 B: 2 GB/s, against 60 aligned).
inline void MemcpyBaseline(benchmark::State& state, size_t n, size_t traffic) {
  const size_t half = traffic / 2;
  const core::MemoryBlock from = core::AllocateBlock(half), to = core::AllocateBlock(half);
  std::memset(from.get(), 1, half);
  std::memset(to.get(), 0, half);
  for (auto _ : state) {
    std::memcpy(to.get(), from.get(), half);
    benchmark::ClobberMemory();
  }
  Report(state, n, traffic);
}

// One thread per logical core for large quantize / dequantize calls
// (qt_set_num_threads(0)) for as long as it lives; then one again.
struct AllCores {
  AllCores() { Check(qt_set_num_threads(0), "qt_set_num_threads"); }
  ~AllCores() { qt_set_num_threads(1); }
  AllCores(const AllCores&) = delete;
  AllCores& operator=(const AllCores&) = delete;
};

// Registers fn under `name`, timed by wall clock (as memory-bound work should be).
template <class Fn>
void Register(const std::string& name, Fn fn) {
  benchmark::RegisterBenchmark(name.c_str(), fn)->UseRealTime()->Unit(benchmark::kMicrosecond);
}

void RegisterQuantizeBenchmarks();
void RegisterLayoutBenchmarks();
void RegisterSerializeBenchmarks();
void RegisterOpBenchmarks();
void RegisterGemmBenchmarks();
void RegisterOnnxQuantizeBenchmarks();
void RegisterGgufBenchmarks();
void RegisterPerBlockBenchmarks();
void RegisterFloatQParamsBenchmarks();

// A fresh result against an existing one, call by call in alternating order;
// the counters existing_best and fresh_best are each side's fastest call in
// seconds. On this VM a 64 MiB write takes either ~3.3 or ~7.3 ms from one
// call to the next (the host's memory, other guests), so a single pair's
// ratio is 0.45, 1 or 2.2; the best of many calls interleaved this way sees
// both sides at the fast speed, under the same load. One untimed fresh call first: the steady
// state of a program that makes results again and again (the first block of
// a size is faulted in, see src/core/memory_block.h). Rates count the two
// calls of an iteration: 2 * n elements, 2 * bytes.
template <class Existing, class Fresh>
void PairedFresh(benchmark::State& state, const Existing& existing, const Fresh& fresh, size_t n,
                 size_t bytes) {
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](const auto& call) {
    const Clock::time_point start = Clock::now();
    call();
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  fresh();
  double best_existing = 1e30, best_fresh = 1e30;
  bool fresh_first = false;
  for (auto _ : state) {
    if (fresh_first) best_fresh = std::min(best_fresh, seconds(fresh));
    best_existing = std::min(best_existing, seconds(existing));
    if (!fresh_first) best_fresh = std::min(best_fresh, seconds(fresh));
    fresh_first = !fresh_first;
  }
  state.counters["existing_best"] = best_existing;
  state.counters["fresh_best"] = best_fresh;
  Report(state, 2 * n, 2 * bytes);
}

}  // namespace qtensor::bench

#endif  // QTENSOR_TESTS_BENCH_BENCH_UTIL_H_

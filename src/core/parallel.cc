#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "core/error.h"

namespace qtensor::core {
namespace {

std::atomic<int> num_threads{1};

}  // namespace

void SetNumThreads(int threads) {
  if (threads < 0 || threads > kMaxThreads) {
    Fail(ErrorKind::kInvalidArgument, "threads = " + std::to_string(threads) +
                                          " is out of range [0, " + std::to_string(kMaxThreads) +
                                          "] (0: one per logical core)");
  }
  if (threads == 0) {
    threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, kMaxThreads);
  }
  num_threads.store(threads, std::memory_order_relaxed);
}

int NumThreads() { return num_threads.load(std::memory_order_relaxed); }

size_t PartsFor(size_t elements, size_t max_parts) {
  if (elements < kParallelElements) return 1;
  return std::max<size_t>(1, std::min(static_cast<size_t>(NumThreads()), max_parts));
}

void RunPartsOnThreads(size_t parts, const std::function<void(size_t)>& part) {
  std::vector<std::thread> threads;
  threads.reserve(parts - 1);
  size_t k = 1;
  try {
    for (; k < parts; ++k) threads.emplace_back(part, k);
  } catch (const std::system_error&) {
    // No more threads to be had: the remaining parts run here.
  }
  part(0);
  for (size_t rest = k; rest < parts; ++rest) part(rest);
  for (std::thread& thread : threads) thread.join();
}

}  // namespace qtensor::core

// Optional splitting of large quantize / dequantize calls across threads
// (qt_set_num_threads). The default is one thread: the library starts no
// thread unless asked to.
#ifndef QTENSOR_CORE_PARALLEL_H_
#define QTENSOR_CORE_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace qtensor::core {

// The most threads a call may use.
constexpr int kMaxThreads = 64;
// Calls on fewer elements stay on the calling thread: starting a thread
// costs tens of microseconds, as much as quantizing ~100 Ki elements.
constexpr size_t kParallelElements = size_t{1} << 20;

// 1 to kMaxThreads, or 0 for one per logical core (at most kMaxThreads);
// anything else throws kInvalidArgument.
void SetNumThreads(int threads);
int NumThreads();

// How many parts a call over `elements` elements is split into: 1 below
// kParallelElements, else NumThreads(), and never more than max_parts.
size_t PartsFor(size_t elements, size_t max_parts);

// Runs part(0), ..., part(parts - 1) and returns when all are done: part 0
// on the calling thread, the others on threads of their own (or on the
// calling thread too, if a thread cannot be started). Parts must not throw.
void RunPartsOnThreads(size_t parts, const std::function<void(size_t)>& part);

template <class Part>
void RunParts(size_t parts, const Part& part) {
  if (parts <= 1) {
    part(0);  // the usual case: no std::function, no thread
  } else {
    RunPartsOnThreads(parts, std::cref(part));
  }
}

// [Share(n, k, parts), Share(n, k + 1, parts)) is part k of [0, n): parts
// whose sizes differ by at most one.
inline size_t Share(size_t n, size_t k, size_t parts) {
  return n / parts * k + n % parts * k / parts;
}

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_PARALLEL_H_

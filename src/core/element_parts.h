// Splitting a quantize / dequantize call over a view's [outer][channels]
// [inner] block into parts for the threads of core/parallel.h.
#ifndef QTENSOR_CORE_ELEMENT_PARTS_H_
#define QTENSOR_CORE_ELEMENT_PARTS_H_

#include <algorithm>
#include <cstddef>

#include "core/parallel.h"
#include "core/tensor.h"

namespace qtensor::core {

// Calls run(first, outer, first_channel, channels, inner) on parts of
// params' [outer][channels][inner] block that together cover it (first is a
// part's first element). That is the whole block at once, unless it is large
// and qt_set_num_threads asked for more threads (core/parallel.h): then the
// parts are rows of the outer dim, or with one row its channels, or with
// one channel runs of whole cache lines of its elements, each on a thread.
template <class Run>
void ForEachPart(const ElementParams& p, const Run& run) {
  const size_t n = p.outer * p.channels * p.inner;
  if (p.outer > 1) {
    const size_t parts = PartsFor(n, p.outer);
    RunParts(parts, [&](size_t k) {
      const size_t begin = Share(p.outer, k, parts), end = Share(p.outer, k + 1, parts);
      run(begin * p.channels * p.inner, end - begin, 0, p.channels, p.inner);
    });
  } else if (p.channels > 1) {
    const size_t parts = PartsFor(n, p.channels);
    RunParts(parts, [&](size_t k) {
      const size_t begin = Share(p.channels, k, parts), end = Share(p.channels, k + 1, parts);
      run(begin * p.inner, 1, begin, end - begin, p.inner);
    });
  } else {
    constexpr size_t kLine = 64;  // elements: whole lines of any output
    const size_t lines = (p.inner + kLine - 1) / kLine;
    const size_t parts = PartsFor(n, lines);
    RunParts(parts, [&](size_t k) {
      const size_t begin = std::min(p.inner, Share(lines, k, parts) * kLine);
      const size_t end = std::min(p.inner, Share(lines, k + 1, parts) * kLine);
      run(begin, 1, 0, 1, end - begin);
    });
  }
}

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_ELEMENT_PARTS_H_

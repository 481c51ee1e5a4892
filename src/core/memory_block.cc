#include "core/memory_block.h"

#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace qtensor::core {
namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kHugePage = size_t{2} << 20;

size_t RoundUp(size_t bytes, size_t multiple) {
  return (bytes + multiple - 1) / multiple * multiple;
}

}  // namespace

MemoryBlock AllocateBlock(size_t bytes) {
  if (bytes > SIZE_MAX - kHugePage) throw std::bad_alloc();
  // aligned_alloc wants a multiple of the alignment, and never 0 bytes.
  const bool huge = bytes >= kHugePage;
  const size_t alignment = huge ? kHugePage : kAlignment;
  const size_t size = RoundUp(bytes > 0 ? bytes : 1, alignment);
  MemoryBlock block(static_cast<uint8_t*>(std::aligned_alloc(alignment, size)));
  if (!block) throw std::bad_alloc();
#if defined(MADV_HUGEPAGE)
  // Advice only: where THP is off ("never") the call fails harmlessly and
  // the block is served with small pages.
  if (huge) madvise(block.get(), size, MADV_HUGEPAGE);
#endif
  return block;
}

}  // namespace qtensor::core

// Tests of AllocateBlock: alignment, sizes from 0 to beyond the huge-page
// threshold, every byte writable, and failure as std::bad_alloc.

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <new>

#include "core/memory_block.h"

namespace {

using qtensor::core::AllocateBlock;
using qtensor::core::MemoryBlock;

uintptr_t Address(const MemoryBlock& block) { return reinterpret_cast<uintptr_t>(block.get()); }

TEST_CASE("AllocateBlock: 64-byte aligned, and 2 MiB aligned from 2 MiB on") {
  constexpr size_t kHugePage = size_t{2} << 20;
  for (const size_t bytes : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{4097},
                             kHugePage - 1, kHugePage, kHugePage + 1, 3 * kHugePage + 5}) {
    CAPTURE(bytes);
    const MemoryBlock block = AllocateBlock(bytes);
    REQUIRE(block != nullptr);
    CHECK(Address(block) % 64 == 0);
    if (bytes >= kHugePage) CHECK(Address(block) % kHugePage == 0);
    // Every byte is the caller's: write a pattern and read it back.
    if (bytes > 0) {
      std::memset(block.get(), 0x5A, bytes);
      CHECK(block[0] == 0x5A);
      CHECK(block[bytes - 1] == 0x5A);
    }
  }
}

// (Sizes the check lets through but malloc refuses are left out: under ASan
// they abort instead of returning null.)
TEST_CASE("AllocateBlock: a size beyond any address space throws std::bad_alloc") {
  CHECK_THROWS_AS(AllocateBlock(SIZE_MAX), std::bad_alloc);
  CHECK_THROWS_AS(AllocateBlock(SIZE_MAX - 100), std::bad_alloc);
}

}  // namespace

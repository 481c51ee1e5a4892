// Tests of AllocateBlock and its cache of released large blocks: alignment,
// sizes from 0 to beyond the cache's threshold, every byte writable, failure
// as std::bad_alloc, reuse (which sizes, the bounds, expiry, release),
// storages zeroed on reused blocks, and many threads at once.

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <new>
#include <thread>
#include <vector>

#include "core/memory_block.h"
#include "core/storage.h"

namespace {

using qtensor::core::AllocateBlock;
using qtensor::core::BlockCacheUsage;
using qtensor::core::CachedBlocks;
using qtensor::core::kBlockCacheMaxAgeMs;
using qtensor::core::kBlockCacheMaxBlocks;
using qtensor::core::kBlockCacheMaxBytes;
using qtensor::core::kCachedBlockMinBytes;
using qtensor::core::MemoryBlock;
using qtensor::core::ReleaseCachedBlocks;

constexpr size_t kMiB = size_t{1} << 20;

uintptr_t Address(const MemoryBlock& block) { return reinterpret_cast<uintptr_t>(block.get()); }

TEST_CASE("AllocateBlock: 64-byte aligned, and 2 MiB aligned from 2 MiB on") {
  constexpr size_t kHugePage = size_t{2} << 20;
  static_assert(kCachedBlockMinBytes == kHugePage);
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

TEST_CASE("AllocateBlock: a released large block is reused for about the same size") {
  ReleaseCachedBlocks();
  uintptr_t first = 0;
  {
    MemoryBlock block = AllocateBlock(16 * kMiB + 64);
    first = Address(block);
    std::memset(block.get(), 0x5A, 16 * kMiB + 64);
  }
  CHECK(CachedBlocks().blocks == 1);
  CHECK(CachedBlocks().bytes == 18 * kMiB);  // rounded up to 2 MiB
  SUBCASE("the same size again") {
    const MemoryBlock again = AllocateBlock(16 * kMiB + 64);
    CHECK(Address(again) == first);
    CHECK(CachedBlocks().blocks == 0);
    // Uninitialised, as promised: the bytes of its last owner.
    CHECK(again[0] == 0x5A);
    CHECK(again[16 * kMiB + 63] == 0x5A);
  }
  SUBCASE("a size up to 1/8 smaller") {
    const MemoryBlock again = AllocateBlock(16 * kMiB);
    CHECK(Address(again) == first);
  }
  SUBCASE("a larger size, or a much smaller one, gets a new block") {
    const MemoryBlock larger = AllocateBlock(18 * kMiB + 1);
    const MemoryBlock smaller = AllocateBlock(4 * kMiB);
    CHECK(Address(larger) != first);
    CHECK(Address(smaller) != first);
    CHECK(CachedBlocks().blocks == 1);
  }
  SUBCASE("small blocks are never cached") {
    { const MemoryBlock small = AllocateBlock(kCachedBlockMinBytes - 1); }
    CHECK(CachedBlocks().blocks == 1);
  }
  const BlockCacheUsage released = ReleaseCachedBlocks();
  CHECK(CachedBlocks().blocks == 0);
  CHECK(CachedBlocks().bytes == 0);
  CHECK(released.bytes % kCachedBlockMinBytes == 0);
}

TEST_CASE("AllocateBlock: the cache is bounded in blocks and bytes, oldest out first") {
  ReleaseCachedBlocks();
  {
    std::vector<MemoryBlock> blocks;
    for (size_t i = 0; i < kBlockCacheMaxBlocks + 3; ++i) blocks.push_back(AllocateBlock(2 * kMiB));
  }
  CHECK(CachedBlocks().blocks == kBlockCacheMaxBlocks);
  CHECK(CachedBlocks().bytes == kBlockCacheMaxBlocks * 2 * kMiB);

  // Released in order a, b, c: c makes room by freeing a.
  const size_t third = kBlockCacheMaxBytes / 3 + kCachedBlockMinBytes;
  uintptr_t b_address = 0, c_address = 0;
  {
    MemoryBlock a = AllocateBlock(third), b = AllocateBlock(third), c = AllocateBlock(third);
    b_address = Address(b);
    c_address = Address(c);
    a.reset();
    b.reset();
    c.reset();
  }
  CHECK(CachedBlocks().bytes <= kBlockCacheMaxBytes);
  const MemoryBlock b = AllocateBlock(third), c = AllocateBlock(third);
  CHECK(std::min(Address(b), Address(c)) == std::min(b_address, c_address));
  CHECK(std::max(Address(b), Address(c)) == std::max(b_address, c_address));

  ReleaseCachedBlocks();
  { const MemoryBlock huge = AllocateBlock(kBlockCacheMaxBytes + 1); }
  CHECK(CachedBlocks().blocks == 0);  // larger than the whole cache: freed at once
}

TEST_CASE("AllocateBlock: cached blocks are freed once unused for the age limit") {
  ReleaseCachedBlocks();
  { const MemoryBlock block = AllocateBlock(4 * kMiB); }
  CHECK(CachedBlocks().blocks == 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(kBlockCacheMaxAgeMs + 100));
  // The next allocation or release of a large block frees the old one.
  const MemoryBlock other = AllocateBlock(8 * kMiB);
  CHECK(CachedBlocks().blocks == 0);
}

TEST_CASE("A storage on a reused block is zeroed, or has its padding zeroed") {
  using qtensor::core::DType;
  using qtensor::core::Quantizer;
  using qtensor::core::Storage;
  using qtensor::core::StorageInit;
  ReleaseCachedBlocks();
  const std::vector<int64_t> shape{4 << 20};
  const Quantizer quantizer = Quantizer::PerTensor(DType::kQInt8, 0.5, 0);
  uintptr_t first = 0;
  {
    Storage dirty(shape, quantizer);
    first = reinterpret_cast<uintptr_t>(dirty.mutable_bytes());
    std::memset(dirty.mutable_bytes(), 0x5A, size_t{4} << 20);
    dirty.mutable_bytes()[(size_t{4} << 20) + 10] = 0x5A;  // the padding, too
  }
  {
    const Storage zeroed(shape, quantizer);
    CHECK(reinterpret_cast<uintptr_t>(zeroed.bytes()) == first);
    const uint8_t* bytes = zeroed.bytes();
    CHECK(std::all_of(bytes, bytes + (size_t{4} << 20) + 64, [](uint8_t b) { return b == 0; }));
  }
  {
    const Storage written(shape, quantizer, StorageInit::kCallerWritesAll);
    CHECK(reinterpret_cast<uintptr_t>(written.bytes()) == first);
    const uint8_t* padding = written.bytes() + (size_t{4} << 20);
    CHECK(std::all_of(padding, padding + 64, [](uint8_t b) { return b == 0; }));
  }
}

TEST_CASE("AllocateBlock: many threads allocating and releasing large blocks") {
  ReleaseCachedBlocks();
  constexpr int kThreads = 4, kRounds = 40;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &errors] {
      for (int round = 0; round < kRounds; ++round) {
        // Sizes that share cache entries across threads.
        const size_t bytes = (size_t{2} + static_cast<size_t>((t + round) % 3) * 2) * kMiB;
        const MemoryBlock block = AllocateBlock(bytes);
        const auto mark = static_cast<uint8_t>(t * kRounds + round);
        // Sample every page: another owner of the same block would show.
        for (size_t i = 0; i < bytes; i += 4096) block[i] = mark;
        std::this_thread::yield();
        for (size_t i = 0; i < bytes; i += 4096) {
          if (block[i] != mark) {
            errors.fetch_add(1);
            break;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(errors.load() == 0);
  CHECK(CachedBlocks().blocks <= kBlockCacheMaxBlocks);
  CHECK(CachedBlocks().bytes <= kBlockCacheMaxBytes);
  ReleaseCachedBlocks();
}

}  // namespace

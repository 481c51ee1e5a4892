// Raw memory for tensor values and serialized bytes.
//
// A fresh result must not cost more than writing into an existing one. What
// makes a fresh large block slow is the kernel, not the copy: every page of
// new memory is faulted in and zeroed on first touch (on this library's VMs
// a fresh 64 MiB block fills at ~2 GB/s with 4 KiB pages, ~8 GB/s with
// 2 MiB pages, against ~14 GB/s for memory already mapped), and a fault in a
// region advised for huge pages may stall in direct compaction where the
// transparent-huge-page "defrag" setting is "madvise" (a common default).
// glibc's malloc does not help above its mmap threshold (at most 32 MiB):
// such blocks are unmapped when freed and mapped afresh each time.
//
// So blocks of kCachedBlockMinBytes and more are kept, mapped, in a small
// process-wide cache when released, and handed out again to a request of
// about the same size (at most 1/8 larger). The cache is bounded (at most
// kBlockCacheMaxBlocks blocks and kBlockCacheMaxBytes bytes; a larger block
// is freed at once), a block left unused for kBlockCacheMaxAgeMs is freed at
// the next allocation or release of a large block, and the cache is
// thread-safe. A fresh large block is advised for huge pages only where the
// fault cannot stall: THP "enabled" is "madvise" and either "defrag" never
// compacts directly for advised regions ("defer", "never") or
// /proc/buddyinfo shows twice the free 2 MiB pages the block needs (with
// "enabled" "always" huge pages come without advice, which would only add
// stalls). It is then faulted in with one MADV_POPULATE_WRITE call.
#ifndef QTENSOR_CORE_MEMORY_BLOCK_H_
#define QTENSOR_CORE_MEMORY_BLOCK_H_

#include <cstddef>
#include <cstdint>
#include <memory>

namespace qtensor::core {

// Blocks this large and larger are cached when released, rounded up to a
// multiple of it (and aligned to it: the size of a huge page).
constexpr size_t kCachedBlockMinBytes = size_t{2} << 20;
// Bounds of the cache of released blocks.
constexpr size_t kBlockCacheMaxBlocks = 8;
constexpr size_t kBlockCacheMaxBytes = size_t{256} << 20;
constexpr int kBlockCacheMaxAgeMs = 1000;

struct MemoryBlockDeleter {
  // The bytes the block holds, as AllocateBlock made it: blocks of
  // kCachedBlockMinBytes and more go back to the cache. 0 (the default, for
  // blocks that did not come from AllocateBlock): std::free at once.
  size_t capacity = 0;
  void operator()(uint8_t* block) const;
};

// Owns a block from AllocateBlock. Every block is also a malloc block: one
// released from its owner (unique_ptr::release, as qt_serialize hands
// buffers to callers) may be freed with std::free, bypassing the cache.
using MemoryBlock = std::unique_ptr<uint8_t[], MemoryBlockDeleter>;

// At least `bytes` bytes (never a null pointer, also for 0), 64-byte
// aligned, and kCachedBlockMinBytes-aligned from that size on;
// uninitialised (a reused block holds what its last owner wrote). Throws
// std::bad_alloc.
MemoryBlock AllocateBlock(size_t bytes);

// The blocks and bytes held in the cache now.
struct BlockCacheUsage {
  size_t blocks = 0;
  size_t bytes = 0;
};
BlockCacheUsage CachedBlocks();

// Frees every cached block now (the memory goes back to the OS); returns
// what was freed.
BlockCacheUsage ReleaseCachedBlocks();

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_MEMORY_BLOCK_H_

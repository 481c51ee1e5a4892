#include "core/memory_block.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define QTENSOR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QTENSOR_ASAN 1
#endif
#endif
#if defined(QTENSOR_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace qtensor::core {
namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kLarge = kCachedBlockMinBytes;

using Clock = std::chrono::steady_clock;

size_t RoundUp(size_t bytes, size_t multiple) {
  return (bytes + multiple - 1) / multiple * multiple;
}

// A cached block's bytes are nobody's: under AddressSanitizer any access
// to them is reported, as for freed memory.
void Poison(uint8_t* block, size_t bytes) {
#if defined(QTENSOR_ASAN)
  ASAN_POISON_MEMORY_REGION(block, bytes);
#else
  (void)block;
  (void)bytes;
#endif
}
void Unpoison(uint8_t* block, size_t bytes) {
#if defined(QTENSOR_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(block, bytes);
#else
  (void)block;
  (void)bytes;
#endif
}

// Released large blocks, still mapped, oldest first.
class BlockCache {
 public:
  // A cached block of min_capacity to max_capacity bytes (the smallest
  // such, the most recently released of equals), or null.
  uint8_t* Take(size_t min_capacity, size_t max_capacity, size_t* capacity) {
    std::vector<Entry> expired;
    uint8_t* taken = nullptr;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      Expire(Clock::now(), &expired);
      size_t best = entries_.size();
      for (size_t i = 0; i < entries_.size(); ++i) {
        const size_t c = entries_[i].capacity;
        if (c >= min_capacity && c <= max_capacity &&
            (best == entries_.size() || c <= entries_[best].capacity)) {
          best = i;
        }
      }
      if (best < entries_.size()) {
        taken = entries_[best].block;
        *capacity = entries_[best].capacity;
        bytes_ -= *capacity;
        entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(best));
      }
    }
    Free(expired);
    if (taken != nullptr) Unpoison(taken, *capacity);
    return taken;
  }

  // Keeps the block, making room by freeing the oldest ones; a block larger
  // than the whole cache is freed at once.
  void Put(uint8_t* block, size_t capacity) {
    std::vector<Entry> freed;
    if (capacity > kBlockCacheMaxBytes) {
      freed.push_back({block, capacity, Clock::now()});
    } else {
      Poison(block, capacity);
      const std::lock_guard<std::mutex> lock(mutex_);
      const Clock::time_point now = Clock::now();
      Expire(now, &freed);
      size_t drop = 0;
      size_t bytes = bytes_;
      while (drop < entries_.size() && (entries_.size() - drop + 1 > kBlockCacheMaxBlocks ||
                                        bytes + capacity > kBlockCacheMaxBytes)) {
        bytes -= entries_[drop].capacity;
        ++drop;
      }
      Drop(drop, &freed);
      entries_.push_back({block, capacity, now});
      bytes_ += capacity;
    }
    Free(freed);
  }

  BlockCacheUsage Usage() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return {entries_.size(), bytes_};
  }

  BlockCacheUsage ReleaseAll() {
    std::vector<Entry> freed;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      Drop(entries_.size(), &freed);
    }
    BlockCacheUsage usage{freed.size(), 0};
    for (const Entry& e : freed) usage.bytes += e.capacity;
    Free(freed);
    return usage;
  }

 private:
  struct Entry {
    uint8_t* block;
    size_t capacity;
    Clock::time_point released;
  };

  // Moves the `count` oldest entries to *out (under the lock).
  void Drop(size_t count, std::vector<Entry>* out) {
    for (size_t i = 0; i < count; ++i) {
      bytes_ -= entries_[i].capacity;
      out->push_back(entries_[i]);
    }
    entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(count));
  }

  // Moves the entries unused for longer than the limit to *out.
  void Expire(Clock::time_point now, std::vector<Entry>* out) {
    const auto limit = std::chrono::milliseconds(kBlockCacheMaxAgeMs);
    size_t count = 0;
    while (count < entries_.size() && now - entries_[count].released > limit) ++count;
    Drop(count, out);
  }

  // Outside the lock: returning memory to the OS takes a while.
  static void Free(const std::vector<Entry>& entries) {
    for (const Entry& e : entries) {
      Unpoison(e.block, e.capacity);
      std::free(e.block);
    }
  }

  std::mutex mutex_;
  std::vector<Entry> entries_;
  size_t bytes_ = 0;
};

// Never destroyed: blocks may be released during static destruction (a
// tensor held by a global, or by Python at exit), after any destructor of
// the cache would have run. Blocks cached at exit go back with the process.
BlockCache& Cache() {
  static BlockCache* const cache = new BlockCache;
  return *cache;
}

#if defined(__linux__)
// The word in brackets of a setting in /sys/kernel/mm/transparent_hugepage
// ("always [madvise] never" -> "madvise"); empty where it cannot be read.
std::string ThpSetting(const char* name) {
  std::ifstream file(std::string("/sys/kernel/mm/transparent_hugepage/") + name);
  std::string text;
  std::getline(file, text);
  const size_t open = text.find('['), close = text.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  return text.substr(open + 1, close - open - 1);
}

// Whether to advise a fresh large block for huge pages.
enum class HugePageAdvice {
  kNever,   // THP off, or on for all memory without advice ("always"):
            // advice could only add stalls
  kAlways,  // advised faults never compact directly ("defer", "never")
  kIfFree,  // advised faults compact directly when no 2 MiB block is free
};

HugePageAdvice AdviceFromSettings() {
  if (ThpSetting("enabled") != "madvise") return HugePageAdvice::kNever;
  const std::string defrag = ThpSetting("defrag");
  if (defrag == "defer" || defrag == "never") return HugePageAdvice::kAlways;
  return HugePageAdvice::kIfFree;
}

// Free 2 MiB pages (order 9 and above) in the zones of /proc/buddyinfo
// other than DMA, or 0 where it cannot be read.
size_t FreeHugePages() {
  std::ifstream file("/proc/buddyinfo");
  std::string line;
  size_t pages = 0;
  while (std::getline(file, line)) {
    // "Node 0, zone   Normal   a0 a1 ... a10": counts of free 2^k pages.
    std::istringstream words(line);
    std::string node, node_id, zone, name;
    words >> node >> node_id >> zone >> name;
    if (name == "DMA") continue;
    size_t count = 0;
    for (int order = 0; words >> count; ++order) {
      if (order >= 9 && order < 9 + 20) pages += count << (order - 9);
    }
  }
  return pages;
}

bool AdviseHugePages(size_t bytes) {
  static const HugePageAdvice advice = AdviceFromSettings();
  switch (advice) {
    case HugePageAdvice::kAlways:
      return true;
    case HugePageAdvice::kIfFree:
      // With room to spare: other threads and processes allocate too.
      return FreeHugePages() >= 2 * (bytes / kLarge);
    default:
      return false;
  }
}
#endif

// A new large block from malloc, faulted in before it is returned (one
// kernel call instead of a fault per page, where the kernel has
// MADV_POPULATE_WRITE).
uint8_t* AllocateLarge(size_t size) {
  auto* block = static_cast<uint8_t*>(std::aligned_alloc(kLarge, size));
  if (block == nullptr) throw std::bad_alloc();
#if defined(__linux__)
#if defined(MADV_HUGEPAGE)
  if (AdviseHugePages(size)) madvise(block, size, MADV_HUGEPAGE);
#endif
#if !defined(MADV_POPULATE_WRITE)
  constexpr int MADV_POPULATE_WRITE = 23;  // Linux 5.14; older kernels say EINVAL
#endif
  // Advice only: where it fails the pages are faulted in on first touch.
  madvise(block, size, MADV_POPULATE_WRITE);
#endif
  return block;
}

}  // namespace

void MemoryBlockDeleter::operator()(uint8_t* block) const {
  if (block == nullptr) return;
  if (capacity >= kLarge) {
    Cache().Put(block, capacity);
  } else {
    std::free(block);
  }
}

MemoryBlock AllocateBlock(size_t bytes) {
  if (bytes > SIZE_MAX - kLarge) throw std::bad_alloc();
  if (bytes < kLarge) {
    // aligned_alloc wants a multiple of the alignment, and never 0 bytes.
    const size_t size = RoundUp(bytes > 0 ? bytes : 1, kAlignment);
    MemoryBlock block(static_cast<uint8_t*>(std::aligned_alloc(kAlignment, size)));
    if (!block) throw std::bad_alloc();
    return block;
  }
  const size_t size = RoundUp(bytes, kLarge);
  size_t capacity = 0;
  // A cached block at most 1/8 larger (in whole kLarge units) will do.
  const size_t slack = size / 8 / kLarge * kLarge;
  uint8_t* block = Cache().Take(size, size > SIZE_MAX - slack ? SIZE_MAX : size + slack, &capacity);
  if (block == nullptr) {
    block = AllocateLarge(size);
    capacity = size;
  }
  return MemoryBlock(block, MemoryBlockDeleter{capacity});
}

BlockCacheUsage CachedBlocks() { return Cache().Usage(); }

BlockCacheUsage ReleaseCachedBlocks() { return Cache().ReleaseAll(); }

}  // namespace qtensor::core

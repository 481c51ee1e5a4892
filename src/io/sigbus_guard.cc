#include "io/sigbus_guard.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>

namespace qtensor::io {

// One guarded range. Nodes are never freed: the signal handler walks the
// list without a lock, so a node is reused for a later range instead. Its
// fields change under a sequence number (odd while they change), so the
// handler never matches a half-written range.
class GuardedRange {
 public:
  std::atomic<uint32_t> sequence{0};
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};  // begin == end: free
  std::atomic<bool> damaged{false};
  GuardedRange* next = nullptr;       // set before the node is published
  GuardedRange* next_free = nullptr;  // while free, under the mutex
};

namespace {

std::atomic<GuardedRange*> g_ranges{nullptr};
std::mutex g_ranges_mutex;       // taken by GuardRange and UnguardRange only
GuardedRange* g_free = nullptr;  // nodes of no range, under the mutex
struct sigaction g_previous;
std::atomic<bool> g_installed{false};

void SetRange(GuardedRange* range, uintptr_t begin, uintptr_t end) {
  range->sequence.fetch_add(1, std::memory_order_acq_rel);  // odd: changing
  range->begin.store(begin, std::memory_order_release);
  range->end.store(end, std::memory_order_release);
  range->damaged.store(false, std::memory_order_release);
  range->sequence.fetch_add(1, std::memory_order_acq_rel);
}

// The guarded range holding address, or null (async-signal-safe: atomics
// only).
GuardedRange* RangeHolding(uintptr_t address) {
  for (GuardedRange* range = g_ranges.load(std::memory_order_acquire); range != nullptr;
       range = range->next) {
    const uint32_t before = range->sequence.load(std::memory_order_acquire);
    if (before % 2 != 0) continue;
    const uintptr_t begin = range->begin.load(std::memory_order_acquire);
    const uintptr_t end = range->end.load(std::memory_order_acquire);
    if (range->sequence.load(std::memory_order_acquire) != before) continue;
    if (begin <= address && address < end) return range;
  }
  return nullptr;
}

// What would have happened without this handler.
void PassOn(int signal, siginfo_t* info, void* context) {
  if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr) {
    g_previous.sa_sigaction(signal, info, context);
    return;
  }
  if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(signal);
    return;
  }
  // The default action: returning re-runs the faulting access, which now
  // raises the signal with its default disposition and ends the process.
  struct sigaction fallback = {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(signal, &fallback, nullptr);
}

void OnSigbus(int signal, siginfo_t* info, void* context) {
  const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
  GuardedRange* range = RangeHolding(address);
  if (range == nullptr) {
    PassOn(signal, info, context);
    return;
  }
  // The pages past the file's end are gone from here on (the file was cut
  // at a page at or below this one); zeros replace them all at once.
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  char* first = static_cast<char*>(info->si_addr) - address % page;
  const uintptr_t end = range->end.load(std::memory_order_acquire);
  void* zeros = mmap(first, end - (address - address % page), PROT_READ,
                     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (zeros == MAP_FAILED) {
    PassOn(signal, info, context);
    return;
  }
  range->damaged.store(true, std::memory_order_release);
}

void InstallOnce() {
  if (g_installed.load(std::memory_order_acquire)) return;
  if (std::getenv("QTENSOR_NO_SIGBUS_GUARD") != nullptr) {
    g_installed.store(true, std::memory_order_release);
    return;
  }
  struct sigaction handler = {};
  handler.sa_sigaction = OnSigbus;
  handler.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&handler.sa_mask);
  sigaction(SIGBUS, &handler, &g_previous);
  g_installed.store(true, std::memory_order_release);
}

}  // namespace

GuardedRange* GuardRange(void* begin, size_t length) {
  const std::lock_guard<std::mutex> lock(g_ranges_mutex);
  InstallOnce();
  GuardedRange* range = g_free;
  if (range != nullptr) {
    g_free = range->next_free;
  } else {
    range = new GuardedRange;  // never freed (see GuardedRange)
    range->next = g_ranges.load(std::memory_order_acquire);
    g_ranges.store(range, std::memory_order_release);
  }
  const auto start = reinterpret_cast<uintptr_t>(begin);
  SetRange(range, start, start + length);
  return range;
}

void UnguardRange(GuardedRange* range) {
  const std::lock_guard<std::mutex> lock(g_ranges_mutex);
  SetRange(range, 0, 0);
  range->next_free = g_free;
  g_free = range;
}

bool RangeDamaged(const GuardedRange* range) {
  return range->damaged.load(std::memory_order_acquire);
}

}  // namespace qtensor::io

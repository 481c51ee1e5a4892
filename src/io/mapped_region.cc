#include "io/mapped_region.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <limits>
#include <stdexcept>

#include "core/error.h"
#include "io/file_io.h"
#include "io/sigbus_guard.h"

namespace qtensor::io {

// Linux 5.14's; older headers lack the name (older kernels refuse it: EINVAL).
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

std::shared_ptr<const MappedRegion> MappedRegion::Map(int fd, uint64_t offset, uint64_t length,
                                                      const std::string& path, MapPages pages) {
  if (length == 0) throw std::logic_error("MappedRegion::Map: an empty range");
  const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t start = offset / page * page;
  const uint64_t mapped = offset - start + length;
  if (mapped > std::numeric_limits<size_t>::max() ||
      start > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) {
    core::Fail(core::ErrorKind::kOutOfMemory,
               "cannot map " + std::to_string(length) + " bytes of '" + path + "'");
  }
  void* base = ::mmap(nullptr, static_cast<size_t>(mapped), PROT_READ, MAP_SHARED, fd,
                      static_cast<off_t>(start));
  if (base == MAP_FAILED) IoFailure("map", path, errno);
  std::shared_ptr<const MappedRegion> region(new MappedRegion(base, static_cast<size_t>(mapped),
                                                              static_cast<size_t>(offset - start),
                                                              static_cast<size_t>(length)));
  if (pages == MapPages::kNow) region->Populate();
  return region;
}

MappedRegion::MappedRegion(void* base, size_t mapped, size_t lead, size_t length)
    : base_(base), mapped_(mapped), lead_(lead), length_(length) {
  // The guard covers whole pages, as the handler replaces whole pages.
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  try {
    guard_ = GuardRange(base_, (mapped_ + page - 1) / page * page);
  } catch (...) {
    ::munmap(base_, mapped_);
    throw;
  }
}

MappedRegion::~MappedRegion() {
  UnguardRange(guard_);
  ::munmap(base_, mapped_);
}

void MappedRegion::Populate() const {
  // One call maps every page (a fault each, taken inside the kernel: no
  // trap per page). It never raises SIGBUS: pages past a shrunken file's end
  // make it fail with EFAULT and stay unmapped, for the guard to handle on
  // their first read. Any failure leaves the mapping as kOnFirstRead would.
  (void)::madvise(base_, mapped_, MADV_POPULATE_READ);
}

bool MappedRegion::damaged() const { return RangeDamaged(guard_); }

}  // namespace qtensor::io

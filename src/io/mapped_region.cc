#include "io/mapped_region.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <limits>
#include <stdexcept>

#include "core/error.h"
#include "io/file_io.h"

namespace qtensor::io {

std::shared_ptr<const MappedRegion> MappedRegion::Map(int fd, uint64_t offset, uint64_t length,
                                                      const std::string& path) {
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
  return std::shared_ptr<const MappedRegion>(new MappedRegion(base, static_cast<size_t>(mapped),
                                                              static_cast<size_t>(offset - start),
                                                              static_cast<size_t>(length)));
}

MappedRegion::~MappedRegion() { ::munmap(base_, mapped_); }

}  // namespace qtensor::io

// A read-only shared mapping of a byte range of a file, unmapped when the
// last owner lets go. Tensors that borrow a container's payload keep one
// alive through their storage (core::Storage's owner), so the mapping
// outlives the container object if they do.
#ifndef QTENSOR_IO_MAPPED_REGION_H_
#define QTENSOR_IO_MAPPED_REGION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace qtensor::io {

class GuardedRange;

// When a mapping's pages enter the process's page tables.
enum class MapPages {
  // Page by page, on the first read of each (a fault each, with the
  // kernel's fault-around): a range mapped and never read costs nothing.
  kOnFirstRead,
  // All at once when mapped (madvise MADV_POPULATE_READ), reading from the
  // disk what the page cache lacks: for a range its caller is about to
  // read whole, such as one tensor got from a container. Resident memory
  // grows by the range at once. docs/performance.md, "Large containers",
  // has the figures.
  kNow,
};

class MappedRegion {
 public:
  // Maps [offset, offset + length) of the open file fd (PROT_READ,
  // MAP_SHARED: pages are shared with every other reader of the file), from
  // the page boundary at or below offset. length > 0, and the range lies in
  // the file: the caller checks that first. Should the file shrink later,
  // the lost pages read as zeros (io/sigbus_guard.h). kIo, naming path, if
  // mmap fails. With MapPages::kNow, a populate that fails (an old kernel,
  // no memory, the file shrank) is ignored: the pages it left out fault on
  // their first read, as with kOnFirstRead, so nothing but speed changes.
  static std::shared_ptr<const MappedRegion> Map(int fd, uint64_t offset, uint64_t length,
                                                 const std::string& path,
                                                 MapPages pages = MapPages::kOnFirstRead);
  MappedRegion(const MappedRegion&) = delete;
  MappedRegion& operator=(const MappedRegion&) = delete;
  ~MappedRegion();

  // The range's first byte.
  const uint8_t* data() const { return static_cast<const uint8_t*>(base_) + lead_; }
  size_t length() const { return length_; }
  // Whether the file shrank under the mapping and a read of a lost page
  // found zeros instead (io/sigbus_guard.h).
  bool damaged() const;

 private:
  MappedRegion(void* base, size_t mapped, size_t lead, size_t length);
  void Populate() const;

  void* base_;
  size_t mapped_;  // bytes mapped from base_
  size_t lead_;    // from base_ to the range's start
  size_t length_;
  GuardedRange* guard_;
};

}  // namespace qtensor::io

#endif  // QTENSOR_IO_MAPPED_REGION_H_

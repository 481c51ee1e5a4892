// Reading a container (docs/format.md, "The container"): opening reads and
// validates its header only; getting an entry maps its payload read-only
// and returns a tensor that borrows the mapping (no copy).
#ifndef QTENSOR_IO_CONTAINER_READER_H_
#define QTENSOR_IO_CONTAINER_READER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/bundle.h"
#include "io/container_validate.h"
#include "io/file_io.h"
#include "io/mapped_region.h"

namespace qtensor::io {

class ContainerFile {
 public:
  // Opens path and validates its prefix and header (no payload is read).
  // kIo if it cannot be read; kCorruptData, the message starting with
  // 'PATH': , for any broken rule.
  explicit ContainerFile(const std::string& path);

  const std::string& path() const { return path_; }
  uint32_t format_version() const { return valid_.format_version; }
  size_t size() const { return valid_.size(); }
  // Entry i (i < size()) in the file's order: name, shape, dtype, the
  // quantizer but for per-channel and per-block parameters, the payloads'
  // places and checksums (parsed again from the header's bytes at each
  // call; EntryQuantizer reads the parameters).
  ValidContainerEntry entry(size_t i) const { return ValidContainerEntryAt(valid_, i); }
  // Entry i's name (i < size()), valid as long as this object.
  const char* name(size_t i) const { return valid_.names.name(i); }
  // The index of the entry called name; kNotFound if there is none.
  size_t IndexOf(const std::string& name) const;
  bool Contains(const std::string& name) const {
    return valid_.names.Find(name) != NameIndex::kNotFound;
  }

  // The metadata: its size, its i-th key in sorted order (i < size), and the
  // value of key (nullptr if absent); the strings live as long as this object.
  size_t metadata_size() const { return valid_.metadata.size(); }
  const char* metadata_key(size_t i) const { return valid_.metadata.key(i); }
  const char* FindMetadata(const std::string& key) const { return valid_.metadata.Find(key); }
  // A copy of it all.
  std::map<std::string, std::string> metadata() const { return valid_.metadata.ToMap(); }

  // A quantized entry as a read-only tensor borrowing a mapping of its
  // payload, which lives as long as any view of it (whether or not this
  // object does); clone() it to write. A float entry borrows the mapping
  // the same way (a FloatArray is immutable). kCorruptData if the file is
  // now shorter than the payload (truncated since it was opened), instead of
  // a mapping that would fault. Should the file shrink while a tensor maps
  // it, the lost pages read as zeros (io/sigbus_guard.h).
  BundleEntry Get(const std::string& name) const;
  BundleEntry Get(size_t index) const;

  // Recomputes the XXH3-64 of the entry's payloads (its values and any
  // parameters) and compares each with the stored one: kCorruptData naming
  // the entry on a mismatch. Returns false for an entry stored without
  // checksums (nothing to compare).
  bool Verify(const std::string& name) const;
  // Every entry; returns how many had a checksum.
  size_t VerifyAll() const;

  // Every entry and the metadata; all entries borrow one mapping of the
  // payloads' region (which lasts while any of them lives).
  Bundle ToBundle() const;

  // Entry index's quantizer (entry is this->entry(index)): a per-channel or
  // per-block entry's parameters are read from their payloads and checked
  // (kCorruptData naming the entry, the message starting with 'PATH': ).
  core::Quantizer EntryQuantizer(size_t index, const ValidContainerEntry& entry) const;

 private:
  // kCorruptData starting with what unless the file still holds
  // [offset, offset + length) (it may have shrunk since it was opened).
  void CheckStillHolds(uint64_t offset, uint64_t length, const std::string& what) const;
  // [offset, offset + length) mapped, after CheckStillHolds.
  std::shared_ptr<const MappedRegion> MapRange(uint64_t offset, uint64_t length,
                                               const std::string& what, MapPages pages) const;
  // An entry's payload so, its pages mapped at once; nullptr for an empty
  // one.
  std::shared_ptr<const MappedRegion> MapPayload(const ValidContainerEntry& entry) const;
  // A (small) payload read into memory, after CheckStillHolds.
  std::vector<uint8_t> ReadPayload(const ValidPayload& payload, const std::string& what) const;
  // Entry index over its bytes, which owner keeps alive.
  BundleEntry MakeEntry(size_t index, const ValidContainerEntry& entry, const uint8_t* bytes,
                        std::shared_ptr<const void> owner) const;
  // kCorruptData unless bytes (nullptr for none) hash to payload's checksum.
  void CheckSum(size_t index, const ValidContainerEntry& entry, const ValidPayload& payload,
                const uint8_t* bytes, const char* label) const;
  bool VerifyEntry(size_t index) const;

  std::string path_;
  FileDescriptor fd_;
  // The header, its names and metadata: nothing in it moves when this
  // object does, so the C strings handed out stay valid.
  ValidContainer valid_;
};

// Whether path starts with the container's magic (a short or unreadable
// file does not); kIo if it cannot be opened.
bool IsContainerFile(const std::string& path);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_CONTAINER_READER_H_

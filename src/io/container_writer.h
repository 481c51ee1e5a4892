// Writing a container (docs/format.md, "The container") one entry at a
// time: each payload is written when it is added, so memory holds at most
// one entry's bytes; Finish writes the header and the prefix that points at
// it. The file is written beside path and renamed over it by Finish, so a
// writer abandoned or failed leaves path as it was.
#ifndef QTENSOR_IO_CONTAINER_WRITER_H_
#define QTENSOR_IO_CONTAINER_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>

#include "io/bundle.h"
#include "io/container_format.h"
#include "io/file_io.h"

namespace qtensor::io {

class ContainerWriter {
 public:
  // Creates the temporary file; kIo on failure. max_header_bytes is the
  // readers' limit; tests pass less to reach it without huge entries.
  explicit ContainerWriter(const std::string& path,
                           uint64_t max_header_bytes = kMaxContainerHeaderBytes);
  ContainerWriter(const ContainerWriter&) = delete;
  ContainerWriter& operator=(const ContainerWriter&) = delete;
  // Without Finish, removes the temporary file.
  ~ContainerWriter();

  // Writes the entry's payload at the next multiple of 64, with its
  // XXH3-64. kInvalidArgument for an empty name, one with a NUL byte, not
  // UTF-8 or already added, or after Finish or a failure; kOutOfMemory,
  // before anything is written, if its description would take the header
  // over max_header_bytes (the writer stays usable); kIo if writing fails
  // (the writer is then unusable and the temporary file gone).
  void Add(const std::string& name, const BundleEntry& entry);
  // Sets (or replaces) a metadata entry: key non-empty, both UTF-8 without
  // a NUL byte.
  void SetMetadata(const std::string& key, const std::string& value);
  // Writes the header and the prefix, syncs and renames over path.
  void Finish();

 private:
  class State;
  std::unique_ptr<State> state_;
};

// A whole bundle in one call (Add for each entry, then Finish).
void SaveContainer(const Bundle& bundle, const std::string& path);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_CONTAINER_WRITER_H_

// Whole-file reads with a size cap, atomic whole-file writes, and the
// pieces they share with the container's reader and streaming writer: an
// owned descriptor, opening regular files only, and a temporary file
// renamed over its target when complete.
#ifndef QTENSOR_IO_FILE_IO_H_
#define QTENSOR_IO_FILE_IO_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace qtensor::io {

// The file's bytes. kIo if it cannot be read; kCorruptData if it is larger
// than max_bytes (checked before reading it).
std::string ReadFileCapped(const std::string& path, uint64_t max_bytes);

// Writes size bytes to a temporary file beside path, then renames it over
// path, so path holds either its old content or all of the new. kIo on
// failure, with the temporary file removed.
void WriteFileAtomically(const std::string& path, const uint8_t* data, size_t size);

// Closes a descriptor on every path out of a scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor();
  int get() const { return fd_; }
  // Closes now, returning 0 or the errno of a failed close.
  int Close();

 private:
  int fd_;
};

// kIo "cannot WHAT 'PATH': the errno's text".
[[noreturn]] void IoFailure(const std::string& what, const std::string& path, int error);

// Opens path read-only; kIo unless it is a regular file (a FIFO, device or
// directory is refused without blocking). size, if not null, gets its size.
FileDescriptor OpenRegularFile(const std::string& path, uint64_t* size);

// All of size bytes at the descriptor's position, or at offset with pwrite;
// 0 or the errno of the failure.
int WriteAll(int fd, const uint8_t* data, size_t size);
int WriteAllAt(int fd, const uint8_t* data, size_t size, uint64_t offset);
// All of size bytes from offset; 0, the errno, or EIO for a file ending
// before them.
int ReadAllAt(int fd, uint8_t* data, size_t size, uint64_t offset);

// A file being written beside its target: created at once (exclusive, with
// a name no other writer picks), renamed over the target by Commit (after
// an fsync), removed by the destructor if not committed.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::string& target);
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile();
  int fd() const { return fd_.get(); }
  const std::string& target() const { return target_; }
  // Syncs, closes and renames; kIo on failure (the temporary file removed).
  void Commit();
  // A failure writing it, reported for the target: kIo, temporary removed.
  [[noreturn]] void Fail(int error);

 private:
  void Remove();

  std::string target_;
  std::string temporary_;
  FileDescriptor fd_;
  bool done_ = false;
};

}  // namespace qtensor::io

#endif  // QTENSOR_IO_FILE_IO_H_

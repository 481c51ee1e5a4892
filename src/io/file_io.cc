#include "io/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include "core/error.h"

namespace qtensor::io {
namespace {

using core::ErrorKind;

std::string ErrnoText(int error) { return std::generic_category().message(error); }

[[noreturn]] void IoFailure(const std::string& what, const std::string& path, int error) {
  core::Fail(ErrorKind::kIo, "cannot " + what + " '" + path + "': " + ErrnoText(error));
}

// Closes a descriptor on every path out of a scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, returning 0 or the errno of a failed close.
  int Close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// A name no other writer in this or another process picks at the same time.
std::string TemporaryNameFor(const std::string& path) {
  static std::atomic<unsigned long> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

int WriteAll(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    const size_t chunk = size < (size_t{1} << 30) ? size : (size_t{1} << 30);
    const ssize_t written = ::write(fd, data, chunk);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return 0;
}

}  // namespace

std::string ReadFileCapped(const std::string& path, uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer. Only regular
  // files are read, so nothing endless (/dev/zero, a pipe) is ever started.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) IoFailure("open", path, errno);
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) IoFailure("read", path, errno);
  if (S_ISDIR(info.st_mode)) IoFailure("read", path, EISDIR);
  if (!S_ISREG(info.st_mode)) {
    core::Fail(ErrorKind::kIo,
               "cannot read '" + path + "': not a regular file (a device, FIFO or socket)");
  }
  const auto over_limit = [&](uint64_t size) {
    core::Fail(ErrorKind::kCorruptData, "'" + path + "' is " + std::to_string(size) +
                                            " bytes, over the limit of " +
                                            std::to_string(max_bytes) + " bytes (2 GiB)");
  };
  if (static_cast<uint64_t>(info.st_size) > max_bytes) {
    over_limit(static_cast<uint64_t>(info.st_size));
  }
  std::string content;
  content.reserve(static_cast<size_t>(info.st_size));
  char chunk[65536];
  for (;;) {
    // At most max_bytes + 1 bytes in all: one past the limit proves it broken.
    // (left + 1, not max_bytes + 1, which wraps to 0 for a limit of 2^64 - 1.)
    const uint64_t left = max_bytes - content.size();
    const ssize_t got = ::read(fd.get(), chunk, left < sizeof chunk ? left + 1 : sizeof chunk);
    if (got < 0) {
      if (errno == EINTR) continue;
      IoFailure("read", path, errno);
    }
    if (got == 0) break;
    // The file may grow while it is read.
    if (content.size() + static_cast<uint64_t>(got) > max_bytes) {
      over_limit(content.size() + static_cast<uint64_t>(got));
    }
    content.append(chunk, static_cast<size_t>(got));
  }
  return content;
}

void WriteFileAtomically(const std::string& path, const uint8_t* data, size_t size) {
  const std::string temporary = TemporaryNameFor(path);
  FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (fd.get() < 0) IoFailure("write", path, errno);
  int error = WriteAll(fd.get(), data, size);
  if (error == 0 && ::fsync(fd.get()) != 0) error = errno;
  const int close_error = fd.Close();
  if (error == 0) error = close_error;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    IoFailure("write", path, error);
  }
}

}  // namespace qtensor::io

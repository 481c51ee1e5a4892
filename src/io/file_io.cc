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

// A name no other writer in this or another process picks at the same time.
std::string TemporaryNameFor(const std::string& path) {
  static std::atomic<unsigned long> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

void IoFailure(const std::string& what, const std::string& path, int error) {
  core::Fail(ErrorKind::kIo, "cannot " + what + " '" + path + "': " + ErrnoText(error));
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

int FileDescriptor::Close() {
  const int result = ::close(fd_);
  fd_ = -1;
  return result == 0 ? 0 : errno;
}

FileDescriptor OpenRegularFile(const std::string& path, uint64_t* size) {
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
  if (size != nullptr) *size = static_cast<uint64_t>(info.st_size);
  return fd;
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

int WriteAllAt(int fd, const uint8_t* data, size_t size, uint64_t offset) {
  while (size > 0) {
    const size_t chunk = size < (size_t{1} << 30) ? size : (size_t{1} << 30);
    const ssize_t written = ::pwrite(fd, data, chunk, static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += written;
    size -= static_cast<size_t>(written);
    offset += static_cast<uint64_t>(written);
  }
  return 0;
}

int ReadAllAt(int fd, uint8_t* data, size_t size, uint64_t offset) {
  while (size > 0) {
    const size_t chunk = size < (size_t{1} << 30) ? size : (size_t{1} << 30);
    const ssize_t got = ::pread(fd, data, chunk, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (got == 0) return EIO;
    data += got;
    size -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return 0;
}

TemporaryFile::TemporaryFile(const std::string& target)
    : target_(target), temporary_(TemporaryNameFor(target)) {
  fd_ = FileDescriptor(::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (fd_.get() < 0) IoFailure("write", target_, errno);
}

TemporaryFile::~TemporaryFile() {
  if (!done_) Remove();
}

void TemporaryFile::Remove() {
  if (fd_.get() >= 0) fd_.Close();
  ::unlink(temporary_.c_str());
  done_ = true;
}

void TemporaryFile::Fail(int error) {
  Remove();
  IoFailure("write", target_, error);
}

void TemporaryFile::Commit() {
  int error = ::fsync(fd_.get()) != 0 ? errno : 0;
  const int close_error = fd_.Close();
  if (error == 0) error = close_error;
  if (error == 0 && ::rename(temporary_.c_str(), target_.c_str()) != 0) error = errno;
  if (error != 0) Fail(error);
  done_ = true;
}

std::string ReadFileCapped(const std::string& path, uint64_t max_bytes) {
  uint64_t file_size = 0;
  FileDescriptor fd = OpenRegularFile(path, &file_size);
  const auto over_limit = [&](uint64_t size) {
    core::Fail(ErrorKind::kCorruptData, "'" + path + "' is " + std::to_string(size) +
                                            " bytes, over the limit of " +
                                            std::to_string(max_bytes) + " bytes (2 GiB)");
  };
  if (file_size > max_bytes) over_limit(file_size);
  std::string content;
  content.reserve(static_cast<size_t>(file_size));
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
  TemporaryFile file(path);
  const int error = WriteAll(file.fd(), data, size);
  if (error != 0) file.Fail(error);
  file.Commit();
}

}  // namespace qtensor::io

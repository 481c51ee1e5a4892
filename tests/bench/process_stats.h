// What bench_container_scale measures besides time: the process's resident
// and peak memory, how much of a file is in the page cache, and a child
// process per phase, so each phase's peak memory starts clean.
#ifndef QTENSOR_TESTS_BENCH_PROCESS_STATS_H_
#define QTENSOR_TESTS_BENCH_PROCESS_STATS_H_

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace qtensor::bench {

inline double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A "VmRSS:"-style field of /proc/self/status, in bytes; 0 if absent.
inline uint64_t StatusBytes(const char* field) {
  FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  char line[256];
  uint64_t kib = 0;
  const size_t length = std::strlen(field);
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::strncmp(line, field, length) == 0) {
      kib = std::strtoull(line + length, nullptr, 10);
      break;
    }
  }
  std::fclose(status);
  return kib * 1024;
}
inline uint64_t ResidentBytes() { return StatusBytes("VmRSS:"); }
inline uint64_t PeakResidentBytes() { return StatusBytes("VmHWM:"); }

// Sets the peak (VmHWM) to the current resident size (Linux 4.0 and later);
// false if the kernel refuses.
inline bool ResetPeakResident() {
  const int fd = ::open("/proc/self/clear_refs", O_WRONLY);
  if (fd < 0) return false;
  const bool done = ::write(fd, "5", 1) == 1;
  ::close(fd);
  return done;
}

// The fraction of path's pages in the page cache (mincore of a mapping
// that touches nothing); -1 if it cannot be told.
inline double CachedFraction(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return -1;
  struct stat info;
  double fraction = -1;
  if (::fstat(fd, &info) == 0 && info.st_size > 0) {
    const auto size = static_cast<size_t>(info.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (map != MAP_FAILED) {
      const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
      std::vector<unsigned char> resident((size + page - 1) / page);
      if (::mincore(map, size, resident.data()) == 0) {
        size_t in = 0;
        for (unsigned char r : resident) in += r & 1;
        fraction = static_cast<double>(in) / static_cast<double>(resident.size());
      }
      ::munmap(map, size);
    }
  }
  ::close(fd);
  return fraction;
}

// Runs phase in a child process; its exit status (0 passed), or 1 if it
// could not run. Results come back through memory shared before the fork.
template <class Phase>
int RunInChild(Phase&& phase) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t child = ::fork();
  if (child < 0) {
    std::perror("fork");
    return 1;
  }
  if (child == 0) {
    const int status = phase();
    std::fflush(stdout);
    std::fflush(stderr);
    ::_exit(status);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) != child) return 1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// A T in memory shared with the child processes forked after it.
template <class T>
T* SharedResults() {
  void* memory =
      ::mmap(nullptr, sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return nullptr;
  return new (memory) T();
}

}  // namespace qtensor::bench

#endif  // QTENSOR_TESTS_BENCH_PROCESS_STATS_H_

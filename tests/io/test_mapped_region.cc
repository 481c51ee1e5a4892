// io::MappedRegion's two ways of bringing pages in (MapPages): the same
// bytes either way; kNow makes the range resident when it is mapped, and on
// a file that shrank before the mapping it neither crashes nor throws (the
// lost pages then read as zeros through the SIGBUS guard).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "corpus_files.h"
#include "io/mapped_region.h"

namespace {

using qtensor::io::MapPages;
using qtensor::io::MappedRegion;
using qtensor_test::ScratchDir;

constexpr size_t kPage = 4096;
constexpr size_t kFileBytes = 256 * kPage;

uint8_t ByteAt(size_t position) { return static_cast<uint8_t>(position * 7 % 251 + 1); }

// A file of kFileBytes bytes, ByteAt each; its descriptor, open for reading.
int WriteFile(const std::string& path) {
  std::vector<uint8_t> bytes(kFileBytes);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = ByteAt(i);
  FILE* out = std::fopen(path.c_str(), "wb");
  REQUIRE(out != nullptr);
  REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size());
  REQUIRE(std::fclose(out) == 0);
  const int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  return fd;
}

// How many of the region's pages are in this process's page tables: a
// present page reads without a fault, so mincore of the page cache is not
// the measure; /proc/self/pagemap's present bit (bit 63) is.
size_t PresentPages(const MappedRegion& region) {
  const auto first = reinterpret_cast<uintptr_t>(region.data()) / kPage;
  const size_t pages = (region.length() + kPage - 1) / kPage;
  const int fd = ::open("/proc/self/pagemap", O_RDONLY);
  REQUIRE(fd >= 0);
  std::vector<uint64_t> entries(pages);
  const auto bytes = static_cast<ssize_t>(pages * sizeof(uint64_t));
  REQUIRE(::pread(fd, entries.data(), static_cast<size_t>(bytes),
                  static_cast<off_t>(first * sizeof(uint64_t))) == bytes);
  ::close(fd);
  size_t present = 0;
  for (uint64_t entry : entries) present += (entry >> 63) & 1;
  return present;
}

}  // namespace

TEST_CASE("mapped region: kNow maps every page at once, kOnFirstRead none, same bytes") {
  ScratchDir dir("qtensor_mapped_region");
  const int fd = WriteFile(dir / "bytes.bin");
  // An offset inside a page, as a payload's (64-byte aligned) can be.
  const uint64_t offset = 3 * kPage + 64, length = kFileBytes - offset;
  const auto now = MappedRegion::Map(fd, offset, length, "bytes.bin", MapPages::kNow);
  const auto lazy = MappedRegion::Map(fd, offset, length, "bytes.bin");
  const size_t pages = (length + kPage - 1) / kPage;
  CHECK(PresentPages(*now) == pages);
  CHECK(PresentPages(*lazy) == 0);
  for (uint64_t i = 0; i < length; i += 997) {
    CAPTURE(i);
    REQUIRE(now->data()[i] == ByteAt(offset + i));
    REQUIRE(lazy->data()[i] == ByteAt(offset + i));
  }
  CHECK(now->data()[length - 1] == ByteAt(kFileBytes - 1));
  CHECK_FALSE(now->damaged());
  ::close(fd);
}

TEST_CASE("mapped region: kNow on a file cut short before the mapping reads zeros past the cut") {
  ScratchDir dir("qtensor_mapped_region");
  const std::string path = dir / "cut.bin";
  const int fd = WriteFile(path);
  // The caller checked the size, then another writer cut the file.
  const size_t kept = 100 * kPage;
  REQUIRE(::truncate(path.c_str(), static_cast<off_t>(kept)) == 0);
  const auto region = MappedRegion::Map(fd, 0, kFileBytes, path, MapPages::kNow);
  CHECK(PresentPages(*region) == kept / kPage);  // populated up to the cut
  CHECK_FALSE(region->damaged());
  CHECK(region->data()[kept - 1] == ByteAt(kept - 1));
  CHECK(region->data()[kept] == 0);  // through the guard: no SIGBUS death
  CHECK(region->data()[kFileBytes - 1] == 0);
  CHECK(region->damaged());
  ::close(fd);
}

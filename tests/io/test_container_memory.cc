// Opening a hostile container takes memory bounded by its header's size
// (docs/format.md, "The container"): headers of 16 MiB made of empty
// entries, of the smallest valid entries, of tiny metadata pairs, and of
// entries whose payloads all overlap, validated while every operator new
// of the process is counted. Its own executable, since the counting
// replaces the global allocation functions.
#include <doctest/doctest.h>
#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "core/error.h"
#include "io/container_format.h"
#include "io/container_validate.h"

namespace {

std::atomic<size_t> live_bytes{0};
std::atomic<size_t> peak_bytes{0};

void* Counted(void* block) {
  if (block == nullptr) throw std::bad_alloc();
  const size_t now = live_bytes += malloc_usable_size(block);
  size_t peak = peak_bytes.load();
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
  }
  return block;
}

void Uncounted(void* block) {
  if (block == nullptr) return;
  live_bytes -= malloc_usable_size(block);
  std::free(block);
}

}  // namespace

void* operator new(size_t size) { return Counted(std::malloc(size == 0 ? 1 : size)); }
void* operator new[](size_t size) { return Counted(std::malloc(size == 0 ? 1 : size)); }
void operator delete(void* block) noexcept { Uncounted(block); }
void operator delete[](void* block) noexcept { Uncounted(block); }
void operator delete(void* block, size_t) noexcept { Uncounted(block); }
void operator delete[](void* block, size_t) noexcept { Uncounted(block); }

namespace {

constexpr size_t kHeaderBytes = size_t{16} << 20;
// The bound: four bytes per header byte, plus a constant for what does not
// grow with the header.
constexpr size_t kBound = 4 * kHeaderBytes + (size_t{1} << 20);

void Varint(std::string* out, uint64_t value) {
  for (; value >= 0x80; value >>= 7) out->push_back(static_cast<char>(value | 0x80));
  out->push_back(static_cast<char>(value));
}

void Field(std::string* out, uint8_t tag, const std::string& body) {
  out->push_back(static_cast<char>(tag));
  Varint(out, body.size());
  out->append(body);
}

// A distinct short printable name for each i (1 to 4 bytes for a few
// million).
std::string Name(size_t i) {
  std::string name;
  do {
    name.push_back(static_cast<char>('!' + i % 94));
    i /= 94;
  } while (i > 0);
  return name;
}

// Fields appended by add until the header holds kHeaderBytes.
template <typename Add>
std::string HeaderOf(std::string header, Add&& add) {
  for (size_t i = 0; header.size() < kHeaderBytes; ++i) add(&header, i);
  return header;
}

// A float32 entry of shape `shape` (a packed field's bytes) named Name(i),
// its payload [offset, offset + length).
std::string FloatEntry(size_t i, const std::string& shape, uint64_t offset, uint64_t length) {
  std::string tensor("\x08\x0a", 2);  // dtype DTYPE_FLOAT32
  Field(&tensor, 0x12, shape);
  Field(&tensor, 0x52, Name(i));
  std::string payload("\x08", 1);
  Varint(&payload, offset);
  payload.push_back('\x10');
  Varint(&payload, length);
  std::string entry;
  Field(&entry, 0x0a, tensor);
  Field(&entry, 0x12, payload);
  return entry;
}

struct Opened {
  std::string error;  // empty if it opened
  size_t entries = 0;
  size_t metadata = 0;
  size_t peak = 0;  // the most bytes allocated at once, beyond those before
};

// Validates a container of 128 bytes of prefix and payloads and then the
// header, counting the bytes allocated meanwhile.
Opened Open(const std::string& header) {
  std::string file(128, '\0');
  uint8_t prefix[64];
  qtensor::io::EncodeContainerPrefix(128, header.size(), prefix);
  std::memcpy(&file[0], prefix, sizeof prefix);
  file += header;
  Opened opened;
  const size_t before = live_bytes.load();
  peak_bytes = before;
  try {
    const qtensor::io::ValidContainer valid = qtensor::io::ValidateContainer(
        file.size(), [&](uint64_t offset, size_t length, uint8_t* out) {
          std::memcpy(out, file.data() + offset, length);
        });
    opened.entries = valid.size();
    opened.metadata = valid.metadata.size();
  } catch (const qtensor::core::Error& error) {
    opened.error = error.what();
  }
  opened.peak = peak_bytes.load() - before;
  MESSAGE("header of " << header.size() << " bytes: at most " << opened.peak
                       << " bytes allocated at once (" << double(opened.peak) / header.size()
                       << " per header byte); "
                       << (opened.error.empty() ? "opened" : opened.error));
  return opened;
}

}  // namespace

TEST_CASE("container memory: a header of empty entries") {
  const Opened opened =
      Open(HeaderOf("\x08\x01", [](std::string* h, size_t) { h->append("\x12\x00", 2); }));
  CHECK(opened.error == "container entries[0] has an empty name");
  CHECK(opened.peak < kBound);
}

TEST_CASE("container memory: a header of the smallest valid entries") {
  const Opened opened = Open(HeaderOf("\x08\x02", [](std::string* h, size_t i) {
    Field(h, 0x12, FloatEntry(i, std::string(1, '\0'), 64, 0));  // shape [0], no payload
  }));
  CHECK(opened.error.empty());
  CHECK(opened.entries > kHeaderBytes / 20);
  CHECK(opened.peak < kBound);
}

TEST_CASE("container memory: a header of tiny metadata pairs") {
  const Opened opened = Open(HeaderOf("\x08\x01", [](std::string* h, size_t i) {
    std::string pair;
    Field(&pair, 0x0a, Name(i));  // a key, an empty value
    Field(h, 0x1a, pair);
  }));
  CHECK(opened.error.empty());
  CHECK(opened.metadata > kHeaderBytes / 8);
  CHECK(opened.peak < kBound);
}

TEST_CASE("container memory: a header of entries whose payloads all overlap") {
  const Opened opened = Open(HeaderOf("\x08\x02", [](std::string* h, size_t i) {
    Field(h, 0x12, FloatEntry(i, "", 64, 4));  // a scalar: 4 bytes at 64
  }));
  CHECK(opened.error.rfind("container entries[1] (\"\\x22\"): a payload at 64 overlaps", 0) == 0);
  CHECK(opened.peak < kBound);
}

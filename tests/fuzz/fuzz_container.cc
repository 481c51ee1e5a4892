// libFuzzer target: untrusted bytes as a container file (src/io/
// container_reader.h), read by path as every caller reads one. The bytes go
// to one anonymous in-memory file per process (memfd), opened through
// /proc/self/fd. Bad input must throw core::Error of kind kCorruptData whose
// message starts with the path. A file that opens must give every entry
// (each packed entry's last byte is only checked then), and those must
// dequantize, verify (or fail with kCorruptData) and equal what ToBundle and
// LoadBundle give; written again with ContainerWriter it must read back to
// the same entries and metadata, and writing that copy gives the same bytes.
// The header, which the reader parses one field at a time, must read as
// protobuf's parse of it whole reads it (format version, names, payloads,
// metadata), and be called malformed exactly when that parse fails.
// Any broken promise aborts, so libFuzzer (or the replay driver) reports it.
#include <sys/mman.h>
#include <unistd.h>

#include <google/protobuf/stubs/logging.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "io/container_format.h"
#include "io/container_reader.h"
#include "io/container_writer.h"
#include "io/serialize.h"
#include "qtensor.pb.h"

namespace {

namespace io = qtensor::io;
namespace core = qtensor::core;

// Entries this large are compared and read, but not dequantized whole.
constexpr int64_t kMaxDequantized = int64_t{1} << 16;

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
  }
}

// The input file: one memfd for the process, rewritten for each input (no
// fd or file per input survives it).
const std::string& InputPath(const uint8_t* data, size_t size) {
  static const int fd = ::memfd_create("fuzz_container", MFD_CLOEXEC);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  Require(fd >= 0, "memfd_create failed");
  Require(::ftruncate(fd, 0) == 0, "ftruncate failed");
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    Require(n > 0, "pwrite failed");
    done += static_cast<size_t>(n);
  }
  return path;
}

// Where the round trip writes: a directory of this process's own, removed
// at exit.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    char pattern[] = "/tmp/qtensor_fuzz_container_XXXXXX";
    Require(::mkdtemp(pattern) != nullptr, "mkdtemp failed");
    path = pattern;
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

const std::string& ScratchFile() {
  static const ScratchDir dir;
  static const std::string file = dir.path + "/copy.qtb";
  return file;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string StorageBytes(const core::Tensor& t) {
  std::string bytes(core::StorageBytes(t.dtype(), t.numel()), '\0');
  core::StorageRepr(t, bytes.data());
  return bytes;
}

bool SameEntry(const io::BundleEntry& a, const io::BundleEntry& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<core::Tensor>(&a)) {
    const auto& y = std::get<core::Tensor>(b);
    return x->shape() == y.shape() && x->EffectiveQuantizer() == y.EffectiveQuantizer() &&
           StorageBytes(*x) == StorageBytes(y);
  }
  const auto& x = std::get<io::FloatArray>(a);
  const auto& y = std::get<io::FloatArray>(b);
  return x.dtype == y.dtype && x.shape == y.shape && x.size == y.size &&
         (x.size == 0 || std::memcmp(x.data, y.data, x.size) == 0);
}

void CheckSame(const io::Bundle& a, const io::Bundle& b) {
  Require(a.metadata == b.metadata, "metadata changed");
  Require(a.entries.size() == b.entries.size(), "entry count changed");
  for (size_t i = 0; i < a.entries.size(); ++i) {
    Require(a.entries[i].first == b.entries[i].first, "name changed");
    Require(SameEntry(a.entries[i].second, b.entries[i].second), "entry changed");
  }
}

// Reads what a reader's caller reads: a few values of each entry.
void Touch(const io::BundleEntry& entry) {
  if (const auto* tensor = std::get_if<core::Tensor>(&entry)) {
    Require(tensor->storage()->read_only(), "a mapped tensor is writable");
    if (tensor->numel() > kMaxDequantized) return;
    std::vector<float> values(static_cast<size_t>(tensor->numel()));
    core::Dequantize(*tensor, values.data());
    return;
  }
  const auto& array = std::get<io::FloatArray>(entry);
  volatile uint8_t sum = 0;
  if (array.size > 0) sum = static_cast<uint8_t>(sum + array.data[0] + array.data[array.size - 1]);
}

// The file's entries, one Get each, checked against ToBundle's.
io::Bundle Entries(const io::ContainerFile& file) {
  io::Bundle bundle;
  for (size_t i = 0; i < file.size(); ++i) {
    bundle.entries.emplace_back(file.name(i), file.Get(i));
    Require(file.IndexOf(file.name(i)) == i, "IndexOf disagrees");
    Touch(bundle.entries.back().second);
  }
  bundle.metadata = file.metadata();
  return bundle;
}

void RequireCorrupt(const core::Error& error, const std::string& path) {
  Require(error.kind() == core::ErrorKind::kCorruptData, "error of another kind");
  Require(std::string(error.what()).rfind("'" + path + "': ", 0) == 0, "message without its path");
}

// Written again, the bundle reads back the same; the copy written once more
// is the same bytes.
void CheckRoundTrip(const io::Bundle& bundle) {
  const std::string& copy = ScratchFile();
  io::SaveContainer(bundle, copy);
  const std::string written = ReadFile(copy);
  {
    const io::ContainerFile file(copy);
    Require(file.VerifyAll() == file.size(), "the writer left an entry without a checksum");
    const io::Bundle back = file.ToBundle();
    CheckSame(bundle, back);
    io::SaveContainer(back, copy);
  }
  Require(ReadFile(copy) == written, "second write differs");
  std::filesystem::remove(copy);
}

// Protobuf's parse of the whole header, if the prefix is one that leads
// the reader to parse it (nullopt otherwise); .second is whether it parsed.
std::optional<std::pair<bool, qtensor::v1::ContainerHeader>> WholeHeader(const uint8_t* data,
                                                                         size_t size) {
  if (size < io::kContainerPrefixBytes) return std::nullopt;
  const io::ContainerPrefix prefix = io::DecodeContainerPrefix(data);
  if (!io::HasContainerMagic(data, size) || prefix.version != io::kContainerVersion ||
      prefix.flags != 0 || !prefix.reserved_zero ||
      prefix.header_offset < io::kContainerPrefixBytes ||
      prefix.header_length > io::kMaxContainerHeaderBytes || prefix.header_offset > size ||
      size - prefix.header_offset != prefix.header_length) {
    return std::nullopt;
  }
  std::pair<bool, qtensor::v1::ContainerHeader> whole;
  google::protobuf::LogSilencer quiet;
  whole.first = whole.second.ParseFromArray(data + prefix.header_offset,
                                            static_cast<int>(prefix.header_length));
  return whole;
}

bool SamePayload(const io::ValidPayload& mine, const qtensor::v1::PayloadRef& ref) {
  return mine.offset == ref.offset() && mine.length == ref.length() &&
         mine.has_checksum == ref.has_checksum() && mine.xxh3_64 == ref.xxh3_64();
}

// The file as opened against protobuf's reading of its header.
void CheckLikeProtobuf(const io::ContainerFile& file, const qtensor::v1::ContainerHeader& whole) {
  Require(file.format_version() == whole.format_version(), "format_version differs");
  Require(file.size() == static_cast<size_t>(whole.entries_size()), "entry count differs");
  for (size_t i = 0; i < file.size(); ++i) {
    const auto& entry = whole.entries(static_cast<int>(i));
    const io::ValidContainerEntry mine = file.entry(i);
    Require(mine.name == entry.tensor().name() && file.name(i) == entry.tensor().name(),
            "name differs");
    Require(SamePayload(mine.payload, entry.payload()), "payload differs");
    Require(mine.has_parameters == (entry.has_scales() && entry.has_zero_points()),
            "parameter payloads differ");
    Require(!mine.has_parameters || (SamePayload(mine.scales, entry.scales()) &&
                                     SamePayload(mine.zero_points, entry.zero_points())),
            "parameter payloads differ");
  }
  Require(file.metadata() ==
              std::map<std::string, std::string>(whole.metadata().begin(), whole.metadata().end()),
          "metadata differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = InputPath(data, size);
  const auto whole = WholeHeader(data, size);
  io::Bundle entries;
  try {
    const io::ContainerFile file(path);
    Require(whole && whole->first, "opened a header protobuf cannot parse");
    CheckLikeProtobuf(file, whole->second);
    entries = Entries(file);
    try {
      Require(file.VerifyAll() <= file.size(), "more entries verified than there are");
    } catch (const core::Error& error) {
      RequireCorrupt(error, path);  // a checksum that does not match
    }
    CheckSame(entries, file.ToBundle());
  } catch (const core::Error& error) {
    RequireCorrupt(error, path);
    const bool malformed =
        std::string(error.what()).find("malformed container header") != std::string::npos;
    Require(!whole || malformed == !whole->first, "malformed, or not, unlike protobuf's parse");
    return 0;
  }
  CheckSame(entries, io::LoadBundle(path));
  CheckRoundTrip(entries);
  return 0;
}

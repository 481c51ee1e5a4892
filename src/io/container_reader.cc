#include "io/container_reader.h"

#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <utility>
#include <variant>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "io/container_format.h"
#include "io/parameter_payload.h"

namespace qtensor::io {
namespace {

using core::ErrorKind;

// What an empty payload's tensor borrows: no mapping, but a valid address.
alignas(64) const uint8_t kNoBytes[64] = {};

std::shared_ptr<const void> NoOwner() {
  return std::shared_ptr<const void>(kNoBytes, [](const void*) {});
}

// Runs make, prefixing a kCorruptData message with the path, as the
// other readers do.
template <typename Make>
auto WithPath(const std::string& path, Make&& make) {
  try {
    return make();
  } catch (const core::Error& error) {
    if (error.kind() != ErrorKind::kCorruptData) throw;
    core::Fail(error.kind(), "'" + path + "': " + error.what());
  }
}

std::string EntryText(size_t index, const std::string& name) {
  return "entries[" + std::to_string(index) + "] (" + Quoted(name) + ")";
}

}  // namespace

ContainerFile::ContainerFile(const std::string& path) : path_(path) {
  uint64_t file_size = 0;
  fd_ = OpenRegularFile(path, &file_size);
  const auto read = [&](uint64_t offset, size_t length, uint8_t* out) {
    const int error = ReadAllAt(fd_.get(), out, length, offset);
    if (error != 0) IoFailure("read", path_, error);
  };
  valid_ = WithPath(path, [&] { return ValidateContainer(file_size, read); });
}

size_t ContainerFile::IndexOf(const std::string& name) const {
  const size_t found = valid_.names.Find(name);
  if (found == NameIndex::kNotFound) {
    core::Fail(ErrorKind::kNotFound, "'" + path_ + "' has no entry " + Quoted(name));
  }
  return found;
}

void ContainerFile::CheckStillHolds(uint64_t offset, uint64_t length,
                                    const std::string& what) const {
  // The file may have shrunk since it was validated; mapping pages past its
  // end would raise SIGBUS on the first read instead of an error here.
  struct stat info;
  if (::fstat(fd_.get(), &info) != 0) IoFailure("read", path_, errno);
  const auto size = static_cast<uint64_t>(info.st_size);
  const uint64_t end = offset + length;  // validated: no overflow
  if (size < end) {
    core::Fail(ErrorKind::kCorruptData,
               "'" + path_ + "': " + what + ": the file is now " + std::to_string(size) +
                   " bytes, shorter than the payload's end at " + std::to_string(end) +
                   " (truncated after it was opened)");
  }
}

std::shared_ptr<const MappedRegion> ContainerFile::MapRange(uint64_t offset, uint64_t length,
                                                            const std::string& what,
                                                            MapPages pages) const {
  CheckStillHolds(offset, length, what);
  return MappedRegion::Map(fd_.get(), offset, length, path_, pages);
}

std::shared_ptr<const MappedRegion> ContainerFile::MapPayload(
    const ValidContainerEntry& entry) const {
  if (entry.payload.length == 0) return nullptr;
  // Its pages at once: the caller is about to read it whole, and one populate
  // costs less than a fault per page (docs/performance.md, "Large
  // containers").
  return MapRange(entry.payload.offset, entry.payload.length, "entry " + Quoted(entry.name),
                  MapPages::kNow);
}

std::vector<uint8_t> ContainerFile::ReadPayload(const ValidPayload& payload,
                                                const std::string& what) const {
  CheckStillHolds(payload.offset, payload.length, what);
  std::vector<uint8_t> bytes(static_cast<size_t>(payload.length));
  const int error = ReadAllAt(fd_.get(), bytes.data(), bytes.size(), payload.offset);
  if (error != 0) IoFailure("read", path_, error);
  return bytes;
}

core::Quantizer ContainerFile::EntryQuantizer(size_t index,
                                              const ValidContainerEntry& entry) const {
  const auto& layout = std::get<TensorLayout>(entry.layout);
  if (!entry.has_parameters) return LayoutQuantizer(layout, {}, "");
  const std::string what = "entry " + Quoted(entry.name);
  const std::vector<uint8_t> scales = ReadPayload(entry.scales, what);
  const std::vector<uint8_t> zero_points = ReadPayload(entry.zero_points, what);
  return WithPath(path_, [&] {
    const std::string where = "container " + EntryText(index, entry.name);
    return LayoutQuantizer(
        layout, DecodeParameters(layout, scales.data(), zero_points.data(), where), where);
  });
}

BundleEntry ContainerFile::Get(const std::string& name) const { return Get(IndexOf(name)); }

BundleEntry ContainerFile::Get(size_t index) const {
  const ValidContainerEntry entry = this->entry(index);
  const std::shared_ptr<const MappedRegion> region = MapPayload(entry);
  if (region == nullptr) return MakeEntry(index, entry, kNoBytes, NoOwner());
  return MakeEntry(index, entry, region->data(), region);
}

BundleEntry ContainerFile::MakeEntry(size_t index, const ValidContainerEntry& entry,
                                     const uint8_t* bytes,
                                     std::shared_ptr<const void> owner) const {
  const uint64_t length = entry.payload.length;
  if (const auto* array = std::get_if<ValidFloatArray>(&entry.layout)) {
    return FloatArray::Borrow(array->dtype, array->shape, bytes, length, std::move(owner));
  }
  const core::Quantizer quantizer = EntryQuantizer(index, entry);
  const std::vector<int64_t>& shape = std::get<TensorLayout>(entry.layout).shape;
  // A packed dtype's last byte is checked here: the header cannot show it.
  return WithPath(path_, [&] {
    try {
      return core::BorrowStorageRepr(bytes, length, shape, quantizer, std::move(owner));
    } catch (const core::Error& error) {
      if (error.kind() != ErrorKind::kCorruptData) throw;
      core::Fail(error.kind(), "container " + EntryText(index, entry.name) + ": " + error.what());
    }
  });
}

void ContainerFile::CheckSum(size_t index, const ValidContainerEntry& entry,
                             const ValidPayload& payload, const uint8_t* bytes,
                             const char* label) const {
  const uint64_t computed = XXH3_64bits(bytes != nullptr ? bytes : kNoBytes, payload.length);
  if (computed != payload.xxh3_64) {
    core::Fail(ErrorKind::kCorruptData,
               "'" + path_ + "': container " + EntryText(index, entry.name) + ": the " + label +
                   "'s XXH3-64 is " + std::to_string(computed) + ", the header says " +
                   std::to_string(payload.xxh3_64) + " (the " + label + " was changed or damaged)");
  }
}

bool ContainerFile::VerifyEntry(size_t index) const {
  const ValidContainerEntry entry = this->entry(index);
  bool verified = false;
  if (entry.payload.has_checksum) {
    const std::shared_ptr<const MappedRegion> region = MapPayload(entry);
    CheckSum(index, entry, entry.payload, region != nullptr ? region->data() : nullptr, "payload");
    verified = true;
  }
  if (!entry.has_parameters) return verified;
  const std::string what = "entry " + Quoted(entry.name);
  for (const auto& [payload, label] : {std::pair{&entry.scales, "scales payload"},
                                       std::pair{&entry.zero_points, "zero_points payload"}}) {
    if (!payload->has_checksum) continue;
    CheckSum(index, entry, *payload, ReadPayload(*payload, what).data(), label);
    verified = true;
  }
  return verified;
}

bool ContainerFile::Verify(const std::string& name) const { return VerifyEntry(IndexOf(name)); }

size_t ContainerFile::VerifyAll() const {
  size_t verified = 0;
  for (size_t i = 0; i < size(); ++i) verified += VerifyEntry(i) ? 1 : 0;
  return verified;
}

Bundle ContainerFile::ToBundle() const {
  std::vector<ValidContainerEntry> entries;
  entries.reserve(size());
  for (size_t i = 0; i < size(); ++i) entries.push_back(entry(i));
  // One mapping for every payload: a mapping per entry would cost a
  // syscall each and could exceed the process's limit on mappings
  // (vm.max_map_count, 65530 by default) for a bundle of many tensors.
  uint64_t first = UINT64_MAX, end = 0;
  for (const ValidContainerEntry& entry : entries) {
    if (entry.payload.length == 0) continue;
    first = std::min(first, entry.payload.offset);
    end = std::max(end, entry.payload.offset + entry.payload.length);
  }
  std::shared_ptr<const MappedRegion> region;
  // Page by page: the whole region at once would make every entry resident.
  if (end > 0) region = MapRange(first, end - first, "the payloads", MapPages::kOnFirstRead);
  Bundle bundle;
  bundle.entries.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const ValidContainerEntry& entry = entries[i];
    bundle.entries.emplace_back(
        entry.name,
        entry.payload.length == 0
            ? MakeEntry(i, entry, kNoBytes, NoOwner())
            : MakeEntry(i, entry, region->data() + (entry.payload.offset - first), region));
  }
  bundle.metadata = metadata();
  return bundle;
}

bool IsContainerFile(const std::string& path) {
  uint64_t size = 0;
  const FileDescriptor fd = OpenRegularFile(path, &size);
  uint8_t magic[sizeof kContainerMagic];
  if (size < sizeof magic || ReadAllAt(fd.get(), magic, sizeof magic, 0) != 0) return false;
  return HasContainerMagic(magic, sizeof magic);
}

}  // namespace qtensor::io

#include "io/container_validate.h"

#include <algorithm>
#include <limits>
#include <string>

#include <google/protobuf/stubs/logging.h>

#include "core/error.h"
#include "io/container_format.h"
#include "qtensor.pb.h"

namespace qtensor::io {
namespace {

using core::ErrorKind;

[[noreturn]] void Corrupt(const std::string& what) { core::Fail(ErrorKind::kCorruptData, what); }

std::string Text(uint64_t value) { return std::to_string(value); }

// The prefix's checks; the header's range as it gives it.
ContainerPrefix CheckedPrefix(uint64_t file_size, const ReadFileRange& read) {
  if (file_size < kContainerPrefixBytes) {
    Corrupt("container of " + Text(file_size) + " bytes is shorter than its " +
            Text(kContainerPrefixBytes) + "-byte fixed header");
  }
  uint8_t bytes[kContainerPrefixBytes];
  read(0, sizeof bytes, bytes);
  const ContainerPrefix prefix = DecodeContainerPrefix(bytes);
  if (!HasContainerMagic(bytes, sizeof bytes)) {
    Corrupt("not a qtensor container: the first 8 bytes are not its magic \"\\x89QTBNDL\\n\"");
  }
  if (prefix.version != kContainerVersion) {
    Corrupt("container version " + Text(prefix.version) + " is not " + Text(kContainerVersion) +
            ", the one this library reads");
  }
  if (prefix.flags != 0) {
    Corrupt("container flags are " + Text(prefix.flags) + ": no flag is defined, so they are 0");
  }
  if (!prefix.reserved_zero) {
    Corrupt("container prefix bytes 32 to 63 are reserved and must be 0");
  }
  const uint64_t offset = prefix.header_offset, length = prefix.header_length;
  if (offset < kContainerPrefixBytes) {
    Corrupt("header_offset " + Text(offset) + " is inside the " + Text(kContainerPrefixBytes) +
            "-byte fixed header");
  }
  if (length > kMaxContainerHeaderBytes) {
    Corrupt("header_length " + Text(length) + " is over the limit of " +
            Text(kMaxContainerHeaderBytes) + " bytes");
  }
  // The header is the file's last part: it ends where the file does.
  if (offset > std::numeric_limits<uint64_t>::max() - length || offset + length != file_size) {
    Corrupt("the header at " + Text(offset) + " of " + Text(length) +
            " bytes does not end at the end of the file (" + Text(file_size) + " bytes)");
  }
  return prefix;
}

v1::ContainerHeader ParsedHeader(const std::string& bytes) {
  v1::ContainerHeader header;
  bool ok;
  {
    // Protobuf logs invalid UTF-8 to stderr; a library reports it instead.
    google::protobuf::LogSilencer quiet;
    ok = header.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  }
  if (!ok) {
    Corrupt("malformed container header: not a protobuf encoding of qtensor.v1.ContainerHeader");
  }
  return header;
}

// A payload's own rules: aligned, after the prefix, inside the region
// before the header.
void CheckPayloadRange(const v1::PayloadRef& payload, uint64_t header_offset,
                       const std::string& where) {
  const uint64_t offset = payload.offset(), length = payload.length();
  if (offset % kPayloadAlignment != 0) {
    Corrupt(where + ": payload offset " + Text(offset) + " is not a multiple of " +
            Text(kPayloadAlignment));
  }
  if (offset < kContainerPrefixBytes) {
    Corrupt(where + ": payload offset " + Text(offset) + " is inside the fixed header");
  }
  if (offset > std::numeric_limits<uint64_t>::max() - length) {
    Corrupt(where + ": payload offset " + Text(offset) + " + length " + Text(length) +
            " overflows");
  }
  if (offset + length > header_offset) {
    Corrupt(where + ": payload [" + Text(offset) + ", " + Text(offset + length) +
            ") runs past the start of the header at " + Text(header_offset));
  }
}

// No two payloads share a byte (O(n log n): sorted by offset, each must
// start at or after the end of those before it). Empty payloads hold no
// byte and overlap nothing. Payloads at the same offset keep the entries'
// order, so the message names the later entry whatever the sort does.
void CheckNoOverlap(const std::vector<ValidContainerEntry>& entries) {
  std::vector<size_t> order;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].length > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return entries[a].offset < entries[b].offset ||
           (entries[a].offset == entries[b].offset && a < b);
  });
  for (size_t k = 1; k < order.size(); ++k) {
    const ValidContainerEntry& before = entries[order[k - 1]];
    const ValidContainerEntry& after = entries[order[k]];
    if (after.offset < before.offset + before.length) {
      Corrupt("container entries[" + Text(order[k]) + "] (" + Quoted(after.name) +
              "): payload at " + Text(after.offset) + " overlaps the payload of entries[" +
              Text(order[k - 1]) + "] (" + Quoted(before.name) + "), [" + Text(before.offset) +
              ", " + Text(before.offset + before.length) + ")");
    }
  }
}

}  // namespace

ValidContainer ValidateContainer(uint64_t file_size, const ReadFileRange& read) {
  const ContainerPrefix prefix = CheckedPrefix(file_size, read);
  std::string bytes(static_cast<size_t>(prefix.header_length), '\0');
  if (!bytes.empty())
    read(prefix.header_offset, bytes.size(), reinterpret_cast<uint8_t*>(&bytes[0]));
  const v1::ContainerHeader header = ParsedHeader(bytes);

  ValidContainer container;
  container.header_offset = prefix.header_offset;
  container.format_version = header.format_version();
  ValidateFormatVersion(header.format_version(), "container format_version");
  ValidateMetadata(header.metadata(), "container");
  EntryNames names("container", "entries");
  container.entries.reserve(static_cast<size_t>(header.entries_size()));
  for (const v1::ContainerEntry& entry : header.entries()) {
    const v1::Tensor& tensor = entry.tensor();
    const std::string where = names.Check(tensor.name());
    if (!tensor.data().empty()) {
      Corrupt(where + ": tensor.data holds " + Text(tensor.data().size()) +
              " bytes: a container's values are in the payload");
    }
    if (!entry.has_payload()) Corrupt(where + ": the entry has no payload");
    const v1::PayloadRef& payload = entry.payload();
    CheckPayloadRange(payload, prefix.header_offset, where);
    // The payload's length is the values' exact size, as data's is in a file.
    ValidContainerEntry valid{
        tensor.name(),          ValidateEntryFields(tensor, payload.length(), where),
        payload.offset(),       payload.length(),
        payload.has_checksum(), payload.xxh3_64()};
    container.entries.push_back(std::move(valid));
  }
  CheckNoOverlap(container.entries);
  container.metadata.insert(header.metadata().begin(), header.metadata().end());
  return container;
}

}  // namespace qtensor::io

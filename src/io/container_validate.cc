#include "io/container_validate.h"

#include <algorithm>
#include <deque>
#include <exception>
#include <limits>
#include <optional>
#include <string>

#include <google/protobuf/stubs/logging.h>

#include "core/error.h"
#include "io/container_format.h"
#include "io/parameter_payload.h"
#include "io/wire_format.h"
#include "io/wire_reader.h"
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

[[noreturn]] void Malformed() {
  Corrupt("malformed container header: not a protobuf encoding of qtensor.v1.ContainerHeader");
}

// One field of the header as it lies in its bytes: [start, end) is the
// field whole (tag included), value the varint of a varint field.
struct HeaderField {
  uint32_t tag = 0;
  const uint8_t* start = nullptr;
  const uint8_t* end = nullptr;
  uint64_t value = 0;
};

// Calls visit for each field of the header [begin, end), in order. Fails
// (as Malformed) exactly where protobuf's parse fails at this level (its
// entries and metadata pairs are parsed by the caller).
template <typename Visit>
void ForEachField(const uint8_t* begin, const uint8_t* end, Visit&& visit) {
  WireReader reader(begin, end);
  while (!reader.AtEnd()) {
    HeaderField field;
    field.start = reader.position();
    if (!reader.ReadTag(&field.tag)) Malformed();
    size_t length = 0;
    const bool ok = field.tag == kContainerFormatVersionTag ? reader.ReadVarint(&field.value)
                    : field.tag == kContainerEntriesTag || field.tag == kContainerMetadataTag
                        ? reader.ReadLength(&length) && reader.Skip(length)
                        : reader.SkipValue(field.tag);
    if (!ok) Malformed();
    field.end = reader.position();
    visit(field);
  }
}

// Parses one field of the header alone, as a header holding only it: the
// same bytes at the same depth as within the whole, so protobuf gives it
// the meaning (and the failures) it has there. Each occurrence of a
// repeated message field (an entry, a metadata pair) is one element.
void ParseField(const HeaderField& field, v1::ContainerHeader* one) {
  if (!one->ParseFromArray(field.start, static_cast<int>(field.end - field.start))) Malformed();
}

// A map's pair is a message whose fields 1 and 2 are the key and the value
// (protobuf's encoding of maps).
constexpr uint32_t kPairKeyTag = WireTag(1, kWireLengthDelimited);
constexpr uint32_t kPairValueTag = WireTag(2, kWireLengthDelimited);

// A metadata pair in the form writers give it, which protobuf would also
// parse to this: only key and value fields, each with a one-byte tag and
// length, all ASCII (so valid UTF-8). False for any other form.
bool ParseSimplePair(const HeaderField& field, std::string* key, std::string* value) {
  WireReader reader(field.start, field.end);
  uint32_t tag = 0;
  size_t length = 0;
  reader.ReadTag(&tag);
  reader.ReadLength(&length);  // ForEachField read both once
  key->clear();
  value->clear();
  const uint8_t* at = reader.position();
  while (at != field.end) {
    if ((*at != kPairKeyTag && *at != kPairValueTag) || field.end - at < 2 || at[1] >= 0x80 ||
        field.end - at - 2 < at[1]) {
      return false;
    }
    const uint8_t* text = at + 2;
    const uint8_t* text_end = text + at[1];
    for (const uint8_t* c = text; c != text_end; ++c) {
      if (*c >= 0x80) return false;
    }
    (*at == kPairKeyTag ? key : value)->assign(text, text_end);
    at = text_end;
  }
  return true;
}

// A payload's own rules: aligned, after the prefix, inside the region
// before the header. label names it ("payload", "scales payload").
ValidPayload CheckedPayload(const v1::PayloadRef& payload, uint64_t header_offset,
                            const std::string& where, const std::string& label) {
  const uint64_t offset = payload.offset(), length = payload.length();
  if (offset % kPayloadAlignment != 0) {
    Corrupt(where + ": " + label + " offset " + Text(offset) + " is not a multiple of " +
            Text(kPayloadAlignment));
  }
  if (offset < kContainerPrefixBytes) {
    Corrupt(where + ": " + label + " offset " + Text(offset) + " is inside the fixed header");
  }
  if (offset > std::numeric_limits<uint64_t>::max() - length) {
    Corrupt(where + ": " + label + " offset " + Text(offset) + " + length " + Text(length) +
            " overflows");
  }
  if (offset + length > header_offset) {
    Corrupt(where + ": " + label + " [" + Text(offset) + ", " + Text(offset + length) +
            ") runs past the start of the header at " + Text(header_offset));
  }
  return ValidPayload{offset, length, payload.has_checksum(), payload.xxh3_64()};
}

// A non-empty payload, for the overlap check.
struct PayloadPlace {
  uint64_t offset;
  uint64_t length;
  uint32_t entry;
};

// Two payloads that share a byte: the later entry in sorted order, after
// the one before it.
struct Overlap {
  PayloadPlace after;
  PayloadPlace before;
};

// No two payloads share a byte (O(n log n): sorted by offset, each must
// start at or after the end of those before it). Empty payloads hold no
// byte and overlap nothing, so they are not listed. Payloads at the same
// offset keep the entries' order (and one entry's, their lengths'), so the
// message names the later entry whatever the sort does.
std::optional<Overlap> FindOverlap(std::deque<PayloadPlace>* places) {
  std::sort(places->begin(), places->end(), [](const PayloadPlace& a, const PayloadPlace& b) {
    return a.offset != b.offset ? a.offset < b.offset
           : a.entry != b.entry ? a.entry < b.entry
                                : a.length < b.length;
  });
  for (size_t k = 1; k < places->size(); ++k) {
    const PayloadPlace& before = (*places)[k - 1];
    const PayloadPlace& after = (*places)[k];
    if (after.offset < before.offset + before.length) return Overlap{after, before};
  }
  return std::nullopt;
}

[[noreturn]] void FailOverlap(const Overlap& overlap, const NameIndex& names) {
  const PayloadPlace& after = overlap.after;
  const PayloadPlace& before = overlap.before;
  Corrupt("container entries[" + Text(after.entry) + "] (" + Quoted(names.name(after.entry)) +
          "): a payload at " + Text(after.offset) + " overlaps a payload of entries[" +
          Text(before.entry) + "] (" + Quoted(names.name(before.entry)) + "), [" +
          Text(before.offset) + ", " + Text(before.offset + before.length) + ")");
}

// A parameter payload's rules: those of any payload, and exactly the
// length the entry's parameters take.
ValidPayload CheckedParameters(const v1::PayloadRef& payload, uint64_t length, const char* what,
                               uint64_t header_offset, const std::string& where) {
  const std::string label = std::string(what) + " payload";
  const ValidPayload valid = CheckedPayload(payload, header_offset, where, label);
  if (valid.length != length) {
    Corrupt(where + ": " + label + " holds " + Text(valid.length) + " bytes but the entry's " +
            what + " take " + Text(length));
  }
  return valid;
}

// A quantized entry's parameter payloads: present exactly when its scheme
// has per-channel or per-block parameters, which the message itself leaves
// empty.
void CheckParameters(const v1::ContainerEntry& entry, const TensorLayout& layout,
                     uint64_t header_offset, const std::string& where, ValidContainerEntry* valid) {
  const v1::Tensor& tensor = entry.tensor();
  const auto inline_values = [&](int count, const char* field) {
    if (count > 0) {
      Corrupt(where + ": tensor." + field + " holds " + Text(static_cast<uint64_t>(count)) +
              " values: a container entry's parameters are in its scales and zero_points "
              "payloads");
    }
  };
  inline_values(tensor.scales_size(), "scales");
  inline_values(tensor.zero_points_size(), "zero_points");
  inline_values(tensor.float_zero_points_size(), "float_zero_points");
  if (layout.per_tensor) {
    if (entry.has_scales() || entry.has_zero_points()) {
      Corrupt(where + ": a per-tensor entry has no scales or zero_points payload");
    }
    return;
  }
  if (!entry.has_scales()) Corrupt(where + ": the entry has no scales payload");
  if (!entry.has_zero_points()) Corrupt(where + ": the entry has no zero_points payload");
  valid->has_parameters = true;
  valid->scales =
      CheckedParameters(entry.scales(), ScalePayloadBytes(layout), "scales", header_offset, where);
  valid->zero_points = CheckedParameters(entry.zero_points(), ZeroPointPayloadBytes(layout),
                                         "zero_points", header_offset, where);
}

// An entry's checks but its name's uniqueness and its parameter values, in
// the order a bundle's entries are checked; where starts the messages.
ValidContainerEntry ValidatedEntry(const v1::ContainerEntry& entry, const std::string& where,
                                   uint64_t header_offset) {
  const v1::Tensor& tensor = entry.tensor();
  if (!tensor.data().empty()) {
    Corrupt(where + ": tensor.data holds " + Text(tensor.data().size()) +
            " bytes: a container's values are in the payload");
  }
  if (!entry.has_payload()) Corrupt(where + ": the entry has no payload");
  ValidContainerEntry valid;
  valid.name = tensor.name();
  valid.payload = CheckedPayload(entry.payload(), header_offset, where, "payload");
  // The payload's length is the values' exact size, as data's is in a file.
  if (IsFloatEntry(tensor)) {
    valid.layout = ValidateFloatArray(tensor, valid.payload.length, where);
    if (entry.has_scales() || entry.has_zero_points()) {
      Corrupt(where + ": a float entry has no scales or zero_points payload");
    }
    return valid;
  }
  TensorLayout layout = ValidateTensorLayout(tensor, valid.payload.length, where);
  CheckParameters(entry, layout, header_offset, where, &valid);
  valid.layout = std::move(layout);
  return valid;
}

// The header's metadata fields counted, before anything is kept for them.
struct FieldCounts {
  size_t pairs = 0;
  size_t pair_bytes = 0;  // a bound on what the pairs keep
};

FieldCounts CountFields(const std::vector<uint8_t>& header) {
  FieldCounts counts;
  ForEachField(header.data(), header.data() + header.size(), [&](const HeaderField& field) {
    if (field.tag == kContainerMetadataTag) {
      ++counts.pairs;
      // Its tag and length take at least two bytes, which its two NULs
      // need no more than.
      counts.pair_bytes += static_cast<size_t>(field.end - field.start) - 2;
    }
  });
  return counts;
}

}  // namespace

ValidContainer ValidateContainer(uint64_t file_size, const ReadFileRange& read) {
  const ContainerPrefix prefix = CheckedPrefix(file_size, read);
  ValidContainer container;
  container.header_offset = prefix.header_offset;
  container.header.resize(static_cast<size_t>(prefix.header_length));
  if (!container.header.empty()) {
    read(prefix.header_offset, container.header.size(), container.header.data());
  }
  const uint8_t* begin = container.header.data();
  // A first pass checks the header's own level and sizes the metadata.
  const FieldCounts counts = CountFields(container.header);
  container.metadata.Reserve(counts.pairs, counts.pair_bytes);

  // The second keeps what it must, one field at a time. The first error of
  // an entry is raised only once the whole header is known to parse, and
  // after the format version's and the metadata's, as checks of a parsed
  // header would be; the first duplicate name is found once all names are.
  google::protobuf::LogSilencer quiet;  // protobuf logs bad UTF-8; we report it
  v1::ContainerHeader one;
  std::string key, value;
  std::exception_ptr entry_error;
  std::deque<PayloadPlace> places;
  size_t index = 0;
  ForEachField(begin, begin + container.header.size(), [&](const HeaderField& field) {
    if (field.tag == kContainerFormatVersionTag) {
      container.format_version = static_cast<uint32_t>(field.value);  // the last one wins
    } else if (field.tag == kContainerMetadataTag) {
      if (!ParseSimplePair(field, &key, &value)) {
        ParseField(field, &one);
        key = one.metadata().begin()->first;
        value = one.metadata().begin()->second;
      }
      container.metadata.Add(key, value);
    } else if (field.tag == kContainerEntriesTag) {
      ParseField(field, &one);
      const size_t i = index++;
      if (entry_error) return;  // parsed only to know that it parses
      try {
        const v1::ContainerEntry& entry = one.entries(0);
        const std::string where = CheckEntryName("container", "entries", i, entry.tensor().name());
        container.names.Add(entry.tensor().name());
        container.entry_at.push_back(static_cast<uint32_t>(field.start - begin));
        const ValidContainerEntry valid = ValidatedEntry(entry, where, prefix.header_offset);
        const auto place = [&](const ValidPayload& payload) {
          if (payload.length > 0) {
            places.push_back(
                PayloadPlace{payload.offset, payload.length, static_cast<uint32_t>(i)});
          }
        };
        place(valid.payload);
        if (valid.has_parameters) {
          place(valid.scales);
          place(valid.zero_points);
        }
      } catch (const core::Error&) {
        entry_error = std::current_exception();
      }
    }
  });

  ValidateFormatVersion(container.format_version, "container format_version");
  container.metadata.Finish("container");
  // Overlaps are found before the names are sorted, so that the two never
  // take memory at once, but reported after any other entry error.
  std::optional<Overlap> overlap;
  if (!entry_error) overlap = FindOverlap(&places);
  places = {};
  // The names held are those up to the first entry error (its own
  // included if it passed the name checks), so a duplicate among them
  // comes first, as it would be met first.
  if (const auto duplicate = container.names.Finish()) {
    const std::string later = container.names.name(duplicate->later);
    FailDuplicateName(CheckEntryName("container", "entries", duplicate->later, later), "entries",
                      duplicate->first);
  }
  if (entry_error) std::rethrow_exception(entry_error);
  if (overlap) FailOverlap(*overlap, container.names);
  return container;
}

ValidContainerEntry ValidContainerEntryAt(const ValidContainer& container, size_t i) {
  const uint8_t* begin = container.header.data();
  WireReader reader(begin + container.entry_at.at(i), begin + container.header.size());
  uint32_t tag = 0;
  size_t length = 0;
  reader.ReadTag(&tag);  // validated when the container was opened
  reader.ReadLength(&length);
  reader.Skip(length);
  v1::ContainerHeader one;
  ParseField(HeaderField{tag, begin + container.entry_at[i], reader.position(), 0}, &one);
  const std::string where = CheckEntryName("container", "entries", i, container.names.name(i));
  return ValidatedEntry(one.entries(0), where, container.header_offset);
}

}  // namespace qtensor::io

// The container's header is read one field at a time (src/io/
// container_validate.cc): what it reads must be what protobuf's parse of the
// whole header gives, and it must refuse as malformed exactly what that
// parse refuses. Checked on handmade encodings that take each path (the
// short form of a metadata pair and protobuf's, merged messages, unknown
// fields, nesting at protobuf's depth limit, bad UTF-8) and on random edits
// of a header.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <string>

#include <google/protobuf/stubs/logging.h>

#include "core/error.h"
#include "io/container_format.h"
#include "io/container_validate.h"
#include "qtensor.pb.h"

namespace {

using qtensor::v1::ContainerHeader;

void Varint(std::string* out, uint64_t value) {
  for (; value >= 0x80; value >>= 7) out->push_back(static_cast<char>(value | 0x80));
  out->push_back(static_cast<char>(value));
}

std::string Field(uint8_t tag, const std::string& body) {
  std::string out(1, static_cast<char>(tag));
  Varint(&out, body.size());
  return out + body;
}

std::string VarintField(uint8_t tag, uint64_t value) {
  std::string out(1, static_cast<char>(tag));
  Varint(&out, value);
  return out;
}

// `depth` groups of field 15 nested, as an unknown field.
std::string Groups(int depth) {
  return std::string(static_cast<size_t>(depth), '\x7b') +
         std::string(static_cast<size_t>(depth), '\x7c');
}

// A valid qint8 entry of 64 bytes at offset, its tensor's fields given.
std::string Entry(const std::string& tensor_fields, uint64_t offset) {
  return Field(0x12, Field(0x0a, tensor_fields) +
                         Field(0x12, VarintField(0x08, offset) + VarintField(0x10, 64)));
}

std::string QInt8(const std::string& name) {
  // dtype QINT8, shape [64] (packed), PER_TENSOR_AFFINE, scale 1.0, name.
  return std::string("\x08\x01\x12\x01\x40\x18\x01\x21\x00\x00\x00\x00\x00\x00\xf0\x3f", 16) +
         Field(0x52, name);
}

enum class Outcome { kOpened, kMalformed, kRefused };

// What reading the header piecewise gave, against protobuf's whole parse.
Outcome CheckLikeProtobuf(const std::string& header) {
  std::string file(512, '\0');  // the prefix and room for payloads
  uint8_t prefix[64];
  qtensor::io::EncodeContainerPrefix(file.size(), header.size(), prefix);
  std::memcpy(&file[0], prefix, sizeof prefix);
  file += header;
  ContainerHeader whole;
  bool parses;
  {
    google::protobuf::LogSilencer quiet;
    parses = whole.ParseFromString(header);
  }
  try {
    const qtensor::io::ValidContainer valid = qtensor::io::ValidateContainer(
        file.size(), [&](uint64_t offset, size_t length, uint8_t* out) {
          std::memcpy(out, file.data() + offset, length);
        });
    REQUIRE(parses);
    CHECK(valid.format_version == whole.format_version());
    CHECK(valid.metadata.ToMap() ==
          std::map<std::string, std::string>(whole.metadata().begin(), whole.metadata().end()));
    REQUIRE(valid.size() == static_cast<size_t>(whole.entries_size()));
    for (size_t i = 0; i < valid.size(); ++i) {
      const auto& entry = whole.entries(static_cast<int>(i));
      const qtensor::io::ValidContainerEntry mine = qtensor::io::ValidContainerEntryAt(valid, i);
      CHECK(mine.name == entry.tensor().name());
      CHECK(std::string(valid.names.name(i)) == entry.tensor().name());
      CHECK(mine.payload.offset == entry.payload().offset());
      CHECK(mine.payload.length == entry.payload().length());
      CHECK(mine.payload.has_checksum == entry.payload().has_checksum());
      CHECK(mine.payload.xxh3_64 == entry.payload().xxh3_64());
    }
    return Outcome::kOpened;
  } catch (const qtensor::core::Error& error) {
    const bool malformed =
        std::string(error.what()).find("malformed container header") != std::string::npos;
    CHECK_MESSAGE(malformed == !parses, error.what());
    return malformed ? Outcome::kMalformed : Outcome::kRefused;
  }
}

// A header with two entries and metadata, as protobuf writes it.
std::string Base() {
  return VarintField(0x08, 1) + Entry(QInt8("w"), 64) +
         Field(0x1a, Field(0x0a, "k") + Field(0x12, "v")) + Entry(QInt8("bias"), 128) +
         Field(0x1a, Field(0x0a, "author") + Field(0x12, "me"));
}

}  // namespace

TEST_CASE("container header read piecewise: metadata pairs in every form") {
  const std::string base = Base();
  const auto pair = [](const std::string& body) { return Field(0x1a, body); };
  CheckLikeProtobuf(base + pair(Field(0x0a, "k") + Field(0x12, "later")));  // a later key wins
  CheckLikeProtobuf(base + pair(Field(0x12, "v2") + Field(0x0a, "x")));     // value first
  CheckLikeProtobuf(base + pair(Field(0x0a, "a") + Field(0x0a, "b") + Field(0x12, "1") +
                                Field(0x12, "2")));  // repeated fields: the last wins
  CheckLikeProtobuf(base + pair(Field(0x0a, "u") + VarintField(0x18, 7)));  // an unknown field
  CheckLikeProtobuf(base + pair(Field(0x0a, "g") + Groups(3)));             // an unknown group
  CheckLikeProtobuf(base + pair(Field(0x0a, "\xc3\xa9t\xc3\xa9") + Field(0x12, "\xe2\x82\xac")));
  CheckLikeProtobuf(base + pair(Field(0x0a, "bad") + Field(0x12, "\xff")));  // bad UTF-8
  CheckLikeProtobuf(base + pair(Field(0x0a, "\xed\xa0\x80")));               // a surrogate
  CheckLikeProtobuf(base + pair(Field(0x0a, std::string(200, 'L')) + Field(0x12, "long")));
  CheckLikeProtobuf(base + pair(VarintField(0x08, 1)));  // key with another wire type
  CheckLikeProtobuf(base + pair(""));                    // empty: key "" (refused)
  CheckLikeProtobuf(base + pair(Field(0x0a, "x") + std::string("\x0c", 1)));  // stray end group
  CheckLikeProtobuf(base + pair(Field(0x0a, "x") + std::string("\x00", 1)));  // tag 0
  CheckLikeProtobuf(base + pair(Field(0x0a, "x") + "\x12\x05" + "ab"));       // runs past its end
  // A NUL-valued pair replaced by a good one, and a NUL-keyed one.
  CheckLikeProtobuf(base + pair(Field(0x0a, "n") + Field(0x12, std::string("a\0b", 3))) +
                    pair(Field(0x0a, "n") + Field(0x12, "ok")));
  CheckLikeProtobuf(base + pair(Field(0x0a, std::string("n\0", 2))));
}

TEST_CASE("container header read piecewise: the header's own fields and its entries") {
  const std::string base = Base();
  CheckLikeProtobuf(base + VarintField(0x08, 2));  // the last format_version wins
  std::string long_version = "\x08";
  Varint(&long_version, (uint64_t{1} << 32) + 1);  // protobuf keeps the low 32 bits
  CheckLikeProtobuf(base + long_version);
  CheckLikeProtobuf(base + Field(0x0a, "x"));      // format_version's number, another type
  CheckLikeProtobuf(base + VarintField(0x10, 5));  // entries' number as a varint: unknown
  CheckLikeProtobuf(base + VarintField(0x38, 5) + Groups(5) + Field(0x42, "unknown"));
  CheckLikeProtobuf(base + std::string("\x0c", 1));  // a stray end group
  CheckLikeProtobuf(base + std::string("\x00", 1));  // tag 0
  // An entry whose tensor and payload come in two parts each, merged.
  CheckLikeProtobuf(base + Field(0x12, Field(0x0a, QInt8("")) + Field(0x0a, Field(0x52, "merged")) +
                                           Field(0x12, VarintField(0x08, 192)) +
                                           Field(0x12, VarintField(0x10, 64))));
  CheckLikeProtobuf(base + Entry(QInt8("\xc0\x80"), 192));  // an overlong name: bad UTF-8
  CheckLikeProtobuf(base + Entry(QInt8("n") + VarintField(0x50, 1), 192));  // name as a varint
  CheckLikeProtobuf(base + Field(0x12, Field(0x0a, QInt8("x")) + "\x0c"));  // stray end group
  // Protobuf's depth limit (100) counts the entry and its tensor, and a
  // metadata pair: the groups that fit at the top fit one or two fewer below.
  for (int depth = 96; depth <= 101; ++depth) {
    CAPTURE(depth);
    CheckLikeProtobuf(base + Groups(depth));
    CheckLikeProtobuf(base + Entry(QInt8("d") + Groups(depth), 192));
    CheckLikeProtobuf(base +
                      Field(0x12, Field(0x0a, QInt8("d")) + Groups(depth) +
                                      Field(0x12, VarintField(0x08, 192) + VarintField(0x10, 64))));
    CheckLikeProtobuf(base + Field(0x1a, Field(0x0a, "d") + Groups(depth)));
  }
}

TEST_CASE("container header read piecewise: random edits of a header") {
  std::mt19937 random(17);
  const std::string base = Base();
  std::map<Outcome, int> outcomes;
  for (int round = 0; round < 20000; ++round) {
    std::string header = base;
    const int edits = random() % 4 == 0 ? 2 : 1;
    for (int e = 0; e < edits; ++e) {
      const size_t at = random() % (header.size() + 1);
      const char byte = static_cast<char>(random() % 4 == 0 ? random() % 256 : random() % 0x80);
      switch (random() % 4) {
        case 0:
        case 1:
          if (at < header.size()) header[at] = byte;
          break;
        case 2:
          header.insert(header.begin() + static_cast<std::ptrdiff_t>(at), byte);
          break;
        default:
          if (at < header.size()) header.erase(at, 1);
      }
    }
    CAPTURE(round);
    ++outcomes[CheckLikeProtobuf(header)];
  }
  MESSAGE("opened " << outcomes[Outcome::kOpened] << ", malformed " << outcomes[Outcome::kMalformed]
                    << ", refused otherwise " << outcomes[Outcome::kRefused]);
  // Each outcome is met often.
  CHECK(outcomes[Outcome::kOpened] > 1000);
  CHECK(outcomes[Outcome::kMalformed] > 1000);
  CHECK(outcomes[Outcome::kRefused] > 1000);
}

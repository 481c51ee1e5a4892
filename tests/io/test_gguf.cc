// The GGUF reader and writer (src/io/gguf_*.h): round trips of every
// metadata type, alignment and layout, the files of tests/data/gguf_corrupt
// (written by its generate.py from the specification: valid ones read and
// written back, corrupt ones refused with their MANIFEST's message), every
// truncation and every bit flip of valid files, and the writer's checks.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"

namespace {

namespace io = qtensor::io;
using io::GgufArray;
using io::GgufFile;
using io::GgufValue;
using io::GgufValueType;
using qtensor::core::Error;
using qtensor::core::ErrorKind;

const std::string kDir = QTENSOR_TEST_DATA_DIR "/gguf_corrupt";

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

GgufFile Read(const std::string& bytes) {
  return io::ReadGguf(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// Reads bytes, expecting an error of kind kCorruptData; returns its message.
std::string ReadError(const std::string& bytes) {
  try {
    Read(bytes);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::kCorruptData);
    return error.what();
  }
  return "(no error)";
}

std::string WriteError(const GgufFile& file) {
  try {
    io::WriteGguf(file);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::kInvalidArgument);
    return error.what();
  }
  return "(no error)";
}

void CheckSameArray(const GgufArray& a, const GgufArray& b) {
  CHECK(a.element_type == b.element_type);
  CHECK(a.fixed == b.fixed);
  CHECK(a.strings == b.strings);
  REQUIRE(a.arrays.size() == b.arrays.size());
  for (size_t i = 0; i < a.arrays.size(); ++i) CheckSameArray(a.arrays[i], b.arrays[i]);
}

// The same metadata and tensors (names, dims, types, bytes).
void CheckSameContent(const GgufFile& a, const GgufFile& b) {
  REQUIRE(a.metadata.size() == b.metadata.size());
  for (size_t i = 0; i < a.metadata.size(); ++i) {
    CAPTURE(a.metadata[i].key);
    CHECK(a.metadata[i].key == b.metadata[i].key);
    const GgufValue& x = a.metadata[i].value;
    const GgufValue& y = b.metadata[i].value;
    CHECK(x.type == y.type);
    CHECK(x.bits == y.bits);
    CHECK(x.string == y.string);
    CheckSameArray(x.array, y.array);
  }
  REQUIRE(a.tensors.size() == b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    CAPTURE(a.tensors[i].name);
    CHECK(a.tensors[i].name == b.tensors[i].name);
    CHECK(a.tensors[i].dims == b.tensors[i].dims);
    CHECK(a.tensors[i].type == b.tensors[i].type);
    REQUIRE(a.tensors[i].size == b.tensors[i].size);
    CHECK(std::memcmp(a.tensors[i].data, b.tensors[i].data, a.tensors[i].size) == 0);
  }
}

std::vector<std::pair<std::string, std::string>> Manifest() {
  std::ifstream in(kDir + "/MANIFEST");
  REQUIRE(in.good());
  std::vector<std::pair<std::string, std::string>> cases;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    cases.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return cases;
}

GgufArray FixedArray(GgufValueType type, const void* data, size_t bytes) {
  GgufArray array;
  array.element_type = type;
  array.fixed.assign(static_cast<const char*>(data), bytes);
  return array;
}

// One value of every type, arrays of several, nested ones; two tensors.
GgufFile EveryType(const std::vector<uint8_t>& f32_data, const std::vector<uint8_t>& q4_data) {
  GgufFile file;
  const auto add = [&](const std::string& key, GgufValue value) {
    file.metadata.push_back({key, std::move(value)});
  };
  add("u8", GgufValue::Uint8(200));
  add("i8", GgufValue::Int8(-100));
  add("u16", GgufValue::Uint16(60000));
  add("i16", GgufValue::Int16(-30000));
  add("u32", GgufValue::Uint32(4000000000u));
  add("i32", GgufValue::Int32(-2000000000));
  add("f32", GgufValue::Float32(0.1f));
  add("bool", GgufValue::Bool(true));
  add("string", GgufValue::String(std::string("with\0nul", 8)));
  add("u64", GgufValue::Uint64(UINT64_MAX));
  add("i64", GgufValue::Int64(INT64_MIN));
  add("f64", GgufValue::Float64(-2.5));
  const int16_t shorts[] = {-1, 2, 3};
  add("array.i16", GgufValue::Array(FixedArray(GgufValueType::kInt16, shorts, sizeof(shorts))));
  GgufArray strings;
  strings.element_type = GgufValueType::kString;
  strings.strings = {"", "token", std::string(300, 'x')};
  add("array.string", GgufValue::Array(strings));
  GgufArray nested;
  nested.element_type = GgufValueType::kArray;
  nested.arrays = {strings, FixedArray(GgufValueType::kUint8, "ab", 2), GgufArray()};
  add("array.nested", GgufValue::Array(nested));
  add("general.alignment", GgufValue::Uint32(64));
  io::GgufTensor f32;
  f32.name = "weights.f32";
  f32.dims = {3, 2};
  f32.type = static_cast<uint32_t>(io::GgmlType::kF32);
  f32.data = f32_data.data();
  f32.size = f32_data.size();
  io::GgufTensor q4;
  q4.name = "weights.q4_0";
  q4.dims = {64, 1, 2};
  q4.type = static_cast<uint32_t>(io::GgmlType::kQ4_0);
  q4.data = q4_data.data();
  q4.size = q4_data.size();
  file.tensors = {f32, q4};
  return file;
}

}  // namespace

TEST_CASE("gguf: every metadata type and tensors round-trip, bit for bit") {
  const std::vector<uint8_t> f32_data(24, 0x3f), q4_data(4 * 18, 0x5a);
  const GgufFile file = EveryType(f32_data, q4_data);
  const std::string bytes = io::WriteGguf(file);
  const GgufFile back = Read(bytes);
  CHECK(back.version == 3);
  CHECK(back.alignment == 64);
  CHECK(back.data_offset % 64 == 0);
  CheckSameContent(file, back);
  // Values read back through the accessors.
  CHECK(back.metadata[1].value.AsDouble() == -100.0);
  CHECK(back.metadata[5].value.AsDouble() == -2000000000.0);
  CHECK(back.metadata[6].value.AsDouble() == static_cast<double>(0.1f));
  CHECK(back.metadata[8].value.string.size() == 8);
  CHECK(back.metadata[11].value.AsDouble() == -2.5);
  CHECK(back.metadata[13].value.array.size() == 3);
  CHECK(back.metadata[14].value.array.arrays[1].fixed == "ab");
  // Offsets: each tensor at a multiple of 64, in order, data where it says.
  CHECK(back.tensors[0].offset == 0);
  CHECK(back.tensors[1].offset == 64);
  CHECK(back.tensors[1].data ==
        reinterpret_cast<const uint8_t*>(bytes.data()) + back.data_offset + 64);
  CHECK(bytes.size() == back.data_offset + 64 + 128);
  // Writing what was read gives the same bytes.
  CHECK(io::WriteGguf(back) == bytes);
}

TEST_CASE("gguf: the default alignment is 32, and the header layout is the specification's") {
  const std::vector<uint8_t> data(4 * 4, 1);
  GgufFile file;
  file.metadata.push_back({"k", GgufValue::Uint8(7)});
  io::GgufTensor t;
  t.name = "t";
  t.dims = {4};
  t.type = 0;
  t.data = data.data();
  t.size = data.size();
  file.tensors = {t};
  const std::string bytes = io::WriteGguf(file);
  // magic, version 3, 1 tensor, 1 key-value; "k" UINT8 7; "t" 1 dim 4 F32 offset 0.
  const std::string expected_head = std::string("GGUF\3\0\0\0", 8) +
                                    std::string("\1\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0", 16) +
                                    std::string("\1\0\0\0\0\0\0\0k\0\0\0\0\7", 14) +
                                    std::string("\1\0\0\0\0\0\0\0t\1\0\0\0\4\0\0\0\0\0\0\0", 21) +
                                    std::string("\0\0\0\0\0\0\0\0\0\0\0\0", 12);
  CHECK(bytes.substr(0, expected_head.size()) == expected_head);
  CHECK(bytes.size() == 96 + 32);  // 71 bytes padded to 96, data padded to 32
  CHECK(bytes.substr(96, 16) == std::string(16, '\1'));
  CHECK(Read(bytes).alignment == 32);
}

TEST_CASE("gguf: valid files of gguf_corrupt/ read, and write back with the same content") {
  size_t valid = 0;
  for (const auto& entry : Manifest()) {
    const std::string& name = entry.first;
    const std::string& expected = entry.second;
    if (expected != "valid") continue;
    CAPTURE(name);
    const std::string bytes = ReadBytes(kDir + "/" + name);
    const GgufFile file = Read(bytes);
    const std::string written = io::WriteGguf(file);
    const GgufFile back = Read(written);
    CheckSameContent(file, back);
    CHECK(io::WriteGguf(back) == written);
    // Files laid out as ggml lays them out come back byte for byte.
    if (name == "valid_small.gguf" || name == "valid_every_type.gguf" ||
        name == "valid_no_tensors.gguf") {
      CHECK(written == bytes);
    }
    ++valid;
  }
  CHECK(valid == 6);
}

TEST_CASE("gguf: each corrupt file of gguf_corrupt/ fails with its own message") {
  std::set<std::string> listed;
  size_t corrupt = 0;
  for (const auto& entry : Manifest()) {
    const std::string& name = entry.first;
    const std::string& expected = entry.second;
    CAPTURE(name);
    listed.insert(name);
    if (expected == "valid") continue;
    const std::string message = ReadError(ReadBytes(kDir + "/" + name));
    CHECK_MESSAGE(message.find(expected) != std::string::npos, "message: " << message);
    CHECK(message.rfind("GGUF ", 0) == 0);
    ++corrupt;
  }
  CHECK(corrupt > 30);
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".gguf") CHECK_MESSAGE(listed.count(name) == 1, name);
  }
}

TEST_CASE("gguf: every truncation of a valid file before its data ends is refused") {
  for (const char* name : {"valid_every_type.gguf", "valid_small.gguf"}) {
    CAPTURE(name);
    const std::string bytes = ReadBytes(kDir + "/" + name);
    const GgufFile file = Read(bytes);
    uint64_t data_end = 0;
    for (const io::GgufTensor& t : file.tensors) {
      data_end = std::max<uint64_t>(data_end, file.data_offset + t.offset + t.size);
    }
    for (size_t length = 0; length < data_end; ++length) {
      CAPTURE(length);
      // An exact-size copy, so that a read past the end is a sanitizer error.
      const std::string prefix = bytes.substr(0, length);
      CHECK(ReadError(prefix) != "(no error)");
    }
  }
}

TEST_CASE("gguf: every single bit flip of a valid file reads or fails cleanly") {
  const std::string bytes = ReadBytes(kDir + "/valid_every_type.gguf");
  size_t refused = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      try {
        const GgufFile file = Read(flipped);
        // Whatever reads writes back and reads again to the same content.
        CheckSameContent(file, Read(io::WriteGguf(file)));
      } catch (const Error& error) {
        REQUIRE(error.kind() == ErrorKind::kCorruptData);
        ++refused;
      }
    }
  }
  CHECK(refused > 100);
}

TEST_CASE("gguf: the writer refuses what the reader would refuse") {
  const std::vector<uint8_t> f32_data(24), q4_data(4 * 18);
  GgufFile file = EveryType(f32_data, q4_data);
  CHECK(WriteError(file) == "(no error)");

  GgufFile short_data = file;
  short_data.tensors[1].size -= 1;
  CHECK(WriteError(short_data).find("data of 71 bytes, but its dims and type need 72") !=
        std::string::npos);
  GgufFile duplicate = file;
  duplicate.metadata.push_back(duplicate.metadata[0]);
  CHECK(WriteError(duplicate).find("duplicate key") != std::string::npos);
  GgufFile same_name = file;
  same_name.tensors[1].name = same_name.tensors[0].name;
  CHECK(WriteError(same_name).find("duplicate tensor name") != std::string::npos);
  GgufFile alignment = file;
  alignment.metadata.back().value = GgufValue::Uint32(24);
  CHECK(WriteError(alignment).find("24 is not a power of two") != std::string::npos);
  GgufFile blocks = file;
  blocks.tensors[1].dims = {48, 1, 2};
  CHECK(WriteError(blocks).find("ne[0] = 48 is not a multiple of Q4_0's block of 32") !=
        std::string::npos);
  GgufFile long_name = file;
  long_name.tensors[0].name = std::string(64, 'n');
  CHECK(WriteError(long_name).find("over the limit of 63") != std::string::npos);
  GgufFile bad_bool = file;
  bad_bool.metadata[7].value.bits = 2;
  CHECK(WriteError(bad_bool).find("BOOL is not 0 or 1") != std::string::npos);
  GgufFile unknown_type = file;
  unknown_type.tensors[0].type = 5;
  CHECK(WriteError(unknown_type).find("ggml type 5 is unknown") != std::string::npos);
}

// SplitDataFields against protobuf itself: for well-formed, odd and broken
// encodings alike, the split message parses exactly when the input does, and
// to the same File once the values are put back.
#include <doctest/doctest.h>

#include <climits>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "io/data_fields.h"
#include "protobuf_reference.h"
#include "wire_builder.h"

using reference::CheckSplitMatchesProtobuf;
using namespace wire;

namespace {

std::string Values(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

std::string SmallTensorFile() {
  return TensorFile(TensorMessage(1, {2, 3}) + BytesField(9, Values(6, 1)) + BytesField(10, "w"));
}

std::string SmallBundleFile() {
  const std::string a = TensorMessage(1, {5}) + BytesField(9, Values(5, 2)) + BytesField(10, "a");
  const std::string b = TensorMessage(3, {}) + BytesField(9, Values(4, 3)) + BytesField(10, "b");
  const std::string c = TensorMessage(2, {2}) + BytesField(9, Values(2, 4)) + BytesField(10, "c");
  const std::string entry = BytesField(1, "k") + BytesField(2, "v");
  return BundleFile(BytesField(1, a) + BytesField(1, b) + BytesField(1, c) + BytesField(2, entry));
}

// A File with the odd parts protobuf accepts: unknown fields of every wire
// type, groups around fields that look like ours, known numbers with other
// wire types, repeated and merged messages.
std::string OddFile() {
  const std::string group =
      Group(20, BytesField(9, Values(8, 5)) + Group(21, VarintField(3, 7)) + Tag(22, 5) + "abcd");
  const std::string tensor = TensorMessage(1, {8}) + VarintField(9, 3) + group +
                             BytesField(9, Values(8, 6)) + Tag(9, 1) + "12345678" +
                             BytesField(30, Values(12, 7));
  const std::string bundle = BytesField(1, tensor + BytesField(10, "t")) + VarintField(1, 4) +
                             Group(1, BytesField(1, tensor));
  return Header() + VarintField(3, 1) + Tag(4, 5) + "wxyz" + BytesField(3, tensor) +
         BytesField(4, bundle) + BytesField(3, BytesField(9, Values(20, 8))) + group;
}

}  // namespace

TEST_CASE("split: the library's own files and an empty input match protobuf") {
  CHECK(CheckSplitMatchesProtobuf(""));
  CHECK(CheckSplitMatchesProtobuf(SmallTensorFile()));
  CHECK(CheckSplitMatchesProtobuf(SmallBundleFile()));
  CHECK(CheckSplitMatchesProtobuf(OddFile()));
}

TEST_CASE("split: payloads of 4 bytes or more become references, shorter ones stay") {
  const std::string tensor = TensorMessage(1, {}) + BytesField(9, "xyz") + BytesField(9, "LONGER");
  const std::string input = TensorFile(tensor);
  qtensor::io::SplitFile split;
  REQUIRE(qtensor::io::SplitDataFields(reinterpret_cast<const uint8_t*>(input.data()), input.size(),
                                       &split));
  REQUIRE(split.payloads.size() == 1);
  CHECK(split.payloads[0].size == 6);
  CHECK(split.payloads[0].data ==
        reinterpret_cast<const uint8_t*>(input.data()) + input.size() - 6);
  CHECK(split.message == TensorFile(TensorMessage(1, {}) + BytesField(9, "xyz") +
                                    BytesField(9, std::string("\0\0\0\0", 4))));
}

TEST_CASE("split: every truncation of a file matches protobuf") {
  for (const std::string& file : {SmallTensorFile(), SmallBundleFile(), OddFile()}) {
    for (size_t size = 0; size <= file.size(); ++size) {
      CAPTURE(size);
      CheckSplitMatchesProtobuf(file.substr(0, size));
    }
  }
}

TEST_CASE("split: every single-byte change of a file matches protobuf") {
  int accepted = 0, rejected = 0;
  for (const std::string& file : {SmallTensorFile(), SmallBundleFile(), OddFile()}) {
    for (size_t at = 0; at < file.size(); ++at) {
      const auto byte = static_cast<uint8_t>(file[at]);
      const std::vector<int> values = {0x00,
                                       0x01,
                                       0x04,
                                       0x07,
                                       0x0b,
                                       0x0c,
                                       0x7f,
                                       0x80,
                                       0xff,
                                       static_cast<uint8_t>(byte ^ 0x80),
                                       static_cast<uint8_t>(byte + 1),
                                       static_cast<uint8_t>(byte - 1)};
      for (int value : values) {
        std::string changed = file;
        changed[at] = static_cast<char>(value);
        CAPTURE(at);
        CAPTURE(value);
        (CheckSplitMatchesProtobuf(changed) ? accepted : rejected)++;
      }
    }
  }
  // Both verdicts occur often, so both sides were compared.
  CHECK(accepted > 200);
  CHECK(rejected > 200);
}

TEST_CASE("split: encodings at protobuf's limits match protobuf") {
  const std::string tensor = TensorMessage(1, {4}) + BytesField(9, "abcd");
  // Lengths: padded but valid, 5 bytes at the 2^31 - 16 limit, 6 bytes.
  const std::string padded_length = std::string("\x84\x80\x80\x80\x00", 5);
  CHECK(CheckSplitMatchesProtobuf(Header() + Tag(3, 2) + Varint(tensor.size()) + tensor));
  CHECK(CheckSplitMatchesProtobuf(Header() + Tag(3, 2) + std::string("\x80\x80\x80\x80\x00", 5)));
  CHECK(CheckSplitMatchesProtobuf(
      TensorFile(TensorMessage(1, {4}) + Tag(9, 2) + padded_length + "abcd")));
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + Tag(3, 2) + Varint(INT_MAX - 15)));
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + Tag(3, 2) + Varint(INT_MAX - 16)));
  CHECK_FALSE(
      CheckSplitMatchesProtobuf(Header() + Tag(3, 2) + std::string("\x80\x80\x80\x80\x08", 5)));
  CHECK_FALSE(
      CheckSplitMatchesProtobuf(Header() + Tag(3, 2) + std::string("\x80\x80\x80\x80\x80\x00", 6)));
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + Tag(3, 2) + Varint(tensor.size() + 1) + tensor));
  // Tags: padded, 5 bytes that wrap around to File.tensor, 6 bytes, field 0,
  // wire types 6 and 7, an end-group tag outside a group.
  CHECK(CheckSplitMatchesProtobuf(Header() + std::string("\x9a\x80\x80\x80\x00", 5) +
                                  Varint(tensor.size()) + tensor));
  CHECK(CheckSplitMatchesProtobuf(Header() + std::string("\x9a\x80\x80\x80\x10", 5) +
                                  Varint(tensor.size()) + tensor));
  CHECK(CheckSplitMatchesProtobuf(Header() + std::string("\x9a\x80\x80\x80\x7f", 5) +
                                  Varint(tensor.size()) + tensor));
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + std::string("\x9a\x80\x80\x80\x80\x00", 6) +
                                        Varint(tensor.size()) + tensor));
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + std::string("\x80\x80\x80\x80\x10", 5)));
  for (uint32_t wire_type = 0; wire_type < 8; ++wire_type) {
    CAPTURE(wire_type);
    CheckSplitMatchesProtobuf(Header() + Tag(0, wire_type) + "\x01\x01\x01\x01\x01\x01\x01\x01");
    CheckSplitMatchesProtobuf(Header() + Tag(17, wire_type) + "\x01\x01\x01\x01\x01\x01\x01\x01");
    CheckSplitMatchesProtobuf(
        TensorFile(TensorMessage(1, {}) + Tag(9, wire_type) + "\x01\x01\x01\x01\x01\x01\x01\x01"));
  }
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + Tag(5, 4)));
  CHECK_FALSE(CheckSplitMatchesProtobuf(TensorFile(TensorMessage(1, {}) + Tag(5, 4))));
  // Varints: 10 bytes are read, 11 are not.
  CHECK(CheckSplitMatchesProtobuf(Header() + Tag(17, 0) + std::string(9, '\xff') + "\x01"));
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + Tag(17, 0) + std::string(10, '\xff') + "\x01"));
  // Groups: mismatched or missing end, and a field crossing a message's end.
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + Tag(20, 3) + VarintField(1, 1) + Tag(21, 4)));
  CHECK_FALSE(CheckSplitMatchesProtobuf(Header() + Tag(20, 3) + VarintField(1, 1)));
  CHECK_FALSE(
      CheckSplitMatchesProtobuf(TensorFile(TensorMessage(1, {}) + Tag(20, 3)) + Tag(20, 4)));
  CHECK_FALSE(CheckSplitMatchesProtobuf(TensorFile(Tag(9, 2) + "\x05" + "abc") + "de"));
}

TEST_CASE("split: nesting up to protobuf's recursion limit and one past it") {
  for (int depth = 95; depth <= 102; ++depth) {
    std::string groups;
    for (int i = 0; i < depth; ++i) groups += Tag(20, 3);
    for (int i = 0; i < depth; ++i) groups += Tag(20, 4);
    CAPTURE(depth);
    CHECK(CheckSplitMatchesProtobuf(Header() + groups) == (depth <= 100));
    CHECK(CheckSplitMatchesProtobuf(TensorFile(groups)) == (depth <= 99));
    CHECK(CheckSplitMatchesProtobuf(BundleFile(BytesField(1, groups))) == (depth <= 98));
  }
}

TEST_CASE("split: random messages built from our fields and odd ones match protobuf") {
  std::mt19937 rng(20261127);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  // A random field of a Tensor, a Bundle or a File (depth: 0 File, 1 Bundle, 2 Tensor).
  std::function<std::string(int)> message = [&](int level) {
    std::string out;
    const int fields = pick(5);
    for (int f = 0; f < fields; ++f) {
      switch (pick(9)) {
        case 0:
          out += BytesField(9, Values(static_cast<size_t>(pick(7)), rng()));
          break;
        case 1:
          if (level < 2) out += BytesField(level == 0 ? 3 : 1, message(2));
          break;
        case 2:
          if (level == 0) out += BytesField(4, message(1));
          break;
        case 3:
          out += Group(static_cast<uint32_t>(1 + pick(12)), message(3));
          break;
        case 4:
          out += VarintField(static_cast<uint32_t>(1 + pick(12)), rng());
          break;
        case 5:
          out += Tag(static_cast<uint32_t>(1 + pick(12)), 5) + Values(4, rng());
          break;
        case 6:
          out += BytesField(10, pick(2) ? "name" : "bad\xff");
          break;
        case 7:
          out += BytesField(static_cast<uint32_t>(1 + pick(12)),
                            Values(static_cast<size_t>(pick(6)), rng()));
          break;
        default:
          out += Header();
      }
    }
    return out;
  };
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string input = message(0);
    if (pick(4) == 0 && !input.empty())
      input.resize(static_cast<size_t>(pick(static_cast<int>(input.size()))));
    if (pick(4) == 0 && !input.empty())
      input[static_cast<size_t>(pick(static_cast<int>(input.size())))] ^=
          static_cast<char>(1 << pick(8));
    CAPTURE(i);
    if (CheckSplitMatchesProtobuf(input)) ++accepted;
  }
  CHECK(accepted > 500);
  CHECK(accepted < 2900);
}

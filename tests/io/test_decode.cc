// The decoder that copies each tensor's values once, straight from the input:
// bit-exact round trips, protobuf's rules for repeated and merged fields, and
// the same outcome as protobuf parsing the whole input, for broken input too.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"
#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "io/serialize.h"
#include "protobuf_reference.h"
#include "wire_builder.h"

using qtensor::core::DType;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;
using namespace wire;

namespace {

std::string RandomBytes(size_t n, unsigned seed) {
  std::string out(n, '\0');
  std::mt19937 rng(seed);
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

std::string IntBytes(const Tensor& tensor) {
  std::string bytes(
      static_cast<size_t>(tensor.numel()) * qtensor::core::ElementSize(tensor.dtype()), '\0');
  qtensor::core::IntRepr(tensor, bytes.data());
  return bytes;
}

Tensor MakeTensor(DType dtype, const std::vector<int64_t>& shape, unsigned seed) {
  int64_t numel = 1;
  for (int64_t size : shape) numel *= size;
  const std::string bytes =
      RandomBytes(static_cast<size_t>(numel) * qtensor::core::ElementSize(dtype), seed);
  const Quantizer quantizer = Quantizer::PerTensor(dtype, 0.25, dtype == DType::kQUInt8 ? 128 : -3);
  return qtensor::core::FromIntRepr(bytes.data(), bytes.size(), shape, quantizer);
}

std::string Bytes(const qtensor::io::Buffer& buffer) {
  return std::string(reinterpret_cast<const char*>(buffer.data.get()), buffer.size);
}

Tensor Decode(const std::string& input) {
  return qtensor::io::DeserializeTensor(reinterpret_cast<const uint8_t*>(input.data()),
                                        input.size());
}

qtensor::io::Bundle DecodeBundle(const std::string& input) {
  return qtensor::io::DeserializeBundle(reinterpret_cast<const uint8_t*>(input.data()),
                                        input.size());
}

std::string DecodeError(const std::string& input) {
  try {
    Decode(input);
  } catch (const qtensor::core::Error& error) {
    CHECK(error.kind() == qtensor::core::ErrorKind::kCorruptData);
    return error.what();
  }
  return "no error";
}

void CheckRoundTrip(const Tensor& tensor) {
  const Tensor back = Decode(Bytes(qtensor::io::SerializeTensor(tensor)));
  CHECK(back.shape() == tensor.shape());
  CHECK(back.dtype() == tensor.dtype());
  CHECK(back.EffectiveQuantizer() == tensor.EffectiveQuantizer());
  CHECK(IntBytes(back) == IntBytes(tensor));
}

const DType kDTypes[] = {DType::kQInt8, DType::kQUInt8, DType::kQInt32};

}  // namespace

TEST_CASE("decode: round trips of every dtype give the same integers") {
  for (DType dtype : kDTypes) {
    CAPTURE(qtensor::core::DTypeName(dtype));
    CheckRoundTrip(MakeTensor(dtype, {}, 1));         // one value, 1 or 4 bytes
    CheckRoundTrip(MakeTensor(dtype, {3}, 2));        // under 4 bytes for 1-byte dtypes
    CheckRoundTrip(MakeTensor(dtype, {0}, 3));        // empty: no data field
    CheckRoundTrip(MakeTensor(dtype, {4, 0, 2}, 4));  // empty
    CheckRoundTrip(MakeTensor(dtype, {7, 5, 3}, 5));
  }
}

TEST_CASE("decode: per-channel tensors and views round trip") {
  const std::string bytes = RandomBytes(4 * 3 * 5 * 4, 6);
  const Tensor base = qtensor::core::FromIntRepr(
      bytes.data(), bytes.size(), {4, 3, 5},
      Quantizer::PerChannel(DType::kQInt32, {0.5, 0.25, 0.125}, {1, -2, 3}, 1));
  CheckRoundTrip(base);
  CheckRoundTrip(base.Transpose(0, 2));
  CheckRoundTrip(base.Slice(2, 1, 5, 2));
}

TEST_CASE("decode: a large tensor round trips bit for bit") {
  CheckRoundTrip(MakeTensor(DType::kQInt8, {9, 1024, 1024}, 7));   // 9 MiB
  CheckRoundTrip(MakeTensor(DType::kQInt32, {3, 1024, 1024}, 8));  // 12 MiB
}

TEST_CASE("decode: a bundle of many tensors round trips") {
  qtensor::io::Bundle bundle;
  for (int i = 0; i < 300; ++i) {
    const DType dtype = kDTypes[i % 3];
    bundle.entries.emplace_back("t" + std::to_string(i),
                                MakeTensor(dtype, {i % 7, 1 + i % 5}, static_cast<unsigned>(i)));
  }
  bundle.entries.emplace_back("big", MakeTensor(DType::kQUInt8, {2048, 4096}, 9));
  bundle.metadata["epoch"] = "3";
  const qtensor::io::Bundle back = DecodeBundle(Bytes(qtensor::io::SerializeBundle(bundle)));
  REQUIRE(back.entries.size() == bundle.entries.size());
  for (size_t i = 0; i < back.entries.size(); ++i) {
    CAPTURE(i);
    CHECK(back.entries[i].first == bundle.entries[i].first);
    const auto& got = std::get<qtensor::core::Tensor>(back.entries[i].second);
    const auto& want = std::get<qtensor::core::Tensor>(bundle.entries[i].second);
    CHECK(got.shape() == want.shape());
    CHECK(got.dtype() == want.dtype());
    CHECK(IntBytes(got) == IntBytes(want));
  }
  CHECK(back.metadata == bundle.metadata);
}

TEST_CASE("decode: File.tensor twice merges, the data from the later one") {
  const std::string first = TensorMessage(1, {4}) + BytesField(9, "AAAA");
  // The later occurrence brings data only: the shape comes from the first.
  Tensor merged = Decode(TensorFile(first) + BytesField(3, BytesField(9, "BBBB")));
  CHECK(merged.shape() == std::vector<int64_t>{4});
  CHECK(IntBytes(merged) == "BBBB");
  // Without data, the later occurrence keeps the earlier data.
  merged = Decode(TensorFile(first) + BytesField(3, BytesField(10, "name")));
  CHECK(IntBytes(merged) == "AAAA");
  // Repeated shape entries are appended: [4] then [2] is [4, 2].
  CHECK(DecodeError(TensorFile(first) + BytesField(3, VarintField(2, 2) + BytesField(9, "CCCC"))) ==
        "tensor: data holds 4 bytes but shape [4, 2] of qint8 needs 8");
  merged = Decode(TensorFile(first) + BytesField(3, VarintField(2, 2) + BytesField(9, "01234567")));
  CHECK(merged.shape() == std::vector<int64_t>{4, 2});
  CHECK(IntBytes(merged) == "01234567");
}

TEST_CASE("decode: Tensor.data twice keeps the last") {
  CHECK(IntBytes(Decode(TensorFile(TensorMessage(1, {5}) + BytesField(9, "first") +
                                   BytesField(9, "later")))) == "later");
  CHECK(IntBytes(Decode(TensorFile(TensorMessage(1, {2}) + BytesField(9, "long one") +
                                   BytesField(9, "ab")))) == "ab");
  CHECK(IntBytes(Decode(TensorFile(TensorMessage(1, {0}) + BytesField(9, "dropped") +
                                   BytesField(9, "")))) == "");
  CHECK(
      DecodeError(TensorFile(TensorMessage(1, {4}) + BytesField(9, "abcd") + BytesField(9, ""))) ==
      "tensor: data holds 0 bytes but shape [4] of qint8 needs 4");
}

TEST_CASE("decode: data with another wire type is an unknown field, not the values") {
  CHECK(DecodeError(TensorFile(TensorMessage(1, {4}) + VarintField(9, 1234))) ==
        "tensor: data holds 0 bytes but shape [4] of qint8 needs 4");
  CHECK(IntBytes(Decode(TensorFile(TensorMessage(1, {0}) + Tag(9, 5) + "abcd"))) == "");
  CHECK(IntBytes(Decode(TensorFile(TensorMessage(1, {4}) + BytesField(9, "kept") + Tag(9, 1) +
                                   "12345678"))) == "kept");
  // Nor is a data field inside an unknown group.
  CHECK(IntBytes(Decode(TensorFile(TensorMessage(1, {4}) + BytesField(9, "kept") +
                                   Group(9, BytesField(9, "nope")) +
                                   Group(15, BytesField(9, "nope"))))) == "kept");
}

TEST_CASE("decode: the oneof keeps the last of tensor and bundle") {
  const std::string tensor = TensorMessage(1, {4}) + BytesField(9, "last");
  const std::string bundle =
      BytesField(1, TensorMessage(1, {4}) + BytesField(9, "bndl") + BytesField(10, "x"));
  CHECK(IntBytes(Decode(TensorFile(TensorMessage(1, {4}) + BytesField(9, "gone")) +
                        BytesField(4, bundle) + BytesField(3, tensor))) == "last");
  CHECK(DecodeError(TensorFile(tensor) + BytesField(4, bundle)) ==
        "the data holds a bundle, not a single tensor");
  const std::string other =
      BytesField(1, TensorMessage(1, {2}) + BytesField(9, "yy") + BytesField(10, "y"));
  const qtensor::io::Bundle back =
      DecodeBundle(TensorFile(tensor) + BytesField(4, bundle) + BytesField(4, other));
  REQUIRE(back.entries.size() == 2);  // a repeated bundle is merged: its tensors appended
  CHECK(IntBytes(std::get<qtensor::core::Tensor>(back.entries[0].second)) == "bndl");
  CHECK(IntBytes(std::get<qtensor::core::Tensor>(back.entries[1].second)) == "yy");
}

TEST_CASE("decode: an empty input is a file without magic") {
  CHECK(DecodeError("") == "not a qtensor file: magic is \"\", expected \"qtensor\"");
  CHECK(reference::TensorOutcome("") == reference::OldTensorOutcome(""));
}

TEST_CASE("decode: truncated and changed files fail as when protobuf parsed everything") {
  const std::string file =
      TensorFile(TensorMessage(1, {2, 3}) + BytesField(9, "abcdef") + BytesField(10, "w"));
  const std::string per_channel = Bytes(qtensor::io::SerializeTensor(qtensor::core::FromIntRepr(
      "ABCDEFGH", 8, {2, 4}, Quantizer::PerChannel(DType::kQInt8, {0.5, 2.0}, {1, -1}, 0))));
  int failures = 0;
  for (const std::string& input : {file, per_channel}) {
    for (size_t size = 0; size <= input.size(); ++size) {
      CAPTURE(size);
      const std::string outcome = reference::TensorOutcome(input.substr(0, size));
      CHECK(outcome == reference::OldTensorOutcome(input.substr(0, size)));
      if (size < input.size()) {
        CHECK(outcome.rfind("error ", 0) == 0);
        ++failures;
      }
    }
    for (size_t at = 0; at < input.size(); ++at) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string changed = input;
        changed[at] = static_cast<char>(changed[at] ^ (1 << bit));
        CAPTURE(at);
        CAPTURE(bit);
        CHECK(reference::TensorOutcome(changed) == reference::OldTensorOutcome(changed));
      }
    }
  }
  CHECK(failures == static_cast<int>(file.size() + per_channel.size()));
}

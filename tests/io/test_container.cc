// The large-file container: round trips of every dtype, scheme and float
// entry through the streaming writer and the mapped reader, read-only
// mapped tensors and their lifetime, checksums, payloads beyond 4 GiB in a
// sparse file, truncation after open, and one hostile file per validation
// rule (docs/format.md, "The container").
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/error.h"
#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "corpus_files.h"
#include "io/container_format.h"
#include "io/container_reader.h"
#include "io/container_validate.h"
#include "io/container_writer.h"
#include "io/mapped_region.h"
#include "io/serialize.h"
#include "qtensor.pb.h"

using qtensor::core::DType;
using qtensor::core::Error;
using qtensor::core::ErrorKind;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;
using qtensor::io::Bundle;
using qtensor::io::ContainerFile;
using qtensor::io::ContainerWriter;
using qtensor::io::FloatArray;
using qtensor::io::FloatDType;

namespace {

// A fresh directory for files, removed at the end of the test.
struct ScratchDir : qtensor_test::ScratchDir {
  ScratchDir() : qtensor_test::ScratchDir("qtensor_test_container") {}
};

Tensor Counting(const std::vector<int64_t>& shape, const Quantizer& quantizer) {
  const Tensor tensor = Tensor::Empty(shape, quantizer);
  std::vector<float> values(static_cast<size_t>(tensor.numel()));
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i % 7) - 3.0f;
  qtensor::core::QuantizeInto(tensor, values.data());
  return tensor;
}

FloatArray Floats(FloatDType dtype, std::vector<int64_t> shape) {
  const size_t bytes = static_cast<size_t>(qtensor::io::CheckedFloatNumel(shape, dtype)) *
                       qtensor::io::FloatDTypeBytes(dtype);
  std::string data(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) data[i] = static_cast<char>(i * 37 + 1);
  return FloatArray::Copy(dtype, std::move(shape), data.data(), data.size());
}

// Every dtype per tensor, every scheme, ONNX rounding, views that are not
// contiguous or start inside a packed storage, empty and 0-dim tensors,
// and the three float entries.
Bundle EveryKind() {
  Bundle bundle;
  for (int d = 1; d <= 9; ++d) {
    const auto dtype = static_cast<DType>(d);
    const int64_t zp = qtensor::core::QMin(dtype) + 1;
    bundle.entries.emplace_back("dtype" + std::to_string(d),
                                Counting({3, 5}, Quantizer::PerTensor(dtype, 0.25, zp)));
  }
  bundle.entries.emplace_back(
      "per_channel",
      Counting({3, 4}, Quantizer::PerChannel(DType::kQInt8, {0.5, 0.25, 0.125}, {-1, 0, 1}, 0)));
  bundle.entries.emplace_back(
      "per_block", Counting({2, 5}, Quantizer::PerBlock(DType::kQInt4, {0.5, 0.25, 1, 2, 0.5, 0.25},
                                                        {0, 1, -1, 0, 2, 0}, 1, 2)));
  bundle.entries.emplace_back(
      "float_qparams", Counting({2, 3}, Quantizer::PerChannelFloatQParams(
                                            DType::kQUInt4x2, {0.5f, 0.25f}, {1.5f, -2.0f}, 0)));
  qtensor::core::QuantizerForms onnx;
  onnx.rounding = qtensor::core::Rounding::kOnnx;
  bundle.entries.emplace_back("onnx",
                              Counting({4}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 3, onnx)));
  const Tensor wide = Counting({4, 6}, Quantizer::PerTensor(DType::kQInt16, 1, 0));
  bundle.entries.emplace_back("transposed", wide.Transpose(0, 1));
  const Tensor packed = Counting({3, 7}, Quantizer::PerTensor(DType::kQUInt2x4, 1, 1));
  bundle.entries.emplace_back("packed_row", packed.Select(0, 1));
  bundle.entries.emplace_back("empty",
                              Tensor::Empty({0, 3}, Quantizer::PerTensor(DType::kQInt8, 1, 0)));
  bundle.entries.emplace_back("scalar", Counting({}, Quantizer::PerTensor(DType::kQInt32, 2, 5)));
  bundle.entries.emplace_back("f32", Floats(FloatDType::kFloat32, {2, 3}));
  bundle.entries.emplace_back("f16", Floats(FloatDType::kFloat16, {5}));
  bundle.entries.emplace_back("bf16", Floats(FloatDType::kBFloat16, {1, 3}));
  bundle.entries.emplace_back("f32_empty", Floats(FloatDType::kFloat32, {0}));
  bundle.metadata = {{"format", "test"}, {"b", ""}};
  return bundle;
}

std::string SerializedBundle(const Bundle& bundle) {
  const qtensor::io::Buffer buffer = qtensor::io::SerializeBundle(bundle);
  return std::string(reinterpret_cast<const char*>(buffer.data.get()), buffer.size);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

template <typename Call>
std::string ErrorOf(ErrorKind kind, Call&& call) {
  try {
    call();
  } catch (const Error& error) {
    CHECK(error.kind() == kind);
    return error.what();
  }
  FAIL("no error");
  return "";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("container: every dtype, scheme and float entry round-trips") {
  ScratchDir dir;
  const Bundle bundle = EveryKind();
  qtensor::io::SaveContainer(bundle, dir / "every.qtb");
  CHECK(dir.Entries() == 1);  // no temporary file left
  const std::string bytes = ReadAll(dir / "every.qtb");
  REQUIRE(bytes.size() > 64);
  CHECK(static_cast<uint8_t>(bytes[0]) == 0x89);
  CHECK(bytes.compare(1, 7, "QTBNDL\n") == 0);

  const ContainerFile file(dir / "every.qtb");
  CHECK(file.format_version() == 2);
  REQUIRE(file.size() == bundle.entries.size());
  for (size_t i = 0; i < file.size(); ++i) {
    CAPTURE(bundle.entries[i].first);
    CHECK(file.name(i) == bundle.entries[i].first);
    CHECK(file.entry(i).payload.offset % 64 == 0);
    CHECK(file.entry(i).payload.has_checksum);
  }
  CHECK(file.VerifyAll() == bundle.entries.size());
  // The reloaded bundle encodes to exactly the original's bytes: names,
  // order, parameters, values and metadata.
  const Bundle back = file.ToBundle();
  CHECK(SerializedBundle(back) == SerializedBundle(bundle));
  CHECK(SerializedBundle(qtensor::io::LoadBundle(dir / "every.qtb")) == SerializedBundle(bundle));
  CHECK(ErrorOf(ErrorKind::kCorruptData, [&] { qtensor::io::LoadTensor(dir / "every.qtb"); }) ==
        "'" + dir / "every.qtb" + "': the file holds a bundle (a container), not a single tensor");
  // Every entry borrows one mapping of the payloads (or, empty, nothing).
  const void* shared_owner = nullptr;
  for (const auto& [name, entry] : back.entries) {
    CAPTURE(name);
    if (const auto* tensor = std::get_if<Tensor>(&entry)) {
      CHECK(tensor->storage()->read_only());
    } else if (const auto& array = std::get<FloatArray>(entry); array.size > 0) {
      const auto* region = static_cast<const qtensor::io::MappedRegion*>(array.owner.get());
      CHECK(array.data >= region->data());
      CHECK(array.data + array.size <= region->data() + region->length());
      if (shared_owner == nullptr) shared_owner = region;
      CHECK(region == shared_owner);
    }
  }
  CHECK(shared_owner != nullptr);
}

TEST_CASE("container: a mapped tensor is read-only, outlives the file object, clones writable") {
  ScratchDir dir;
  Bundle bundle;
  bundle.entries.emplace_back("w", Counting({64, 64}, Quantizer::PerTensor(DType::kQInt8, 0.5, 0)));
  qtensor::io::SaveContainer(bundle, dir / "w.qtb");
  std::unique_ptr<Tensor> tensor;
  {
    const ContainerFile file(dir / "w.qtb");
    tensor = std::make_unique<Tensor>(std::get<Tensor>(file.Get("w")));
    CHECK(reinterpret_cast<uintptr_t>(tensor->storage()->bytes()) % 64 == 0);
    CHECK(Contains(ErrorOf(ErrorKind::kNotFound, [&] { file.Get("x"); }), "no entry \"x\""));
  }
  const Tensor row = tensor->Select(0, 3);
  tensor.reset();
  CHECK(qtensor::core::GetElement(row, {1}) == 1.0f);  // (3 * 64 + 1) % 7 - 3 = 1
  const std::string refused =
      ErrorOf(ErrorKind::kInvalidArgument, [&] { qtensor::core::Fill(row, 0.0f); });
  CHECK(refused == "tensor is read-only: it borrows a mapped file; clone() it to write");
  const Tensor clone = qtensor::core::Clone(row);
  qtensor::core::Fill(clone, 2.0f);
  CHECK(qtensor::core::GetElement(clone, {1}) == 2.0f);
  CHECK(qtensor::core::GetElement(row, {1}) == 1.0f);
}

TEST_CASE("container: a float entry borrows its mapping past the file object's life") {
  ScratchDir dir;
  Bundle bundle;
  bundle.entries.emplace_back("f", Floats(FloatDType::kFloat16, {3, 5}));
  qtensor::io::SaveContainer(bundle, dir / "f.qtb");
  FloatArray array;
  {
    const ContainerFile file(dir / "f.qtb");
    array = std::get<FloatArray>(file.Get("f"));
  }
  CHECK(reinterpret_cast<uintptr_t>(array.data) % 64 == 0);
  CHECK(array.Bytes() == std::get<FloatArray>(bundle.entries[0].second).Bytes());
  CHECK(array.shape == std::vector<int64_t>{3, 5});
  CHECK(array.dtype == FloatDType::kFloat16);
}

TEST_CASE("container: Verify names the entry whose payload changed") {
  ScratchDir dir;
  qtensor::io::SaveContainer(EveryKind(), dir / "c.qtb");
  uint64_t offset;
  {
    const ContainerFile file(dir / "c.qtb");
    offset = file.entry(file.IndexOf("per_channel")).payload.offset;
  }
  std::string bytes = ReadAll(dir / "c.qtb");
  bytes[offset + 5] = static_cast<char>(bytes[offset + 5] ^ 1);
  WriteAll(dir / "c.qtb", bytes);
  const ContainerFile file(dir / "c.qtb");
  CHECK(file.Verify("dtype1"));
  const std::string message = ErrorOf(ErrorKind::kCorruptData, [&] { file.VerifyAll(); });
  CHECK(Contains(message, "entries[9] (\"per_channel\"): the payload's XXH3-64 is "));
  CHECK(Contains(message, "c.qtb': "));
  ErrorOf(ErrorKind::kCorruptData, [&] { file.Verify("per_channel"); });
}

TEST_CASE("container writer: abandoned leaves nothing; bad names refused") {
  ScratchDir dir;
  WriteAll(dir / "old.qtb", "old");
  {
    ContainerWriter writer(dir / "old.qtb");
    writer.Add("a", Counting({3}, Quantizer::PerTensor(DType::kQInt8, 1, 0)));
    CHECK(dir.Entries() == 2);
    CHECK(Contains(ErrorOf(ErrorKind::kInvalidArgument,
                           [&] { writer.Add("a", Floats(FloatDType::kFloat32, {1})); }),
                   "already added"));
    ErrorOf(ErrorKind::kInvalidArgument,
            [&] { writer.Add("", Floats(FloatDType::kFloat32, {1})); });
    ErrorOf(ErrorKind::kInvalidArgument, [&] { writer.SetMetadata("", "v"); });
    CHECK(Contains(ErrorOf(ErrorKind::kInvalidArgument,
                           [&] { writer.Add("\xff", Floats(FloatDType::kFloat32, {1})); }),
                   "is not valid UTF-8"));
    ErrorOf(ErrorKind::kInvalidArgument, [&] { writer.SetMetadata(std::string("k\0", 2), "v"); });
  }
  CHECK(dir.Entries() == 1);
  CHECK(ReadAll(dir / "old.qtb") == "old");
  ContainerWriter writer(dir / "new.qtb");
  writer.Finish();
  ErrorOf(ErrorKind::kInvalidArgument, [&] { writer.Finish(); });
  ErrorOf(ErrorKind::kInvalidArgument, [&] { writer.Add("b", Floats(FloatDType::kFloat32, {1})); });
  const ContainerFile empty(dir / "new.qtb");
  CHECK(empty.size() == 0);
  CHECK(empty.format_version() == 1);
}

TEST_CASE("container writer: a failed write leaves no file and refuses more") {
  ScratchDir dir;
  // Files may not grow past 1 MiB for a while: the payload's write fails
  // with EFBIG (SIGXFSZ ignored, as it would end the process).
  struct rlimit old_limit;
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = old_limit;
  limit.rlim_cur = 1 << 20;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
  std::string message;
  {
    ContainerWriter writer(dir / "big.qtb");
    writer.Add("small", Counting({16}, Quantizer::PerTensor(DType::kQInt8, 1, 0)));
    message = ErrorOf(ErrorKind::kIo, [&] {
      writer.Add("big", Counting({2048, 1024}, Quantizer::PerTensor(DType::kQInt8, 1, 0)));
    });
    CHECK(dir.Entries() == 0);  // the temporary file is gone at once
    ErrorOf(ErrorKind::kInvalidArgument,
            [&] { writer.Add("x", Counting({1}, Quantizer::PerTensor(DType::kQInt8, 1, 0))); });
    ErrorOf(ErrorKind::kInvalidArgument, [&] { writer.Finish(); });
  }
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  std::signal(SIGXFSZ, old_handler);
  CHECK(Contains(message, "big.qtb': File too large"));
  CHECK(dir.Entries() == 0);
}

TEST_CASE("container: Get after the file was truncated is an error, not SIGBUS") {
  ScratchDir dir;
  Bundle bundle;
  bundle.entries.emplace_back("big",
                              Counting({256, 1024}, Quantizer::PerTensor(DType::kQUInt8, 1, 3)));
  qtensor::io::SaveContainer(bundle, dir / "t.qtb");
  const ContainerFile file(dir / "t.qtb");
  REQUIRE(::truncate((dir / "t.qtb").c_str(), 4096) == 0);
  const std::string message = ErrorOf(ErrorKind::kCorruptData, [&] { file.Get("big"); });
  CHECK(Contains(message,
                 "the file is now 4096 bytes, shorter than the payload's end at 262208 "
                 "(truncated after it was opened)"));
  ErrorOf(ErrorKind::kCorruptData, [&] { file.VerifyAll(); });
  CHECK(Contains(ErrorOf(ErrorKind::kCorruptData, [&] { file.ToBundle(); }),
                 "the payloads: the file is now 4096 bytes"));
}

namespace {

using qtensor::v1::ContainerHeader;

// One valid entry: "w", qint8 [4, 16] per tensor (64 bytes) at offset 64.
ContainerHeader OneEntry() {
  ContainerHeader header;
  header.set_format_version(1);
  auto* entry = header.add_entries();
  auto* tensor = entry->mutable_tensor();
  tensor->set_name("w");
  tensor->set_dtype(qtensor::v1::QINT8);
  tensor->add_shape(4);
  tensor->add_shape(16);
  tensor->set_qscheme(qtensor::v1::PER_TENSOR_AFFINE);
  tensor->set_scale(1.0);
  entry->mutable_payload()->set_offset(64);
  entry->mutable_payload()->set_length(64);
  return header;
}

// A container by hand: `region` bytes of prefix and payloads (zeros), then
// the header; edit changes the prefix. No writer rule is applied, so each
// test breaks one.
std::string Build(const ContainerHeader& header, uint64_t region = 128,
                  const std::function<void(uint8_t*)>& edit = {}) {
  std::string bytes(static_cast<size_t>(region), '\0');
  const std::string encoded = header.SerializeAsString();
  uint8_t prefix[64];
  qtensor::io::EncodeContainerPrefix(region, encoded.size(), prefix);
  if (edit) edit(prefix);
  std::memcpy(&bytes[0], prefix, sizeof prefix);
  return bytes + encoded;
}

qtensor::io::ValidContainer Validate(const std::string& bytes) {
  return qtensor::io::ValidateContainer(bytes.size(),
                                        [&](uint64_t offset, size_t length, uint8_t* out) {
                                          REQUIRE(offset + length <= bytes.size());
                                          std::memcpy(out, bytes.data() + offset, length);
                                        });
}

std::string Refusal(const std::string& bytes) {
  return ErrorOf(ErrorKind::kCorruptData, [&] { Validate(bytes); });
}

template <typename T>
std::function<void(uint8_t*)> Put(size_t at, T value) {
  return [=](uint8_t* prefix) { std::memcpy(prefix + at, &value, sizeof value); };
}

}  // namespace

TEST_CASE("container validation: the hand-built reference is valid") {
  const qtensor::io::ValidContainer valid = Validate(Build(OneEntry()));
  REQUIRE(valid.size() == 1);
  const qtensor::io::ValidContainerEntry entry = qtensor::io::ValidContainerEntryAt(valid, 0);
  CHECK(entry.name == "w");
  CHECK(std::string(valid.names.name(0)) == "w");
  CHECK(entry.payload.offset == 64);
  CHECK(entry.payload.length == 64);
  CHECK(std::get<qtensor::io::TensorLayout>(entry.layout).shape == std::vector<int64_t>{4, 16});
}

TEST_CASE("container validation: the fixed header") {
  const ContainerHeader header = OneEntry();
  CHECK(Refusal(std::string(63, '\0')) ==
        "container of 63 bytes is shorter than its 64-byte fixed header");
  CHECK(Contains(Refusal(Build(header, 128, Put<uint8_t>(3, 'b'))), "not a qtensor container"));
  CHECK(Contains(Refusal(Build(header, 128, Put<uint32_t>(8, 2))), "container version 2 is not 1"));
  CHECK(Contains(Refusal(Build(header, 128, Put<uint32_t>(12, 1))), "container flags are 1"));
  CHECK(Contains(Refusal(Build(header, 128, Put<uint8_t>(63, 1))), "bytes 32 to 63 are reserved"));
  CHECK(Contains(Refusal(Build(header, 128, Put<uint64_t>(16, 32))),
                 "header_offset 32 is inside the 64-byte fixed header"));
  CHECK(Contains(Refusal(Build(header, 128, Put<uint64_t>(24, (uint64_t{256} << 20) + 1))),
                 "header_length 268435457 is over the limit of 268435456 bytes"));
  // offset + length wraps around to the file's size.
  const std::string wrapped = Build(header, 128, [](uint8_t* prefix) {
    const uint64_t offset = std::numeric_limits<uint64_t>::max() - 7;
    std::memcpy(prefix + 16, &offset, 8);
  });
  const uint64_t length = wrapped.size() + 8;
  std::string bytes = wrapped;
  std::memcpy(&bytes[24], &length, 8);
  CHECK(Contains(Refusal(bytes), "does not end at the end of the file"));
  // The header is last: a byte after it, or a header running past the end.
  CHECK(Contains(Refusal(Build(header) + "x"), "does not end at the end of the file"));
  std::string cut = Build(header);
  cut.pop_back();
  CHECK(Contains(Refusal(cut), "does not end at the end of the file"));
}

TEST_CASE("container validation: the header message") {
  std::string garbage = Build(OneEntry());
  garbage.back() = '\xff';
  CHECK(Contains(Refusal(garbage), "malformed container header"));
  ContainerHeader header = OneEntry();
  header.set_format_version(0);
  CHECK(Contains(Refusal(Build(header)), "container format_version is 0 (unset)"));
  header.set_format_version(3);
  CHECK(Contains(Refusal(Build(header)), "container format_version 3 is newer"));
  header = OneEntry();
  (*header.mutable_metadata())[""] = "v";
  CHECK(Refusal(Build(header)) == "container metadata has an empty key");
}

TEST_CASE("container validation: each entry's tensor as a bundle's, names unique") {
  ContainerHeader header = OneEntry();
  header.mutable_entries(0)->mutable_tensor()->set_dtype(qtensor::v1::DTYPE_UNSPECIFIED);
  CHECK(Contains(Refusal(Build(header)), "container entries[0] (\"w\"): dtype 0 is unknown"));
  header = OneEntry();
  header.mutable_entries(0)->mutable_tensor()->set_scale(-1.0);
  CHECK(Contains(Refusal(Build(header)), "container entries[0] (\"w\"): "));
  header = OneEntry();
  header.mutable_entries(0)->mutable_tensor()->set_name("");
  CHECK(Refusal(Build(header)) == "container entries[0] has an empty name");
  header = OneEntry();
  *header.add_entries() = header.entries(0);
  header.mutable_entries(1)->mutable_payload()->set_offset(128);
  CHECK(Refusal(Build(header, 192)) ==
        "container entries[1] (\"w\"): duplicate name, also entries[0]");
  header = OneEntry();
  header.mutable_entries(0)->mutable_tensor()->set_data("x");
  CHECK(Contains(Refusal(Build(header)), "tensor.data holds 1 bytes"));
  header = OneEntry();
  header.mutable_entries(0)->clear_payload();
  CHECK(Contains(Refusal(Build(header)), "the entry has no payload"));
}

TEST_CASE("container validation: the payload table") {
  const auto with = [](uint64_t offset, uint64_t length) {
    ContainerHeader header = OneEntry();
    header.mutable_entries(0)->mutable_payload()->set_offset(offset);
    header.mutable_entries(0)->mutable_payload()->set_length(length);
    return header;
  };
  CHECK(Contains(Refusal(Build(with(96, 64), 192)), "payload offset 96 is not a multiple of 64"));
  CHECK(Contains(Refusal(Build(with(0, 64), 192)), "payload offset 0 is inside the fixed header"));
  CHECK(
      Contains(Refusal(Build(with(std::numeric_limits<uint64_t>::max() - 63, 128))), "overflows"));
  CHECK(Contains(Refusal(Build(with(128, 64), 128)),
                 "payload [128, 192) runs past the start of the header at 128"));
  // The length is the values' exact size.
  CHECK(Contains(Refusal(Build(with(64, 63), 128)),
                 "data holds 63 bytes but shape [4, 16] of qint8 needs 64"));
  // Overlap: a second entry 64 bytes long starting inside the first.
  ContainerHeader header = OneEntry();
  header.mutable_entries(0)->mutable_tensor()->set_shape(0, 8);  // 128 bytes at 64
  header.mutable_entries(0)->mutable_payload()->set_length(128);
  auto* second = header.add_entries();
  *second = OneEntry().entries(0);
  second->mutable_tensor()->set_name("v");
  second->mutable_payload()->set_offset(128);
  CHECK(Refusal(Build(header, 256)) ==
        "container entries[1] (\"v\"): a payload at 128 overlaps a payload of entries[0] "
        "(\"w\"), [64, 192)");
  // Adjacent payloads, and an empty one anywhere, are fine.
  header.mutable_entries(1)->mutable_payload()->set_offset(192);
  auto* empty = header.add_entries();
  *empty = OneEntry().entries(0);
  empty->mutable_tensor()->set_name("e");
  empty->mutable_tensor()->set_shape(0, 0);
  empty->mutable_payload()->set_offset(128);
  empty->mutable_payload()->set_length(0);
  CHECK(Validate(Build(header, 256)).size() == 3);
}

TEST_CASE("container: a payload beyond 4 GiB in a sparse file") {
  ScratchDir dir;
  const std::string path = dir / "sparse.qtb";
  const uint64_t offset = (uint64_t{5} << 30) + 4096;  // past 4 GiB and 2^32 + page
  ContainerHeader header = OneEntry();
  header.mutable_entries(0)->mutable_payload()->set_offset(offset);
  const std::string encoded = header.SerializeAsString();
  uint8_t prefix[64];
  qtensor::io::EncodeContainerPrefix(offset + 64, encoded.size(), prefix);
  std::string payload(64, '\0');
  for (int i = 0; i < 64; ++i) payload[i] = static_cast<char>(i - 32);
  {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::pwrite(fd, prefix, 64, 0) == 64);
    REQUIRE(::pwrite(fd, payload.data(), 64, static_cast<off_t>(offset)) == 64);
    REQUIRE(::pwrite(fd, encoded.data(), encoded.size(), static_cast<off_t>(offset + 64)) ==
            static_cast<ssize_t>(encoded.size()));
    ::close(fd);
  }
  struct stat info;
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK(static_cast<uint64_t>(info.st_size) == offset + 64 + encoded.size());
  CHECK(info.st_blocks * 512 < (int64_t{1} << 20));  // sparse: a few blocks on disk

  const auto start = std::chrono::steady_clock::now();
  const ContainerFile file(path);
  const Tensor tensor = std::get<Tensor>(file.Get("w"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  MESSAGE("open + get of one tensor at 5 GiB: "
          << std::chrono::duration<double, std::milli>(elapsed).count() << " ms");
  CHECK(qtensor::core::GetElement(tensor, {0, 0}) == -32.0f);
  CHECK(qtensor::core::GetElement(tensor, {3, 15}) == 31.0f);
  CHECK(file.entry(0).payload.offset == offset);
}

TEST_CASE("container writer: an entry that would take the header over the limit is refused first") {
  ScratchDir dir;
  const std::string path = dir / "capped.qtc";
  const Tensor few = Counting({2, 2}, Quantizer::PerTensor(DType::kQInt8, 0.5, 0));
  const std::string long_name(5000, 'n');  // 5000 bytes of header
  ContainerWriter writer(path, 4096);
  writer.Add("few", few);
  try {
    writer.Add(long_name, few);
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::kOutOfMemory);
    const std::string message = error.what();
    CHECK(message.find("\"nnnn") != std::string::npos);
    CHECK(message.find("limit of 4096") != std::string::npos);
  }
  writer.Add("few_again", few);  // still usable: nothing of the refused entry was written
  writer.Finish();
  const ContainerFile file(path);
  REQUIRE(file.size() == 2);
  CHECK(std::string(file.name(1)) == "few_again");
  CHECK(file.entry(1).payload.offset == 128);  // right after the first payload
  file.VerifyAll();
}

namespace {

qtensor::core::QuantizerForms WithScaleType(qtensor::core::ScaleType type) {
  qtensor::core::QuantizerForms forms;
  forms.scale_type = type;
  return forms;
}

std::vector<float> Values(const Tensor& tensor) {
  std::vector<float> values(static_cast<size_t>(tensor.numel()));
  qtensor::core::Dequantize(tensor, values.data());
  return values;
}

}  // namespace

TEST_CASE("container: per-channel and per-block parameters are payloads of their own widths") {
  using qtensor::core::ScaleType;
  ScratchDir dir;
  const std::string path = dir / "parameters.qtc";
  const std::vector<double> halves(4096, 0.5);
  std::vector<int64_t> ramp(4096);
  for (size_t c = 0; c < ramp.size(); ++c) ramp[c] = static_cast<int64_t>(c % 256) - 128;
  struct Case {
    const char* name;
    Tensor tensor;
    uint64_t scale_bytes, zero_point_bytes;
  };
  const std::vector<Case> cases = {
      {"qint8_channels", Counting({4096, 2}, Quantizer::PerChannel(DType::kQInt8, halves, ramp, 0)),
       4096 * 8, 4096},
      // GGUF's Q4_0 as ONNX holds it: float16 scales, a 4-bit zero point per
      // block of 32.
      {"qint4_blocks_f16",
       Counting({3, 64}, Quantizer::PerBlock(DType::kQInt4, {0.5, 0.25, 1, 2, 0.125, 4},
                                             {-8, 7, 0, 1, -1, 3}, 1, 32,
                                             WithScaleType(ScaleType::kFloat16))),
       6 * 2, 3},
      {"quint2x4_blocks_bf16",
       Counting({5}, Quantizer::PerBlock(DType::kQUInt2x4, {0.5, 2, 0.25}, {0, 3, 1}, 0, 2,
                                         WithScaleType(ScaleType::kBFloat16))),
       3 * 2, 1},
      {"qint16_channels_f32",
       Counting({2, 3}, Quantizer::PerChannel(DType::kQInt16, {0.5, 0.25, 8}, {-300, 0, 300}, 1,
                                              WithScaleType(ScaleType::kFloat32))),
       3 * 4, 3 * 2},
      {"qint32_channels",
       Counting({2, 2}, Quantizer::PerChannel(DType::kQInt32, {0.5, 0.25}, {-70000, 70000}, 0)),
       2 * 8, 2 * 4},
      {"float_qparams",
       Counting({2, 3}, Quantizer::PerChannelFloatQParams(DType::kQUInt4x2, {0.5f, 0.25f},
                                                          {1.5f, -2.0f}, 0)),
       2 * 4, 2 * 4},
      {"per_tensor", Counting({2, 3}, Quantizer::PerTensor(DType::kQInt8, 0.5, 1)), 0, 0},
  };
  {
    ContainerWriter writer(path);
    for (const Case& c : cases) writer.Add(c.name, c.tensor);
    writer.Finish();
  }
  const ContainerFile file(path);
  REQUIRE(file.size() == cases.size());
  // The header holds no parameter: 7 entries, 4096 channels, under 1 KiB.
  const std::string bytes = ReadAll(path);
  uint64_t header_length = 0;
  std::memcpy(&header_length, bytes.data() + 24, 8);
  CHECK(header_length < 1024);
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    CAPTURE(c.name);
    const qtensor::io::ValidContainerEntry entry = file.entry(i);
    CHECK(entry.has_parameters == (c.scale_bytes > 0));
    if (entry.has_parameters) {
      CHECK(entry.scales.length == c.scale_bytes);
      CHECK(entry.zero_points.length == c.zero_point_bytes);
      CHECK(entry.scales.offset % 64 == 0);
      CHECK(entry.zero_points.offset % 64 == 0);
    }
    CHECK(file.EntryQuantizer(i, entry) == c.tensor.EffectiveQuantizer());
    const Tensor got = std::get<Tensor>(file.Get(c.name));
    CHECK(got.EffectiveQuantizer() == c.tensor.EffectiveQuantizer());
    CHECK(Values(got) == Values(c.tensor));
  }
  // The zero points of the qint4 entry as stored: -8, 7, 0, 1, -1, 3 two to
  // a byte, the first in the low nibble.
  const qtensor::io::ValidContainerEntry blocks = file.entry(1);
  CHECK(bytes.substr(blocks.zero_points.offset, 3) == std::string("\x78\x10\x3f", 3));
  CHECK(file.VerifyAll() == cases.size());
}

TEST_CASE("container: a bad parameter value is found when its entry is read or verified") {
  ScratchDir dir;
  const std::string path = dir / "bad_parameters.qtc";
  {
    ContainerWriter writer(path);
    writer.Add("c", Counting({3, 4}, Quantizer::PerChannel(DType::kQInt8, {0.5, 0.25, 0.125},
                                                           {-1, 0, 1}, 0)));
    writer.Add(
        "b", Counting({3, 4}, Quantizer::PerBlock(DType::kQInt4, {0.5, 0.25, 1}, {0, 1, 2}, 1, 4)));
    writer.Finish();
  }
  std::string bytes = ReadAll(path);
  uint64_t scale_at = 0, zero_point_at = 0;
  {
    const ContainerFile file(path);
    scale_at = file.entry(0).scales.offset;
    zero_point_at = file.entry(1).zero_points.offset;
  }
  SUBCASE("a NaN scale") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::memcpy(&bytes[scale_at + 8], &nan, 8);
    WriteAll(path, bytes);
    const ContainerFile file(path);  // opening reads no parameter
    const std::string message = ErrorOf(ErrorKind::kCorruptData, [&] { file.Get("c"); });
    CHECK(message.rfind("'" + path + "': container entries[0] (\"c\"): scales[1]", 0) == 0);
    CHECK(Contains(message, "must be positive and finite, got nan"));
    ErrorOf(ErrorKind::kCorruptData, [&] { file.EntryQuantizer(0, file.entry(0)); });
    CHECK(Contains(ErrorOf(ErrorKind::kCorruptData, [&] { file.VerifyAll(); }),
                   "entries[0] (\"c\"): the scales payload's XXH3-64 is"));
    ErrorOf(ErrorKind::kCorruptData, [&] { file.ToBundle(); });
    CHECK(std::holds_alternative<Tensor>(file.Get("b")));  // the other entry reads
  }
  SUBCASE("a bit set past the last packed zero point") {
    bytes[zero_point_at + 1] = static_cast<char>(bytes[zero_point_at + 1] | 0x10);
    WriteAll(path, bytes);
    const ContainerFile file(path);
    CHECK(Contains(ErrorOf(ErrorKind::kCorruptData, [&] { file.Get("b"); }),
                   "entries[1] (\"b\"): the unused high bits of the zero points' last byte"));
    CHECK(Contains(ErrorOf(ErrorKind::kCorruptData, [&] { file.VerifyAll(); }),
                   "the zero_points payload's XXH3-64 is"));
  }
}

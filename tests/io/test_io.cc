// The file format: bit-exact round trips of every dtype, scheme and view,
// bundles, files, and the errors of bad input and oversized output.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "capi/handles.h"
#include "core/error.h"
#include "corpus_files.h"
#include "io/serialize.h"
#include "qtensor.pb.h"
#include "qtensor/qtensor.hpp"

using qtensor::Bundle;
using qtensor::Quantizer;
using qtensor::Tensor;

namespace {

std::vector<uint8_t> IntBytes(const Tensor& t) {
  std::vector<uint8_t> bytes(static_cast<size_t>(t.numel()) * qt_dtype_size(t.dtype()));
  t.int_repr_into(bytes.data(), bytes.size());
  return bytes;
}

// Everything a reader can observe is the same, bit for bit.
void CheckSame(const Tensor& got, const Tensor& want) {
  CHECK(got.sizes() == want.sizes());
  CHECK(got.dtype() == want.dtype());
  CHECK(got.qscheme() == want.qscheme());
  CHECK(got.quantizer() == want.quantizer());
  CHECK(IntBytes(got) == IntBytes(want));
  CHECK(got.to_string() == want.to_string());
  CHECK(got.is_contiguous());
}

Tensor RoundTrip(const Tensor& t) { return Tensor::deserialize(t.serialize()); }

// Random integers over the dtype's whole range.
Tensor RandomTensor(qt_dtype dtype, const std::vector<int64_t>& shape, const Quantizer& q,
                    unsigned seed) {
  int64_t numel = 1;
  for (int64_t d : shape) numel *= d;
  std::vector<uint8_t> bytes(static_cast<size_t>(numel) * qt_dtype_size(dtype));
  std::mt19937 rng(seed);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  return Tensor::FromIntRepr(bytes.data(), bytes.size(), shape, q);
}

Quantizer PerChannelFor(qt_dtype dtype, int64_t channels, int64_t axis) {
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  for (int64_t c = 0; c < channels; ++c) {
    scales.push_back(0.01 * static_cast<double>(c + 1) + 1e-7);
    zero_points.push_back(dtype == QT_QUINT8 ? 100 + c : c - 3);
  }
  return Quantizer::PerChannel(dtype, scales, zero_points, axis);
}

const qt_dtype kDTypes[] = {QT_QINT8, QT_QUINT8, QT_QINT32};

// A fresh directory for files, removed at the end of the test.
struct ScratchDir : qtensor_test::ScratchDir {
  ScratchDir() : qtensor_test::ScratchDir("qtensor_test_io") {}
};

}  // namespace

TEST_CASE("io: per-tensor round trips are bit-exact for every dtype") {
  for (qt_dtype dtype : kDTypes) {
    CAPTURE(qt_dtype_name(dtype));
    const int64_t zp = dtype == QT_QUINT8 ? 255 : dtype == QT_QINT8 ? -128 : 2147483647;
    const Quantizer q = Quantizer::PerTensor(dtype, 0.1234567890123, zp);
    const Tensor t = RandomTensor(dtype, {3, 4}, q, 7);
    const Tensor back = RoundTrip(t);
    CheckSame(back, t);
    CHECK(back.q_scale() == 0.1234567890123);
    CHECK(!back.shares_storage_with(t));
  }
}

TEST_CASE("io: per-channel round trips are bit-exact for every dtype and axis") {
  for (qt_dtype dtype : kDTypes) {
    for (int64_t axis : {0, 1, 2}) {
      CAPTURE(qt_dtype_name(dtype));
      CAPTURE(axis);
      const std::vector<int64_t> shape = {2, 3, 4};
      const Tensor t = RandomTensor(dtype, shape, PerChannelFor(dtype, shape[axis], axis), 11);
      const Tensor back = RoundTrip(t);
      CheckSame(back, t);
      CHECK(back.dequantize() == t.dequantize());
    }
  }
}

TEST_CASE("io: 0-dim, empty and large tensors") {
  SUBCASE("0-dim") {
    const Tensor t = Tensor::MakePerTensorQuantized<int32_t>({-2147483647 - 1}, {}, 3.5, -7);
    const Tensor back = RoundTrip(t);
    CheckSame(back, t);
    CHECK(back.dim() == 0);
    CHECK(back.int_repr<int32_t>() == std::vector<int32_t>{-2147483647 - 1});
  }
  SUBCASE("empty per-tensor") {
    const Tensor t = Tensor::EmptyQuantized({0, 3}, Quantizer::PerTensor(QT_QUINT8, 1.0, 0));
    CheckSame(RoundTrip(t), t);
  }
  SUBCASE("empty per-channel with no channels") {
    const Tensor t = Tensor::EmptyQuantized({0, 5}, Quantizer::PerChannel(QT_QINT8, {}, {}, 0));
    const Tensor back = RoundTrip(t);
    CheckSame(back, t);
    CHECK(back.qscheme() == QT_PER_CHANNEL_AFFINE);
  }
  SUBCASE("more than 1000 elements") {
    const Tensor t = RandomTensor(QT_QINT32, {37, 41}, PerChannelFor(QT_QINT32, 41, 1), 3);
    CHECK(t.numel() == 1517);
    CheckSame(RoundTrip(t), t);
  }
}

TEST_CASE("io: views serialize their own elements with their own parameters") {
  const Tensor base = RandomTensor(QT_QINT8, {4, 5, 3}, PerChannelFor(QT_QINT8, 5, 1), 5);
  SUBCASE("transposed") {
    const Tensor view = base.transpose(0, 1);
    const Tensor back = RoundTrip(view);
    CheckSame(back, view);
    CHECK(back.q_per_channel_axis() == 0);
  }
  SUBCASE("sliced with a step along the channel axis") {
    const Tensor view = base.slice(1, 4, INT64_MIN, -2);
    CHECK(view.sizes() == std::vector<int64_t>{4, 3, 3});
    const Tensor back = RoundTrip(view);
    CheckSame(back, view);
    CHECK(back.q_per_channel_scales() ==
          std::vector<double>{0.05 + 1e-7, 0.03 + 1e-7, 0.01 + 1e-7});
    CHECK(back.dequantize() == view.dequantize());
  }
  SUBCASE("channel selected away: per-tensor with that channel's parameters") {
    const Tensor view = base.select(1, 2).slice(0, 1, 4, 2);
    const Tensor back = RoundTrip(view);
    CheckSame(back, view);
    CHECK(back.qscheme() == QT_PER_TENSOR_AFFINE);
    CHECK(back.q_scale() == 0.03 + 1e-7);
    CHECK(back.q_zero_point() == -1);
  }
  SUBCASE("permuted per-tensor view") {
    const Tensor pt =
        RandomTensor(QT_QUINT8, {2, 3, 4}, Quantizer::PerTensor(QT_QUINT8, 0.5, 9), 1);
    const Tensor view = pt.permute({2, 0, 1}).narrow(0, 1, 2);
    CheckSame(RoundTrip(view), view);
  }
}

TEST_CASE("io: bundles keep order, names, metadata and every tensor") {
  const Tensor w = RandomTensor(QT_QINT8, {3, 2}, PerChannelFor(QT_QINT8, 3, 0), 1);
  const Tensor b = Tensor::MakePerTensorQuantized<int32_t>({1, -2, 3}, {3}, 0.25, 0);
  const Tensor s = Tensor::MakePerTensorQuantized<uint8_t>({200}, {}, 2.0, 128);
  Bundle bundle;
  bundle.set("layer.weight", w);
  bundle.set("layer.bias", b);
  bundle.set("scalar", w);
  bundle.set("scalar", s);  // replaced in place
  bundle.set("gone", b);
  bundle.remove("gone");
  bundle.set_metadata("z", "last");
  bundle.set_metadata("a", "");
  bundle.set_metadata("\xc3\xa9t\xc3\xa9", "\xe2\x82\xac");
  CHECK(bundle.names() == std::vector<std::string>{"layer.weight", "layer.bias", "scalar"});
  CHECK(bundle.metadata_keys() == std::vector<std::string>{"a", "z", "\xc3\xa9t\xc3\xa9"});
  CHECK(bundle.get("layer.bias").shares_storage_with(b));

  ScratchDir dir;
  bundle.save(dir / "state.qt");
  for (const Bundle& back :
       {Bundle::deserialize(bundle.serialize()), Bundle::load(dir / "state.qt")}) {
    CHECK(back.names() == bundle.names());
    CHECK(back.metadata_keys() == bundle.metadata_keys());
    CHECK(back.metadata("z") == "last");
    CHECK(back.metadata("a").empty());
    CHECK(back.metadata("\xc3\xa9t\xc3\xa9") == "\xe2\x82\xac");
    CheckSame(back.get("layer.weight"), w);
    CheckSame(back.at(1), b);
    CheckSame(back.get("scalar"), s);
  }
  const Bundle empty = Bundle::deserialize(Bundle().serialize());
  CHECK(empty.size() == 0);
  CHECK(empty.metadata_keys().empty());
}

TEST_CASE("io: bundle argument errors") {
  Bundle bundle;
  const Tensor t = Tensor::MakePerTensorQuantized<int8_t>({1}, {1}, 1.0, 0);
  const auto status = [](auto&& fn) {
    try {
      fn();
    } catch (const qtensor::Error& e) {
      return e.status();
    }
    return QT_OK;
  };
  CHECK(status([&] { bundle.set("", t); }) == QT_ERR_INVALID_ARGUMENT);
  CHECK(status([&] { bundle.set("bad\xff", t); }) == QT_ERR_INVALID_ARGUMENT);
  CHECK(status([&] { bundle.set_metadata("", "x"); }) == QT_ERR_INVALID_ARGUMENT);
  CHECK(status([&] { bundle.set_metadata("k", "\xc0\x80"); }) == QT_ERR_INVALID_ARGUMENT);
  CHECK(status([&] { bundle.get("missing"); }) == QT_ERR_NOT_FOUND);
  CHECK(status([&] { bundle.remove("missing"); }) == QT_ERR_NOT_FOUND);
  CHECK(status([&] { bundle.metadata("missing"); }) == QT_ERR_NOT_FOUND);
  CHECK(status([&] { bundle.at(0); }) == QT_ERR_OUT_OF_RANGE);
  CHECK(status([&] { bundle.name(0); }) == QT_ERR_OUT_OF_RANGE);
  CHECK(bundle.size() == 0);

  qt_bundle* out = nullptr;
  CHECK(qt_bundle_new(nullptr) == QT_ERR_INVALID_ARGUMENT);
  CHECK(qt_bundle_set(nullptr, "x", t.get()) == QT_ERR_INVALID_ARGUMENT);
  CHECK(qt_bundle_deserialize(&out, nullptr, 4) == QT_ERR_INVALID_ARGUMENT);
  CHECK(out == nullptr);
  qt_bundle_free(nullptr);
}

TEST_CASE("io: save and load files") {
  ScratchDir dir;
  const Tensor t = RandomTensor(QT_QUINT8, {5, 6}, Quantizer::PerTensor(QT_QUINT8, 0.02, 3), 9);
  t.save(dir / "t.qt");
  CheckSame(Tensor::load(dir / "t.qt"), t);
  // Replacing a file leaves only the new one, no temporary file.
  const Tensor u = Tensor::MakePerTensorQuantized<int8_t>({-5, 6}, {2}, 0.5, 1);
  u.save(dir / "t.qt");
  CheckSame(Tensor::load(dir / "t.qt"), u);
  CHECK(dir.Entries() == 1);

  qt_tensor* out = nullptr;
  CHECK(qt_load(&out, (dir / "missing.qt").c_str()) == QT_ERR_IO);
  CHECK(std::string(qt_last_error_message()).find("missing.qt") != std::string::npos);
  CHECK(qt_load(&out, dir.path.c_str()) == QT_ERR_IO);
  CHECK(qt_save(t.get(), (dir / "no/such/dir.qt").c_str()) == QT_ERR_IO);
  CHECK(qt_save(t.get(), dir.path.c_str()) == QT_ERR_IO);  // a directory
  CHECK(qt_save(t.get(), nullptr) == QT_ERR_INVALID_ARGUMENT);
  CHECK(qt_load(nullptr, (dir / "t.qt").c_str()) == QT_ERR_INVALID_ARGUMENT);
  CHECK(out == nullptr);
  CHECK(dir.Entries() == 1);

  // A tensor file is not a bundle file, and the reverse.
  qt_bundle* bundle = nullptr;
  CHECK(qt_bundle_load(&bundle, (dir / "t.qt").c_str()) == QT_ERR_CORRUPT_DATA);
  CHECK(std::string(qt_last_error_message()).find("single tensor, not a bundle") !=
        std::string::npos);
  Bundle().save(dir / "b.qt");
  CHECK(qt_load(&out, (dir / "b.qt").c_str()) == QT_ERR_CORRUPT_DATA);
  CHECK(std::string(qt_last_error_message()).find("holds a bundle") != std::string::npos);
}

TEST_CASE("io: only regular files are read: no endless device, no waiting FIFO") {
  ScratchDir dir;
  const std::string fifo = dir / "pipe.qt";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const std::string& path : {std::string("/dev/zero"), std::string("/dev/null"), fifo}) {
    CAPTURE(path);
    qt_tensor* out = nullptr;
    CHECK(qt_load(&out, path.c_str()) == QT_ERR_IO);
    const std::string message = qt_last_error_message();
    CHECK(message.find("not a regular file") != std::string::npos);
    CHECK(message.find(path) != std::string::npos);
    CHECK(out == nullptr);
    qt_bundle* bundle = nullptr;
    CHECK(qt_bundle_load(&bundle, path.c_str()) == QT_ERR_IO);
    CHECK(bundle == nullptr);
  }
}

TEST_CASE("io: input over 2 GiB is refused before it is read") {
  const uint8_t one = 0;
  qt_tensor* out = nullptr;
  // Nothing past the first byte is touched: the size alone is refused.
  CHECK(qt_deserialize(&out, &one, size_t{1} << 31) == QT_ERR_CORRUPT_DATA);
  CHECK(std::string(qt_last_error_message()).find("over the limit") != std::string::npos);
  qt_bundle* bundle = nullptr;
  CHECK(qt_bundle_deserialize(&bundle, &one, size_t{3} << 30) == QT_ERR_CORRUPT_DATA);

  ScratchDir dir;
  const std::string big = dir / "big.qt";
  const int fd = ::open(big.c_str(), O_WRONLY | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, int64_t{1} << 31) == 0);  // sparse: no disk used
  ::close(fd);
  CHECK(qt_load(&out, big.c_str()) == QT_ERR_CORRUPT_DATA);
  CHECK(std::string(qt_last_error_message()).find("over the limit") != std::string::npos);
  CHECK(out == nullptr);
  CHECK(bundle == nullptr);
  CHECK(qt_deserialize(&out, nullptr, 1) == QT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("io: output over the size limit fails cleanly and writes nothing") {
  const Tensor t = RandomTensor(QT_QINT32, {10, 10}, PerChannelFor(QT_QINT32, 10, 0), 2);
  const qtensor::core::Tensor& core_tensor = t.get()->tensor;
  const size_t size = t.serialize().size();
  // The limit is inclusive; one byte less fails before the data is copied.
  CHECK(qtensor::io::SerializeTensor(core_tensor, size).size == size);
  try {
    qtensor::io::SerializeTensor(core_tensor, size - 1);
    FAIL("no error");
  } catch (const qtensor::core::Error& e) {
    CHECK(e.kind() == qtensor::core::ErrorKind::kOutOfMemory);
    CHECK(std::string(e.what()).find("over protobuf's limit") != std::string::npos);
  }
  ScratchDir dir;
  const std::string path = dir / "kept.qt";
  const Tensor old = Tensor::MakePerTensorQuantized<int8_t>({1, 2}, {2}, 1.0, 0);
  old.save(path);
  qtensor::io::Bundle bundle;
  bundle.entries.emplace_back("t", core_tensor);
  CHECK_THROWS_AS(qtensor::io::SaveTensor(core_tensor, path, 100), qtensor::core::Error);
  CHECK_THROWS_AS(qtensor::io::SaveBundleMessage(bundle, path, 100), qtensor::core::Error);
  CHECK_THROWS_AS(qtensor::io::SaveTensor(core_tensor, dir / "new.qt", 100), qtensor::core::Error);
  CheckSame(Tensor::load(path), old);
  CHECK(dir.Entries() == 1);
}

TEST_CASE("io: malformed buffers get their own errors") {
  const Tensor t = Tensor::MakePerTensorQuantized<int8_t>({1, 2, 3}, {3}, 1.0, 0);
  const std::string good = t.serialize();
  const auto error_of = [](const std::string& bytes) {
    qt_tensor* out = nullptr;
    const qt_status status =
        qt_deserialize(&out, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    CHECK((status == QT_OK) == (out != nullptr));
    qt_tensor_free(out);
    return std::make_pair(status, std::string(qt_last_error_message()));
  };
  CHECK(error_of(good).first == QT_OK);
  const auto [empty_status, empty_message] = error_of("");
  CHECK(empty_status == QT_ERR_CORRUPT_DATA);
  CHECK(empty_message.find("magic") != std::string::npos);
  const auto [junk_status, junk_message] = error_of("\xff\xff\xff");
  CHECK(junk_status == QT_ERR_CORRUPT_DATA);
  CHECK(junk_message.find("malformed") != std::string::npos);
  for (size_t cut = 1; cut < good.size(); ++cut) {
    CAPTURE(cut);
    CHECK(error_of(good.substr(0, cut)).first == QT_ERR_CORRUPT_DATA);
  }
}

TEST_CASE("version-2 fields are checked: rounding and scale type against the parameters") {
  auto file_with = [](int rounding, int scale_type, int dtype) {
    qtensor::v1::File file;
    file.set_magic("qtensor");
    file.set_format_version(2);
    qtensor::v1::Tensor* t = file.mutable_tensor();
    t->set_dtype(static_cast<qtensor::v1::DType>(dtype));
    t->add_shape(1);
    t->set_qscheme(qtensor::v1::PER_TENSOR_AFFINE);
    t->set_scale(0.1);
    t->set_data(std::string(dtype == 3 ? 4 : 1, '\x01'));
    t->set_rounding(static_cast<qtensor::v1::Rounding>(rounding));
    t->set_scale_type(static_cast<qtensor::v1::ScaleType>(scale_type));
    return file.SerializeAsString();
  };
  auto error_of = [](const std::string& bytes) -> std::string {
    try {
      qtensor::io::DeserializeTensor(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    } catch (const qtensor::core::Error& e) {
      CHECK(e.kind() == qtensor::core::ErrorKind::kCorruptData);
      return e.what();
    }
    return "";
  };
  CHECK(error_of(file_with(0, 0, 1)).empty());
  CHECK(error_of(file_with(1, 0, 1)).empty());
  CHECK(error_of(file_with(0, 2, 1)).find("scale = 0.1 is not a float16 value") !=
        std::string::npos);
  CHECK(error_of(file_with(1, 0, 3)).find("ONNX rounding needs a dtype") != std::string::npos);
  CHECK(error_of(file_with(3, 0, 1)).find("rounding 3 is unknown") != std::string::npos);
  CHECK(error_of(file_with(0, 4, 1)).find("scale_type 4 is unknown") != std::string::npos);
}

// The facade's containers: BundleWriter writes one tensor at a time,
// BundleFile maps them back read-only, Bundle::save_container and
// Bundle::load take whole bundles, and an unfinished writer leaves no file.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace {

using qtensor::Bundle;
using qtensor::BundleFile;
using qtensor::BundleWriter;
using qtensor::Tensor;

std::string TempPath(const char* name) { return std::string("/tmp/qtensor_facade_") + name; }

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

std::string FirstBytes(const std::string& path, size_t count) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(count, '\0');
  in.read(&bytes[0], static_cast<std::streamsize>(count));
  return bytes;
}

qt_status StatusOf(void (*call)(const Tensor&), const Tensor& tensor) {
  try {
    call(tensor);
  } catch (const qtensor::Error& error) {
    return error.status();
  }
  return QT_OK;
}

}  // namespace

TEST_CASE("BundleWriter and BundleFile: tensors written one at a time, mapped back read-only") {
  const std::string path = TempPath("writer.qtc");
  const Tensor w = Tensor::QuantizePerTensor({-1.0f, 0.5f, 2.0f, 3.5f}, {2, 2}, 0.5, 1, QT_QINT8);
  const Tensor b = Tensor::QuantizePerChannel({1.0f, 2.0f, 3.0f}, {3}, {0.5, 0.25, 1.0}, {0, 1, 2},
                                              0, QT_QUINT8);
  {
    BundleWriter writer = BundleWriter::open(path);
    writer.add("w", w);
    writer.add("b", b);
    writer.set_metadata("epoch", "3");
    writer.finish();
  }
  const BundleFile file = BundleFile::open(path);
  CHECK(file.names() == std::vector<std::string>{"w", "b"});
  file.verify();
  file.verify("b");
  const Tensor mapped = file.get("w");
  CHECK(mapped.dequantize() == w.dequantize());
  CHECK(file.get("b").q_per_channel_scales() == std::vector<double>{0.5, 0.25, 1.0});
  // Read-only: writes refused, a clone writes.
  CHECK(StatusOf([](const Tensor& t) { t.fill_(1.0f); }, mapped) == QT_ERR_INVALID_ARGUMENT);
  const Tensor copy = mapped.clone();
  copy.fill_(1.0f);
  CHECK(copy.dequantize() == std::vector<float>{1.0f, 1.0f, 1.0f, 1.0f});
  CHECK(mapped.dequantize() == w.dequantize());

  CHECK(Bundle::load(path).metadata("epoch") == "3");
  try {
    (void)file.get("nope");
    FAIL("no error");
  } catch (const qtensor::Error& error) {
    CHECK(error.status() == QT_ERR_NOT_FOUND);
  }
  std::remove(path.c_str());
}

TEST_CASE("Bundle::save_container round trips; an unfinished writer leaves no file") {
  const std::string path = TempPath("whole.qtc");
  Bundle bundle;
  bundle.set("t", Tensor::QuantizePerTensor({0.25f, -0.75f}, {2}, 0.25, 0, QT_QINT8));
  const std::vector<uint16_t> f16 = {0x3c00, 0x8000};
  bundle.set_float("norm", f16.data(), 4, {2}, QT_FLOAT16);
  bundle.set_metadata("k", "v");
  bundle.save_container(path);
  const Bundle back = Bundle::load(path);
  CHECK(back.names() == std::vector<std::string>{"t", "norm"});
  CHECK(back.float_data("norm") == bundle.float_data("norm"));
  CHECK(back.get("t").dequantize() == std::vector<float>{0.25f, -0.75f});
  CHECK(back.serialize() == bundle.serialize());
  std::remove(path.c_str());

  const std::string abandoned = TempPath("abandoned.qtc");
  {
    BundleWriter writer = BundleWriter::open(abandoned);
    writer.add("t", bundle.get("t"));
  }
  CHECK_FALSE(Exists(abandoned));
}

TEST_CASE("BundleFile: the header's description, selection, float entries; save's two forms") {
  const std::string path = TempPath("header.qtc");
  const Tensor b = Tensor::QuantizePerChannel({1.0f, 2.0f, 3.0f}, {3}, {0.5, 0.25, 1.0}, {0, 1, 2},
                                              0, QT_QUINT8);
  const std::vector<uint16_t> bf16 = {0x3f80, 0xc000, 0x7fc1};  // 1, -2, a NaN's payload
  {
    BundleWriter writer = BundleWriter::open(path);
    writer.add_float("emb", bf16.data(), 6, {3, 1}, QT_BFLOAT16);
    writer.add("b", b);
    writer.set_metadata("epoch", "3");
    writer.finish();
  }
  const BundleFile file = BundleFile::open(path);
  CHECK(file.contains("b"));
  CHECK_FALSE(file.contains("c"));
  CHECK(file.is_float("emb"));
  CHECK(file.shape("emb") == std::vector<int64_t>{3, 1});
  CHECK(file.float_dtype("emb") == QT_BFLOAT16);
  CHECK(file.shape("b") == std::vector<int64_t>{3});
  CHECK(file.dtype("b") == QT_QUINT8);
  CHECK(file.quantizer("b").scales() == std::vector<double>{0.5, 0.25, 1.0});
  CHECK(file.payload("emb").first % 64 == 0);
  CHECK(file.payload("emb").second == 6);
  CHECK(file.metadata_keys() == std::vector<std::string>{"epoch"});
  CHECK(file.metadata("epoch") == "3");
  CHECK_FALSE(file.has_metadata("nope"));
  CHECK(file.get("b").is_read_only());
  CHECK_FALSE(file.get("b").clone().is_read_only());

  const Bundle chosen = file.select({"b", "emb"});
  CHECK(chosen.names() == std::vector<std::string>{"b", "emb"});
  const std::vector<uint8_t> bytes = chosen.float_data("emb");
  CHECK(std::vector<uint16_t>{uint16_t(bytes[0] | bytes[1] << 8),
                              uint16_t(bytes[2] | bytes[3] << 8),
                              uint16_t(bytes[4] | bytes[5] << 8)} == bf16);
  const Bundle whole = file.to_bundle();
  CHECK(whole.names() == std::vector<std::string>{"emb", "b"});
  CHECK(whole.metadata("epoch") == "3");

  // save writes a container, save_message the message form; load reads both.
  const std::string saved = TempPath("saved.qtb"), message = TempPath("message.qtb");
  whole.save(saved);
  whole.save_message(message);
  CHECK(FirstBytes(saved, 8) == std::string(QTENSOR_CONTAINER_MAGIC));
  CHECK(FirstBytes(message, 1) == "\x0a");
  CHECK(Bundle::load(saved).serialize() == whole.serialize());
  CHECK(Bundle::load(message).serialize() == whole.serialize());
  for (const std::string& name : {path, saved, message}) std::remove(name.c_str());
}

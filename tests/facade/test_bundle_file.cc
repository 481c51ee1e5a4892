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

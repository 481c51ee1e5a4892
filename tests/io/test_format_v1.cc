// The golden format-version-1 files (tests/data/format_v1, written by
// tests/io/make_format_v1.cc) load with exactly these contents. The
// expectations are literals: every later version must keep reading them.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

using qtensor::Bundle;
using qtensor::Tensor;

namespace {

Tensor Golden(const std::string& name) {
  return Tensor::load(QTENSOR_TEST_DATA_DIR "/format_v1/" + name);
}

void CheckPerTensor(const Tensor& t, qt_dtype dtype, const std::vector<int64_t>& shape,
                    double scale, int64_t zero_point) {
  CHECK(t.dtype() == dtype);
  CHECK(t.sizes() == shape);
  CHECK(t.qscheme() == QT_PER_TENSOR_AFFINE);
  CHECK(t.q_scale() == scale);
  CHECK(t.q_zero_point() == zero_point);
}

void CheckPerChannel(const Tensor& t, qt_dtype dtype, const std::vector<int64_t>& shape,
                     const std::vector<double>& scales, const std::vector<int64_t>& zero_points,
                     int64_t axis) {
  CHECK(t.dtype() == dtype);
  CHECK(t.sizes() == shape);
  CHECK(t.qscheme() == QT_PER_CHANNEL_AFFINE);
  CHECK(t.q_per_channel_scales() == scales);
  CHECK(t.q_per_channel_zero_points() == zero_points);
  CHECK(t.q_per_channel_axis() == axis);
}

}  // namespace

TEST_CASE("format v1: per-tensor files of every dtype") {
  const Tensor i8 = Golden("qint8_per_tensor.qt");
  CheckPerTensor(i8, QT_QINT8, {2, 3}, 0.5, -3);
  CHECK(i8.int_repr<int8_t>() == std::vector<int8_t>{-128, -1, 0, 1, 2, 127});
  CHECK(i8.dequantize() == std::vector<float>{-62.5f, 1.0f, 1.5f, 2.0f, 2.5f, 65.0f});
  CHECK(i8.to_string() ==
        "tensor([[-62.5000,   1.0000,   1.5000],\n"
        "        [  2.0000,   2.5000,  65.0000]], size=(2, 3), dtype=qtensor.qint8,\n"
        "       quantization_scheme=qtensor.per_tensor_affine, scale=0.5, zero_point=-3)");

  const Tensor u8 = Golden("quint8_per_tensor.qt");
  CheckPerTensor(u8, QT_QUINT8, {4}, 0.0078125, 128);
  CHECK(u8.int_repr<uint8_t>() == std::vector<uint8_t>{0, 1, 128, 255});

  const Tensor i32 = Golden("qint32_per_tensor.qt");
  CheckPerTensor(i32, QT_QINT32, {2, 2}, 1e-5, -100);
  CHECK(i32.int_repr<int32_t>() == std::vector<int32_t>{INT32_MIN, -1, 0, INT32_MAX});
}

TEST_CASE("format v1: per-channel files of every dtype") {
  const Tensor i8 = Golden("qint8_per_channel.qt");
  CheckPerChannel(i8, QT_QINT8, {2, 3}, {0.1, 0.2, 0.3}, {-1, 0, 1}, 1);
  CHECK(i8.int_repr<int8_t>() == std::vector<int8_t>{-5, 0, 5, 100, -100, 127});

  const Tensor u8 = Golden("quint8_per_channel.qt");
  CheckPerChannel(u8, QT_QUINT8, {3, 2}, {1.0, 0.5, 0.25}, {0, 128, 255}, 0);
  CHECK(u8.int_repr<uint8_t>() == std::vector<uint8_t>{0, 255, 10, 20, 128, 129});

  const Tensor i32 = Golden("qint32_per_channel.qt");
  CheckPerChannel(i32, QT_QINT32, {2, 2, 2}, {2.5e-3, 4.0}, {-7, 7}, 2);
  CHECK(i32.int_repr<int32_t>() ==
        std::vector<int32_t>{1, -1, 1000000, -1000000, INT32_MAX, INT32_MIN, 7, 8});
}

TEST_CASE("format v1: 0-dim, empty and a per-channel view") {
  const Tensor scalar = Golden("scalar_0dim.qt");
  CheckPerTensor(scalar, QT_QINT32, {}, 0.25, 2);
  CHECK(scalar.int_repr<int32_t>() == std::vector<int32_t>{42});
  CHECK(scalar.item() == 10.0f);

  const Tensor empty = Golden("empty.qt");
  CheckPerTensor(empty, QT_QUINT8, {0, 4}, 1.0, 0);
  CHECK(empty.numel() == 0);

  // Columns 3 and 1 of a [3, 4] tensor per channel on axis 1.
  const Tensor view = Golden("per_channel_view.qt");
  CheckPerChannel(view, QT_QINT8, {2, 3}, {0.4, 0.2}, {3, 1}, 0);
  CHECK(view.int_repr<int8_t>() == std::vector<int8_t>{3, 13, 23, 1, 11, 21});
  CHECK(view.dequantize() == std::vector<float>{0.0f, 4.0f, 8.0f, 0.0f, 2.0f, 4.0f});
}

TEST_CASE("format v1: a bundle") {
  const Bundle bundle = Bundle::load(QTENSOR_TEST_DATA_DIR "/format_v1/bundle.qt");
  CHECK(bundle.names() == std::vector<std::string>{"fc.weight", "fc.bias", "base"});
  CHECK(bundle.metadata_keys() == std::vector<std::string>{"empty", "epoch", "producer"});
  CHECK(bundle.metadata("empty").empty());
  CHECK(bundle.metadata("epoch") == "3");
  CHECK(bundle.metadata("producer") == "make_format_v1");

  const Tensor weight = bundle.get("fc.weight");
  CheckPerChannel(weight, QT_QINT8, {3, 2}, {0.01, 0.02, 0.03}, {0, 0, 0}, 0);
  CHECK(weight.int_repr<int8_t>() == std::vector<int8_t>{1, 2, 3, 4, 5, 6});
  const Tensor bias = bundle.get("fc.bias");
  CheckPerTensor(bias, QT_QINT32, {3}, 0.0002, 0);
  CHECK(bias.int_repr<int32_t>() == std::vector<int32_t>{-300, 0, 300});
  const Tensor base = bundle.at(2);
  CheckPerChannel(base, QT_QINT8, {3, 4}, {0.1, 0.2, 0.3, 0.4}, {0, 1, 2, 3}, 1);
  CHECK(base.int_repr<int8_t>() == std::vector<int8_t>{0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23});
}

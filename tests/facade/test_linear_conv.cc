// The facade's linear layers and convolutions: PackedLinear and PackedConv2d,
// linear, linear_relu, conv2d and conv2d_relu with PyTorch 1.13's integers, and errors
// as qtensor::Error.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace {

TEST_CASE("linear and linear_relu give torch's integers; the packed weights read back") {
  const qtensor::Tensor x = qtensor::Tensor::MakePerTensorQuantized(
      std::vector<uint8_t>{0, 10, 255, 128, 7, 200}, {2, 3}, 0.05, 10);
  const qtensor::Tensor w = qtensor::Tensor::MakePerTensorQuantized(
      std::vector<int8_t>{1, -2, 3, 127, -128, 0, 5, 5, 5, -7, 0, 9}, {4, 3}, 0.02, 0);
  const std::vector<float> bias{0.5f, -1.0f, 0.0f, 2.25f};
  const qtensor::PackedLinear packed = qtensor::PackedLinear::prepack(w, bias);
  CHECK(packed.in_features() == 3);
  CHECK(packed.out_features() == 4);
  CHECK(packed.bias() == bias);
  CHECK(packed.weight().int_repr<int8_t>() == w.int_repr<int8_t>());
  CHECK(qtensor::linear(x, packed, 0.03, 100).int_repr<uint8_t>() ==
        std::vector<uint8_t>{141, 24, 139, 251, 140, 255, 151, 204});
  CHECK(qtensor::linear_relu(x, packed, 0.03, 100).int_repr<uint8_t>() ==
        std::vector<uint8_t>{141, 100, 139, 251, 140, 255, 151, 204});
  // linear_dynamic: qnnpack's floats, bit for bit.
  const std::vector<float> y =
      qtensor::linear_dynamic({0.5f, -1.25f, 3.0f, 2.0f, 0.0f, -0.75f}, {2, 3}, packed);
  CHECK(y == std::vector<float>{0x1.7ae148p-1f, 0x1.bc28f4p+1f, 0x1.ccccccp-3f, 0x1.5c28f6p+1f,
                                0x1.fae148p-2f, 0x1.051eb8p+2f, 0x1.0p-3f, 0x1.d5c29p+0f});
  CHECK_THROWS_AS(qtensor::linear_dynamic({1.0f, 2.0f}, {1, 2}, packed), qtensor::Error);
  const qtensor::PackedLinear copy = packed;  // shares the handle
  CHECK(copy.get() == packed.get());
}

TEST_CASE("linear's errors are qtensor::Error with the C status") {
  const qtensor::Tensor w =
      qtensor::Tensor::MakePerTensorQuantized(std::vector<int8_t>{1, 2, 3, 4}, {2, 2}, 0.1, 0);
  const qtensor::Tensor x3 =
      qtensor::Tensor::MakePerTensorQuantized(std::vector<uint8_t>{1, 2, 3}, {1, 3}, 0.1, 0);
  const qtensor::PackedLinear packed = qtensor::PackedLinear::prepack(w);
  CHECK(packed.bias().empty());
  try {
    qtensor::linear(x3, packed, 0.1, 0);
    FAIL("no error");
  } catch (const qtensor::Error& e) {
    CHECK(e.status() == QT_ERR_SHAPE_MISMATCH);
  }
  CHECK_THROWS_AS(qtensor::PackedLinear::prepack(w, {1.0f}), qtensor::Error);
}

}  // namespace

namespace {

TEST_CASE("conv2d gives torch's integers; the packed weights and settings read back") {
  std::vector<uint8_t> xs(32);
  std::vector<int8_t> ws(54);
  for (int i = 0; i < 32; ++i) xs[static_cast<size_t>(i)] = static_cast<uint8_t>(7 * i);
  for (int i = 0; i < 54; ++i) ws[static_cast<size_t>(i)] = static_cast<int8_t>(37 * i % 255 - 127);
  const qtensor::Tensor x = qtensor::Tensor::MakePerTensorQuantized(xs, {1, 2, 4, 4}, 0.05, 20);
  const qtensor::Tensor w = qtensor::Tensor::MakePerTensorQuantized(ws, {3, 2, 3, 3}, 0.01, 0);
  qtensor::Conv2dSettings settings;
  settings.stride = {2, 2};
  settings.padding = {1, 1};
  const qtensor::PackedConv2d packed =
      qtensor::PackedConv2d::prepack(w, {0.25f, -0.5f, 1.0f}, settings);
  CHECK(qtensor::conv2d(x, packed, 0.1, 128).int_repr<uint8_t>() ==
        std::vector<uint8_t>{68, 40, 12, 0, 157, 195, 61, 144, 80, 112, 157, 206});
  CHECK(qtensor::conv2d_relu(x, packed, 0.1, 128).int_repr<uint8_t>() ==
        std::vector<uint8_t>{128, 128, 128, 128, 157, 195, 128, 144, 128, 128, 157, 206});
  CHECK(packed.settings().stride == std::array<int64_t, 2>{2, 2});
  CHECK(packed.settings().groups == 1);
  CHECK(packed.bias() == std::vector<float>{0.25f, -0.5f, 1.0f});
  CHECK(packed.weight().int_repr<int8_t>() == ws);
  settings.groups = 2;  // does not divide 3 output channels
  CHECK_THROWS_AS(qtensor::PackedConv2d::prepack(w, {}, settings), qtensor::Error);
}

}  // namespace

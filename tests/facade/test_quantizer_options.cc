// The facade's quantizer options: rounding, scale type and per-block
// parameters (ONNX's blocked quantization).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace {

using qtensor::Quantizer;
using qtensor::Tensor;

qt_status StatusOf(void (*call)()) {
  try {
    call();
  } catch (const qtensor::Error& error) {
    return error.status();
  }
  return QT_OK;
}

TEST_CASE("rounding and scale type names, and an error for a value outside the enums") {
  CHECK(qtensor::rounding_name(QT_ROUNDING_PYTORCH) == "pytorch");
  CHECK(qtensor::rounding_name(QT_ROUNDING_ONNX) == "onnx");
  CHECK(qtensor::rounding_name(QT_ROUNDING_GGUF) == "gguf");
  CHECK(qtensor::scale_type_name(QT_SCALE_FLOAT64) == "float64");
  CHECK(qtensor::scale_type_name(QT_SCALE_BFLOAT16) == "bfloat16");
  CHECK(qtensor::qscheme_name(QT_PER_BLOCK_AFFINE) == "per_block_affine");
  CHECK_THROWS_AS(qtensor::rounding_name(static_cast<qt_rounding>(4)), qtensor::Error);
  CHECK_THROWS_AS(qtensor::scale_type_name(static_cast<qt_scale_type>(0)), qtensor::Error);
}

TEST_CASE("ONNX rounding divides and sends NaN to qmin; PyTorch's is the default") {
  const double scale = static_cast<double>(0.00214854861f);
  const Quantizer pytorch = Quantizer::PerTensor(QT_QUINT8, scale, 10);
  const Quantizer onnx = pytorch.with_rounding(QT_ROUNDING_ONNX);
  CHECK(pytorch.rounding() == QT_ROUNDING_PYTORCH);
  CHECK(onnx.rounding() == QT_ROUNDING_ONNX);
  const std::vector<float> x = {0.273939937f, std::numeric_limits<float>::quiet_NaN()};
  CHECK(Tensor::Quantize(x, {2}, pytorch).int_repr<uint8_t>() == std::vector<uint8_t>{138, 10});
  CHECK(Tensor::Quantize(x, {2}, onnx).int_repr<uint8_t>() == std::vector<uint8_t>{137, 0});
  CHECK(Tensor::Quantize(x, {2}, onnx).quantizer().rounding() == QT_ROUNDING_ONNX);
  CHECK(StatusOf([] { Quantizer::PerTensor(QT_QINT32, 0.5, 0).with_rounding(QT_ROUNDING_ONNX); }) ==
        QT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("a scale type is kept by tensors and refuses a scale that is not its value") {
  const Quantizer half = Quantizer::PerTensor(QT_QINT8, 0.125, 0).with_scale_type(QT_SCALE_FLOAT16);
  CHECK(half.scale_type() == QT_SCALE_FLOAT16);
  CHECK(Quantizer::PerTensor(QT_QINT8, 0.125, 0).scale_type() == QT_SCALE_FLOAT64);
  const Tensor t = Tensor::Quantize({1.0f, -2.0f}, {2}, half);
  CHECK(t.transpose(0, 0).quantizer().scale_type() == QT_SCALE_FLOAT16);
  try {
    Quantizer::PerTensor(QT_QINT8, 0.1, 0).with_scale_type(QT_SCALE_FLOAT16);
    FAIL("0.1 taken as a float16 scale");
  } catch (const qtensor::Error& error) {
    CHECK(error.status() == QT_ERR_INVALID_ARGUMENT);
    CHECK(std::string(error.what()).find("0.0999755859375") != std::string::npos);
  }
}

TEST_CASE("per-block parameters follow ONNX's layout, short last block included") {
  // Shape {2, 5}, blocks of 2 along axis 1: parameters of shape {2, 3}.
  const std::vector<double> scales = {0.5, 0.25, 1.0, 0.125, 2.0, 0.5};
  const std::vector<int64_t> zero_points = {8, 7, 9, 6, 8, 10};
  const Quantizer blocks = Quantizer::PerBlock(QT_QUINT4, scales, zero_points, 1, 2);
  CHECK(blocks.qscheme() == QT_PER_BLOCK_AFFINE);
  CHECK(blocks.block_size() == 2);
  CHECK(blocks.axis() == 1);
  CHECK(blocks.num_channels() == 6);
  CHECK(blocks.scales() == scales);
  CHECK(blocks.zero_points() == zero_points);
  const std::vector<float> x = {0.5f, -1.0f, 0.75f, 0.3f, 2.0f, -0.2f, 0.1f, 0.4f, -3.0f, 1.5f};
  const Tensor t = Tensor::Quantize(x, {2, 5}, blocks);
  const std::vector<uint8_t> q = t.int_repr<uint8_t>();
  const std::vector<float> dequantized = t.dequantize();
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t block = (i / 5) * 3 + (i % 5) / 2;
    const float inverse = 1.0f / static_cast<float>(scales[block]);
    const double rounded = std::nearbyint(x[i] * inverse) + static_cast<double>(zero_points[block]);
    CHECK(q[i] == static_cast<uint8_t>(std::fmin(15.0, std::fmax(0.0, rounded))));
    CHECK(dequantized[i] ==
          static_cast<float>(q[i] - zero_points[block]) * static_cast<float>(scales[block]));
  }
  // A view's quantizer is re-expressed in the view's own shape.
  const Quantizer transposed = t.transpose(0, 1).quantizer();
  CHECK(transposed.axis() == 0);
  CHECK(transposed.scales() == std::vector<double>{0.5, 0.125, 0.25, 2.0, 1.0, 0.5});
  CHECK(t.transpose(0, 1).at({4, 1}) == dequantized[9]);
  CHECK(StatusOf([] {
          (void)Tensor::Quantize({1.0f}, {1}, Quantizer::PerBlock(QT_QUINT4, {1.0}, {0}, 0, 1))
              .q_scale();
        }) == QT_ERR_TYPE_MISMATCH);
  CHECK(StatusOf([] { Quantizer::PerBlock(QT_QUINT4, {1.0}, {0}, 0, 0); }) ==
        QT_ERR_INVALID_ARGUMENT);
  CHECK(StatusOf([] { Quantizer::PerTensor(QT_QINT8, 1.0, 0).block_size(); }) ==
        QT_ERR_TYPE_MISMATCH);
  CHECK(StatusOf([] {
          const Quantizer one_block = Quantizer::PerBlock(QT_QUINT4, {1.0}, {0}, 0, 2);
          Tensor::Quantize({1.0f, 2.0f, 3.0f}, {3}, one_block);
        }) == QT_ERR_SHAPE_MISMATCH);
}

}  // namespace

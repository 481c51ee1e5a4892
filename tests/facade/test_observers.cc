// The facade's parameters from data: choose_qparams, quantize_per_tensor_dynamic
// and Observer, with PyTorch 1.13's values, and its errors as qtensor::Error.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace {

template <typename Fn>
qt_status Status(const Fn& fn) {
  try {
    fn();
  } catch (const qtensor::Error& e) {
    return e.status();
  }
  return QT_OK;
}

TEST_CASE("Observer::MinMax gives torch's parameters and a quantizer") {
  qtensor::Observer obs = qtensor::Observer::MinMax();
  CHECK(Status([&] { obs.calculate_qparams(); }) == QT_ERR_INVALID_ARGUMENT);
  obs.forward(std::vector<float>{-1.0f, 0.5f, 2.0f}, {3});
  obs.forward(std::vector<float>{3.0f, -2.0f}, {2, 1});
  const qtensor::ObserverQParams p = obs.calculate_qparams();
  REQUIRE(p.scales.size() == 1);
  CHECK(p.scales[0] == 0x1.414142p-6f);
  CHECK(p.zero_points[0] == 102);
  const qtensor::Quantizer q = obs.quantizer();
  CHECK(q.scale() == static_cast<double>(0x1.414142p-6f));
  CHECK(q.zero_point() == 102);
  CHECK(Status([&] { obs.forward(std::vector<float>{1.0f}, {2}); }) == QT_ERR_SHAPE_MISMATCH);
}

TEST_CASE("per-channel observers keep one range per channel") {
  qtensor::Observer obs = qtensor::Observer::PerChannelMinMax(1, QT_QINT8);
  CHECK(obs.num_channels() == 0);
  obs.forward(std::vector<float>{1.0f, -2.0f, 0.25f, 4.0f, 0.5f, -0.75f}, {2, 3});
  const qtensor::ObserverQParams p = obs.calculate_qparams();
  CHECK(p.scales == std::vector<float>{0x1.010102p-6f, 0x1.414142p-7f, 0x1.010102p-8f});
  CHECK(p.zero_points == std::vector<int64_t>{-128, 76, 63});
  CHECK(obs.min_val() == std::vector<float>{1.0f, -2.0f, -0.75f});
  CHECK(obs.max_val() == std::vector<float>{4.0f, 0.5f, 0.25f});
  CHECK(obs.quantizer().axis() == 1);
  CHECK(Status([&] {
          obs.forward(std::vector<float>{1, 2, 3, 4}, {4, 1});
        }) == QT_ERR_SHAPE_MISMATCH);
  CHECK(Status([&] { qtensor::Observer::MovingAveragePerChannelMinMax(2.0); }) ==
        QT_ERR_INVALID_ARGUMENT);
  CHECK(Status([&] { qtensor::Observer::MinMax(QT_QUINT8, true, true); }) ==
        QT_ERR_INVALID_ARGUMENT);
  CHECK(Status([&] {
          qtensor::Observer::MovingAverageMinMax(0.5, QT_QINT8, false, false, 1, 9);
        }) == QT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("Observer::Histogram gives torch's parameters") {
  qtensor::Observer obs = qtensor::Observer::Histogram(16, 4, QT_QINT8);
  obs.forward(std::vector<float>{-1.0f, 0.5f, 2.0f}, {3});
  obs.forward(std::vector<float>{3.0f, -2.0f}, {2, 1});
  const qtensor::ObserverQParams p = obs.calculate_qparams();
  CHECK(p.scales == std::vector<float>{0x1.3c3c3cp-6f});
  CHECK(p.zero_points == std::vector<int64_t>{-24});
  CHECK(Status([&] { obs.forward(std::vector<float>{NAN}, {1}); }) == QT_ERR_INVALID_ARGUMENT);
  CHECK(Status([&] { qtensor::Observer::Histogram(0); }) == QT_ERR_INVALID_ARGUMENT);
}

TEST_CASE("choose_qparams and quantize_per_tensor_dynamic") {
  const std::vector<float> x = {-1.0f, 0.5f, 2.0f};
  const qtensor::QParams p = qtensor::choose_qparams_per_tensor(x, {3});
  CHECK(p.scale == 0x1.8181818181818p-7);
  CHECK(p.zero_point == 85);
  const qtensor::QParams r = qtensor::choose_qparams(-1.0f, 2.0f, 0, 255);
  CHECK(r.scale == p.scale);
  const qtensor::Tensor t = qtensor::quantize_per_tensor_dynamic(x, {3}, QT_QINT8);
  CHECK(t.q_zero_point() == -43);
  CHECK(Status([&] { qtensor::quantize_per_tensor_dynamic(x, {3}, QT_QINT32); }) ==
        QT_ERR_INVALID_ARGUMENT);
  CHECK(Status([&] { qtensor::choose_qparams_per_tensor(x, {4}); }) == QT_ERR_SHAPE_MISMATCH);
  CHECK(Status([&] { qtensor::choose_qparams_per_tensor(std::vector<float>{NAN}, {1}); }) ==
        QT_ERR_INVALID_ARGUMENT);
}

}  // namespace

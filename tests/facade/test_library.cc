// The C++ facade's library functions: version, SIMD target, thread count,
// dtype facts; and Tensor::share.
#include <doctest/doctest.h>

#include <string>

#include "qtensor/qtensor.hpp"

namespace {

TEST_CASE("the facade reports the version and SIMD target the C ABI does") {
  CHECK(qtensor::version() == qt_version());
  CHECK(qtensor::simd_target() == qt_simd_target());
  CHECK_FALSE(qtensor::version().empty());
}

TEST_CASE("the facade sets the thread count, and throws for a bad one") {
  CHECK(qtensor::get_num_threads() == 1);
  qtensor::set_num_threads(4);
  CHECK(qtensor::get_num_threads() == 4);
  for (const int bad : {-1, 65}) {
    try {
      qtensor::set_num_threads(bad);
      FAIL("no exception for ", bad);
    } catch (const qtensor::Error& error) {
      CHECK(error.status() == QT_ERR_INVALID_ARGUMENT);
      CHECK(std::string(error.what()) == "threads = " + std::to_string(bad) +
                                             " is out of range [0, 64] (0: one per logical core)");
    }
    CHECK(qtensor::get_num_threads() == 4);
  }
  qtensor::set_num_threads(1);
}

TEST_CASE("dtype sizes and names, and an error for a value outside the enums") {
  CHECK(qtensor::dtype_size(QT_QINT8) == 1);
  CHECK(qtensor::dtype_size(QT_QUINT8) == 1);
  CHECK(qtensor::dtype_size(QT_QINT32) == 4);
  CHECK(qtensor::dtype_name(QT_QUINT8) == "quint8");
  CHECK(qtensor::qscheme_name(QT_PER_CHANNEL_AFFINE) == "per_channel_affine");
  CHECK_THROWS_AS(qtensor::dtype_size(static_cast<qt_dtype>(99)), qtensor::Error);
  CHECK_THROWS_AS(qtensor::dtype_name(static_cast<qt_dtype>(-1)), qtensor::Error);
  CHECK_THROWS_AS(qtensor::qscheme_name(static_cast<qt_qscheme>(7)), qtensor::Error);
}

TEST_CASE("share() is a second handle to the same view that outlives the first") {
  auto base =
      qtensor::Tensor::QuantizePerTensor({1.0f, 2.0f, 3.0f, 4.0f}, {2, 2}, 0.5, 0, QT_QINT8);
  qtensor::Tensor shared = [&] {
    qtensor::Tensor view = base.transpose(0, 1);
    return view.share();
  }();  // the view's own handle is freed here
  CHECK(shared.get() != base.get());
  CHECK(shared.shares_storage_with(base));
  CHECK(shared.strides() == std::vector<int64_t>{1, 2});
  CHECK(shared.q_num_channels() == 1);
  base.set({0, 1}, 9.0f);
  CHECK(shared.at({1, 0}) == 9.0f);
}

}  // namespace

// The C++ facade's library functions: version, SIMD target, thread count.
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

}  // namespace

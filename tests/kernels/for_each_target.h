// Runs a test body once per Highway target compiled in and supported by
// this CPU, with dispatch forced to that target (and restored after).
#ifndef QTENSOR_TESTS_KERNELS_FOR_EACH_TARGET_H_
#define QTENSOR_TESTS_KERNELS_FOR_EACH_TARGET_H_

#include <doctest/doctest.h>
#include <hwy/targets.h>

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/quantize_kernels.h"

template <class Body>
void ForEachTarget(const Body& body) {
  struct Restore {
    ~Restore() { hwy::SetSupportedTargetsForTest(0); }
  } restore;
  const std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  REQUIRE(!targets.empty());
  for (const int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    // As a std::string: doctest would print a const char* as a pointer.
    const std::string target_name = hwy::TargetName(target);
    CAPTURE(target_name);
    REQUIRE(qtensor::kernels::ActiveTargetName() == target_name);
    body();
  }
}

#endif  // QTENSOR_TESTS_KERNELS_FOR_EACH_TARGET_H_

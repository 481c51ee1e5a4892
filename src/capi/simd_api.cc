// qt_simd_target / qt_set_max_simd_target, and the QTENSOR_MAX_SIMD_TARGET
// environment variable, read once when the library is loaded.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "capi/handles.h"
#include "core/simd_target.h"

namespace qtensor::capi {
namespace {

constexpr const char* kMaxTargetVariable = "QTENSOR_MAX_SIMD_TARGET";

// A library cannot return an error from its loading, so a bad value is
// reported on stderr, once, and the kernels keep the CPU's best target.
bool CapFromEnvironment() {
  const char* value = std::getenv(kMaxTargetVariable);
  if (value == nullptr || *value == '\0') return false;
  if (core::CapSimdTarget(value)) return true;
  std::fprintf(stderr, "qtensor: ignoring %s=%s: not a SIMD target (expected one of %s)\n",
               kMaxTargetVariable, value, core::SimdTargetNames());
  return false;
}

[[maybe_unused]] const bool capped_from_environment = CapFromEnvironment();

}  // namespace
}  // namespace qtensor::capi

extern "C" {

const char* qt_simd_target(void) { return qtensor::core::SimdTargetName(); }

qt_status qt_set_max_simd_target(const char* target) {
  return qtensor::capi::Guard([&] {
    if (!qtensor::core::CapSimdTarget(target)) {
      qtensor::core::Fail(qtensor::core::ErrorKind::kInvalidArgument,
                          std::string("unknown SIMD target \"") + target + "\" (expected one of " +
                              qtensor::core::SimdTargetNames() + ")");
    }
  });
}

}  // extern "C"

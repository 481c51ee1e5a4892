#include "kernels/target_cap.h"

#include <cctype>
#include <cstdint>
#include <string>

#include "hwy/targets.h"

namespace qtensor::kernels {
namespace {

bool SameNameIgnoringCase(const char* a, const char* b) {
  for (; *a != '\0' && *b != '\0'; ++a, ++b) {
    if (std::toupper(static_cast<unsigned char>(*a)) !=
        std::toupper(static_cast<unsigned char>(*b))) {
      return false;
    }
  }
  return *a == *b;
}

// Highway numbers its targets best first: a lower bit is a better target.
constexpr int kTargetBits = 63;

}  // namespace

bool CapTargets(const char* name) {
  if (name == nullptr || *name == '\0') {
    hwy::DisableTargets(0);
    return true;
  }
  for (int bit = 0; bit < kTargetBits; ++bit) {
    const int64_t target = int64_t{1} << bit;
    if (SameNameIgnoringCase(name, hwy::TargetName(target)) &&
        !SameNameIgnoringCase(name, "Unknown")) {
      hwy::DisableTargets(target - 1);  // every better target
      return true;
    }
  }
  return false;
}

const char* TargetNames() {
  static const std::string names = [] {
    std::string list;
    for (int bit = 0; bit < kTargetBits; ++bit) {
      const char* target_name = hwy::TargetName(int64_t{1} << bit);
      if (SameNameIgnoringCase(target_name, "Unknown")) continue;
      if (!list.empty()) list += ", ";
      list += target_name;
    }
    return list;
  }();
  return names.c_str();
}

}  // namespace qtensor::kernels

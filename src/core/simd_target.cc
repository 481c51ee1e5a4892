#include "core/simd_target.h"

#include "kernels/quantize_kernels.h"
#include "kernels/target_cap.h"

namespace qtensor::core {

const char* SimdTargetName() { return kernels::ActiveTargetName(); }

bool CapSimdTarget(const char* name) { return kernels::CapTargets(name); }

const char* SimdTargetNames() { return kernels::TargetNames(); }

}  // namespace qtensor::core

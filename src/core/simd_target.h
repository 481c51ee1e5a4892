// The SIMD target the kernels dispatch to, and the cap on it, for the layers
// above core (the ABI never calls the kernels itself).
#ifndef QTENSOR_CORE_SIMD_TARGET_H_
#define QTENSOR_CORE_SIMD_TARGET_H_

namespace qtensor::core {

// The name of the target the kernels use now ("AVX2").
const char* SimdTargetName();

// Caps the target (kernels::CapTargets): false, changing nothing, for a name
// that is no target; nullptr or "" removes the cap.
bool CapSimdTarget(const char* name);

// The names CapSimdTarget accepts, best first, comma-separated.
const char* SimdTargetNames();

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_SIMD_TARGET_H_

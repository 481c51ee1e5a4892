// A cap on the Highway target the kernels dispatch to (qt_set_max_simd_target
// and QTENSOR_MAX_SIMD_TARGET). Every target gives the same bits; the cap
// serves tools that cannot run newer instructions, such as valgrind with
// AVX-512.
#ifndef QTENSOR_KERNELS_TARGET_CAP_H_
#define QTENSOR_KERNELS_TARGET_CAP_H_

namespace qtensor::kernels {

// Dispatches to the best supported target not above the named one (a name as
// hwy::TargetName spells it, in any case). nullptr or "" removes the cap.
// Returns false, changing nothing, for a name that is no target. Highway's
// target choice is process-wide, so the cap also holds for other libraries
// in the process that dispatch through the same libhwy.
bool CapTargets(const char* name);

// The names CapTargets accepts on this architecture, best first
// ("AVX3_DL, AVX3, AVX2, ...").
const char* TargetNames();

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_TARGET_CAP_H_

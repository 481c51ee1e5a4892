// qt_set_num_threads / qt_get_num_threads: the optional splitting of large
// quantize and dequantize calls (core/parallel.h).
#include "capi/handles.h"
#include "core/parallel.h"

extern "C" {

qt_status qt_set_num_threads(int threads) {
  return qtensor::capi::Guard([&] { qtensor::core::SetNumThreads(threads); });
}

int qt_get_num_threads(void) { return qtensor::core::NumThreads(); }

}  // extern "C"

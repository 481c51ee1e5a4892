/* Fixtures shared by the C tests of views and indexing: a tensor whose
   int_repr counts up, and a sentinel that an output must keep when a call
   fails. */
#ifndef QTENSOR_TESTS_C_COUNTING_TENSOR_H
#define QTENSOR_TESTS_C_COUNTING_TENSOR_H

#include "check.h"

static qt_tensor* const kUntouched = (qt_tensor*)(void*)&g_checks;

/* int_repr 0 .. 23 in shape (2, 3, 4), qint8, scale 0.5, zero point 1. */
static inline qt_tensor* counting(void) {
  int8_t ints[24];
  for (int i = 0; i < 24; ++i) ints[i] = (int8_t)i;
  const int64_t shape[3] = {2, 3, 4};
  qt_quantizer* quantizer = NULL;
  qt_tensor* t = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, QT_QINT8, 0.5, 1));
  CHECK_OK(qt_from_int_repr(&t, ints, sizeof ints, shape, 3, quantizer));
  qt_quantizer_free(quantizer);
  return t;
}

#endif /* QTENSOR_TESTS_C_COUNTING_TENSOR_H */

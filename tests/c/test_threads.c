/* test_threads.c - qt_set_num_threads: its argument checks, and that large
   quantize / dequantize calls split across threads give exactly the bytes
   and floats of one thread, per tensor and per channel, for every dtype,
   with the channel dim first, in the middle and last, on contiguous tensors
   and on a transposed view. */
#define _DEFAULT_SOURCE /* sysconf(_SC_NPROCESSORS_ONLN) */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "qtensor/qtensor.h"

/* Large enough to be split (2^20 elements and more), and odd-sized. */
#define ROWS 3
#define MIDDLE 5
#define COLUMNS 70001
#define NUMEL ((size_t)ROWS * MIDDLE * COLUMNS)

static float g_values[NUMEL];

/* What one quantize + read-out gives: the integers and the dequantized
   floats of the tensor, and of its transpose (a view that is not
   contiguous, quantized into through qt_copy_from_float). */
typedef struct {
  unsigned char ints[NUMEL * 4];
  float floats[NUMEL];
  unsigned char view_ints[NUMEL * 4];
  float view_floats[NUMEL];
} results;

static results g_one_thread, g_threads;

static void run_case(qt_dtype dtype, int axis, results* out) {
  const int64_t shape[3] = {ROWS, MIDDLE, COLUMNS};
  qt_tensor* tensor = NULL;
  if (axis < 0) {
    CHECK_OK(qt_quantize_per_tensor(&tensor, g_values, shape, 3, 0.03, dtype == QT_QUINT8 ? 128 : 3,
                                    dtype));
  } else {
    static double scales[COLUMNS];
    static int64_t zero_points[COLUMNS];
    const int64_t channels = shape[axis];
    for (int64_t c = 0; c < channels; ++c) {
      scales[c] = 0.01 + 0.001 * (double)(c % 97);
      zero_points[c] = (dtype == QT_QUINT8 ? 128 : 0) + c % 11 - 5;
    }
    CHECK_OK(qt_quantize_per_channel(&tensor, g_values, shape, 3, scales, zero_points, channels,
                                     axis, dtype));
  }
  const size_t size = qt_dtype_size(dtype);
  CHECK_OK(qt_int_repr(out->ints, NUMEL * size, tensor));
  CHECK_OK(qt_dequantize(out->floats, NUMEL, tensor));

  qt_tensor* view = NULL;
  CHECK_OK(qt_transpose(&view, tensor, 0, 2));
  CHECK_OK(qt_copy_from_float(view, g_values, NUMEL));
  CHECK_OK(qt_int_repr(out->view_ints, NUMEL * size, view));
  CHECK_OK(qt_dequantize(out->view_floats, NUMEL, view));
  qt_tensor_free(view);
  qt_tensor_free(tensor);
}

static void test_bad_counts(void) {
  CHECK(qt_get_num_threads() == 1); /* the default: no thread is started */
  const int bad[] = {-1, -1000, 65, 1 << 30};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    CHECK(qt_set_num_threads(bad[i]) == QT_ERR_INVALID_ARGUMENT);
    CHECK(strstr(qt_last_error_message(), "threads") != NULL);
    CHECK(qt_get_num_threads() == 1); /* unchanged */
  }
  CHECK_OK(qt_set_num_threads(0)); /* one per logical core, reported as such */
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  CHECK_I64(qt_get_num_threads(), cores < 1 ? 1 : cores > 64 ? 64 : cores);
  CHECK_OK(qt_set_num_threads(64));
  CHECK(qt_get_num_threads() == 64);
  CHECK_OK(qt_set_num_threads(1));
  CHECK(qt_get_num_threads() == 1);
}

static void test_same_results(void) {
  uint32_t state = 2024u;
  for (size_t i = 0; i < NUMEL; ++i) {
    state = state * 1664525u + 1013904223u;
    g_values[i] = (float)(state >> 8) * (8.0f / 16777216.0f) - 4.0f;
  }
  g_values[7] = NAN;
  g_values[NUMEL - 1] = INFINITY;
  const qt_dtype dtypes[] = {QT_QINT8, QT_QUINT8, QT_QINT32};
  const int thread_counts[] = {2, 3, 7};
  for (size_t d = 0; d < 3; ++d) {
    for (int axis = -1; axis < 3; ++axis) {
      CHECK_OK(qt_set_num_threads(1));
      run_case(dtypes[d], axis, &g_one_thread);
      for (size_t t = 0; t < 3; ++t) {
        CHECK_OK(qt_set_num_threads(thread_counts[t]));
        run_case(dtypes[d], axis, &g_threads);
        const size_t int_bytes = NUMEL * qt_dtype_size(dtypes[d]);
        const int same =
            memcmp(g_one_thread.ints, g_threads.ints, int_bytes) == 0 &&
            memcmp(g_one_thread.floats, g_threads.floats, sizeof g_threads.floats) == 0 &&
            memcmp(g_one_thread.view_ints, g_threads.view_ints, int_bytes) == 0 &&
            memcmp(g_one_thread.view_floats, g_threads.view_floats, sizeof g_threads.view_floats) ==
                0;
        ++g_checks;
        if (!same) {
          FAIL_AT(__LINE__, "dtype %d, axis %d: %d threads differ from one", (int)dtypes[d], axis,
                  thread_counts[t]);
        }
      }
    }
  }
  CHECK_OK(qt_set_num_threads(1));
}

int main(void) {
  test_bad_counts();
  test_same_results();
  printf("c_threads: %ld checks passed\n", g_checks);
  return 0;
}

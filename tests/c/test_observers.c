/*
 * test_observers.c - the C ABI's parameters from data: qt_choose_qparams*,
 * qt_quantize_per_tensor_dynamic and the qt_observer_* functions, with
 * values from PyTorch 1.13 (computed with torch and written here as hex
 * floats), and every bad-input path: the exact status, a message, outputs
 * and observers left unchanged.
 */
#include <qtensor/qtensor.h>

#include "check.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const float kBatch1[] = {-1.0f, 0.5f, 2.0f};
static const int64_t kShape1[] = {3};
static const float kBatch2[] = {3.0f, -2.0f};
static const int64_t kShape2[] = {2, 1};

/* The one scale and zero point of an observer. */
static void params1(const qt_observer* obs, float* scale, int64_t* zp) {
  size_t n = 0;
  CHECK_OK(qt_observer_num_channels(&n, obs));
  CHECK(n == 1);
  CHECK_OK(qt_observer_calculate_qparams(scale, zp, 1, obs));
}

static void test_min_max_family(void) {
  step("min/max observers equal torch.ao.quantization's");
  qt_observer* obs = NULL;
  float scale = 0;
  int64_t zp = 0;

  CHECK_OK(qt_observer_new_min_max(&obs, QT_QUINT8, false, false, 0, 0));
  float lo = 0, hi = 0;
  CHECK_OK(qt_observer_min_val(&lo, 1, obs)); /* torch's buffers before data */
  CHECK_OK(qt_observer_max_val(&hi, 1, obs));
  CHECK(isinf(lo) && lo > 0 && isinf(hi) && hi < 0);
  CHECK_OK(qt_observer_forward(obs, kBatch1, kShape1, 1));
  CHECK_OK(qt_observer_forward(obs, kBatch2, kShape2, 2));
  CHECK_OK(qt_observer_min_val(&lo, 1, obs));
  CHECK_OK(qt_observer_max_val(&hi, 1, obs));
  CHECK_F32(lo, -2.0f);
  CHECK_F32(hi, 3.0f);
  params1(obs, &scale, &zp);
  CHECK_F32(scale, 0x1.414142p-6f);
  CHECK_I64(zp, 102);
  qt_quantizer* q = NULL;
  CHECK_OK(qt_observer_quantizer(&q, obs));
  double qs = 0;
  int64_t qz = 0;
  qt_qscheme scheme = 0;
  CHECK_OK(qt_quantizer_scale(&qs, q));
  CHECK_OK(qt_quantizer_zero_point(&qz, q));
  CHECK_OK(qt_quantizer_qscheme(&scheme, q));
  CHECK_F64(qs, (double)0x1.414142p-6f);
  CHECK_I64(qz, 102);
  CHECK(scheme == QT_PER_TENSOR_AFFINE);
  qt_quantizer_free(q);
  qt_observer_free(obs);

  CHECK_OK(qt_observer_new_min_max(&obs, QT_QINT8, true, false, 0, 0));
  CHECK_OK(qt_observer_forward(obs, kBatch1, kShape1, 1));
  CHECK_OK(qt_observer_forward(obs, kBatch2, kShape2, 2));
  params1(obs, &scale, &zp);
  CHECK_F32(scale, 0x1.818182p-6f);
  CHECK_I64(zp, 0);
  qt_observer_free(obs);

  CHECK_OK(qt_observer_new_moving_average_min_max(&obs, 0.5, QT_QINT8, false, false, 0, 0));
  CHECK_OK(qt_observer_forward(obs, kBatch1, kShape1, 1));
  CHECK_OK(qt_observer_forward(obs, kBatch2, kShape2, 2));
  params1(obs, &scale, &zp);
  CHECK_F32(scale, 0x1.010102p-6f);
  CHECK_I64(zp, -32);
  qt_observer_free(obs);

  /* Custom range [-8, 7] with reduce_range: [-4, 3]. */
  CHECK_OK(qt_observer_new_min_max(&obs, QT_QINT8, false, true, -8, 7));
  CHECK_OK(qt_observer_forward(obs, kBatch1, kShape1, 1));
  params1(obs, &scale, &zp);
  CHECK_F32(scale, 0x1.b6db6ep-2f);
  CHECK_I64(zp, -2);
  qt_observer_free(obs);

  const float x[] = {1.0f, -2.0f, 0.25f, 4.0f, 0.5f, -0.75f};
  const int64_t shape[] = {2, 3};
  float scales[3] = {0};
  int64_t zps[3] = {0};
  size_t n = 0;
  CHECK_OK(qt_observer_new_per_channel_min_max(&obs, 1, QT_QINT8, false, false, 0, 0));
  CHECK_OK(qt_observer_num_channels(&n, obs));
  CHECK(n == 0);
  CHECK_OK(qt_observer_min_val(NULL, 0, obs)); /* no channels yet: nothing to write */
  CHECK_OK(qt_observer_forward(obs, x, shape, 2));
  CHECK_OK(qt_observer_num_channels(&n, obs));
  CHECK(n == 3);
  float mins[3] = {0}, maxs[3] = {0};
  CHECK_OK(qt_observer_min_val(mins, 3, obs));
  CHECK_OK(qt_observer_max_val(maxs, 3, obs));
  CHECK_F32(mins[0], 1.0f);
  CHECK_F32(mins[1], -2.0f);
  CHECK_F32(mins[2], -0.75f);
  CHECK_F32(maxs[0], 4.0f);
  CHECK_F32(maxs[1], 0.5f);
  CHECK_F32(maxs[2], 0.25f);
  CHECK_STATUS(qt_observer_min_val(mins, 2, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_observer_max_val(NULL, 3, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_observer_max_val(maxs, 3, NULL), QT_ERR_INVALID_ARGUMENT);
  CHECK_F32(maxs[2], 0.25f);
  CHECK_OK(qt_observer_calculate_qparams(scales, zps, 3, obs));
  CHECK_F32(scales[0], 0x1.010102p-6f);
  CHECK_F32(scales[1], 0x1.414142p-7f);
  CHECK_F32(scales[2], 0x1.010102p-8f);
  CHECK_I64(zps[0], -128);
  CHECK_I64(zps[1], 76);
  CHECK_I64(zps[2], 63);
  CHECK_OK(qt_observer_quantizer(&q, obs));
  size_t channels = 0;
  int64_t axis = -9;
  CHECK_OK(qt_quantizer_num_channels(&channels, q));
  CHECK_OK(qt_quantizer_axis(&axis, q));
  CHECK(channels == 3);
  CHECK_I64(axis, 1);
  qt_quantizer_free(q);
  qt_observer_free(obs);

  float x2[6];
  for (int i = 0; i < 6; ++i) x2[i] = 2.0f * x[i];
  CHECK_OK(qt_observer_new_moving_average_per_channel_min_max(&obs, 0.25, 0, QT_QUINT8, true, false,
                                                              0, 0));
  CHECK_OK(qt_observer_forward(obs, x, shape, 2));
  CHECK_OK(qt_observer_forward(obs, x2, shape, 2));
  CHECK_OK(qt_observer_calculate_qparams(scales, zps, 3, obs));
  CHECK_F32(scales[0], 0x1.414142p-6f);
  CHECK_F32(scales[1], 0x1.414142p-5f);
  CHECK_I64(zps[0], 128);
  CHECK_I64(zps[1], 128);
  qt_observer_free(obs);
  /* HistogramObserver(bins=16, upsample_rate=4, dtype=qint8): the second
     batch widens the range to [-2, 3.25] and resamples the histogram. */
  CHECK_OK(qt_observer_new_histogram(&obs, 16, 4, QT_QINT8, false, false, 0, 0));
  CHECK_OK(qt_observer_forward(obs, kBatch1, kShape1, 1));
  CHECK_OK(qt_observer_forward(obs, kBatch2, kShape2, 2));
  params1(obs, &scale, &zp);
  CHECK_F32(scale, 0x1.3c3c3cp-6f);
  CHECK_I64(zp, -24);
  qt_observer_free(obs);
  CHECK_OK(qt_observer_new_histogram(&obs, 2048, 128, QT_QUINT8, false, false, 0, 0));
  CHECK_OK(qt_observer_forward(obs, kBatch1, kShape1, 1));
  params1(obs, &scale, &zp);
  CHECK_F32(scale, 0x1.815152p-7f);
  CHECK_I64(zp, 85);
  qt_observer_free(obs);
  step_ok("min/max observers equal torch.ao.quantization's");
}

static void test_choose_qparams(void) {
  step("choose_qparams and quantize_per_tensor_dynamic equal torch's");
  double scale = 0;
  int64_t zp = 0;
  CHECK_OK(qt_choose_qparams_per_tensor(&scale, &zp, kBatch1, kShape1, 1, false));
  CHECK_F64(scale, 0x1.8181818181818p-7);
  CHECK_I64(zp, 85);
  CHECK_OK(qt_choose_qparams(&scale, &zp, -1.0f, 2.0f, 0, 255, false, false));
  CHECK_F64(scale, 0x1.8181818181818p-7);
  CHECK_I64(zp, 85);
  /* preserve_sparsity: the middle of [-128, 127] is -0.5, rounded to even. */
  CHECK_OK(qt_choose_qparams(&scale, &zp, -1.0f, 2.0f, -128, 127, true, false));
  CHECK_I64(zp, 0);
  /* All zero: the 0.1 fallback. */
  CHECK_OK(qt_choose_qparams(&scale, &zp, 0.0f, 0.0f, 0, 255, false, false));
  CHECK_F64(scale, 0.1);
  CHECK_I64(zp, 0);

  qt_tensor* t = NULL;
  CHECK_OK(qt_quantize_per_tensor_dynamic(&t, kBatch1, kShape1, 1, QT_QINT8, false));
  double qs = 0;
  int64_t qz = 0;
  int8_t ints[3] = {0};
  CHECK_OK(qt_tensor_q_scale(&qs, t));
  CHECK_OK(qt_tensor_q_zero_point(&qz, t));
  CHECK_OK(qt_int_repr(ints, sizeof ints, t));
  CHECK_F64(qs, 0x1.8181818181818p-7);
  CHECK_I64(qz, -43);
  CHECK_I64(ints[0], -128);
  CHECK_I64(ints[1], -1);
  CHECK_I64(ints[2], 127);
  qt_tensor_free(t);
  step_ok("choose_qparams and quantize_per_tensor_dynamic equal torch's");
}

/* A failed call: the status, a message, and the sentinel outputs kept. */
#define CHECK_FAILS(call, status)                \
  do {                                           \
    CHECK_STATUS(call, status);                  \
    CHECK(strlen(qt_last_error_message()) > 10); \
  } while (0)

static void test_bad_input(void) {
  step("bad input: exact status, message, outputs unchanged");
  qt_observer* obs = (qt_observer*)&kBatch1; /* sentinel */
  qt_observer* const sentinel = obs;
  CHECK_FAILS(qt_observer_new_min_max(NULL, QT_QUINT8, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_min_max(&obs, (qt_dtype)99, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_min_max(&obs, QT_QUINT8, true, true, 0, 0),
              QT_ERR_INVALID_ARGUMENT); /* torch: NotImplementedError */
  CHECK_FAILS(qt_observer_new_min_max(&obs, QT_QINT8, false, false, 5, 1),
              QT_ERR_INVALID_ARGUMENT); /* quant_min > quant_max */
  CHECK_FAILS(qt_observer_new_min_max(&obs, QT_QINT8, false, false, 3, 3),
              QT_ERR_INVALID_ARGUMENT); /* excludes 0 */
  CHECK_FAILS(qt_observer_new_min_max(&obs, QT_QINT8, false, false, -5, -5),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_min_max(&obs, QT_QINT8, false, false, 0, 255),
              QT_ERR_INVALID_ARGUMENT); /* does not fit qint8 */
  CHECK_FAILS(qt_observer_new_min_max(&obs, QT_QUINT8, false, false, -1, 255),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_min_max(&obs, QT_QINT32, false, false, INT32_MIN, INT32_MAX),
              QT_ERR_INVALID_ARGUMENT); /* 2^32 values: torch's limit is 2^31 */
  CHECK_FAILS(qt_observer_new_moving_average_min_max(&obs, 0.0, QT_QUINT8, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_moving_average_min_max(&obs, 1.5, QT_QUINT8, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_moving_average_min_max(&obs, NAN, QT_QUINT8, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_per_channel_min_max(&obs, 64, QT_QUINT8, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_moving_average_per_channel_min_max(&obs, -1.0, 0, QT_QUINT8, false,
                                                                 false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_histogram(&obs, 0, 128, QT_QUINT8, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_histogram(&obs, 2048, 0, QT_QUINT8, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_histogram(&obs, 2048, 128, QT_QINT8, false, false, 1, 5),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_new_histogram(NULL, 2048, 128, QT_QINT8, false, false, 0, 0),
              QT_ERR_INVALID_ARGUMENT);
  CHECK(obs == sentinel);

  /* An observer before data; then bad batches leave it unchanged. */
  CHECK_OK(qt_observer_new_per_channel_min_max(&obs, -1, QT_QINT8, false, false, 0, 0));
  float scales[4] = {7, 7, 7, 7};
  int64_t zps[4] = {7, 7, 7, 7};
  qt_quantizer* q = (qt_quantizer*)&kBatch1;
  qt_quantizer* const qsentinel = q;
  CHECK_FAILS(qt_observer_calculate_qparams(scales, zps, 4, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "before the observer saw any data") != NULL);
  CHECK_FAILS(qt_observer_quantizer(&q, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK(q == qsentinel);
  const float x[] = {1, 2, 3, 4, 5, 6};
  const int64_t shape23[] = {2, 3};
  const int64_t shape32[] = {3, 2};
  const int64_t bad_shape[] = {2, -3};
  CHECK_OK(qt_observer_forward(obs, NULL, (const int64_t[]){2, 0}, 2)); /* empty: ignored */
  CHECK_FAILS(qt_observer_calculate_qparams(scales, zps, 4, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_forward(obs, x, NULL, 2), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_forward(obs, NULL, shape23, 2), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_forward(NULL, x, shape23, 2), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_forward(obs, x, bad_shape, 2), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_forward(obs, x, shape23, 0), QT_ERR_OUT_OF_RANGE); /* 0-dim */
  CHECK_FAILS(qt_observer_forward(obs, x, shape23, 65), QT_ERR_INVALID_ARGUMENT);
  CHECK_OK(qt_observer_forward(obs, x, shape23, 2)); /* 3 channels on axis -1 */
  CHECK_FAILS(qt_observer_forward(obs, x, shape32, 2), QT_ERR_SHAPE_MISMATCH);
  CHECK_FAILS(qt_observer_calculate_qparams(scales, zps, 2, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_calculate_qparams(NULL, zps, 4, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_calculate_qparams(scales, NULL, 4, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_calculate_qparams(scales, zps, 4, NULL), QT_ERR_INVALID_ARGUMENT);
  CHECK(scales[0] == 7 && zps[0] == 7 && scales[3] == 7);
  size_t n = 0;
  CHECK_FAILS(qt_observer_num_channels(NULL, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_num_channels(&n, NULL), QT_ERR_INVALID_ARGUMENT);
  CHECK_OK(qt_observer_calculate_qparams(scales, zps, 4, obs));
  /* [1, 4], [2, 5], [3, 6]: the mismatched batch changed nothing. */
  CHECK_F32(scales[0], 4.0f / 255.0f);
  CHECK(scales[3] == 7); /* past the 3 written */
  qt_observer_free(obs);

  /* NaN and infinities are recorded, then reported. */
  const float with_nan[] = {1.0f, NAN};
  const float with_inf[] = {1.0f, INFINITY};
  const int64_t shape2[] = {2};
  CHECK_OK(qt_observer_new_min_max(&obs, QT_QUINT8, false, false, 0, 0));
  CHECK_OK(qt_observer_forward(obs, with_nan, shape2, 1));
  CHECK_FAILS(qt_observer_calculate_qparams(scales, zps, 1, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "NaN") != NULL);
  qt_observer_free(obs);
  CHECK_OK(qt_observer_new_min_max(&obs, QT_QUINT8, false, false, 0, 0));
  CHECK_OK(qt_observer_forward(obs, with_inf, shape2, 1));
  CHECK_FAILS(qt_observer_calculate_qparams(scales, zps, 1, obs), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "infinite scale") != NULL);
  qt_observer_free(obs);
  CHECK_OK(qt_observer_new_histogram(&obs, 64, 2, QT_QUINT8, false, false, 0, 0));
  CHECK_OK(qt_observer_forward(obs, kBatch1, kShape1, 1));
  CHECK_FAILS(qt_observer_forward(obs, with_nan, shape2, 1), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_observer_forward(obs, with_inf, shape2, 1), QT_ERR_INVALID_ARGUMENT);
  CHECK_OK(qt_observer_calculate_qparams(scales, zps, 1, obs)); /* still kBatch1's */
  qt_observer_free(obs);
  qt_observer_free(NULL);

  double scale = 5;
  int64_t zp = 5;
  CHECK_FAILS(qt_choose_qparams(NULL, &zp, 0, 1, 0, 255, false, false), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams(&scale, NULL, 0, 1, 0, 255, false, false), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams(&scale, &zp, 2, 1, 0, 255, false, false), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams(&scale, &zp, NAN, 1, 0, 255, false, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams(&scale, &zp, 0, INFINITY, 0, 255, false, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams(&scale, &zp, 0, 1, 255, 0, false, false), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams(&scale, &zp, 0, 1, 0, 1, false, true), QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams(&scale, &zp, 0, 1, INT64_MIN, 0, false, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams_per_tensor(&scale, &zp, NULL, (const int64_t[]){0}, 1, false),
              QT_ERR_INVALID_ARGUMENT); /* empty */
  CHECK_FAILS(qt_choose_qparams_per_tensor(&scale, &zp, with_nan, shape2, 1, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "element 1") != NULL);
  CHECK_FAILS(qt_choose_qparams_per_tensor(&scale, &zp, with_inf, shape2, 1, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_choose_qparams_per_tensor(&scale, &zp, NULL, shape2, 1, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK(scale == 5 && zp == 5);
  qt_tensor* t = (qt_tensor*)&kBatch1;
  qt_tensor* const tsentinel = t;
  CHECK_FAILS(qt_quantize_per_tensor_dynamic(&t, kBatch1, kShape1, 1, QT_QINT32, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_quantize_per_tensor_dynamic(&t, kBatch1, kShape1, 1, (qt_dtype)0, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_quantize_per_tensor_dynamic(&t, with_nan, shape2, 1, QT_QINT8, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK_FAILS(qt_quantize_per_tensor_dynamic(NULL, kBatch1, kShape1, 1, QT_QINT8, false),
              QT_ERR_INVALID_ARGUMENT);
  CHECK(t == tsentinel);
  step_ok("bad input: exact status, message, outputs unchanged");
}

int main(void) {
  test_min_max_family();
  test_choose_qparams();
  test_bad_input();
  printf("%ld checks passed\n", g_checks);
  return 0;
}

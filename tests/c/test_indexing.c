/* Index lists, masks and repeats in the C ABI (qt_index_select, qt_repeat,
   qt_empty_like, qt_masked_fill_inplace, qt_index_put_inplace): integers,
   parameters (per channel too), empty index lists, and bad input giving a
   status and a message with the outputs untouched. PyTorch 1.13's results
   for the per-tensor cases are in tests/data/index_golden.txt (checked by
   tests/facade/test_indexing.cc); the quantized values here are worked out
   in the comments with torch's formula round-half-even(x / scale) + zp. */
#include "counting_tensor.h"

/* The same integers per channel along dim 1: scales 0.5, 0.25, 0.125 and
   zero points 1, 2, 3. */
static qt_tensor* counting_per_channel(void) {
  int8_t ints[24];
  for (int i = 0; i < 24; ++i) ints[i] = (int8_t)i;
  const int64_t shape[3] = {2, 3, 4};
  const double scales[3] = {0.5, 0.25, 0.125};
  const int64_t zero_points[3] = {1, 2, 3};
  qt_quantizer* quantizer = NULL;
  qt_tensor* t = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&quantizer, QT_QINT8, scales, zero_points, 3, 1));
  CHECK_OK(qt_from_int_repr(&t, ints, sizeof ints, shape, 3, quantizer));
  qt_quantizer_free(quantizer);
  return t;
}

static void ints_of(int8_t* out, size_t count, const qt_tensor* t) {
  size_t numel = 0;
  CHECK_OK(qt_tensor_numel(&numel, t));
  CHECK_I64(numel, count);
  CHECK_OK(qt_int_repr(out, count, t));
}

static void test_index_select(void) {
  step("index_select: slices in order, repeats, an empty list");
  qt_tensor* q = counting();
  qt_tensor* r = NULL;
  const int64_t last_first[3] = {3, 0, 3};
  CHECK_OK(qt_index_select(&r, q, -1, last_first, 3));
  int8_t ints[18];
  ints_of(ints, 18, r);
  for (int row = 0; row < 6; ++row) {
    CHECK_I64(ints[row * 3], row * 4 + 3);
    CHECK_I64(ints[row * 3 + 1], row * 4);
    CHECK_I64(ints[row * 3 + 2], row * 4 + 3);
  }
  double scale = 0;
  CHECK_OK(qt_tensor_q_scale(&scale, r));
  CHECK_F64(scale, 0.5);
  qt_tensor_free(r);
  r = NULL;
  CHECK_OK(qt_index_select(&r, q, 1, NULL, 0));
  int64_t shape[3];
  CHECK_OK(qt_tensor_shape(shape, 3, r));
  CHECK_I64(shape[1], 0);
  qt_tensor_free(r);
  qt_tensor_free(q);
  step_ok("index_select: slices in order, repeats, an empty list");
}

static void test_per_channel(void) {
  step("per channel: selected channels keep their parameters");
  qt_tensor* q = counting_per_channel();
  qt_tensor* r = NULL;
  const int64_t picked[2] = {2, 0};
  CHECK_OK(qt_index_select(&r, q, 1, picked, 2));
  double scales[2];
  int64_t zero_points[2], axis = -1;
  CHECK_OK(qt_tensor_q_per_channel_scales(scales, 2, r));
  CHECK_OK(qt_tensor_q_per_channel_zero_points(zero_points, 2, r));
  CHECK_OK(qt_tensor_q_per_channel_axis(&axis, r));
  CHECK_F64(scales[0], 0.125);
  CHECK_F64(scales[1], 0.5);
  CHECK_I64(zero_points[0], 3);
  CHECK_I64(zero_points[1], 1);
  CHECK_I64(axis, 1);
  float value = 0;
  /* r[1, 0, 2] is q[1, 2, 2]: integer 22 in channel 2, (22 - 3) * 0.125. */
  CHECK_OK(qt_tensor_get(&value, r, (const int64_t[]){1, 0, 2}, 3));
  CHECK_F32(value, 2.375f);

  qt_tensor* tiled = NULL;
  const int64_t sizes[4] = {2, 1, 2, 1};
  CHECK_OK(qt_repeat(&tiled, q, sizes, 4));
  int64_t shape[4];
  CHECK_OK(qt_tensor_shape(shape, 4, tiled));
  CHECK_I64(shape[0], 2);
  CHECK_I64(shape[2], 6);
  double tiled_scales[6];
  CHECK_OK(qt_tensor_q_per_channel_scales(tiled_scales, 6, tiled));
  CHECK_F64(tiled_scales[4], 0.25);
  /* tiled[1, 0, 5, 3] is q[0, 2, 3]: (11 - 3) * 0.125. */
  CHECK_OK(qt_tensor_get(&value, tiled, (const int64_t[]){1, 0, 5, 3}, 4));
  CHECK_F32(value, 1.0f);

  /* masked_fill_ with each channel's parameters: 0.5 is 1 step of channel
     0 (+1 = 2), 2 of channel 1 (+2 = 4), 4 of channel 2 (+3 = 7). */
  bool mask[24] = {false};
  mask[0] = mask[4] = mask[8] = true;
  CHECK_OK(qt_masked_fill_inplace(q, mask, 24, 0.5f));
  int8_t ints[24];
  ints_of(ints, 24, q);
  CHECK_I64(ints[0], 2);
  CHECK_I64(ints[4], 4);
  CHECK_I64(ints[8], 7);
  CHECK_I64(ints[1], 1);

  qt_tensor* empty = NULL;
  CHECK_OK(qt_empty_like(&empty, q));
  ints_of(ints, 24, empty);
  for (int i = 0; i < 24; ++i) CHECK_I64(ints[i], 0);
  CHECK_OK(qt_tensor_q_per_channel_zero_points(zero_points, 2, r));
  double empty_scales[3];
  CHECK_OK(qt_tensor_q_per_channel_scales(empty_scales, 3, empty));
  CHECK_F64(empty_scales[2], 0.125);
  qt_tensor_free(empty);
  qt_tensor_free(tiled);
  qt_tensor_free(r);
  qt_tensor_free(q);
  step_ok("per channel: selected channels keep their parameters");
}

static void test_writes(void) {
  step("masked_fill_ and index_put_ quantize as torch does");
  qt_tensor* q = counting();
  /* 1.25 / 0.5 = 2.5 rounds to even 2, + 1 = 3 (torch gives 3). */
  bool mask[24] = {false};
  mask[5] = mask[23] = true;
  CHECK_OK(qt_masked_fill_inplace(q, mask, 24, 1.25f));
  int8_t ints[24];
  ints_of(ints, 24, q);
  CHECK_I64(ints[5], 3);
  CHECK_I64(ints[23], 3);
  CHECK_I64(ints[6], 6);
  /* q[-1] = 0.75: 1.5 rounds to even 2, + 1 = 3; a repeated index takes
     its last slice. */
  float values[24];
  for (int i = 0; i < 24; ++i) values[i] = i < 12 ? 100.0f : 0.75f;
  const int64_t rows[2] = {-1, 1};
  CHECK_OK(qt_index_put_inplace(q, 0, rows, 2, values, 24));
  ints_of(ints, 24, q);
  CHECK_I64(ints[12], 3);
  CHECK_I64(ints[0], 0);
  /* Empty lists write nothing. */
  CHECK_OK(qt_index_put_inplace(q, 2, NULL, 0, NULL, 0));
  qt_tensor_free(q);
  step_ok("masked_fill_ and index_put_ quantize as torch does");
}

static void check_message(const char* part) {
  const char* message = qt_last_error_message();
  CHECK(message != NULL && strstr(message, part) != NULL);
}

static void test_bad_input(void) {
  step("bad input: a status and a message, outputs untouched");
  qt_tensor* q = counting();
  qt_tensor* out = kUntouched;
  const int64_t four[1] = {4};
  const int64_t minus_one[1] = {-1};
  CHECK_STATUS(qt_index_select(&out, q, 1, four, 1), QT_ERR_OUT_OF_RANGE);
  check_message("index 4 is out of range for dim 1 of size 3");
  CHECK_STATUS(qt_index_select(&out, q, 1, minus_one, 1), QT_ERR_OUT_OF_RANGE);
  CHECK_STATUS(qt_index_select(&out, q, 3, four, 1), QT_ERR_OUT_OF_RANGE);
  check_message("dimension out of range");
  CHECK_STATUS(qt_index_select(&out, q, 0, NULL, 1), QT_ERR_INVALID_ARGUMENT);
  check_message("indices is NULL");
  CHECK_STATUS(qt_index_select(NULL, q, 0, four, 0), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_index_select(&out, NULL, 0, four, 0), QT_ERR_INVALID_ARGUMENT);
  const int64_t sizes[3] = {1, -1, 1};
  CHECK_STATUS(qt_repeat(&out, q, sizes, 2), QT_ERR_INVALID_ARGUMENT);
  check_message("rank");
  CHECK_STATUS(qt_repeat(&out, q, sizes, 3), QT_ERR_INVALID_ARGUMENT);
  check_message("non-negative");
  const int64_t huge[3] = {INT64_MAX, 1, 1};
  CHECK_STATUS(qt_repeat(&out, q, huge, 3), QT_ERR_OUT_OF_MEMORY);
  CHECK_STATUS(qt_empty_like(&out, NULL), QT_ERR_INVALID_ARGUMENT);
  CHECK(out == kUntouched);

  int8_t before[24], after[24];
  ints_of(before, 24, q);
  bool mask[24] = {true};
  CHECK_STATUS(qt_masked_fill_inplace(q, mask, 23, 1.0f), QT_ERR_SHAPE_MISMATCH);
  check_message("mask of 23 entries");
  CHECK_STATUS(qt_masked_fill_inplace(q, NULL, 24, 1.0f), QT_ERR_INVALID_ARGUMENT);
  float values[12] = {0};
  CHECK_STATUS(qt_index_put_inplace(q, 0, four, 1, values, 12), QT_ERR_OUT_OF_RANGE);
  CHECK_STATUS(qt_index_put_inplace(q, 0, four, 1, values, 11), QT_ERR_SHAPE_MISMATCH);
  check_message("11 values");
  CHECK_STATUS(qt_index_put_inplace(q, 5, four, 1, values, 12), QT_ERR_OUT_OF_RANGE);
  ints_of(after, 24, q);
  CHECK(memcmp(before, after, sizeof before) == 0);
  qt_tensor_free(q);
  step_ok("bad input: a status and a message, outputs untouched");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_index_select();
  test_per_channel();
  test_writes();
  test_bad_input();
  printf("%ld checks passed\n", g_checks);
  return 0;
}

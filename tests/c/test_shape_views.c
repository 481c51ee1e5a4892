/* The shape views of the C ABI (qt_view, qt_reshape, qt_flatten,
   qt_unsqueeze, qt_squeeze, qt_squeeze_dim): shapes, strides, integers and
   shared storage as PyTorch 1.13 gives them, and bad input. */
#include "counting_tensor.h"

static void check_shape(const qt_tensor* t, size_t ndim, const int64_t* shape,
                        const int64_t* strides) {
  size_t got_ndim = 99;
  int64_t got[8], got_strides[8];
  CHECK_OK(qt_tensor_ndim(&got_ndim, t));
  CHECK_I64(got_ndim, ndim);
  CHECK_OK(qt_tensor_shape(got, 8, t));
  CHECK_OK(qt_tensor_strides(got_strides, 8, t));
  for (size_t d = 0; d < ndim; ++d) {
    CHECK_I64(got[d], shape[d]);
    if (strides != NULL) CHECK_I64(got_strides[d], strides[d]);
  }
}

static bool shares(const qt_tensor* a, const qt_tensor* b) {
  bool out = false;
  CHECK_OK(qt_tensor_shares_storage(&out, a, b));
  return out;
}


static void test_view(void) {
  step("view: -1 inferred, strides, shared storage");
  qt_tensor* q = counting();
  qt_tensor* v = NULL;
  const int64_t shape[2] = {6, -1};
  CHECK_OK(qt_view(&v, q, shape, 2));
  check_shape(v, 2, (const int64_t[]){6, 4}, (const int64_t[]){4, 1});
  CHECK(shares(v, q));
  const int64_t index[2] = {1, 0};
  CHECK_OK(qt_tensor_set(v, index, 2, 50.0f)); /* quantized: 1 + 100 */
  int8_t ints[24];
  CHECK_OK(qt_int_repr(ints, sizeof ints, q));
  CHECK_I64(ints[4], 101);
  CHECK_I64(ints[5], 5);
  qt_tensor_free(v);
  qt_tensor_free(q);
  step_ok("view");
}

static void test_reshape_copies_where_no_view_exists(void) {
  step("reshape: a view where one exists, else a copy");
  qt_tensor* q = counting();
  qt_tensor* t = NULL;
  qt_tensor* out = kUntouched;
  CHECK_OK(qt_transpose(&t, q, 0, 1)); /* (3, 2, 4), strides (4, 12, 1) */
  const int64_t flat[1] = {-1};
  CHECK_STATUS(qt_view(&out, t, flat, 1), QT_ERR_SHAPE_MISMATCH);
  CHECK_STR(qt_last_error_message(),
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  CHECK(out == kUntouched);
  qt_tensor* copy = NULL;
  CHECK_OK(qt_reshape(&copy, t, flat, 1));
  check_shape(copy, 1, (const int64_t[]){24}, (const int64_t[]){1});
  CHECK(!shares(copy, q));
  int8_t ints[24];
  CHECK_OK(qt_int_repr(ints, sizeof ints, copy));
  const int8_t expected[8] = {0, 1, 2, 3, 12, 13, 14, 15};
  for (int i = 0; i < 8; ++i) CHECK_I64(ints[i], expected[i]);
  CHECK_I64(ints[8], 4);
  /* A transposed tensor whose last dim stays whole: a view. */
  qt_tensor* rows = NULL;
  const int64_t split[4] = {3, 2, 2, 2};
  CHECK_OK(qt_reshape(&rows, t, split, 4));
  check_shape(rows, 4, split, (const int64_t[]){4, 12, 2, 1});
  CHECK(shares(rows, q));
  qt_tensor_free(rows);
  qt_tensor_free(copy);
  qt_tensor_free(t);
  qt_tensor_free(q);
  step_ok("reshape");
}

static void test_flatten_unsqueeze_squeeze(void) {
  step("flatten, unsqueeze, squeeze");
  qt_tensor* q = counting();
  qt_tensor *all = NULL, *tail = NULL, *u = NULL, *s = NULL, *same = NULL, *dropped = NULL;
  CHECK_OK(qt_flatten(&all, q, 0, -1));
  check_shape(all, 1, (const int64_t[]){24}, (const int64_t[]){1});
  CHECK_OK(qt_flatten(&tail, q, -2, 2));
  check_shape(tail, 2, (const int64_t[]){2, 12}, (const int64_t[]){12, 1});
  CHECK_OK(qt_unsqueeze(&u, q, -1));
  check_shape(u, 4, (const int64_t[]){2, 3, 4, 1}, (const int64_t[]){12, 4, 1, 1});
  CHECK_OK(qt_squeeze(&s, u));
  check_shape(s, 3, (const int64_t[]){2, 3, 4}, (const int64_t[]){12, 4, 1});
  CHECK_OK(qt_squeeze_dim(&same, q, 0)); /* size 2: unchanged */
  check_shape(same, 3, (const int64_t[]){2, 3, 4}, (const int64_t[]){12, 4, 1});
  CHECK_OK(qt_squeeze_dim(&dropped, u, 3));
  check_shape(dropped, 3, (const int64_t[]){2, 3, 4}, (const int64_t[]){12, 4, 1});
  CHECK(shares(all, q) && shares(tail, q) && shares(s, q) && shares(dropped, q));
  qt_tensor_free(all);
  qt_tensor_free(tail);
  qt_tensor_free(u);
  qt_tensor_free(s);
  qt_tensor_free(same);
  qt_tensor_free(dropped);
  qt_tensor_free(q);
  step_ok("flatten, unsqueeze, squeeze");
}

static void test_per_channel(void) {
  step("per-channel: the channel dim is followed, never merged");
  float data[24];
  for (int i = 0; i < 24; ++i) data[i] = 0.37f * (float)i - 2.0f;
  const double scales[3] = {0.05, 0.1, 0.2};
  const int64_t zero_points[3] = {0, 1, 2};
  const int64_t shape[3] = {2, 3, 4};
  qt_quantizer* quantizer = NULL;
  qt_tensor *q = NULL, *v = NULL, *out = kUntouched;
  CHECK_OK(qt_quantizer_new_per_channel(&quantizer, QT_QINT8, scales, zero_points, 3, 1));
  CHECK_OK(qt_quantize(&q, data, shape, 3, quantizer));
  const int64_t leading_one[4] = {1, 2, 3, 4};
  CHECK_OK(qt_view(&v, q, leading_one, 4));
  int64_t axis = -1;
  CHECK_OK(qt_tensor_q_per_channel_axis(&axis, v));
  CHECK_I64(axis, 2); /* torch 1.13 keeps 1, a dim of size 2 */
  float a[24], b[24];
  CHECK_OK(qt_dequantize(a, 24, q));
  CHECK_OK(qt_dequantize(b, 24, v));
  for (int i = 0; i < 24; ++i) CHECK_F32(b[i], a[i]);
  CHECK_STATUS(qt_flatten(&out, q, 0, -1), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "channel dim (dim 1, size 3)") != NULL);
  CHECK(out == kUntouched);
  qt_tensor_free(v);
  qt_tensor_free(q);
  qt_quantizer_free(quantizer);
  step_ok("per-channel");
}

static void test_bad_input(void) {
  step("bad input: statuses and messages; outputs untouched");
  qt_tensor* q = counting();
  qt_tensor* out = kUntouched;
  const int64_t two_unknown[2] = {-1, -1};
  const int64_t below[2] = {-2, -12};
  const int64_t five[1] = {5};
  int64_t many[65];
  for (int i = 0; i < 65; ++i) many[i] = 1;
  CHECK_STATUS(qt_view(NULL, q, five, 1), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_view(&out, NULL, five, 1), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_view(&out, q, NULL, 1), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_view(&out, q, many, 65), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_reshape(&out, q, many, SIZE_MAX), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_view(&out, q, two_unknown, 2), QT_ERR_INVALID_ARGUMENT);
  CHECK_STR(qt_last_error_message(), "only one dimension can be inferred");
  CHECK_STATUS(qt_reshape(&out, q, below, 2), QT_ERR_INVALID_ARGUMENT);
  CHECK_STR(qt_last_error_message(), "invalid shape dimension -2");
  CHECK_STATUS(qt_reshape(&out, q, five, 1), QT_ERR_SHAPE_MISMATCH);
  CHECK_STR(qt_last_error_message(), "shape '[5]' is invalid for input of size 24");
  CHECK_STATUS(qt_view(&out, q, NULL, 0), QT_ERR_SHAPE_MISMATCH); /* () holds 1 */
  CHECK_STATUS(qt_unsqueeze(&out, q, 4), QT_ERR_OUT_OF_RANGE);
  CHECK_STR(qt_last_error_message(),
            "dimension out of range (expected to be in range of [-4, 3], but got 4)");
  CHECK_STATUS(qt_unsqueeze(&out, q, INT64_MIN), QT_ERR_OUT_OF_RANGE);
  CHECK_STATUS(qt_squeeze_dim(&out, q, 3), QT_ERR_OUT_OF_RANGE);
  CHECK_STATUS(qt_flatten(&out, q, 0, 3), QT_ERR_OUT_OF_RANGE);
  CHECK_STATUS(qt_flatten(&out, q, 2, 1), QT_ERR_INVALID_ARGUMENT);
  CHECK_STR(qt_last_error_message(),
            "flatten() has invalid args: start_dim cannot come after end_dim");
  CHECK_STATUS(qt_squeeze(NULL, q), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_squeeze(&out, NULL), QT_ERR_INVALID_ARGUMENT);
  const int64_t huge[3] = {INT64_MAX, INT64_MAX, 0};
  CHECK_STATUS(qt_view(&out, q, huge, 3), QT_ERR_SHAPE_MISMATCH);
  CHECK(out == kUntouched);
  qt_tensor_free(q);
  step_ok("bad input");
}

static void test_empty(void) {
  step("zero-size dims and 0-dim tensors");
  qt_quantizer* quantizer = NULL;
  qt_tensor *e = NULL, *v = NULL, *out = kUntouched;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, QT_QUINT8, 0.25, 3));
  CHECK_OK(qt_empty_quantized(&e, (const int64_t[]){0, 3}, 2, quantizer));
  CHECK_OK(qt_view(&v, e, (const int64_t[]){3, -1}, 2));
  check_shape(v, 2, (const int64_t[]){3, 0}, (const int64_t[]){1, 1});
  CHECK_STATUS(qt_view(&out, e, (const int64_t[]){0, -1}, 2), QT_ERR_SHAPE_MISMATCH);
  CHECK_STR(qt_last_error_message(),
            "cannot reshape tensor of 0 elements into shape [0, -1] because the unspecified "
            "dimension size -1 can be any value and is ambiguous");
  CHECK(out == kUntouched);
  qt_tensor *scalar = NULL, *one = NULL, *flat = NULL;
  CHECK_OK(qt_empty_quantized(&scalar, NULL, 0, quantizer));
  CHECK_OK(qt_unsqueeze(&one, scalar, -1));
  check_shape(one, 1, (const int64_t[]){1}, (const int64_t[]){1});
  CHECK_OK(qt_flatten(&flat, scalar, 0, -1));
  check_shape(flat, 1, (const int64_t[]){1}, (const int64_t[]){1});
  qt_tensor_free(flat);
  qt_tensor_free(one);
  qt_tensor_free(scalar);
  qt_tensor_free(v);
  qt_tensor_free(e);
  qt_quantizer_free(quantizer);
  step_ok("zero-size dims");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_view();
  test_reshape_copies_where_no_view_exists();
  test_flatten_unsqueeze_squeeze();
  test_per_channel();
  test_bad_input();
  test_empty();
  printf("%ld checks passed\n", g_checks);
  return 0;
}

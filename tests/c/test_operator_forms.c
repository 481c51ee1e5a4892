/* The operators' in-place, out= and scalar forms through the C ABI: values
   PyTorch 1.13 gives on the same inputs (torch.ops.quantized.add_scalar /
   mul_scalar and their relu forms), and each written form equal to the
   allocating one. */
#include "check.h"

static const int64_t kShape5[1] = {5};
static const int64_t kShape23[2] = {2, 3};

/* The n integers of a quint8 tensor, with its scale and zero point. */
static void check_u8(const qt_tensor* t, const uint8_t* expected, size_t n, double scale,
                     int64_t zero_point) {
  uint8_t ints[16];
  CHECK_OK(qt_int_repr(ints, sizeof ints, t));
  for (size_t i = 0; i < n; ++i) CHECK_I64(ints[i], expected[i]);
  double got_scale = 0.0;
  int64_t got_zero_point = 0;
  CHECK_OK(qt_tensor_q_scale(&got_scale, t));
  CHECK_OK(qt_tensor_q_zero_point(&got_zero_point, t));
  CHECK(got_scale == scale);
  CHECK_I64(got_zero_point, zero_point);
}

/* torch.quantize_per_tensor([-1, 0, 0.5, 1, 2], 0.1, 10, torch.quint8) and
   the scalar operators with -3.0, as torch prints them. */
static void test_scalar_forms_match_torch(void) {
  const uint8_t ints[5] = {0, 10, 15, 20, 30};
  qt_tensor* q = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&q, ints, kShape5, 1, 0.1, 10));
  qt_tensor* r = NULL;
  CHECK_OK(qt_add_scalar(&r, q, -3.0)); /* only the zero point moves */
  check_u8(r, ints, 5, 0.1, 40);
  qt_tensor_free(r);
  const uint8_t add_relu[5] = {40, 40, 40, 40, 40};
  CHECK_OK(qt_add_scalar_relu(&r, q, -3.0));
  check_u8(r, add_relu, 5, 0.1, 40);
  qt_tensor_free(r);
  const uint8_t mul[5] = {255, 245, 240, 235, 225}; /* mirrored */
  CHECK_OK(qt_mul_scalar(&r, q, -3.0));
  check_u8(r, mul, 5, 3.0 * 0.1, 245);
  qt_tensor_free(r);
  const uint8_t mul_relu[5] = {255, 245, 245, 245, 245};
  CHECK_OK(qt_mul_scalar_relu(&r, q, -3.0));
  check_u8(r, mul_relu, 5, 3.0 * 0.1, 245);
  qt_tensor_free(r);
  const uint8_t zeros[5] = {0, 0, 0, 0, 0};
  CHECK_OK(qt_mul_scalar(&r, q, 0.0));
  check_u8(r, zeros, 5, 1.0, 0);
  qt_tensor_free(r);
  /* + 30.0 is 300 steps: the range stretches to (255 + 290) / 255 * 0.1 with
     zero point 0, and torch gives these integers. */
  const uint8_t stretched[5] = {136, 140, 143, 145, 150};
  CHECK_OK(qt_add_scalar(&r, q, 30.0));
  check_u8(r, stretched, 5, (255.0 + 290.0) / 255.0 * 0.1, 0);
  qt_tensor_free(r);
  qt_tensor_free(q);
}

/* Two quint8 (2, 3) tensors equal integer for integer. */
static void check_same(const qt_tensor* a, const qt_tensor* b) {
  uint8_t x[6], y[6];
  CHECK_OK(qt_int_repr(x, sizeof x, a));
  CHECK_OK(qt_int_repr(y, sizeof y, b));
  for (int i = 0; i < 6; ++i) CHECK_I64(x[i], y[i]);
}

static void test_written_forms_equal_allocating_ones(void) {
  const uint8_t a_ints[6] = {0, 50, 100, 150, 200, 250};
  const uint8_t b_ints[6] = {255, 128, 7, 64, 3, 90};
  qt_tensor *a = NULL, *b = NULL, *out = NULL, *expected = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&a, a_ints, kShape23, 2, 0.05, 100));
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&b, b_ints, kShape23, 2, 0.07, 120));
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&out, a_ints, kShape23, 2, 0.09, 110));
  qt_status (*const allocating[4])(qt_tensor**, const qt_tensor*, const qt_tensor*, double,
                                   int64_t) = {qt_add, qt_add_relu, qt_mul, qt_mul_relu};
  qt_status (*const written[4])(qt_tensor*, const qt_tensor*, const qt_tensor*) = {
      qt_add_out, qt_add_relu_out, qt_mul_out, qt_mul_relu_out};
  for (int i = 0; i < 4; ++i) {
    CHECK_OK(allocating[i](&expected, a, b, 0.09, 110));
    CHECK_OK(written[i](out, a, b));
    check_same(out, expected);
    qt_tensor_free(expected);
  }
  /* out may be an input: a += b with a's parameters. */
  CHECK_OK(qt_add(&expected, a, b, 0.05, 100));
  CHECK_OK(qt_add_out(a, a, b));
  check_same(a, expected);
  qt_tensor_free(expected);

  /* In place equals the allocating form, also through a transposed view. */
  qt_tensor* view = NULL;
  CHECK_OK(qt_transpose(&view, b, 0, 1));
  CHECK_OK(qt_leaky_relu(&expected, view, 0.25f));
  CHECK_OK(qt_leaky_relu_inplace(view, 0.25f));
  uint8_t x[6], y[6];
  CHECK_OK(qt_int_repr(x, sizeof x, view));
  CHECK_OK(qt_int_repr(y, sizeof y, expected));
  for (int i = 0; i < 6; ++i) CHECK_I64(x[i], y[i]);
  CHECK_I64(x[1], 106); /* b[1][0] = 64: (64 - 120) * 0.25 = -14 steps, as torch */
  qt_tensor_free(expected);
  CHECK_OK(qt_clamp(&expected, b, -1.0f, 0.5f));
  CHECK_OK(qt_clamp_inplace(b, -1.0f, 0.5f));
  check_same(b, expected);
  qt_tensor_free(expected);
  CHECK_OK(qt_relu6(&expected, a));
  CHECK_OK(qt_relu6_inplace(a));
  check_same(a, expected);
  qt_tensor_free(expected);

  /* cat_out into a (4, 3) tensor with its own parameters. */
  const int64_t shape43[2] = {4, 3};
  qt_tensor* joined = NULL;
  qt_quantizer* parameters = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&parameters, QT_QUINT8, 0.04, 90));
  CHECK_OK(qt_empty_quantized(&joined, shape43, 2, parameters));
  const qt_tensor* pair[2] = {a, b};
  CHECK_OK(qt_cat(&expected, pair, 2, 0, parameters));
  CHECK_OK(qt_cat_out(joined, pair, 2, 0));
  uint8_t p[12], r[12];
  CHECK_OK(qt_int_repr(p, sizeof p, joined));
  CHECK_OK(qt_int_repr(r, sizeof r, expected));
  for (int i = 0; i < 12; ++i) CHECK_I64(p[i], r[i]);
  qt_tensor_free(expected);
  qt_quantizer_free(parameters);
  qt_tensor_free(joined);
  qt_tensor_free(view);
  qt_tensor_free(out);
  qt_tensor_free(b);
  qt_tensor_free(a);
}

int main(void) {
  test_scalar_forms_match_torch();
  test_written_forms_equal_allocating_ones();
  printf("c_operator_forms: %ld checks passed\n", g_checks);
  return 0;
}

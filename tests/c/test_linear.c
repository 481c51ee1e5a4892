/* Quantized linear layers through the C ABI: PyTorch 1.13's integers for a
   small layer (torch.ops.quantized.linear / linear_relu, per tensor and per
   channel), the packed weights read back, leading dims, and bad input. */
#include <math.h>

#include "check.h"

static const int64_t kInputShape[2] = {2, 3};
static const int64_t kWeightShape[2] = {4, 3};
static const uint8_t kInput[6] = {0, 10, 255, 128, 7, 200};
static const int8_t kWeight[12] = {1, -2, 3, 127, -128, 0, 5, 5, 5, -7, 0, 9};
static const float kBias[4] = {0.5f, -1.0f, 0.0f, 2.25f};

static void check_ints(const qt_tensor* t, const uint8_t* expected, size_t n) {
  uint8_t ints[16];
  CHECK_OK(qt_int_repr(ints, sizeof ints, t));
  for (size_t i = 0; i < n; ++i) CHECK_I64(ints[i], expected[i]);
}

static qt_tensor* weight_per_channel(void) {
  const double scales[4] = {0.02, 0.01, 0.03, 0.005};
  const int64_t zeros[4] = {0, 0, 0, 0};
  qt_quantizer* q = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&q, QT_QINT8, scales, zeros, 4, 0));
  qt_tensor* w = NULL;
  CHECK_OK(qt_from_int_repr(&w, kWeight, sizeof kWeight, kWeightShape, 2, q));
  qt_quantizer_free(q);
  return w;
}

/* x = torch._make_per_tensor_quantized_tensor(kInput, 0.05, 10), the weight
   per tensor (0.02, 0) or per channel, bias kBias, output (0.03, 100). */
static void test_matches_torch(void) {
  qt_tensor *x = NULL, *w = NULL, *y = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&x, kInput, kInputShape, 2, 0.05, 10));
  CHECK_OK(qt_make_per_tensor_quantized_int8(&w, kWeight, kWeightShape, 2, 0.02, 0));
  qt_packed_linear* packed = NULL;
  CHECK_OK(qt_linear_prepack(&packed, w, kBias, 4));
  CHECK_OK(qt_linear(&y, x, packed, 0.03, 100));
  const uint8_t plain[8] = {141, 24, 139, 251, 140, 255, 151, 204};
  check_ints(y, plain, 8);
  qt_tensor_free(y);
  CHECK_OK(qt_linear_relu(&y, x, packed, 0.03, 100));
  const uint8_t relu[8] = {141, 100, 139, 251, 140, 255, 151, 204};
  check_ints(y, relu, 8);
  qt_tensor_free(y);
  qt_packed_linear_free(packed);

  qt_tensor* wc = weight_per_channel();
  CHECK_OK(qt_linear_prepack(&packed, wc, kBias, 4));
  CHECK_OK(qt_linear(&y, x, packed, 0.03, 100));
  /* qnnpack's integers; onednn gives 46 for the second (its bias is added
     in float after the scaling: docs/numerics.md). */
  const uint8_t per_channel[8] = {141, 45, 159, 194, 140, 255, 176, 182};
  check_ints(y, per_channel, 8);
  qt_tensor_free(y);
  qt_packed_linear_free(packed);
  qt_tensor_free(wc);
  qt_tensor_free(w);
  qt_tensor_free(x);
}

static void test_reads_back_and_takes_leading_dims(void) {
  qt_tensor *w = NULL, *back = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int8(&w, kWeight, kWeightShape, 2, 0.02, 0));
  qt_packed_linear* packed = NULL;
  CHECK_OK(qt_linear_prepack(&packed, w, kBias, 4));
  qt_tensor_free(w); /* the packed weights keep their own copy */
  size_t in = 0, out = 0, count = 0;
  CHECK_OK(qt_packed_linear_in_features(&in, packed));
  CHECK_OK(qt_packed_linear_out_features(&out, packed));
  CHECK(in == 3 && out == 4);
  float bias[4] = {0};
  CHECK_OK(qt_packed_linear_bias(NULL, 0, &count, packed));
  CHECK(count == 4);
  CHECK_OK(qt_packed_linear_bias(bias, 4, &count, packed));
  for (int i = 0; i < 4; ++i) CHECK(bias[i] == kBias[i]);
  CHECK_OK(qt_packed_linear_weight(&back, packed));
  int8_t ints[12];
  CHECK_OK(qt_int_repr(ints, sizeof ints, back));
  CHECK(memcmp(ints, kWeight, sizeof ints) == 0);
  double scale = 0.0;
  CHECK_OK(qt_tensor_q_scale(&scale, back));
  CHECK(scale == 0.02);
  qt_tensor_free(back);

  /* [1, 2, 3] in, [1, 2, 4] out: the rows of test_matches_torch. */
  const int64_t shape3[3] = {1, 2, 3};
  qt_tensor *x = NULL, *y = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&x, kInput, shape3, 3, 0.05, 10));
  CHECK_OK(qt_linear(&y, x, packed, 0.03, 100));
  int64_t got_shape[3];
  CHECK_OK(qt_tensor_shape(got_shape, 3, y));
  CHECK(got_shape[0] == 1 && got_shape[1] == 2 && got_shape[2] == 4);
  const uint8_t plain[8] = {141, 24, 139, 251, 140, 255, 151, 204};
  check_ints(y, plain, 8);
  qt_tensor_free(y);
  qt_tensor_free(x);
  qt_packed_linear_free(packed);
  qt_packed_linear_free(NULL);
}

static void test_bad_input(void) {
  qt_tensor *x = NULL, *w = NULL, *wu = NULL, *y = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&x, kInput, kInputShape, 2, 0.05, 10));
  CHECK_OK(qt_make_per_tensor_quantized_int8(&w, kWeight, kWeightShape, 2, 0.02, 0));
  const uint8_t weight_u8[12] = {0};
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&wu, weight_u8, kWeightShape, 2, 0.02, 0));
  qt_packed_linear* packed = NULL;
  CHECK_STATUS(qt_linear_prepack(NULL, w, NULL, 0), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_linear_prepack(&packed, NULL, NULL, 0), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_linear_prepack(&packed, wu, NULL, 0), QT_ERR_TYPE_MISMATCH);
  CHECK_STATUS(qt_linear_prepack(&packed, w, kBias, 3), QT_ERR_SHAPE_MISMATCH);
  CHECK_STATUS(qt_linear_prepack(&packed, w, NULL, 4), QT_ERR_INVALID_ARGUMENT);
  CHECK(packed == NULL);
  CHECK_OK(qt_linear_prepack(&packed, w, NULL, 0));
  CHECK_STATUS(qt_linear(&y, x, NULL, 0.1, 0), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_linear(&y, NULL, packed, 0.1, 0), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_linear(NULL, x, packed, 0.1, 0), QT_ERR_INVALID_ARGUMENT);
  const int64_t flat[1] = {6};
  const int32_t ints32[6] = {0};
  qt_tensor *x6 = NULL, *x32 = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&x6, kInput, flat, 1, 0.05, 10));
  CHECK_OK(qt_make_per_tensor_quantized_int32(&x32, ints32, kInputShape, 2, 0.05, 0));
  CHECK_STATUS(qt_linear(&y, x6, packed, 0.1, 0), QT_ERR_SHAPE_MISMATCH);
  CHECK_STATUS(qt_linear(&y, x32, packed, 0.1, 0), QT_ERR_TYPE_MISMATCH);
  qt_tensor_free(x32);
  qt_tensor_free(x6);
  CHECK_STATUS(qt_linear(&y, x, packed, 0.0, 0), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_linear(&y, x, packed, 0.1, 300), QT_ERR_INVALID_ARGUMENT);
  CHECK(y == NULL);
  size_t count = 7;
  CHECK_STATUS(qt_packed_linear_bias(NULL, 1, &count, packed), QT_ERR_INVALID_ARGUMENT);
  CHECK_OK(qt_packed_linear_bias(NULL, 0, &count, packed));
  CHECK(count == 0);
  qt_packed_linear_free(packed);
  qt_tensor_free(wu);
  qt_tensor_free(w);
  qt_tensor_free(x);
}

/* torch.ops.quantized.linear_dynamic(x, packed, False) with qnnpack, bit for
   bit (onednn's second value is one ulp away). */
static void test_dynamic_matches_torch(void) {
  const float x[6] = {0.5f, -1.25f, 3.0f, 2.0f, 0.0f, -0.75f};
  const float expected[8] = {0x1.7ae148p-1f, 0x1.bc28f4p+1f, 0x1.ccccccp-3f, 0x1.5c28f6p+1f,
                             0x1.fae148p-2f, 0x1.051eb8p+2f, 0x1.0p-3f,      0x1.d5c29p+0f};
  qt_tensor* w = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int8(&w, kWeight, kWeightShape, 2, 0.02, 0));
  qt_packed_linear* packed = NULL;
  CHECK_OK(qt_linear_prepack(&packed, w, kBias, 4));
  float y[9];
  y[8] = 42.0f;
  CHECK_OK(qt_linear_dynamic(y, 9, x, kInputShape, 2, packed, false));
  for (int i = 0; i < 8; ++i) CHECK(memcmp(&y[i], &expected[i], sizeof(float)) == 0);
  CHECK(y[8] == 42.0f);
  CHECK_STATUS(qt_linear_dynamic(y, 7, x, kInputShape, 2, packed, false),
               QT_ERR_INVALID_ARGUMENT); /* capacity */
  const int64_t wrong[2] = {3, 2};
  CHECK_STATUS(qt_linear_dynamic(y, 9, x, wrong, 2, packed, false), QT_ERR_SHAPE_MISMATCH);
  const float nan_x[6] = {0.5f, NAN, 3.0f, 2.0f, 0.0f, -0.75f};
  CHECK_STATUS(qt_linear_dynamic(y, 9, nan_x, kInputShape, 2, packed, false),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_linear_dynamic(y, 9, NULL, kInputShape, 2, packed, false),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_linear_dynamic(y, 9, x, kInputShape, 2, NULL, false), QT_ERR_INVALID_ARGUMENT);
  qt_packed_linear_free(packed);
  qt_tensor_free(w);
}

int main(void) {
  test_dynamic_matches_torch();
  test_matches_torch();
  test_reads_back_and_takes_leading_dims();
  test_bad_input();
  printf("%ld checks passed\n", g_checks);
  return 0;
}

/* Quantized 2-D convolutions through the C ABI: PyTorch 1.13's integers
   (torch.ops.quantized.conv2d / conv2d_relu, stride 2, padding 1), the
   packed weights and settings read back, and bad input. */
#include "check.h"

static const int64_t kInputShape[4] = {1, 2, 4, 4};
static const int64_t kWeightShape[4] = {3, 2, 3, 3};
static const float kBias[3] = {0.25f, -0.5f, 1.0f};
static const int64_t kStride[2] = {2, 2};
static const int64_t kPadding[2] = {1, 1};
static const int64_t kDilation[2] = {1, 1};

/* x: 7 * arange(32) as quint8 (0.05, 20); w: (37 * arange(54)) % 255 - 127
   as qint8 (0.01, 0). */
static void make_inputs(qt_tensor** x, qt_tensor** w) {
  uint8_t xs[32];
  int8_t ws[54];
  for (int i = 0; i < 32; ++i) xs[i] = (uint8_t)(7 * i);
  for (int i = 0; i < 54; ++i) ws[i] = (int8_t)(37 * i % 255 - 127);
  CHECK_OK(qt_make_per_tensor_quantized_uint8(x, xs, kInputShape, 4, 0.05, 20));
  CHECK_OK(qt_make_per_tensor_quantized_int8(w, ws, kWeightShape, 4, 0.01, 0));
}

static void check_ints(const qt_tensor* t, const uint8_t* expected, size_t n) {
  uint8_t ints[32];
  CHECK_OK(qt_int_repr(ints, sizeof ints, t));
  for (size_t i = 0; i < n; ++i) CHECK_I64(ints[i], expected[i]);
}

static void test_matches_torch(void) {
  qt_tensor *x = NULL, *w = NULL, *y = NULL;
  make_inputs(&x, &w);
  qt_packed_conv2d* packed = NULL;
  CHECK_OK(qt_conv2d_prepack(&packed, w, kBias, 3, kStride, kPadding, kDilation, 1));
  CHECK_OK(qt_conv2d(&y, x, packed, 0.1, 128));
  int64_t shape[4];
  CHECK_OK(qt_tensor_shape(shape, 4, y));
  CHECK(shape[0] == 1 && shape[1] == 3 && shape[2] == 2 && shape[3] == 2);
  const uint8_t plain[12] = {68, 40, 12, 0, 157, 195, 61, 144, 80, 112, 157, 206};
  check_ints(y, plain, 12);
  qt_tensor_free(y);
  CHECK_OK(qt_conv2d_relu(&y, x, packed, 0.1, 128));
  const uint8_t relu[12] = {128, 128, 128, 128, 157, 195, 128, 144, 128, 128, 157, 206};
  check_ints(y, relu, 12);
  qt_tensor_free(y);

  int64_t stride[2], padding[2], dilation[2], groups = 0;
  CHECK_OK(qt_packed_conv2d_settings(stride, padding, dilation, &groups, packed));
  CHECK(stride[0] == 2 && stride[1] == 2 && padding[0] == 1 && padding[1] == 1);
  CHECK(dilation[0] == 1 && dilation[1] == 1 && groups == 1);
  CHECK_OK(qt_packed_conv2d_settings(NULL, NULL, NULL, &groups, packed));
  float bias[3];
  size_t count = 0;
  CHECK_OK(qt_packed_conv2d_bias(bias, 3, &count, packed));
  CHECK(count == 3 && bias[0] == kBias[0] && bias[2] == kBias[2]);
  qt_tensor* back = NULL;
  CHECK_OK(qt_packed_conv2d_weight(&back, packed));
  CHECK_OK(qt_tensor_shape(shape, 4, back));
  CHECK(shape[0] == 3 && shape[1] == 2 && shape[2] == 3 && shape[3] == 3);
  qt_tensor_free(back);
  qt_packed_conv2d_free(packed);
  qt_packed_conv2d_free(NULL);
  qt_tensor_free(w);
  qt_tensor_free(x);
}

static void test_bad_input(void) {
  qt_tensor *x = NULL, *w = NULL, *y = NULL;
  make_inputs(&x, &w);
  qt_packed_conv2d* packed = NULL;
  const int64_t zero[2] = {0, 0};
  const int64_t negative[2] = {-1, 0};
  CHECK_STATUS(qt_conv2d_prepack(&packed, w, NULL, 0, zero, kPadding, kDilation, 1),
               QT_ERR_INVALID_ARGUMENT); /* stride 0: PyTorch 1.13 crashes */
  CHECK_STATUS(qt_conv2d_prepack(&packed, w, NULL, 0, kStride, negative, kDilation, 1),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_conv2d_prepack(&packed, w, NULL, 0, kStride, kPadding, zero, 1),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_conv2d_prepack(&packed, w, NULL, 0, kStride, kPadding, kDilation, 2),
               QT_ERR_INVALID_ARGUMENT); /* 2 does not divide 3 */
  CHECK_STATUS(qt_conv2d_prepack(&packed, w, NULL, 0, NULL, kPadding, kDilation, 1),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_conv2d_prepack(&packed, w, kBias, 2, kStride, kPadding, kDilation, 1),
               QT_ERR_SHAPE_MISMATCH);
  CHECK_STATUS(qt_conv2d_prepack(&packed, x, NULL, 0, kStride, kPadding, kDilation, 1),
               QT_ERR_TYPE_MISMATCH);
  CHECK(packed == NULL);
  CHECK_OK(qt_conv2d_prepack(&packed, w, NULL, 0, kStride, kPadding, kDilation, 1));
  const int64_t three_channels[4] = {1, 3, 2, 2};
  const uint8_t twelve[12] = {0};
  qt_tensor* x3 = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&x3, twelve, three_channels, 4, 0.1, 0));
  CHECK_STATUS(qt_conv2d(&y, x3, packed, 0.1, 0), QT_ERR_SHAPE_MISMATCH);
  qt_tensor_free(x3);
  CHECK_STATUS(qt_conv2d(&y, x, NULL, 0.1, 0), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_conv2d(&y, x, packed, 0.1, -1), QT_ERR_INVALID_ARGUMENT);
  CHECK(y == NULL);
  qt_packed_conv2d_free(packed);
  qt_tensor_free(w);
  qt_tensor_free(x);
}

int main(void) {
  test_matches_torch();
  test_bad_input();
  printf("%ld checks passed\n", g_checks);
  return 0;
}

/* The storage dtypes through the C ABI: sizes and bits, a quint4x2 tensor
   made from packed bytes as PyTorch keeps them, its unpacked int_repr, a
   view starting inside a byte, qt_packed_repr and qt_tensor_data, qint16
   through a file, and the errors. */
#include <math.h>

#include "check.h"

static void test_sizes_and_bits(void) {
  CHECK_I64(qt_dtype_size(QT_QINT16), 2);
  CHECK_I64(qt_dtype_bits(QT_QINT16), 16);
  CHECK_I64(qt_dtype_size(QT_QUINT16), 2);
  CHECK_I64(qt_dtype_size(QT_QUINT4X2), 1);
  CHECK_I64(qt_dtype_bits(QT_QUINT4X2), 4);
  CHECK_I64(qt_dtype_bits(QT_QUINT2X4), 2);
  CHECK_I64(qt_dtype_bits(QT_QINT4), 4);
  CHECK_I64(qt_dtype_bits(QT_QINT8), 8);
  CHECK_I64(qt_dtype_bits(QT_QINT32), 32);
  CHECK(strcmp(qt_dtype_name(QT_QUINT4X2), "quint4x2") == 0);
  CHECK(strcmp(qt_dtype_name(QT_QINT4), "qint4") == 0);
}

static void test_packed_quint4x2(void) {
  /* torch.quantize_per_tensor([-1, 0, .5, 1.2, 3, 7.9], .5, 2, torch.quint4x2)
     keeps the bytes 32, 67, 248. */
  const uint8_t packed[3] = {32, 67, 248};
  const int64_t shape[1] = {6};
  qt_quantizer* quantizer = NULL;
  qt_tensor* q = NULL;
  qt_tensor* tail = NULL;
  qt_tensor* copy = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, QT_QUINT4X2, 0.5, 2));
  CHECK_OK(qt_from_packed(&q, packed, sizeof packed, shape, 1, quantizer));
  uint8_t ints[6] = {0};
  CHECK_OK(qt_int_repr(ints, sizeof ints, q));
  const uint8_t expected_ints[6] = {0, 2, 3, 4, 8, 15};
  CHECK(memcmp(ints, expected_ints, sizeof ints) == 0);
  float values[6];
  CHECK_OK(qt_dequantize(values, 6, q));
  CHECK_F32(values[5], 6.5f);
  CHECK_F32(values[0], -1.0f);

  /* Elements 1..5 start inside the first byte: repacked from the first bit. */
  CHECK_OK(qt_slice(&tail, q, 0, 1, 6, 1));
  uint8_t repacked[3] = {0xAA, 0xAA, 0xAA};
  CHECK_OK(qt_packed_repr(repacked, 3, tail));
  CHECK_I64(repacked[0], 2 | 3 << 4);
  CHECK_I64(repacked[1], 4 | 8 << 4);
  CHECK_I64(repacked[2], 15);
  void* data = NULL;
  size_t bytes = 0;
  CHECK_STATUS(qt_tensor_data(&data, &bytes, tail), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "inside a byte") != NULL);
  CHECK_OK(qt_contiguous(&copy, tail));
  CHECK_OK(qt_tensor_data(&data, &bytes, copy));
  CHECK_I64(bytes, 3);
  CHECK(memcmp(data, repacked, 3) == 0);
  CHECK_OK(qt_tensor_data(&data, &bytes, q));
  CHECK_I64(bytes, 3);
  CHECK(memcmp(data, packed, 3) == 0);

  /* Errors: too small a buffer, wrong sizes, unused bits set, bad values. */
  CHECK_STATUS(qt_packed_repr(repacked, 2, tail), QT_ERR_INVALID_ARGUMENT);
  qt_tensor* bad = NULL;
  CHECK_STATUS(qt_from_packed(&bad, packed, 2, shape, 1, quantizer), QT_ERR_SHAPE_MISMATCH);
  const int64_t five[1] = {5};
  CHECK_STATUS(qt_from_packed(&bad, packed, 3, five, 1, quantizer), QT_ERR_CORRUPT_DATA);
  const uint8_t out_of_range[2] = {3, 16};
  const int64_t two[1] = {2};
  CHECK_STATUS(qt_from_int_repr(&bad, out_of_range, 2, two, 1, quantizer), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "outside quint4x2's range [0, 15]") != NULL);
  CHECK_STATUS(qt_from_packed(&bad, NULL, 3, shape, 1, quantizer), QT_ERR_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  qt_tensor_free(copy);
  qt_tensor_free(tail);
  qt_tensor_free(q);
  qt_quantizer_free(quantizer);
}

static void test_qint16_file_and_operators(void) {
  const float x[4] = {-40000.0f, -1.5f, 2.5f, 40000.0f};
  const int64_t shape[1] = {4};
  qt_tensor* q = NULL;
  qt_tensor* back = NULL;
  qt_tensor* sum = NULL;
  CHECK_OK(qt_quantize_per_tensor(&q, x, shape, 1, 1.0, 3, QT_QINT16));
  int16_t ints[4];
  CHECK_OK(qt_int_repr(ints, sizeof ints, q));
  CHECK_I64(ints[0], -32768);
  CHECK_I64(ints[1], 1); /* nearbyint(-1.5) = -2, + 3 */
  CHECK_I64(ints[2], 5); /* nearbyint(2.5) = 2, + 3 */
  CHECK_I64(ints[3], 32767);
  uint8_t* bytes = NULL;
  size_t size = 0;
  CHECK_OK(qt_serialize(&bytes, &size, q));
  CHECK_OK(qt_deserialize(&back, bytes, size));
  int16_t read[4];
  CHECK_OK(qt_int_repr(read, sizeof read, back));
  CHECK(memcmp(read, ints, sizeof ints) == 0);
  qt_dtype dtype = QT_QINT8;
  CHECK_OK(qt_tensor_dtype(&dtype, back));
  CHECK_I64(dtype, QT_QINT16);
  CHECK_STATUS(qt_add(&sum, q, q, 1.0, 0), QT_ERR_TYPE_MISMATCH);
  CHECK(strstr(qt_last_error_message(), "requantize") != NULL);
  CHECK(sum == NULL);
  qt_buffer_free(bytes);
  qt_tensor_free(back);
  qt_tensor_free(q);
}

static void test_onnx_rounding(void) {
  /* 0.273939937f / 0.00214854861f is 127.4999...: ONNX's division rounds to
     127, PyTorch's multiplication by the reciprocal to 128. */
  const float x[2] = {0.273939937f, NAN};
  const int64_t shape[1] = {2};
  qt_quantizer* pytorch = NULL;
  qt_quantizer* onnx = NULL;
  qt_tensor* q = NULL;
  qt_rounding rounding = QT_ROUNDING_ONNX;
  CHECK_OK(qt_quantizer_new_per_tensor(&pytorch, QT_QUINT8, 0.00214854861f, 10));
  CHECK_OK(qt_quantizer_rounding(&rounding, pytorch));
  CHECK_I64(rounding, QT_ROUNDING_PYTORCH);
  CHECK_OK(qt_quantizer_with_rounding(&onnx, pytorch, QT_ROUNDING_ONNX));
  CHECK_OK(qt_quantizer_rounding(&rounding, onnx));
  CHECK_I64(rounding, QT_ROUNDING_ONNX);
  CHECK(strcmp(qt_rounding_name(QT_ROUNDING_ONNX), "onnx") == 0);
  CHECK(strcmp(qt_rounding_name(QT_ROUNDING_PYTORCH), "pytorch") == 0);
  CHECK(strcmp(qt_rounding_name(QT_ROUNDING_GGUF), "gguf") == 0);
  CHECK(qt_rounding_name((qt_rounding)4) == NULL);

  uint8_t ints[2];
  CHECK_OK(qt_quantize(&q, x, shape, 1, pytorch));
  CHECK_OK(qt_int_repr(ints, sizeof ints, q));
  CHECK_I64(ints[0], 138);
  CHECK_I64(ints[1], 10); /* NaN -> the zero point */
  qt_tensor_free(q);
  CHECK_OK(qt_quantize(&q, x, shape, 1, onnx));
  CHECK_OK(qt_int_repr(ints, sizeof ints, q));
  CHECK_I64(ints[0], 137);
  CHECK_I64(ints[1], 0); /* NaN -> qmin, as ONNX Runtime gives it */
  qt_tensor_free(q);

  qt_quantizer* bad = NULL;
  CHECK_STATUS(qt_quantizer_with_rounding(&bad, pytorch, (qt_rounding)7), QT_ERR_INVALID_ARGUMENT);
  qt_quantizer* wide = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&wide, QT_QINT32, 1.0, 0));
  CHECK_STATUS(qt_quantizer_with_rounding(&bad, wide, QT_ROUNDING_ONNX), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_quantizer_with_rounding(NULL, wide, QT_ROUNDING_ONNX), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_quantizer_rounding(&rounding, NULL), QT_ERR_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  qt_quantizer_free(wide);
  qt_quantizer_free(onnx);
  qt_quantizer_free(pytorch);
}

static void test_scale_types(void) {
  qt_quantizer* plain = NULL;
  qt_quantizer* half = NULL;
  qt_quantizer* bad = NULL;
  qt_scale_type type = QT_SCALE_FLOAT16;
  CHECK_OK(qt_quantizer_new_per_tensor(&plain, QT_QUINT4, 0.0999755859375, 8));
  CHECK_OK(qt_quantizer_scale_type(&type, plain));
  CHECK_I64(type, QT_SCALE_FLOAT64);
  CHECK_OK(qt_quantizer_with_scale_type(&half, plain, QT_SCALE_FLOAT16));
  CHECK_OK(qt_quantizer_scale_type(&type, half));
  CHECK_I64(type, QT_SCALE_FLOAT16);
  CHECK(strcmp(qt_scale_type_name(QT_SCALE_BFLOAT16), "bfloat16") == 0);
  CHECK(qt_scale_type_name((qt_scale_type)5) == NULL);
  CHECK_STATUS(qt_quantizer_with_scale_type(&bad, plain, QT_SCALE_BFLOAT16),
               QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "is not a bfloat16 value") != NULL);
  CHECK_STATUS(qt_quantizer_with_scale_type(&bad, plain, (qt_scale_type)0),
               QT_ERR_INVALID_ARGUMENT);
  CHECK(bad == NULL);

  /* A tensor keeps it through a file. */
  const float x[3] = {0.1f, 0.2f, 0.3f};
  const int64_t shape[1] = {3};
  qt_tensor* q = NULL;
  qt_tensor* back = NULL;
  qt_quantizer* read = NULL;
  uint8_t* bytes = NULL;
  size_t size = 0;
  CHECK_OK(qt_quantize(&q, x, shape, 1, half));
  CHECK_OK(qt_serialize(&bytes, &size, q));
  CHECK_OK(qt_deserialize(&back, bytes, size));
  CHECK_OK(qt_tensor_quantizer(&read, back));
  CHECK_OK(qt_quantizer_scale_type(&type, read));
  CHECK_I64(type, QT_SCALE_FLOAT16);
  qt_quantizer_free(read);
  qt_buffer_free(bytes);
  qt_tensor_free(back);
  qt_tensor_free(q);
  qt_quantizer_free(half);
  qt_quantizer_free(plain);
}

static void test_per_block(void) {
  /* A 2 x 5 quint4 weight in blocks of 2 along axis 1, as ONNX's blocked
     QuantizeLinear lays out its parameters: 2 rows x 3 blocks. */
  const double scales[6] = {0.5, 0.25, 1.0, 0.125, 2.0, 0.5};
  const int64_t zero_points[6] = {8, 8, 0, 15, 1, 2};
  const float x[10] = {1.0f, -1.0f, 0.5f, 0.25f, 3.0f, -0.5f, 1.0f, 2.0f, 4.0f, 0.0f};
  const int64_t shape[2] = {2, 5};
  qt_quantizer* q = NULL;
  qt_quantizer* read = NULL;
  qt_tensor* t = NULL;
  qt_tensor* column = NULL;
  CHECK_OK(qt_quantizer_new_per_block(&q, QT_QUINT4, scales, zero_points, 6, 1, 2));
  CHECK_OK(qt_quantize(&t, x, shape, 2, q));
  uint8_t ints[10];
  CHECK_OK(qt_int_repr(ints, sizeof ints, t));
  /* Row 0: blocks {1, -1} / .5 + 8, {.5, .25} / .25 + 8, {3} / 1 + 0;
     row 1: {-.5, 1} / .125 + 15 (23 saturates to 15), {2, 4} / 2 + 1, {0} + 2. */
  const uint8_t expected[10] = {10, 6, 10, 9, 3, 11, 15, 2, 3, 2};
  CHECK(memcmp(ints, expected, sizeof ints) == 0);
  float values[2];
  CHECK_OK(qt_select(&column, t, 1, 3));
  CHECK_OK(qt_dequantize(values, 2, column));
  CHECK_F32(values[0], 0.25f);
  CHECK_F32(values[1], 4.0f); /* (3 - 1) * 2 */
  qt_qscheme scheme = QT_PER_TENSOR_AFFINE;
  int64_t block_size = 0;
  double scale_of_element = 0.0;
  CHECK_OK(qt_tensor_quantizer(&read, t));
  CHECK_OK(qt_quantizer_qscheme(&scheme, read));
  CHECK_I64(scheme, QT_PER_BLOCK_AFFINE);
  CHECK_OK(qt_quantizer_block_size(&block_size, read));
  CHECK_I64(block_size, 2);
  scheme = QT_PER_TENSOR_AFFINE;
  CHECK_OK(qt_tensor_qscheme(&scheme, column));
  CHECK_I64(scheme, QT_PER_BLOCK_AFFINE);
  /* One element of it: per tensor, as its quantizer says. */
  qt_tensor* element = NULL;
  qt_quantizer* element_quantizer = NULL;
  CHECK_OK(qt_select(&element, column, 0, 1));
  CHECK_OK(qt_tensor_qscheme(&scheme, element));
  CHECK_I64(scheme, QT_PER_TENSOR_AFFINE);
  CHECK_OK(qt_tensor_quantizer(&element_quantizer, element));
  CHECK_OK(qt_quantizer_scale(&scale_of_element, element_quantizer));
  CHECK(scale_of_element == 2.0);
  qt_quantizer_free(element_quantizer);
  qt_tensor_free(element);
  CHECK(strcmp(qt_qscheme_name(QT_PER_BLOCK_AFFINE), "per_block_affine") == 0);

  double scale = 0.0;
  qt_tensor* sum = NULL;
  CHECK_STATUS(qt_tensor_q_scale(&scale, t), QT_ERR_TYPE_MISMATCH);
  CHECK_STATUS(qt_quantizer_scale(&scale, q), QT_ERR_TYPE_MISMATCH);
  CHECK_STATUS(qt_add(&sum, t, t, 1.0, 0), QT_ERR_TYPE_MISMATCH);
  qt_quantizer* bad = NULL;
  CHECK_STATUS(qt_quantizer_new_per_block(&bad, QT_QUINT4, scales, zero_points, 6, 1, 0),
               QT_ERR_INVALID_ARGUMENT);
  qt_tensor* wrong = NULL;
  const int64_t other[2] = {5, 2};
  CHECK_STATUS(qt_quantize(&wrong, x, other, 2, q), QT_ERR_SHAPE_MISMATCH);
  CHECK(bad == NULL && wrong == NULL && sum == NULL);
  qt_tensor_free(column);
  qt_tensor_free(t);
  qt_quantizer_free(read);
  qt_quantizer_free(q);
}

/* PyTorch's per_channel_affine_float_qparams: float32 scales and zero
   points, the accessors, the integer accessors' refusal and bad input. */
static void test_float_qparams(void) {
  const float scales[2] = {0.5f, 0.25f};
  const float zero_points[2] = {1.5f, -300.25f};
  const float x[4] = {0.5f, 2.25f, -1.0f, 1e30f};
  const int64_t shape[2] = {2, 2};
  qt_quantizer* q = NULL;
  qt_tensor* t = NULL;
  qt_tensor* row = NULL;
  CHECK_OK(qt_quantizer_new_per_channel_float_qparams(&q, QT_QUINT8, scales, zero_points, 2, 0));
  qt_qscheme scheme = QT_PER_TENSOR_AFFINE;
  CHECK_OK(qt_quantizer_qscheme(&scheme, q));
  CHECK_I64(scheme, QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS);
  CHECK(strcmp(qt_qscheme_name(scheme), "per_channel_affine_float_qparams") == 0);
  float got[2] = {0.0f, 0.0f};
  CHECK_OK(qt_quantizer_float_zero_points(got, 2, q));
  CHECK(got[0] == 1.5f && got[1] == -300.25f);
  int64_t ints[2];
  CHECK_STATUS(qt_quantizer_zero_points(ints, 2, q), QT_ERR_TYPE_MISMATCH);
  CHECK(strstr(qt_last_error_message(), "qt_quantizer_float_zero_points") != NULL);
  CHECK_OK(qt_quantize(&t, x, shape, 2, q));
  /* lrintf(x * (1 / scale) + zp), clamped: 2.5 -> 2, 6, 0 and 1e30 -> 0. */
  uint8_t repr[4];
  CHECK_OK(qt_int_repr(repr, sizeof repr, t));
  CHECK(repr[0] == 2 && repr[1] == 6 && repr[2] == 0 && repr[3] == 0);
  float values[4];
  CHECK_OK(qt_dequantize(values, 4, t));
  CHECK_F32(values[0], 0.25f);
  CHECK_F32(values[2], 75.0625f);
  CHECK_STATUS(qt_tensor_q_per_channel_zero_points(ints, 2, t), QT_ERR_TYPE_MISMATCH);
  CHECK_OK(qt_tensor_q_per_channel_float_zero_points(got, 2, t));
  CHECK(got[1] == -300.25f);
  /* A row: its one channel, no axis. */
  CHECK_OK(qt_select(&row, t, 0, 1));
  CHECK_OK(qt_tensor_qscheme(&scheme, row));
  CHECK_I64(scheme, QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS);
  CHECK_OK(qt_tensor_q_per_channel_float_zero_points(got, 1, row));
  CHECK(got[0] == -300.25f);
  int64_t axis = 0;
  CHECK_STATUS(qt_tensor_q_per_channel_axis(&axis, row), QT_ERR_TYPE_MISMATCH);
  qt_quantizer* plain = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&plain, QT_QUINT8, (const double[]){0.5, 0.25},
                                        (const int64_t[]){1, 2}, 2, 0));
  CHECK_STATUS(qt_quantizer_float_zero_points(got, 2, plain), QT_ERR_TYPE_MISMATCH);
  /* Bad input. */
  qt_quantizer* bad = NULL;
  const float nan_zero_point[1] = {NAN};
  CHECK_STATUS(qt_quantizer_new_per_channel_float_qparams(&bad, QT_QUINT8, scales, nan_zero_point,
                                                          1, 0),
               QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "zero_points[0] must be finite") != NULL);
  CHECK_STATUS(qt_quantizer_new_per_channel_float_qparams(&bad, QT_QINT32, scales, zero_points,
                                                          2, 0),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_quantizer_new_per_channel_float_qparams(&bad, QT_QUINT8, NULL, zero_points, 2,
                                                          0),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_quantizer_new_per_channel_float_qparams(NULL, QT_QUINT8, scales, zero_points, 2,
                                                          0),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_quantizer_float_zero_points(got, 1, q), QT_ERR_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  qt_quantizer_free(plain);
  qt_tensor_free(row);
  qt_tensor_free(t);
  qt_quantizer_free(q);
}

int main(void) {
  test_sizes_and_bits();
  test_packed_quint4x2();
  test_qint16_file_and_operators();
  test_onnx_rounding();
  test_scale_types();
  test_per_block();
  test_float_qparams();
  printf("test_storage_dtypes: %ld checks passed\n", g_checks);
  return 0;
}

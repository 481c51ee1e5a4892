/* A bundle's unquantized float entries through the C ABI: float32, float16
   and bfloat16 values kept bit for bit (NaN payloads, -0.0, subnormals)
   through serialize / deserialize and save / load, in order among quantized
   tensors; replacing in place across kinds, removing, widening to float32,
   and every refusal. */
#include <stdio.h>

#include "check.h"

/* float32: a NaN with a payload, -0.0, the smallest subnormal, inf, 1.5. */
static const uint32_t kF32Bits[5] = {0x7fc00123u, 0x80000000u, 0x00000001u, 0x7f800000u,
                                     0x3fc00000u};
/* float16: a signalling NaN, -0.0, the smallest subnormal, 1.0, -2.0, 65504. */
static const uint16_t kF16Bits[6] = {0x7c01u, 0x8000u, 0x0001u, 0x3c00u, 0xc000u, 0x7bffu};
/* bfloat16: a signalling NaN, -0.0, the smallest subnormal, 1.0. */
static const uint16_t kBF16Bits[4] = {0x7f81u, 0x8000u, 0x0001u, 0x3f80u};

static qt_tensor* small_tensor(float value) {
  qt_tensor* t = NULL;
  const float data[2] = {value, -value};
  const int64_t shape[1] = {2};
  CHECK_OK(qt_quantize_per_tensor(&t, data, shape, 1, 0.5, 3, QT_QINT8));
  return t;
}

/* q0, norm (f32 [5]), emb (f16 [2, 3]), scalar (bf16 0-dim), empty (f32
   [0, 3]), bf (bf16 [4]), q1. */
static qt_bundle* make_bundle(void) {
  qt_bundle* b = NULL;
  CHECK_OK(qt_bundle_new(&b));
  qt_tensor* q0 = small_tensor(1.0f);
  qt_tensor* q1 = small_tensor(2.0f);
  const int64_t f32_shape[1] = {5};
  const int64_t f16_shape[2] = {2, 3};
  const int64_t empty_shape[2] = {0, 3};
  const int64_t bf16_shape[1] = {4};
  const uint16_t one = 0x3f80u;
  CHECK_OK(qt_bundle_set(b, "q0", q0));
  CHECK_OK(qt_bundle_set_float(b, "norm", kF32Bits, sizeof kF32Bits, f32_shape, 1, QT_FLOAT32));
  CHECK_OK(qt_bundle_set_float(b, "emb", kF16Bits, sizeof kF16Bits, f16_shape, 2, QT_FLOAT16));
  CHECK_OK(qt_bundle_set_float(b, "scalar", &one, sizeof one, NULL, 0, QT_BFLOAT16));
  CHECK_OK(qt_bundle_set_float(b, "empty", NULL, 0, empty_shape, 2, QT_FLOAT32));
  CHECK_OK(qt_bundle_set_float(b, "bf", kBF16Bits, sizeof kBF16Bits, bf16_shape, 1, QT_BFLOAT16));
  CHECK_OK(qt_bundle_set(b, "q1", q1));
  qt_tensor_free(q0);
  qt_tensor_free(q1);
  return b;
}

static void check_entry(const qt_bundle* b, const char* name, qt_float_dtype dtype,
                        const int64_t* shape, size_t ndim, const void* bytes, size_t size) {
  bool is_float = false;
  CHECK_OK(qt_bundle_is_float(&is_float, b, name));
  CHECK(is_float);
  qt_float_dtype got_dtype = QT_FLOAT32;
  CHECK_OK(qt_bundle_float_dtype(&got_dtype, b, name));
  CHECK_I64(got_dtype, dtype);
  size_t got_ndim = 99;
  CHECK_OK(qt_bundle_float_ndim(&got_ndim, b, name));
  CHECK_I64(got_ndim, ndim);
  int64_t got_shape[4] = {-1, -1, -1, -1};
  CHECK_OK(qt_bundle_float_shape(got_shape, 4, b, name));
  for (size_t d = 0; d < ndim; ++d) CHECK_I64(got_shape[d], shape[d]);
  const void* data = NULL;
  size_t got_size = 1234;
  CHECK_OK(qt_bundle_float_data(&data, &got_size, b, name));
  CHECK_I64(got_size, size);
  CHECK(data != NULL);
  CHECK(size == 0 || memcmp(data, bytes, size) == 0);
}

static void check_bundle(const qt_bundle* b) {
  static const char* const kNames[7] = {"q0", "norm", "emb", "scalar", "empty", "bf", "q1"};
  size_t size = 0;
  CHECK_OK(qt_bundle_size(&size, b));
  CHECK_I64(size, 7);
  for (size_t i = 0; i < 7; ++i) {
    const char* name = NULL;
    CHECK_OK(qt_bundle_name(&name, b, i));
    CHECK_STR(name, kNames[i]);
  }
  const int64_t f32_shape[1] = {5};
  const int64_t f16_shape[2] = {2, 3};
  const int64_t empty_shape[2] = {0, 3};
  const int64_t bf16_shape[1] = {4};
  const uint16_t one = 0x3f80u;
  check_entry(b, "norm", QT_FLOAT32, f32_shape, 1, kF32Bits, sizeof kF32Bits);
  check_entry(b, "emb", QT_FLOAT16, f16_shape, 2, kF16Bits, sizeof kF16Bits);
  check_entry(b, "scalar", QT_BFLOAT16, NULL, 0, &one, sizeof one);
  check_entry(b, "empty", QT_FLOAT32, empty_shape, 2, NULL, 0);
  check_entry(b, "bf", QT_BFLOAT16, bf16_shape, 1, kBF16Bits, sizeof kBF16Bits);
  bool is_float = true;
  CHECK_OK(qt_bundle_is_float(&is_float, b, "q1"));
  CHECK(!is_float);
  qt_tensor* q1 = NULL;
  CHECK_OK(qt_bundle_get_index(&q1, b, 6));
  float values[2];
  CHECK_OK(qt_dequantize(values, 2, q1));
  CHECK_F32(values[0], 2.0f);
  qt_tensor_free(q1);
}

static void test_names(void) {
  step("float dtype names");
  CHECK_STR(qt_float_dtype_name(QT_FLOAT32), "float32");
  CHECK_STR(qt_float_dtype_name(QT_FLOAT16), "float16");
  CHECK_STR(qt_float_dtype_name(QT_BFLOAT16), "bfloat16");
  CHECK(qt_float_dtype_name((qt_float_dtype)0) == NULL);
  CHECK(qt_float_dtype_name((qt_float_dtype)4) == NULL);
  step_ok("float dtype names");
}

static void test_round_trips(void) {
  step("round trips");
  qt_bundle* b = make_bundle();
  check_bundle(b);
  uint8_t* bytes = NULL;
  size_t size = 0;
  CHECK_OK(qt_bundle_serialize(&bytes, &size, b));
  /* magic "qtensor" (field 1), then format_version (field 2): 2, which
     added float entries, so an older reader refuses the file. */
  CHECK(size > 10 && bytes[9] == 0x10);
  CHECK_I64(bytes[10], 2);
  qt_bundle* back = NULL;
  CHECK_OK(qt_bundle_deserialize(&back, bytes, size));
  check_bundle(back);
  uint8_t* again = NULL;
  size_t again_size = 0;
  CHECK_OK(qt_bundle_serialize(&again, &again_size, back));
  CHECK(again_size == size && memcmp(again, bytes, size) == 0);
  char path[64];
  snprintf(path, sizeof path, "test_bundle_floats_%ld.qtb", (long)g_checks);
  CHECK_OK(qt_bundle_save(b, path));
  qt_bundle* loaded = NULL;
  CHECK_OK(qt_bundle_load(&loaded, path));
  remove(path);
  check_bundle(loaded);
  /* A bundle of quantized tensors only stays version 1. */
  CHECK_OK(qt_bundle_remove(loaded, "norm"));
  CHECK_OK(qt_bundle_remove(loaded, "emb"));
  CHECK_OK(qt_bundle_remove(loaded, "scalar"));
  CHECK_OK(qt_bundle_remove(loaded, "empty"));
  CHECK_OK(qt_bundle_remove(loaded, "bf"));
  uint8_t* v1 = NULL;
  size_t v1_size = 0;
  CHECK_OK(qt_bundle_serialize(&v1, &v1_size, loaded));
  CHECK_I64(v1[10], 1);
  qt_buffer_free(v1);
  qt_buffer_free(again);
  qt_buffer_free(bytes);
  qt_bundle_free(loaded);
  qt_bundle_free(back);
  qt_bundle_free(b);
  step_ok("round trips");
}

static void test_values(void) {
  step("values widen to float32");
  qt_bundle* b = make_bundle();
  float f32[5];
  CHECK_OK(qt_bundle_float_values(f32, 5, b, "norm"));
  CHECK(memcmp(f32, kF32Bits, sizeof f32) == 0); /* float32: the very bits */
  float f16[6];
  CHECK_OK(qt_bundle_float_values(f16, 6, b, "emb"));
  CHECK_I64(f32_bits(f16[0]), 0x7fc02000u); /* the signalling NaN made quiet, payload kept */
  CHECK_I64(f32_bits(f16[1]), 0x80000000u);
  CHECK_F32(f16[2], 0x1p-24f);
  CHECK_F32(f16[3], 1.0f);
  CHECK_F32(f16[4], -2.0f);
  CHECK_F32(f16[5], 65504.0f);
  float bf[4];
  CHECK_OK(qt_bundle_float_values(bf, 4, b, "bf"));
  CHECK_I64(f32_bits(bf[0]), 0x7fc10000u);
  CHECK_I64(f32_bits(bf[1]), 0x80000000u);
  CHECK_I64(f32_bits(bf[2]), 0x00010000u);
  CHECK_F32(bf[3], 1.0f);
  float scalar = 0;
  CHECK_OK(qt_bundle_float_values(&scalar, 1, b, "scalar"));
  CHECK_F32(scalar, 1.0f);
  CHECK_OK(qt_bundle_float_values(NULL, 0, b, "empty"));
  qt_bundle_free(b);
  step_ok("values widen to float32");
}

static void test_replace_and_remove(void) {
  step("replace in place across kinds, remove");
  qt_bundle* b = make_bundle();
  const uint32_t two = 0x40000000u;
  CHECK_OK(qt_bundle_set_float(b, "q0", &two, sizeof two, NULL, 0, QT_FLOAT32));
  const char* name = NULL;
  CHECK_OK(qt_bundle_name(&name, b, 0));
  CHECK_STR(name, "q0");
  bool is_float = false;
  CHECK_OK(qt_bundle_is_float(&is_float, b, "q0"));
  CHECK(is_float);
  qt_tensor* t = small_tensor(3.0f);
  CHECK_OK(qt_bundle_set(b, "emb", t));
  qt_tensor_free(t);
  CHECK_OK(qt_bundle_name(&name, b, 2));
  CHECK_STR(name, "emb");
  CHECK_OK(qt_bundle_is_float(&is_float, b, "emb"));
  CHECK(!is_float);
  CHECK_OK(qt_bundle_remove(b, "norm"));
  size_t size = 0;
  CHECK_OK(qt_bundle_size(&size, b));
  CHECK_I64(size, 6);
  CHECK_OK(qt_bundle_name(&name, b, 1));
  CHECK_STR(name, "emb");
  bool found = true;
  CHECK_OK(qt_bundle_contains(&found, b, "norm"));
  CHECK(!found);
  CHECK_OK(qt_bundle_contains(&found, b, "bf"));
  CHECK(found);
  CHECK_STATUS(qt_bundle_remove(b, "norm"), QT_ERR_NOT_FOUND);
  qt_bundle_free(b);
  step_ok("replace in place across kinds, remove");
}

static void test_refusals(void) {
  step("refusals");
  qt_bundle* b = make_bundle();
  qt_tensor* t = NULL;
  CHECK_STATUS(qt_bundle_get(&t, b, "norm"), QT_ERR_TYPE_MISMATCH);
  CHECK(strstr(qt_last_error_message(), "float entry") != NULL);
  CHECK(strstr(qt_last_error_message(), "qt_bundle_float_data") != NULL);
  CHECK_STATUS(qt_bundle_get_index(&t, b, 1), QT_ERR_TYPE_MISMATCH);
  CHECK(t == NULL);
  qt_float_dtype dtype = (qt_float_dtype)42;
  CHECK_STATUS(qt_bundle_float_dtype(&dtype, b, "q0"), QT_ERR_TYPE_MISMATCH);
  CHECK(strstr(qt_last_error_message(), "qt_bundle_get") != NULL);
  CHECK_I64(dtype, 42);
  size_t ndim = 77;
  CHECK_STATUS(qt_bundle_float_ndim(&ndim, b, "q1"), QT_ERR_TYPE_MISMATCH);
  CHECK_STATUS(qt_bundle_float_ndim(&ndim, b, "nope"), QT_ERR_NOT_FOUND);
  CHECK_I64(ndim, 77);
  bool is_float = false;
  CHECK_STATUS(qt_bundle_is_float(&is_float, b, "nope"), QT_ERR_NOT_FOUND);
  const void* data = NULL;
  size_t size = 5;
  CHECK_STATUS(qt_bundle_float_data(&data, &size, b, "q0"), QT_ERR_TYPE_MISMATCH);
  CHECK(data == NULL && size == 5);
  float values[6];
  CHECK_STATUS(qt_bundle_float_values(values, 6, b, "q0"), QT_ERR_TYPE_MISMATCH);
  /* Capacities too small. */
  CHECK_STATUS(qt_bundle_float_values(values, 5, b, "emb"), QT_ERR_INVALID_ARGUMENT);
  int64_t shape_out[1];
  CHECK_STATUS(qt_bundle_float_shape(shape_out, 1, b, "emb"), QT_ERR_INVALID_ARGUMENT);
  /* NULLs. */
  CHECK_STATUS(qt_bundle_is_float(NULL, b, "norm"), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_is_float(&is_float, NULL, "norm"), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_float_dtype(&dtype, b, NULL), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_float_data(NULL, &size, b, "norm"), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_float_data(&data, NULL, b, "norm"), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_float_shape(NULL, 1, b, "norm"), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_float_values(NULL, 5, b, "norm"), QT_ERR_INVALID_ARGUMENT);
  /* Bad input to set_float; the bundle stays as it was. */
  const int64_t shape[1] = {5};
  const int64_t negative[2] = {-1, -5};
  const int64_t huge[2] = {INT64_C(1) << 40, INT64_C(1) << 40};
  CHECK_STATUS(qt_bundle_set_float(NULL, "x", kF32Bits, 20, shape, 1, QT_FLOAT32),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_set_float(b, NULL, kF32Bits, 20, shape, 1, QT_FLOAT32),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_set_float(b, "", kF32Bits, 20, shape, 1, QT_FLOAT32),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_set_float(b, "\xff", kF32Bits, 20, shape, 1, QT_FLOAT32),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_set_float(b, "x", NULL, 20, shape, 1, QT_FLOAT32),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_set_float(b, "x", kF32Bits, 20, NULL, 1, QT_FLOAT32),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_set_float(b, "x", kF32Bits, 19, shape, 1, QT_FLOAT32),
               QT_ERR_SHAPE_MISMATCH);
  CHECK(strstr(qt_last_error_message(), "19 bytes") != NULL);
  CHECK_STATUS(qt_bundle_set_float(b, "x", kF32Bits, 20, shape, 1, QT_FLOAT16),
               QT_ERR_SHAPE_MISMATCH);
  CHECK_STATUS(qt_bundle_set_float(b, "x", kF32Bits, 20, negative, 2, QT_FLOAT32),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_set_float(b, "x", kF32Bits, 20, huge, 2, QT_FLOAT32),
               QT_ERR_OUT_OF_MEMORY);
  CHECK_STATUS(qt_bundle_set_float(b, "x", kF32Bits, 20, shape, QTENSOR_MAX_DIMS + 1, QT_FLOAT32),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_set_float(b, "x", kF32Bits, 20, shape, 1, (qt_float_dtype)0),
               QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "unknown float dtype 0") != NULL);
  CHECK_STATUS(qt_bundle_set_float(b, "x", kF32Bits, 20, shape, 1, (qt_float_dtype)4),
               QT_ERR_INVALID_ARGUMENT);
  /* A failed replace leaves the entry. */
  CHECK_STATUS(qt_bundle_set_float(b, "norm", kF32Bits, 3, shape, 1, QT_FLOAT32),
               QT_ERR_SHAPE_MISMATCH);
  check_bundle(b);
  qt_bundle_free(b);
  step_ok("refusals");
}

int main(void) {
  test_names();
  test_round_trips();
  test_values();
  test_replace_and_remove();
  test_refusals();
  printf("test_bundle_floats: %ld checks passed\n", g_checks);
  return 0;
}

/* What a container's header tells through the C ABI without reading a
   payload (shapes, dtypes, quantizers, float entries, payload places,
   metadata), float entries streamed by the writer, selecting entries into
   a bundle of mapped entries, and read-only tensors. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, rmdir */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

/* A [3, 4] qint8 tensor, per channel along axis 0, integers i - 6. */
static qt_tensor* per_channel_weight(void) {
  const double scales[3] = {0.5, 0.25, 0.125};
  const int64_t zero_points[3] = {0, 1, -2};
  qt_quantizer* quantizer = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&quantizer, QT_QINT8, scales, zero_points, 3, 0));
  int8_t ints[12];
  for (int i = 0; i < 12; ++i) ints[i] = (int8_t)(i - 6);
  const int64_t shape[2] = {3, 4};
  qt_tensor* t = NULL;
  CHECK_OK(qt_from_int_repr(&t, ints, sizeof ints, shape, 2, quantizer));
  qt_quantizer_free(quantizer);
  return t;
}

/* float16 bits of 1.0, -0.0, a NaN with a payload, and the least subnormal. */
static const uint16_t kHalfBits[4] = {0x3C00, 0x8000, 0x7E01, 0x0001};

static void write_container(const char* path, const qt_tensor* weight) {
  qt_bundle_writer* writer = NULL;
  CHECK_OK(qt_bundle_writer_open(&writer, path));
  CHECK_OK(qt_bundle_writer_add(writer, "weight", weight));
  const int64_t half_shape[2] = {2, 2};
  CHECK_OK(qt_bundle_writer_add_float(writer, "norm", kHalfBits, sizeof kHalfBits, half_shape, 2,
                                      QT_FLOAT16));
  /* The float entry's refusals: bytes that do not fit the shape, an unknown
     dtype, missing data, a name already used. */
  CHECK_STATUS(qt_bundle_writer_add_float(writer, "bad", kHalfBits, 6, half_shape, 2, QT_FLOAT16),
               QT_ERR_SHAPE_MISMATCH);
  CHECK_STATUS(
      qt_bundle_writer_add_float(writer, "bad", kHalfBits, 8, half_shape, 2, (qt_float_dtype)9),
      QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_writer_add_float(writer, "bad", NULL, 8, half_shape, 2, QT_FLOAT16),
               QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_writer_add_float(writer, "norm", kHalfBits, 8, half_shape, 2, QT_FLOAT16),
               QT_ERR_INVALID_ARGUMENT);
  const int64_t empty_shape[1] = {0};
  CHECK_OK(qt_bundle_writer_add_float(writer, "empty", NULL, 0, empty_shape, 1, QT_BFLOAT16));
  CHECK_OK(qt_bundle_writer_set_metadata(writer, "zeta", "last"));
  CHECK_OK(qt_bundle_writer_set_metadata(writer, "arch", "toy"));
  CHECK_OK(qt_bundle_writer_finish(writer));
  qt_bundle_writer_free(writer);
}

static void check_header(const qt_bundle_file* file) {
  bool flag = true;
  CHECK_OK(qt_bundle_file_contains(&flag, file, "weight"));
  CHECK(flag);
  CHECK_OK(qt_bundle_file_contains(&flag, file, "bad"));
  CHECK(!flag);
  CHECK_STATUS(qt_bundle_file_contains(&flag, file, NULL), QT_ERR_INVALID_ARGUMENT);

  CHECK_OK(qt_bundle_file_is_float(&flag, file, "weight"));
  CHECK(!flag);
  CHECK_OK(qt_bundle_file_is_float(&flag, file, "norm"));
  CHECK(flag);
  CHECK_STATUS(qt_bundle_file_is_float(&flag, file, "nope"), QT_ERR_NOT_FOUND);

  size_t ndim = 0;
  int64_t shape[2] = {0, 0};
  CHECK_OK(qt_bundle_file_ndim(&ndim, file, "weight"));
  CHECK_I64(ndim, 2);
  CHECK_OK(qt_bundle_file_shape(shape, 2, file, "weight"));
  CHECK_I64(shape[0], 3);
  CHECK_I64(shape[1], 4);
  CHECK_STATUS(qt_bundle_file_shape(shape, 1, file, "weight"), QT_ERR_INVALID_ARGUMENT);
  CHECK_OK(qt_bundle_file_ndim(&ndim, file, "empty"));
  CHECK_I64(ndim, 1);
  CHECK_OK(qt_bundle_file_shape(shape, 2, file, "empty"));
  CHECK_I64(shape[0], 0);

  qt_dtype dtype = QT_QUINT8;
  CHECK_OK(qt_bundle_file_dtype(&dtype, file, "weight"));
  CHECK_I64(dtype, QT_QINT8);
  CHECK_STATUS(qt_bundle_file_dtype(&dtype, file, "norm"), QT_ERR_TYPE_MISMATCH);
  qt_quantizer* quantizer = NULL;
  CHECK_OK(qt_bundle_file_quantizer(&quantizer, file, "weight"));
  int64_t axis = -1;
  CHECK_OK(qt_quantizer_axis(&axis, quantizer));
  CHECK_I64(axis, 0);
  double scales[3] = {0, 0, 0};
  CHECK_OK(qt_quantizer_scales(scales, 3, quantizer));
  CHECK_F64(scales[2], 0.125);
  qt_quantizer_free(quantizer);
  CHECK_STATUS(qt_bundle_file_quantizer(&quantizer, file, "norm"), QT_ERR_TYPE_MISMATCH);

  qt_float_dtype float_dtype = QT_FLOAT32;
  CHECK_OK(qt_bundle_file_float_dtype(&float_dtype, file, "norm"));
  CHECK_I64(float_dtype, QT_FLOAT16);
  CHECK_OK(qt_bundle_file_float_dtype(&float_dtype, file, "empty"));
  CHECK_I64(float_dtype, QT_BFLOAT16);
  CHECK_STATUS(qt_bundle_file_float_dtype(&float_dtype, file, "weight"), QT_ERR_TYPE_MISMATCH);

  uint64_t offset = 1, length = 1;
  CHECK_OK(qt_bundle_file_payload(&offset, &length, file, "weight"));
  CHECK_I64(offset % 64, 0);
  CHECK_I64(length, 12);
  CHECK_OK(qt_bundle_file_payload(&offset, &length, file, "norm"));
  CHECK_I64(offset % 64, 0);
  CHECK_I64(length, sizeof kHalfBits);
  CHECK_STATUS(qt_bundle_file_payload(NULL, &length, file, "norm"), QT_ERR_INVALID_ARGUMENT);

  size_t keys = 0;
  CHECK_OK(qt_bundle_file_metadata_size(&keys, file));
  CHECK_I64(keys, 2);
  const char* text = NULL;
  CHECK_OK(qt_bundle_file_metadata_key(&text, file, 0)); /* sorted */
  CHECK_STR(text, "arch");
  CHECK_OK(qt_bundle_file_metadata_key(&text, file, 1));
  CHECK_STR(text, "zeta");
  CHECK_STATUS(qt_bundle_file_metadata_key(&text, file, 2), QT_ERR_OUT_OF_RANGE);
  CHECK_OK(qt_bundle_file_metadata(&text, file, "zeta"));
  CHECK_STR(text, "last");
  CHECK_STATUS(qt_bundle_file_metadata(&text, file, "nope"), QT_ERR_NOT_FOUND);
}

/* A bundle of the float entry and the weight, in that order. */
static void check_select(const qt_bundle_file* file, const qt_tensor* weight) {
  const char* names[2] = {"norm", "weight"};
  qt_bundle* bundle = NULL;
  CHECK_OK(qt_bundle_file_select(&bundle, file, names, 2));
  size_t size = 0;
  CHECK_OK(qt_bundle_size(&size, bundle));
  CHECK_I64(size, 2);
  const char* name = NULL;
  CHECK_OK(qt_bundle_name(&name, bundle, 0));
  CHECK_STR(name, "norm");
  const void* data = NULL;
  size_t bytes = 0;
  CHECK_OK(qt_bundle_float_data(&data, &bytes, bundle, "norm"));
  CHECK_I64(bytes, sizeof kHalfBits);
  CHECK(memcmp(data, kHalfBits, sizeof kHalfBits) == 0);
  const char* arch = NULL;
  CHECK_OK(qt_bundle_metadata(&arch, bundle, "arch"));
  CHECK_STR(arch, "toy");
  qt_tensor* mapped = NULL;
  CHECK_OK(qt_bundle_get(&mapped, bundle, "weight"));
  int8_t got[12], want[12];
  CHECK_OK(qt_int_repr(got, sizeof got, mapped));
  CHECK_OK(qt_int_repr(want, sizeof want, weight));
  CHECK(memcmp(got, want, sizeof got) == 0);
  bool read_only = false;
  CHECK_OK(qt_tensor_is_read_only(&read_only, mapped));
  CHECK(read_only);
  qt_tensor_free(mapped);
  qt_bundle_free(bundle);

  /* Names are all checked first: absent, twice, NULL. */
  const char* absent[2] = {"weight", "nope"};
  CHECK_STATUS(qt_bundle_file_select(&bundle, file, absent, 2), QT_ERR_NOT_FOUND);
  const char* twice[2] = {"weight", "weight"};
  CHECK_STATUS(qt_bundle_file_select(&bundle, file, twice, 2), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "twice") != NULL);
  const char* null_name[1] = {NULL};
  CHECK_STATUS(qt_bundle_file_select(&bundle, file, null_name, 1), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_file_select(&bundle, file, NULL, 1), QT_ERR_INVALID_ARGUMENT);
  CHECK_OK(qt_bundle_file_select(&bundle, file, NULL, 0));
  CHECK_OK(qt_bundle_size(&size, bundle));
  CHECK_I64(size, 0);
  qt_bundle_free(bundle);

  CHECK_OK(qt_bundle_file_to_bundle(&bundle, file));
  CHECK_OK(qt_bundle_size(&size, bundle));
  CHECK_I64(size, 3);
  CHECK_OK(qt_bundle_name(&name, bundle, 2));
  CHECK_STR(name, "empty");
  qt_bundle_free(bundle);
}

int main(void) {
  char dir[] = "/tmp/qtensor_c_bundle_file_header_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/model.qtb", dir);

  qt_tensor* weight = per_channel_weight();
  write_container(path, weight);
  qt_bundle_file* file = NULL;
  CHECK_OK(qt_bundle_file_open(&file, path));
  check_header(file);
  check_select(file, weight);

  qt_tensor* mapped = NULL;
  CHECK_OK(qt_bundle_file_get(&mapped, file, "weight"));
  bool read_only = false;
  CHECK_OK(qt_tensor_is_read_only(&read_only, mapped));
  CHECK(read_only);
  qt_tensor* clone = NULL;
  CHECK_OK(qt_clone(&clone, mapped));
  CHECK_OK(qt_tensor_is_read_only(&read_only, clone));
  CHECK(!read_only);
  CHECK_OK(qt_tensor_is_read_only(&read_only, weight));
  CHECK(!read_only);
  CHECK_STATUS(qt_tensor_is_read_only(NULL, weight), QT_ERR_INVALID_ARGUMENT);

  qt_tensor_free(clone);
  qt_tensor_free(mapped);
  qt_bundle_file_free(file);
  qt_tensor_free(weight);
  remove(path);
  rmdir(dir);
  printf("bundle_file_header: %ld checks passed\n", g_checks);
  return 0;
}

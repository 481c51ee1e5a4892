/* Containers through the C ABI: a streaming writer, lazy opening, mapped
   read-only tensors that outlive the file handle, checksums, and the
   refusals (writes into a mapped tensor, duplicate names, float entries,
   unknown names, a finished writer). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, access, rmdir */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

static qt_tensor* ramp(int64_t rows, int64_t cols, double scale) {
  const size_t n = (size_t)(rows * cols);
  float* data = malloc(n * sizeof *data);
  for (size_t i = 0; i < n; ++i) data[i] = (float)((int)(i % 11) - 5) * (float)scale;
  qt_tensor* t = NULL;
  const int64_t shape[2] = {rows, cols};
  CHECK_OK(qt_quantize_per_tensor(&t, data, shape, 2, scale, 0, QT_QINT8));
  free(data);
  return t;
}

static void check_same_ints(const qt_tensor* a, const qt_tensor* b, size_t n) {
  int8_t* x = malloc(n);
  int8_t* y = malloc(n);
  CHECK_OK(qt_int_repr(x, n, a));
  CHECK_OK(qt_int_repr(y, n, b));
  CHECK(memcmp(x, y, n) == 0);
  free(x);
  free(y);
}

int main(void) {
  char dir[] = "/tmp/qtensor_c_bundle_file_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/model.qtb", dir);

  qt_tensor* w = ramp(32, 16, 0.5);
  qt_tensor* b = ramp(1, 16, 0.25);
  qt_tensor* wt = NULL;
  CHECK_OK(qt_transpose(&wt, w, 0, 1));

  qt_bundle_writer* writer = NULL;
  CHECK_OK(qt_bundle_writer_open(&writer, path));
  CHECK_OK(qt_bundle_writer_add(writer, "w", w));
  CHECK_OK(qt_bundle_writer_add(writer, "b", b));
  CHECK_OK(qt_bundle_writer_add(writer, "wt", wt));
  CHECK_STATUS(qt_bundle_writer_add(writer, "w", b), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_writer_add(writer, "", b), QT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(qt_bundle_writer_add(writer, "\xff", b), QT_ERR_INVALID_ARGUMENT);
  CHECK_OK(qt_bundle_writer_set_metadata(writer, "arch", "toy"));
  CHECK(access(path, F_OK) != 0); /* nothing at path before finish */
  CHECK_OK(qt_bundle_writer_finish(writer));
  CHECK_STATUS(qt_bundle_writer_add(writer, "x", b), QT_ERR_INVALID_ARGUMENT);
  qt_bundle_writer_free(writer);
  qt_bundle_writer_free(NULL);

  /* An abandoned writer leaves nothing behind. */
  char abandoned[256];
  snprintf(abandoned, sizeof abandoned, "%s/abandoned.qtb", dir);
  CHECK_OK(qt_bundle_writer_open(&writer, abandoned));
  CHECK_OK(qt_bundle_writer_add(writer, "w", w));
  qt_bundle_writer_free(writer);
  CHECK(access(abandoned, F_OK) != 0);

  qt_bundle_file* file = NULL;
  CHECK_OK(qt_bundle_file_open(&file, path));
  size_t size = 0;
  CHECK_OK(qt_bundle_file_size(&size, file));
  CHECK_I64(size, 3);
  const char* name = NULL;
  CHECK_OK(qt_bundle_file_name(&name, file, 2));
  CHECK(strcmp(name, "wt") == 0);
  CHECK_STATUS(qt_bundle_file_name(&name, file, 3), QT_ERR_OUT_OF_RANGE);
  CHECK_OK(qt_bundle_file_verify(file, NULL));
  CHECK_OK(qt_bundle_file_verify(file, "b"));
  CHECK_STATUS(qt_bundle_file_verify(file, "nope"), QT_ERR_NOT_FOUND);

  qt_tensor* mapped = NULL;
  qt_tensor* mapped_t = NULL;
  CHECK_OK(qt_bundle_file_get(&mapped, file, "w"));
  CHECK_OK(qt_bundle_file_get(&mapped_t, file, "wt"));
  CHECK_STATUS(qt_bundle_file_get(&mapped, file, "nope"), QT_ERR_NOT_FOUND);
  qt_bundle_file_free(file); /* the tensors keep their mappings */
  check_same_ints(mapped, w, 32 * 16);
  qt_tensor* wt_copy = NULL;
  CHECK_OK(qt_contiguous(&wt_copy, wt));
  check_same_ints(mapped_t, wt_copy, 32 * 16);
  double scale = 0;
  CHECK_OK(qt_tensor_q_scale(&scale, mapped));
  CHECK(scale == 0.5);

  /* Read-only: writes are refused, a clone is writable. */
  CHECK_STATUS(qt_fill(mapped, 1.0f), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), "read-only") != NULL);
  CHECK_STATUS(qt_copy(mapped, w), QT_ERR_INVALID_ARGUMENT);
  qt_tensor* clone = NULL;
  CHECK_OK(qt_clone(&clone, mapped));
  CHECK_OK(qt_fill(clone, 1.0f));
  check_same_ints(mapped, w, 32 * 16);

  /* qt_bundle_load reads a container too. */
  qt_bundle* bundle = NULL;
  CHECK_OK(qt_bundle_load(&bundle, path));
  qt_tensor* loaded = NULL;
  CHECK_OK(qt_bundle_get(&loaded, bundle, "b"));
  check_same_ints(loaded, b, 16);
  const char* arch = NULL;
  CHECK_OK(qt_bundle_metadata(&arch, bundle, "arch"));
  CHECK(strcmp(arch, "toy") == 0);

  CHECK_STATUS(qt_bundle_file_open(&file, abandoned), QT_ERR_IO);
  CHECK_STATUS(qt_bundle_file_open(NULL, path), QT_ERR_INVALID_ARGUMENT);

  qt_tensor_free(loaded);
  qt_bundle_free(bundle);
  qt_tensor_free(clone);
  qt_tensor_free(wt_copy);
  qt_tensor_free(mapped);
  qt_tensor_free(mapped_t);
  qt_tensor_free(wt);
  qt_tensor_free(b);
  qt_tensor_free(w);
  remove(path);
  rmdir(dir);
  printf("bundle_file: %ld checks passed\n", g_checks);
  return 0;
}

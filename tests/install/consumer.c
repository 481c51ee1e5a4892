/* A program outside the tree: built against an installed qtensor through
   pkg-config and through find_package(qtensor). */
#include <qtensor/qtensor.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  const float data[4] = {0.5f, -1.25f, 2.0f, 100.0f};
  const int64_t shape[2] = {2, 2};
  qt_tensor* q = NULL;
  if (qt_quantize_per_tensor(&q, data, shape, 2, 0.25, 3, QT_QINT8) != QT_OK) {
    fprintf(stderr, "quantize failed: %s\n", qt_last_error_message());
    return 1;
  }
  int8_t ints[4];
  if (qt_int_repr(ints, sizeof ints, q) != QT_OK) return 1;
  const int8_t expected[4] = {5, -2, 11, 127};
  if (memcmp(ints, expected, sizeof ints) != 0) {
    fprintf(stderr, "wrong integers %d %d %d %d\n", ints[0], ints[1], ints[2], ints[3]);
    return 1;
  }
  char* text = NULL;
  if (qt_to_string(&text, q) != QT_OK) return 1;
  printf("qtensor %s\n%s\n", qt_version(), text);
  qt_string_free(text);
  qt_tensor_free(q);
  /* The installed header and the library it was installed with agree. */
  char header_version[32];
  snprintf(header_version, sizeof header_version, "%d.%d.%d", QTENSOR_VERSION_MAJOR,
           QTENSOR_VERSION_MINOR, QTENSOR_VERSION_PATCH);
  if (qt_version_number() != QTENSOR_VERSION_NUMBER) return 1;
  return strcmp(qt_version(), header_version) == 0 ? 0 : 1;
}

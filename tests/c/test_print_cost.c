/*
 * test_print_cost.c - printing a large tensor costs what is printed: a
 * 64 Mi-element tensor prints its summarized corners (the text PyTorch 1.13
 * gives for the same values) while the process's peak memory grows by less
 * than 16 MiB. Formatting every element took about 12 bytes per element,
 * 768 MiB here.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "check.h"

enum { kSide = 8192 };
static const long kGrowthLimitKiB = 16 * 1024;

static long peak_rss_kib(void) {
  struct rusage usage;
  CHECK(getrusage(RUSAGE_SELF, &usage) == 0);
  return usage.ru_maxrss;
}

static const char kExpected[] =
    "tensor([[10.0000, -1.5000, -1.5000,  ..., -1.5000, -1.5000, -1.5000],\n"
    "        [-1.5000, -1.5000, -1.5000,  ..., -1.5000, -1.5000, -1.5000],\n"
    "        [-1.5000, -1.5000, -1.5000,  ..., -1.5000, -1.5000, -1.5000],\n"
    "        ...,\n"
    "        [-1.5000, -1.5000, -1.5000,  ..., -1.5000, -1.5000, -1.5000],\n"
    "        [-1.5000, -1.5000, -1.5000,  ..., -1.5000, -1.5000, -1.5000],\n"
    "        [ 0.5000, -1.5000, -1.5000,  ..., -1.5000, -1.5000,  2.0000]],\n"
    "       size=(8192, 8192), dtype=qtensor.quint8,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.5, zero_point=3)";

int main(void) {
  qt_quantizer* quantizer = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, QT_QUINT8, 0.5, 3));
  const int64_t shape[2] = {kSide, kSide};
  qt_tensor* tensor = NULL;
  CHECK_OK(qt_empty_quantized(&tensor, shape, 2, quantizer)); /* every value -1.5 */
  const int64_t first[2] = {0, 0}, last[2] = {kSide - 1, kSide - 1}, corner[2] = {kSide - 1, 0};
  CHECK_OK(qt_tensor_set(tensor, first, 2, 10.0f));
  CHECK_OK(qt_tensor_set(tensor, last, 2, 2.0f));
  CHECK_OK(qt_tensor_set(tensor, corner, 2, 0.5f));

  /* The peak only grows: measured around the first print, as no earlier
     call could have raised it by what printing would need. */
  const long before = peak_rss_kib();
  char* text = NULL;
  CHECK_OK(qt_to_string(&text, tensor));
  const long growth = peak_rss_kib() - before;
  if (strcmp(text, kExpected) != 0)
    FAIL_AT(__LINE__, "printed:\n%s\nexpected:\n%s", text, kExpected);
  if (growth > kGrowthLimitKiB) {
    FAIL_AT(__LINE__, "printing grew the peak memory by %ld KiB (limit %ld KiB)", growth,
            kGrowthLimitKiB);
  }
  printf("printed %d x %d elements; peak memory grew by %ld KiB\n", kSide, kSide, growth);
  qt_string_free(text);
  qt_tensor_free(tensor);
  qt_quantizer_free(quantizer);
  return 0;
}

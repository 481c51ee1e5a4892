/*
 * test_memory.c - creates and frees 100 000 tensors (with views, quantizers
 * and strings along the way) and requires the resident memory to stay flat:
 * every handle the C ABI hands out is released by its *_free.
 */
#include <qtensor/qtensor.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#if defined(__SANITIZE_ADDRESS__)
/* ASan's quarantine holds freed memory, so resident memory grows by design;
   LeakSanitizer checks at exit instead. */
enum { kRounds = 2000, kWarmup = 10, kCheckResident = 0 };
#else
enum { kRounds = 100000, kWarmup = 1000, kCheckResident = 1 };
#endif

/* Resident memory in KiB, from /proc/self/statm. */
static long resident_kib(void) {
  long pages_total = 0, pages_resident = 0;
  FILE* statm = fopen("/proc/self/statm", "r");
  if (statm == NULL) return -1;
  if (fscanf(statm, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = -1;
  fclose(statm);
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* One round: a per-channel tensor of 64 elements, a view of it, its
   quantizer and its printed form, all freed. */
static void one_round(int round) {
  float data[64];
  for (int i = 0; i < 64; ++i) data[i] = (float)(i - round % 32) * 0.25f;
  const int64_t shape[2] = {4, 16};
  const double scales[4] = {0.1, 0.2, 0.3, 0.4};
  const int64_t zero_points[4] = {0, 1, 2, 3};
  qt_tensor* tensor = NULL;
  qt_tensor* view = NULL;
  qt_quantizer* quantizer = NULL;
  char* text = NULL;
  CHECK(qt_quantize_per_channel(&tensor, data, shape, 2, scales, zero_points, 4, 0, QT_QINT8) ==
        QT_OK);
  CHECK(qt_transpose(&view, tensor, 0, 1) == QT_OK);
  CHECK(qt_tensor_quantizer(&quantizer, view) == QT_OK);
  CHECK(qt_to_string(&text, view) == QT_OK);
  CHECK(strstr(text, "axis=1") != NULL);
  /* A failed call must not leak either. */
  qt_tensor* never = NULL;
  CHECK(qt_select(&never, view, 5, 0) == QT_ERR_OUT_OF_RANGE);
  qt_string_free(text);
  qt_quantizer_free(quantizer);
  qt_tensor_free(tensor); /* the view keeps the storage alive */
  float first = 0.0f;
  const int64_t index[2] = {0, 0};
  CHECK(qt_tensor_get(&first, view, index, 2) == QT_OK);
  qt_tensor_free(view);
}

int main(void) {
  for (int round = 0; round < kWarmup; ++round) one_round(round);
  const long before = resident_kib();
  for (int round = 0; round < kRounds; ++round) one_round(round);
  const long after = resident_kib();
  printf("resident memory: %ld KiB after warm-up, %ld KiB after %d more rounds\n", before, after,
         kRounds);
  CHECK(before > 0 && after > 0);
  /* A leak of even 16 bytes a round would add over 1.5 MiB; allow 1 MiB of
     allocator noise. */
  if (kCheckResident) CHECK(after - before < 1024);
  printf("%ld checks passed\n", g_checks);
  return 0;
}

/*
 * test_bundle_scaling.c - a bundle with many tensor names and metadata keys,
 * as a hostile file may hold: listing every key and name by index and
 * looking every name up must cost O(n log n) in all, not O(n^2). Checked
 * with a generous time budget on a size where the quadratic walk took tens
 * of seconds (listing 40 000 keys by index took 16 to 25 s), and with the
 * values themselves: keys in sorted order, each name's own tensor, and
 * positions after a removal.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

enum { kCount = 50000, kDistinct = 7 };
static const double kBudgetSeconds = 10.0;

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void name_of(char* out, size_t size, const char* prefix, int i) {
  snprintf(out, size, "%s%06d", prefix, i);
}

/* Name i holds the one-element tensor of value i % kDistinct. */
static float value_of(int i) { return (float)(i % kDistinct); }

static qt_bundle* make_bundle(qt_tensor* const* tensors) {
  qt_bundle* bundle = NULL;
  CHECK_OK(qt_bundle_new(&bundle));
  char name[32];
  for (int i = kCount - 1; i >= 0; --i) { /* keys arrive out of order */
    name_of(name, sizeof name, "key", i);
    CHECK_OK(qt_bundle_set_metadata(bundle, name, name + 3));
  }
  for (int i = 0; i < kCount; ++i) {
    name_of(name, sizeof name, "t", i);
    CHECK_OK(qt_bundle_set(bundle, name, tensors[i % kDistinct]));
  }
  return bundle;
}

/* Every key by index, every name by index and by lookup, in one budget. */
static void list_everything(const qt_bundle* bundle, int removed) {
  const double start = now_seconds();
  char expected[32];
  size_t size = 0;
  CHECK_OK(qt_bundle_metadata_size(&size, bundle));
  CHECK_I64(size, kCount);
  for (int i = 0; i < kCount; ++i) {
    const char* key = NULL;
    CHECK_OK(qt_bundle_metadata_key(&key, bundle, (size_t)i));
    name_of(expected, sizeof expected, "key", i);
    if (strcmp(key, expected) != 0) {
      FAIL_AT(__LINE__, "metadata key %d is '%s', not '%s'", i, key, expected);
    }
  }
  CHECK_OK(qt_bundle_size(&size, bundle));
  CHECK_I64(size, kCount - (removed >= 0));
  for (int i = 0, position = 0; i < kCount; ++i) {
    name_of(expected, sizeof expected, "t", i);
    bool present = false;
    CHECK_OK(qt_bundle_contains(&present, bundle, expected));
    CHECK_I64(present, i != removed);
    if (i == removed) continue;
    const char* name = NULL;
    CHECK_OK(qt_bundle_name(&name, bundle, (size_t)position));
    if (strcmp(name, expected) != 0) {
      FAIL_AT(__LINE__, "name %d is '%s', not '%s'", position, name, expected);
    }
    qt_tensor* by_name = NULL;
    qt_tensor* by_index = NULL;
    CHECK_OK(qt_bundle_get(&by_name, bundle, expected));
    CHECK_OK(qt_bundle_get_index(&by_index, bundle, (size_t)position));
    float got_by_name = -1.0f, got_by_index = -1.0f;
    CHECK_OK(qt_tensor_item(&got_by_name, by_name));
    CHECK_OK(qt_tensor_item(&got_by_index, by_index));
    CHECK_F32(got_by_name, value_of(i));
    CHECK_F32(got_by_index, value_of(i));
    qt_tensor_free(by_name);
    qt_tensor_free(by_index);
    ++position;
  }
  const double seconds = now_seconds() - start;
  printf("listed %d keys and %d names in %.3f s\n", kCount, kCount, seconds);
  CHECK(seconds < kBudgetSeconds);
}

int main(void) {
  qt_tensor* tensors[kDistinct];
  for (int v = 0; v < kDistinct; ++v) {
    const float x = (float)v;
    CHECK_OK(qt_quantize_per_tensor(&tensors[v], &x, NULL, 0, 1.0, 0, QT_QINT8));
  }
  qt_bundle* bundle = make_bundle(tensors);

  step("a bundle built through the API");
  list_everything(bundle, -1);
  step_ok("a bundle built through the API");

  step("the same bundle serialized and read back");
  uint8_t* bytes = NULL;
  size_t byte_count = 0;
  CHECK_OK(qt_bundle_serialize(&bytes, &byte_count, bundle));
  qt_bundle* loaded = NULL;
  CHECK_OK(qt_bundle_deserialize(&loaded, bytes, byte_count));
  qt_buffer_free(bytes);
  list_everything(loaded, -1);
  step_ok("the same bundle serialized and read back");

  step("after removing a name in the middle, the later ones move up");
  char middle[32];
  name_of(middle, sizeof middle, "t", kCount / 2);
  CHECK_OK(qt_bundle_remove(loaded, middle));
  CHECK_STATUS(qt_bundle_remove(loaded, middle), QT_ERR_NOT_FOUND);
  list_everything(loaded, kCount / 2);
  step_ok("after removing a name in the middle, the later ones move up");

  qt_bundle_free(loaded);
  qt_bundle_free(bundle);
  for (int v = 0; v < kDistinct; ++v) qt_tensor_free(tensors[v]);
  printf("c_bundle_scaling: %ld checks passed\n", g_checks);
  return 0;
}

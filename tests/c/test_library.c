/* test_library.c - facts and settings of the library itself:
   qt_version_number against the header and qt_version; qt_set_max_simd_target
   (every name, in any case, above and below the CPU's best target, unknown
   names, NULL and ""), with quantize / dequantize giving the same bytes and
   floats under every cap; and the environment variable
   QTENSOR_MAX_SIMD_TARGET, read when the library loads, checked by running
   this program again with it set (argv[1] == "--print-simd-target"). */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "qtensor/qtensor.h"

/* Highway's x86 target names, best first (qt_simd_target prints these). */
static const char* const kTargets[] = {"AVX3_DL", "AVX3",   "AVX2",  "SSE4",
                                       "SSSE3",   "EMU128", "SCALAR"};
#define NUM_TARGETS (sizeof kTargets / sizeof kTargets[0])

static int rank_of(const char* name) {
  for (size_t i = 0; i < NUM_TARGETS; ++i) {
    if (strcmp(kTargets[i], name) == 0) return (int)i;
  }
  FAIL_AT(__LINE__, "qt_simd_target() printed \"%s\", not a known target", name);
}

static void lower_case(char* out, const char* name) {
  size_t i = 0;
  for (; name[i] != '\0'; ++i) {
    out[i] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] - 'A' + 'a') : name[i];
  }
  out[i] = '\0';
}

/* The CPU's best target (no cap) and, per name, what a cap at it gives. */
static const char* g_best;
static const char* g_capped[NUM_TARGETS];

static int is_x86_with_avx2(void) { return rank_of(g_best) <= rank_of("AVX2"); }

static void test_version_number(void) {
  CHECK(qt_version_number() == QTENSOR_VERSION_NUMBER);
  CHECK(QTENSOR_VERSION_NUMBER ==
        QTENSOR_VERSION_MAJOR * 10000 + QTENSOR_VERSION_MINOR * 100 + QTENSOR_VERSION_PATCH);
  unsigned major = 0, minor = 0, patch = 0;
  char rest = 0;
  CHECK(sscanf(qt_version(), "%u.%u.%u%c", &major, &minor, &patch, &rest) == 3);
  CHECK(minor < 100 && patch < 100);
  CHECK(qt_version_number() == major * 10000 + minor * 100 + patch);
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", QTENSOR_VERSION_MAJOR, QTENSOR_VERSION_MINOR,
           QTENSOR_VERSION_PATCH);
  CHECK(strcmp(qt_version(), expected) == 0);
}

static void test_caps(void) {
  CHECK_OK(qt_set_max_simd_target(NULL)); /* whatever the environment set */
  g_best = qt_simd_target();
  rank_of(g_best);
  for (size_t i = 0; i < NUM_TARGETS; ++i) {
    char lower[16];
    lower_case(lower, kTargets[i]);
    CHECK_OK(qt_set_max_simd_target(kTargets[i]));
    g_capped[i] = qt_simd_target();
    CHECK_OK(qt_set_max_simd_target(lower)); /* any case: the same cap */
    CHECK(strcmp(qt_simd_target(), g_capped[i]) == 0);
    CHECK_OK(qt_set_max_simd_target(""));
    CHECK(strcmp(qt_simd_target(), g_best) == 0);
  }
  /* The fallback (capping at the lowest name) is the one target a cap
     cannot go below: SCALAR, or EMU128 where SCALAR is not built. */
  const int fallback = rank_of(g_capped[NUM_TARGETS - 1]);
  CHECK(fallback >= rank_of("EMU128"));
  for (size_t i = 0; i < NUM_TARGETS; ++i) {
    const int cap = (int)i, got = rank_of(g_capped[i]);
    if (cap <= rank_of(g_best)) {
      /* A cap at or above the CPU's best target leaves the best target. */
      if (got != rank_of(g_best)) FAIL_AT(__LINE__, "cap %s gave %s", kTargets[i], g_capped[i]);
    } else if (got != fallback) {
      /* Otherwise: the best available target not above the cap, i.e. one
         that keeps itself when it is the cap, with every target between
         the cap and it unavailable. */
      if (got < cap) FAIL_AT(__LINE__, "cap %s gave %s, above it", kTargets[i], g_capped[i]);
      if (rank_of(g_capped[got]) != got) FAIL_AT(__LINE__, "%s is no fixed point", g_capped[i]);
      for (int between = cap; between < got; ++between) {
        if (rank_of(g_capped[between]) == between) {
          FAIL_AT(__LINE__, "cap %s gave %s, but %s is available", kTargets[i], g_capped[i],
                  kTargets[between]);
        }
      }
    }
  }
  CHECK(rank_of(g_capped[rank_of("EMU128")]) >= rank_of("EMU128"));
  CHECK_OK(qt_set_max_simd_target("EMU128"));
  CHECK(strcmp(qt_simd_target(), "EMU128") == 0 || strcmp(qt_simd_target(), "SCALAR") == 0);
  if (is_x86_with_avx2()) {
    /* Every x86-64 build of Highway has these targets. */
    CHECK_OK(qt_set_max_simd_target("avx2"));
    CHECK(strcmp(qt_simd_target(), "AVX2") == 0);
    CHECK_OK(qt_set_max_simd_target("sse4"));
    CHECK(strcmp(qt_simd_target(), "SSE4") == 0);
    CHECK_OK(qt_set_max_simd_target("Ssse3"));
    CHECK(strcmp(qt_simd_target(), "SSSE3") == 0);
    CHECK_OK(qt_set_max_simd_target("AVX3_DL")); /* at or above the best: the best */
    CHECK(strcmp(qt_simd_target(), g_best) == 0);
  }
  if (strcmp(g_best, "AVX2") == 0) {
    CHECK_OK(qt_set_max_simd_target("AVX3")); /* above this CPU's best */
    CHECK(strcmp(qt_simd_target(), "AVX2") == 0);
  }
  CHECK_OK(qt_set_max_simd_target(NULL));
  CHECK(strcmp(qt_simd_target(), g_best) == 0);
}

static void test_unknown_names(void) {
  const char* const bad[] = {"AVX9",  "Unknown", "unknown", "AVX2 ", " SSE4",
                             "SSE2x", "AVX",     "EMU",     "-",     "\xc3\xa4"};
  const char* cap = g_capped[rank_of("SSE4")];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    CHECK_OK(qt_set_max_simd_target("SSE4"));
    CHECK_STATUS(qt_set_max_simd_target(bad[i]), QT_ERR_INVALID_ARGUMENT);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "unknown SIMD target \"%s\" (expected one of ", bad[i]);
    const char* message = qt_last_error_message();
    if (strstr(message, quoted) != message || strstr(message, "EMU128") == NULL) {
      FAIL_AT(__LINE__, "the message for \"%s\" is \"%s\"", bad[i], message);
    }
    CHECK(strcmp(qt_simd_target(), cap) == 0); /* the cap is unchanged */
  }
  /* NULL and "" remove the cap; a long name is reported whole. */
  CHECK_OK(qt_set_max_simd_target("SSE4"));
  CHECK_OK(qt_set_max_simd_target(""));
  CHECK(strcmp(qt_simd_target(), g_best) == 0);
  CHECK_OK(qt_set_max_simd_target("SSE4"));
  CHECK_OK(qt_set_max_simd_target(NULL));
  CHECK(strcmp(qt_simd_target(), g_best) == 0);
  char long_name[301];
  memset(long_name, 'A', 300);
  long_name[300] = '\0';
  CHECK_STATUS(qt_set_max_simd_target(long_name), QT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(qt_last_error_message(), long_name) != NULL);
  CHECK(strcmp(qt_simd_target(), g_best) == 0);
}

/* -------------------------------------- the same bits under every cap */

/* Sizes around every vector length (4 to 16 floats) and their tails. */
static const int64_t kSizes[] = {1,  2,  3,  5,  7,  8,  9,   15,   16,
                                 17, 31, 33, 63, 64, 65, 127, 1000, 4099};
#define NUM_SIZES (sizeof kSizes / sizeof kSizes[0])
#define MAX_NUMEL (3 * 4099)

static float g_input[MAX_NUMEL];

static void fill_input(size_t count, float scale) {
  uint32_t state = 12345u;
  for (size_t i = 0; i < count; ++i) {
    state = state * 1664525u + 1013904223u;
    switch (i % 11) {
      case 0: /* exact ties: k + 0.5 steps, rounded half to even */
        g_input[i] = ((float)((int)(state >> 20) - 2048) + 0.5f) * scale;
        break;
      case 1: /* far outside every range: clamped */
        g_input[i] = (state & 1u) ? 3e9f : -3e9f;
        break;
      default:
        g_input[i] = ((float)(state >> 8) / 16777216.0f - 0.5f) * 600.0f * scale;
    }
  }
  const float specials[] = {NAN, INFINITY, -INFINITY, -0.0f, 1e-40f, 3.4e38f};
  for (size_t i = 0; i < sizeof specials / sizeof specials[0] && 2 * i + 1 < count; ++i) {
    g_input[2 * i + 1] = specials[i];
  }
}

typedef struct {
  unsigned char ints[MAX_NUMEL * 4];
  float floats[MAX_NUMEL];
  float from_ints[MAX_NUMEL]; /* dequantized from every integer pattern */
} results;

static results g_reference, g_capped_results;

/* Quantizes g_input (shape {3, n}) per tensor (axis -1) or per channel on
   axis 0 or 1 and reads the integers and floats out; then dequantizes a
   tensor holding integers spread over the dtype's whole range. */
static void run(qt_dtype dtype, int axis, int64_t n, results* out) {
  const int64_t shape[2] = {3, n};
  const size_t numel = (size_t)(3 * n), size = qt_dtype_size(dtype);
  static double scales[4099];
  static int64_t zero_points[4099];
  const int64_t channels = axis < 0 ? 1 : shape[axis];
  const int64_t qmin = dtype == QT_QINT8 ? -128 : dtype == QT_QUINT8 ? 0 : INT32_MIN;
  const int64_t qmax = dtype == QT_QINT8 ? 127 : dtype == QT_QUINT8 ? 255 : INT32_MAX;
  for (int64_t c = 0; c < channels; ++c) {
    scales[c] = 0.05 + 0.003 * (double)(c % 17);
    zero_points[c] = (qmin + qmax) / 2 + c % 9 - 4;
  }
  qt_quantizer* quantizer = NULL;
  if (axis < 0) {
    CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, dtype, 0.05, zero_points[0]));
  } else {
    CHECK_OK(qt_quantizer_new_per_channel(&quantizer, dtype, scales, zero_points, (size_t)channels,
                                          axis));
  }
  qt_tensor* tensor = NULL;
  CHECK_OK(qt_quantize(&tensor, g_input, shape, 2, quantizer));
  memset(out, 0, sizeof *out);
  CHECK_OK(qt_int_repr(out->ints, numel * size, tensor));
  CHECK_OK(qt_dequantize(out->floats, numel, tensor));
  qt_tensor_free(tensor);

  /* Integers from qmin to qmax in equal steps, both ends included. */
  static int32_t ints[MAX_NUMEL];
  for (size_t i = 0; i < numel; ++i) {
    const int64_t value =
        numel == 1 ? qmin
                   : qmin + (int64_t)((double)(qmax - qmin) * (double)i / (double)(numel - 1));
    ints[i] = (int32_t)value;
  }
  static unsigned char bytes[MAX_NUMEL * 4];
  for (size_t i = 0; i < numel; ++i) {
    if (dtype == QT_QINT8) {
      const int8_t v = (int8_t)ints[i];
      memcpy(bytes + i, &v, 1);
    } else if (dtype == QT_QUINT8) {
      bytes[i] = (unsigned char)ints[i];
    } else {
      memcpy(bytes + 4 * i, &ints[i], 4);
    }
  }
  CHECK_OK(qt_from_int_repr(&tensor, bytes, numel * size, shape, 2, quantizer));
  CHECK_OK(qt_dequantize(out->from_ints, numel, tensor));
  qt_tensor_free(tensor);
  qt_quantizer_free(quantizer);
}

static void test_same_bits_under_every_cap(void) {
  const qt_dtype dtypes[] = {QT_QINT8, QT_QUINT8, QT_QINT32};
  int compared_other_target = 0;
  for (size_t d = 0; d < 3; ++d) {
    for (int axis = -1; axis < 2; ++axis) {
      for (size_t s = 0; s < NUM_SIZES; ++s) {
        const int64_t n = kSizes[s];
        const size_t numel = (size_t)(3 * n);
        fill_input(numel, 0.05f);
        CHECK_OK(qt_set_max_simd_target(NULL));
        run(dtypes[d], axis, n, &g_reference);
        for (size_t t = 0; t < NUM_TARGETS; ++t) {
          if (rank_of(g_capped[t]) != (int)t) continue; /* not available: done by another */
          CHECK_OK(qt_set_max_simd_target(kTargets[t]));
          CHECK(strcmp(qt_simd_target(), kTargets[t]) == 0);
          run(dtypes[d], axis, n, &g_capped_results);
          const size_t int_bytes = numel * qt_dtype_size(dtypes[d]);
          const char* what = NULL;
          if (memcmp(g_reference.ints, g_capped_results.ints, int_bytes) != 0) {
            what = "integers";
          } else if (memcmp(g_reference.floats, g_capped_results.floats, numel * 4) != 0) {
            what = "dequantized floats";
          } else if (memcmp(g_reference.from_ints, g_capped_results.from_ints, numel * 4) != 0) {
            what = "floats of the integer range";
          }
          ++g_checks;
          if (what != NULL) {
            FAIL_AT(__LINE__, "%s differ between %s and %s (dtype %d, axis %d, shape {3, %lld})",
                    what, g_best, kTargets[t], (int)dtypes[d], axis, (long long)n);
          }
          if (strcmp(kTargets[t], g_best) != 0) compared_other_target = 1;
        }
      }
    }
  }
  CHECK(compared_other_target);
  CHECK_OK(qt_set_max_simd_target(NULL));
}

/* ------------------------------------------------ the environment variable */

/* This program's path, as ctest started it. */
static const char* g_program;

typedef struct {
  char out[256];
  char err[1024];
} child_output;

static void read_all(int fd, char* buffer, size_t capacity) {
  size_t used = 0;
  for (;;) {
    const ssize_t got = read(fd, buffer + used, capacity - 1 - used);
    if (got <= 0) break;
    used += (size_t)got;
    if (used == capacity - 1) break;
  }
  buffer[used] = '\0';
  close(fd);
}

/* Runs this program again with QTENSOR_MAX_SIMD_TARGET set to value (unset
   for NULL): it prints its target, removes the cap, and prints it again. */
static void run_child(const char* value, child_output* result) {
  int out_pipe[2], err_pipe[2];
  CHECK(pipe(out_pipe) == 0 && pipe(err_pipe) == 0);
  fflush(NULL);
  const pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    if (value != NULL) {
      setenv("QTENSOR_MAX_SIMD_TARGET", value, 1);
    } else {
      unsetenv("QTENSOR_MAX_SIMD_TARGET");
    }
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    char* const args[] = {(char*)g_program, "--print-simd-target", NULL};
    execv(g_program, args);
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  read_all(out_pipe[0], result->out, sizeof result->out);
  read_all(err_pipe[0], result->err, sizeof result->err);
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    FAIL_AT(__LINE__, "the child with QTENSOR_MAX_SIMD_TARGET=%s failed (status %d): %s",
            value ? value : "(unset)", status, result->err);
  }
}

static void expect_child(const char* value, const char* target, const char* stderr_text) {
  child_output result;
  run_child(value, &result);
  char expected[128];
  snprintf(expected, sizeof expected, "%s\n%s\n", target, g_best);
  ++g_checks;
  if (strcmp(result.out, expected) != 0 || strcmp(result.err, stderr_text) != 0) {
    FAIL_AT(__LINE__,
            "QTENSOR_MAX_SIMD_TARGET=%s: printed \"%s\" and on stderr \"%s\"; expected \"%s\" "
            "and \"%s\"",
            value ? value : "(unset)", result.out, result.err, expected, stderr_text);
  }
}

static void test_environment_variable(void) {
  expect_child(NULL, g_best, "");
  expect_child("", g_best, "");
  expect_child("EMU128", g_capped[rank_of("EMU128")], "");
  expect_child("sse4", g_capped[rank_of("SSE4")], "");
  expect_child("SCALAR", g_capped[rank_of("SCALAR")], "");
  if (is_x86_with_avx2()) {
    expect_child("avx2", "AVX2", "");
    expect_child("SSE4", "SSE4", "");
  }
  /* An unknown name: one line on stderr naming it, and no cap. */
  char line[512];
  CHECK_STATUS(qt_set_max_simd_target("AVX9"), QT_ERR_INVALID_ARGUMENT);
  const char* list = strstr(qt_last_error_message(), "(expected one of ");
  CHECK(list != NULL);
  snprintf(line, sizeof line,
           "qtensor: ignoring QTENSOR_MAX_SIMD_TARGET=AVX9: not a SIMD target %s\n", list);
  expect_child("AVX9", g_best, line);
  snprintf(line, sizeof line,
           "qtensor: ignoring QTENSOR_MAX_SIMD_TARGET=Unknown: not a SIMD target %s\n", list);
  expect_child("Unknown", g_best, line);
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "--print-simd-target") == 0) {
    printf("%s\n", qt_simd_target());
    if (qt_set_max_simd_target(NULL) != QT_OK) return 1;
    printf("%s\n", qt_simd_target());
    return 0;
  }
  g_program = argv[0];
  test_version_number();
  test_caps();
  test_unknown_names();
  test_same_bits_under_every_cap();
  test_environment_variable();
  printf("c_library: %ld checks passed (best target %s)\n", g_checks, g_best);
  return 0;
}

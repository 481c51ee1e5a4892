/* check.h - the assertion macros and helpers of the C test programs: count
   each check, and on the first failure print file:line and what failed, then
   exit(1). Everything is static inline, so a program may use any part. */
#ifndef QTENSOR_TESTS_C_CHECK_H
#define QTENSOR_TESTS_C_CHECK_H

#include <inttypes.h>
#include <qtensor/qtensor.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long g_checks;

/* __FILE__ expands where the macro is used: the test's own file. */
#define FAIL_AT(line, ...)                                           \
  do {                                                               \
    fprintf(stderr, "%s:%d: check failed: ", __FILE__, (int)(line)); \
    fprintf(stderr, __VA_ARGS__);                                    \
    fputc('\n', stderr);                                             \
    exit(1);                                                         \
  } while (0)

#define CHECK(cond)                              \
  do {                                           \
    ++g_checks;                                  \
    if (!(cond)) FAIL_AT(__LINE__, "%s", #cond); \
  } while (0)

static inline void check_status_at(int line, const char* expr, qt_status got, qt_status expected) {
  ++g_checks;
  if (got != expected) {
    /* Copy the message first: it is only valid until the next qt_* call. */
    char message[1024];
    snprintf(message, sizeof message, "%s", qt_last_error_message());
    FAIL_AT(line, "%s returned %s, expected %s (last error: \"%s\")", expr, qt_status_name(got),
            qt_status_name(expected), message);
  }
}
#define CHECK_OK(call) check_status_at(__LINE__, #call, (call), QT_OK)
#define CHECK_STATUS(call, expected) check_status_at(__LINE__, #call, (call), (expected))

static inline void check_i64_at(int line, const char* expr, int64_t got, int64_t expected) {
  ++g_checks;
  if (got != expected) {
    FAIL_AT(line, "%s: got %" PRId64 ", expected %" PRId64, expr, got, expected);
  }
}
#define CHECK_I64(got, expected) check_i64_at(__LINE__, #got, (int64_t)(got), (int64_t)(expected))

static inline uint32_t f32_bits(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof bits);
  return bits;
}

/* Floats are compared bit for bit (so -0.0f != 0.0f and NaN == same NaN). */
static inline void check_f32_at(int line, const char* expr, float got, float expected) {
  ++g_checks;
  if (f32_bits(got) != f32_bits(expected)) {
    FAIL_AT(line,
            "%s: got %.9g (%a, bits 0x%08" PRIx32 "), expected %.9g (%a, bits 0x%08" PRIx32 ")",
            expr, (double)got, (double)got, f32_bits(got), (double)expected, (double)expected,
            f32_bits(expected));
  }
}
#define CHECK_F32(got, expected) check_f32_at(__LINE__, #got, (got), (expected))

static inline void check_f64_at(int line, const char* expr, double got, double expected) {
  ++g_checks;
  if (memcmp(&got, &expected, sizeof got) != 0) {
    FAIL_AT(line, "%s: got %.17g (%a), expected %.17g (%a)", expr, got, got, expected, expected);
  }
}
#define CHECK_F64(got, expected) check_f64_at(__LINE__, #got, (got), (expected))

static inline void check_str_at(int line, const char* expr, const char* got, const char* expected) {
  ++g_checks;
  if (got == NULL) FAIL_AT(line, "%s: got NULL, expected \"%s\"", expr, expected);
  if (strcmp(got, expected) != 0) {
    size_t at = 0;
    while (got[at] != '\0' && got[at] == expected[at]) ++at;
    FAIL_AT(line,
            "%s: strings differ at byte %zu\n--- got:\n%s\n--- expected:\n%s\n--- got from the "
            "difference on: \"%.40s\"\n--- expected from there: \"%.40s\"",
            expr, at, got, expected, got + at, expected + at);
  }
}
#define CHECK_STR(got, expected) check_str_at(__LINE__, #got, (got), (expected))

static inline void step(const char* name) { printf("[ RUN  ] %s\n", name); }
static inline void step_ok(const char* name) { printf("[  OK  ] %s\n", name); }

#endif /* QTENSOR_TESTS_C_CHECK_H */

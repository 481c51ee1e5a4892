/* check.h - the assertion macros of the C test programs: count each check,
   and on the first failure print file:line and what failed, then exit(1). */
#ifndef QTENSOR_TESTS_C_CHECK_H
#define QTENSOR_TESTS_C_CHECK_H

#include <qtensor/qtensor.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif /* QTENSOR_TESTS_C_CHECK_H */

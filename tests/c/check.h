/* check.h - the assertion macros of the C test programs: count each check,
   and on the first failure print file:line and what failed, then exit(1). */
#ifndef QTENSOR_TESTS_C_CHECK_H
#define QTENSOR_TESTS_C_CHECK_H

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

#endif /* QTENSOR_TESTS_C_CHECK_H */

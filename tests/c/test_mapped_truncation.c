/* A container truncated while one of its tensors is mapped: reading the
   tensor does not crash (the lost pages read as zeros), and the file
   handle reports the change (qt_bundle_file_get and _verify give
   QT_ERR_CORRUPT_DATA). A SIGBUS outside qtensor's mappings still reaches
   the handler installed before qtensor's, or kills the process. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, ftruncate, fork, sigaction */
#define _DEFAULT_SOURCE         /* MAP_ANONYMOUS */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { kRows = 256, kCols = 4096 }; /* 1 MiB of qint8 */

static void write_container(const char* path) {
  int8_t* ints = malloc((size_t)kRows * kCols);
  for (size_t i = 0; i < (size_t)kRows * kCols; ++i) ints[i] = (int8_t)(i % 251 + 1);
  qt_quantizer* quantizer = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, QT_QINT8, 0.5, 0));
  const int64_t shape[2] = {kRows, kCols};
  qt_tensor* tensor = NULL;
  CHECK_OK(qt_from_int_repr(&tensor, ints, (size_t)kRows * kCols, shape, 2, quantizer));
  qt_bundle_writer* writer = NULL;
  CHECK_OK(qt_bundle_writer_open(&writer, path));
  CHECK_OK(qt_bundle_writer_add(writer, "big", tensor));
  CHECK_OK(qt_bundle_writer_finish(writer));
  qt_bundle_writer_free(writer);
  qt_tensor_free(tensor);
  qt_quantizer_free(quantizer);
  free(ints);
}

static void check_truncated_while_mapped(const char* path) {
  qt_bundle_file* file = NULL;
  CHECK_OK(qt_bundle_file_open(&file, path));
  qt_tensor* mapped = NULL;
  CHECK_OK(qt_bundle_file_get(&mapped, file, "big"));
  int8_t* first = malloc((size_t)kRows * kCols);
  CHECK_OK(qt_int_repr(first, (size_t)kRows * kCols, mapped)); /* pages now resident */
  CHECK_I64(first[kCols], (int8_t)(kCols % 251 + 1));

  /* Another writer cuts the file in the middle of the payload. */
  const int fd = open(path, O_WRONLY);
  CHECK(fd >= 0);
  CHECK(ftruncate(fd, 64 + (off_t)kRows * kCols / 2) == 0);
  close(fd);

  int8_t* second = malloc((size_t)kRows * kCols);
  CHECK_OK(qt_int_repr(second, (size_t)kRows * kCols, mapped)); /* no SIGBUS death */
  const size_t kept = (size_t)kRows * kCols / 2;
  CHECK(memcmp(first, second, kept - 4096) == 0); /* pages before the cut */
  size_t zeros = 0;
  for (size_t i = kept + 4096; i < (size_t)kRows * kCols; ++i) zeros += second[i] == 0;
  CHECK_I64(zeros, (size_t)kRows * kCols - kept - 4096); /* lost pages read as zeros */

  CHECK_STATUS(qt_bundle_file_verify(file, NULL), QT_ERR_CORRUPT_DATA);
  CHECK(strstr(qt_last_error_message(), "truncated") != NULL);
  qt_tensor* again = NULL;
  CHECK_STATUS(qt_bundle_file_get(&again, file, "big"), QT_ERR_CORRUPT_DATA);
  qt_tensor_free(mapped);
  qt_bundle_file_free(file);
  free(first);
  free(second);
}

/* In a child: a SIGBUS from a mapping qtensor does not own. */
static void fault_outside_qtensor(const char* dir) {
  char path[256];
  snprintf(path, sizeof path, "%s/other.bin", dir);
  const int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ftruncate(fd, 8192) != 0) _exit(3);
  volatile const char* bytes = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
  if (bytes == MAP_FAILED || ftruncate(fd, 0) != 0) _exit(4);
  (void)bytes[4096];
  _exit(5); /* not reached: the read faults */
}

static void exit_42(int signal) {
  (void)signal;
  _exit(42);
}

/* Runs body in a child whose qtensor handler is installed (a container
   mapped), after installing handler (SIG_DFL for none); returns the
   child's wait status. */
static int child_status(const char* dir, const char* container, void (*handler)(int)) {
  const pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, NULL);
    qt_bundle_file* file = NULL;
    qt_tensor* mapped = NULL;
    if (qt_bundle_file_open(&file, container) != QT_OK) _exit(6);
    if (qt_bundle_file_get(&mapped, file, "big") != QT_OK) _exit(7);
    fault_outside_qtensor(dir);
  }
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  return status;
}

int main(void) {
  char dir[] = "/tmp/qtensor_c_truncation_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256], intact[256];
  snprintf(path, sizeof path, "%s/model.qtb", dir);
  snprintf(intact, sizeof intact, "%s/intact.qtb", dir);
  write_container(path);
  write_container(intact);
  check_truncated_while_mapped(path);

  /* Chained to the handler installed before qtensor's. */
  const int chained = child_status(dir, intact, exit_42);
  CHECK(WIFEXITED(chained) && WEXITSTATUS(chained) == 42);
  /* Without one, the default action: death by SIGBUS (or a sanitizer's
     report and a failing exit, when one handles SIGBUS first). */
  const int unhandled = child_status(dir, intact, SIG_DFL);
  CHECK((WIFSIGNALED(unhandled) && WTERMSIG(unhandled) == SIGBUS) ||
        (WIFEXITED(unhandled) && WEXITSTATUS(unhandled) != 0 && WEXITSTATUS(unhandled) != 5));

  remove(path);
  remove(intact);
  char other[256];
  snprintf(other, sizeof other, "%s/other.bin", dir);
  remove(other);
  rmdir(dir);
  printf("mapped_truncation: %ld checks passed\n", g_checks);
  return 0;
}

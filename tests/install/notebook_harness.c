/*
 * docs/notebook.md's C blocks, run as written: check_install.sh extracts
 * block N to notebook_block_N.c, and this program includes each in order in
 * one main(), against the installed library. After each block it prints
 * what the page's text block after it shows; the output must equal those
 * text blocks, in order.
 */
#include <qtensor/qtensor.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_tensor(const qt_tensor* tensor) {
  char* text = NULL;
  if (qt_to_string(&text, tensor) != QT_OK) {
    fprintf(stderr, "qt_to_string: %s\n", qt_last_error_message());
    exit(1);
  }
  puts(text);
  qt_string_free(text);
}

/* The shortest text that reads back as the same float, fixed or scientific
 * (fixed on a tie), as the page (C++'s std::to_chars) shows it. */
static void print_float(float value) {
  char scientific[32], fixed[48];
  int digits = 1;
  for (; digits < 9; ++digits) {
    snprintf(scientific, sizeof scientific, "%.*e", digits - 1, value);
    if (strtof(scientific, NULL) == value) break;
  }
  snprintf(scientific, sizeof scientific, "%.*e", digits - 1, value);
  const int exponent = atoi(strchr(scientific, 'e') + 1);
  const int decimals = digits - 1 - exponent;
  snprintf(fixed, sizeof fixed, "%.*f", decimals > 0 ? decimals : 0, value);
  fputs(strlen(fixed) <= strlen(scientific) ? fixed : scientific, stdout);
}

static void print_element(const qt_tensor* tensor, int64_t index) {
  qt_tensor* element = NULL;
  if (qt_select(&element, tensor, 0, index) != QT_OK) {
    fprintf(stderr, "qt_select: %s\n", qt_last_error_message());
    exit(1);
  }
  print_tensor(element);
  qt_tensor_free(element);
}

int main(void) {
#include "notebook_block_1.c"
  print_tensor(q_per_tensor);
#include "notebook_block_2.c"
  print_tensor(q_per_channel);
#include "notebook_block_3.c"
  print_tensor(empty);
#include "notebook_block_4.c"
  print_tensor(q);
#include "notebook_block_5.c"
  print_tensor(same);
#include "notebook_block_6.c"
  for (int i = 0; i < 10; ++i) {
    fputs(i == 0 ? "[" : ", ", stdout);
    print_float(values[i]);
  }
  puts("]");
#include "notebook_block_7.c"
  print_tensor(s);
  print_tensor(every_third);
#include "notebook_block_8.c"
  print_element(q, 0);
#include "notebook_block_9.c"
  print_tensor(q2);
#include "notebook_block_10.c"
  print_tensor(big);
#include "notebook_block_11.c"
  print_tensor(t);
  print_tensor(p);
  puts(contiguous ? "true" : "false");
  print_tensor(c);
#include "notebook_block_12.c"
  print_tensor(moved);
  print_tensor(second);
  print_tensor(one_channel);
#include "notebook_block_13.c"
  printf("%zu, [%" PRId64 "]\n%s\n%g\n%" PRId64 "\n", numel, sizes[0],
         is_quantized ? "true" : "false", scale, zero_point);
  for (int i = 0; i < 10; ++i) printf("%s%d", i == 0 ? "[" : ", ", integers[i]);
  puts("]");
  print_float(item);
  puts("");
#include "notebook_block_14.c"
  printf("%s\n%s\n%g, %" PRId64 "\n", qt_qscheme_name(qscheme), qt_dtype_name(dtype), scale,
         zero_point);
#include "notebook_block_15.c"
  printf("[%g, %g, %g], [%" PRId64 ", %" PRId64 ", %" PRId64 "], %" PRId64 "\n", channel_scales[0],
         channel_scales[1], channel_scales[2], channel_zero_points[0], channel_zero_points[1],
         channel_zero_points[2], axis);
#include "notebook_block_16.c"
  print_tensor(again);
#include "notebook_block_17.c"
  return 0;
}

/*
 * test_bad_input.c - calls every function of the C ABI (qtensor.h) with bad
 * input and checks that each
 *   - returns the documented status (the exact one),
 *   - leaves a non-empty message in qt_last_error_message(), set by that very
 *     call (each call is preceded by a failure with a known marker message,
 *     which must be gone afterwards),
 *   - leaves its outputs untouched (out-pointers and buffers are preset to
 *     sentinels and checked afterwards),
 *   - leaves the handles it was given working and unchanged.
 * The *_free functions accept NULL; the name functions return NULL (or 0)
 * for unknown values.
 *
 * Uses only <qtensor/qtensor.h> and the C standard library. Prints a line per
 * group; exits 1 at the first failed check, naming file:line and the values.
 */
#include <qtensor/qtensor.h>

#include "check.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if !defined(__STDC_NO_THREADS__)
#include <threads.h>
#endif

/* ------------------------------------------------------------ checking */

/* The marker: a failure whose message is known, made before each bad call,
   so that a non-empty message afterwards is known to come from that call. */
#define MARKER_ZERO_POINT 777777
#define MARKER_TEXT "777777"

static void arm_marker(void) {
  qt_quantizer* q = NULL;
  if (qt_quantizer_new_per_tensor(&q, QT_QINT8, 1.0, MARKER_ZERO_POINT) !=
      QT_ERR_INVALID_ARGUMENT) {
    fprintf(stderr, "the marker call did not fail as expected\n");
    exit(1);
  }
  if (strstr(qt_last_error_message(), MARKER_TEXT) == NULL) {
    fprintf(stderr, "the marker message does not name the zero point: \"%s\"\n",
            qt_last_error_message());
    exit(1);
  }
}

/* A copy of the message of the last checked failure. */
static char g_message[2048];

static void expect_fail_at(int line, const char* expr, qt_status got, qt_status expected) {
  ++g_checks;
  snprintf(g_message, sizeof g_message, "%s", qt_last_error_message());
  if (got != expected) {
    FAIL_AT(line, "%s returned %s, expected %s (message: \"%s\")", expr, qt_status_name(got),
            qt_status_name(expected), g_message);
  }
  if (g_message[0] == '\0') FAIL_AT(line, "%s: qt_last_error_message() is empty", expr);
  if (strstr(g_message, MARKER_TEXT) != NULL) {
    FAIL_AT(line, "%s: the call did not set its own message (still \"%s\")", expr, g_message);
  }
}

/* Runs call right after the marker and checks its status and message. */
#define EXPECT_FAIL(call, expected) \
  expect_fail_at(__LINE__, #call, (arm_marker(), (call)), (expected))
#define EXPECT_INVALID(call) EXPECT_FAIL(call, QT_ERR_INVALID_ARGUMENT)
#define EXPECT_OUT_OF_RANGE(call) EXPECT_FAIL(call, QT_ERR_OUT_OF_RANGE)
#define EXPECT_SHAPE_MISMATCH(call) EXPECT_FAIL(call, QT_ERR_SHAPE_MISMATCH)
#define EXPECT_TYPE_MISMATCH(call) EXPECT_FAIL(call, QT_ERR_TYPE_MISMATCH)
#define EXPECT_OUT_OF_MEMORY(call) EXPECT_FAIL(call, QT_ERR_OUT_OF_MEMORY)

static bool contains_ci(const char* text, const char* needle) {
  const size_t n = strlen(needle);
  for (const char* p = text; *p != '\0'; ++p) {
    size_t i = 0;
    while (i < n && p[i] != '\0' &&
           tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i])) {
      ++i;
    }
    if (i == n) return true;
  }
  return n == 0;
}

/* The message of the last EXPECT_FAIL mentions needle (case-insensitive). */
#define EXPECT_MESSAGE_HAS(needle)                                                          \
  do {                                                                                      \
    ++g_checks;                                                                             \
    if (!contains_ci(g_message, (needle))) {                                                \
      FAIL_AT(__LINE__, "the message \"%s\" does not mention \"%s\"", g_message, (needle)); \
    }                                                                                       \
  } while (0)

/* The message names channel c: "[c]" or "channel c". */
#define EXPECT_MESSAGE_NAMES_CHANNEL(c)                                                 \
  do {                                                                                  \
    char bracket_[32], word_[32];                                                       \
    snprintf(bracket_, sizeof bracket_, "[%d]", (c));                                   \
    snprintf(word_, sizeof word_, "channel %d", (c));                                   \
    ++g_checks;                                                                         \
    if (!contains_ci(g_message, bracket_) && !contains_ci(g_message, word_)) {          \
      FAIL_AT(__LINE__, "the message \"%s\" does not name channel %d", g_message, (c)); \
    }                                                                                   \
  } while (0)

/* Sentinels for out-parameters: never valid objects. */
static max_align_t g_sentinel_storage[3];
#define SENTINEL_TENSOR ((qt_tensor*)(void*)&g_sentinel_storage[0])
#define SENTINEL_QUANTIZER ((qt_quantizer*)(void*)&g_sentinel_storage[1])
#define SENTINEL_STRING ((char*)(void*)&g_sentinel_storage[2])

/* --------------------------------------------------------- fixtures */

typedef struct {
  qt_quantizer* pt_quantizer; /* qint8, scale 0.5, zero point 1 */
  qt_quantizer* pc_quantizer; /* qint8, scales {0.1, 0.2, 0.3}, zps {0, 1, -1}, axis 1 */
  qt_tensor* pt;              /* qint8 (2, 3), pt_quantizer, ints 1..6 */
  qt_tensor* pc;              /* qint8 (2, 3), pc_quantizer, ints -3..2 */
  qt_tensor* u8;              /* quint8 (2, 3), scale 1, zero point 0 */
  qt_tensor* i32;             /* qint32 (2, 3), scale 0.25, zero point -2 */
  qt_tensor* scalar;          /* qint8 0-dim */
  qt_tensor* empty;           /* qint8 (0, 3) */
  qt_tensor* pt_row;          /* pt[1], a view */
} fixtures;

static const int64_t kShape23[2] = {2, 3};
static const int64_t kShape32[2] = {3, 2};
static const int64_t kShape03[2] = {0, 3};
static const double kPcScales[3] = {0.1, 0.2, 0.3};
static const int64_t kPcZeroPoints[3] = {0, 1, -1};
static const float kFloats6[6] = {0.5f, -1.0f, 2.0f, 0.0f, 1.5f, -0.5f};

static fixtures make_fixtures(void) {
  fixtures f;
  CHECK_OK(qt_quantizer_new_per_tensor(&f.pt_quantizer, QT_QINT8, 0.5, 1));
  CHECK_OK(qt_quantizer_new_per_channel(&f.pc_quantizer, QT_QINT8, kPcScales, kPcZeroPoints, 3, 1));
  const int8_t pt_ints[6] = {1, 2, 3, 4, 5, 6};
  CHECK_OK(qt_from_int_repr(&f.pt, pt_ints, sizeof pt_ints, kShape23, 2, f.pt_quantizer));
  const int8_t pc_ints[6] = {-3, -2, -1, 0, 1, 2};
  CHECK_OK(qt_from_int_repr(&f.pc, pc_ints, sizeof pc_ints, kShape23, 2, f.pc_quantizer));
  const uint8_t u8_ints[6] = {0, 10, 20, 30, 40, 255};
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&f.u8, u8_ints, kShape23, 2, 1.0, 0));
  const int32_t i32_ints[6] = {-100, 0, 100, INT32_MIN, INT32_MAX, 7};
  CHECK_OK(qt_make_per_tensor_quantized_int32(&f.i32, i32_ints, kShape23, 2, 0.25, -2));
  const int8_t one = 9;
  CHECK_OK(qt_make_per_tensor_quantized_int8(&f.scalar, &one, NULL, 0, 0.5, 1));
  CHECK_OK(qt_empty_quantized(&f.empty, kShape03, 2, f.pt_quantizer));
  CHECK_OK(qt_select(&f.pt_row, f.pt, 0, 1));
  return f;
}

static void free_fixtures(fixtures* f) {
  qt_tensor_free(f->pt_row);
  qt_tensor_free(f->empty);
  qt_tensor_free(f->scalar);
  qt_tensor_free(f->i32);
  qt_tensor_free(f->u8);
  qt_tensor_free(f->pc);
  qt_tensor_free(f->pt);
  qt_quantizer_free(f->pc_quantizer);
  qt_quantizer_free(f->pt_quantizer);
}

/* What a tensor looks like from outside: to check nothing changed. */
typedef struct {
  size_t ndim;
  int64_t shape[8];
  int64_t strides[8];
  int64_t offset;
  qt_dtype dtype;
  qt_qscheme qscheme;
  size_t channels;
  double scales[8];
  int64_t zero_points[8];
  unsigned char ints[64];
  float values[16];
  size_t numel;
} snapshot;

static snapshot take_snapshot(const qt_tensor* t) {
  snapshot s;
  memset(&s, 0, sizeof s);
  CHECK_OK(qt_tensor_ndim(&s.ndim, t));
  CHECK_OK(qt_tensor_shape(s.shape, 8, t));
  CHECK_OK(qt_tensor_strides(s.strides, 8, t));
  CHECK_OK(qt_tensor_storage_offset(&s.offset, t));
  CHECK_OK(qt_tensor_dtype(&s.dtype, t));
  CHECK_OK(qt_tensor_qscheme(&s.qscheme, t));
  CHECK_OK(qt_tensor_q_num_channels(&s.channels, t));
  CHECK_OK(qt_tensor_numel(&s.numel, t));
  if (s.qscheme == QT_PER_CHANNEL_AFFINE) {
    CHECK_OK(qt_tensor_q_per_channel_scales(s.scales, 8, t));
    CHECK_OK(qt_tensor_q_per_channel_zero_points(s.zero_points, 8, t));
  } else {
    CHECK_OK(qt_tensor_q_scale(&s.scales[0], t));
    CHECK_OK(qt_tensor_q_zero_point(&s.zero_points[0], t));
  }
  CHECK_OK(qt_int_repr(s.ints, sizeof s.ints, t));
  CHECK_OK(qt_dequantize(s.values, 16, t));
  return s;
}

static bool same_snapshot(const snapshot* a, const snapshot* b) {
  return a->ndim == b->ndim && memcmp(a->shape, b->shape, sizeof a->shape) == 0 &&
         memcmp(a->strides, b->strides, sizeof a->strides) == 0 && a->offset == b->offset &&
         a->dtype == b->dtype && a->qscheme == b->qscheme && a->channels == b->channels &&
         memcmp(a->scales, b->scales, sizeof a->scales) == 0 &&
         memcmp(a->zero_points, b->zero_points, sizeof a->zero_points) == 0 &&
         memcmp(a->ints, b->ints, sizeof a->ints) == 0 &&
         memcmp(a->values, b->values, sizeof a->values) == 0 && a->numel == b->numel;
}

static void check_unchanged_at(int line, const qt_tensor* t, const snapshot* before) {
  const snapshot now = take_snapshot(t);
  ++g_checks;
  if (!same_snapshot(&now, before)) {
    FAIL_AT(line,
            "the tensor changed after a failed call (ndim %zu -> %zu, numel %zu -> %zu"
            ", scale %.17g -> %.17g, zero point %" PRId64 " -> %" PRId64
            ", first ints %d %d -> %d %d)",
            before->ndim, now.ndim, before->numel, now.numel, before->scales[0], now.scales[0],
            before->zero_points[0], now.zero_points[0], before->ints[0], before->ints[1],
            now.ints[0], now.ints[1]);
  }
}
#define CHECK_UNCHANGED(t, before) check_unchanged_at(__LINE__, (t), (before))

typedef struct {
  snapshot pt, pc, u8, i32, scalar, empty, pt_row;
} all_snapshots;

static all_snapshots snapshot_all(const fixtures* f) {
  all_snapshots s;
  s.pt = take_snapshot(f->pt);
  s.pc = take_snapshot(f->pc);
  s.u8 = take_snapshot(f->u8);
  s.i32 = take_snapshot(f->i32);
  s.scalar = take_snapshot(f->scalar);
  s.empty = take_snapshot(f->empty);
  s.pt_row = take_snapshot(f->pt_row);
  return s;
}

static void check_all_unchanged_at(int line, const fixtures* f, const all_snapshots* s) {
  check_unchanged_at(line, f->pt, &s->pt);
  check_unchanged_at(line, f->pc, &s->pc);
  check_unchanged_at(line, f->u8, &s->u8);
  check_unchanged_at(line, f->i32, &s->i32);
  check_unchanged_at(line, f->scalar, &s->scalar);
  check_unchanged_at(line, f->empty, &s->empty);
  check_unchanged_at(line, f->pt_row, &s->pt_row);
}
#define CHECK_ALL_UNCHANGED(f, s) check_all_unchanged_at(__LINE__, (f), (s))

/* ------------------------------------------------------------ groups */

static void test_errors_and_names(void) {
  step("errors, status and dtype names");
  /* Nothing failed yet on this thread. */
  CHECK(qt_last_error_message() != NULL);
  CHECK(strcmp(qt_last_error_message(), "") == 0);

  const struct {
    qt_status status;
    const char* name;
  } statuses[] = {
      {QT_OK, "QT_OK"},
      {QT_ERR_INVALID_ARGUMENT, "QT_ERR_INVALID_ARGUMENT"},
      {QT_ERR_OUT_OF_RANGE, "QT_ERR_OUT_OF_RANGE"},
      {QT_ERR_SHAPE_MISMATCH, "QT_ERR_SHAPE_MISMATCH"},
      {QT_ERR_TYPE_MISMATCH, "QT_ERR_TYPE_MISMATCH"},
      {QT_ERR_OUT_OF_MEMORY, "QT_ERR_OUT_OF_MEMORY"},
      {QT_ERR_IO, "QT_ERR_IO"},
      {QT_ERR_CORRUPT_DATA, "QT_ERR_CORRUPT_DATA"},
      {QT_ERR_INTERNAL, "QT_ERR_INTERNAL"},
  };
  for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; ++i) {
    const char* name = qt_status_name(statuses[i].status);
    CHECK(name != NULL);
    if (strcmp(name, statuses[i].name) != 0) {
      FAIL_AT(__LINE__, "qt_status_name(%d) = \"%s\", expected \"%s\"", (int)statuses[i].status,
              name, statuses[i].name);
    }
  }
  /* Unknown statuses still get a name (never NULL). Values outside the
     enums' ranges come last, in test_unknown_enum_values. */
  CHECK(qt_status_name((qt_status)9) != NULL);
  CHECK(qt_status_name((qt_status)9)[0] != '\0');
  CHECK(qt_status_name((qt_status)15) != NULL);

  CHECK(qt_version() != NULL && qt_version()[0] != '\0');
  CHECK(qt_simd_target() != NULL && qt_simd_target()[0] != '\0');

  CHECK(qt_dtype_name((qt_dtype)0) == NULL);
  CHECK(qt_qscheme_name((qt_qscheme)0) == NULL);
  CHECK(qt_qscheme_name((qt_qscheme)5) == NULL);
  CHECK_I64(qt_dtype_size((qt_dtype)0), 0);

  /* The *_free functions accept NULL. */
  qt_quantizer_free(NULL);
  qt_tensor_free(NULL);
  qt_string_free(NULL);
  /* Names and frees do not report errors: the marker survives them. */
  arm_marker();
  (void)qt_status_name((qt_status)9);
  (void)qt_dtype_name((qt_dtype)0);
  (void)qt_qscheme_name((qt_qscheme)3);
  (void)qt_dtype_size((qt_dtype)0);
  qt_tensor_free(NULL);
  CHECK(strstr(qt_last_error_message(), MARKER_TEXT) != NULL);
}

static void test_quantizer_new_per_tensor(void) {
  step("qt_quantizer_new_per_tensor");
  qt_quantizer* q = SENTINEL_QUANTIZER;
  EXPECT_INVALID(qt_quantizer_new_per_tensor(NULL, QT_QINT8, 1.0, 0));
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, (qt_dtype)0, 1.0, 0));
  EXPECT_MESSAGE_HAS("dtype");

  /* Scales: <= 0, not finite, or with a float32 reciprocal that is not. */
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, 0.0, 0));
  EXPECT_MESSAGE_HAS("scale");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, -0.0, 0));
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, -1.0, 0));
  EXPECT_MESSAGE_HAS("-1");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, NAN, 0));
  EXPECT_MESSAGE_HAS("nan");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, INFINITY, 0));
  EXPECT_MESSAGE_HAS("inf");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, -INFINITY, 0));
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, 1e-50, 0)); /* (float) is 0 */
  EXPECT_MESSAGE_HAS("1e-50");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, 1e-39, 0)); /* 1 / 1e-39f = inf */
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QUINT8, 4.9406564584124654e-324, 0));
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT32, 2.2250738585072014e-308, 0));

  /* Zero points outside the dtype's range; the message names the value. */
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, 1.0, 128));
  EXPECT_MESSAGE_HAS("128");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT8, 1.0, -129));
  EXPECT_MESSAGE_HAS("-129");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QUINT8, 1.0, -1));
  EXPECT_MESSAGE_HAS("-1");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QUINT8, 1.0, 256));
  EXPECT_MESSAGE_HAS("256");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT32, 1.0, INT64_C(2147483648)));
  EXPECT_MESSAGE_HAS("2147483648");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT32, 1.0, INT64_C(-2147483649)));
  EXPECT_MESSAGE_HAS("-2147483649");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT32, 1.0, INT64_MAX));
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, QT_QINT32, 1.0, INT64_MIN));
  CHECK(q == SENTINEL_QUANTIZER);

  /* The edges themselves are fine. */
  const struct {
    qt_dtype dtype;
    double scale;
    int64_t zero_point;
  } ok[] = {{QT_QINT8, 1.0, -128},    {QT_QINT8, 1.0, 127},        {QT_QUINT8, 1e-37, 0},
            {QT_QUINT8, 3.0e38, 255}, {QT_QINT32, 1.0, INT32_MIN}, {QT_QINT32, 1.0, INT32_MAX}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; ++i) {
    qt_quantizer* good = NULL;
    CHECK_OK(qt_quantizer_new_per_tensor(&good, ok[i].dtype, ok[i].scale, ok[i].zero_point));
    CHECK(good != NULL);
    qt_quantizer_free(good);
  }
}

static void test_quantizer_new_per_channel(void) {
  step("qt_quantizer_new_per_channel");
  qt_quantizer* q = SENTINEL_QUANTIZER;
  const double scales[3] = {0.1, 0.2, 0.3};
  const int64_t zero_points[3] = {0, 1, 2};
  EXPECT_INVALID(qt_quantizer_new_per_channel(NULL, QT_QINT8, scales, zero_points, 3, 0));
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, NULL, zero_points, 3, 0));
  EXPECT_MESSAGE_HAS("scales");
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, scales, NULL, 3, 0));
  EXPECT_MESSAGE_HAS("zero_points");
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, (qt_dtype)0, scales, zero_points, 3, 0));

  /* A bad scale at channel 2: the message names the channel and value. */
  const double bad_scale2[3] = {0.1, 0.2, -0.5};
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, bad_scale2, zero_points, 3, 0));
  EXPECT_MESSAGE_NAMES_CHANNEL(2);
  EXPECT_MESSAGE_HAS("-0.5");
  const double nan_scale2[3] = {0.1, 0.2, NAN};
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, nan_scale2, zero_points, 3, 0));
  EXPECT_MESSAGE_NAMES_CHANNEL(2);
  EXPECT_MESSAGE_HAS("nan");
  const double zero_scale0[3] = {0.0, 0.2, 0.3};
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QUINT8, zero_scale0, zero_points, 3, 0));
  EXPECT_MESSAGE_NAMES_CHANNEL(0);
  const double tiny_scale1[3] = {0.1, 1e-50, 0.3};
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT32, tiny_scale1, zero_points, 3, 0));
  EXPECT_MESSAGE_NAMES_CHANNEL(1);
  const double inf_scale2[3] = {0.1, 0.2, INFINITY};
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT32, inf_scale2, zero_points, 3, 0));
  EXPECT_MESSAGE_NAMES_CHANNEL(2);

  /* A zero point outside the range at channel 1 (and 2). */
  const int64_t bad_zp1[3] = {0, 128, 0};
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, scales, bad_zp1, 3, 0));
  EXPECT_MESSAGE_NAMES_CHANNEL(1);
  EXPECT_MESSAGE_HAS("128");
  const int64_t bad_zp2_u8[3] = {0, 0, -1};
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QUINT8, scales, bad_zp2_u8, 3, 0));
  EXPECT_MESSAGE_NAMES_CHANNEL(2);
  const int64_t bad_zp2_i32[3] = {0, 0, INT64_C(2147483648)};
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT32, scales, bad_zp2_i32, 3, 0));
  EXPECT_MESSAGE_NAMES_CHANNEL(2);
  EXPECT_MESSAGE_HAS("2147483648");

  /* An axis no tensor of rank <= 64 has is refused where it is made. */
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, scales, zero_points, 3, INT64_MIN));
  EXPECT_MESSAGE_HAS("-9223372036854775808");
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, scales, zero_points, 3, INT64_MAX));
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, scales, zero_points, 3, 64));
  EXPECT_MESSAGE_HAS("[-64, 63]");
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, QT_QINT8, scales, zero_points, 3, -65));
  CHECK(q == SENTINEL_QUANTIZER);
  /* The extremes of that range are made (and checked against a rank when used). */
  qt_quantizer* edge = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&edge, QT_QINT8, scales, zero_points, 3, 63));
  qt_quantizer_free(edge);
  CHECK_OK(qt_quantizer_new_per_channel(&edge, QT_QINT8, scales, zero_points, 3, -64));
  qt_quantizer_free(edge);
  CHECK(q == SENTINEL_QUANTIZER);

  /* num_channels 0 with NULL arrays is allowed; the axis is checked against
     a rank on use (an axis of 63 above is made, whatever it will meet). */
  qt_quantizer* none = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&none, QT_QINT8, NULL, NULL, 0, 0));
  size_t channels = 99;
  CHECK_OK(qt_quantizer_num_channels(&channels, none));
  CHECK_I64(channels, 0);
  qt_quantizer_free(none);
}

static void test_quantizer_getters(const fixtures* f) {
  step("qt_quantizer_* getters");
  qt_dtype dtype = (qt_dtype)77;
  EXPECT_INVALID(qt_quantizer_dtype(NULL, f->pt_quantizer));
  EXPECT_INVALID(qt_quantizer_dtype(&dtype, NULL));
  CHECK_I64(dtype, 77);

  qt_qscheme qscheme = (qt_qscheme)77;
  EXPECT_INVALID(qt_quantizer_qscheme(NULL, f->pt_quantizer));
  EXPECT_INVALID(qt_quantizer_qscheme(&qscheme, NULL));
  CHECK_I64(qscheme, 77);

  double scale = -7.0;
  EXPECT_INVALID(qt_quantizer_scale(NULL, f->pt_quantizer));
  EXPECT_INVALID(qt_quantizer_scale(&scale, NULL));
  EXPECT_TYPE_MISMATCH(qt_quantizer_scale(&scale, f->pc_quantizer));
  CHECK(scale == -7.0);

  int64_t zero_point = -77;
  EXPECT_INVALID(qt_quantizer_zero_point(NULL, f->pt_quantizer));
  EXPECT_INVALID(qt_quantizer_zero_point(&zero_point, NULL));
  EXPECT_TYPE_MISMATCH(qt_quantizer_zero_point(&zero_point, f->pc_quantizer));
  CHECK_I64(zero_point, -77);

  int64_t axis = -77;
  EXPECT_INVALID(qt_quantizer_axis(NULL, f->pc_quantizer));
  EXPECT_INVALID(qt_quantizer_axis(&axis, NULL));
  EXPECT_TYPE_MISMATCH(qt_quantizer_axis(&axis, f->pt_quantizer));
  CHECK_I64(axis, -77);

  size_t channels = 77;
  EXPECT_INVALID(qt_quantizer_num_channels(NULL, f->pc_quantizer));
  EXPECT_INVALID(qt_quantizer_num_channels(&channels, NULL));
  CHECK_I64(channels, 77);

  double scales[4] = {-1.0, -2.0, -3.0, -4.0};
  EXPECT_INVALID(qt_quantizer_scales(scales, 2, f->pc_quantizer)); /* 3 needed */
  EXPECT_INVALID(qt_quantizer_scales(scales, 0, f->pt_quantizer)); /* 1 needed */
  EXPECT_INVALID(qt_quantizer_scales(NULL, 3, f->pc_quantizer));
  EXPECT_INVALID(qt_quantizer_scales(scales, 4, NULL));
  CHECK(scales[0] == -1.0 && scales[1] == -2.0 && scales[2] == -3.0 && scales[3] == -4.0);

  int64_t zero_points[4] = {-1, -2, -3, -4};
  EXPECT_INVALID(qt_quantizer_zero_points(zero_points, 2, f->pc_quantizer));
  EXPECT_INVALID(qt_quantizer_zero_points(zero_points, 0, f->pt_quantizer));
  EXPECT_INVALID(qt_quantizer_zero_points(NULL, 3, f->pc_quantizer));
  EXPECT_INVALID(qt_quantizer_zero_points(zero_points, 4, NULL));
  CHECK(zero_points[0] == -1 && zero_points[1] == -2 && zero_points[2] == -3 &&
        zero_points[3] == -4);

  bool equal = true;
  EXPECT_INVALID(qt_quantizer_equal(NULL, f->pt_quantizer, f->pt_quantizer));
  EXPECT_INVALID(qt_quantizer_equal(&equal, NULL, f->pt_quantizer));
  EXPECT_INVALID(qt_quantizer_equal(&equal, f->pt_quantizer, NULL));
  CHECK(equal == true);

  /* The quantizers still work. */
  CHECK_OK(qt_quantizer_scale(&scale, f->pt_quantizer));
  CHECK(scale == 0.5);
  CHECK_OK(qt_quantizer_scales(scales, 3, f->pc_quantizer));
  CHECK(scales[0] == 0.1 && scales[1] == 0.2 && scales[2] == 0.3 && scales[3] == -4.0);
  CHECK_OK(qt_quantizer_axis(&axis, f->pc_quantizer));
  CHECK_I64(axis, 1);
  CHECK_OK(qt_quantizer_equal(&equal, f->pt_quantizer, f->pc_quantizer));
  CHECK(!equal);
}

/* Shapes that are bad in the same way for every creation function. */
typedef struct {
  const char* what;
  const int64_t* shape;
  size_t ndim;
  qt_status status;
} bad_shape;

static int64_t g_ones65[65];
static const int64_t kNegative[2] = {2, -1};
static const int64_t kNegativeFirst[3] = {-3, 0, 2};
static const int64_t kOverflowMax[2] = {INT64_MAX, 2};
static const int64_t kOverflow2[2] = {INT64_C(3037000500), INT64_C(3037000500)};
static const int64_t kOverflow40[3] = {INT64_C(1) << 40, INT64_C(1) << 40, 1};
static int64_t g_twos64[64];

static bad_shape g_bad_shapes[8];
static size_t g_num_bad_shapes;

static void init_bad_shapes(void) {
  for (size_t i = 0; i < 65; ++i) g_ones65[i] = 1;
  for (size_t i = 0; i < 64; ++i) g_twos64[i] = 2;
  const bad_shape shapes[] = {
      {"NULL shape with ndim 2", NULL, 2, QT_ERR_INVALID_ARGUMENT},
      {"ndim 65 > QTENSOR_MAX_DIMS", g_ones65, 65, QT_ERR_INVALID_ARGUMENT},
      {"a negative size", kNegative, 2, QT_ERR_INVALID_ARGUMENT},
      {"a negative size before a 0", kNegativeFirst, 3, QT_ERR_INVALID_ARGUMENT},
      {"{INT64_MAX, 2}", kOverflowMax, 2, QT_ERR_OUT_OF_MEMORY},
      {"{3037000500, 3037000500}", kOverflow2, 2, QT_ERR_OUT_OF_MEMORY},
      {"64 dims of 2 (2^64 elements)", g_twos64, 64, QT_ERR_OUT_OF_MEMORY},
      {"{2^40, 2^40, 1}", kOverflow40, 3, QT_ERR_OUT_OF_MEMORY},
  };
  g_num_bad_shapes = sizeof shapes / sizeof shapes[0];
  memcpy(g_bad_shapes, shapes, sizeof shapes);
}

/* Enough data for any shape in the table that gets as far as reading it. */
static float g_big_floats[64];
static int32_t g_big_ints[64];

static void test_creation(const fixtures* f) {
  step("qt_quantize, qt_quantize_per_tensor, qt_quantize_per_channel");
  init_bad_shapes();
  qt_tensor* t = SENTINEL_TENSOR;

  /* qt_quantize */
  EXPECT_INVALID(qt_quantize(NULL, kFloats6, kShape23, 2, f->pt_quantizer));
  EXPECT_INVALID(qt_quantize(&t, NULL, kShape23, 2, f->pt_quantizer));
  EXPECT_MESSAGE_HAS("data");
  EXPECT_INVALID(qt_quantize(&t, kFloats6, kShape23, 2, NULL));
  EXPECT_INVALID(qt_quantize(&t, NULL, NULL, 0, f->pt_quantizer)); /* 0-dim: 1 element */
  EXPECT_INVALID(qt_quantize(&t, kFloats6, g_ones65, SIZE_MAX, f->pt_quantizer));
  for (size_t i = 0; i < g_num_bad_shapes; ++i) {
    printf("         shape: %s\n", g_bad_shapes[i].what);
    EXPECT_FAIL(
        qt_quantize(&t, g_big_floats, g_bad_shapes[i].shape, g_bad_shapes[i].ndim, f->pt_quantizer),
        g_bad_shapes[i].status);
    EXPECT_FAIL(qt_quantize_per_tensor(&t, g_big_floats, g_bad_shapes[i].shape,
                                       g_bad_shapes[i].ndim, 0.5, 1, QT_QINT8),
                g_bad_shapes[i].status);
    EXPECT_FAIL(
        qt_empty_quantized(&t, g_bad_shapes[i].shape, g_bad_shapes[i].ndim, f->pt_quantizer),
        g_bad_shapes[i].status);
    EXPECT_FAIL(
        qt_make_per_tensor_quantized_uint8(&t, (const uint8_t*)g_big_ints, g_bad_shapes[i].shape,
                                           g_bad_shapes[i].ndim, 0.5, 1),
        g_bad_shapes[i].status);
    EXPECT_FAIL(
        qt_make_per_tensor_quantized_int8(&t, (const int8_t*)g_big_ints, g_bad_shapes[i].shape,
                                          g_bad_shapes[i].ndim, 0.5, 1),
        g_bad_shapes[i].status);
    EXPECT_FAIL(qt_make_per_tensor_quantized_int32(&t, g_big_ints, g_bad_shapes[i].shape,
                                                   g_bad_shapes[i].ndim, 0.5, 1),
                g_bad_shapes[i].status);
  }
  /* Per-channel quantizers are checked against the shape. */
  const int64_t shape233[3] = {2, 3, 3};
  float floats18[18] = {0};
  qt_quantizer* axis3 = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&axis3, QT_QINT8, kPcScales, kPcZeroPoints, 3, 3));
  EXPECT_INVALID(qt_quantize(&t, floats18, shape233, 3, axis3)); /* axis 3 of rank 3 */
  EXPECT_MESSAGE_HAS("axis");
  qt_quantizer* axis_m4 = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&axis_m4, QT_QINT8, kPcScales, kPcZeroPoints, 3, -4));
  EXPECT_INVALID(qt_quantize(&t, floats18, shape233, 3, axis_m4));
  EXPECT_INVALID(qt_quantize(&t, floats18, NULL, 0, f->pc_quantizer)); /* axis 1 of rank 0 */
  const int64_t shape24[2] = {2, 4};
  EXPECT_SHAPE_MISMATCH(qt_quantize(&t, floats18, shape24, 2, f->pc_quantizer)); /* 3 != 4 */
  EXPECT_MESSAGE_HAS("3");
  EXPECT_MESSAGE_HAS("4");
  const int64_t shape32[2] = {3, 2};
  EXPECT_SHAPE_MISMATCH(qt_quantize(&t, floats18, shape32, 2, f->pc_quantizer)); /* 3 != 2 */
  qt_quantizer_free(axis_m4);
  qt_quantizer_free(axis3);
  CHECK(t == SENTINEL_TENSOR);

  /* NULL data is fine when there are no elements. */
  qt_tensor* empty = NULL;
  CHECK_OK(qt_quantize(&empty, NULL, kShape03, 2, f->pt_quantizer));
  qt_tensor_free(empty);

  /* qt_quantize_per_tensor */
  EXPECT_INVALID(qt_quantize_per_tensor(NULL, kFloats6, kShape23, 2, 0.5, 1, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, NULL, kShape23, 2, 0.5, 1, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, 0.5, 1, (qt_dtype)0));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, 0.0, 1, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, -0.5, 1, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, NAN, 1, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, INFINITY, 1, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, 1e-50, 1, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, 0.5, 128, QT_QINT8));
  EXPECT_MESSAGE_HAS("128");
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, 0.5, -1, QT_QUINT8));
  EXPECT_INVALID(
      qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, 0.5, INT64_C(2147483648), QT_QINT32));
  CHECK(t == SENTINEL_TENSOR);

  /* qt_quantize_per_channel */
  const double scales[3] = {0.1, 0.2, 0.3};
  const int64_t zero_points[3] = {0, 1, 2};
  EXPECT_INVALID(
      qt_quantize_per_channel(NULL, kFloats6, kShape23, 2, scales, zero_points, 3, 1, QT_QINT8));
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, NULL, kShape23, 2, scales, zero_points, 3, 1, QT_QINT8));
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, NULL, 2, scales, zero_points, 3, 1, QT_QINT8));
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, NULL, zero_points, 3, 1, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, NULL, 3, 1, QT_QINT8));
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, zero_points, 3, 1, (qt_dtype)0));
  const double bad_scale2[3] = {0.1, 0.2, 0.0};
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, bad_scale2, zero_points, 3, 1, QT_QINT8));
  EXPECT_MESSAGE_NAMES_CHANNEL(2);
  const int64_t bad_zp2[3] = {0, 1, -129};
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, bad_zp2, 3, 1, QT_QINT8));
  EXPECT_MESSAGE_NAMES_CHANNEL(2);
  EXPECT_MESSAGE_HAS("-129");
  /* Channel count != shape[axis]. */
  EXPECT_SHAPE_MISMATCH(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, zero_points, 2, 1, QT_QINT8));
  EXPECT_SHAPE_MISMATCH(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, zero_points, 3, 0, QT_QINT8));
  EXPECT_SHAPE_MISMATCH(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, zero_points, 3, -2, QT_QINT8));
  /* Axis out of range. */
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, zero_points, 3, 2, QT_QINT8));
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, zero_points, 3, -3, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, zero_points, 3,
                                         INT64_MIN, QT_QINT8));
  EXPECT_INVALID(qt_quantize_per_channel(&t, kFloats6, kShape23, 2, scales, zero_points, 3,
                                         INT64_MAX, QT_QINT8));
  /* The shape checks as for qt_quantize. */
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, kNegative, 2, scales, zero_points, 3, 1, QT_QINT8));
  EXPECT_INVALID(
      qt_quantize_per_channel(&t, kFloats6, g_ones65, 65, scales, zero_points, 1, 1, QT_QINT8));
  const int64_t overflow3[2] = {INT64_MAX, 3};
  EXPECT_OUT_OF_MEMORY(
      qt_quantize_per_channel(&t, kFloats6, overflow3, 2, scales, zero_points, 3, 1, QT_QINT8));
  CHECK(t == SENTINEL_TENSOR);
}

static void test_creation_from_ints(const fixtures* f) {
  step("qt_empty_quantized, qt_from_int_repr, qt_make_per_tensor_quantized_*");
  qt_tensor* t = SENTINEL_TENSOR;

  /* qt_empty_quantized */
  EXPECT_INVALID(qt_empty_quantized(NULL, kShape23, 2, f->pt_quantizer));
  EXPECT_INVALID(qt_empty_quantized(&t, kShape23, 2, NULL));
  EXPECT_SHAPE_MISMATCH(qt_empty_quantized(&t, kShape32, 2, f->pc_quantizer));
  EXPECT_INVALID(qt_empty_quantized(&t, NULL, 0, f->pc_quantizer));
  CHECK(t == SENTINEL_TENSOR);

  /* qt_from_int_repr */
  const int8_t ints8[6] = {1, 2, 3, 4, 5, 6};
  EXPECT_INVALID(qt_from_int_repr(NULL, ints8, 6, kShape23, 2, f->pt_quantizer));
  EXPECT_INVALID(qt_from_int_repr(&t, NULL, 6, kShape23, 2, f->pt_quantizer));
  EXPECT_INVALID(qt_from_int_repr(&t, ints8, 6, kShape23, 2, NULL));
  EXPECT_INVALID(qt_from_int_repr(&t, ints8, 6, NULL, 2, f->pt_quantizer));
  EXPECT_INVALID(qt_from_int_repr(&t, ints8, 6, g_ones65, 65, f->pt_quantizer));
  EXPECT_INVALID(qt_from_int_repr(&t, ints8, 6, kNegative, 2, f->pt_quantizer));
  EXPECT_OUT_OF_MEMORY(qt_from_int_repr(&t, ints8, 6, kOverflowMax, 2, f->pt_quantizer));
  /* data_bytes must be numel * element size. */
  EXPECT_SHAPE_MISMATCH(qt_from_int_repr(&t, ints8, 5, kShape23, 2, f->pt_quantizer));
  EXPECT_MESSAGE_HAS("5");
  EXPECT_SHAPE_MISMATCH(qt_from_int_repr(&t, ints8, 7, kShape23, 2, f->pt_quantizer));
  EXPECT_SHAPE_MISMATCH(qt_from_int_repr(&t, ints8, 0, kShape23, 2, f->pt_quantizer));
  EXPECT_SHAPE_MISMATCH(qt_from_int_repr(&t, ints8, 1, kShape03, 2, f->pt_quantizer));
  const int32_t ints32[6] = {1, 2, 3, 4, 5, 6};
  qt_quantizer* q32 = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&q32, QT_QINT32, 1.0, 0));
  EXPECT_SHAPE_MISMATCH(qt_from_int_repr(&t, ints32, 6, kShape23, 2, q32)); /* 24 needed */
  EXPECT_SHAPE_MISMATCH(qt_from_int_repr(&t, ints32, 23, kShape23, 2, q32));
  /* Per-channel quantizer against the shape. */
  EXPECT_SHAPE_MISMATCH(qt_from_int_repr(&t, ints8, 6, kShape32, 2, f->pc_quantizer));
  qt_quantizer_free(q32);
  CHECK(t == SENTINEL_TENSOR);
  /* NULL data with no elements is fine. */
  qt_tensor* empty = NULL;
  CHECK_OK(qt_from_int_repr(&empty, NULL, 0, kShape03, 2, f->pt_quantizer));
  qt_tensor_free(empty);

  /* qt_make_per_tensor_quantized_* */
  const uint8_t u8[6] = {1, 2, 3, 4, 5, 6};
  const int32_t i32[6] = {1, 2, 3, 4, 5, 6};
  EXPECT_INVALID(qt_make_per_tensor_quantized_uint8(NULL, u8, kShape23, 2, 1.0, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_uint8(&t, NULL, kShape23, 2, 1.0, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_uint8(&t, u8, kShape23, 2, 0.0, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_uint8(&t, u8, kShape23, 2, NAN, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_uint8(&t, u8, kShape23, 2, 1e-50, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_uint8(&t, u8, kShape23, 2, 1.0, -1));
  EXPECT_MESSAGE_HAS("-1");
  EXPECT_INVALID(qt_make_per_tensor_quantized_uint8(&t, u8, kShape23, 2, 1.0, 256));
  EXPECT_INVALID(qt_make_per_tensor_quantized_int8(NULL, ints8, kShape23, 2, 1.0, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_int8(&t, NULL, kShape23, 2, 1.0, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_int8(&t, ints8, kShape23, 2, -1.0, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_int8(&t, ints8, kShape23, 2, INFINITY, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_int8(&t, ints8, kShape23, 2, 1.0, 128));
  EXPECT_MESSAGE_HAS("128");
  EXPECT_INVALID(qt_make_per_tensor_quantized_int8(&t, ints8, kShape23, 2, 1.0, -129));
  EXPECT_INVALID(qt_make_per_tensor_quantized_int32(NULL, i32, kShape23, 2, 1.0, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_int32(&t, NULL, kShape23, 2, 1.0, 0));
  EXPECT_INVALID(qt_make_per_tensor_quantized_int32(&t, i32, kShape23, 2, -INFINITY, 0));
  EXPECT_INVALID(
      qt_make_per_tensor_quantized_int32(&t, i32, kShape23, 2, 1.0, INT64_C(2147483648)));
  EXPECT_MESSAGE_HAS("2147483648");
  EXPECT_INVALID(
      qt_make_per_tensor_quantized_int32(&t, i32, kShape23, 2, 1.0, INT64_C(-2147483649)));
  CHECK(t == SENTINEL_TENSOR);
}

/* Zero-element shapes whose other sizes multiply past int64: NumPy rejects
   them whatever the order of the dims (the product of the nonzero sizes is
   checked), and so must we: their strides would overflow. */
static void test_zero_size_overflow(const fixtures* f) {
  step("zero-element shapes with overflowing sizes");
  qt_tensor* t = SENTINEL_TENSOR;
  const int64_t big = INT64_C(1) << 40;
  const int64_t zero_first[3] = {0, big, big};
  const int64_t zero_mid[3] = {big, 0, big};
  const int64_t zero_last[3] = {big, big, 0};
  EXPECT_OUT_OF_MEMORY(qt_empty_quantized(&t, zero_last, 3, f->pt_quantizer));
  EXPECT_OUT_OF_MEMORY(qt_empty_quantized(&t, zero_mid, 3, f->pt_quantizer));
  EXPECT_OUT_OF_MEMORY(qt_empty_quantized(&t, zero_first, 3, f->pt_quantizer));
  EXPECT_OUT_OF_MEMORY(qt_quantize(&t, NULL, zero_first, 3, f->pt_quantizer));
  EXPECT_OUT_OF_MEMORY(qt_from_int_repr(&t, NULL, 0, zero_first, 3, f->pt_quantizer));
  CHECK(t == SENTINEL_TENSOR);
}

static void test_inspection(const fixtures* f) {
  step("qt_tensor_share and inspection");
  qt_tensor* t = SENTINEL_TENSOR;
  EXPECT_INVALID(qt_tensor_share(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_share(&t, NULL));
  CHECK(t == SENTINEL_TENSOR);

  size_t ndim = 77;
  EXPECT_INVALID(qt_tensor_ndim(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_ndim(&ndim, NULL));
  CHECK_I64(ndim, 77);

  size_t numel = 77;
  EXPECT_INVALID(qt_tensor_numel(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_numel(&numel, NULL));
  CHECK_I64((int64_t)numel, 77);

  int64_t dims[3] = {-1, -2, -3};
  EXPECT_INVALID(qt_tensor_shape(dims, 1, f->pt)); /* 2 needed */
  EXPECT_MESSAGE_HAS("2");
  EXPECT_INVALID(qt_tensor_shape(dims, 0, f->pt));
  EXPECT_INVALID(qt_tensor_shape(NULL, 2, f->pt));
  EXPECT_INVALID(qt_tensor_shape(dims, 3, NULL));
  EXPECT_INVALID(qt_tensor_strides(dims, 1, f->pt));
  EXPECT_INVALID(qt_tensor_strides(NULL, 2, f->pt));
  EXPECT_INVALID(qt_tensor_strides(dims, 3, NULL));
  CHECK(dims[0] == -1 && dims[1] == -2 && dims[2] == -3);

  int64_t offset = -77;
  EXPECT_INVALID(qt_tensor_storage_offset(NULL, f->pt_row));
  EXPECT_INVALID(qt_tensor_storage_offset(&offset, NULL));
  CHECK_I64(offset, -77);

  qt_dtype dtype = (qt_dtype)77;
  EXPECT_INVALID(qt_tensor_dtype(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_dtype(&dtype, NULL));
  CHECK_I64(dtype, 77);

  qt_qscheme qscheme = (qt_qscheme)77;
  EXPECT_INVALID(qt_tensor_qscheme(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_qscheme(&qscheme, NULL));
  CHECK_I64(qscheme, 77);

  bool flag = false;
  EXPECT_INVALID(qt_tensor_is_quantized(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_is_quantized(&flag, NULL));
  CHECK(flag == false);
  flag = false;
  EXPECT_INVALID(qt_tensor_is_contiguous(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_is_contiguous(&flag, NULL));
  CHECK(flag == false);
  flag = false;
  EXPECT_INVALID(qt_tensor_shares_storage(NULL, f->pt, f->pt_row));
  EXPECT_INVALID(qt_tensor_shares_storage(&flag, NULL, f->pt));
  EXPECT_INVALID(qt_tensor_shares_storage(&flag, f->pt, NULL));
  CHECK(flag == false);

  qt_quantizer* quantizer = SENTINEL_QUANTIZER;
  EXPECT_INVALID(qt_tensor_quantizer(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_quantizer(&quantizer, NULL));
  CHECK(quantizer == SENTINEL_QUANTIZER);

  double scale = -7.0;
  EXPECT_INVALID(qt_tensor_q_scale(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_q_scale(&scale, NULL));
  EXPECT_TYPE_MISMATCH(qt_tensor_q_scale(&scale, f->pc));
  CHECK(scale == -7.0);

  int64_t zero_point = -77;
  EXPECT_INVALID(qt_tensor_q_zero_point(NULL, f->pt));
  EXPECT_INVALID(qt_tensor_q_zero_point(&zero_point, NULL));
  EXPECT_TYPE_MISMATCH(qt_tensor_q_zero_point(&zero_point, f->pc));
  CHECK_I64(zero_point, -77);

  int64_t axis = -77;
  EXPECT_INVALID(qt_tensor_q_per_channel_axis(NULL, f->pc));
  EXPECT_INVALID(qt_tensor_q_per_channel_axis(&axis, NULL));
  EXPECT_TYPE_MISMATCH(qt_tensor_q_per_channel_axis(&axis, f->pt));
  CHECK_I64(axis, -77);

  size_t channels = 77;
  EXPECT_INVALID(qt_tensor_q_num_channels(NULL, f->pc));
  EXPECT_INVALID(qt_tensor_q_num_channels(&channels, NULL));
  CHECK_I64(channels, 77);

  double scales[3] = {-1.0, -2.0, -3.0};
  EXPECT_INVALID(qt_tensor_q_per_channel_scales(scales, 2, f->pc)); /* 3 needed */
  EXPECT_INVALID(qt_tensor_q_per_channel_scales(NULL, 3, f->pc));
  EXPECT_INVALID(qt_tensor_q_per_channel_scales(scales, 3, NULL));
  EXPECT_TYPE_MISMATCH(qt_tensor_q_per_channel_scales(scales, 3, f->pt));
  CHECK(scales[0] == -1.0 && scales[1] == -2.0 && scales[2] == -3.0);

  int64_t zero_points[3] = {-1, -2, -3};
  EXPECT_INVALID(qt_tensor_q_per_channel_zero_points(zero_points, 2, f->pc));
  EXPECT_INVALID(qt_tensor_q_per_channel_zero_points(NULL, 3, f->pc));
  EXPECT_INVALID(qt_tensor_q_per_channel_zero_points(zero_points, 3, NULL));
  EXPECT_TYPE_MISMATCH(qt_tensor_q_per_channel_zero_points(zero_points, 3, f->pt));
  CHECK(zero_points[0] == -1 && zero_points[1] == -2 && zero_points[2] == -3);
}

static void test_views(const fixtures* f) {
  step("select, slice, narrow, transpose, permute, contiguous, clone");
  qt_tensor* t = SENTINEL_TENSOR;

  /* select: dims and indices outside the tensor. */
  EXPECT_INVALID(qt_select(NULL, f->pt, 0, 0));
  EXPECT_INVALID(qt_select(&t, NULL, 0, 0));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pt, 2, 0));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pt, -3, 0));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pt, INT64_MIN, 0));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pt, 0, 2));
  EXPECT_MESSAGE_HAS("2");
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pt, 0, -3));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pt, 1, 3));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pt, 1, INT64_MIN));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pt, 1, INT64_MAX));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->pc, 1, 3)); /* the channel axis */
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->empty, 0, 0));
  EXPECT_OUT_OF_RANGE(qt_select(&t, f->scalar, 0, 0));
  CHECK(t == SENTINEL_TENSOR);

  /* slice: bad dim, step 0. */
  EXPECT_INVALID(qt_slice(NULL, f->pt, 0, 0, 1, 1));
  EXPECT_INVALID(qt_slice(&t, NULL, 0, 0, 1, 1));
  EXPECT_OUT_OF_RANGE(qt_slice(&t, f->pt, 2, 0, 1, 1));
  EXPECT_OUT_OF_RANGE(qt_slice(&t, f->pt, -3, 0, 1, 1));
  EXPECT_OUT_OF_RANGE(qt_slice(&t, f->scalar, 0, 0, 1, 1));
  EXPECT_INVALID(qt_slice(&t, f->pt, 0, 0, 1, 0));
  EXPECT_MESSAGE_HAS("step");
  EXPECT_INVALID(qt_slice(&t, f->pc, 1, INT64_MIN, INT64_MAX, 0));
  CHECK(t == SENTINEL_TENSOR);
  /* Extreme but valid: clamped as Python clamps. */
  qt_tensor* ok = NULL;
  CHECK_OK(qt_slice(&ok, f->pt, 1, INT64_MIN, INT64_MAX, INT64_MIN));
  size_t numel = 0;
  CHECK_OK(qt_tensor_numel(&numel, ok));
  CHECK_I64((int64_t)numel, 0); /* start clamps to the first element walking backwards: empty... */
  qt_tensor_free(ok);
  CHECK_OK(qt_slice(&ok, f->pt, 1, INT64_MAX, INT64_MIN, INT64_MIN));
  CHECK_OK(qt_tensor_numel(&numel, ok));
  CHECK_I64((int64_t)numel, 2); /* ... from the last element: one per row */
  qt_tensor_free(ok);
  CHECK_OK(qt_slice(&ok, f->pt, 1, INT64_MIN, INT64_MAX, INT64_MAX));
  CHECK_OK(qt_tensor_numel(&numel, ok));
  CHECK_I64((int64_t)numel, 2);
  qt_tensor_free(ok);

  /* narrow: the range must lie inside the dim. */
  EXPECT_INVALID(qt_narrow(NULL, f->pt, 0, 0, 1));
  EXPECT_INVALID(qt_narrow(&t, NULL, 0, 0, 1));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 2, 0, 1));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, -3, 0, 1));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, 4, 0));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, -4, 1));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, 0, -1));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, 2, 2));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, 0, 4));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, 1, INT64_MAX));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, INT64_MIN, 1));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, INT64_MAX, 1));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pt, 1, -1, INT64_MIN));
  EXPECT_OUT_OF_RANGE(qt_narrow(&t, f->pc, 1, 1, 3));
  CHECK(t == SENTINEL_TENSOR);
  CHECK_OK(qt_narrow(&ok, f->pt, 1, 3, 0)); /* empty at the end is fine */
  qt_tensor_free(ok);

  /* transpose */
  EXPECT_INVALID(qt_transpose(NULL, f->pt, 0, 1));
  EXPECT_INVALID(qt_transpose(&t, NULL, 0, 1));
  EXPECT_OUT_OF_RANGE(qt_transpose(&t, f->pt, 2, 0));
  EXPECT_OUT_OF_RANGE(qt_transpose(&t, f->pt, 0, 2));
  EXPECT_OUT_OF_RANGE(qt_transpose(&t, f->pt, -3, 0));
  EXPECT_OUT_OF_RANGE(qt_transpose(&t, f->pc, 0, INT64_MAX));
  EXPECT_OUT_OF_RANGE(qt_transpose(&t, f->pc, INT64_MIN, 0));
  CHECK(t == SENTINEL_TENSOR);

  /* permute: repeated, missing, too many dims. */
  const int64_t repeat[2] = {0, 0};
  const int64_t repeat_neg[2] = {1, -1};
  const int64_t one_dim[1] = {0};
  const int64_t three_dims[3] = {0, 1, 2};
  const int64_t out_of_range[2] = {0, 2};
  EXPECT_INVALID(qt_permute(NULL, f->pt, three_dims, 2));
  EXPECT_INVALID(qt_permute(&t, NULL, three_dims, 2));
  EXPECT_INVALID(qt_permute(&t, f->pt, NULL, 2));
  EXPECT_INVALID(qt_permute(&t, f->pt, repeat, 2));
  EXPECT_MESSAGE_HAS("0");
  EXPECT_INVALID(qt_permute(&t, f->pc, repeat_neg, 2));
  EXPECT_INVALID(qt_permute(&t, f->pt, one_dim, 1)); /* dim 1 missing */
  EXPECT_INVALID(qt_permute(&t, f->pt, three_dims, 3));
  EXPECT_INVALID(qt_permute(&t, f->pt, NULL, 0));
  EXPECT_INVALID(qt_permute(&t, f->pt, g_ones65, 65));
  EXPECT_INVALID(qt_permute(&t, f->pt, g_ones65, SIZE_MAX));
  /* A dim outside the tensor: the header lists only INVALID_ARGUMENT for
     permute, but QT_ERR_OUT_OF_RANGE is "a dimension outside the tensor". */
  EXPECT_OUT_OF_RANGE(qt_permute(&t, f->pt, out_of_range, 2));
  CHECK(t == SENTINEL_TENSOR);

  /* contiguous / clone */
  EXPECT_INVALID(qt_contiguous(NULL, f->pt));
  EXPECT_INVALID(qt_contiguous(&t, NULL));
  EXPECT_INVALID(qt_clone(NULL, f->pt));
  EXPECT_INVALID(qt_clone(&t, NULL));
  CHECK(t == SENTINEL_TENSOR);
}

static void test_elements(const fixtures* f) {
  step("item, get, set, fill");
  float value = -77.0f;
  EXPECT_INVALID(qt_tensor_item(NULL, f->scalar));
  EXPECT_INVALID(qt_tensor_item(&value, NULL));
  EXPECT_SHAPE_MISMATCH(qt_tensor_item(&value, f->pt));
  EXPECT_MESSAGE_HAS("6");
  EXPECT_SHAPE_MISMATCH(qt_tensor_item(&value, f->empty));
  EXPECT_SHAPE_MISMATCH(qt_tensor_item(&value, f->pt_row));
  CHECK(value == -77.0f);

  const int64_t good[2] = {1, 2};
  const int64_t row_out[2] = {2, 0};
  const int64_t col_out[2] = {0, 3};
  const int64_t neg_out[2] = {0, -4};
  const int64_t min_out[2] = {INT64_MIN, 0};
  const int64_t three[3] = {0, 0, 0};
  EXPECT_INVALID(qt_tensor_get(NULL, f->pt, good, 2));
  EXPECT_INVALID(qt_tensor_get(&value, NULL, good, 2));
  EXPECT_INVALID(qt_tensor_get(&value, f->pt, NULL, 2));
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->pt, row_out, 2));
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->pt, col_out, 2));
  EXPECT_MESSAGE_HAS("3");
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->pt, neg_out, 2));
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->pt, min_out, 2));
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->pc, col_out, 2));
  /* An index with the wrong number of entries: the header does not say;
     "an index outside the tensor" is QT_ERR_OUT_OF_RANGE. */
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->pt, good, 1));
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->pt, three, 3));
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->scalar, three, 1));
  EXPECT_OUT_OF_RANGE(qt_tensor_get(&value, f->pt, g_ones65, 65));
  CHECK(value == -77.0f);

  EXPECT_INVALID(qt_tensor_set(NULL, good, 2, 1.0f));
  EXPECT_INVALID(qt_tensor_set(f->pt, NULL, 2, 1.0f));
  EXPECT_OUT_OF_RANGE(qt_tensor_set(f->pt, row_out, 2, 1.0f));
  EXPECT_OUT_OF_RANGE(qt_tensor_set(f->pt, col_out, 2, 1.0f));
  EXPECT_OUT_OF_RANGE(qt_tensor_set(f->pc, neg_out, 2, 1.0f));
  EXPECT_OUT_OF_RANGE(qt_tensor_set(f->pt, good, 1, 1.0f));
  EXPECT_OUT_OF_RANGE(qt_tensor_set(f->pt_row, good, 2, 1.0f));

  EXPECT_INVALID(qt_fill(NULL, 1.0f));
}

static void test_copy(const fixtures* f) {
  step("copy, copy_from_float");
  const snapshot pt_before = take_snapshot(f->pt);
  const snapshot pc_before = take_snapshot(f->pc);
  const snapshot u8_before = take_snapshot(f->u8);

  EXPECT_INVALID(qt_copy(NULL, f->pt));
  EXPECT_INVALID(qt_copy(f->pt, NULL));

  /* Shapes differ: (2, 3) <- (3, 2), (2, 3) <- (6,), (2, 3) <- (3,). */
  qt_tensor* pt32 = NULL;
  const int8_t ints[6] = {9, 9, 9, 9, 9, 9};
  CHECK_OK(qt_make_per_tensor_quantized_int8(&pt32, ints, kShape32, 2, 3.0, -4));
  const int64_t shape6[1] = {6};
  qt_tensor* pt6 = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int8(&pt6, ints, shape6, 1, 3.0, -4));
  EXPECT_SHAPE_MISMATCH(qt_copy(f->pt, pt32));
  EXPECT_SHAPE_MISMATCH(qt_copy(f->pt, pt6));
  EXPECT_SHAPE_MISMATCH(qt_copy(f->pc, pt32));
  EXPECT_SHAPE_MISMATCH(qt_copy(f->pt_row, pt6));
  EXPECT_SHAPE_MISMATCH(qt_copy(f->pt, f->pt_row));
  EXPECT_SHAPE_MISMATCH(qt_copy(f->pt, f->scalar));
  EXPECT_SHAPE_MISMATCH(qt_copy(f->scalar, f->pt));
  /* dtypes differ with equal shapes: qint8 <- quint8, qint8 <- qint32. */
  EXPECT_TYPE_MISMATCH(qt_copy(f->pt, f->u8));
  EXPECT_MESSAGE_HAS("quint8");
  EXPECT_TYPE_MISMATCH(qt_copy(f->pt, f->i32));
  EXPECT_TYPE_MISMATCH(qt_copy(f->u8, f->pt));
  EXPECT_TYPE_MISMATCH(qt_copy(f->pc, f->i32));
  /* dst's integers and parameters are unchanged, src's too. */
  CHECK_UNCHANGED(f->pt, &pt_before);
  CHECK_UNCHANGED(f->pc, &pc_before);
  CHECK_UNCHANGED(f->u8, &u8_before);

  /* copy_from_float: count must be numel; data must be there. */
  EXPECT_INVALID(qt_copy_from_float(NULL, kFloats6, 6));
  EXPECT_SHAPE_MISMATCH(qt_copy_from_float(f->pt, kFloats6, 5));
  EXPECT_MESSAGE_HAS("5");
  EXPECT_SHAPE_MISMATCH(qt_copy_from_float(f->pt, kFloats6, 7));
  EXPECT_SHAPE_MISMATCH(qt_copy_from_float(f->pt, kFloats6, 0));
  EXPECT_SHAPE_MISMATCH(qt_copy_from_float(f->pt_row, kFloats6, 6));
  EXPECT_SHAPE_MISMATCH(qt_copy_from_float(f->pc, kFloats6, SIZE_MAX));
  EXPECT_INVALID(qt_copy_from_float(f->pt, NULL, 6));
  EXPECT_INVALID(qt_copy_from_float(f->pc, NULL, 6));
  CHECK_UNCHANGED(f->pt, &pt_before);
  CHECK_UNCHANGED(f->pc, &pc_before);

  /* The handles still work: a good copy into a scratch tensor. */
  qt_tensor* scratch = NULL;
  CHECK_OK(qt_clone(&scratch, pt32));
  qt_tensor* scratch_t = NULL;
  CHECK_OK(qt_transpose(&scratch_t, scratch, 0, 1));
  CHECK_OK(qt_copy(scratch_t, f->pt)); /* requantized into scale 3, zero point -4 */
  double scale = 0.0;
  CHECK_OK(qt_tensor_q_scale(&scale, scratch));
  CHECK(scale == 3.0);

  qt_tensor_free(scratch_t);
  qt_tensor_free(scratch);
  qt_tensor_free(pt6);
  qt_tensor_free(pt32);
}

/* The operators: NULL anywhere, a NaN bound, a quantizer whose channels do
   not fit; the sentinel output stays untouched. */
static void test_operators(const fixtures* f) {
  step("requantize, relu, relu_inplace, relu6, clamp");
  qt_tensor* out = SENTINEL_TENSOR;
  EXPECT_INVALID(qt_requantize(NULL, f->pt, f->pt_quantizer));
  EXPECT_INVALID(qt_requantize(&out, NULL, f->pt_quantizer));
  EXPECT_INVALID(qt_requantize(&out, f->pt, NULL));
  qt_quantizer* wide = NULL; /* 3 channels on axis 0, which has 2 */
  const double scales[3] = {0.1, 0.2, 0.3};
  const int64_t zero_points[3] = {0, 0, 0};
  CHECK_OK(qt_quantizer_new_per_channel(&wide, QT_QUINT8, scales, zero_points, 3, 0));
  EXPECT_SHAPE_MISMATCH(qt_requantize(&out, f->pt, wide));
  qt_quantizer_free(wide);
  EXPECT_INVALID(qt_relu(NULL, f->pt));
  EXPECT_INVALID(qt_relu(&out, NULL));
  EXPECT_INVALID(qt_relu_inplace(NULL));
  EXPECT_INVALID(qt_leaky_relu(NULL, f->pc, 0.1f));
  EXPECT_INVALID(qt_leaky_relu(&out, NULL, 0.1f));
  EXPECT_INVALID(qt_leaky_relu(&out, f->pc, INFINITY));
  EXPECT_INVALID(qt_leaky_relu(&out, f->pc, NAN));
  EXPECT_MESSAGE_HAS("negative_slope");
  EXPECT_INVALID(qt_hardswish(NULL, f->pc, 0.1, 0));
  EXPECT_INVALID(qt_hardswish(&out, NULL, 0.1, 0));
  EXPECT_INVALID(qt_hardswish(&out, f->pc, 0.0, 0));
  EXPECT_INVALID(qt_hardswish(&out, f->pc, 0.1, 300));
  EXPECT_INVALID(qt_sigmoid(NULL, f->pc));
  EXPECT_INVALID(qt_sigmoid(&out, NULL));
  EXPECT_INVALID(qt_tanh(NULL, f->pc));
  EXPECT_INVALID(qt_tanh(&out, NULL));
  EXPECT_INVALID(qt_relu6(NULL, f->pc));
  EXPECT_INVALID(qt_relu6(&out, NULL));
  EXPECT_INVALID(qt_clamp(NULL, f->pt, 0.0f, 1.0f));
  EXPECT_INVALID(qt_clamp(&out, NULL, 0.0f, 1.0f));
  EXPECT_INVALID(qt_clamp(&out, f->pc, NAN, 1.0f));
  EXPECT_MESSAGE_HAS("NaN");
  EXPECT_INVALID(qt_clamp(&out, f->pc, 0.0f, NAN));
  qt_status (*const binary[])(qt_tensor**, const qt_tensor*, const qt_tensor*, double, int64_t) = {
      qt_add, qt_add_relu, qt_mul, qt_mul_relu};
  qt_tensor* row = NULL;    /* (3,): broadcasts against (2, 3) */
  qt_tensor* column = NULL; /* (2,): does not */
  CHECK_OK(qt_select(&row, f->pt, 0, 1));
  CHECK_OK(qt_select(&column, f->pt, 1, 0));
  for (size_t i = 0; i < sizeof binary / sizeof binary[0]; ++i) {
    EXPECT_INVALID(binary[i](NULL, f->pt, f->pc, 0.1, 0));
    EXPECT_INVALID(binary[i](&out, NULL, f->pc, 0.1, 0));
    EXPECT_INVALID(binary[i](&out, f->pt, NULL, 0.1, 0));
    EXPECT_INVALID(binary[i](&out, f->pt, f->pc, 0.0, 0));
    EXPECT_INVALID(binary[i](&out, f->pt, f->pc, NAN, 0));
    EXPECT_INVALID(binary[i](&out, f->pt, f->pc, 0.1, 128)); /* qint8 */
    EXPECT_SHAPE_MISMATCH(binary[i](&out, f->pt, column, 0.1, 0));
    EXPECT_MESSAGE_HAS("(2, 3) and (2,)");
  }
  CHECK(out == SENTINEL_TENSOR);
  CHECK_OK(qt_add(&out, f->pt, row, 0.5, 1)); /* and a broadcast that works */
  size_t numel = 0;
  CHECK_OK(qt_tensor_numel(&numel, out));
  CHECK_I64(numel, 6);
  qt_tensor_free(out);
  out = SENTINEL_TENSOR;
  const qt_tensor* pair[2] = {f->pt, column};
  const qt_tensor* with_null[2] = {f->pt, NULL};
  const qt_tensor* scalars[1] = {f->scalar};
  for (int relu = 0; relu < 2; ++relu) {
    qt_status (*join)(qt_tensor**, const qt_tensor* const*, size_t, int64_t, const qt_quantizer*) =
        relu ? qt_cat_relu : qt_cat;
    EXPECT_INVALID(join(NULL, pair, 1, 0, NULL));
    EXPECT_INVALID(join(&out, NULL, 2, 0, NULL));
    EXPECT_INVALID(join(&out, pair, 0, 0, NULL));
    EXPECT_INVALID(join(&out, with_null, 2, 0, NULL));
    EXPECT_MESSAGE_HAS("tensors[1]");
    EXPECT_INVALID(join(&out, scalars, 1, 0, NULL));
    EXPECT_OUT_OF_RANGE(join(&out, pair, 1, 2, NULL));
    EXPECT_OUT_OF_RANGE(join(&out, pair, 1, -3, NULL));
    EXPECT_SHAPE_MISMATCH(join(&out, pair, 2, 0, NULL));
    EXPECT_SHAPE_MISMATCH(join(&out, pair, 2, 1, f->pt_quantizer));
  }
  CHECK(out == SENTINEL_TENSOR);
  qt_tensor_free(row);
  qt_tensor_free(column);
}

/* The pooling functions: NULL arguments, ranks, windows and sizes refused
   with QT_ERR_INVALID_ARGUMENT, the output untouched. */
static void test_pooling(const fixtures* f) {
  step("pooling");
  qt_tensor* out = SENTINEL_TENSOR;
  qt_tensor* planes = NULL; /* f->pt as (1, 2, 3): one plane of 2 x 3 */
  CHECK_OK(qt_unsqueeze(&planes, f->pt, 0));
  const int64_t two[2] = {2, 2}, one[2] = {1, 1}, zero[2] = {0, 0}, three[2] = {3, 3};
  const int64_t big[2] = {(int64_t)1 << 40, 1}, negative[2] = {-1, 0};
  EXPECT_INVALID(qt_max_pool2d(NULL, planes, two, NULL, NULL, NULL, false));
  EXPECT_INVALID(qt_max_pool2d(&out, NULL, two, NULL, NULL, NULL, false));
  EXPECT_INVALID(qt_max_pool2d(&out, planes, NULL, NULL, NULL, NULL, false));
  EXPECT_MESSAGE_HAS("kernel_size");
  EXPECT_INVALID(qt_max_pool2d(&out, f->pt, two, NULL, NULL, NULL, false));
  EXPECT_MESSAGE_HAS("3-D");
  EXPECT_INVALID(qt_max_pool2d(&out, planes, zero, NULL, NULL, NULL, false));
  EXPECT_INVALID(qt_max_pool2d(&out, planes, two, zero, NULL, NULL, false));
  EXPECT_MESSAGE_HAS("stride");
  EXPECT_INVALID(qt_max_pool2d(&out, planes, two, NULL, NULL, zero, false));
  EXPECT_MESSAGE_HAS("dilation");
  EXPECT_INVALID(qt_max_pool2d(&out, planes, two, NULL, two, NULL, false));
  EXPECT_MESSAGE_HAS("padding");
  EXPECT_INVALID(qt_max_pool2d(&out, planes, two, NULL, negative, NULL, false));
  EXPECT_INVALID(qt_max_pool2d(&out, planes, three, NULL, NULL, NULL, false));
  EXPECT_MESSAGE_HAS("does not fit");
  EXPECT_INVALID(qt_max_pool2d(&out, planes, big, NULL, NULL, NULL, false));
  EXPECT_INVALID(qt_max_pool2d(&out, planes, two, one, one, three, false));
  EXPECT_MESSAGE_HAS("reads no input");
  EXPECT_INVALID(qt_avg_pool2d(NULL, planes, two, NULL, NULL, false, true, 0));
  EXPECT_INVALID(qt_avg_pool2d(&out, NULL, two, NULL, NULL, false, true, 0));
  EXPECT_INVALID(qt_avg_pool2d(&out, planes, NULL, NULL, NULL, false, true, 0));
  EXPECT_INVALID(qt_avg_pool2d(&out, f->scalar, two, NULL, NULL, false, true, 0));
  EXPECT_INVALID(qt_avg_pool2d(&out, planes, two, zero, NULL, false, true, 0));
  EXPECT_INVALID(qt_avg_pool2d(&out, planes, one, NULL, one, false, true, 0));
  EXPECT_INVALID(qt_avg_pool2d(&out, planes, three, NULL, NULL, false, false, 0));
  EXPECT_INVALID(qt_adaptive_avg_pool2d(NULL, planes, two));
  EXPECT_INVALID(qt_adaptive_avg_pool2d(&out, NULL, two));
  EXPECT_INVALID(qt_adaptive_avg_pool2d(&out, planes, NULL));
  EXPECT_INVALID(qt_adaptive_avg_pool2d(&out, planes, zero));
  EXPECT_MESSAGE_HAS("output_size");
  EXPECT_INVALID(qt_adaptive_avg_pool2d(&out, planes, big));
  EXPECT_INVALID(qt_adaptive_avg_pool2d(&out, f->empty, two));
  CHECK(out == SENTINEL_TENSOR);
  /* A per-channel axis on W (pc's axis 1 is the width of its (1, 2, 3) view). */
  qt_tensor* pc_planes = NULL;
  CHECK_OK(qt_unsqueeze(&pc_planes, f->pc, 0));
  EXPECT_INVALID(qt_max_pool2d(&out, pc_planes, one, NULL, NULL, NULL, false));
  EXPECT_MESSAGE_HAS("axis");
  CHECK(out == SENTINEL_TENSOR);
  /* And calls that work: 1 + 2 * (ints 1..6 as 2 x 3), windows of 2 x 2. */
  CHECK_OK(qt_max_pool2d(&out, planes, two, one, NULL, NULL, false));
  signed char ints[2] = {0, 0};
  CHECK_OK(qt_int_repr(ints, sizeof ints, out));
  CHECK(ints[0] == 5 && ints[1] == 6);
  qt_tensor_free(out);
  CHECK_OK(qt_avg_pool2d(&out, planes, two, one, NULL, false, true, 0));
  CHECK_OK(qt_int_repr(ints, sizeof ints, out)); /* (1 + 2 + 4 + 5) / 4 = 3, 4 */
  CHECK(ints[0] == 3 && ints[1] == 4);
  qt_tensor_free(out);
  qt_tensor_free(pc_planes);
  qt_tensor_free(planes);
}

/* qt_tensor_data: the integers in place for a contiguous view, refused for
   others, NULL outputs refused; outputs untouched on failure. */
static void test_data_pointer(const fixtures* f) {
  step("tensor_data");
  void* data = NULL;
  size_t bytes = 0;
  CHECK_OK(qt_tensor_data(&data, &bytes, f->i32));
  CHECK_I64(bytes, 24);
  int32_t ints[6];
  CHECK_OK(qt_int_repr(ints, sizeof ints, f->i32));
  CHECK(memcmp(data, ints, sizeof ints) == 0);
  CHECK_OK(qt_tensor_data(&data, &bytes, f->empty));
  CHECK_I64(bytes, 0);
  qt_tensor* transposed = NULL;
  CHECK_OK(qt_transpose(&transposed, f->pt, 0, 1));
  void* untouched = &bytes;
  data = untouched;
  bytes = 77;
  EXPECT_INVALID(qt_tensor_data(&data, &bytes, transposed));
  EXPECT_MESSAGE_HAS("not contiguous");
  EXPECT_INVALID(qt_tensor_data(NULL, &bytes, f->pt));
  EXPECT_INVALID(qt_tensor_data(&data, NULL, f->pt));
  EXPECT_INVALID(qt_tensor_data(&data, &bytes, NULL));
  CHECK(data == untouched);
  CHECK_I64(bytes, 77);
  qt_tensor_free(transposed);
}

/* The ONNX functions: NULL arguments, corrupt bytes, a tensor ONNX cannot
   hold (the fixtures' scales are not all float32 values), a missing file. */
static void test_onnx(const fixtures* f) {
  step("bundle_serialize_onnx / deserialize_onnx / save_onnx / load_onnx");
  qt_bundle* bundle = NULL;
  CHECK_OK(qt_bundle_new(&bundle));
  uint8_t* bytes = NULL;
  size_t size = 0;
  CHECK_OK(qt_bundle_serialize_onnx(&bytes, &size, bundle));
  qt_bundle* back = NULL;
  CHECK_OK(qt_bundle_deserialize_onnx(&back, bytes, size));
  qt_bundle_free(back);
  qt_buffer_free(bytes);

  uint8_t* untouched_bytes = (uint8_t*)&size;
  qt_bundle* untouched_bundle = (qt_bundle*)&size;
  bytes = untouched_bytes;
  size = 77;
  back = untouched_bundle;
  EXPECT_INVALID(qt_bundle_serialize_onnx(NULL, &size, bundle));
  EXPECT_INVALID(qt_bundle_serialize_onnx(&bytes, NULL, bundle));
  EXPECT_INVALID(qt_bundle_serialize_onnx(&bytes, &size, NULL));
  EXPECT_INVALID(qt_bundle_deserialize_onnx(NULL, (const uint8_t*)"", 0));
  EXPECT_INVALID(qt_bundle_deserialize_onnx(&back, NULL, 3));
  EXPECT_FAIL(qt_bundle_deserialize_onnx(&back, (const uint8_t*)"\x3a\x05", 2),
              QT_ERR_CORRUPT_DATA);
  EXPECT_MESSAGE_HAS("ONNX model ModelProto: malformed protobuf at byte 0");
  EXPECT_INVALID(qt_bundle_save_onnx(NULL, "/tmp/qtensor_bad_input.onnx"));
  EXPECT_INVALID(qt_bundle_save_onnx(bundle, NULL));
  EXPECT_INVALID(qt_bundle_load_onnx(NULL, "/tmp/qtensor_bad_input.onnx"));
  EXPECT_INVALID(qt_bundle_load_onnx(&back, NULL));
  EXPECT_FAIL(qt_bundle_load_onnx(&back, "/nonexistent/model.onnx"), QT_ERR_IO);
  CHECK_OK(qt_bundle_set(bundle, "w", f->pc));
  EXPECT_INVALID(qt_bundle_serialize_onnx(&bytes, &size, bundle));
  EXPECT_MESSAGE_HAS("cannot export tensor 'w' to ONNX");
  EXPECT_INVALID(qt_bundle_save_onnx(bundle, "/tmp/qtensor_bad_input.onnx"));
  CHECK(bytes == untouched_bytes);
  CHECK_I64(size, 77);
  CHECK(back == untouched_bundle);
  qt_bundle_free(bundle);
}

/* Every integer of t, compared with the six of pt (qint8 (2, 3)). */
static void check_pt_ints(const qt_tensor* t, const int8_t expected[6]) {
  int8_t ints[6];
  CHECK_OK(qt_int_repr(ints, sizeof ints, t));
  for (int i = 0; i < 6; ++i) CHECK_I64(ints[i], expected[i]);
}

/* The in-place, out= and scalar forms: NULL anywhere, outputs of another
   scheme, dtype or shape, bad numbers; outputs and inputs stay as they were. */
static void test_operator_forms(const fixtures* f) {
  step("leaky_relu_inplace, relu6_inplace, clamp_inplace, *_out, *_scalar");
  const int8_t pt_ints[6] = {1, 2, 3, 4, 5, 6};
  EXPECT_INVALID(qt_leaky_relu_inplace(NULL, 0.1f));
  EXPECT_INVALID(qt_leaky_relu_inplace(f->pt, NAN));
  EXPECT_MESSAGE_HAS("negative_slope");
  EXPECT_INVALID(qt_relu6_inplace(NULL));
  EXPECT_INVALID(qt_clamp_inplace(NULL, 0.0f, 1.0f));
  EXPECT_INVALID(qt_clamp_inplace(f->pt, NAN, 1.0f));
  check_pt_ints(f->pt, pt_ints);

  qt_status (*const binary_out[])(qt_tensor*, const qt_tensor*, const qt_tensor*) = {
      qt_add_out, qt_add_relu_out, qt_mul_out, qt_mul_relu_out};
  qt_tensor* out = NULL; /* qint8 (2, 3), per tensor: the one good output */
  const int8_t out_ints[6] = {-1, -2, -3, -4, -5, -6};
  CHECK_OK(qt_make_per_tensor_quantized_int8(&out, out_ints, kShape23, 2, 0.25, 3));
  for (size_t i = 0; i < sizeof binary_out / sizeof binary_out[0]; ++i) {
    EXPECT_INVALID(binary_out[i](NULL, f->pt, f->pt));
    EXPECT_INVALID(binary_out[i](out, NULL, f->pt));
    EXPECT_INVALID(binary_out[i](out, f->pt, NULL));
    EXPECT_INVALID(binary_out[i](f->pc, f->pt, f->pt)); /* per-channel out */
    EXPECT_MESSAGE_HAS("per tensor");
    EXPECT_TYPE_MISMATCH(binary_out[i](f->u8, f->pt, f->pt));
    EXPECT_MESSAGE_HAS("out is quint8, a is qint8");
    EXPECT_SHAPE_MISMATCH(binary_out[i](f->pt_row, f->pt, f->pt));
    EXPECT_MESSAGE_HAS("out has shape (3,), the result (2, 3)");
  }
  const int8_t* unchanged = out_ints;
  check_pt_ints(out, unchanged);
  check_pt_ints(f->pt, pt_ints);

  qt_status (*const scalar[])(qt_tensor**, const qt_tensor*, double) = {
      qt_add_scalar, qt_add_scalar_relu, qt_mul_scalar, qt_mul_scalar_relu};
  qt_tensor* result = SENTINEL_TENSOR;
  for (size_t i = 0; i < sizeof scalar / sizeof scalar[0]; ++i) {
    EXPECT_INVALID(scalar[i](NULL, f->pt, 1.0));
    EXPECT_INVALID(scalar[i](&result, NULL, 1.0));
    EXPECT_INVALID(scalar[i](&result, f->pc, 1.0));
    EXPECT_MESSAGE_HAS("per tensor");
    EXPECT_INVALID(scalar[i](&result, f->pt, NAN));
    EXPECT_MESSAGE_HAS("not finite");
    EXPECT_INVALID(scalar[i](&result, f->pt, -INFINITY));
  }
  EXPECT_INVALID(qt_add_scalar(&result, f->pt, 1e10)); /* 2e10 steps of 0.5 */
  EXPECT_MESSAGE_HAS("int32");
  EXPECT_INVALID(qt_mul_scalar(&result, f->pt, 1e-320)); /* scale underflows */
  EXPECT_INVALID(qt_mul_scalar(&result, f->pt, 1e308));  /* and overflows */
  CHECK(result == SENTINEL_TENSOR);

  const qt_tensor* pair[2] = {f->pt, f->pt};
  const qt_tensor* with_null[2] = {f->pt, NULL};
  for (int relu = 0; relu < 2; ++relu) {
    qt_status (*join)(qt_tensor*, const qt_tensor* const*, size_t, int64_t) =
        relu ? qt_cat_relu_out : qt_cat_out;
    EXPECT_INVALID(join(NULL, pair, 2, 0));
    EXPECT_INVALID(join(out, NULL, 2, 0));
    EXPECT_INVALID(join(out, with_null, 2, 0));
    EXPECT_MESSAGE_HAS("tensors[1]");
    EXPECT_INVALID(join(out, pair, 0, 0));
    EXPECT_OUT_OF_RANGE(join(out, pair, 2, 2));
    EXPECT_SHAPE_MISMATCH(join(out, pair, 2, 0)); /* (4, 3) into (2, 3) */
    EXPECT_MESSAGE_HAS("out has shape (2, 3), the result (4, 3)");
  }
  check_pt_ints(out, unchanged);
  qt_tensor_free(out);
}

static void test_readout(const fixtures* f) {
  step("dequantize, int_repr, to_string");
  float values[6] = {-1.0f, -2.0f, -3.0f, -4.0f, -5.0f, -6.0f};
  EXPECT_INVALID(qt_dequantize(values, 5, f->pt)); /* 6 needed */
  EXPECT_MESSAGE_HAS("6");
  EXPECT_INVALID(qt_dequantize(values, 0, f->pc));
  EXPECT_INVALID(qt_dequantize(values, 0, f->scalar));
  EXPECT_INVALID(qt_dequantize(NULL, 6, f->pt));
  EXPECT_INVALID(qt_dequantize(values, 6, NULL));
  for (int i = 0; i < 6; ++i) CHECK(values[i] == (float)-(i + 1));

  unsigned char bytes[24];
  memset(bytes, 0xA5, sizeof bytes);
  EXPECT_INVALID(qt_int_repr(bytes, 5, f->pt));  /* 6 needed */
  EXPECT_INVALID(qt_int_repr(bytes, 6, f->i32)); /* 24 needed, not 6 */
  EXPECT_MESSAGE_HAS("24");
  EXPECT_INVALID(qt_int_repr(bytes, 23, f->i32));
  EXPECT_INVALID(qt_int_repr(bytes, 2, f->pt_row));
  EXPECT_INVALID(qt_int_repr(NULL, 24, f->pt));
  EXPECT_INVALID(qt_int_repr(bytes, 24, NULL));
  for (size_t i = 0; i < sizeof bytes; ++i) CHECK_I64(bytes[i], 0xA5);

  /* A larger destination is fine: numel written, the rest as it was. */
  float wide[9] = {-7.0f, -7.0f, -7.0f, -7.0f, -7.0f, -7.0f, -7.0f, -7.0f, -7.0f};
  CHECK_OK(qt_dequantize(wide, 9, f->pt));
  CHECK_OK(qt_dequantize(values, 6, f->pt));
  for (int i = 0; i < 6; ++i) CHECK(wide[i] == values[i]);
  for (int i = 6; i < 9; ++i) CHECK(wide[i] == -7.0f);
  CHECK_OK(qt_int_repr(bytes, sizeof bytes, f->pt));
  for (size_t i = 6; i < sizeof bytes; ++i) CHECK_I64(bytes[i], 0xA5);

  char* text = SENTINEL_STRING;
  EXPECT_INVALID(qt_to_string(NULL, f->pt));
  EXPECT_INVALID(qt_to_string(&text, NULL));
  CHECK(text == SENTINEL_STRING);
}

/* Enum values outside the enumerations' ranges, which a C caller may pass:
   (qt_dtype)99 is a valid C expression. The C++ side must not load them as
   its enum types (undefined behaviour there: UBSan's -fsanitize=enum stops
   the program), so this group runs late, after the others have reported. */
static void test_unknown_enum_values(void) {
  step("enum values outside the enumerations (99, -1)");
  CHECK(qt_status_name((qt_status)99) != NULL);
  CHECK(qt_status_name((qt_status)99)[0] != '\0');
  CHECK(qt_status_name((qt_status)-1) != NULL);
  CHECK(qt_dtype_name((qt_dtype)10) == NULL);
  CHECK_I64(qt_dtype_bits((qt_dtype)10), 0);
  CHECK_I64(qt_dtype_bits((qt_dtype)-1), 0);
  CHECK(qt_dtype_name((qt_dtype)99) == NULL);
  CHECK(qt_dtype_name((qt_dtype)-1) == NULL);
  CHECK(qt_qscheme_name((qt_qscheme)99) == NULL);
  CHECK(qt_qscheme_name((qt_qscheme)-1) == NULL);
  CHECK_I64(qt_dtype_size((qt_dtype)10), 0);
  CHECK_I64(qt_dtype_size((qt_dtype)99), 0);
  CHECK_I64(qt_dtype_size((qt_dtype)-1), 0);

  qt_quantizer* q = SENTINEL_QUANTIZER;
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, (qt_dtype)99, 1.0, 0));
  EXPECT_MESSAGE_HAS("99");
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, (qt_dtype)-1, 1.0, 0));
  EXPECT_INVALID(qt_quantizer_new_per_tensor(&q, (qt_dtype)10, 1.0, 0));
  EXPECT_INVALID(qt_quantizer_new_per_channel(&q, (qt_dtype)99, kPcScales, kPcZeroPoints, 3, 0));
  CHECK(q == SENTINEL_QUANTIZER);
  qt_tensor* t = SENTINEL_TENSOR;
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, 0.5, 1, (qt_dtype)99));
  EXPECT_INVALID(qt_quantize_per_tensor(&t, kFloats6, kShape23, 2, 0.5, 1, (qt_dtype)-1));
  EXPECT_INVALID(qt_quantize_per_channel(&t, kFloats6, kShape23, 2, kPcScales, kPcZeroPoints, 3, 1,
                                         (qt_dtype)99));
  CHECK(t == SENTINEL_TENSOR);
}

#if !defined(__STDC_NO_THREADS__)
static char g_thread_message[512];

static int fail_in_thread(void* arg) {
  (void)arg;
  size_t numel = 0;
  const qt_status status = qt_tensor_numel(&numel, NULL);
  snprintf(g_thread_message, sizeof g_thread_message, "%s", qt_last_error_message());
  return status == QT_ERR_INVALID_ARGUMENT ? 0 : 1;
}
#endif

static void test_thread_local_error(void) {
  step("the last error is per thread");
#if !defined(__STDC_NO_THREADS__)
  arm_marker();
  thrd_t thread;
  CHECK(thrd_create(&thread, fail_in_thread, NULL) == thrd_success);
  int result = -1;
  CHECK(thrd_join(thread, &result) == thrd_success);
  CHECK_I64(result, 0);
  CHECK(g_thread_message[0] != '\0');
  CHECK(strstr(g_thread_message, MARKER_TEXT) == NULL);
  /* This thread's message is still the marker. */
  CHECK(strstr(qt_last_error_message(), MARKER_TEXT) != NULL);
#else
  printf("         (no C11 threads: skipped)\n");
#endif
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_errors_and_names();
  fixtures f = make_fixtures();
  const all_snapshots before = snapshot_all(&f);

  test_quantizer_new_per_tensor();
  test_quantizer_new_per_channel();
  test_quantizer_getters(&f);
  CHECK_ALL_UNCHANGED(&f, &before);
  test_creation(&f);
  test_creation_from_ints(&f);
  CHECK_ALL_UNCHANGED(&f, &before);
  test_inspection(&f);
  CHECK_ALL_UNCHANGED(&f, &before);
  test_views(&f);
  CHECK_ALL_UNCHANGED(&f, &before);
  test_elements(&f);
  CHECK_ALL_UNCHANGED(&f, &before);
  test_copy(&f);
  CHECK_ALL_UNCHANGED(&f, &before);
  test_readout(&f);
  CHECK_ALL_UNCHANGED(&f, &before);
  test_operators(&f);
  test_operator_forms(&f);
  test_pooling(&f);
  test_data_pointer(&f);
  test_onnx(&f);
  CHECK_ALL_UNCHANGED(&f, &before);
  test_thread_local_error();

  /* Everything still works after all those failures. */
  step("the fixtures still work");
  qt_tensor* view = NULL;
  CHECK_OK(qt_transpose(&view, f.pc, 0, 1));
  int64_t axis = -1;
  CHECK_OK(qt_tensor_q_per_channel_axis(&axis, view));
  CHECK_I64(axis, 0);
  char* text = NULL;
  CHECK_OK(qt_to_string(&text, view));
  CHECK(text != NULL && strstr(text, "per_channel_affine") != NULL);
  qt_string_free(text);
  CHECK_OK(qt_fill(f.pt_row, 2.0f)); /* 2 / 0.5 + 1 = 5 */
  unsigned char ints[6];
  CHECK_OK(qt_int_repr(ints, sizeof ints, f.pt));
  CHECK(ints[0] == 1 && ints[1] == 2 && ints[2] == 3 && ints[3] == 5 && ints[4] == 5 &&
        ints[5] == 5);
  qt_tensor_free(view);

  /* Last: groups that currently stop the program under the sanitizers. */
  test_unknown_enum_values();
  test_zero_size_overflow(&f);

  free_fixtures(&f);
  printf("all %ld checks passed\n", g_checks);
  return 0;
}

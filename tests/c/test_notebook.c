/*
 * test_notebook.c - replays the walkthrough of quantized tensors
 * (docs/notebook.md, after PyTorch's "Introducing Quantized Tensor") through
 * the C ABI with fixed data, and checks every value: integers, dequantized
 * floats (bit for bit), shapes, strides, parameters and printed text. Then it
 * checks what qtensor does beyond PyTorch 1.13: views of per-channel tensors
 * (transpose, permute, select, slices with steps) that keep each element's
 * parameters.
 *
 * Expected integers are computed here, independently of the library, from
 *   q = clamp(zp + nearbyint(x * (1.0f / (float)scale)), qmin, qmax)
 * and a few are also written out as literals (taken from PyTorch 1.13).
 * Expected floats:
 *   per tensor:  (float)(q - zp) * (float)scale
 *   per channel: (float)((double)(q - zp) * scale)
 * Expected text: PyTorch 1.13's repr() of the same tensors, "torch." written
 * "qtensor.".
 *
 * Uses only <qtensor/qtensor.h> and the C standard library. Prints a line per
 * step; exits 1 at the first failed check, naming file:line and the values.
 */
#include <qtensor/qtensor.h>

#include "check.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ array sizes */

#define MAX_TEST_DIMS 8
#define MAX_TEST_ELEMS 256

/* ----------------------------------------- the formulas, written out here */

static int64_t qmin_of(qt_dtype dtype) {
  return dtype == QT_QINT8 ? -128 : dtype == QT_QUINT8 ? 0 : INT32_MIN;
}
static int64_t qmax_of(qt_dtype dtype) {
  return dtype == QT_QINT8 ? 127 : dtype == QT_QUINT8 ? 255 : INT32_MAX;
}

/* q = clamp(zp + nearbyint(x * (1.0f / (float)scale)), qmin, qmax), the sum
   exact; NaN -> zp, +-inf and huge values saturate. */
static int64_t ref_quantize(float x, double scale, int64_t zero_point, qt_dtype dtype) {
  const float inv_scale = 1.0f / (float)scale;
  const float product = x * inv_scale;
  int64_t q;
  if (isnan(product)) {
    q = zero_point;
  } else {
    const float rounded = nearbyintf(product);
    if (rounded >= 0x1p62f) return qmax_of(dtype);
    if (rounded <= -0x1p62f) return qmin_of(dtype);
    q = (int64_t)rounded + zero_point;
  }
  if (q < qmin_of(dtype)) q = qmin_of(dtype);
  if (q > qmax_of(dtype)) q = qmax_of(dtype);
  return q;
}

static float ref_dequantize_per_tensor(int64_t q, double scale, int64_t zero_point) {
  return (float)(q - zero_point) * (float)scale;
}

static float ref_dequantize_per_channel(int64_t q, double scale, int64_t zero_point) {
  return (float)((double)(q - zero_point) * scale);
}

/* ------------------------------------------------------ reading tensors */

static size_t ndim_of(const qt_tensor* t) {
  size_t ndim = 0;
  CHECK_OK(qt_tensor_ndim(&ndim, t));
  return ndim;
}

static int64_t numel_of(const qt_tensor* t) {
  size_t numel = 0;
  CHECK_OK(qt_tensor_numel(&numel, t));
  return (int64_t)numel;
}

static qt_dtype dtype_of(const qt_tensor* t) {
  qt_dtype dtype = (qt_dtype)0;
  CHECK_OK(qt_tensor_dtype(&dtype, t));
  return dtype;
}

/* int_repr() widened to int64; returns numel. */
static size_t read_ints_at(int line, const qt_tensor* t, int64_t* out, size_t capacity) {
  const int64_t numel = numel_of(t);
  if (numel < 0 || (size_t)numel > capacity) FAIL_AT(line, "numel %" PRId64 " too large", numel);
  const qt_dtype dtype = dtype_of(t);
  const size_t elem = qt_dtype_size(dtype);
  unsigned char raw[MAX_TEST_ELEMS * 4];
  check_status_at(line, "qt_int_repr", qt_int_repr(raw, sizeof raw, t), QT_OK);
  for (size_t i = 0; i < (size_t)numel; ++i) {
    if (dtype == QT_QINT8) {
      int8_t v;
      memcpy(&v, raw + i * elem, 1);
      out[i] = v;
    } else if (dtype == QT_QUINT8) {
      out[i] = raw[i];
    } else {
      int32_t v;
      memcpy(&v, raw + i * elem, 4);
      out[i] = v;
    }
  }
  return (size_t)numel;
}
#define READ_INTS(t, out) read_ints_at(__LINE__, (t), (out), sizeof(out) / sizeof((out)[0]))

static size_t read_floats_at(int line, const qt_tensor* t, float* out, size_t capacity) {
  const int64_t numel = numel_of(t);
  if (numel < 0 || (size_t)numel > capacity) FAIL_AT(line, "numel %" PRId64 " too large", numel);
  check_status_at(line, "qt_dequantize", qt_dequantize(out, capacity, t), QT_OK);
  return (size_t)numel;
}
#define READ_FLOATS(t, out) read_floats_at(__LINE__, (t), (out), sizeof(out) / sizeof((out)[0]))

static int64_t product(const int64_t* shape, size_t ndim) {
  int64_t n = 1;
  for (size_t d = 0; d < ndim; ++d) n *= shape[d];
  return n;
}

static void check_shape_at(int line, const qt_tensor* t, const int64_t* shape, size_t ndim) {
  check_i64_at(line, "ndim", (int64_t)ndim_of(t), (int64_t)ndim);
  int64_t got[MAX_TEST_DIMS];
  for (size_t d = 0; d < MAX_TEST_DIMS; ++d) got[d] = -7777;
  check_status_at(line, "qt_tensor_shape", qt_tensor_shape(got, ndim, t), QT_OK);
  for (size_t d = 0; d < ndim; ++d) {
    char what[32];
    snprintf(what, sizeof what, "shape[%zu]", d);
    check_i64_at(line, what, got[d], shape[d]);
  }
  if (ndim < MAX_TEST_DIMS) check_i64_at(line, "shape past ndim (untouched)", got[ndim], -7777);
  check_i64_at(line, "numel", numel_of(t), product(shape, ndim));
}
#define CHECK_SHAPE(t, ...)                                             \
  do {                                                                  \
    const int64_t expected_shape_[] = {__VA_ARGS__};                    \
    check_shape_at(__LINE__, (t), expected_shape_,                      \
                   sizeof expected_shape_ / sizeof expected_shape_[0]); \
  } while (0)

static void check_strides_at(int line, const qt_tensor* t, const int64_t* strides, size_t ndim,
                             int64_t offset) {
  int64_t got[MAX_TEST_DIMS];
  check_status_at(line, "qt_tensor_strides", qt_tensor_strides(got, MAX_TEST_DIMS, t), QT_OK);
  for (size_t d = 0; d < ndim; ++d) {
    char what[32];
    snprintf(what, sizeof what, "strides[%zu]", d);
    check_i64_at(line, what, got[d], strides[d]);
  }
  int64_t got_offset = -1;
  check_status_at(line, "qt_tensor_storage_offset", qt_tensor_storage_offset(&got_offset, t),
                  QT_OK);
  check_i64_at(line, "storage_offset", got_offset, offset);
}
#define CHECK_STRIDES(t, offset, ...)                                                   \
  do {                                                                                  \
    const int64_t expected_strides_[] = {__VA_ARGS__};                                  \
    check_strides_at(__LINE__, (t), expected_strides_,                                  \
                     sizeof expected_strides_ / sizeof expected_strides_[0], (offset)); \
  } while (0)

static void check_ints_at(int line, const qt_tensor* t, const int64_t* expected, size_t n) {
  int64_t got[MAX_TEST_ELEMS];
  const size_t numel = read_ints_at(line, t, got, MAX_TEST_ELEMS);
  check_i64_at(line, "numel", (int64_t)numel, (int64_t)n);
  for (size_t i = 0; i < n; ++i) {
    char what[48];
    snprintf(what, sizeof what, "int_repr[%zu]", i);
    check_i64_at(line, what, got[i], expected[i]);
  }
}
#define CHECK_INTS(t, expected, n) check_ints_at(__LINE__, (t), (expected), (n))

static void check_floats_at(int line, const qt_tensor* t, const float* expected, size_t n) {
  float got[MAX_TEST_ELEMS];
  const size_t numel = read_floats_at(line, t, got, MAX_TEST_ELEMS);
  check_i64_at(line, "numel", (int64_t)numel, (int64_t)n);
  for (size_t i = 0; i < n; ++i) {
    char what[48];
    snprintf(what, sizeof what, "dequantize[%zu]", i);
    check_f32_at(line, what, got[i], expected[i]);
  }
}
#define CHECK_FLOATS(t, expected, n) check_floats_at(__LINE__, (t), (expected), (n))

static void check_per_tensor_at(int line, const qt_tensor* t, qt_dtype dtype, double scale,
                                int64_t zero_point) {
  check_i64_at(line, "dtype", dtype_of(t), dtype);
  qt_qscheme scheme = (qt_qscheme)0;
  check_status_at(line, "qt_tensor_qscheme", qt_tensor_qscheme(&scheme, t), QT_OK);
  check_i64_at(line, "qscheme", scheme, QT_PER_TENSOR_AFFINE);
  double got_scale = -1.0;
  check_status_at(line, "qt_tensor_q_scale", qt_tensor_q_scale(&got_scale, t), QT_OK);
  check_f64_at(line, "q_scale", got_scale, scale);
  int64_t got_zero_point = -999;
  check_status_at(line, "qt_tensor_q_zero_point", qt_tensor_q_zero_point(&got_zero_point, t),
                  QT_OK);
  check_i64_at(line, "q_zero_point", got_zero_point, zero_point);
  size_t channels = 0;
  check_status_at(line, "qt_tensor_q_num_channels", qt_tensor_q_num_channels(&channels, t), QT_OK);
  check_i64_at(line, "q_num_channels", (int64_t)channels, 1);
  int64_t axis = -12345;
  check_status_at(line, "qt_tensor_q_per_channel_axis of a per-tensor view",
                  qt_tensor_q_per_channel_axis(&axis, t), QT_ERR_TYPE_MISMATCH);
  check_i64_at(line, "axis untouched", axis, -12345);

  /* The effective quantizer says the same. */
  qt_quantizer* quantizer = NULL;
  check_status_at(line, "qt_tensor_quantizer", qt_tensor_quantizer(&quantizer, t), QT_OK);
  qt_dtype qdtype = (qt_dtype)0;
  check_status_at(line, "qt_quantizer_dtype", qt_quantizer_dtype(&qdtype, quantizer), QT_OK);
  check_i64_at(line, "quantizer dtype", qdtype, dtype);
  qt_qscheme qscheme = (qt_qscheme)0;
  check_status_at(line, "qt_quantizer_qscheme", qt_quantizer_qscheme(&qscheme, quantizer), QT_OK);
  check_i64_at(line, "quantizer qscheme", qscheme, QT_PER_TENSOR_AFFINE);
  double qscale = -1.0;
  check_status_at(line, "qt_quantizer_scale", qt_quantizer_scale(&qscale, quantizer), QT_OK);
  check_f64_at(line, "quantizer scale", qscale, scale);
  int64_t qzero_point = -999;
  check_status_at(line, "qt_quantizer_zero_point", qt_quantizer_zero_point(&qzero_point, quantizer),
                  QT_OK);
  check_i64_at(line, "quantizer zero_point", qzero_point, zero_point);
  size_t qchannels = 0;
  check_status_at(line, "qt_quantizer_num_channels",
                  qt_quantizer_num_channels(&qchannels, quantizer), QT_OK);
  check_i64_at(line, "quantizer num_channels", (int64_t)qchannels, 1);
  double scales[1] = {-1.0};
  check_status_at(line, "qt_quantizer_scales", qt_quantizer_scales(scales, 1, quantizer), QT_OK);
  check_f64_at(line, "quantizer scales[0]", scales[0], scale);
  int64_t zero_points[1] = {-999};
  check_status_at(line, "qt_quantizer_zero_points",
                  qt_quantizer_zero_points(zero_points, 1, quantizer), QT_OK);
  check_i64_at(line, "quantizer zero_points[0]", zero_points[0], zero_point);
  int64_t qaxis = -12345;
  check_status_at(line, "qt_quantizer_axis of a per-tensor quantizer",
                  qt_quantizer_axis(&qaxis, quantizer), QT_ERR_TYPE_MISMATCH);
  /* Equal to a fresh quantizer with the same parameters. */
  qt_quantizer* fresh = NULL;
  check_status_at(line, "qt_quantizer_new_per_tensor",
                  qt_quantizer_new_per_tensor(&fresh, dtype, scale, zero_point), QT_OK);
  bool equal = false;
  check_status_at(line, "qt_quantizer_equal", qt_quantizer_equal(&equal, quantizer, fresh), QT_OK);
  if (!equal) FAIL_AT(line, "effective quantizer differs from a fresh per-tensor quantizer");
  qt_quantizer_free(fresh);
  qt_quantizer_free(quantizer);
}
#define CHECK_PER_TENSOR(t, dtype, scale, zero_point) \
  check_per_tensor_at(__LINE__, (t), (dtype), (scale), (zero_point))

static void check_per_channel_at(int line, const qt_tensor* t, qt_dtype dtype, int64_t axis,
                                 const double* scales, const int64_t* zero_points, size_t n) {
  check_i64_at(line, "dtype", dtype_of(t), dtype);
  qt_qscheme scheme = (qt_qscheme)0;
  check_status_at(line, "qt_tensor_qscheme", qt_tensor_qscheme(&scheme, t), QT_OK);
  check_i64_at(line, "qscheme", scheme, QT_PER_CHANNEL_AFFINE);
  int64_t got_axis = -12345;
  check_status_at(line, "qt_tensor_q_per_channel_axis", qt_tensor_q_per_channel_axis(&got_axis, t),
                  QT_OK);
  check_i64_at(line, "q_per_channel_axis", got_axis, axis);
  size_t channels = 0;
  check_status_at(line, "qt_tensor_q_num_channels", qt_tensor_q_num_channels(&channels, t), QT_OK);
  check_i64_at(line, "q_num_channels", (int64_t)channels, (int64_t)n);
  double got_scales[MAX_TEST_ELEMS];
  int64_t got_zero_points[MAX_TEST_ELEMS];
  check_status_at(line, "qt_tensor_q_per_channel_scales",
                  qt_tensor_q_per_channel_scales(got_scales, n, t), QT_OK);
  check_status_at(line, "qt_tensor_q_per_channel_zero_points",
                  qt_tensor_q_per_channel_zero_points(got_zero_points, n, t), QT_OK);
  for (size_t c = 0; c < n; ++c) {
    char what[48];
    snprintf(what, sizeof what, "q_per_channel_scales[%zu]", c);
    check_f64_at(line, what, got_scales[c], scales[c]);
    snprintf(what, sizeof what, "q_per_channel_zero_points[%zu]", c);
    check_i64_at(line, what, got_zero_points[c], zero_points[c]);
  }
  double scale = -1.0;
  check_status_at(line, "qt_tensor_q_scale of a per-channel view", qt_tensor_q_scale(&scale, t),
                  QT_ERR_TYPE_MISMATCH);
  check_f64_at(line, "q_scale untouched", scale, -1.0);
  int64_t zero_point = -999;
  check_status_at(line, "qt_tensor_q_zero_point of a per-channel view",
                  qt_tensor_q_zero_point(&zero_point, t), QT_ERR_TYPE_MISMATCH);
  check_i64_at(line, "q_zero_point untouched", zero_point, -999);

  /* The effective quantizer: per-channel, in the view's own dim numbering. */
  qt_quantizer* quantizer = NULL;
  check_status_at(line, "qt_tensor_quantizer", qt_tensor_quantizer(&quantizer, t), QT_OK);
  qt_qscheme qscheme = (qt_qscheme)0;
  check_status_at(line, "qt_quantizer_qscheme", qt_quantizer_qscheme(&qscheme, quantizer), QT_OK);
  check_i64_at(line, "quantizer qscheme", qscheme, QT_PER_CHANNEL_AFFINE);
  qt_dtype qdtype = (qt_dtype)0;
  check_status_at(line, "qt_quantizer_dtype", qt_quantizer_dtype(&qdtype, quantizer), QT_OK);
  check_i64_at(line, "quantizer dtype", qdtype, dtype);
  int64_t qaxis = -12345;
  check_status_at(line, "qt_quantizer_axis", qt_quantizer_axis(&qaxis, quantizer), QT_OK);
  check_i64_at(line, "quantizer axis", qaxis, axis);
  size_t qchannels = 0;
  check_status_at(line, "qt_quantizer_num_channels",
                  qt_quantizer_num_channels(&qchannels, quantizer), QT_OK);
  check_i64_at(line, "quantizer num_channels", (int64_t)qchannels, (int64_t)n);
  check_status_at(line, "qt_quantizer_scales", qt_quantizer_scales(got_scales, n, quantizer),
                  QT_OK);
  check_status_at(line, "qt_quantizer_zero_points",
                  qt_quantizer_zero_points(got_zero_points, n, quantizer), QT_OK);
  for (size_t c = 0; c < n; ++c) {
    check_f64_at(line, "quantizer scales[c]", got_scales[c], scales[c]);
    check_i64_at(line, "quantizer zero_points[c]", got_zero_points[c], zero_points[c]);
  }
  check_status_at(line, "qt_quantizer_scale of a per-channel quantizer",
                  qt_quantizer_scale(&scale, quantizer), QT_ERR_TYPE_MISMATCH);
  check_status_at(line, "qt_quantizer_zero_point of a per-channel quantizer",
                  qt_quantizer_zero_point(&zero_point, quantizer), QT_ERR_TYPE_MISMATCH);
  qt_quantizer* fresh = NULL;
  check_status_at(line, "qt_quantizer_new_per_channel",
                  qt_quantizer_new_per_channel(&fresh, dtype, scales, zero_points, n, axis), QT_OK);
  bool equal = false;
  check_status_at(line, "qt_quantizer_equal", qt_quantizer_equal(&equal, quantizer, fresh), QT_OK);
  if (!equal) FAIL_AT(line, "effective quantizer differs from a fresh per-channel quantizer");
  qt_quantizer_free(fresh);
  qt_quantizer_free(quantizer);
}
#define CHECK_PER_CHANNEL(t, dtype, axis, scales, zero_points, n) \
  check_per_channel_at(__LINE__, (t), (dtype), (axis), (scales), (zero_points), (n))

static void check_repr_at(int line, const qt_tensor* t, const char* expected) {
  char* text = NULL;
  check_status_at(line, "qt_to_string", qt_to_string(&text, t), QT_OK);
  check_str_at(line, "qt_to_string", text, expected);
  qt_string_free(text);
}
#define CHECK_REPR(t, expected) check_repr_at(__LINE__, (t), (expected))

static bool shares_storage(const qt_tensor* a, const qt_tensor* b) {
  bool shared = false;
  CHECK_OK(qt_tensor_shares_storage(&shared, a, b));
  return shared;
}

static bool is_contiguous(const qt_tensor* t) {
  bool contiguous = false;
  CHECK_OK(qt_tensor_is_contiguous(&contiguous, t));
  return contiguous;
}

/* How a view's elements sit in its base: view dim d walks base dim
   base_dim[d] with step step[d], starting from base coordinates origin[]
   (base dims walked by no view dim stay at their origin). */
typedef struct {
  size_t view_ndim;
  int64_t base_dim[MAX_TEST_DIMS];
  int64_t step[MAX_TEST_DIMS];
  int64_t origin[MAX_TEST_DIMS];
} view_map;

/* Checks, element by element, that the view shows the base's integers and,
   bit for bit, the base's dequantized values (through dequantize, int_repr
   and get), and that it shares the base's storage. */
static void check_view_at(int line, const qt_tensor* view, const qt_tensor* base,
                          const view_map* map) {
  if (!shares_storage(view, base)) FAIL_AT(line, "the view does not share the base's storage");
  const size_t base_ndim = ndim_of(base);
  int64_t base_shape[MAX_TEST_DIMS];
  CHECK_OK(qt_tensor_shape(base_shape, MAX_TEST_DIMS, base));
  int64_t view_shape[MAX_TEST_DIMS];
  check_i64_at(line, "view ndim", (int64_t)ndim_of(view), (int64_t)map->view_ndim);
  CHECK_OK(qt_tensor_shape(view_shape, MAX_TEST_DIMS, view));

  int64_t base_ints[MAX_TEST_ELEMS], view_ints[MAX_TEST_ELEMS];
  float base_values[MAX_TEST_ELEMS], view_values[MAX_TEST_ELEMS];
  read_ints_at(line, base, base_ints, MAX_TEST_ELEMS);
  read_floats_at(line, base, base_values, MAX_TEST_ELEMS);
  const size_t n = read_ints_at(line, view, view_ints, MAX_TEST_ELEMS);
  read_floats_at(line, view, view_values, MAX_TEST_ELEMS);

  int64_t index[MAX_TEST_DIMS] = {0};
  for (size_t k = 0; k < n; ++k) {
    int64_t coord[MAX_TEST_DIMS];
    for (size_t b = 0; b < base_ndim; ++b) coord[b] = map->origin[b];
    for (size_t d = 0; d < map->view_ndim; ++d) coord[map->base_dim[d]] += index[d] * map->step[d];
    size_t flat = 0;
    for (size_t b = 0; b < base_ndim; ++b) {
      if (coord[b] < 0 || coord[b] >= base_shape[b])
        FAIL_AT(line, "bad view map at element %zu", k);
      flat = flat * (size_t)base_shape[b] + (size_t)coord[b];
    }
    char what[64];
    snprintf(what, sizeof what, "view int_repr[%zu] vs base[%zu]", k, flat);
    check_i64_at(line, what, view_ints[k], base_ints[flat]);
    snprintf(what, sizeof what, "view dequantize[%zu] vs base[%zu]", k, flat);
    check_f32_at(line, what, view_values[k], base_values[flat]);
    float got = -12345.0f;
    check_status_at(line, "qt_tensor_get(view)", qt_tensor_get(&got, view, index, map->view_ndim),
                    QT_OK);
    snprintf(what, sizeof what, "qt_tensor_get(view) at element %zu", k);
    check_f32_at(line, what, got, base_values[flat]);
    float got_base = -12345.0f;
    check_status_at(line, "qt_tensor_get(base)", qt_tensor_get(&got_base, base, coord, base_ndim),
                    QT_OK);
    check_f32_at(line, "qt_tensor_get(base)", got_base, base_values[flat]);
    /* Next row-major view index. */
    for (size_t d = map->view_ndim; d-- > 0;) {
      if (++index[d] < view_shape[d]) break;
      index[d] = 0;
    }
  }
}
#define CHECK_VIEW(view, base, map) check_view_at(__LINE__, (view), (base), (map))

/* ----------------------------------------------------------- fixed data */

/* The float tensor the notebook printed (torch.randn(2, 2, 3)). */
static const float kX[12] = {0.1231f,  -1.9974f, 0.2806f, 0.6392f,  -0.2118f, 0.6879f,
                             -0.1315f, -0.4067f, 0.5414f, -0.4595f, -1.7321f, -0.5273f};
static const int64_t kXShape[3] = {2, 2, 3};

/* torch.quantize_per_tensor(x, 1e-4, 2, torch.qint32).int_repr() */
static const int64_t kPerTensorInts[12] = {1233,  -19972, 2808, 6394,  -2116,  6881,
                                           -1313, -4065,  5416, -4593, -17319, -5271};
/* torch.quantize_per_channel(x, [0.1, 0.01, 0.001], [-1, 0, 1], 2, qint32) */
static const int64_t kPerChannelInts[12] = {0,  -200, 282, 5,  -21,  689,
                                            -2, -41,  542, -6, -173, -526};
static const double kScales[3] = {0.1, 0.01, 0.001};
static const int64_t kZeroPoints[3] = {-1, 0, 1};

/* torch.randint(0, 100, (10,), dtype=torch.uint8), as the notebook printed it */
static const uint8_t kMadeInts[10] = {66, 95, 39, 25, 1, 71, 94, 43, 13, 48};

/* The copy example's values of q1. */
static const float kQ1Values[6] = {-1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f};
static const int64_t kQ1Ints[6] = {-16, 40, 70, 33, 66, 86};

/* PyTorch 1.13's repr() of the same tensors, "torch." written "qtensor.". */
static const char kReprPerTensor[] =
    "tensor([[[ 0.1231, -1.9974,  0.2806],\n"
    "         [ 0.6392, -0.2118,  0.6879]],\n"
    "\n"
    "        [[-0.1315, -0.4067,  0.5414],\n"
    "         [-0.4595, -1.7321, -0.5273]]], size=(2, 2, 3), dtype=qtensor.qint32,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)";
static const char kReprPerChannel[] =
    "tensor([[[ 0.1000, -2.0000,  0.2810],\n"
    "         [ 0.6000, -0.2100,  0.6880]],\n"
    "\n"
    "        [[-0.1000, -0.4100,  0.5410],\n"
    "         [-0.5000, -1.7300, -0.5270]]], size=(2, 2, 3), dtype=qtensor.qint32,\n"
    "       quantization_scheme=qtensor.per_channel_affine,\n"
    "       scale=tensor([0.1000, 0.0100, 0.0010], dtype=qtensor.float64),\n"
    "       zero_point=tensor([-1,  0,  1]), axis=2)";
static const char kReprEmpty[] =
    "tensor([-0.0002, -0.0002, -0.0002, -0.0002, -0.0002, -0.0002, -0.0002, -0.0002,\n"
    "        -0.0002, -0.0002], size=(10,), dtype=qtensor.qint32,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)";
static const char kReprMade[] =
    "tensor([ 6.4000e-03,  9.3000e-03,  3.7000e-03,  2.3000e-03, -1.0000e-04,\n"
    "         6.9000e-03,  9.2000e-03,  4.1000e-03,  1.1000e-03,  4.6000e-03],\n"
    "       size=(10,), dtype=qtensor.quint8,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)";
static const char kReprSelect2[] =
    "tensor(0.0037, size=(), dtype=qtensor.quint8,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)";
static const char kReprSelect0[] =
    "tensor(0.0064, size=(), dtype=qtensor.quint8,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)";
static const char kReprAfterSet[] =
    "tensor([ 2.5300e-02,  9.3000e-03,  3.7000e-03,  2.3000e-03, -1.0000e-04,\n"
    "         6.9000e-03,  9.2000e-03,  4.1000e-03,  1.1000e-03,  4.6000e-03],\n"
    "       size=(10,), dtype=qtensor.quint8,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.0001, zero_point=2)";
static const char kReprCopy[] =
    "tensor([[-1.6000,  4.0000,  7.0000],\n"
    "        [ 3.3000,  6.6000,  8.6000]], size=(2, 3), dtype=qtensor.qint8,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.1, zero_point=0)";
static const char kReprTransposed[] =
    "tensor([[-1.6000,  3.3000],\n"
    "        [ 4.0000,  6.6000],\n"
    "        [ 7.0000,  8.6000]], size=(3, 2), dtype=qtensor.qint8,\n"
    "       quantization_scheme=qtensor.per_tensor_affine, scale=0.1, zero_point=0)";
/* What PyTorch prints for a per-channel tensor holding the transposed
   (0, 2) values with axis 0; PyTorch itself refuses the transpose. */
static const char kReprPerChannelTransposed[] =
    "tensor([[[ 0.1000, -0.1000],\n"
    "         [ 0.6000, -0.5000]],\n"
    "\n"
    "        [[-2.0000, -0.4100],\n"
    "         [-0.2100, -1.7300]],\n"
    "\n"
    "        [[ 0.2810,  0.5410],\n"
    "         [ 0.6880, -0.5270]]], size=(3, 2, 2), dtype=qtensor.qint32,\n"
    "       quantization_scheme=qtensor.per_channel_affine,\n"
    "       scale=tensor([0.1000, 0.0100, 0.0010], dtype=qtensor.float64),\n"
    "       zero_point=tensor([-1,  0,  1]), axis=0)";

/* ---------------------------------------------------------------- steps */

static void test_version_and_names(void) {
  step("version and names");
  char expected[64];
  snprintf(expected, sizeof expected, "%d.%d.%d", QTENSOR_VERSION_MAJOR, QTENSOR_VERSION_MINOR,
           QTENSOR_VERSION_PATCH);
  CHECK_STR(qt_version(), expected);
  const char* target = qt_simd_target();
  CHECK(target != NULL && target[0] != '\0');
  printf("         SIMD target: %s\n", target);
  CHECK_STR(qt_dtype_name(QT_QINT8), "qint8");
  CHECK_STR(qt_dtype_name(QT_QUINT8), "quint8");
  CHECK_STR(qt_dtype_name(QT_QINT32), "qint32");
  CHECK_STR(qt_qscheme_name(QT_PER_TENSOR_AFFINE), "per_tensor_affine");
  CHECK_STR(qt_qscheme_name(QT_PER_CHANNEL_AFFINE), "per_channel_affine");
  CHECK_I64(qt_dtype_size(QT_QINT8), 1);
  CHECK_I64(qt_dtype_size(QT_QUINT8), 1);
  CHECK_I64(qt_dtype_size(QT_QINT32), 4);
  CHECK_STR(qt_status_name(QT_OK), "QT_OK");
  CHECK_STR(qt_status_name(QT_ERR_OUT_OF_RANGE), "QT_ERR_OUT_OF_RANGE");
  step_ok("version and names");
}

/* q_per_tensor = torch.quantize_per_tensor(float_tensor, 1e-4, 2, torch.qint32) */
static void test_quantize_per_tensor(void) {
  step("quantize_per_tensor(x, 1e-4, 2, qint32)");
  qt_tensor* q = NULL;
  CHECK_OK(qt_quantize_per_tensor(&q, kX, kXShape, 3, 1e-4, 2, QT_QINT32));
  CHECK_SHAPE(q, 2, 2, 3);
  CHECK_STRIDES(q, 0, 6, 3, 1);
  CHECK_I64(numel_of(q), 12);
  CHECK_I64(ndim_of(q), 3);
  bool quantized = false;
  CHECK_OK(qt_tensor_is_quantized(&quantized, q));
  CHECK(quantized);
  CHECK(is_contiguous(q));
  CHECK_PER_TENSOR(q, QT_QINT32, 1e-4, 2);

  int64_t expected[12];
  float values[12];
  for (size_t i = 0; i < 12; ++i) {
    expected[i] = ref_quantize(kX[i], 1e-4, 2, QT_QINT32);
    CHECK_I64(expected[i], kPerTensorInts[i]); /* the formula gives PyTorch's integers */
    values[i] = ref_dequantize_per_tensor(expected[i], 1e-4, 2);
  }
  /* A few by hand: 0.1231 / 1e-4 = 1231, + 2. */
  CHECK_I64(expected[0], 1233);
  CHECK_I64(expected[1], -19972);
  CHECK_I64(expected[10], -17319);
  CHECK_INTS(q, expected, 12);
  CHECK_FLOATS(q, values, 12);
  CHECK_F32(values[0], 1231.0f * (float)1e-4);

  float got = 0.0f;
  const int64_t at[3] = {1, 0, 2};
  CHECK_OK(qt_tensor_get(&got, q, at, 3));
  CHECK_F32(got, values[8]);
  const int64_t last[3] = {-1, -1, -1};
  CHECK_OK(qt_tensor_get(&got, q, last, 3));
  CHECK_F32(got, values[11]);
  CHECK_REPR(q, kReprPerTensor);

  /* qt_quantize with an explicit quantizer gives the same tensor. */
  qt_quantizer* quantizer = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, QT_QINT32, 1e-4, 2));
  qt_tensor* q2 = NULL;
  CHECK_OK(qt_quantize(&q2, kX, kXShape, 3, quantizer));
  CHECK_INTS(q2, expected, 12);
  CHECK_PER_TENSOR(q2, QT_QINT32, 1e-4, 2);
  CHECK(!shares_storage(q, q2));
  qt_quantizer* other = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&other, QT_QINT32, 1e-4, 3));
  bool equal = true;
  CHECK_OK(qt_quantizer_equal(&equal, quantizer, other));
  CHECK(!equal);
  qt_quantizer_free(other);
  qt_quantizer_free(quantizer);
  qt_tensor_free(q2);
  qt_tensor_free(q);
  step_ok("quantize_per_tensor(x, 1e-4, 2, qint32)");
}

/* q_per_channel = torch.quantize_per_channel(x, scales, zero_points, axis=2, dtype=qint32) */
static void test_quantize_per_channel(void) {
  step("quantize_per_channel(x, [0.1, 0.01, 0.001], [-1, 0, 1], axis=2, qint32)");
  qt_tensor* q = NULL;
  CHECK_OK(qt_quantize_per_channel(&q, kX, kXShape, 3, kScales, kZeroPoints, 3, 2, QT_QINT32));
  CHECK_SHAPE(q, 2, 2, 3);
  CHECK(is_contiguous(q));
  CHECK_PER_CHANNEL(q, QT_QINT32, 2, kScales, kZeroPoints, 3);

  int64_t expected[12];
  float values[12];
  for (size_t i = 0; i < 12; ++i) {
    const size_t c = i % 3;
    expected[i] = ref_quantize(kX[i], kScales[c], kZeroPoints[c], QT_QINT32);
    CHECK_I64(expected[i], kPerChannelInts[i]);
    values[i] = ref_dequantize_per_channel(expected[i], kScales[c], kZeroPoints[c]);
  }
  CHECK_I64(expected[1], -200); /* -1.9974 / 0.01 = -199.74 -> -200 */
  CHECK_I64(expected[2], 282);  /* 0.2806 / 0.001 = 280.6 -> 281, + 1 */
  CHECK_INTS(q, expected, 12);
  CHECK_FLOATS(q, values, 12);
  CHECK_F32(values[1], -2.0f);
  CHECK_REPR(q, kReprPerChannel);

  /* A quantizer made with axis -1: it keeps -1, the tensor says 2. */
  qt_quantizer* quantizer = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&quantizer, QT_QINT32, kScales, kZeroPoints, 3, -1));
  int64_t axis = 0;
  CHECK_OK(qt_quantizer_axis(&axis, quantizer));
  CHECK_I64(axis, -1);
  size_t channels = 0;
  CHECK_OK(qt_quantizer_num_channels(&channels, quantizer));
  CHECK_I64(channels, 3);
  qt_tensor* q2 = NULL;
  CHECK_OK(qt_quantize(&q2, kX, kXShape, 3, quantizer));
  CHECK_INTS(q2, expected, 12);
  CHECK_FLOATS(q2, values, 12);
  CHECK_PER_CHANNEL(q2, QT_QINT32, 2, kScales, kZeroPoints, 3);
  qt_quantizer_free(quantizer);
  qt_tensor_free(q2);
  qt_tensor_free(q);
  step_ok("quantize_per_channel(x, [0.1, 0.01, 0.001], [-1, 0, 1], axis=2, qint32)");
}

/* q = torch._empty_affine_quantized([10], scale=1e-4, zero_point=2, dtype=qint32) */
static void test_empty_quantized(void) {
  step("empty_quantized([10], 1e-4, 2, qint32)");
  qt_quantizer* quantizer = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, QT_QINT32, 1e-4, 2));
  const int64_t shape[1] = {10};
  qt_tensor* q = NULL;
  CHECK_OK(qt_empty_quantized(&q, shape, 1, quantizer));
  qt_quantizer_free(quantizer); /* not retained */
  CHECK_SHAPE(q, 10);
  CHECK_PER_TENSOR(q, QT_QINT32, 1e-4, 2);
  int64_t zeros[10] = {0};
  CHECK_INTS(q, zeros, 10);
  float values[10];
  READ_FLOATS(q, values);
  for (size_t i = 0; i < 10; ++i) {
    CHECK_F32(values[i], ref_dequantize_per_tensor(0, 1e-4, 2));
    CHECK_F32(values[i], -0.0002f);
  }
  CHECK_REPR(q, kReprEmpty);
  qt_tensor_free(q);
  step_ok("empty_quantized([10], 1e-4, 2, qint32)");
}

static qt_tensor* make_notebook_q(void) {
  const int64_t shape[1] = {10};
  qt_tensor* q = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_uint8(&q, kMadeInts, shape, 1, 1e-4, 2));
  return q;
}

/* q = torch._make_per_tensor_quantized_tensor(int_tensor, scale, zero_point),
   then the notebook's inspection cells. */
static void test_make_per_tensor_and_inspect(void) {
  step("make_per_tensor_quantized_uint8, dequantize, print, numel, q_scale, int_repr");
  qt_tensor* q = make_notebook_q();
  CHECK_SHAPE(q, 10);
  CHECK_STRIDES(q, 0, 1);
  CHECK_I64(numel_of(q), 10);
  CHECK_I64(ndim_of(q), 1);
  bool quantized = false;
  CHECK_OK(qt_tensor_is_quantized(&quantized, q));
  CHECK(quantized);
  CHECK_PER_TENSOR(q, QT_QUINT8, 1e-4, 2);
  double scale = 0.0;
  CHECK_OK(qt_tensor_q_scale(&scale, q));
  CHECK_F64(scale, 0.0001);
  int64_t zero_point = 0;
  CHECK_OK(qt_tensor_q_zero_point(&zero_point, q));
  CHECK_I64(zero_point, 2);

  int64_t ints[10];
  float values[10];
  for (size_t i = 0; i < 10; ++i) {
    ints[i] = kMadeInts[i];
    values[i] = ref_dequantize_per_tensor(kMadeInts[i], 1e-4, 2);
  }
  CHECK_INTS(q, ints, 10);
  /* int_repr() as uint8 bytes, exactly. */
  uint8_t raw[10];
  CHECK_OK(qt_int_repr(raw, sizeof raw, q));
  CHECK(memcmp(raw, kMadeInts, sizeof raw) == 0);
  CHECK_FLOATS(q, values, 10);
  CHECK_F32(values[4], -1e-4f); /* (1 - 2) * 1e-4 */
  CHECK_F32(values[0], 64.0f * (float)1e-4);
  CHECK_REPR(q, kReprMade);

  /* The other two int types. */
  const int64_t shape3[1] = {3};
  const int8_t i8[3] = {-128, 0, 127};
  qt_tensor* t8 = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int8(&t8, i8, shape3, 1, 0.5, -3));
  CHECK_PER_TENSOR(t8, QT_QINT8, 0.5, -3);
  const int64_t i8_expected[3] = {-128, 0, 127};
  CHECK_INTS(t8, i8_expected, 3);
  const float i8_values[3] = {-62.5f, 1.5f, 65.0f};
  CHECK_FLOATS(t8, i8_values, 3);
  const int32_t i32[3] = {INT32_MIN, 0, INT32_MAX};
  qt_tensor* t32 = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int32(&t32, i32, shape3, 1, 1.0, 0));
  CHECK_PER_TENSOR(t32, QT_QINT32, 1.0, 0);
  const int64_t i32_expected[3] = {INT32_MIN, 0, INT32_MAX};
  CHECK_INTS(t32, i32_expected, 3);
  const float i32_values[3] = {-2147483648.0f, 0.0f, 2147483648.0f};
  CHECK_FLOATS(t32, i32_values, 3);

  /* qt_from_int_repr with a per-channel quantizer. */
  const int8_t pc_ints[6] = {-5, 10, 127, 0, -128, 3};
  qt_quantizer* quantizer = NULL;
  const double pc_scales[3] = {0.25, 1.5, 0.003};
  const int64_t pc_zero_points[3] = {1, -2, 0};
  CHECK_OK(qt_quantizer_new_per_channel(&quantizer, QT_QINT8, pc_scales, pc_zero_points, 3, 1));
  const int64_t shape23[2] = {2, 3};
  qt_tensor* pc = NULL;
  CHECK_OK(qt_from_int_repr(&pc, pc_ints, sizeof pc_ints, shape23, 2, quantizer));
  qt_quantizer_free(quantizer);
  CHECK_PER_CHANNEL(pc, QT_QINT8, 1, pc_scales, pc_zero_points, 3);
  int64_t pc_expected[6];
  float pc_values[6];
  for (size_t i = 0; i < 6; ++i) {
    pc_expected[i] = pc_ints[i];
    pc_values[i] = ref_dequantize_per_channel(pc_ints[i], pc_scales[i % 3], pc_zero_points[i % 3]);
  }
  CHECK_INTS(pc, pc_expected, 6);
  CHECK_FLOATS(pc, pc_values, 6);

  qt_tensor_free(pc);
  qt_tensor_free(t32);
  qt_tensor_free(t8);
  qt_tensor_free(q);
  step_ok("make_per_tensor_quantized_uint8, dequantize, print, numel, q_scale, int_repr");
}

/* s = q[2]; print(q[0]) */
static void test_select_and_print(void) {
  step("s = q[2] (0-dim), print(q[0])");
  qt_tensor* q = make_notebook_q();
  qt_tensor* s = NULL;
  CHECK_OK(qt_select(&s, q, 0, 2));
  CHECK_I64(ndim_of(s), 0);
  CHECK_I64(numel_of(s), 1);
  int64_t untouched[1] = {-7777};
  CHECK_OK(qt_tensor_shape(untouched, 0, s)); /* nothing to copy for a 0-dim tensor */
  CHECK_I64(untouched[0], -7777);
  int64_t offset = -1;
  CHECK_OK(qt_tensor_storage_offset(&offset, s));
  CHECK_I64(offset, 2);
  CHECK(shares_storage(s, q));
  CHECK(is_contiguous(s));
  CHECK_PER_TENSOR(s, QT_QUINT8, 1e-4, 2);
  float item = 0.0f;
  CHECK_OK(qt_tensor_item(&item, s));
  CHECK_F32(item, ref_dequantize_per_tensor(39, 1e-4, 2));
  float got = 0.0f;
  CHECK_OK(qt_tensor_get(&got, s, NULL, 0));
  CHECK_F32(got, item);
  const int64_t ints[1] = {39};
  CHECK_INTS(s, ints, 1);
  CHECK_REPR(s, kReprSelect2);

  /* Negative index: q[-8] is q[2]. */
  qt_tensor* s_neg = NULL;
  CHECK_OK(qt_select(&s_neg, q, -1, -8));
  CHECK_OK(qt_tensor_item(&got, s_neg));
  CHECK_F32(got, item);

  qt_tensor* s0 = NULL;
  CHECK_OK(qt_select(&s0, q, 0, 0));
  CHECK_REPR(s0, kReprSelect0);
  /* q[0].item(): PyTorch 1.13 prints 0 (it truncates); the header asks for
     the dequantized value. */
  CHECK_OK(qt_tensor_item(&item, s0));
  CHECK_F32(item, ref_dequantize_per_tensor(66, 1e-4, 2));

  qt_tensor_free(s0);
  qt_tensor_free(s_neg);
  qt_tensor_free(s);
  qt_tensor_free(q);
  step_ok("s = q[2] (0-dim), print(q[0])");
}

/* q[0] = 3.5 */
static void test_assign(void) {
  step("q[0] = 3.5 (set, select + fill)");
  qt_tensor* q = make_notebook_q();
  int64_t ints[10];
  for (size_t i = 0; i < 10; ++i) ints[i] = kMadeInts[i];

  /* Through a view: select + fill. 0.0 quantizes to the zero point. */
  qt_tensor* s0 = NULL;
  CHECK_OK(qt_select(&s0, q, 0, 0));
  CHECK_OK(qt_fill(s0, 0.0f));
  ints[0] = 2;
  CHECK_INTS(q, ints, 10);
  /* 3.5 / 1e-4 + 2 = 35002: saturates to 255. */
  CHECK_OK(qt_fill(s0, 3.5f));
  ints[0] = ref_quantize(3.5f, 1e-4, 2, QT_QUINT8);
  CHECK_I64(ints[0], 255);
  CHECK_INTS(q, ints, 10);

  /* Directly: q[0] = 0.0064 then q[0] = 3.5. */
  const int64_t at0[1] = {0};
  CHECK_OK(qt_tensor_set(q, at0, 1, 0.0064f));
  ints[0] = ref_quantize(0.0064f, 1e-4, 2, QT_QUINT8);
  CHECK_I64(ints[0], 66);
  CHECK_INTS(q, ints, 10);
  CHECK_OK(qt_tensor_set(q, at0, 1, 3.5f));
  ints[0] = 255;
  CHECK_INTS(q, ints, 10);
  float item = 0.0f;
  CHECK_OK(qt_tensor_item(&item, s0)); /* the view sees the write */
  CHECK_F32(item, ref_dequantize_per_tensor(255, 1e-4, 2));
  CHECK_F32(item, 253.0f * (float)1e-4);
  CHECK_REPR(q, kReprAfterSet);

  /* A clone is independent; negative indices count from the end. */
  qt_tensor* c = NULL;
  CHECK_OK(qt_clone(&c, q));
  CHECK(!shares_storage(c, q));
  const int64_t last[1] = {-1};
  CHECK_OK(qt_tensor_set(c, last, 1, -1.0f)); /* saturates to 0 */
  int64_t c_ints[10];
  memcpy(c_ints, ints, sizeof c_ints);
  c_ints[9] = 0;
  CHECK_INTS(c, c_ints, 10);
  CHECK_INTS(q, ints, 10);
  float got = 0.0f;
  CHECK_OK(qt_tensor_get(&got, c, last, 1));
  CHECK_F32(got, -2e-4f);

  qt_tensor_free(c);
  qt_tensor_free(s0);
  qt_tensor_free(q);
  step_ok("q[0] = 3.5 (set, select + fill)");
}

static qt_tensor* make_q1(void) {
  qt_quantizer* quantizer = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer, QT_QINT8, 0.1, 0));
  const int64_t shape[2] = {2, 3};
  qt_tensor* q1 = NULL;
  CHECK_OK(qt_empty_quantized(&q1, shape, 2, quantizer));
  qt_quantizer_free(quantizer);
  CHECK_OK(qt_copy_from_float(q1, kQ1Values, 6));
  return q1;
}

/* q2.copy_(q1) */
static void test_copy(void) {
  step("q2.copy_(q1): q2 takes q1's integers and parameters");
  qt_tensor* q1 = make_q1();
  int64_t q1_ints[6];
  float q1_values[6];
  for (size_t i = 0; i < 6; ++i) {
    q1_ints[i] = ref_quantize(kQ1Values[i], 0.1, 0, QT_QINT8);
    CHECK_I64(q1_ints[i], kQ1Ints[i]);
    q1_values[i] = ref_dequantize_per_tensor(q1_ints[i], 0.1, 0);
  }
  CHECK_INTS(q1, q1_ints, 6);
  CHECK_FLOATS(q1, q1_values, 6);

  qt_quantizer* quantizer2 = NULL;
  CHECK_OK(qt_quantizer_new_per_tensor(&quantizer2, QT_QINT8, 1.0, -1));
  const int64_t shape[2] = {2, 3};
  qt_tensor* q2 = NULL;
  CHECK_OK(qt_empty_quantized(&q2, shape, 2, quantizer2));
  qt_quantizer_free(quantizer2);
  CHECK_OK(qt_fill(q2, 5.0f));
  const int64_t fours[6] = {4, 4, 4, 4, 4, 4};
  CHECK_INTS(q2, fours, 6);

  CHECK_OK(qt_copy(q2, q1));
  CHECK_INTS(q2, q1_ints, 6);
  CHECK_PER_TENSOR(q2, QT_QINT8, 0.1, 0);
  CHECK_FLOATS(q2, q1_values, 6);
  CHECK_REPR(q2, kReprCopy);
  CHECK(!shares_storage(q1, q2));
  qt_quantizer* a = NULL;
  qt_quantizer* b = NULL;
  CHECK_OK(qt_tensor_quantizer(&a, q1));
  CHECK_OK(qt_tensor_quantizer(&b, q2));
  bool equal = false;
  CHECK_OK(qt_quantizer_equal(&equal, a, b));
  CHECK(equal);
  qt_quantizer_free(a);
  qt_quantizer_free(b);
  /* q1 is unchanged. */
  CHECK_INTS(q1, q1_ints, 6);
  CHECK_PER_TENSOR(q1, QT_QINT8, 0.1, 0);
  /* Writing q2 does not touch q1. */
  CHECK_OK(qt_fill(q2, 0.0f));
  CHECK_INTS(q1, q1_ints, 6);

  /* A whole-storage destination takes a per-channel source's parameters
     too: here a transposed per-channel view, whose effective axis is 0. */
  qt_tensor* pc = NULL;
  CHECK_OK(qt_quantize_per_channel(&pc, kX, kXShape, 3, kScales, kZeroPoints, 3, 2, QT_QINT32));
  qt_tensor* pct = NULL;
  CHECK_OK(qt_transpose(&pct, pc, 0, 2));
  const int64_t shape322[3] = {3, 2, 2};
  qt_tensor* dst = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int32(&dst, (const int32_t[12]){0}, shape322, 3, 1e-4, 2));
  CHECK_OK(qt_copy(dst, pct));
  CHECK_PER_CHANNEL(dst, QT_QINT32, 0, kScales, kZeroPoints, 3);
  int64_t pct_ints[12];
  float pct_values[12];
  READ_INTS(pct, pct_ints);
  READ_FLOATS(pct, pct_values);
  CHECK_INTS(dst, pct_ints, 12);
  CHECK_FLOATS(dst, pct_values, 12);
  CHECK(is_contiguous(dst));
  CHECK_REPR(dst, kReprPerChannelTransposed);

  /* From a view that selected the channel axis away, into a whole
     storage: dst takes its integers and its effective (per-tensor)
     quantizer. (Its dequantized values are not checked here: dst then uses
     the per-tensor float formula, the view the per-channel double one.) */
  qt_tensor* col = NULL;
  CHECK_OK(qt_select(&col, pc, 2, 1));
  const int64_t shape22[2] = {2, 2};
  qt_tensor* dst2 = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int32(&dst2, (const int32_t[4]){0}, shape22, 2, 1.0, 0));
  CHECK_OK(qt_copy(dst2, col));
  const int64_t col_ints[4] = {kPerChannelInts[1], kPerChannelInts[4], kPerChannelInts[7],
                               kPerChannelInts[10]};
  CHECK_INTS(dst2, col_ints, 4);
  CHECK_PER_TENSOR(dst2, QT_QINT32, 0.01, 0);
  CHECK(!shares_storage(dst2, pc));

  qt_tensor_free(dst2);
  qt_tensor_free(col);
  qt_tensor_free(dst);
  qt_tensor_free(pct);
  qt_tensor_free(pc);
  qt_tensor_free(q2);
  qt_tensor_free(q1);
  step_ok("q2.copy_(q1): q2 takes q1's integers and parameters");
}

/* Copying into part of a storage requantizes into the part's parameters and
   leaves the rest alone. */
static void test_partial_copy(void) {
  step("copy into a slice requantizes, the rest of the storage is unchanged");
  qt_tensor* q1 = make_q1();
  int64_t q1_ints[6];
  float q1_values[6];
  READ_INTS(q1, q1_ints);
  READ_FLOATS(q1, q1_values);

  /* big: 4x3 qint8, scale 0.5, zero point 10; copy into rows 1..2. */
  int8_t big_ints8[12];
  int64_t big_ints[12];
  for (int i = 0; i < 12; ++i) {
    big_ints8[i] = (int8_t)(i * 7 - 40);
    big_ints[i] = big_ints8[i];
  }
  const int64_t shape43[2] = {4, 3};
  qt_tensor* big = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int8(&big, big_ints8, shape43, 2, 0.5, 10));
  qt_tensor* mid = NULL;
  CHECK_OK(qt_narrow(&mid, big, 0, 1, 2));
  CHECK_SHAPE(mid, 2, 3);
  CHECK_STRIDES(mid, 3, 3, 1);
  CHECK(is_contiguous(mid));
  CHECK_OK(qt_copy(mid, q1));
  for (size_t k = 0; k < 6; ++k) big_ints[3 + k] = ref_quantize(q1_values[k], 0.5, 10, QT_QINT8);
  CHECK_I64(big_ints[3], 7);  /* -1.6 / 0.5 = -3.2 -> -3, + 10 */
  CHECK_I64(big_ints[8], 27); /* 8.6 / 0.5 = 17.2 -> 17, + 10 */
  CHECK_INTS(big, big_ints, 12);
  CHECK_PER_TENSOR(big, QT_QINT8, 0.5, 10);
  CHECK_PER_TENSOR(mid, QT_QINT8, 0.5, 10);
  CHECK_INTS(q1, q1_ints, 6);
  CHECK_PER_TENSOR(q1, QT_QINT8, 0.1, 0);

  /* A transposed view covering a whole storage is not contiguous: it
     requantizes too, and keeps its storage's parameters. */
  int8_t b2_ints8[6] = {1, 2, 3, 4, 5, 6};
  const int64_t shape32[2] = {3, 2};
  qt_tensor* b2 = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int8(&b2, b2_ints8, shape32, 2, 0.25, -5));
  qt_tensor* b2t = NULL;
  CHECK_OK(qt_transpose(&b2t, b2, 0, 1));
  CHECK(!is_contiguous(b2t));
  CHECK_OK(qt_copy(b2t, q1));
  int64_t b2t_expected[6];
  int64_t b2_expected[6];
  for (size_t i = 0; i < 2; ++i) {
    for (size_t j = 0; j < 3; ++j) {
      const int64_t q = ref_quantize(q1_values[i * 3 + j], 0.25, -5, QT_QINT8);
      b2t_expected[i * 3 + j] = q;
      b2_expected[j * 2 + i] = q;
    }
  }
  CHECK_I64(b2t_expected[0], -11); /* -1.6 / 0.25 = -6.4 -> -6, - 5 */
  CHECK_I64(b2t_expected[2], 23);  /* 7 / 0.25 = 28, - 5 */
  CHECK_I64(b2t_expected[5], 29);  /* 8.6 / 0.25 = 34.4 -> 34, - 5 */
  CHECK_INTS(b2t, b2t_expected, 6);
  CHECK_INTS(b2, b2_expected, 6);
  CHECK_PER_TENSOR(b2, QT_QINT8, 0.25, -5);

  /* copy_from_float into the transposed view: floats in the view's order. */
  const float floats[6] = {0.25f, -0.5f, 1.0f, 2.0f, -31.0f, 100.0f};
  CHECK_OK(qt_copy_from_float(b2t, floats, 6));
  for (size_t k = 0; k < 6; ++k) b2t_expected[k] = ref_quantize(floats[k], 0.25, -5, QT_QINT8);
  CHECK_I64(b2t_expected[5], 127);
  CHECK_I64(b2t_expected[4], -128);
  CHECK_INTS(b2t, b2t_expected, 6);
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t j = 0; j < 3; ++j) {
      const int64_t at[2] = {i, j};
      const int64_t at_base[2] = {j, i};
      float got = 0.0f, got_base = 1.0f;
      CHECK_OK(qt_tensor_get(&got, b2t, at, 2));
      CHECK_OK(qt_tensor_get(&got_base, b2, at_base, 2));
      CHECK_F32(got, ref_dequantize_per_tensor(b2t_expected[i * 3 + j], 0.25, -5));
      CHECK_F32(got_base, got);
    }
  }

  /* Overlapping copy between two slices of one storage with the same
     parameters: the integers move exactly. */
  qt_tensor* big2 = NULL;
  CHECK_OK(qt_make_per_tensor_quantized_int8(&big2, big_ints8, shape43, 2, 0.5, 10));
  qt_tensor* rows01 = NULL;
  qt_tensor* rows12 = NULL;
  CHECK_OK(qt_narrow(&rows01, big2, 0, 0, 2));
  CHECK_OK(qt_narrow(&rows12, big2, 0, 1, 2));
  CHECK_OK(qt_copy(rows01, rows12));
  int64_t big2_expected[12];
  for (size_t k = 0; k < 12; ++k) big2_expected[k] = big_ints8[k];
  for (size_t k = 0; k < 6; ++k) big2_expected[k] = big_ints8[k + 3];
  CHECK_INTS(big2, big2_expected, 12);

  /* Into a row of a per-channel tensor: each element requantizes with its
     own channel's parameters; the other row and the parameters stay. */
  const int8_t pc_ints8[6] = {10, 20, 30, -10, -20, -30};
  const double pc_scales[3] = {0.1, 0.2, 0.5};
  const int64_t pc_zero_points[3] = {0, 1, 2};
  qt_quantizer* pcq = NULL;
  CHECK_OK(qt_quantizer_new_per_channel(&pcq, QT_QINT8, pc_scales, pc_zero_points, 3, 1));
  const int64_t shape23[2] = {2, 3};
  qt_tensor* pc = NULL;
  CHECK_OK(qt_from_int_repr(&pc, pc_ints8, sizeof pc_ints8, shape23, 2, pcq));
  qt_quantizer_free(pcq);
  qt_tensor* row = NULL;
  CHECK_OK(qt_select(&row, pc, 0, 1));
  CHECK_PER_CHANNEL(row, QT_QINT8, 0, pc_scales, pc_zero_points, 3);
  const float src_floats[3] = {0.73f, -1.26f, 2.2f};
  const int64_t shape3[1] = {3};
  qt_tensor* src = NULL;
  CHECK_OK(qt_quantize_per_tensor(&src, src_floats, shape3, 1, 0.05, 3, QT_QINT8));
  float src_values[3];
  READ_FLOATS(src, src_values);
  CHECK_OK(qt_copy(row, src));
  int64_t pc_expected[6] = {10, 20, 30, 0, 0, 0};
  for (size_t c = 0; c < 3; ++c) {
    pc_expected[3 + c] = ref_quantize(src_values[c], pc_scales[c], pc_zero_points[c], QT_QINT8);
  }
  CHECK_I64(pc_expected[3], 8); /* 0.75 / 0.1 = 7.5 -> 8 (half to even) */
  CHECK_I64(pc_expected[5], 6); /* 2.2 / 0.5 = 4.4 -> 4, + 2 */
  CHECK_INTS(pc, pc_expected, 6);
  const int64_t row_expected[3] = {pc_expected[3], pc_expected[4], pc_expected[5]};
  CHECK_INTS(row, row_expected, 3);
  CHECK_PER_CHANNEL(pc, QT_QINT8, 1, pc_scales, pc_zero_points, 3);

  qt_tensor_free(src);
  qt_tensor_free(row);
  qt_tensor_free(pc);
  qt_tensor_free(rows12);
  qt_tensor_free(rows01);
  qt_tensor_free(big2);
  qt_tensor_free(b2t);
  qt_tensor_free(b2);
  qt_tensor_free(mid);
  qt_tensor_free(big);
  qt_tensor_free(q1);
  step_ok("copy into a slice requantizes, the rest of the storage is unchanged");
}

/* q1.transpose(0, 1); q1.permute([1, 0]); q1.contiguous() */
static void test_transpose_permute_contiguous(void) {
  step("transpose, permute, contiguous (per tensor)");
  qt_tensor* q1 = make_q1();
  const view_map swap = {2, {1, 0}, {1, 1}, {0, 0}};

  qt_tensor* t = NULL;
  CHECK_OK(qt_transpose(&t, q1, 0, 1));
  CHECK_SHAPE(t, 3, 2);
  CHECK_STRIDES(t, 0, 1, 3);
  CHECK(!is_contiguous(t));
  CHECK(shares_storage(t, q1));
  CHECK_PER_TENSOR(t, QT_QINT8, 0.1, 0);
  CHECK_VIEW(t, q1, &swap);
  CHECK_REPR(t, kReprTransposed);
  const int64_t t_ints[6] = {-16, 33, 40, 66, 70, 86};
  CHECK_INTS(t, t_ints, 6);

  qt_tensor* tn = NULL;
  CHECK_OK(qt_transpose(&tn, q1, -1, -2));
  CHECK_SHAPE(tn, 3, 2);
  CHECK_VIEW(tn, q1, &swap);

  qt_tensor* p = NULL;
  const int64_t dims10[2] = {1, 0};
  CHECK_OK(qt_permute(&p, q1, dims10, 2));
  CHECK_SHAPE(p, 3, 2);
  CHECK_STRIDES(p, 0, 1, 3);
  CHECK_VIEW(p, q1, &swap);
  CHECK_REPR(p, kReprTransposed);
  qt_tensor* pn = NULL;
  const int64_t dims_neg[2] = {-1, -2};
  CHECK_OK(qt_permute(&pn, q1, dims_neg, 2));
  CHECK_VIEW(pn, q1, &swap);

  qt_tensor* same = NULL;
  CHECK_OK(qt_transpose(&same, q1, 1, 1));
  const view_map identity = {2, {0, 1}, {1, 1}, {0, 0}};
  CHECK(is_contiguous(same));
  CHECK_VIEW(same, q1, &identity);

  /* contiguous() of a non-contiguous view: a copy in a new storage. */
  qt_tensor* c = NULL;
  CHECK_OK(qt_contiguous(&c, t));
  CHECK(is_contiguous(c));
  CHECK(!shares_storage(c, q1));
  CHECK_SHAPE(c, 3, 2);
  CHECK_STRIDES(c, 0, 2, 1);
  CHECK_INTS(c, t_ints, 6);
  CHECK_PER_TENSOR(c, QT_QINT8, 0.1, 0);
  CHECK_REPR(c, kReprTransposed);
  /* contiguous() of a contiguous tensor: the same view. */
  qt_tensor* c2 = NULL;
  CHECK_OK(qt_contiguous(&c2, q1));
  CHECK(shares_storage(c2, q1));
  CHECK_VIEW(c2, q1, &identity);
  CHECK_REPR(c2, kReprCopy);
  /* clone() always copies. */
  qt_tensor* cl = NULL;
  CHECK_OK(qt_clone(&cl, q1));
  CHECK(!shares_storage(cl, q1));
  CHECK_INTS(cl, kQ1Ints, 6);
  CHECK_PER_TENSOR(cl, QT_QINT8, 0.1, 0);

  /* Writing through the transposed view writes the base. */
  const int64_t at_t[2] = {2, 1};
  CHECK_OK(qt_tensor_set(t, at_t, 2, 0.5f));
  const int64_t at_q1[2] = {1, 2};
  float got = 0.0f;
  CHECK_OK(qt_tensor_get(&got, q1, at_q1, 2));
  CHECK_F32(got, ref_dequantize_per_tensor(5, 0.1, 0));
  CHECK_INTS(c, t_ints, 6); /* the contiguous copy did not change */
  CHECK_INTS(cl, kQ1Ints, 6);

  /* 3-D permute of the notebook's per-tensor tensor. */
  qt_tensor* q = NULL;
  CHECK_OK(qt_quantize_per_tensor(&q, kX, kXShape, 3, 1e-4, 2, QT_QINT32));
  qt_tensor* pq = NULL;
  const int64_t dims201[3] = {2, 0, 1};
  CHECK_OK(qt_permute(&pq, q, dims201, 3));
  CHECK_SHAPE(pq, 3, 2, 2);
  CHECK_STRIDES(pq, 0, 1, 6, 3);
  CHECK(!is_contiguous(pq));
  const view_map map201 = {3, {2, 0, 1}, {1, 1, 1}, {0, 0, 0}};
  CHECK_VIEW(pq, q, &map201);
  CHECK_PER_TENSOR(pq, QT_QINT32, 1e-4, 2);
  qt_tensor* pqc = NULL;
  CHECK_OK(qt_contiguous(&pqc, pq));
  int64_t pq_ints[12];
  float pq_values[12];
  READ_INTS(pq, pq_ints);
  READ_FLOATS(pq, pq_values);
  CHECK_INTS(pqc, pq_ints, 12);
  CHECK_FLOATS(pqc, pq_values, 12);

  qt_tensor_free(pqc);
  qt_tensor_free(pq);
  qt_tensor_free(q);
  qt_tensor_free(cl);
  qt_tensor_free(c2);
  qt_tensor_free(c);
  qt_tensor_free(same);
  qt_tensor_free(pn);
  qt_tensor_free(p);
  qt_tensor_free(tn);
  qt_tensor_free(t);
  qt_tensor_free(q1);
  step_ok("transpose, permute, contiguous (per tensor)");
}

/* What PyTorch 1.13 refuses: transpose and permute of a per-channel tensor. */
static void test_per_channel_transpose_permute(void) {
  step("transpose / permute of a per-channel tensor keep each element's channel");
  qt_tensor* qc = NULL;
  CHECK_OK(qt_quantize_per_channel(&qc, kX, kXShape, 3, kScales, kZeroPoints, 3, 2, QT_QINT32));

  qt_tensor* t02 = NULL;
  CHECK_OK(qt_transpose(&t02, qc, 0, 2));
  CHECK_SHAPE(t02, 3, 2, 2);
  CHECK_STRIDES(t02, 0, 1, 3, 6);
  CHECK_PER_CHANNEL(t02, QT_QINT32, 0, kScales, kZeroPoints, 3);
  const view_map map_t02 = {3, {2, 1, 0}, {1, 1, 1}, {0, 0, 0}};
  CHECK_VIEW(t02, qc, &map_t02);
  CHECK_REPR(t02, kReprPerChannelTransposed);

  qt_tensor* t12 = NULL;
  CHECK_OK(qt_transpose(&t12, qc, 1, 2));
  CHECK_SHAPE(t12, 2, 3, 2);
  CHECK_PER_CHANNEL(t12, QT_QINT32, 1, kScales, kZeroPoints, 3);
  const view_map map_t12 = {3, {0, 2, 1}, {1, 1, 1}, {0, 0, 0}};
  CHECK_VIEW(t12, qc, &map_t12);

  /* The transpose of a transpose is the base again. */
  qt_tensor* back = NULL;
  CHECK_OK(qt_transpose(&back, t02, 2, 0));
  CHECK(is_contiguous(back));
  CHECK_PER_CHANNEL(back, QT_QINT32, 2, kScales, kZeroPoints, 3);
  const view_map identity = {3, {0, 1, 2}, {1, 1, 1}, {0, 0, 0}};
  CHECK_VIEW(back, qc, &identity);
  CHECK_REPR(back, kReprPerChannel);

  const int64_t dims201[3] = {2, 0, 1};
  qt_tensor* p201 = NULL;
  CHECK_OK(qt_permute(&p201, qc, dims201, 3));
  CHECK_SHAPE(p201, 3, 2, 2);
  CHECK_PER_CHANNEL(p201, QT_QINT32, 0, kScales, kZeroPoints, 3);
  const view_map map201 = {3, {2, 0, 1}, {1, 1, 1}, {0, 0, 0}};
  CHECK_VIEW(p201, qc, &map201);

  const int64_t dims120[3] = {1, 2, 0};
  qt_tensor* p120 = NULL;
  CHECK_OK(qt_permute(&p120, qc, dims120, 3));
  CHECK_SHAPE(p120, 2, 3, 2);
  CHECK_PER_CHANNEL(p120, QT_QINT32, 1, kScales, kZeroPoints, 3);
  const view_map map120 = {3, {1, 2, 0}, {1, 1, 1}, {0, 0, 0}};
  CHECK_VIEW(p120, qc, &map120);

  /* contiguous() of the transposed view: a new per-channel storage with the
     view's own axis, the same values bit for bit. */
  qt_tensor* c = NULL;
  CHECK_OK(qt_contiguous(&c, t02));
  CHECK(is_contiguous(c));
  CHECK(!shares_storage(c, qc));
  CHECK_SHAPE(c, 3, 2, 2);
  CHECK_PER_CHANNEL(c, QT_QINT32, 0, kScales, kZeroPoints, 3);
  int64_t t_ints[12];
  float t_values[12];
  READ_INTS(t02, t_ints);
  READ_FLOATS(t02, t_values);
  CHECK_INTS(c, t_ints, 12);
  CHECK_FLOATS(c, t_values, 12);
  CHECK_REPR(c, kReprPerChannelTransposed);

  /* Writing through the transposed view uses the element's channel. */
  const int64_t at[3] = {1, 0, 1}; /* base [1, 0, 1]: channel 1, scale 0.01 */
  CHECK_OK(qt_tensor_set(t02, at, 3, 0.5f));
  const int64_t base_at[3] = {1, 0, 1};
  float got = 0.0f;
  CHECK_OK(qt_tensor_get(&got, qc, base_at, 3));
  CHECK_I64(ref_quantize(0.5f, 0.01, 0, QT_QINT32), 50);
  CHECK_F32(got, ref_dequantize_per_channel(50, 0.01, 0));
  /* fill through a view: each channel gets its own integer. */
  qt_tensor* row = NULL;
  CHECK_OK(qt_select(&row, t02, 1, 1)); /* base [:, 1, :] transposed: shape (3, 2) */
  CHECK_PER_CHANNEL(row, QT_QINT32, 0, kScales, kZeroPoints, 3);
  CHECK_OK(qt_fill(row, 1.0f));
  int64_t base_ints[12];
  READ_INTS(qc, base_ints);
  for (size_t i = 0; i < 2; ++i) {
    for (size_t ch = 0; ch < 3; ++ch) {
      const size_t flat = i * 6 + 3 + ch;
      CHECK_I64(base_ints[flat], ref_quantize(1.0f, kScales[ch], kZeroPoints[ch], QT_QINT32));
    }
  }
  CHECK_I64(base_ints[3], 9);    /* 1 / 0.1 = 10, - 1 */
  CHECK_I64(base_ints[5], 1001); /* 1 / 0.001 = 1000, + 1 */

  qt_tensor_free(row);
  qt_tensor_free(c);
  qt_tensor_free(p120);
  qt_tensor_free(p201);
  qt_tensor_free(back);
  qt_tensor_free(t12);
  qt_tensor_free(t02);
  qt_tensor_free(qc);
  step_ok("transpose / permute of a per-channel tensor keep each element's channel");
}

static qt_tensor* make_per_channel_234(int64_t axis, const double* scales,
                                       const int64_t* zero_points, size_t channels) {
  float data[24];
  for (int i = 0; i < 24; ++i) data[i] = (float)((i * 37) % 23 - 11) * 0.173f;
  const int64_t shape[3] = {2, 3, 4};
  qt_tensor* t = NULL;
  CHECK_OK(
      qt_quantize_per_channel(&t, data, shape, 3, scales, zero_points, channels, axis, QT_QINT8));
  return t;
}

static void test_per_channel_select(void) {
  step("select on a per-channel tensor keeps the right axis and parameters");
  /* Shape (2, 3, 4), axis 2: select(0, 1) -> axis 1. */
  const double scales4[4] = {0.05, 0.1, 0.2, 0.0625};
  const int64_t zero_points4[4] = {-3, 0, 3, 7};
  qt_tensor* a2 = make_per_channel_234(2, scales4, zero_points4, 4);
  qt_tensor* s = NULL;
  CHECK_OK(qt_select(&s, a2, 0, 1));
  CHECK_SHAPE(s, 3, 4);
  CHECK_PER_CHANNEL(s, QT_QINT8, 1, scales4, zero_points4, 4);
  const view_map map_s = {2, {1, 2}, {1, 1}, {1, 0, 0}};
  CHECK_VIEW(s, a2, &map_s);
  /* ... then select(0, 2) -> a 1-D per-channel view, axis 0. */
  qt_tensor* ss = NULL;
  CHECK_OK(qt_select(&ss, s, 0, 2));
  CHECK_SHAPE(ss, 4);
  CHECK_PER_CHANNEL(ss, QT_QINT8, 0, scales4, zero_points4, 4);
  const view_map map_ss = {1, {2}, {1}, {1, 2, 0}};
  CHECK_VIEW(ss, a2, &map_ss);
  /* select(1, 2) -> shape (2, 4), axis 1. */
  qt_tensor* s1 = NULL;
  CHECK_OK(qt_select(&s1, a2, 1, 2));
  CHECK_SHAPE(s1, 2, 4);
  CHECK_PER_CHANNEL(s1, QT_QINT8, 1, scales4, zero_points4, 4);
  const view_map map_s1 = {2, {0, 2}, {1, 1}, {0, 2, 0}};
  CHECK_VIEW(s1, a2, &map_s1);

  /* Shape (2, 3, 4), axis 1: select on dim 2 (after the axis) -> axis 1. */
  const double scales3[3] = {0.05, 0.1, 0.2};
  const int64_t zero_points3[3] = {-3, 0, 3};
  qt_tensor* a1 = make_per_channel_234(1, scales3, zero_points3, 3);
  qt_tensor* after = NULL;
  CHECK_OK(qt_select(&after, a1, 2, 1));
  CHECK_SHAPE(after, 2, 3);
  CHECK_PER_CHANNEL(after, QT_QINT8, 1, scales3, zero_points3, 3);
  const view_map map_after = {2, {0, 1}, {1, 1}, {0, 0, 1}};
  CHECK_VIEW(after, a1, &map_after);
  qt_tensor* after_neg = NULL;
  CHECK_OK(qt_select(&after_neg, a1, -1, -1));
  CHECK_PER_CHANNEL(after_neg, QT_QINT8, 1, scales3, zero_points3, 3);
  const view_map map_after_neg = {2, {0, 1}, {1, 1}, {0, 0, 3}};
  CHECK_VIEW(after_neg, a1, &map_after_neg);
  /* select on dim 0 (before the axis) -> axis 0. */
  qt_tensor* before = NULL;
  CHECK_OK(qt_select(&before, a1, 0, 1));
  CHECK_PER_CHANNEL(before, QT_QINT8, 0, scales3, zero_points3, 3);
  const view_map map_before = {2, {1, 2}, {1, 1}, {1, 0, 0}};
  CHECK_VIEW(before, a1, &map_before);

  /* Selecting the channel axis itself: a per-tensor view with that
     channel's scale and zero point, dequantizing like the base. */
  qt_tensor* qc = NULL;
  CHECK_OK(qt_quantize_per_channel(&qc, kX, kXShape, 3, kScales, kZeroPoints, 3, 2, QT_QINT32));
  for (int64_t ch = 0; ch < 3; ++ch) {
    qt_tensor* sc = NULL;
    CHECK_OK(qt_select(&sc, qc, 2, ch));
    CHECK_SHAPE(sc, 2, 2);
    CHECK_PER_TENSOR(sc, QT_QINT32, kScales[ch], kZeroPoints[ch]);
    const view_map map_sc = {2, {0, 1}, {1, 1}, {0, 0, ch}};
    CHECK_VIEW(sc, qc, &map_sc);
    float values[4];
    READ_FLOATS(sc, values);
    for (size_t k = 0; k < 4; ++k) {
      CHECK_F32(values[k], ref_dequantize_per_channel(kPerChannelInts[k * 3 + (size_t)ch],
                                                      kScales[ch], kZeroPoints[ch]));
    }
    /* A one-element view of it: item() gives the base's bits. */
    qt_tensor* one = NULL;
    const int64_t start = 1;
    CHECK_OK(qt_narrow(&one, sc, 0, start, 1));
    qt_tensor* elem = NULL;
    CHECK_OK(qt_select(&elem, one, 1, 0));
    float item = 0.0f;
    CHECK_OK(qt_tensor_item(&item, elem));
    CHECK_F32(item, values[2]);
    /* Its clone keeps the same bits and parameters. */
    qt_tensor* cl = NULL;
    CHECK_OK(qt_clone(&cl, sc));
    CHECK(!shares_storage(cl, qc));
    CHECK_FLOATS(cl, values, 4);
    CHECK_PER_TENSOR(cl, QT_QINT32, kScales[ch], kZeroPoints[ch]);
    /* Writing through it quantizes with that channel's parameters. */
    const int64_t at[2] = {0, 0};
    CHECK_OK(qt_tensor_set(sc, at, 2, 0.25f));
    int64_t ints[4];
    READ_INTS(sc, ints);
    CHECK_I64(ints[0], ref_quantize(0.25f, kScales[ch], kZeroPoints[ch], QT_QINT32));
    qt_tensor_free(cl);
    qt_tensor_free(elem);
    qt_tensor_free(one);
    qt_tensor_free(sc);
  }

  qt_tensor_free(qc);
  qt_tensor_free(before);
  qt_tensor_free(after_neg);
  qt_tensor_free(after);
  qt_tensor_free(a1);
  qt_tensor_free(s1);
  qt_tensor_free(ss);
  qt_tensor_free(s);
  qt_tensor_free(a2);
  step_ok("select on a per-channel tensor keeps the right axis and parameters");
}

static void test_slices(void) {
  step("slices: one channel, step 2, negative steps, empty");
  qt_tensor* qc = NULL;
  CHECK_OK(qt_quantize_per_channel(&qc, kX, kXShape, 3, kScales, kZeroPoints, 3, 2, QT_QINT32));

  /* Down to one channel: still per-channel, same bits as the base. */
  qt_tensor* one = NULL;
  CHECK_OK(qt_slice(&one, qc, 2, 1, 2, 1));
  CHECK_SHAPE(one, 2, 2, 1);
  CHECK_PER_CHANNEL(one, QT_QINT32, 2, &kScales[1], &kZeroPoints[1], 1);
  const view_map map_one = {3, {0, 1, 2}, {1, 1, 1}, {0, 0, 1}};
  CHECK_VIEW(one, qc, &map_one);
  qt_tensor* narrow = NULL;
  CHECK_OK(qt_narrow(&narrow, qc, -1, -1, 1));
  CHECK_SHAPE(narrow, 2, 2, 1);
  CHECK_PER_CHANNEL(narrow, QT_QINT32, 2, &kScales[2], &kZeroPoints[2], 1);
  const view_map map_narrow = {3, {0, 1, 2}, {1, 1, 1}, {0, 0, 2}};
  CHECK_VIEW(narrow, qc, &map_narrow);

  /* Step 2 over the channel axis: channels 0 and 2. */
  qt_tensor* step2 = NULL;
  CHECK_OK(qt_slice(&step2, qc, 2, INT64_MIN, INT64_MAX, 2));
  CHECK_SHAPE(step2, 2, 2, 2);
  CHECK_STRIDES(step2, 0, 6, 3, 2);
  const double scales02[2] = {0.1, 0.001};
  const int64_t zero_points02[2] = {-1, 1};
  CHECK_PER_CHANNEL(step2, QT_QINT32, 2, scales02, zero_points02, 2);
  const view_map map_step2 = {3, {0, 1, 2}, {1, 1, 2}, {0, 0, 0}};
  CHECK_VIEW(step2, qc, &map_step2);

  /* Negative step over the channel axis: channels reversed. */
  qt_tensor* rev = NULL;
  CHECK_OK(qt_slice(&rev, qc, 2, INT64_MAX, INT64_MIN, -1));
  CHECK_SHAPE(rev, 2, 2, 3);
  CHECK_STRIDES(rev, 2, 6, 3, -1);
  CHECK(!is_contiguous(rev));
  const double scales_rev[3] = {0.001, 0.01, 0.1};
  const int64_t zero_points_rev[3] = {1, 0, -1};
  CHECK_PER_CHANNEL(rev, QT_QINT32, 2, scales_rev, zero_points_rev, 3);
  const view_map map_rev = {3, {0, 1, 2}, {1, 1, -1}, {0, 0, 2}};
  CHECK_VIEW(rev, qc, &map_rev);
  /* -1::-2 : channels 2 and 0. */
  qt_tensor* rev2 = NULL;
  CHECK_OK(qt_slice(&rev2, qc, 2, -1, INT64_MIN, -2));
  CHECK_SHAPE(rev2, 2, 2, 2);
  const double scales20[2] = {0.001, 0.1};
  const int64_t zero_points20[2] = {1, -1};
  CHECK_PER_CHANNEL(rev2, QT_QINT32, 2, scales20, zero_points20, 2);
  const view_map map_rev2 = {3, {0, 1, 2}, {1, 1, -2}, {0, 0, 2}};
  CHECK_VIEW(rev2, qc, &map_rev2);
  /* Negative step on another dim: the channels stay in order. */
  qt_tensor* rev0 = NULL;
  CHECK_OK(qt_slice(&rev0, qc, 0, INT64_MAX, INT64_MIN, -1));
  CHECK_STRIDES(rev0, 6, -6, 3, 1);
  CHECK_PER_CHANNEL(rev0, QT_QINT32, 2, kScales, kZeroPoints, 3);
  const view_map map_rev0 = {3, {0, 1, 2}, {-1, 1, 1}, {1, 0, 0}};
  CHECK_VIEW(rev0, qc, &map_rev0);
  /* contiguous() of the reversed channels keeps the reversed parameters. */
  qt_tensor* revc = NULL;
  CHECK_OK(qt_contiguous(&revc, rev));
  CHECK(is_contiguous(revc));
  CHECK_PER_CHANNEL(revc, QT_QINT32, 2, scales_rev, zero_points_rev, 3);
  float rev_values[12];
  READ_FLOATS(rev, rev_values);
  CHECK_FLOATS(revc, rev_values, 12);

  /* A chain: transpose, select, reversed slice. */
  qt_tensor* t = NULL;
  CHECK_OK(qt_transpose(&t, qc, 0, 2)); /* (3, 2, 2), axis 0 */
  qt_tensor* ts = NULL;
  CHECK_OK(qt_select(&ts, t, 1, 1)); /* (3, 2) = base[:, 1, :].T, axis 0 */
  qt_tensor* tsr = NULL;
  CHECK_OK(qt_slice(&tsr, ts, 0, INT64_MAX, INT64_MIN, -2)); /* channels 2, 0 */
  CHECK_SHAPE(tsr, 2, 2);
  CHECK_PER_CHANNEL(tsr, QT_QINT32, 0, scales20, zero_points20, 2);
  const view_map map_tsr = {2, {2, 0}, {-2, 1}, {0, 1, 2}};
  CHECK_VIEW(tsr, qc, &map_tsr);

  /* Steps of steps: 8 channels, ::2 -> 0 2 4 6, then 1::2 -> 2 6, then
     ::-1 -> 6 2. */
  {
    float data8[8];
    double scales8[8];
    int64_t zero_points8[8];
    for (int i = 0; i < 8; ++i) {
      data8[i] = 0.37f * (float)(i + 1);
      scales8[i] = 0.01 * (i + 1);
      zero_points8[i] = 3 * i + 4;
    }
    const int64_t shape8[1] = {8};
    qt_tensor* c8 = NULL;
    CHECK_OK(
        qt_quantize_per_channel(&c8, data8, shape8, 1, scales8, zero_points8, 8, 0, QT_QUINT8));
    qt_tensor* even = NULL;
    CHECK_OK(qt_slice(&even, c8, 0, 0, INT64_MAX, 2));
    qt_tensor* odd_of_even = NULL;
    CHECK_OK(qt_slice(&odd_of_even, even, 0, 1, INT64_MAX, 2));
    qt_tensor* back = NULL;
    CHECK_OK(qt_slice(&back, odd_of_even, 0, INT64_MAX, INT64_MIN, -1));
    CHECK_SHAPE(back, 2);
    CHECK_STRIDES(back, 6, -4);
    const double scales62[2] = {scales8[6], scales8[2]};
    const int64_t zero_points62[2] = {zero_points8[6], zero_points8[2]};
    CHECK_PER_CHANNEL(back, QT_QUINT8, 0, scales62, zero_points62, 2);
    const view_map map_back = {1, {0}, {-4}, {6}};
    CHECK_VIEW(back, c8, &map_back);
    qt_tensor_free(back);
    qt_tensor_free(odd_of_even);
    qt_tensor_free(even);
    qt_tensor_free(c8);
  }

  /* Per-tensor negative steps on the notebook's q. */
  qt_tensor* q = make_notebook_q();
  qt_tensor* r3 = NULL;
  CHECK_OK(qt_slice(&r3, q, 0, INT64_MAX, INT64_MIN, -3)); /* 9, 6, 3, 0 */
  CHECK_SHAPE(r3, 4);
  CHECK_STRIDES(r3, 9, -3);
  const int64_t r3_ints[4] = {48, 94, 25, 66};
  CHECK_INTS(r3, r3_ints, 4);
  const view_map map_r3 = {1, {0}, {-3}, {9}};
  CHECK_VIEW(r3, q, &map_r3);
  CHECK_PER_TENSOR(r3, QT_QUINT8, 1e-4, 2);
  qt_tensor* r2 = NULL;
  CHECK_OK(qt_slice(&r2, q, 0, -2, 2, -2)); /* 8, 6, 4 */
  const int64_t r2_ints[3] = {13, 94, 1};
  CHECK_SHAPE(r2, 3);
  CHECK_INTS(r2, r2_ints, 3);
  qt_tensor* pos = NULL;
  CHECK_OK(qt_slice(&pos, q, 0, 1, 100, 4)); /* 1, 5, 9 */
  const int64_t pos_ints[3] = {95, 71, 48};
  CHECK_INTS(pos, pos_ints, 3);
  /* Empty slices. */
  qt_tensor* empty = NULL;
  CHECK_OK(qt_slice(&empty, q, 0, 5, 2, 1));
  CHECK_SHAPE(empty, 0);
  float no_floats[1] = {-5.0f};
  CHECK_OK(qt_dequantize(no_floats, 0, empty));
  CHECK_F32(no_floats[0], -5.0f);
  unsigned char no_ints[1] = {77};
  CHECK_OK(qt_int_repr(no_ints, 0, empty));
  CHECK_I64(no_ints[0], 77);
  CHECK(is_contiguous(empty));
  qt_tensor* empty_rev = NULL;
  CHECK_OK(qt_slice(&empty_rev, q, 0, 2, 5, -1));
  CHECK_SHAPE(empty_rev, 0);
  qt_tensor* empty_channels = NULL;
  CHECK_OK(qt_slice(&empty_channels, qc, 2, 3, INT64_MAX, 1));
  CHECK_SHAPE(empty_channels, 2, 2, 0);
  CHECK_PER_CHANNEL(empty_channels, QT_QINT32, 2, kScales, kZeroPoints, 0);
  CHECK_OK(qt_fill(empty_channels, 1.0f));
  int64_t ints[12];
  READ_INTS(qc, ints);
  for (size_t i = 0; i < 12; ++i) CHECK_I64(ints[i], kPerChannelInts[i]);

  qt_tensor_free(empty_channels);
  qt_tensor_free(empty_rev);
  qt_tensor_free(empty);
  qt_tensor_free(pos);
  qt_tensor_free(r2);
  qt_tensor_free(r3);
  qt_tensor_free(q);
  qt_tensor_free(tsr);
  qt_tensor_free(ts);
  qt_tensor_free(t);
  qt_tensor_free(revc);
  qt_tensor_free(rev0);
  qt_tensor_free(rev2);
  qt_tensor_free(rev);
  qt_tensor_free(step2);
  qt_tensor_free(narrow);
  qt_tensor_free(one);
  qt_tensor_free(qc);
  step_ok("slices: one channel, step 2, negative steps, empty");
}

/* q.numel(), q.size(), q.is_quantized, q[0].item(), handles. */
static void test_inspection_and_handles(void) {
  step("numel, ndim, is_quantized, item, share, free order");
  qt_tensor* q = make_notebook_q();
  CHECK_I64(numel_of(q), 10);
  CHECK_I64(ndim_of(q), 1);

  /* item() of a one-element tensor of any rank. */
  const int64_t shape111[3] = {1, 1, 1};
  const float value = -0.75f;
  qt_tensor* one = NULL;
  CHECK_OK(qt_quantize_per_tensor(&one, &value, shape111, 3, 0.25, 5, QT_QUINT8));
  float item = 0.0f;
  CHECK_OK(qt_tensor_item(&item, one));
  CHECK_F32(item, -0.75f);
  /* A 0-dim tensor from a NULL shape. */
  qt_tensor* scalar = NULL;
  CHECK_OK(qt_quantize_per_tensor(&scalar, &value, NULL, 0, 0.25, 5, QT_QUINT8));
  CHECK_I64(ndim_of(scalar), 0);
  CHECK_I64(numel_of(scalar), 1);
  CHECK_OK(qt_tensor_item(&item, scalar));
  CHECK_F32(item, -0.75f);
  /* item() of a bigger tensor: QT_ERR_SHAPE_MISMATCH, out untouched. */
  item = 123.0f;
  CHECK_STATUS(qt_tensor_item(&item, q), QT_ERR_SHAPE_MISMATCH);
  CHECK(qt_last_error_message()[0] != '\0');
  CHECK_F32(item, 123.0f);

  /* share: a second handle to the same view. Freeing one handle or the
     base never invalidates another view. */
  qt_tensor* h = NULL;
  CHECK_OK(qt_tensor_share(&h, q));
  CHECK(shares_storage(h, q));
  CHECK_SHAPE(h, 10);
  qt_tensor* tail = NULL;
  CHECK_OK(qt_slice(&tail, q, 0, 7, INT64_MAX, 1));
  qt_tensor_free(q);
  int64_t ints[10];
  for (size_t i = 0; i < 10; ++i) ints[i] = kMadeInts[i];
  CHECK_INTS(h, ints, 10);
  CHECK_REPR(h, kReprMade);
  qt_tensor_free(h);
  const int64_t tail_ints[3] = {43, 13, 48};
  CHECK_INTS(tail, tail_ints, 3);
  CHECK_PER_TENSOR(tail, QT_QUINT8, 1e-4, 2);

  qt_tensor_free(tail);
  qt_tensor_free(scalar);
  qt_tensor_free(one);
  step_ok("numel, ndim, is_quantized, item, share, free order");
}

/* Rounding and saturation, as the header states them. */
static void test_rounding_and_saturation(void) {
  step("round half to even, NaN -> zero point, saturation, exact qint32 sums");
  const float x[10] = {NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 2.5f, 3.5f, -2.5f, 127.5f, -128.5f};
  const int64_t shape[1] = {10};
  qt_tensor* q = NULL;
  CHECK_OK(qt_quantize_per_tensor(&q, x, shape, 1, 1.0, 0, QT_QINT8));
  const int64_t literal[10] = {0, 127, -128, 127, -128, 2, 4, -2, 127, -128};
  int64_t expected[10];
  for (size_t i = 0; i < 10; ++i) {
    expected[i] = ref_quantize(x[i], 1.0, 0, QT_QINT8);
    CHECK_I64(expected[i], literal[i]);
  }
  CHECK_INTS(q, expected, 10);
  qt_tensor_free(q);

  CHECK_OK(qt_quantize_per_tensor(&q, x, shape, 1, 1.0, 5, QT_QUINT8));
  const int64_t literal_u8[10] = {5, 255, 0, 255, 0, 7, 9, 3, 133, 0};
  for (size_t i = 0; i < 10; ++i) {
    expected[i] = ref_quantize(x[i], 1.0, 5, QT_QUINT8);
    CHECK_I64(expected[i], literal_u8[i]);
  }
  CHECK_INTS(q, expected, 10);
  qt_tensor_free(q);

  /* qint32: the sum zp + round(x / scale) is exact past 2^24. */
  const float big[4] = {16777216.0f, 3e9f, -3e9f, NAN};
  const int64_t shape4[1] = {4};
  CHECK_OK(qt_quantize_per_tensor(&q, big, shape4, 1, 1.0, 101, QT_QINT32));
  const int64_t literal_i32[4] = {16777317, INT32_MAX, INT32_MIN, 101};
  for (size_t i = 0; i < 4; ++i)
    CHECK_I64(ref_quantize(big[i], 1.0, 101, QT_QINT32), literal_i32[i]);
  CHECK_INTS(q, literal_i32, 4);
  float values[4];
  READ_FLOATS(q, values);
  for (size_t i = 0; i < 4; ++i) {
    CHECK_F32(values[i], ref_dequantize_per_tensor(literal_i32[i], 1.0, 101));
  }
  CHECK_F32(values[0], 16777216.0f);
  CHECK_F32(values[1], 2147483520.0f); /* 2147483546 rounded to float */
  CHECK_F32(values[3], 0.0f);
  qt_tensor_free(q);

  /* fill and set saturate too. */
  const int64_t shape2[1] = {2};
  CHECK_OK(qt_quantize_per_tensor(&q, x, shape2, 1, 0.5, -7, QT_QINT8));
  CHECK_OK(qt_fill(q, -INFINITY));
  const int64_t mins[2] = {-128, -128};
  CHECK_INTS(q, mins, 2);
  const int64_t at[1] = {1};
  CHECK_OK(qt_tensor_set(q, at, 1, NAN));
  const int64_t after[2] = {-128, -7};
  CHECK_INTS(q, after, 2);
  qt_tensor_free(q);
  step_ok("round half to even, NaN -> zero point, saturation, exact qint32 sums");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_version_and_names();
  test_quantize_per_tensor();
  test_quantize_per_channel();
  test_empty_quantized();
  test_make_per_tensor_and_inspect();
  test_select_and_print();
  test_assign();
  test_copy();
  test_partial_copy();
  test_transpose_permute_contiguous();
  test_per_channel_transpose_permute();
  test_per_channel_select();
  test_slices();
  test_inspection_and_handles();
  test_rounding_and_saturation();
  printf("all %ld checks passed\n", g_checks);
  return 0;
}

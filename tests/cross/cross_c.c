/*
 * The C side of the cross-language file test (tests/cross/SPEC.md):
 *   cross_c write DIR          writes the spec's files into DIR
 *   cross_c read DIR WRITER    checks the files another language wrote
 * Uses only the public C API.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <qtensor/qtensor.h>

/* A failed qt_* call: report it and return 0 from the enclosing function. */
#define CHECK(call)                                                                              \
  do {                                                                                           \
    qt_status status_ = (call);                                                                  \
    if (status_ != QT_OK) {                                                                      \
      fprintf(stderr, "%s:%d: %s: %s: %s\n", __FILE__, __LINE__, #call, qt_status_name(status_), \
              qt_last_error_message());                                                          \
      return 0;                                                                                  \
    }                                                                                            \
  } while (0)

/* ------------------------------------------------------- the spec's tensors */

static int make_qint8_per_tensor(qt_tensor** out) {
  static const float values[] = {-1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f};
  static const int64_t shape[] = {2, 3};
  CHECK(qt_quantize_per_tensor(out, values, shape, 2, 0.1, 0, QT_QINT8));
  return 1;
}

static int make_quint8_per_channel(qt_tensor** out) {
  float values[12];
  static const int64_t shape[] = {3, 4};
  static const double scales[] = {0.05, 0.1, 0.2};
  static const int64_t zero_points[] = {0, 128, 255};
  for (int i = 0; i < 12; ++i) values[i] = (float)(i * 0.37 - 2.0);
  CHECK(qt_quantize_per_channel(out, values, shape, 2, scales, zero_points, 3, 0, QT_QUINT8));
  return 1;
}

static int make_qint32_per_tensor(qt_tensor** out) {
  static const float values[] = {10000.0f, -25000.0f, 3.25f, 0.0f};
  static const int64_t shape[] = {4};
  CHECK(qt_quantize_per_tensor(out, values, shape, 1, 0.001, -7, QT_QINT32));
  return 1;
}

static int make_qint32_per_channel(qt_tensor** out) {
  float values[12];
  static const int64_t shape[] = {2, 2, 3};
  static const double scales[] = {0.01, 0.001, 0.0001};
  static const int64_t zero_points[] = {-1, 0, 1};
  for (int i = 0; i < 12; ++i) values[i] = (float)((i - 6) * 0.71);
  CHECK(qt_quantize_per_channel(out, values, shape, 3, scales, zero_points, 3, 2, QT_QINT32));
  return 1;
}

static int make_scalar(qt_tensor** out) {
  static const float value = 2.5f;
  CHECK(qt_quantize_per_tensor(out, &value, NULL, 0, 0.5, -3, QT_QINT8));
  return 1;
}

static int make_view(qt_tensor** out) {
  qt_tensor* base = NULL;
  qt_tensor* transposed = NULL;
  int ok = make_quint8_per_channel(&base) && qt_transpose(&transposed, base, 0, 1) == QT_OK &&
           qt_slice(out, transposed, 0, 0, 4, 2) == QT_OK;
  if (!ok) fprintf(stderr, "view: %s\n", qt_last_error_message());
  qt_tensor_free(transposed);
  qt_tensor_free(base);
  return ok;
}

static int make_qint16_per_tensor(qt_tensor** out) {
  static const float values[] = {-300.0f, 1000.25f, 0.0f, 12345.5f};
  static const int64_t shape[] = {4};
  CHECK(qt_quantize_per_tensor(out, values, shape, 1, 0.25, -7, QT_QINT16));
  return 1;
}

// Starts at element 1, inside the base's first byte.
static int make_quint4x2_view(qt_tensor** out) {
  float values[15];
  for (int i = 0; i < 15; ++i) values[i] = (float)(i * 0.5 - 1.0);
  static const int64_t shape[] = {3, 5};
  qt_tensor* base = NULL;
  int ok = qt_quantize_per_tensor(&base, values, shape, 2, 0.5, 2, QT_QUINT4X2) == QT_OK &&
           qt_slice(out, base, 1, 1, 4, 1) == QT_OK;
  if (!ok) fprintf(stderr, "quint4x2 view: %s\n", qt_last_error_message());
  qt_tensor_free(base);
  return ok;
}

// Blocks of columns {0, 1}, {2, 3}, {4} per row; ONNX rounding, float16 scales.
static int make_quint4_per_block(qt_tensor** out) {
  static const double scales[] = {0.125, 0.25, 0.5, 0.0625, 0.1875, 0.375};
  static const int64_t zero_points[] = {8, 7, 9, 6, 8, 10};
  static const int64_t shape[] = {2, 5};
  float values[10];
  for (int i = 0; i < 10; ++i) values[i] = (float)(i * 0.3 - 1.4);
  qt_quantizer* blocks = NULL;
  qt_quantizer* onnx = NULL;
  qt_quantizer* half = NULL;
  int ok = qt_quantizer_new_per_block(&blocks, QT_QUINT4, scales, zero_points, 6, 1, 2) == QT_OK &&
           qt_quantizer_with_rounding(&onnx, blocks, QT_ROUNDING_ONNX) == QT_OK &&
           qt_quantizer_with_scale_type(&half, onnx, QT_SCALE_FLOAT16) == QT_OK &&
           qt_quantize(out, values, shape, 2, half) == QT_OK;
  if (!ok) fprintf(stderr, "quint4 per block: %s\n", qt_last_error_message());
  qt_quantizer_free(half);
  qt_quantizer_free(onnx);
  qt_quantizer_free(blocks);
  return ok;
}

/* GGUF blocks as llama.cpp's quantize_row_q8_0 / q4_0 make them. */
static int make_gguf_q8(qt_tensor** out) {
  static const int64_t shape[] = {2, 64};
  float values[128];
  for (int i = 0; i < 128; ++i) values[i] = (float)(i * 0.37 - 20.0);
  int ok = qt_quantize_gguf(out, values, shape, 2, QT_GGUF_Q8_0) == QT_OK;
  if (!ok) fprintf(stderr, "gguf q8: %s\n", qt_last_error_message());
  return ok;
}

/* The largest magnitude is positive, so d is negative. */
static int make_gguf_q4(qt_tensor** out) {
  static const int64_t shape[] = {32};
  float values[32];
  for (int i = 0; i < 32; ++i) values[i] = (float)(i * 0.25 - 3.0);
  int ok = qt_quantize_gguf(out, values, shape, 1, QT_GGUF_Q4_0) == QT_OK;
  if (!ok) fprintf(stderr, "gguf q4: %s\n", qt_last_error_message());
  return ok;
}

typedef int (*tensor_maker)(qt_tensor** out);

static const struct {
  const char* file;
  tensor_maker make;
} kTensorFiles[] = {
    {"qint8_per_tensor.qt", make_qint8_per_tensor},
    {"quint8_per_channel.qt", make_quint8_per_channel},
    {"qint32_per_tensor.qt", make_qint32_per_tensor},
    {"qint32_per_channel.qt", make_qint32_per_channel},
    {"scalar.qt", make_scalar},
    {"view.qt", make_view},
    {"qint16_per_tensor.qt", make_qint16_per_tensor},
    {"quint4x2_view.qt", make_quint4x2_view},
    {"quint4_per_block.qt", make_quint4_per_block},
};
enum { kNumTensorFiles = sizeof kTensorFiles / sizeof kTensorFiles[0] };
static const char kBundleFile[] = "bundle.qtb";
static const char kGgufFile[] = "model.gguf";
static const char kGgufArchitecture[] = "STRING \"qtensor\"";

static int make_bundle(qt_bundle** out, const char* writer) {
  qt_bundle* bundle = NULL;
  qt_tensor* a = NULL;
  qt_tensor* b = NULL;
  int ok = qt_bundle_new(&bundle) == QT_OK && make_qint8_per_tensor(&a) &&
           make_qint32_per_channel(&b) && qt_bundle_set(bundle, "a", a) == QT_OK &&
           qt_bundle_set(bundle, "b", b) == QT_OK &&
           qt_bundle_set_metadata(bundle, "framework", "qtensor") == QT_OK &&
           qt_bundle_set_metadata(bundle, "writer", writer) == QT_OK;
  if (!ok) fprintf(stderr, "bundle: %s\n", qt_last_error_message());
  qt_tensor_free(a);
  qt_tensor_free(b);
  if (ok) {
    *out = bundle;
  } else {
    qt_bundle_free(bundle);
  }
  return ok;
}

static int make_gguf_bundle(qt_bundle** out, const char* writer) {
  qt_bundle* bundle = NULL;
  qt_tensor* q8 = NULL;
  qt_tensor* q4 = NULL;
  int ok = qt_bundle_new(&bundle) == QT_OK && make_gguf_q8(&q8) && make_gguf_q4(&q4) &&
           qt_bundle_set(bundle, "q8", q8) == QT_OK && qt_bundle_set(bundle, "q4", q4) == QT_OK &&
           qt_bundle_set_metadata(bundle, "general.architecture", kGgufArchitecture) == QT_OK &&
           qt_bundle_set_metadata(bundle, "writer", writer) == QT_OK;
  if (!ok) fprintf(stderr, "gguf bundle: %s\n", qt_last_error_message());
  qt_tensor_free(q8);
  qt_tensor_free(q4);
  if (ok) {
    *out = bundle;
  } else {
    qt_bundle_free(bundle);
  }
  return ok;
}

static void join_path(char* out, size_t size, const char* dir, const char* file) {
  snprintf(out, size, "%s/%s", dir, file);
}

/* ------------------------------------------------------------------ write */

/* mkdir -p: creates dir and any missing parents. */
static int make_directories(const char* dir) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) return 0;
  for (char* p = path + 1;; ++p) {
    if (*p == '/' || *p == '\0') {
      const char saved = *p;
      *p = '\0';
      if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
        return 0;
      }
      *p = saved;
      if (saved == '\0') return 1;
    }
  }
}

static const char kFloatEntriesFile[] = "float_entries.qtb";

/* The float entries of float_entries.qtb (SPEC.md): name, dtype, shape,
   little-endian bytes. */
struct float_entry {
  const char* name;
  qt_float_dtype dtype;
  int64_t shape[2];
  size_t ndim;
  uint8_t bytes[16];
  size_t size;
};
static const struct float_entry kFloatEntries[3] = {
    {"f32",
     QT_FLOAT32,
     {2, 2},
     2,
     {0x23, 0x01, 0xc0, 0x7f, 0, 0, 0, 0x80, 0x01, 0, 0, 0, 0, 0, 0xc0, 0x3f},
     16},
    {"f16", QT_FLOAT16, {3, 0}, 1, {0x01, 0x7c, 0x00, 0x80, 0x01, 0x00}, 6},
    {"bf16", QT_BFLOAT16, {2, 0}, 1, {0x81, 0x7f, 0x01, 0x00}, 4},
};

static int make_float_entries(qt_bundle** out) {
  qt_bundle* bundle = NULL;
  qt_tensor* q = NULL;
  int ok = qt_bundle_new(&bundle) == QT_OK && make_qint8_per_tensor(&q) &&
           qt_bundle_set(bundle, "q", q) == QT_OK;
  for (int i = 0; ok && i < 3; ++i) {
    const struct float_entry* e = &kFloatEntries[i];
    ok = qt_bundle_set_float(bundle, e->name, e->bytes, e->size, e->shape, e->ndim, e->dtype) ==
         QT_OK;
  }
  if (!ok) fprintf(stderr, "float entries: %s\n", qt_last_error_message());
  qt_tensor_free(q);
  if (!ok) {
    qt_bundle_free(bundle);
    return 0;
  }
  *out = bundle;
  return 1;
}

/* Saves the bundle with save (qt_bundle_save or qt_bundle_save_gguf) and
   frees it. */
static int save_bundle(qt_bundle* bundle, const char* dir, const char* file,
                       qt_status (*save)(const qt_bundle*, const char*)) {
  char path[4096];
  join_path(path, sizeof path, dir, file);
  qt_status status = save(bundle, path);
  qt_bundle_free(bundle);
  if (status != QT_OK) {
    fprintf(stderr, "%s: %s\n", path, qt_last_error_message());
    return 0;
  }
  return 1;
}

static const char kMappedFile[] = "mapped.qtc";

/* mapped.qtc: written with the streaming writer, one entry at a time. */
static int write_mapped(const char* dir, const char* writer_name) {
  char path[4096];
  join_path(path, sizeof path, dir, kMappedFile);
  const struct float_entry* f16 = &kFloatEntries[1];
  qt_bundle_writer* writer = NULL;
  qt_tensor* w = NULL;
  qt_tensor* v = NULL;
  qt_tensor* p = NULL;
  int ok = qt_bundle_writer_open(&writer, path) == QT_OK && make_quint8_per_channel(&w) &&
           qt_bundle_writer_add(writer, "w", w) == QT_OK && make_view(&v) &&
           qt_bundle_writer_add(writer, "v", v) == QT_OK && make_quint4_per_block(&p) &&
           qt_bundle_writer_add(writer, "p", p) == QT_OK &&
           qt_bundle_writer_add_float(writer, f16->name, f16->bytes, f16->size, f16->shape,
                                      f16->ndim, f16->dtype) == QT_OK &&
           qt_bundle_writer_set_metadata(writer, "format", "container") == QT_OK &&
           qt_bundle_writer_set_metadata(writer, "writer", writer_name) == QT_OK &&
           qt_bundle_writer_finish(writer) == QT_OK;
  if (!ok) fprintf(stderr, "%s: %s\n", path, qt_last_error_message());
  qt_tensor_free(w);
  qt_tensor_free(v);
  qt_tensor_free(p);
  qt_bundle_writer_free(writer);
  return ok;
}

static int write_all(const char* dir) {
  char path[4096];
  if (!make_directories(dir)) return 0;
  for (int i = 0; i < kNumTensorFiles; ++i) {
    qt_tensor* tensor = NULL;
    if (!kTensorFiles[i].make(&tensor)) return 0;
    join_path(path, sizeof path, dir, kTensorFiles[i].file);
    qt_status status = qt_save(tensor, path);
    qt_tensor_free(tensor);
    if (status != QT_OK) {
      fprintf(stderr, "%s: %s\n", path, qt_last_error_message());
      return 0;
    }
  }
  qt_bundle* bundle = NULL;
  if (!make_bundle(&bundle, "c") || !save_bundle(bundle, dir, kBundleFile, qt_bundle_save)) {
    return 0;
  }
  if (!make_gguf_bundle(&bundle, "c") ||
      !save_bundle(bundle, dir, kGgufFile, qt_bundle_save_gguf)) {
    return 0;
  }
  return make_float_entries(&bundle) &&
         save_bundle(bundle, dir, kFloatEntriesFile, qt_bundle_save) && write_mapped(dir, "c");
}

/* ------------------------------------------------------------------- read */

/* Each compare_* prints what differs (prefixed by what) and returns 0, or 1. */

static int compare_params(const char* what, const qt_tensor* got, const qt_tensor* want) {
  qt_qscheme got_scheme, want_scheme;
  CHECK(qt_tensor_qscheme(&got_scheme, got));
  CHECK(qt_tensor_qscheme(&want_scheme, want));
  if (got_scheme != want_scheme) {
    printf("%s: qscheme %d, expected %d\n", what, (int)got_scheme, (int)want_scheme);
    return 0;
  }
  if (want_scheme == QT_PER_TENSOR_AFFINE) {
    double got_scale, want_scale;
    int64_t got_zp, want_zp;
    CHECK(qt_tensor_q_scale(&got_scale, got));
    CHECK(qt_tensor_q_scale(&want_scale, want));
    CHECK(qt_tensor_q_zero_point(&got_zp, got));
    CHECK(qt_tensor_q_zero_point(&want_zp, want));
    if (got_scale != want_scale || got_zp != want_zp) {
      printf("%s: scale %.17g zero point %lld, expected %.17g and %lld\n", what, got_scale,
             (long long)got_zp, want_scale, (long long)want_zp);
      return 0;
    }
    return 1;
  }
  if (want_scheme == QT_PER_BLOCK_AFFINE) {
    // The whole quantizer: parameters, axis, block size, rounding, scale type.
    qt_quantizer* got_quantizer = NULL;
    qt_quantizer* want_quantizer = NULL;
    bool equal = false;
    int ok = qt_tensor_quantizer(&got_quantizer, got) == QT_OK &&
             qt_tensor_quantizer(&want_quantizer, want) == QT_OK &&
             qt_quantizer_equal(&equal, got_quantizer, want_quantizer) == QT_OK;
    if (!ok) fprintf(stderr, "%s: %s\n", what, qt_last_error_message());
    qt_quantizer_free(got_quantizer);
    qt_quantizer_free(want_quantizer);
    if (ok && !equal) printf("%s: the per-block quantizers differ\n", what);
    return ok && equal;
  }
  int64_t got_axis, want_axis;
  size_t got_channels, want_channels;
  CHECK(qt_tensor_q_per_channel_axis(&got_axis, got));
  CHECK(qt_tensor_q_per_channel_axis(&want_axis, want));
  CHECK(qt_tensor_q_num_channels(&got_channels, got));
  CHECK(qt_tensor_q_num_channels(&want_channels, want));
  if (got_axis != want_axis || got_channels != want_channels || want_channels > 16) {
    printf("%s: axis %lld with %zu channels, expected %lld with %zu\n", what, (long long)got_axis,
           got_channels, (long long)want_axis, want_channels);
    return 0;
  }
  double got_scales[16], want_scales[16];
  int64_t got_zps[16], want_zps[16];
  CHECK(qt_tensor_q_per_channel_scales(got_scales, 16, got));
  CHECK(qt_tensor_q_per_channel_scales(want_scales, 16, want));
  CHECK(qt_tensor_q_per_channel_zero_points(got_zps, 16, got));
  CHECK(qt_tensor_q_per_channel_zero_points(want_zps, 16, want));
  for (size_t c = 0; c < want_channels; ++c) {
    if (got_scales[c] != want_scales[c] || got_zps[c] != want_zps[c]) {
      printf("%s: channel %zu has scale %.17g zero point %lld, expected %.17g and %lld\n", what, c,
             got_scales[c], (long long)got_zps[c], want_scales[c], (long long)want_zps[c]);
      return 0;
    }
  }
  return 1;
}

static int compare_values(const char* what, const qt_tensor* got, const qt_tensor* want) {
  size_t numel;
  qt_dtype dtype;
  CHECK(qt_tensor_numel(&numel, want));
  CHECK(qt_tensor_dtype(&dtype, want));
  size_t bytes = numel * qt_dtype_size(dtype);
  unsigned char* got_ints = malloc(bytes + 1);
  unsigned char* want_ints = malloc(bytes + 1);
  int ok = got_ints && want_ints && qt_int_repr(got_ints, bytes, got) == QT_OK &&
           qt_int_repr(want_ints, bytes, want) == QT_OK;
  if (!ok) {
    printf("%s: int_repr failed: %s\n", what, qt_last_error_message());
  } else if (memcmp(got_ints, want_ints, bytes) != 0) {
    printf("%s: int_repr differs\n", what);
    ok = 0;
  }
  free(got_ints);
  free(want_ints);
  if (!ok) return 0;

  // The storage form too: packed bytes for quint4x2, bit for bit.
  size_t packed_bytes = (numel * qt_dtype_bits(dtype) + 7) / 8;
  unsigned char* got_packed = malloc(packed_bytes + 1);
  unsigned char* want_packed = malloc(packed_bytes + 1);
  ok = got_packed && want_packed && qt_packed_repr(got_packed, packed_bytes, got) == QT_OK &&
       qt_packed_repr(want_packed, packed_bytes, want) == QT_OK;
  if (!ok) {
    printf("%s: packed_repr failed: %s\n", what, qt_last_error_message());
  } else if (memcmp(got_packed, want_packed, packed_bytes) != 0) {
    printf("%s: packed_repr differs\n", what);
    ok = 0;
  }
  free(got_packed);
  free(want_packed);
  if (!ok) return 0;

  char* got_text = NULL;
  char* want_text = NULL;
  ok = qt_to_string(&got_text, got) == QT_OK && qt_to_string(&want_text, want) == QT_OK;
  if (!ok) {
    printf("%s: to_string failed: %s\n", what, qt_last_error_message());
  } else if (strcmp(got_text, want_text) != 0) {
    printf("%s: printed\n%s\nexpected\n%s\n", what, got_text, want_text);
    ok = 0;
  }
  qt_string_free(got_text);
  qt_string_free(want_text);
  return ok;
}

static int compare_tensors(const char* what, const qt_tensor* got, const qt_tensor* want) {
  qt_dtype got_dtype, want_dtype;
  size_t got_ndim, want_ndim;
  int64_t got_shape[QTENSOR_MAX_DIMS], want_shape[QTENSOR_MAX_DIMS];
  CHECK(qt_tensor_dtype(&got_dtype, got));
  CHECK(qt_tensor_dtype(&want_dtype, want));
  if (got_dtype != want_dtype) {
    printf("%s: dtype %s, expected %s\n", what, qt_dtype_name(got_dtype),
           qt_dtype_name(want_dtype));
    return 0;
  }
  CHECK(qt_tensor_ndim(&got_ndim, got));
  CHECK(qt_tensor_ndim(&want_ndim, want));
  CHECK(qt_tensor_shape(got_shape, QTENSOR_MAX_DIMS, got));
  CHECK(qt_tensor_shape(want_shape, QTENSOR_MAX_DIMS, want));
  if (got_ndim != want_ndim || memcmp(got_shape, want_shape, want_ndim * sizeof(int64_t)) != 0) {
    printf("%s: shape differs (rank %zu, expected %zu)\n", what, got_ndim, want_ndim);
    return 0;
  }
  return compare_params(what, got, want) && compare_values(what, got, want);
}

static int read_tensor_file(const char* dir, int index) {
  char path[4096];
  const char* file = kTensorFiles[index].file;
  join_path(path, sizeof path, dir, file);
  qt_tensor* got = NULL;
  qt_tensor* want = NULL;
  int ok = 0;
  qt_status status = qt_load(&got, path);
  if (status != QT_OK) {
    printf("%s: cannot load: %s: %s\n", file, qt_status_name(status), qt_last_error_message());
  } else if (kTensorFiles[index].make(&want)) {
    ok = compare_tensors(file, got, want);
  }
  qt_tensor_free(got);
  qt_tensor_free(want);
  return ok;
}

static int compare_bundle_entry(const char* file, const qt_bundle* bundle, size_t index,
                                const char* name, tensor_maker make) {
  const char* got_name = NULL;
  qt_tensor* got = NULL;
  qt_tensor* want = NULL;
  char what[64];
  snprintf(what, sizeof what, "%s[%zu]", file, index);
  CHECK(qt_bundle_name(&got_name, bundle, index));
  if (strcmp(got_name, name) != 0) {
    printf("%s: named '%s', expected '%s'\n", what, got_name, name);
    return 0;
  }
  int ok = qt_bundle_get_index(&got, bundle, index) == QT_OK && make(&want) &&
           compare_tensors(what, got, want);
  qt_tensor_free(got);
  qt_tensor_free(want);
  return ok;
}

static int compare_metadata(const char* file, const qt_bundle* bundle, const char* key,
                            const char* want) {
  const char* got = NULL;
  if (qt_bundle_metadata(&got, bundle, key) != QT_OK) {
    printf("%s: metadata '%s': %s\n", file, key, qt_last_error_message());
    return 0;
  }
  if (strcmp(got, want) != 0) {
    printf("%s: metadata '%s' is '%s', expected '%s'\n", file, key, got, want);
    return 0;
  }
  return 1;
}

/* Whether the file starts with the first count bytes of the container magic
   (bundle files saved to a path are containers). */
static int starts_with_magic(const char* dir, const char* file, size_t count) {
  char path[4096];
  join_path(path, sizeof path, dir, file);
  unsigned char head[8] = {0};
  FILE* stream = fopen(path, "rb");
  if (!stream) {
    printf("%s: cannot open: %s\n", file, strerror(errno));
    return 0;
  }
  size_t got = fread(head, 1, count, stream);
  fclose(stream);
  if (got != count || memcmp(head, QTENSOR_CONTAINER_MAGIC, count) != 0) {
    printf("%s: does not start with the container magic's first %zu bytes\n", file, count);
    return 0;
  }
  return 1;
}

static int read_bundle_file(const char* dir, const char* writer) {
  char path[4096];
  join_path(path, sizeof path, dir, kBundleFile);
  if (!starts_with_magic(dir, kBundleFile, 1)) return 0;
  qt_bundle* bundle = NULL;
  if (qt_bundle_load(&bundle, path) != QT_OK) {
    printf("%s: cannot load: %s\n", kBundleFile, qt_last_error_message());
    return 0;
  }
  size_t size = 0, metadata_size = 0;
  int ok = qt_bundle_size(&size, bundle) == QT_OK &&
           qt_bundle_metadata_size(&metadata_size, bundle) == QT_OK;
  if (ok && (size != 2 || metadata_size != 2)) {
    printf("%s: %zu tensors and %zu metadata keys, expected 2 and 2\n", kBundleFile, size,
           metadata_size);
    ok = 0;
  }
  ok = ok && compare_bundle_entry(kBundleFile, bundle, 0, "a", make_qint8_per_tensor) &&
       compare_bundle_entry(kBundleFile, bundle, 1, "b", make_qint32_per_channel) &&
       compare_metadata(kBundleFile, bundle, "framework", "qtensor") &&
       compare_metadata(kBundleFile, bundle, "writer", writer);
  qt_bundle_free(bundle);
  return ok;
}

/* The GGUF file: its metadata values come back as typed text. */
static int read_gguf_file(const char* dir, const char* writer) {
  char path[4096];
  join_path(path, sizeof path, dir, kGgufFile);
  qt_bundle* bundle = NULL;
  if (qt_bundle_load_gguf(&bundle, path) != QT_OK) {
    printf("%s: cannot load: %s\n", kGgufFile, qt_last_error_message());
    return 0;
  }
  char writer_text[64];
  snprintf(writer_text, sizeof writer_text, "STRING \"%s\"", writer);
  size_t size = 0, metadata_size = 0;
  int ok = qt_bundle_size(&size, bundle) == QT_OK &&
           qt_bundle_metadata_size(&metadata_size, bundle) == QT_OK;
  if (ok && (size != 2 || metadata_size != 2)) {
    printf("%s: %zu tensors and %zu metadata keys, expected 2 and 2\n", kGgufFile, size,
           metadata_size);
    ok = 0;
  }
  ok = ok && compare_bundle_entry(kGgufFile, bundle, 0, "q8", make_gguf_q8) &&
       compare_bundle_entry(kGgufFile, bundle, 1, "q4", make_gguf_q4) &&
       compare_metadata(kGgufFile, bundle, "general.architecture", kGgufArchitecture) &&
       compare_metadata(kGgufFile, bundle, "writer", writer_text);
  qt_bundle_free(bundle);
  return ok;
}

static int compare_float_entry(const char* file, const qt_bundle* bundle, size_t index,
                               const struct float_entry* want) {
  const char* name = NULL;
  bool is_float = false;
  qt_float_dtype dtype = QT_FLOAT32;
  size_t ndim = 0, size = 0;
  int64_t shape[2] = {-1, -1};
  const void* data = NULL;
  if (qt_bundle_name(&name, bundle, index) != QT_OK || strcmp(name, want->name) != 0 ||
      qt_bundle_is_float(&is_float, bundle, name) != QT_OK || !is_float ||
      qt_bundle_float_dtype(&dtype, bundle, name) != QT_OK || dtype != want->dtype ||
      qt_bundle_float_ndim(&ndim, bundle, name) != QT_OK || ndim != want->ndim ||
      qt_bundle_float_shape(shape, 2, bundle, name) != QT_OK ||
      memcmp(shape, want->shape, ndim * sizeof(int64_t)) != 0 ||
      qt_bundle_float_data(&data, &size, bundle, name) != QT_OK || size != want->size ||
      memcmp(data, want->bytes, size) != 0) {
    printf("%s[%zu]: not the float entry '%s' (%s %s)\n", file, index, want->name,
           name ? name : "?", qt_last_error_message());
    return 0;
  }
  return 1;
}

static int read_float_entries_file(const char* dir) {
  char path[4096];
  join_path(path, sizeof path, dir, kFloatEntriesFile);
  if (!starts_with_magic(dir, kFloatEntriesFile, 1)) return 0;
  qt_bundle* bundle = NULL;
  if (qt_bundle_load(&bundle, path) != QT_OK) {
    printf("%s: cannot load: %s\n", kFloatEntriesFile, qt_last_error_message());
    return 0;
  }
  size_t size = 0;
  int ok = qt_bundle_size(&size, bundle) == QT_OK && size == 4;
  if (!ok) printf("%s: %zu entries, expected 4\n", kFloatEntriesFile, size);
  qt_tensor* got = NULL;
  qt_tensor* want = NULL;
  const char* name = NULL;
  ok = ok && qt_bundle_name(&name, bundle, 0) == QT_OK && strcmp(name, "q") == 0 &&
       qt_bundle_get_index(&got, bundle, 0) == QT_OK && make_qint8_per_tensor(&want) &&
       compare_tensors(kFloatEntriesFile, got, want);
  for (size_t i = 0; ok && i < 3; ++i) {
    ok = compare_float_entry(kFloatEntriesFile, bundle, i + 1, &kFloatEntries[i]);
  }
  qt_tensor_free(got);
  qt_tensor_free(want);
  qt_bundle_free(bundle);
  return ok;
}

/* mapped.qtc's entries as its header describes them. */
static const struct {
  const char* name;
  bool is_float;
  int64_t shape[2];
  size_t ndim;
  int dtype; /* a qt_dtype, or a qt_float_dtype for the float entry */
  tensor_maker make;
} kMappedEntries[4] = {
    {"w", false, {3, 4}, 2, QT_QUINT8, make_quint8_per_channel},
    {"v", false, {2, 3}, 2, QT_QUINT8, make_view},
    {"p", false, {2, 5}, 2, QT_QUINT4, make_quint4_per_block},
    {"f16", true, {3, 0}, 1, QT_FLOAT16, NULL},
};

/* What the header alone says: names, kinds, shapes, dtypes, payload
   alignment, metadata. */
static int check_mapped_header(const qt_bundle_file* file, const char* writer) {
  size_t size = 0, metadata_size = 0;
  CHECK(qt_bundle_file_size(&size, file));
  CHECK(qt_bundle_file_metadata_size(&metadata_size, file));
  if (size != 4 || metadata_size != 2) {
    printf("%s: %zu entries and %zu metadata keys, expected 4 and 2\n", kMappedFile, size,
           metadata_size);
    return 0;
  }
  for (size_t i = 0; i < 4; ++i) {
    const char* name = NULL;
    bool is_float = false;
    size_t ndim = 0;
    int64_t shape[QTENSOR_MAX_DIMS];
    int dtype = -1;
    uint64_t offset = 0, length = 0;
    CHECK(qt_bundle_file_name(&name, file, i));
    if (strcmp(name, kMappedEntries[i].name) != 0) {
      printf("%s[%zu]: named '%s', expected '%s'\n", kMappedFile, i, name, kMappedEntries[i].name);
      return 0;
    }
    CHECK(qt_bundle_file_is_float(&is_float, file, name));
    CHECK(qt_bundle_file_ndim(&ndim, file, name));
    CHECK(qt_bundle_file_shape(shape, QTENSOR_MAX_DIMS, file, name));
    if (is_float) {
      qt_float_dtype float_dtype;
      CHECK(qt_bundle_file_float_dtype(&float_dtype, file, name));
      dtype = (int)float_dtype;
    } else {
      qt_dtype quantized_dtype;
      CHECK(qt_bundle_file_dtype(&quantized_dtype, file, name));
      dtype = (int)quantized_dtype;
    }
    CHECK(qt_bundle_file_payload(&offset, &length, file, name));
    if (is_float != kMappedEntries[i].is_float || ndim != kMappedEntries[i].ndim ||
        memcmp(shape, kMappedEntries[i].shape, ndim * sizeof(int64_t)) != 0 ||
        dtype != kMappedEntries[i].dtype || offset % 64 != 0) {
      printf("%s: the header describes '%s' wrongly (float %d, rank %zu, dtype %d, offset %llu)\n",
             kMappedFile, name, (int)is_float, ndim, dtype, (unsigned long long)offset);
      return 0;
    }
  }
  const char* format = NULL;
  const char* got_writer = NULL;
  CHECK(qt_bundle_file_metadata(&format, file, "format"));
  CHECK(qt_bundle_file_metadata(&got_writer, file, "writer"));
  if (strcmp(format, "container") != 0 || strcmp(got_writer, writer) != 0) {
    printf("%s: metadata format '%s' writer '%s', expected 'container' and '%s'\n", kMappedFile,
           format, got_writer, writer);
    return 0;
  }
  return 1;
}

/* The checksums, then each tensor (read-only) and the float entry's bytes. */
static int check_mapped_entries(const qt_bundle_file* file) {
  CHECK(qt_bundle_file_verify(file, NULL));
  for (size_t i = 0; i < 3; ++i) {
    char what[64];
    snprintf(what, sizeof what, "%s[%s]", kMappedFile, kMappedEntries[i].name);
    qt_tensor* got = NULL;
    qt_tensor* want = NULL;
    bool read_only = false;
    int ok = qt_bundle_file_get(&got, file, kMappedEntries[i].name) == QT_OK &&
             qt_tensor_is_read_only(&read_only, got) == QT_OK && kMappedEntries[i].make(&want);
    if (!ok) printf("%s: %s\n", what, qt_last_error_message());
    ok = ok && compare_tensors(what, got, want);
    if (ok && !read_only) {
      printf("%s: not read-only\n", what);
      ok = 0;
    }
    qt_tensor_free(got);
    qt_tensor_free(want);
    if (!ok) return 0;
  }
  const char* names[] = {"f16"};
  qt_bundle* selection = NULL;
  CHECK(qt_bundle_file_select(&selection, file, names, 1));
  int ok = compare_float_entry(kMappedFile, selection, 0, &kFloatEntries[1]);
  qt_bundle_free(selection);
  return ok;
}

static int read_mapped_file(const char* dir, const char* writer) {
  char path[4096];
  join_path(path, sizeof path, dir, kMappedFile);
  if (!starts_with_magic(dir, kMappedFile, 8)) return 0;
  qt_bundle_file* file = NULL;
  if (qt_bundle_file_open(&file, path) != QT_OK) {
    printf("%s: cannot open: %s\n", kMappedFile, qt_last_error_message());
    return 0;
  }
  int ok = check_mapped_header(file, writer) && check_mapped_entries(file);
  qt_bundle_file_free(file);
  return ok;
}

static int read_all(const char* dir, const char* writer) {
  int all_ok = 1;
  for (int i = 0; i < kNumTensorFiles; ++i) {
    if (read_tensor_file(dir, i)) {
      printf("ok %s\n", kTensorFiles[i].file);
    } else {
      all_ok = 0;
    }
  }
  if (read_bundle_file(dir, writer)) {
    printf("ok %s\n", kBundleFile);
  } else {
    all_ok = 0;
  }
  if (read_gguf_file(dir, writer)) {
    printf("ok %s\n", kGgufFile);
  } else {
    all_ok = 0;
  }
  if (read_float_entries_file(dir)) {
    printf("ok %s\n", kFloatEntriesFile);
  } else {
    all_ok = 0;
  }
  if (read_mapped_file(dir, writer)) {
    printf("ok %s\n", kMappedFile);
  } else {
    all_ok = 0;
  }
  return all_ok;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "write") == 0) return write_all(argv[2]) ? 0 : 1;
  if (argc == 4 && strcmp(argv[1], "read") == 0) return read_all(argv[2], argv[3]) ? 0 : 1;
  fprintf(stderr, "usage: %s write DIR | read DIR WRITER\n", argv[0]);
  return 2;
}

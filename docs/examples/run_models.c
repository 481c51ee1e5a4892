/* Runs the two models of docs/examples/models.qt (written by
   export_models.py from PyTorch) with qtensor's C ABI alone:

     cnn: quantize, conv2d_relu, max_pool2d, conv2d_relu,
          adaptive_avg_pool2d, flatten, linear
     mlp: linear_dynamic, relu (in float), linear_dynamic

   and prints the CNN's output integers and the MLP's output floats (as
   their bits in hex), one line each. Every language's version of this
   program prints the same two lines. Usage: run_models MODELS.qt */
#include <inttypes.h>
#include <qtensor/qtensor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exits with the library's message when a call fails. */
static void check(qt_status status, const char* what) {
  if (status != QT_OK) {
    fprintf(stderr, "%s: %s\n", what, qt_last_error_message());
    exit(1);
  }
}

static const char* meta(const qt_bundle* models, const char* key) {
  const char* value = NULL;
  check(qt_bundle_metadata(&value, models, key), key);
  return value;
}

/* Up to capacity values of a metadata string: float32 or double bits in hex
   (bits = 32 or 64), or decimal integers (bits = 0). Returns the count. */
static size_t parse(const char* text, int bits, void* out, size_t capacity) {
  size_t n = 0;
  char* end = NULL;
  while (n < capacity) {
    if (bits == 0) {
      const long long v = strtoll(text, &end, 10);
      if (end == text) break;
      ((int64_t*)out)[n++] = v;
    } else {
      const unsigned long long v = strtoull(text, &end, 16);
      if (end == text) break;
      if (bits == 32) {
        const uint32_t b = (uint32_t)v;
        memcpy((float*)out + n++, &b, sizeof b);
      } else {
        memcpy((double*)out + n++, &v, sizeof v);
      }
    }
    text = end;
  }
  return n;
}

static double meta_scale(const qt_bundle* models, const char* key) {
  double scale = 0.0;
  parse(meta(models, key), 64, &scale, 1);
  return scale;
}

static int64_t meta_int(const qt_bundle* models, const char* key) {
  int64_t value = 0;
  parse(meta(models, key), 0, &value, 1);
  return value;
}

static qt_tensor* tensor(const qt_bundle* models, const char* name) {
  qt_tensor* t = NULL;
  check(qt_bundle_get(&t, models, name), name);
  return t;
}

/* layer = "cnn.conv1": its packed weights, then conv2d_relu with its
   output parameters. Frees x. */
static qt_tensor* conv_relu(const qt_bundle* models, const char* layer, qt_tensor* x) {
  char key[64];
  float bias[64];
  int64_t stride[2], padding[2], dilation[2], groups = 1;
  snprintf(key, sizeof key, "%s.weight", layer);
  qt_tensor* weight = tensor(models, key);
  snprintf(key, sizeof key, "%s.bias", layer);
  const size_t bias_len = parse(meta(models, key), 32, bias, 64);
  snprintf(key, sizeof key, "%s.stride", layer);
  parse(meta(models, key), 0, stride, 2);
  snprintf(key, sizeof key, "%s.padding", layer);
  parse(meta(models, key), 0, padding, 2);
  snprintf(key, sizeof key, "%s.dilation", layer);
  parse(meta(models, key), 0, dilation, 2);
  snprintf(key, sizeof key, "%s.groups", layer);
  groups = meta_int(models, key);
  qt_packed_conv2d* packed = NULL;
  check(qt_conv2d_prepack(&packed, weight, bias, bias_len, stride, padding, dilation, groups),
        "conv2d_prepack");
  snprintf(key, sizeof key, "%s.scale", layer);
  const double scale = meta_scale(models, key);
  snprintf(key, sizeof key, "%s.zero_point", layer);
  qt_tensor* y = NULL;
  check(qt_conv2d_relu(&y, x, packed, scale, meta_int(models, key)), "conv2d_relu");
  qt_packed_conv2d_free(packed);
  qt_tensor_free(weight);
  qt_tensor_free(x);
  return y;
}

static void run_cnn(const qt_bundle* models) {
  float image[3 * 16 * 16];
  int64_t shape[4];
  const size_t n = parse(meta(models, "cnn.input"), 32, image, 3 * 16 * 16);
  parse(meta(models, "cnn.input_shape"), 0, shape, 4);
  if (n != (size_t)(shape[0] * shape[1] * shape[2] * shape[3])) {
    fprintf(stderr, "cnn.input: %zu values for its shape\n", n);
    exit(1);
  }
  qt_tensor* x = NULL;
  check(qt_quantize_per_tensor(&x, image, shape, 4, meta_scale(models, "cnn.quant.scale"),
                               meta_int(models, "cnn.quant.zero_point"), QT_QUINT8),
        "quantize");
  x = conv_relu(models, "cnn.conv1", x);
  const int64_t two[2] = {2, 2}, one[2] = {1, 1};
  qt_tensor* y = NULL;
  check(qt_max_pool2d(&y, x, two, NULL, NULL, NULL, false), "max_pool2d");
  qt_tensor_free(x);
  x = conv_relu(models, "cnn.conv2", y);
  check(qt_adaptive_avg_pool2d(&y, x, one), "adaptive_avg_pool2d");
  qt_tensor_free(x);
  check(qt_flatten(&x, y, 1, -1), "flatten");
  qt_tensor_free(y);

  qt_tensor* fc_weight = tensor(models, "cnn.fc.weight");
  float bias[16];
  const size_t bias_len = parse(meta(models, "cnn.fc.bias"), 32, bias, 16);
  qt_packed_linear* fc = NULL;
  check(qt_linear_prepack(&fc, fc_weight, bias, bias_len), "linear_prepack");
  check(qt_linear(&y, x, fc, meta_scale(models, "cnn.fc.scale"),
                  meta_int(models, "cnn.fc.zero_point")),
        "linear");
  uint8_t out[16];
  size_t count = 0;
  check(qt_tensor_numel(&count, y), "numel");
  check(qt_int_repr(out, sizeof out, y), "int_repr");
  printf("cnn:");
  for (size_t i = 0; i < count; ++i) printf(" %u", (unsigned)out[i]);
  printf("\n");
  qt_tensor_free(y);
  qt_tensor_free(x);
  qt_packed_linear_free(fc);
  qt_tensor_free(fc_weight);
}

static qt_packed_linear* dynamic_layer(const qt_bundle* models, const char* layer) {
  char key[64];
  float bias[64];
  snprintf(key, sizeof key, "%s.weight", layer);
  qt_tensor* weight = tensor(models, key);
  snprintf(key, sizeof key, "%s.bias", layer);
  const size_t bias_len = parse(meta(models, key), 32, bias, 64);
  qt_packed_linear* packed = NULL;
  check(qt_linear_prepack(&packed, weight, bias, bias_len), "linear_prepack");
  qt_tensor_free(weight);
  return packed;
}

/* PyTorch's dynamic Linear module calls linear_dynamic with reduce_range
   true (onednn and fbgemm honour it), so this does too. */
static void run_mlp(const qt_bundle* models) {
  float x[3 * 32], hidden[3 * 64], y[3 * 10];
  int64_t shape[2];
  parse(meta(models, "mlp.input"), 32, x, 3 * 32);
  parse(meta(models, "mlp.input_shape"), 0, shape, 2);
  qt_packed_linear* fc1 = dynamic_layer(models, "mlp.fc1");
  qt_packed_linear* fc2 = dynamic_layer(models, "mlp.fc2");
  check(qt_linear_dynamic(hidden, 3 * 64, x, shape, 2, fc1, true), "linear_dynamic");
  for (size_t i = 0; i < 3 * 64; ++i) hidden[i] = hidden[i] > 0.0f ? hidden[i] : 0.0f;
  const int64_t hidden_shape[2] = {shape[0], 64};
  check(qt_linear_dynamic(y, 3 * 10, hidden, hidden_shape, 2, fc2, true), "linear_dynamic");
  printf("mlp:");
  for (size_t i = 0; i < 3 * 10; ++i) {
    uint32_t bits;
    memcpy(&bits, &y[i], sizeof bits);
    printf(" %08" PRIx32, bits);
  }
  printf("\n");
  qt_packed_linear_free(fc2);
  qt_packed_linear_free(fc1);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s MODELS.qt\n", argv[0]);
    return 2;
  }
  qt_bundle* models = NULL;
  check(qt_bundle_load(&models, argv[1]), argv[1]);
  run_cnn(models);
  run_mlp(models);
  qt_bundle_free(models);
  return 0;
}

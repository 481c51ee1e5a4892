// Writes the golden format-version-1 files of tests/data/format_v1 through
// the C API. tests/io/test_format_v1.cc reads them back with literal
// expectations, so every later version of the library must keep reading
// them; ctest also checks this program still writes them byte for byte.
//
// usage: qtensor_make_format_v1 OUT_DIR
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "qtensor/qtensor.h"

namespace {

std::string out_dir;

void Check(qt_status status, const char* what) {
  if (status != QT_OK) {
    std::fprintf(stderr, "%s: %s: %s\n", what, qt_status_name(status), qt_last_error_message());
    std::exit(1);
  }
}

template <typename T>
qt_tensor* FromInts(const std::vector<T>& values, const std::vector<int64_t>& shape,
                    qt_quantizer* quantizer) {
  qt_tensor* tensor = nullptr;
  Check(qt_from_int_repr(&tensor, values.data(), values.size() * sizeof(T), shape.data(),
                         shape.size(), quantizer),
        "qt_from_int_repr");
  qt_quantizer_free(quantizer);
  return tensor;
}

qt_quantizer* PerTensor(qt_dtype dtype, double scale, int64_t zero_point) {
  qt_quantizer* quantizer = nullptr;
  Check(qt_quantizer_new_per_tensor(&quantizer, dtype, scale, zero_point), "per tensor");
  return quantizer;
}

qt_quantizer* PerChannel(qt_dtype dtype, const std::vector<double>& scales,
                         const std::vector<int64_t>& zero_points, int64_t axis) {
  qt_quantizer* quantizer = nullptr;
  Check(qt_quantizer_new_per_channel(&quantizer, dtype, scales.data(), zero_points.data(),
                                     scales.size(), axis),
        "per channel");
  return quantizer;
}

void Save(qt_tensor* tensor, const char* name) {
  Check(qt_save(tensor, (out_dir + "/" + name).c_str()), name);
  qt_tensor_free(tensor);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  out_dir = argv[1];

  Save(FromInts<int8_t>({-128, -1, 0, 1, 2, 127}, {2, 3}, PerTensor(QT_QINT8, 0.5, -3)),
       "qint8_per_tensor.qt");
  Save(FromInts<uint8_t>({0, 1, 128, 255}, {4}, PerTensor(QT_QUINT8, 0.0078125, 128)),
       "quint8_per_tensor.qt");
  Save(FromInts<int32_t>({INT32_MIN, -1, 0, INT32_MAX}, {2, 2}, PerTensor(QT_QINT32, 1e-5, -100)),
       "qint32_per_tensor.qt");
  Save(FromInts<int8_t>({-5, 0, 5, 100, -100, 127}, {2, 3},
                        PerChannel(QT_QINT8, {0.1, 0.2, 0.3}, {-1, 0, 1}, 1)),
       "qint8_per_channel.qt");
  Save(FromInts<uint8_t>({0, 255, 10, 20, 128, 129}, {3, 2},
                         PerChannel(QT_QUINT8, {1.0, 0.5, 0.25}, {0, 128, 255}, 0)),
       "quint8_per_channel.qt");
  Save(FromInts<int32_t>({1, -1, 1000000, -1000000, INT32_MAX, INT32_MIN, 7, 8}, {2, 2, 2},
                         PerChannel(QT_QINT32, {2.5e-3, 4.0}, {-7, 7}, 2)),
       "qint32_per_channel.qt");
  Save(FromInts<int32_t>({42}, {}, PerTensor(QT_QINT32, 0.25, 2)), "scalar_0dim.qt");
  Save(FromInts<uint8_t>({}, {0, 4}, PerTensor(QT_QUINT8, 1.0, 0)), "empty.qt");

  // A view: base [3, 4] per channel on axis 1, transposed to [4, 3], then
  // channels 3 and 1 (step -2): [2, 3] per channel on axis 0.
  qt_tensor* base = FromInts<int8_t>({0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23}, {3, 4},
                                     PerChannel(QT_QINT8, {0.1, 0.2, 0.3, 0.4}, {0, 1, 2, 3}, 1));
  qt_tensor* transposed = nullptr;
  Check(qt_transpose(&transposed, base, 0, 1), "transpose");
  qt_tensor* view = nullptr;
  Check(qt_slice(&view, transposed, 0, INT64_MAX, INT64_MIN, -2), "slice");
  qt_tensor_free(transposed);
  Save(view, "per_channel_view.qt");

  qt_bundle* bundle = nullptr;
  Check(qt_bundle_new(&bundle), "bundle");
  qt_tensor* weight = FromInts<int8_t>({1, 2, 3, 4, 5, 6}, {3, 2},
                                       PerChannel(QT_QINT8, {0.01, 0.02, 0.03}, {0, 0, 0}, 0));
  qt_tensor* bias = FromInts<int32_t>({-300, 0, 300}, {3}, PerTensor(QT_QINT32, 0.0002, 0));
  Check(qt_bundle_set(bundle, "fc.weight", weight), "set weight");
  Check(qt_bundle_set(bundle, "fc.bias", bias), "set bias");
  Check(qt_bundle_set(bundle, "base", base), "set base");
  Check(qt_bundle_set_metadata(bundle, "producer", "make_format_v1"), "metadata");
  Check(qt_bundle_set_metadata(bundle, "epoch", "3"), "metadata");
  Check(qt_bundle_set_metadata(bundle, "empty", ""), "metadata");
  qt_tensor_free(weight);
  qt_tensor_free(bias);
  qt_tensor_free(base);
  Check(qt_bundle_save_message(bundle, (out_dir + "/bundle.qt").c_str()), "bundle.qt");
  qt_bundle_free(bundle);
  return 0;
}

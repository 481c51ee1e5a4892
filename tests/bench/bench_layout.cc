// Layout work: contiguous() and int_repr of a transposed 4096x4096 qint8
// tensor, and a requantizing copy into a view of part of a storage.
#include <string>
#include <vector>

#include "bench_util.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::bench {
namespace {

namespace scalar = qtensor::kernels::scalar;

constexpr int64_t kSide = 4096;
constexpr size_t kElements = size_t{kSide} * kSide;

// A 4096x4096 qint8 tensor and its transposed view.
struct Transposed {
  TensorHandle base, view;
  Transposed() {
    const Array<float> x = TestFloats(kElements);
    const int64_t shape[] = {kSide, kSide};
    Check(qt_quantize_per_tensor(&base.get, x.data(), shape, 2, 0.05, 0, QT_QINT8), "quantize");
    Check(qt_transpose(&view.get, base.get, 0, 1), "qt_transpose");
  }
};

// The element-by-element walk a blocked transpose is measured against.
void NaiveTranspose(const int8_t* in, int8_t* out) {
  for (int64_t i = 0; i < kSide; ++i) {
    for (int64_t j = 0; j < kSide; ++j) out[i * kSide + j] = in[j * kSide + i];
  }
}

void RegisterTransposed() {
  const std::string contiguous =
      "contiguous/transposed_4096x4096/qint8/" + std::to_string(kElements);
  const std::string int_repr = "int_repr/transposed_4096x4096/qint8/" + std::to_string(kElements);
  Register(contiguous + "/qtensor", [](benchmark::State& state) {
    Transposed t;
    for (auto _ : state) {
      TensorHandle copy;
      Check(qt_contiguous(&copy.get, t.view.get), "qt_contiguous");
      benchmark::DoNotOptimize(copy.get);
    }
    Report(state, kElements, 2 * kElements);
  });
  // The same work into an existing contiguous tensor (copy_): what the
  // fresh result of contiguous() costs over it.
  Register(contiguous + "/qtensor_existing", [](benchmark::State& state) {
    Transposed t;
    TensorHandle copy;
    Check(qt_contiguous(&copy.get, t.view.get), "qt_contiguous");
    for (auto _ : state) {
      Check(qt_copy(copy.get, t.view.get), "qt_copy");
      benchmark::ClobberMemory();
    }
    Report(state, kElements, 2 * kElements);
  });
  Register(int_repr + "/qtensor", [](benchmark::State& state) {
    Transposed t;
    Array<int8_t> out(kElements);
    for (auto _ : state) {
      Check(qt_int_repr(out.data(), out.size(), t.view.get), "qt_int_repr");
      benchmark::ClobberMemory();
    }
    Report(state, kElements, 2 * kElements);
  });
  for (const std::string& name : {contiguous, int_repr}) {
    Register(name + "/scalar", [](benchmark::State& state) {
      Array<int8_t> in(kElements, 1), out(kElements);
      for (auto _ : state) {
        NaiveTranspose(in.data(), out.data());
        benchmark::ClobberMemory();
      }
      Report(state, kElements, 2 * kElements);
    });
    Register(name + "/memcpy",
             [](benchmark::State& state) { MemcpyBaseline(state, kElements, 2 * kElements); });
  }
}

// int_repr of a contiguous tensor: a plain copy out.
void RegisterContiguousIntRepr() {
  const std::string name = "int_repr/contiguous/qint8/" + std::to_string(kElements);
  Register(name + "/qtensor", [](benchmark::State& state) {
    const Array<float> x = TestFloats(kElements);
    const int64_t shape[] = {kSide, kSide};
    TensorHandle t;
    Check(qt_quantize_per_tensor(&t.get, x.data(), shape, 2, 0.05, 0, QT_QINT8), "quantize");
    Array<int8_t> out(kElements);
    for (auto _ : state) {
      Check(qt_int_repr(out.data(), out.size(), t.get), "qt_int_repr");
      benchmark::ClobberMemory();
    }
    Report(state, kElements, 2 * kElements);
  });
  Register(name + "/memcpy",
           [](benchmark::State& state) { MemcpyBaseline(state, kElements, 2 * kElements); });
}

// dst.copy_(src) where dst is the left half (columns 0..4095) of a
// 4096x8192 qint8 storage with other parameters: src's values are
// requantized into dst's scale and zero point.
void RegisterRequantizingCopy() {
  const std::string name = "copy_requantize/view_4096x4096/qint8/" + std::to_string(kElements);
  constexpr double kSrcScale = 0.05, kDstScale = 0.07;
  constexpr int64_t kSrcZp = 3, kDstZp = -5;
  Register(name + "/qtensor", [=](benchmark::State& state) {
    const Array<float> x = TestFloats(kElements);
    const int64_t shape[] = {kSide, kSide};
    const int64_t base_shape[] = {kSide, 2 * kSide};
    TensorHandle src, base, view;
    Check(qt_quantize_per_tensor(&src.get, x.data(), shape, 2, kSrcScale, kSrcZp, QT_QINT8),
          "quantize");
    qt_quantizer* quantizer = nullptr;
    Check(qt_quantizer_new_per_tensor(&quantizer, QT_QINT8, kDstScale, kDstZp), "quantizer");
    const qt_status made = qt_empty_quantized(&base.get, base_shape, 2, quantizer);
    qt_quantizer_free(quantizer);
    Check(made, "qt_empty_quantized");
    Check(qt_narrow(&view.get, base.get, 1, 0, kSide), "qt_narrow");
    for (auto _ : state) {
      Check(qt_copy(view.get, src.get), "qt_copy");
      benchmark::ClobberMemory();
    }
    Report(state, kElements, 2 * kElements);
  });
  Register(name + "/scalar", [=](benchmark::State& state) {
    const Array<float> x = TestFloats(kElements);
    Array<int8_t> src(kElements), base(2 * kElements);
    scalar::QuantizePerTensor(x.data(), kElements, 1.0f / static_cast<float>(kSrcScale), kSrcZp,
                              src.data());
    const float src_scale = static_cast<float>(kSrcScale);
    const float dst_inv = 1.0f / static_cast<float>(kDstScale);
    for (auto _ : state) {
      for (int64_t i = 0; i < kSide; ++i) {
        for (int64_t j = 0; j < kSide; ++j) {
          float value;
          scalar::DequantizePerTensor(&src[i * kSide + j], 1, src_scale, kSrcZp, &value);
          base[i * 2 * kSide + j] = scalar::QuantizeValue<int8_t>(value, dst_inv, kDstZp);
        }
      }
      benchmark::ClobberMemory();
    }
    Report(state, kElements, 2 * kElements);
  });
  Register(name + "/memcpy",
           [](benchmark::State& state) { MemcpyBaseline(state, kElements, 2 * kElements); });
}

}  // namespace

void RegisterLayoutBenchmarks() {
  RegisterTransposed();
  RegisterContiguousIntRepr();
  RegisterRequantizingCopy();
}

}  // namespace qtensor::bench

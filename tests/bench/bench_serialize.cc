// Serialize and deserialize of a 64 MiB qint8 tensor (qt_serialize /
// qt_deserialize), each alone and the round trip.
#include <string>
#include <vector>

#include "bench_util.h"

namespace qtensor::bench {
namespace {

constexpr size_t kBytes = size_t{64} << 20;

void MakeTensor(TensorHandle* t) {
  const Array<float> x = TestFloats(kBytes);
  const int64_t shape[] = {static_cast<int64_t>(kBytes)};
  Check(qt_quantize_per_tensor(&t->get, x.data(), shape, 1, 0.05, 0, QT_QINT8), "quantize");
}

struct Buffer {
  uint8_t* data = nullptr;
  size_t size = 0;
  ~Buffer() { qt_buffer_free(data); }
};

}  // namespace

void RegisterSerializeBenchmarks() {
  const std::string suffix = "/64MiB/qint8/" + std::to_string(kBytes);
  Register("serialize" + suffix + "/qtensor", [](benchmark::State& state) {
    TensorHandle t;
    MakeTensor(&t);
    for (auto _ : state) {
      Buffer buffer;
      Check(qt_serialize(&buffer.data, &buffer.size, t.get), "qt_serialize");
      benchmark::DoNotOptimize(buffer.data);
    }
    Report(state, kBytes, kBytes);
  });
  Register("deserialize" + suffix + "/qtensor", [](benchmark::State& state) {
    TensorHandle t;
    MakeTensor(&t);
    Buffer buffer;
    Check(qt_serialize(&buffer.data, &buffer.size, t.get), "qt_serialize");
    for (auto _ : state) {
      TensorHandle back;
      Check(qt_deserialize(&back.get, buffer.data, buffer.size), "qt_deserialize");
      benchmark::DoNotOptimize(back.get);
    }
    Report(state, kBytes, kBytes);
  });
  // Bytes/s here is 64 MiB over the time of both steps (issue 5's target).
  Register("serialize_roundtrip" + suffix + "/qtensor", [](benchmark::State& state) {
    TensorHandle t;
    MakeTensor(&t);
    for (auto _ : state) {
      Buffer buffer;
      TensorHandle back;
      Check(qt_serialize(&buffer.data, &buffer.size, t.get), "qt_serialize");
      Check(qt_deserialize(&back.get, buffer.data, buffer.size), "qt_deserialize");
      benchmark::DoNotOptimize(back.get);
    }
    Report(state, kBytes, kBytes);
  });
  // Each step copies the 64 MiB once: two memcpy of it are the floor.
  for (const char* name : {"serialize", "deserialize"}) {
    Register(std::string(name) + suffix + "/memcpy",
             [](benchmark::State& state) { MemcpyBaseline(state, kBytes, 2 * kBytes); });
  }
  Register("serialize_roundtrip" + suffix + "/memcpy", [](benchmark::State& state) {
    Array<uint8_t> from(kBytes, 1), mid(kBytes), to(kBytes);
    for (auto _ : state) {
      std::memcpy(mid.data(), from.data(), kBytes);
      std::memcpy(to.data(), mid.data(), kBytes);
      benchmark::ClobberMemory();
    }
    Report(state, kBytes, kBytes);
  });
}

}  // namespace qtensor::bench

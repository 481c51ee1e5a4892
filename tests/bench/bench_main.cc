// The benchmark program: every case of issue 5, each beside a memcpy of the
// same traffic and, where one exists, the scalar kernel. Names are
// "<case>/<implementation>"; tests/bench/compare.py reads its JSON output.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_util.h"

int main(int argc, char** argv) {
  qtensor::bench::RegisterQuantizeBenchmarks();
  qtensor::bench::RegisterLayoutBenchmarks();
  qtensor::bench::RegisterOpBenchmarks();
  qtensor::bench::RegisterGemmBenchmarks();
  qtensor::bench::RegisterOnnxQuantizeBenchmarks();
  qtensor::bench::RegisterGgufBenchmarks();
  qtensor::bench::RegisterPerBlockBenchmarks();
  qtensor::bench::RegisterFloatQParamsBenchmarks();
#ifdef QTENSOR_BENCH_SERIALIZE
  qtensor::bench::RegisterSerializeBenchmarks();
#endif
  benchmark::AddCustomContext("qt_simd_target", qt_simd_target());
  benchmark::AddCustomContext("qt_version", qt_version());
  {
    const qtensor::bench::AllCores threads;  // how many the "_threads" cases use
    benchmark::AddCustomContext("threads_all_cores", std::to_string(qt_get_num_threads()));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

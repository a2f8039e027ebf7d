// //bench:v4_bench: the OTRv4 constructs (v4_construct_benchmarks.h) on
// every backend, alone.
#include <benchmark/benchmark.h>

#include "bench/crypto_benchmarks.h"
#include "bench/v4_construct_benchmarks.h"
#include "crypto/backends.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const otr::bench::Backends backends = otr::crypto::AllBackends();
  otr::bench::RegisterV4ConstructBenchmarks(backends);
  otr::bench::WarmUp(backends);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

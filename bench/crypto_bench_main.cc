// //bench:crypto_bench: every crypto primitive case for every backend in one
// run. Takes the usual Google Benchmark flags; see bench/README.md.
#include <benchmark/benchmark.h>

#include "bench/crypto_benchmarks.h"
#include "crypto/backends.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const otr::bench::Backends backends = otr::crypto::AllBackends();
  otr::bench::RegisterModExpBenchmarks(backends);
  otr::bench::RegisterDsaBenchmarks(backends);
  otr::bench::RegisterEd448Benchmarks(backends);
  otr::bench::RegisterSymmetricBenchmarks(backends);
  otr::bench::WarmUp(backends);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

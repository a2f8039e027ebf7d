// //bench:otr_bench: the protocol benchmarks of issue 9 for our Session on
// every crypto backend and for libotr 4.1.1, plus the crypto primitive cases
// the primitive floors are priced with, all in one run (see README.md;
// bench/run_report.sh runs it and writes bench/results/).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "bench/crypto_benchmarks.h"
#include "bench/libotr_endpoint.h"
#include "bench/our_endpoint.h"
#include "bench/protocol_benchmarks.h"
#include "crypto/backends.h"

int main(int argc, char** argv) {
  otr::bench::InitLibotr();  // before any use of libgcrypt (see there)
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const otr::bench::Backends backends = otr::crypto::AllBackends();

  std::vector<std::unique_ptr<otr::bench::Implementation>> owned;
  for (const otr::crypto::Backend* backend : backends) {
    owned.push_back(otr::bench::NewOurImplementation(*backend));
  }
  owned.push_back(otr::bench::NewLibotrImplementation());
  std::vector<otr::bench::Implementation*> impls;
  for (auto& impl : owned) impls.push_back(impl.get());

  // The primitives (priced for the floors) and the protocol operations.
  otr::bench::RegisterModExpBenchmarks(backends);
  otr::bench::RegisterDsaBenchmarks(backends);
  otr::bench::RegisterSymmetricBenchmarks(backends);
  otr::bench::RegisterRekeyBenchmarks(backends);
  otr::bench::RegisterConversationBenchmarks(impls);

  otr::bench::WarmUp(backends);
  if (!otr::bench::WarmUpImplementations(impls)) {
    std::fprintf(stderr, "otr_bench: an implementation could not establish a conversation\n");
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

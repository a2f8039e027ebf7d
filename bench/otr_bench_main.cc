// //bench:otr_bench: the protocol benchmarks of issue 9 for our Session on
// every crypto backend and for libotr 4.1.1, the OTRv4 ones of issue 20 for
// our Session speaking v4 and for libotr-ng, plus the crypto primitive cases
// the primitive floors are priced with, all in one run (see README.md;
// bench/run_report.sh runs it and writes bench/results/).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "bench/crypto_benchmarks.h"
#include "bench/libotr_endpoint.h"
#include "bench/libotr_ng_endpoint.h"
#include "bench/our_endpoint.h"
#include "bench/prekey_storage_benchmarks.h"
#include "bench/protocol_benchmarks.h"
#include "bench/v4_construct_benchmarks.h"
#include "bench/v4_offline_benchmarks.h"
#include "bench/v4_protocol_benchmarks.h"
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

  // OTRv4 (issue 20): our Session speaking v4 only, and libotr-ng.
  std::vector<std::unique_ptr<otr::bench::Implementation>> owned_v4;
  for (const otr::crypto::Backend* backend : backends) {
    owned_v4.push_back(otr::bench::NewOurV4Implementation(*backend));
  }
  owned_v4.push_back(otr::bench::NewLibotrNgImplementation());
  if (owned_v4.back() == nullptr) {
    std::fprintf(stderr,
                 "otr_bench: libotr-ng could not be built, so the v4 cases cannot run:\n%s\n",
                 otr::bench::LibotrNgUnavailableReason());
    return 1;
  }
  std::vector<otr::bench::Implementation*> v4_impls;
  for (auto& impl : owned_v4) v4_impls.push_back(impl.get());

  // The primitives (priced for the floors) and the protocol operations.
  otr::bench::RegisterModExpBenchmarks(backends);
  otr::bench::RegisterDsaBenchmarks(backends);
  otr::bench::RegisterSymmetricBenchmarks(backends);
  otr::bench::RegisterRekeyBenchmarks(backends);
  otr::bench::RegisterConversationBenchmarks(impls);
  otr::bench::RegisterEd448Benchmarks(backends);
  otr::bench::RegisterV4ConstructBenchmarks(backends);
  otr::bench::RegisterV4ConversationBenchmarks(v4_impls);
  otr::bench::RegisterV4OfflineBenchmarks(backends);
  otr::bench::RegisterPrekeyStorageBenchmarks();

  otr::bench::WarmUp(backends);
  if (!otr::bench::WarmUpImplementations(impls) || !otr::bench::WarmUpImplementations(v4_impls)) {
    std::fprintf(stderr, "otr_bench: an implementation could not establish a conversation\n");
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

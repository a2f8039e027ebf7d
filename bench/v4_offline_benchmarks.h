// The non-interactive start of OTRv4 (otrv4.md "Non-Interactive DAKE",
// issue 20) for our Session on each backend: Alice's StartOffline from one
// Prekey Ensemble of Bob's (the ensemble validated, the Non-Interactive-Auth
// message made) and Bob's receipt of it (validated, both sides encrypted).
// Registered as `BM_V4OfflineStart/<backend>/<step>`. libotr-ng has no row:
// its prekey client is not driven here (see README.md).
#ifndef OTR_BENCH_V4_OFFLINE_BENCHMARKS_H_
#define OTR_BENCH_V4_OFFLINE_BENCHMARKS_H_

#include "bench/crypto_benchmarks.h"

namespace otr::bench {

void RegisterV4OfflineBenchmarks(Backends backends);

}  // namespace otr::bench

#endif  // OTR_BENCH_V4_OFFLINE_BENCHMARKS_H_

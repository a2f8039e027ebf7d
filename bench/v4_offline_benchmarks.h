// The non-interactive start of OTRv4 (otrv4.md "Non-Interactive DAKE",
// issue 20) for our Session on each backend: Alice's StartOffline from one
// Prekey Ensemble of Bob's (the ensemble validated, the Non-Interactive-Auth
// message made) and Bob's receipt of it (validated, both sides encrypted).
// Registered as `BM_V4OfflineStart/<backend>/<step>`, each step followed by
// `BM_V4OfflineStart/libotr-ng/<step>`: two libotr-ng clients, Bob's
// ensemble published and retrieved through our prekey-server core in
// process, untimed (LibotrNgOfflineStart in libotr_ng_endpoint.h says what
// each step times; its Bob is encrypted only after Alice's first Data
// Message, which its receive_auth includes). Ours: Bob's ensemble is made
// directly (PublishOne below), untimed; StartOffline gets its values
// decoded, where libotr-ng's start_offline also decodes the ensemble's
// bytes.
#ifndef OTR_BENCH_V4_OFFLINE_BENCHMARKS_H_
#define OTR_BENCH_V4_OFFLINE_BENCHMARKS_H_

#include "bench/crypto_benchmarks.h"

namespace otr::bench {

void RegisterV4OfflineBenchmarks(Backends backends);

}  // namespace otr::bench

#endif  // OTR_BENCH_V4_OFFLINE_BENCHMARKS_H_

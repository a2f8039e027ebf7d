// libotr-ng (the deployed OTRv4 library, third_party/libotr_ng) as a
// benchmark Implementation for the v4 cases (issue 20): each side is a
// libotr-ng client driven through its client API in this process
// (tests/interop/libotr_ng_peer.h), so the same scripts run against it as
// against our Session. Each conversation has two clients of its own, each
// with a long-term key, a forging key and its profiles (libotr-ng keeps
// them per client; the memory case reports them apart, see
// protocol_benchmarks.cc).
#ifndef OTR_BENCH_LIBOTR_NG_ENDPOINT_H_
#define OTR_BENCH_LIBOTR_NG_ENDPOINT_H_

#include <benchmark/benchmark.h>

#include <memory>

#include "bench/endpoint.h"
#include "crypto/backend.h"

namespace otr::bench {

// nullptr when libotr-ng could not be built; LibotrNgUnavailableReason()
// then says why.
std::unique_ptr<Implementation> NewLibotrNgImplementation();
const char* LibotrNgUnavailableReason();

// libotr-ng's non-interactive start (otrv4.md "Non-Interactive DAKE"), the
// libotr-ng row of `BM_V4OfflineStart` (v4_offline_benchmarks.h). Each
// iteration, untimed: two new libotr-ng clients; Bob publishes his Client
// Profile, Prekey Profile and one Prekey Message through our prekey-server
// core in process (protocol/prekey/server with accept_libotr_ng, decision
// 0034; `server_backend` is its crypto) and goes away; Alice asks it for
// Bob's ensembles (otrng_prekey_retrieve_prekeys) and the server answers.
// `step` 0 (start_offline) times Alice's otrng_prekey_receive of that
// answer: libotr-ng decodes the Ensemble Retrieval message, validates the
// ensemble (otrng_prekey_ensemble_validate) and, in its
// prekey_ensembles_received callback, builds and sends the
// Non-Interactive-Auth (otrng_send_non_interactive_auth); it sends nothing
// else with it. Unlike ours, this includes decoding the ensemble's bytes.
// `step` 1 (receive_auth) times Bob's receipt of the Non-Interactive-Auth
// and of Alice's first Data Message: libotr-ng's Bob stays in
// OTRNG_STATE_WAITING_DAKE_DATA_MESSAGE until that message (otrng.c), so it
// is encrypted only after it; Alice's making of that message is not timed.
// `step` 2 (full) times both and Alice's making of the first Data Message
// (as BM_V4DakeFull does for libotr-ng's interactive DAKE). Fails the case
// unless both sides end encrypted and Bob displays the message.
void LibotrNgOfflineStart(benchmark::State& state, const crypto::Backend& server_backend, int step);

}  // namespace otr::bench

#endif  // OTR_BENCH_LIBOTR_NG_ENDPOINT_H_

// Our Session (protocol/session/session.h) on one crypto backend as a
// benchmark Endpoint: randomness from the OS, a fixed clock (no heartbeats),
// one long-term DSA key (v3) or v4 identity per backend and side, generated
// once per process.
#ifndef OTR_BENCH_OUR_ENDPOINT_H_
#define OTR_BENCH_OUR_ENDPOINT_H_

#include <memory>

#include "bench/endpoint.h"
#include "crypto/backend.h"

namespace otr::bench {

std::unique_ptr<Implementation> NewOurImplementation(const crypto::Backend& backend);
// The same speaking only OTRv4 (the v4-standalone mode), with one v4
// identity (long-term key, forging key, Client Profile) per side.
std::unique_ptr<Implementation> NewOurV4Implementation(const crypto::Backend& backend);

}  // namespace otr::bench

#endif  // OTR_BENCH_OUR_ENDPOINT_H_

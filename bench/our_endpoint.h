// Our Session (protocol/session/session.h) on one crypto backend as a
// benchmark Endpoint: randomness from the OS, a fixed clock (no heartbeats),
// one long-term DSA key per backend and side, generated once per process.
#ifndef OTR_BENCH_OUR_ENDPOINT_H_
#define OTR_BENCH_OUR_ENDPOINT_H_

#include <memory>

#include "bench/endpoint.h"
#include "crypto/backend.h"

namespace otr::bench {

std::unique_ptr<Implementation> NewOurImplementation(const crypto::Backend& backend);

}  // namespace otr::bench

#endif  // OTR_BENCH_OUR_ENDPOINT_H_

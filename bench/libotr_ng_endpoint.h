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

#include <memory>

#include "bench/endpoint.h"

namespace otr::bench {

// nullptr when libotr-ng could not be built; LibotrNgUnavailableReason()
// then says why.
std::unique_ptr<Implementation> NewLibotrNgImplementation();
const char* LibotrNgUnavailableReason();

}  // namespace otr::bench

#endif  // OTR_BENCH_LIBOTR_NG_ENDPOINT_H_

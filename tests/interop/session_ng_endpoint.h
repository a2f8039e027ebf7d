// Our Session with the `libotr-ng` compatibility profile
// (Policy::v4_variant = V4Variant::kLibotrNg) as an endpoint of the issue 20
// scenarios (libotr_ng_scenarios.h): the one v4 engine, its table, driven
// through the Session API exactly as an application drives it.
#ifndef OTR_TESTS_INTEROP_SESSION_NG_ENDPOINT_H_
#define OTR_TESTS_INTEROP_SESSION_NG_ENDPOINT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "crypto/backend.h"
#include "protocol/api/policy.h"
#include "tests/interop/libotr_ng_scenarios.h"

namespace otr::testing {

// `account` and `buddy` are the two accounts (phi', which libotr-ng's phi
// holds); v3-compatible mode with v4 (answers libotr-ng's "?OTRv4?").
std::unique_ptr<V4Endpoint> MakeSessionNgEndpoint(const crypto::Backend& backend,
                                                  const std::string& account,
                                                  const std::string& buddy, uint32_t tag,
                                                  Policy policy = Policy::Manual().WithV4());

// What the endpoint's Session reported (for the tests of the event).
std::string CompatibilityReported(const V4Endpoint& session_endpoint);
}  // namespace otr::testing

#endif  // OTR_TESTS_INTEROP_SESSION_NG_ENDPOINT_H_

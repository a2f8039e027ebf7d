// A v4 identity for session tests: H and F from a deterministic random
// source, and a Client Profile for `tag` valid at the test clock.
#ifndef OTR_TESTS_SESSION_V4_FIXTURE_H_
#define OTR_TESTS_SESSION_V4_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crypto/backend.h"
#include "protocol/api/output.h"
#include "protocol/session/session.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/wire/instance_tag.h"

namespace otr::testing {

// Fails the current test when a key or the profile cannot be made. `now` is
// the time the profile is made at (it expires a week later); `versions`
// the profile's Versions ("43" for a v3-compatible client).
std::unique_ptr<v4::Identity> MakeV4Identity(const crypto::Backend& backend, uint64_t seed,
                                             wire::InstanceTag tag, uint64_t now,
                                             const char* versions = "43");

// A v4 Session's configuration with our prekey store (offline conversations).
SessionConfig OfflineSessionConfig(const crypto::Backend& backend, Policy policy,
                                   wire::InstanceTag tag, const v4::Identity& identity,
                                   v4::PrekeyStore& store);

// How many of `events` are of `type`.
int CountEvents(const std::vector<Event>& events, EventType type);
// What each events::OfflineRefused among `events` says, in order.
std::vector<std::string> OfflineRefusals(const std::vector<Event>& events);

}  // namespace otr::testing

#endif  // OTR_TESTS_SESSION_V4_FIXTURE_H_

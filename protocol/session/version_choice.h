// Which protocol version answers a peer's offer (a Query Message or a
// whitespace tag), from our policy alone: a pure function, so the rule is
// tested on its own (tests/session/version_choice_test.cc).
//
// otrv4.md "Receiving a Query Message": "If the Query Message offers OTR
// version 4 and version 4 is allowed: Send an Identity message"; "If the
// Query message offers OTR version 3 and version 3 is allowed: Send a
// version 3 D-H Commit Message". Read together with "Requesting
// Conversation with Older OTR Versions" and ADR 7 ("the highest version
// will be chosen"): 4 wins whenever both sides allow it, so two v4-capable
// clients never settle on v3 (docs/decisions/0011-v4-version-rollback.md).
// "OTRv4 Modes": v4-standalone and v4-interactive-only "reject" a request
// for an OTRv3 conversation.
#ifndef OTR_PROTOCOL_SESSION_VERSION_CHOICE_H_
#define OTR_PROTOCOL_SESSION_VERSION_CHOICE_H_

#include "protocol/api/policy.h"
#include "protocol/wire/version_set.h"

namespace otr {

enum class OfferAnswer {
  kV4,         // a v4 DAKE
  kV3,         // the v3 (or v2) AKE: 4 is not offered or not allowed by us
  kRefusedV3,  // only v3/v2 offered, and our mode is v4-only: rejected
  kNone,       // nothing we allow is offered
};

OfferAnswer ChooseVersion(wire::VersionSet offered, const Policy& policy);

// The v2/v3 versions of `offered` our policy allows (for the v3 engine).
bool OffersSpeakableV3(wire::VersionSet offered, const Policy& policy);

}  // namespace otr

#endif  // OTR_PROTOCOL_SESSION_VERSION_CHOICE_H_

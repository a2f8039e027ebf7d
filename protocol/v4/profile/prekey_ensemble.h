// "Validating Prekey Ensembles" (otrv4.md): a Client Profile, a Prekey
// Profile and a Prekey Message retrieved from a prekey server, checked
// before a Non-Interactive-Auth message is sent to their owner. "If any of
// the checks fail, ignore the Prekey Ensemble."
#ifndef OTR_PROTOCOL_V4_PROFILE_PREKEY_ENSEMBLE_H_
#define OTR_PROTOCOL_V4_PROFILE_PREKEY_ENSEMBLE_H_

#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/profile/profile_status.h"

namespace otr::v4::profile {

// The checks in the spec's order:
//   1. the three values carry one instance tag (kEnsembleInstanceTagsDiffer);
//   2. the Client Profile is valid (ValidateClientProfile with that tag as
//      the sender's, at `now`);
//   3. the Prekey Profile is valid (ValidatePrekeyProfile) under the Client
//      Profile's H, which is also 4. "the Prekey Profile is signed by the
//      same long-term public key stated in the Client Profile";
//   5. the Prekey Message verifies ("Prekey Message", "To verify": type 0x0F
//      and version 4 are its decoder's; Y a valid point; B in the 3072-bit
//      group: 2 <= B <= dh_p - 2 and B^dh_q = 1 mod dh_p);
//   6. its version (4) is among the Client Profile's Versions (implied by
//      step 2, which requires "4");
//   7. the receiver supports it: `our_versions` (e.g. "34") offers 4.
ProfileStatus ValidatePrekeyEnsemble(const crypto::Backend& backend,
                                     const ClientProfile& client_profile,
                                     const PrekeyProfile& prekey_profile,
                                     const PrekeyMessage& prekey_message, int64_t now,
                                     std::string_view our_versions = "4");

// "Verifying that an integer is in the DH group" for the 3072-bit group:
// kOutOfRange outside [2, dh_p - 2], kNotInSubgroup when x^dh_q != 1.
Status CheckDh3072Element(const crypto::Backend& backend, ByteView x);

}  // namespace otr::v4::profile

#endif  // OTR_PROTOCOL_V4_PROFILE_PREKEY_ENSEMBLE_H_

// Creating, signing, verifying and validating Prekey Profiles (otrv4.md,
// "Prekey Profile", "Creating a Prekey Profile", "Create a Prekey Profile
// Signature", "Verify a Prekey Profile Signature", "Validating a Prekey
// Profile"). The profile is signed with the long-term key (sym_h) and
// carries the shared prekey D (its seed sym_d stays with the owner).
#ifndef OTR_PROTOCOL_V4_PROFILE_PREKEY_PROFILE_H_
#define OTR_PROTOCOL_V4_PROFILE_PREKEY_PROFILE_H_

#include <cstdint>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/profile/profile_status.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v4::profile {

struct PrekeyProfileParams {
  // "The same Client Profile owner's instance tag."
  wire::InstanceTag owner_instance_tag = wire::kMinInstanceTag;
  int64_t expiration = 0;  // "Prekey Profile Expiration"
  // D, the Public Shared Prekey ("This key must expire when the Prekey
  // Profile expires"); keys.h makes it from sym_d.
  crypto::Ed448Point shared_prekey;
};

// Assembles and signs with sym_h ("The symmetric key sym_h ... are used to
// create signatures of the entire profile excluding the signature itself").
// Errors: kInvalidKey (sym_h not 57 bytes), kInvalidInstanceTag, the
// backend's.
Result<PrekeyProfile> CreatePrekeyProfile(const crypto::Backend& backend,
                                          const crypto::SecretBytes& sym_h,
                                          const PrekeyProfileParams& params);

// Signs the profile as it stands (after a change, e.g. renewal).
Status SignPrekeyProfile(const crypto::Backend& backend, const crypto::SecretBytes& sym_h,
                         PrekeyProfile& profile);

// "Prekey Profile Expiration and Renewal": the same D and tag, a new
// expiration, signed again. (A new shared prekey is a new profile.)
Result<PrekeyProfile> RenewPrekeyProfile(const crypto::Backend& backend,
                                         const crypto::SecretBytes& sym_h,
                                         const PrekeyProfile& profile, int64_t new_expiration);

// "Verify a Prekey Profile Signature" with the long-term public key H (the
// POINT of the owner's Client Profile).
Status VerifyPrekeyProfileSignature(const crypto::Backend& backend, const PrekeyProfile& profile,
                                    const Point& long_term_public_key);

// "Validating a Prekey Profile", in the spec's order:
//   1. the signature verifies under `long_term_public_key` (H);
//   2. the owner instance tag is valid (>= 0x100) and equals
//      `sender_instance_tag` (the spec's step 4 repeats this check);
//   3. it has not expired at `now` (+ `extra_validity` for our own profile
//      used locally; expiration.h);
//   5. the Public Shared Prekey D is a valid point (Backend::Ed448Decode).
ProfileStatus ValidatePrekeyProfile(const crypto::Backend& backend, const PrekeyProfile& profile,
                                    const Point& long_term_public_key,
                                    wire::InstanceTag sender_instance_tag, int64_t now,
                                    int64_t extra_validity = 0);

}  // namespace otr::v4::profile

#endif  // OTR_PROTOCOL_V4_PROFILE_PREKEY_PROFILE_H_

// Creating, signing, verifying and validating Client Profiles (otrv4.md,
// "Creating a Client Profile", "Establishing Versions", "Create a Client
// Profile Signature", "Verify a Client Profile Signature", "Validating a
// Client Profile"). The encoding and the exact signed bytes are
// protocol/v4/messages/profile.h's; all crypto goes through crypto::Backend.
#ifndef OTR_PROTOCOL_V4_PROFILE_CLIENT_PROFILE_H_
#define OTR_PROTOCOL_V4_PROFILE_CLIENT_PROFILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/profile/profile_status.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v4::profile {

struct ClientProfileParams {
  // "Client Profile owner instance tag": at least 0x100.
  wire::InstanceTag owner_instance_tag = wire::kMinInstanceTag;
  // F, the long-term forging public key.
  crypto::Ed448Point forging_key;
  // "Versions: a string corresponding to the user's supported OTR versions",
  // containing "4" and neither "1" nor "2" ("Establishing Versions").
  std::string versions = "4";
  // "Client Profile Expiration": seconds since the epoch (expiration.h).
  int64_t expiration = 0;
  // OTRv3 compatibility: with a DSA key the profile gets a Transitional
  // Signature made with it ("If version 3 and 4 are supported and the user
  // has a pre-existing OTRv3 long-term keypair"), and, when
  // publish_dsa_key, the DSA public key field ("the user can decide to have
  // a Transitional signature without publish the OTRv3 public
  // authentication DSA key").
  const crypto::DsaPrivateKey* dsa_key = nullptr;
  bool publish_dsa_key = true;
};

// Assembles the fields, makes the Transitional Signature when asked, then the
// Client Profile Signature with sym_h (the seed of H). Errors: kInvalidKey
// (sym_h not 57 bytes), kInvalidInstanceTag, kInvalidEncoding (versions
// without "4", with "1" or "2", or longer than v4::kMaxVersionsSize), and the
// backend's.
Result<ClientProfile> CreateClientProfile(const crypto::Backend& backend,
                                          const crypto::SecretBytes& sym_h,
                                          const ClientProfileParams& params,
                                          crypto::Random& random);

// Signs `profile` as it stands: "Sign m || Transitional Signature with the
// symmetric key" (m || Transitional Signature is ClientProfileSignedBytes).
// For a profile whose fields changed (renewal). H in the profile must be
// the public key of sym_h (kInvalidKey otherwise).
Status SignClientProfile(const crypto::Backend& backend, const crypto::SecretBytes& sym_h,
                         ClientProfile& profile);

// "Sign m with the user's OTRv3 DSA key. Denote this value Transitional
// Signature." m is ClientProfileTransitionalSignedBytes (fields 0x0001 to
// 0x0006). The Client Profile Signature must be made again afterwards.
Status SignTransitional(const crypto::Backend& backend, const crypto::DsaPrivateKey& dsa_key,
                        ClientProfile& profile, crypto::Random& random);

// "Client Profile Expiration and Renewal": the same profile with a new
// expiration, signed again (the transitional signature too, when the profile
// has one: then dsa_key is required, kInvalidKey without it).
Result<ClientProfile> RenewClientProfile(const crypto::Backend& backend,
                                         const crypto::SecretBytes& sym_h,
                                         const ClientProfile& profile, int64_t new_expiration,
                                         const crypto::DsaPrivateKey* dsa_key,
                                         crypto::Random& random);

// "Verify a Client Profile Signature" (RFC 8032 5.2.7 with H of the profile):
// H must decode (Backend::Ed448Decode's errors), then the signature verify.
Status VerifyClientProfileSignature(const crypto::Backend& backend, const ClientProfile& profile);

// "Validating a Client Profile", every rule in the spec's order, each with its
// own ProfileError:
//   1. the signature is not empty (all zero, as libotr-ng reads "empty");
//   2. the signature verifies;
//   3. the owner instance tag is valid (>= 0x100) and equals
//      `sender_instance_tag`, the sender tag of the message that carried it;
//   4. it has not expired at `now`, allowing `extra_validity` seconds past
//      the expiration for our own profiles used locally (0 for a received
//      profile; expiration.h);
//   5. Versions contain "4" (and, per "Establishing Versions", no "1" or
//      "2");
//   6. H and 7. F are valid points (Backend::Ed448Decode: on the curve, in
//      the subgroup, not the identity); H is decoded as the first part of
//      step 2 (RFC 8032 verification decodes the public key), and an H that
//      fails is reported as kClientProfileBadPublicKey;
//   8. with a DSA key, the Transitional Signature is present ("The presence
//      of OTRv3 public authentication DSA key means that the Transitional
//      signature is mandatory") and verifies under that key (the spec makes
//      this check optional; we always make it). A Transitional Signature
//      without the DSA key cannot be checked and is accepted.
ProfileStatus ValidateClientProfile(const crypto::Backend& backend, const ClientProfile& profile,
                                    wire::InstanceTag sender_instance_tag, int64_t now,
                                    int64_t extra_validity = 0);

// H and F as ValidateClientProfile decoded them (rules 6 and 7).
struct ClientProfileKeys {
  crypto::Ed448Point h, f;
};

// The same validation, handing back the points it decoded, so that a caller
// (the DAKEs) does not decode H and F again (decision 0033). `keys` is set
// only when the profile is valid.
ProfileStatus ValidateClientProfile(const crypto::Backend& backend, const ClientProfile& profile,
                                    wire::InstanceTag sender_instance_tag, int64_t now,
                                    int64_t extra_validity, ClientProfileKeys& keys);

// Whether a Versions string offers `version` ('4', '3'): "Any other version
// string that is not 4, 3, 2, or 1 should be ignored".
bool OffersVersion(std::string_view versions, char version);

}  // namespace otr::v4::profile

#endif  // OTR_PROTOCOL_V4_PROFILE_CLIENT_PROFILE_H_

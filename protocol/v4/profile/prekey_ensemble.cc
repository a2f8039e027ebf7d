#include "protocol/v4/profile/prekey_ensemble.h"

#include "crypto/modp_group.h"
#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/prekey_profile.h"

namespace otr::v4::profile {

// The one check of "Verifying that an integer is in the DH group"
// (protocol/v4/crypto/dh3072.h), which answers kOutOfRange for both of its
// steps; this one keeps telling them apart.
Status CheckDh3072Element(const crypto::Backend& backend, ByteView x) {
  Status s = CheckDhGroupElement(backend, x);
  if (s.ok()) return s;
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp3072);
  if (!crypto::CheckGroupElement(backend, group, x).ok()) return s;
  return MakeError(ErrorCode::kNotInSubgroup, "DH value outside the order-q subgroup");
}

ProfileStatus ValidatePrekeyEnsemble(const crypto::Backend& backend,
                                     const ClientProfile& client_profile,
                                     const PrekeyProfile& prekey_profile,
                                     const PrekeyMessage& prekey_message, int64_t now,
                                     std::string_view our_versions) {
  // 1. "Check that all the instance tags on the Prekey Ensemble's values are
  // the same."
  const wire::InstanceTag tag = client_profile.owner_instance_tag;
  if (prekey_profile.owner_instance_tag != tag || prekey_message.owner_instance_tag != tag) {
    return {ProfileError::kEnsembleInstanceTagsDiffer, ErrorCode::kUnknownInstance};
  }
  // 2. "Validate the Client Profile."
  OTR_RETURN_IF_PROFILE_ERROR(ValidateClientProfile(backend, client_profile, tag, now));
  // 3. "Validate the Prekey Profile." and 4. "Check that the Prekey Profile is
  // signed by the same long-term public key stated in the Client Profile."
  OTR_RETURN_IF_PROFILE_ERROR(
      ValidatePrekeyProfile(backend, prekey_profile, client_profile.public_key, tag, now));
  // 5. "Verify the Prekey message as stated in its section."
  if (auto y = backend.Ed448Decode(prekey_message.y); !y.ok()) {
    return {ProfileError::kPrekeyMessageBadEcdhKey, y.code()};
  }
  if (Status s = CheckDh3072Element(backend, prekey_message.b); !s.ok()) {
    return {ProfileError::kPrekeyMessageBadDhKey, s.code()};
  }
  // 6. "Check that the OTR version of the prekey message matches one of the
  // versions signed in the Client Profile": a v4 Prekey Message has version
  // 4, and step 2 (rule 5 of "Validating a Client Profile") has already
  // required "4" in the Versions, so nothing is left to check here.
  // 7. "Check if the Client Profile's version is supported by the receiver."
  if (!OffersVersion(our_versions, '4')) {
    return {ProfileError::kClientProfileVersionNotSupported, ErrorCode::kUnsupportedVersion};
  }
  return ProfileStatus::Ok();
}

}  // namespace otr::v4::profile

#include "protocol/v4/profile/prekey_profile.h"

#include <algorithm>

#include "protocol/v4/profile/expiration.h"

namespace otr::v4::profile {

Status SignPrekeyProfile(const crypto::Backend& backend, const crypto::SecretBytes& sym_h,
                         PrekeyProfile& profile) {
  if (sym_h.size() != crypto::kEd448SeedSize) {
    return MakeError(ErrorCode::kInvalidKey, "sym_h is 57 bytes");
  }
  OTR_ASSIGN_OR_RETURN(Bytes signature,
                       backend.Ed448Sign(sym_h, PrekeyProfileSignedBytes(profile)));
  if (signature.size() != profile.signature.size()) {
    return MakeError(ErrorCode::kBackendFailure, "Ed448Sign: not 114 bytes");
  }
  std::copy(signature.begin(), signature.end(), profile.signature.begin());
  return Status::Ok();
}

Result<PrekeyProfile> CreatePrekeyProfile(const crypto::Backend& backend,
                                          const crypto::SecretBytes& sym_h,
                                          const PrekeyProfileParams& params) {
  if (params.owner_instance_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "owner instance tag below 0x100");
  }
  PrekeyProfile profile;
  profile.owner_instance_tag = params.owner_instance_tag;
  profile.expiration = params.expiration;
  profile.shared_prekey = backend.Ed448Encode(params.shared_prekey);
  OTR_RETURN_IF_ERROR(SignPrekeyProfile(backend, sym_h, profile));
  return profile;
}

Result<PrekeyProfile> RenewPrekeyProfile(const crypto::Backend& backend,
                                         const crypto::SecretBytes& sym_h,
                                         const PrekeyProfile& profile, int64_t new_expiration) {
  PrekeyProfile renewed = profile;
  renewed.expiration = new_expiration;
  OTR_RETURN_IF_ERROR(SignPrekeyProfile(backend, sym_h, renewed));
  return renewed;
}

Status VerifyPrekeyProfileSignature(const crypto::Backend& backend, const PrekeyProfile& profile,
                                    const Point& long_term_public_key) {
  // H decoded first, as in VerifyClientProfileSignature (libgcrypt aborts on
  // the identity as a key).
  OTR_RETURN_IF_ERROR(backend.Ed448Decode(long_term_public_key));
  return backend.Ed448Verify(long_term_public_key, PrekeyProfileSignedBytes(profile),
                             profile.signature);
}

ProfileStatus ValidatePrekeyProfile(const crypto::Backend& backend, const PrekeyProfile& profile,
                                    const Point& long_term_public_key,
                                    wire::InstanceTag sender_instance_tag, int64_t now,
                                    int64_t extra_validity) {
  // 1. "Verify that the Prekey Profile signature is valid."
  if (Status s = VerifyPrekeyProfileSignature(backend, profile, long_term_public_key); !s.ok()) {
    return {ProfileError::kPrekeyProfileBadSignature, s.code()};
  }
  // 2. (and 4.) "Verify that the Prekey Profile owner's instance tag is equal
  // to the Sender Instance tag of the person that sent the DAKE message".
  if (profile.owner_instance_tag < wire::kMinInstanceTag) {
    return {ProfileError::kPrekeyProfileBadInstanceTag, ErrorCode::kInvalidInstanceTag};
  }
  if (profile.owner_instance_tag != sender_instance_tag) {
    return {ProfileError::kPrekeyProfileInstanceTagMismatch, ErrorCode::kUnknownInstance};
  }
  // 3. "Verify that the Prekey Profile has not expired."
  if (!IsUsableLocally(profile.expiration, now, extra_validity)) {
    return {ProfileError::kPrekeyProfileExpired, ErrorCode::kOutOfRange};
  }
  // 5. "Validate that the Public Shared Prekey is on the curve".
  if (auto d = backend.Ed448Decode(profile.shared_prekey); !d.ok()) {
    return {ProfileError::kPrekeyProfileBadSharedPrekey, d.code()};
  }
  return ProfileStatus::Ok();
}

}  // namespace otr::v4::profile

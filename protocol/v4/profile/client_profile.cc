#include "protocol/v4/profile/client_profile.h"

#include <algorithm>
#include <utility>

#include "protocol/v4/profile/expiration.h"

namespace otr::v4::profile {
namespace {

// "Establishing Versions": a valid version string for a v4 client has "4"
// and neither "2" nor "1".
Status CheckVersions(std::string_view versions) {
  if (versions.size() > kMaxVersionsSize) {
    return MakeError(ErrorCode::kInvalidEncoding, "Versions longer than allowed");
  }
  if (!OffersVersion(versions, '4')) {
    return MakeError(ErrorCode::kInvalidEncoding, "Versions without 4");
  }
  if (OffersVersion(versions, '1') || OffersVersion(versions, '2')) {
    return MakeError(ErrorCode::kInvalidEncoding, "Versions with 1 or 2");
  }
  return Status::Ok();
}

// H of sym_h, checked against the profile's.
Status CheckOwnKey(const crypto::Backend& backend, const crypto::SecretBytes& sym_h,
                   const ClientProfile& profile) {
  if (sym_h.size() != crypto::kEd448SeedSize) {
    return MakeError(ErrorCode::kInvalidKey, "sym_h is 57 bytes");
  }
  OTR_ASSIGN_OR_RETURN(Bytes h, backend.Ed448DerivePublicKey(sym_h));
  if (!std::equal(h.begin(), h.end(), profile.public_key.begin(), profile.public_key.end())) {
    return MakeError(ErrorCode::kInvalidKey, "sym_h is not the key of the profile's H");
  }
  return Status::Ok();
}

bool AllZero(ByteView bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace

bool OffersVersion(std::string_view versions, char version) {
  return versions.find(version) != std::string_view::npos;
}

Status SignClientProfile(const crypto::Backend& backend, const crypto::SecretBytes& sym_h,
                         ClientProfile& profile) {
  OTR_RETURN_IF_ERROR(CheckOwnKey(backend, sym_h, profile));
  OTR_ASSIGN_OR_RETURN(Bytes signature,
                       backend.Ed448Sign(sym_h, ClientProfileSignedBytes(profile)));
  if (signature.size() != profile.signature.size()) {
    return MakeError(ErrorCode::kBackendFailure, "Ed448Sign: not 114 bytes");
  }
  std::copy(signature.begin(), signature.end(), profile.signature.begin());
  return Status::Ok();
}

Status SignTransitional(const crypto::Backend& backend, const crypto::DsaPrivateKey& dsa_key,
                        ClientProfile& profile, crypto::Random& random) {
  OTR_ASSIGN_OR_RETURN(
      Bytes signature,
      backend.DsaSign(dsa_key, ClientProfileTransitionalSignedBytes(profile), random));
  if (signature.size() != kTransitionalSignatureSize) {
    return MakeError(ErrorCode::kBackendFailure, "DsaSign: not 40 bytes");
  }
  TransitionalSignature out;
  std::copy(signature.begin(), signature.end(), out.begin());
  profile.transitional_signature = out;
  return Status::Ok();
}

Result<ClientProfile> CreateClientProfile(const crypto::Backend& backend,
                                          const crypto::SecretBytes& sym_h,
                                          const ClientProfileParams& params,
                                          crypto::Random& random) {
  if (sym_h.size() != crypto::kEd448SeedSize) {
    return MakeError(ErrorCode::kInvalidKey, "sym_h is 57 bytes");
  }
  if (params.owner_instance_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "owner instance tag below 0x100");
  }
  OTR_RETURN_IF_ERROR(CheckVersions(params.versions));
  // "Then, assemble": instance tag, H, F, Versions, Expiration, [DSA key].
  ClientProfile profile;
  profile.owner_instance_tag = params.owner_instance_tag;
  OTR_ASSIGN_OR_RETURN(Bytes h, backend.Ed448DerivePublicKey(sym_h));
  if (h.size() != profile.public_key.size()) {
    return MakeError(ErrorCode::kBackendFailure, "Ed448DerivePublicKey: not 57 bytes");
  }
  std::copy(h.begin(), h.end(), profile.public_key.begin());
  profile.forging_key = backend.Ed448Encode(params.forging_key);
  profile.versions = params.versions;
  profile.expiration = params.expiration;
  if (params.dsa_key != nullptr) {
    if (params.publish_dsa_key) profile.dsa_public_key = params.dsa_key->pub;
    // "Sign m with the user's OTRv3 DSA key" first, then "Sign m ||
    // Transitional Signature with the symmetric key".
    OTR_RETURN_IF_ERROR(SignTransitional(backend, *params.dsa_key, profile, random));
  }
  OTR_RETURN_IF_ERROR(SignClientProfile(backend, sym_h, profile));
  return profile;
}

Result<ClientProfile> RenewClientProfile(const crypto::Backend& backend,
                                         const crypto::SecretBytes& sym_h,
                                         const ClientProfile& profile, int64_t new_expiration,
                                         const crypto::DsaPrivateKey* dsa_key,
                                         crypto::Random& random) {
  ClientProfile renewed = profile;
  renewed.expiration = new_expiration;
  if (renewed.transitional_signature) {
    if (dsa_key == nullptr) {
      return MakeError(ErrorCode::kInvalidKey,
                       "renewing a profile with a Transitional Signature needs the DSA key");
    }
    OTR_RETURN_IF_ERROR(SignTransitional(backend, *dsa_key, renewed, random));
  }
  OTR_RETURN_IF_ERROR(SignClientProfile(backend, sym_h, renewed));
  return renewed;
}

namespace {

// RFC 8032 verification of the profile under H, which the caller decoded
// and validated.
Status VerifyWithDecodedKey(const crypto::Backend& backend, const ClientProfile& profile) {
  return backend.Ed448Verify(profile.public_key, ClientProfileSignedBytes(profile),
                             profile.signature);
}

}  // namespace

Status VerifyClientProfileSignature(const crypto::Backend& backend, const ClientProfile& profile) {
  // "Decode the public key H as a point H_1. If any of the decodings fail
  // ..., the signature is invalid." Decoded here, with the full validation
  // of "Verifying that a point is on the curve", before the backend's
  // verification sees H: libgcrypt 1.10 aborts the process ("mulm_448:
  // different sizes") when asked to verify under the identity point.
  OTR_RETURN_IF_ERROR(backend.Ed448Decode(profile.public_key));
  return VerifyWithDecodedKey(backend, profile);
}

ProfileStatus ValidateClientProfile(const crypto::Backend& backend, const ClientProfile& profile,
                                    wire::InstanceTag sender_instance_tag, int64_t now,
                                    int64_t extra_validity) {
  ClientProfileKeys unused;
  return ValidateClientProfile(backend, profile, sender_instance_tag, now, extra_validity, unused);
}

ProfileStatus ValidateClientProfile(const crypto::Backend& backend, const ClientProfile& profile,
                                    wire::InstanceTag sender_instance_tag, int64_t now,
                                    int64_t extra_validity, ClientProfileKeys& keys) {
  // 1. "Verify that the Client Profile Signature field is not empty."
  if (AllZero(profile.signature)) {
    return {ProfileError::kClientProfileSignatureEmpty, ErrorCode::kBadSignature};
  }
  // 2. "Verify that the Client Profile signature is valid." Verifying
  // decodes H first ("Verify a Client Profile Signature", step 1), so an H
  // that is not a valid point is reported here under rule 6, whose check it
  // is.
  // H is decoded once: "Verify a Client Profile Signature" step 1 is this
  // decoding (VerifyClientProfileSignature's), not repeated.
  Result<crypto::Ed448Point> h = backend.Ed448Decode(profile.public_key);
  if (!h.ok()) return {ProfileError::kClientProfileBadPublicKey, h.code()};
  if (Status s = VerifyWithDecodedKey(backend, profile); !s.ok()) {
    return {ProfileError::kClientProfileBadSignature, s.code()};
  }
  // 3. "Verify that the Client Profile owner's instance tag is equal to the
  // Sender Instance tag of the person that sent the DAKE message".
  if (profile.owner_instance_tag < wire::kMinInstanceTag) {
    return {ProfileError::kClientProfileBadInstanceTag, ErrorCode::kInvalidInstanceTag};
  }
  if (profile.owner_instance_tag != sender_instance_tag) {
    return {ProfileError::kClientProfileInstanceTagMismatch, ErrorCode::kUnknownInstance};
  }
  // 4. "Verify that the Client Profile has not expired."
  if (!IsUsableLocally(profile.expiration, now, extra_validity)) {
    return {ProfileError::kClientProfileExpired, ErrorCode::kOutOfRange};
  }
  // 5. "Verify that the Versions field contains the character 4."
  if (!OffersVersion(profile.versions, '4')) {
    return {ProfileError::kClientProfileVersionsWithout4, ErrorCode::kUnsupportedVersion};
  }
  // "Establishing Versions": "invalid version strings contain a 2 or a 1".
  if (OffersVersion(profile.versions, '1') || OffersVersion(profile.versions, '2')) {
    return {ProfileError::kClientProfileVersionsWith1Or2, ErrorCode::kUnsupportedVersion};
  }
  // 6. "Validate that Ed448 Public Key is on the curve Ed448-Goldilocks":
  // done with step 2, which needs H decoded.
  // 7. "Validate that Ed448 Public Forging Key is on the curve".
  Result<crypto::Ed448Point> f = backend.Ed448Decode(profile.forging_key);
  if (!f.ok()) return {ProfileError::kClientProfileBadForgingKey, f.code()};
  // 8. "If the Transitional Signature and OTRv3 DSA key are present, verify
  // their validity using the OTRv3 DSA key."
  if (profile.dsa_public_key) {
    if (!profile.transitional_signature) {
      return {ProfileError::kClientProfileTransitionalSignatureMissing, ErrorCode::kBadSignature};
    }
    if (Status s = backend.DsaVerify(*profile.dsa_public_key,
                                     ClientProfileTransitionalSignedBytes(profile),
                                     *profile.transitional_signature);
        !s.ok()) {
      return {ProfileError::kClientProfileBadTransitionalSignature, s.code()};
    }
  }
  keys.h = *std::move(h);
  keys.f = *std::move(f);
  return ProfileStatus::Ok();
}

}  // namespace otr::v4::profile

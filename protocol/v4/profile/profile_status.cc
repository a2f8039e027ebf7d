#include "protocol/v4/profile/profile_status.h"

namespace otr::v4::profile {

std::string_view ProfileErrorName(ProfileError e) {
  switch (e) {
    case ProfileError::kClientProfileSignatureEmpty:
      return "Client Profile Signature is empty";
    case ProfileError::kClientProfileBadSignature:
      return "Client Profile Signature does not verify";
    case ProfileError::kClientProfileBadInstanceTag:
      return "Client Profile owner instance tag below 0x100";
    case ProfileError::kClientProfileInstanceTagMismatch:
      return "Client Profile owner instance tag is not the sender's";
    case ProfileError::kClientProfileExpired:
      return "Client Profile has expired";
    case ProfileError::kClientProfileVersionsWithout4:
      return "Client Profile Versions do not contain 4";
    case ProfileError::kClientProfileVersionsWith1Or2:
      return "Client Profile Versions contain 1 or 2";
    case ProfileError::kClientProfileBadPublicKey:
      return "Client Profile Ed448 public key is not a valid point";
    case ProfileError::kClientProfileBadForgingKey:
      return "Client Profile Ed448 forging key is not a valid point";
    case ProfileError::kClientProfileTransitionalSignatureMissing:
      return "Client Profile has a DSA key but no Transitional Signature";
    case ProfileError::kClientProfileBadTransitionalSignature:
      return "Client Profile Transitional Signature does not verify";
    case ProfileError::kPrekeyProfileBadSignature:
      return "Prekey Profile Signature does not verify";
    case ProfileError::kPrekeyProfileBadInstanceTag:
      return "Prekey Profile owner instance tag below 0x100";
    case ProfileError::kPrekeyProfileInstanceTagMismatch:
      return "Prekey Profile owner instance tag is not the sender's";
    case ProfileError::kPrekeyProfileExpired:
      return "Prekey Profile has expired";
    case ProfileError::kPrekeyProfileBadSharedPrekey:
      return "Prekey Profile shared prekey is not a valid point";
    case ProfileError::kEnsembleInstanceTagsDiffer:
      return "Prekey Ensemble values carry different instance tags";
    case ProfileError::kPrekeyMessageBadEcdhKey:
      return "Prekey Message ECDH key Y is not a valid point";
    case ProfileError::kPrekeyMessageBadDhKey:
      return "Prekey Message DH key B is not in the 3072-bit group";
    case ProfileError::kClientProfileVersionNotSupported:
      return "Client Profile offers no version the receiver supports";
  }
  return "unknown profile error";
}

}  // namespace otr::v4::profile

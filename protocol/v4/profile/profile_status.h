// The typed outcome of validating a Client Profile, a Prekey Profile or a
// Prekey Ensemble: which rule of the spec failed, and the underlying error
// code (e.g. kNotOnCurve for a point that does not decode). One value per
// rule of otrv4.md "Validating a Client Profile", "Validating a Prekey
// Profile" and "Validating Prekey Ensembles", in the spec's order.
#ifndef OTR_PROTOCOL_V4_PROFILE_PROFILE_STATUS_H_
#define OTR_PROTOCOL_V4_PROFILE_PROFILE_STATUS_H_

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace otr::v4::profile {

enum class ProfileError : uint8_t {
  // "Validating a Client Profile"
  kClientProfileSignatureEmpty,       // 1. "Client Profile Signature field is not empty"
  kClientProfileBadSignature,         // 2. "the Client Profile signature is valid"
  kClientProfileBadInstanceTag,       // 3. an owner tag below 0x100 ("Instance Tags")
  kClientProfileInstanceTagMismatch,  // 3. "owner's instance tag is equal to the Sender Instance
                                      // tag"
  kClientProfileExpired,              // 4. "has not expired"
  kClientProfileVersionsWithout4,     // 5. "Versions field contains the character 4"
  kClientProfileVersionsWith1Or2,  // "Establishing Versions": "invalid version strings contain a 2
                                   // or a 1"
  kClientProfileBadPublicKey,      // 6. "Ed448 Public Key is on the curve"
  kClientProfileBadForgingKey,     // 7. "Ed448 Public Forging Key is on the curve"
  kClientProfileTransitionalSignatureMissing,  // "Creating a Client Profile": a DSA key makes it
                                               // mandatory
  kClientProfileBadTransitionalSignature,      // 8. transitional signature valid under the DSA key
  // "Validating a Prekey Profile"
  kPrekeyProfileBadSignature,         // 1. signature valid (under the Client Profile's H)
  kPrekeyProfileBadInstanceTag,       // an owner tag below 0x100
  kPrekeyProfileInstanceTagMismatch,  // 2. (and 4.) owner tag equal to the sender's
  kPrekeyProfileExpired,              // 3. "has not expired"
  kPrekeyProfileBadSharedPrekey,      // 5. "Public Shared Prekey is on the curve"
  // "Validating Prekey Ensembles" (and "Prekey Message", "To verify")
  kEnsembleInstanceTagsDiffer,        // 1. "all the instance tags ... are the same"
  kPrekeyMessageBadEcdhKey,           // 5. "ECDH public key Y is on curve Ed448"
  kPrekeyMessageBadDhKey,             // 5. "DH public key B is from the correct group"
  kClientProfileVersionNotSupported,  // 7. "Client Profile's version is supported by the receiver"
};

std::string_view ProfileErrorName(ProfileError e);

class [[nodiscard]] ProfileStatus {
 public:
  ProfileStatus() = default;  // valid
  ProfileStatus(ProfileError error, ErrorCode cause)
      : failed_(true), error_(error), cause_(cause) {}
  static ProfileStatus Ok() { return ProfileStatus(); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  // The rule that failed (only when !ok()).
  ProfileError error() const { return error_; }
  // What was wrong underneath (kBadSignature, kNotOnCurve, ...).
  ErrorCode cause() const { return cause_; }
  // As a Status: the cause, with the rule's name as context.
  Status ToStatus() const {
    if (ok()) return Status::Ok();
    return MakeError(cause_, ProfileErrorName(error_));
  }

 private:
  bool failed_ = false;
  ProfileError error_{};
  ErrorCode cause_{};
};

}  // namespace otr::v4::profile

// Returns the ProfileStatus of `expr` when it is not ok.
#define OTR_RETURN_IF_PROFILE_ERROR(expr)          \
  do {                                             \
    ::otr::v4::profile::ProfileStatus s_ = (expr); \
    if (!s_.ok()) return s_;                       \
  } while (0)

#endif  // OTR_PROTOCOL_V4_PROFILE_PROFILE_STATUS_H_

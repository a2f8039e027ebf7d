// The typed outcome of validating a DAKE message (otrv4.md, "Identity
// Message", "Auth-R Message", "Auth-I Message": the "To verify" lists):
// which check failed, the underlying error code, and for a Client Profile
// the rule of "Validating a Client Profile" that failed.
#ifndef OTR_PROTOCOL_V4_DAKE_DAKE_ERROR_H_
#define OTR_PROTOCOL_V4_DAKE_DAKE_ERROR_H_

#include <cassert>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>

#include "base/result.h"
#include "protocol/v4/profile/profile_status.h"

namespace otr::v4::dake {

// One value per check of the spec's "To verify" lists, in their order.
enum class DakeCheck : uint8_t {
  kSenderInstanceTag,    // "Instance Tags": a sender tag is at least 0x100
  kReceiverInstanceTag,  // "Check that the receiver's instance tag matches your sender's"
  kClientProfile,        // "Validate the Client Profile" (profile_error says which rule)
  kEcdhKey,              // "Verify that the point Y (X) received is on curve Ed448"
  kDhKey,                // "Verify that the DH public key B (A) is from the correct group"
  kEcdhFirst,            // "... the point our_ecdh_first.public received is on curve Ed448"
  kDhFirst,              // "... the DH public key our_dh_first.public is from the correct group"
  kRingSignature,        // "Verify the sigma ...: RVrf(...)"
  kSharedSecret,         // "Generating Shared Secrets": K_ecdh all-zero, or a backend failure
  // The non-interactive DAKE (xzdh.h), beyond the checks above:
  kPrekeyEnsemble,           // "Validating Prekey Ensembles" (profile_error says which rule)
  kPrekeyMessageIdentifier,  // "does not correspond to any Prekey message on local storage"
  kOurProfiles,              // "If there is no Client Profile / Prekey Profile ... Aborts the DAKE"
  kAuthMac,                  // "verifies that it is equal to the one just calculated"
};

std::string_view DakeCheckName(DakeCheck check);

struct DakeError {
  DakeCheck check;
  ErrorCode cause;                                     // kNotOnCurve, kBadSignature, ...
  std::optional<profile::ProfileError> profile_error;  // kClientProfile, kPrekeyEnsemble
  // As a Status: the cause, with the check's name as context.
  Status ToStatus() const { return MakeError(cause, DakeCheckName(check)); }
  friend bool operator==(const DakeError&, const DakeError&) = default;
};

// A value or the DakeError that refused it.
template <typename T>
class [[nodiscard]] Checked {
 public:
  Checked(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Checked(DakeError error) : state_(error) {}     // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  DakeError error() const {
    assert(!ok());
    return std::get<DakeError>(state_);
  }
  Status ToStatus() const { return ok() ? Status::Ok() : error().ToStatus(); }

 private:
  std::variant<T, DakeError> state_;
};

}  // namespace otr::v4::dake

#endif  // OTR_PROTOCOL_V4_DAKE_DAKE_ERROR_H_

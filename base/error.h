// Error codes: every failure in the project is one of these values.
// See docs/decisions/0002-result-type.md.
#ifndef OTR_BASE_ERROR_H_
#define OTR_BASE_ERROR_H_

#include <string_view>

namespace otr {

enum class ErrorCode {
  // Decoding (protocol/wire and below).
  kTruncated,           // fewer bytes than the encoding requires
  kTrailingBytes,       // bytes left after a complete value
  kTooLarge,            // a length or count above its documented maximum
  kNonCanonical,        // a value with more than one encoding, not the minimal
  kInvalidEncoding,     // malformed text or bytes (bad base64, bad hex, ...)
  kUnknownType,         // unknown message or record type
  kUnsupportedVersion,  // a protocol version we parse but never speak (v1)
  kInvalidInstanceTag,  // an instance tag in 1..0xff
  // Cryptography.
  kOutOfRange,       // a number outside its group or field (e.g. not in [2, p-2])
  kNotOnCurve,       // a point encoding that is not on Ed448
  kNotInSubgroup,    // a point outside the prime-order subgroup
  kIdentityPoint,    // the neutral element where it is forbidden
  kBadSignature,     // a signature that does not verify
  kBadMac,           // an authenticator that does not verify
  kBadProof,         // a zero-knowledge proof (SMP) that does not verify
  kUnknownKeyId,     // a Data Message naming D-H keys we do not hold
  kReplayedCounter,  // a Data Message counter not above the last one seen
  kInvalidKey,       // a key of the wrong size or shape
  kUnknownBackend,   // no crypto backend of that name
  kBackendFailure,   // the underlying library reported an error
  // Sessions.
  kUnknownInstance,  // a message addressed to an instance we do not have
  kBadState,         // an action not allowed in the current state
  kInvalidPolicy,    // a policy combination that cannot work (Policy::Validate)
};

std::string_view ErrorCodeName(ErrorCode code);

// An error: a code saying what was wrong and a static description of where.
struct Error {
  ErrorCode code;
  std::string_view context;  // always a string literal; never key material

  friend bool operator==(const Error& a, const Error& b) { return a.code == b.code; }
};

}  // namespace otr

#endif  // OTR_BASE_ERROR_H_

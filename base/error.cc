#include "base/error.h"

namespace otr {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kTruncated:
      return "kTruncated";
    case ErrorCode::kTrailingBytes:
      return "kTrailingBytes";
    case ErrorCode::kTooLarge:
      return "kTooLarge";
    case ErrorCode::kNonCanonical:
      return "kNonCanonical";
    case ErrorCode::kInvalidEncoding:
      return "kInvalidEncoding";
    case ErrorCode::kUnknownType:
      return "kUnknownType";
    case ErrorCode::kUnsupportedVersion:
      return "kUnsupportedVersion";
    case ErrorCode::kInvalidInstanceTag:
      return "kInvalidInstanceTag";
    case ErrorCode::kOutOfRange:
      return "kOutOfRange";
    case ErrorCode::kNotOnCurve:
      return "kNotOnCurve";
    case ErrorCode::kNotInSubgroup:
      return "kNotInSubgroup";
    case ErrorCode::kIdentityPoint:
      return "kIdentityPoint";
    case ErrorCode::kBadSignature:
      return "kBadSignature";
    case ErrorCode::kBadMac:
      return "kBadMac";
    case ErrorCode::kBadProof:
      return "kBadProof";
    case ErrorCode::kUnknownKeyId:
      return "kUnknownKeyId";
    case ErrorCode::kReplayedCounter:
      return "kReplayedCounter";
    case ErrorCode::kInvalidKey:
      return "kInvalidKey";
    case ErrorCode::kUnknownBackend:
      return "kUnknownBackend";
    case ErrorCode::kBackendFailure:
      return "kBackendFailure";
    case ErrorCode::kUnknownInstance:
      return "kUnknownInstance";
    case ErrorCode::kBadState:
      return "kBadState";
    case ErrorCode::kInvalidPolicy:
      return "kInvalidPolicy";
  }
  return "kUnknownError";
}

}  // namespace otr

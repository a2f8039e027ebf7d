#include "protocol/api/output.h"

namespace otr {

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kWentSecure:
      return "kWentSecure";
    case EventType::kWentInsecure:
      return "kWentInsecure";
    case EventType::kPeerEnded:
      return "kPeerEnded";
    case EventType::kNewFingerprint:
      return "kNewFingerprint";
    case EventType::kUnencryptedReceived:
      return "kUnencryptedReceived";
    case EventType::kEncryptionRequired:
      return "kEncryptionRequired";
    case EventType::kCannotSend:
      return "kCannotSend";
    case EventType::kStoredMessageSent:
      return "kStoredMessageSent";
    case EventType::kUndecryptable:
      return "kUndecryptable";
    case EventType::kErrorReceived:
      return "kErrorReceived";
    case EventType::kV1Refused:
      return "kV1Refused";
    case EventType::kSmpAskSecret:
      return "kSmpAskSecret";
    case EventType::kSmpSucceeded:
      return "kSmpSucceeded";
    case EventType::kSmpFailed:
      return "kSmpFailed";
    case EventType::kSmpAborted:
      return "kSmpAborted";
    case EventType::kSmpCheated:
      return "kSmpCheated";
    case EventType::kExtraSymmetricKey:
      return "kExtraSymmetricKey";
    case EventType::kMalformedMessage:
      return "kMalformedMessage";
    case EventType::kOtherInstance:
      return "kOtherInstance";
    case EventType::kReflected:
      return "kReflected";
    case EventType::kActionFailed:
      return "kActionFailed";
    case EventType::kHeldMessagePending:
      return "kHeldMessagePending";
    case EventType::kHeldMessageExpired:
      return "kHeldMessageExpired";
    case EventType::kInstanceRefused:
      return "kInstanceRefused";
    case EventType::kUnsupportedVersion:
      return "kUnsupportedVersion";
  }
  return "kUnknownEvent";
}

}  // namespace otr

// What a session returns for each input: transport messages to send, text to
// display, and typed events. Version-independent (v2/v3 now, v4 later).
#ifndef OTR_PROTOCOL_API_OUTPUT_H_
#define OTR_PROTOCOL_API_OUTPUT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "crypto/secret_bytes.h"
#include "protocol/wire/instance_tag.h"

namespace otr {

enum class EventType {
  kWentSecure,           // the AKE completed: messages are now encrypted
  kWentInsecure,         // we ended the conversation: back to plaintext
  kPeerEnded,            // the peer ended: messages cannot be sent (FINISHED)
  kNewFingerprint,       // the peer's fingerprint was not known before
  kUnencryptedReceived,  // a plaintext arrived while encryption is expected
  kEncryptionRequired,   // our message was held back; OTR is being started
  kCannotSend,           // FINISHED: our message was held back
  kStoredMessageSent,    // a held-back or unreadable message was sent after the AKE (text)
  kUndecryptable,        // an encrypted message could not be read
  kErrorReceived,        // the peer sent an OTR Error Message (text)
  kV1Refused,            // a version 1 message arrived; v1 is never spoken
  kSmpAskSecret,         // the peer started SMP (text = question, if any)
  kSmpSucceeded,         // SMP completed: the secrets are equal
  kSmpFailed,            // SMP completed: the secrets differ
  kSmpAborted,           // SMP was aborted
  kSmpCheated,           // a proof of the peer did not verify; SMP aborted
  kExtraSymmetricKey,    // the peer (or we) derived the extra symmetric key
  kMalformedMessage,     // an OTR message that could not be parsed was ignored
  kOtherInstance,        // a message for another instance of us was ignored
  kReflected,            // a message claiming our own instance tag as sender was ignored
  kActionFailed,         // a table row failed (a backend failure) and changed nothing (text)
  kHeldMessagePending,   // secure, but the held message waits: call SendHeldMessage to send it
  kHeldMessageExpired,   // the held message was dropped unsent (too old)
  kInstanceRefused,      // a new peer instance was refused (too many instances)
  kUnsupportedVersion,   // an OTR message of a version we do not speak was ignored (text)
};

// How the application's fingerprint store rates the peer's long-term key
// (libotr's fingerprints file: a trust string, or none).
enum class Trust { kNew, kUntrusted, kTrusted };

struct Event {
  Event() = default;
  explicit Event(EventType t, wire::InstanceTag i = wire::kNoInstanceTag) : type(t), instance(i) {}

  EventType type = EventType::kMalformedMessage;
  wire::InstanceTag instance = wire::kNoInstanceTag;  // the peer instance it concerns
  std::string text;           // question, error text, fingerprint (human form)
  Trust trust = Trust::kNew;  // kWentSecure: what the store says of the peer key
  uint32_t use = 0;           // kExtraSymmetricKey: the 4-byte use field
  Bytes use_data;             // kExtraSymmetricKey: use-specific data
  crypto::SecretBytes key;    // kExtraSymmetricKey: the 256-bit key
  bool has_question = false;  // kSmpAskSecret: the peer asked a question (in text)
  // kSmpSucceeded: whether this result authenticates the peer, so the
  // application may mark the fingerprint verified. Only the side that chose
  // the question (the asker), or either side of an SMP without a question,
  // gains trust: anyone in the middle can ask a question the user answers.
  bool authenticates_peer = false;
};

// "kWentSecure" etc.: the enumerator's name, for logs and line protocols.
std::string_view EventTypeName(EventType type);

struct Displayed {
  std::string text;
  bool encrypted = false;  // false: the user must be told it was unencrypted
  wire::InstanceTag instance = wire::kNoInstanceTag;
};

struct Output {
  std::vector<std::string> to_send;  // transport messages, already fragmented
  std::vector<Displayed> display;
  std::vector<Event> events;

  bool HasEvent(EventType type) const {
    for (const Event& e : events) {
      if (e.type == type) return true;
    }
    return false;
  }
};

// The time source sessions use (heartbeats, stored-message freshness).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint64_t NowSeconds() = 0;
};

}  // namespace otr

#endif  // OTR_PROTOCOL_API_OUTPUT_H_

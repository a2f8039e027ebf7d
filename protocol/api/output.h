// What a session returns for each input: transport messages to send, text to
// display, and typed events. Version-independent (v2/v3 now, v4 later).
#ifndef OTR_PROTOCOL_API_OUTPUT_H_
#define OTR_PROTOCOL_API_OUTPUT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "crypto/secret_bytes.h"
#include "protocol/wire/instance_tag.h"

namespace otr {

// How the application's fingerprint store rates the peer's long-term key
// (libotr's fingerprints file: a trust string, or none).
enum class Trust { kNew, kUntrusted, kTrusted };

// One struct per kind of event (decision 0008). None carries key material
// except ExtraSymmetricKey, whose key the application asked for, typed as a
// secret.
namespace events {

struct WentSecure {           // the AKE completed: messages are now encrypted
  std::string fingerprint;    // the peer's, in human form
  Trust trust = Trust::kNew;  // what the store says of the peer key
  // "libotr-ng" when the v4 compatibility profile is speaking
  // (Policy::v4_variant, decision 0025); empty for the specification.
  std::string compatibility = std::string();
};
struct WentInsecure {};     // we ended the conversation: back to plaintext
struct PeerEnded {};        // the peer ended: messages cannot be sent (FINISHED)
struct NewFingerprint {     // the peer's fingerprint was not known before
  std::string fingerprint;  // human form
};
struct UnencryptedReceived {};  // a plaintext arrived while encryption is expected
struct EncryptionRequired {};   // our message was held back; OTR is being started
struct CannotSend {};           // FINISHED (or OTR off and encryption required): not sent
struct StoredMessageSent {      // a held or unreadable message was sent after the AKE
  std::string text;             // what the user had typed
};
struct Undecryptable {};  // an encrypted message could not be read
struct ErrorReceived {    // the peer sent an OTR Error Message
  std::string text;       // as received: escape before showing it
};
struct V1Refused {};                    // a version 1 message arrived; v1 is never spoken
struct SmpAskSecret {                   // the peer started SMP
  std::optional<std::string> question;  // as received: escape before showing it
};
struct SmpSucceeded {  // SMP completed: the secrets are equal
  // Whether this result authenticates the peer, so the application may mark
  // the fingerprint verified. Only the side that chose the question (the
  // asker), or either side of an SMP without a question, gains trust:
  // anyone in the middle can ask a question the user answers.
  bool authenticates_peer = false;
};
struct SmpFailed {};        // SMP completed: the secrets differ
struct SmpAborted {};       // SMP was aborted
struct SmpCheated {};       // a proof of the peer did not verify; SMP aborted
struct ExtraSymmetricKey {  // the peer (or we) derived the extra symmetric key
  uint32_t use = 0;         // the 4-byte use field
  Bytes use_data;           // use-specific data
  crypto::SecretBytes key;  // the 256-bit key (v4: 512-bit)
  // v4: the TLV 7's position in its Data Message's TLV list (from 0); the
  // first TLV 7 of a message gets the message's key, each further one the
  // next chained key (protocol/v4/ratchet/README.md). v2/v3: 0.
  uint32_t index = 0;
};
struct MalformedMessage {  // an OTR message that could not be parsed was ignored
  // What it was, when recognised (empty: damaged or unknown). A spec-exact v4
  // session names libotr-ng's variant here (protocol/v4/libotr_ng).
  std::string detail;
};
struct OtherInstance {};  // a message for another instance of us was ignored
struct Reflected {};      // a message claiming our own instance tag as sender was ignored
struct ActionFailed {     // a table row failed (a backend failure) and changed nothing
  std::string what;       // the action and the error's context; no key material
};
struct HeldMessagePending {};  // secure, but the held message waits: SendHeldMessage sends it
struct HeldMessageExpired {};  // the held message was dropped unsent (too old)
struct InstanceRefused {};     // a new peer instance was refused (too many instances)
struct UnsupportedVersion {    // an OTR message of a version we do not speak was ignored
  int version = 0;
};
// A v2/v3 conversation went secure although we allow v4 (otrv4.md
// "Requesting Conversation with Older OTR Versions"). Queries and
// whitespace tags are not authenticated, so this is either a peer that
// speaks only v3 or a network that removed "4" from a query or tag
// (docs/decisions/0011-v4-version-rollback.md). Never silent.
struct FellBackToV3 {
  int version = 3;              // the version that was set up (2 or 3)
  bool peer_showed_v4 = false;  // this peer offered or spoke v4 before: a rollback
};
// An offline start (otrv4.md "Offline Conversation Initialization") was
// refused: a Prekey Ensemble that does not validate, none left to use, a
// Non-Interactive-Auth message that does not validate (e.g. its prekey
// message was used already), or the interactive-only mode. Nothing was sent.
struct OfflineRefused {
  std::string what;  // the check that failed; no key material
};

}  // namespace events

// The kind of an event: the index of its struct in Event::Body, in the
// same order.
enum class EventType {
  kWentSecure,
  kWentInsecure,
  kPeerEnded,
  kNewFingerprint,
  kUnencryptedReceived,
  kEncryptionRequired,
  kCannotSend,
  kStoredMessageSent,
  kUndecryptable,
  kErrorReceived,
  kV1Refused,
  kSmpAskSecret,
  kSmpSucceeded,
  kSmpFailed,
  kSmpAborted,
  kSmpCheated,
  kExtraSymmetricKey,
  kMalformedMessage,
  kOtherInstance,
  kReflected,
  kActionFailed,
  kHeldMessagePending,
  kHeldMessageExpired,
  kInstanceRefused,
  kUnsupportedVersion,
  kFellBackToV3,
  kOfflineRefused,
  kCount,
};

struct Event {
  using Body =
      std::variant<events::WentSecure, events::WentInsecure, events::PeerEnded,
                   events::NewFingerprint, events::UnencryptedReceived, events::EncryptionRequired,
                   events::CannotSend, events::StoredMessageSent, events::Undecryptable,
                   events::ErrorReceived, events::V1Refused, events::SmpAskSecret,
                   events::SmpSucceeded, events::SmpFailed, events::SmpAborted, events::SmpCheated,
                   events::ExtraSymmetricKey, events::MalformedMessage, events::OtherInstance,
                   events::Reflected, events::ActionFailed, events::HeldMessagePending,
                   events::HeldMessageExpired, events::InstanceRefused, events::UnsupportedVersion,
                   events::FellBackToV3, events::OfflineRefused>;

  template <typename T>
  explicit Event(T body, wire::InstanceTag peer_instance = wire::kNoInstanceTag)
      : instance(peer_instance), kind(std::move(body)) {}

  // An event of `type` with its fields defaulted (for listing every kind).
  static Event OfType(EventType type, wire::InstanceTag peer_instance = wire::kNoInstanceTag);

  EventType type() const { return static_cast<EventType>(kind.index()); }
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&kind);
  }
  template <typename T>
  T* As() {
    return std::get_if<T>(&kind);
  }

  wire::InstanceTag instance = wire::kNoInstanceTag;  // the peer instance it concerns
  Body kind;
};
static_assert(std::variant_size_v<Event::Body> == static_cast<size_t>(EventType::kCount),
              "EventType lists Event::Body's alternatives in order");

// "kWentSecure" etc.: the enumerator's name, for logs and line protocols.
std::string_view EventTypeName(EventType type);
// The text an event carries, if any: a fingerprint, an SMP question, the
// peer's error text, what failed. Text from the peer is as received.
std::string EventText(const Event& event);

struct Displayed {
  std::string text;
  bool encrypted = false;  // false: the user must be told it was unencrypted
  wire::InstanceTag instance = wire::kNoInstanceTag;
};

// A message for a prekey server (otr-v4-prekey-server.md; issue 18,
// docs/decisions/0016), not for the peer: the application sends `text` as
// it is to `server` (the Prekey Server Identity, for XMPP its JID), and
// hands what the server answers to the object that asked
// (Session::ReceiveFromPrekeyServer, OfflineMaintenance::Receive).
struct PrekeyServerMessage {
  std::string server;
  std::string text;  // already fragmented if configured
};

struct Output {
  std::vector<std::string> to_send;  // transport messages, already fragmented
  std::vector<Displayed> display;
  std::vector<Event> events;
  // The separate channel to the prekey server (never to the peer).
  std::vector<PrekeyServerMessage> to_prekey_server;

  bool HasEvent(EventType type) const {
    for (const Event& e : events) {
      if (e.type() == type) return true;
    }
    return false;
  }
  // The first event of kind T, or nullptr.
  template <typename T>
  const T* Find() const {
    for (const Event& e : events) {
      if (const T* found = e.As<T>()) return found;
    }
    return nullptr;
  }
};

// Moves everything in `from` to the end of `to`. A list `to` does not have
// yet is taken whole: no allocation for the usual one row's output
// (issue 20).
void Append(Output& to, Output&& from);

}  // namespace otr

#endif  // OTR_PROTOCOL_API_OUTPUT_H_

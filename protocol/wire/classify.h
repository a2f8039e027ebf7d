// Classifies one inbound string into the kinds of OTR message (v3 spec
// "Details of the protocol", "Receiving Fragments"; v1 spec "Protocol
// messages"), decoding it into the typed form the engine dispatches on.
//
// Order, following the spec and libotr 4.1.1 (otrl_proto_message_type):
//   1. a message containing "?OTR|" or "?OTR," is a fragment ("you'll need
//      to check for this _before_ checking for any of the other '?OTR:'
//      markers"), decoded from the first marker ("?OTR|" first);
//   2. a message starting with "?OTR Error:" is an error message (v4 spec
//      "OTR Error Messages": only "at the start position of the message";
//      past the start it is text, for every version);
//   3. otherwise the first other "?OTR" decides: "?OTR:" an encoded message,
//      "?OTR?" or "?OTRv" a query, anything else an unknown OTR message;
//   4. without such a "?OTR", a message containing the whitespace base tag is
//      tagged plaintext, anything else plain text.
// Text before the marker that decides is not part of the decoded value.
//
// Version 4 (spoken only once a v4 decoder exists; kMaxKnownVersion is 3)
// comes out typed, with the version visible, never as malformed:
//   "?OTRv34?", a v4 whitespace tag -> QueryMessage / TaggedPlaintext whose
//       VersionSet holds 4 (Supported() drops it);
//   "?OTR:" with protocol version 0x0004 -> UnsupportedMessage{4, type,
//       "OTR v4 ... Message"};
//   "?OTR|id|sender|receiver,..." -> Fragment{version 4, identifier}, which
//       ReassemblerV4 (reassembler_v4.h) takes and the v2/v3 Reassembler
//       refuses with kUnsupportedVersion.
#ifndef OTR_PROTOCOL_WIRE_CLASSIFY_H_
#define OTR_PROTOCOL_WIRE_CLASSIFY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/wire/error_message.h"
#include "protocol/wire/fragment.h"
#include "protocol/wire/query.h"
#include "protocol/wire/whitespace_tag.h"

namespace otr::wire {

inline constexpr std::string_view kOtrMarker = "?OTR";

// A message with no OTR marker and no whitespace tag.
struct PlainText {
  std::string text;
  friend bool operator==(const PlainText&, const PlainText&) = default;
};

// "?OTR:" + base64 + "." of a version we speak (2 or 3): the header fields
// every binary message starts with (v3 spec "Encoded messages": protocol
// version SHORT, message type BYTE), and the whole binary message for the
// version's decoder.
struct EncodedMessage {
  uint16_t protocol_version = 0;
  uint8_t message_type = 0;
  Bytes message;  // header included
  friend bool operator==(const EncodedMessage&, const EncodedMessage&) = default;
};

// An encoded message of a version we parse but never speak: v1 Key Exchange
// ("?OTR:AAEK...", type 0x0a) and Data ("?OTR:AAED...", type 0x03), v4
// ("?OTR:AAQ...", described by its type: "OTR v4 Identity Message", ...), or
// any version other than 2 and 3. What a parse tool can say about it.
struct UnsupportedMessage {
  uint16_t protocol_version = 0;
  uint8_t message_type = 0;
  std::string_view description;  // e.g. "OTR v1 Key Exchange"; static text
  Bytes message;                 // header included
  Error error{ErrorCode::kUnsupportedVersion, "version we do not speak"};
  friend bool operator==(const UnsupportedMessage& a, const UnsupportedMessage& b) {
    return a.protocol_version == b.protocol_version && a.message_type == b.message_type &&
           a.message == b.message;
  }
};

// What kind of message a malformed one looked like.
enum class MessageKind { kFragment, kEncoded, kQuery, kError, kUnknownOtr };

// A message whose marker says what it is but which does not decode.
struct MalformedMessage {
  MessageKind kind;
  Error error;
  friend bool operator==(const MalformedMessage& a, const MalformedMessage& b) {
    return a.kind == b.kind && a.error.code == b.error.code;
  }
};

using InboundMessage = std::variant<PlainText, TaggedPlaintext, QueryMessage, ErrorMessage,
                                    EncodedMessage, UnsupportedMessage, Fragment, MalformedMessage>;

// Total: every string is one of the alternatives.
InboundMessage Classify(std::string_view text);

// The string Classify reads back as `message`. kInvalidEncoding for a
// MalformedMessage, for plain or tagged text holding an OTR marker (it would
// not classify as plain text), and wherever the type's own encoder fails.
Result<std::string> EncodeInbound(const InboundMessage& message);

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_CLASSIFY_H_

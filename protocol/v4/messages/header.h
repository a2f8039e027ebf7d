// The start of every encoded OTRv4 message (otrv4.md, "Identity Message",
// "Auth-R Message", ..., "Data Message Format"): Protocol version (SHORT,
// 0x0004), Message type (BYTE) and, except in the Prekey Message, the
// sender's and receiver's instance tags (INT each).
//
// Decode rules ("Instance Tags"): a sender tag below 0x100 and a receiver tag
// in 1..0xff are refused (kInvalidInstanceTag), since the spec says to
// discard such messages.
#ifndef OTR_PROTOCOL_V4_MESSAGES_HEADER_H_
#define OTR_PROTOCOL_V4_MESSAGES_HEADER_H_

#include <cstdint>

#include "base/result.h"
#include "protocol/wire/instance_tag.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v4 {

// The message types of the OTRv4 encoded messages.
enum class MessageType : uint8_t {
  kData = 0x03,                // "Data Message Format"
  kNonInteractiveAuth = 0x0D,  // "Non-Interactive-Auth Message"
  kPrekeyMessage = 0x0F,       // "Prekey Message"
  kIdentity = 0x35,            // "Identity Message"
  kAuthR = 0x36,               // "Auth-R Message"
  kAuthI = 0x37,               // "Auth-I Message"
};

struct Header {
  wire::InstanceTag sender_instance_tag = wire::kMinInstanceTag;
  wire::InstanceTag receiver_instance_tag = wire::kNoInstanceTag;
  friend bool operator==(const Header&, const Header&) = default;
};

// Protocol version and message type: kUnsupportedVersion unless the version is
// 0x0004, kUnknownType unless the type is `type`.
Status ReadVersionAndType(wire::Reader& reader, MessageType type);
void WriteVersionAndType(wire::Writer& writer, MessageType type);

// Version, type, then the instance tags under the decode rules above.
Result<Header> ReadHeader(wire::Reader& reader, MessageType type);
void WriteHeader(wire::Writer& writer, MessageType type, const Header& header);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_MESSAGES_HEADER_H_

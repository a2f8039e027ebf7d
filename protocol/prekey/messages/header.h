// What every message of the prekey-server protocol starts with, and the
// bounds its decoders enforce (otr-v4-prekey-server.md).
//
// Every message begins with "Protocol version (SHORT)" and "Message type
// (BYTE)". The spec asks the receiver to accept "0x0004 or a higher version
// of the protocol"; only version 4's layouts are defined, so the decoders
// read version 4 and refuse any other with kUnsupportedVersion.
//
// The message types (sections "DAKE-1 Message" .. "No Prekey Ensembles in
// Storage Message"). Note that DAKE-1/2/3 reuse the numbers of OTRv4's
// Identity, Auth-R and Auth-I messages: a prekey-server message is told apart
// by its transport (bare base64 and "." without the "?OTR:" prefix, section
// "Encoded Messages"), not by its type.
#ifndef OTR_PROTOCOL_PREKEY_MESSAGES_HEADER_H_
#define OTR_PROTOCOL_PREKEY_MESSAGES_HEADER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/result.h"
#include "protocol/wire/instance_tag.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::prekey {

inline constexpr uint16_t kProtocolVersion = 0x0004;

enum class MessageType : uint8_t {
  kFailure = 0x05,
  kSuccess = 0x06,
  kPrekeyPublication = 0x08,
  kStorageInformationRequest = 0x09,
  kStorageStatus = 0x0B,
  kNoPrekeyEnsemblesInStorage = 0x0E,
  kPrekeyEnsembleQueryRetrieval = 0x10,
  kPrekeyEnsembleRetrieval = 0x13,
  kDake1 = 0x35,
  kDake2 = 0x36,
  kDake3 = 0x37,
};

// The spec's name of a message type ("DAKE-1", ...); "unknown" otherwise.
std::string_view MessageTypeName(uint8_t type);

// Bounds on what a peer can grow. The spec sets none except N <= 255 (a
// BYTE); these keep a hostile length or count from directing allocations
// and are far above what a real server or client sends.
//
// A participant or server identity (DATA): an XMPP bare JID is at most
// 2047 bytes (RFC 7622: localpart and domainpart of at most 1023 each).
inline constexpr size_t kMaxIdentitySize = 4096;
// A versions string (DATA): one byte per version ("45").
inline constexpr size_t kMaxVersionsSize = 64;
// The human-readable part of "No Prekey Ensembles in Storage" (DATA).
inline constexpr size_t kMaxNoPrekeyTextSize = 4096;
// The message attached to DAKE-3 (DATA): a Prekey Publication of 255 Prekey
// Messages (each at most 2 + 1 + 4 + 4 + 57 + 4 + 384 = 456 bytes) and two
// profiles fits many times over; the same cap as an armoured OTR message
// (protocol/wire/armor.h).
inline constexpr size_t kMaxAttachedMessageSize = size_t{1} << 20;
// L, the number of Prekey Ensembles in a Prekey Ensemble Retrieval message
// (an INT on the wire, "must be greater than 0"): one ensemble per instance
// tag and version is what a server hands out; 255 is the most a Prekey
// Publication can store at once.
inline constexpr uint32_t kMaxEnsembles = 255;

namespace internal {

// Protocol version 4 then `type`. kUnsupportedVersion for another version,
// kUnknownType for another type.
Status ReadHeader(wire::Reader& reader, MessageType type);
void WriteHeader(wire::Writer& writer, MessageType type);

// "If a client receives a message with the sender instance tag set to less
// than 0x00000100, it should discard the message" (otrv4.md, "Instance
// Tags"); a receiver tag is 0 or at least 0x100.
Result<wire::InstanceTag> ReadSenderTag(wire::Reader& reader);
Result<wire::InstanceTag> ReadReceiverTag(wire::Reader& reader);

}  // namespace internal
}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_MESSAGES_HEADER_H_

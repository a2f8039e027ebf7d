// The Prekey Message (otrv4.md, "Prekey Message"): published to the prekey
// server, it carries two one-time prekeys, Y (ECDH, a POINT) and B (DH, an
// MPI of the 3072-bit group), under an identifier and its owner's instance
// tag. It has no receiver instance tag.
//
// Decode rules: version 0x0004, type 0x0F, owner instance tag >= 0x100, B a
// minimal MPI of at most 384 bytes. "Check that the ECDH public key Y is on
// curve Ed448" and "Verify that the DH public key B is from the correct
// group" are the layer above's (they need the crypto backend).
#ifndef OTR_PROTOCOL_V4_MESSAGES_PREKEY_MESSAGE_H_
#define OTR_PROTOCOL_V4_MESSAGES_PREKEY_MESSAGE_H_

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/header.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v4 {

struct PrekeyMessage {
  uint32_t identifier = 0;  // Prekey Message Identifier (INT)
  wire::InstanceTag owner_instance_tag = wire::kMinInstanceTag;
  Point y{};  // Y, the prekey owner's ECDH public key
  Mpi b;      // B, the prekey owner's DH public key (MPI value)
  friend bool operator==(const PrekeyMessage&, const PrekeyMessage&) = default;
};

Result<PrekeyMessage> ReadPrekeyMessage(wire::Reader& reader);
void WritePrekeyMessage(wire::Writer& writer, const PrekeyMessage& m);
// The whole input is one Prekey Message (kTrailingBytes otherwise).
Result<PrekeyMessage> DecodePrekeyMessage(ByteView bytes);
Bytes EncodePrekeyMessage(const PrekeyMessage& m);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_MESSAGES_PREKEY_MESSAGE_H_

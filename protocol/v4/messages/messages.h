// The encoded OTRv4 messages (otrv4.md): the interactive DAKE's Identity
// (0x35), Auth-R (0x36) and Auth-I (0x37); the non-interactive DAKE's Prekey
// Message (0x0F, prekey_message.h) and Non-Interactive-Auth (0x0D); the Data
// Message (0x03). Each is Protocol version 0x0004, Message type, then its
// fields in the spec's order.
//
// Decoding is total and exact: every input gives a message or a typed error,
// and a decoded message re-encodes to exactly its input. Decode rules (no
// session state, no crypto):
//   - the header's ("Instance Tags", header.h) and the profile's (profile.h);
//   - MPIs (A, B, the first DH keys, the Data Message's DH key) are minimal
//     and at most 384 bytes, a 3072-bit group element;
//   - the Data Message's revealed MAC keys are a whole number of 64-byte keys
//     ("a list of 64-byte concatenated values"); its encrypted message and
//     the revealed keys are at most 1 MiB each;
//   - no bytes after the last field.
// What needs the backend (points on the curve, DH values in the group,
// signatures, MACs) and what needs a session (the ratchet ids) is the layer
// above's.
#ifndef OTR_PROTOCOL_V4_MESSAGES_MESSAGES_H_
#define OTR_PROTOCOL_V4_MESSAGES_MESSAGES_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/header.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/messages/ring_sig.h"

namespace otr::v4 {

// "Identity Message".
struct IdentityMessage {
  Header header;
  ClientProfile client_profile;  // Sender's Client Profile (CLIENT-PROF)
  Point y{};                     // Y (POINT), the ephemeral public ECDH key
  Mpi b;                         // B (MPI), the ephemeral public DH key
  Point our_ecdh_first{};        // our_ecdh_first.public (POINT)
  Mpi our_dh_first;              // our_dh_first.public (MPI)
  friend bool operator==(const IdentityMessage&, const IdentityMessage&) = default;
};

// "Auth-R Message". The spec puts sigma before the first ratchet keys.
struct AuthR {
  Header header;
  ClientProfile client_profile;
  Point x{};  // X (POINT)
  Mpi a;      // A (MPI)
  RingSig sigma;
  Point our_ecdh_first{};
  Mpi our_dh_first;
  friend bool operator==(const AuthR&, const AuthR&) = default;
};

// "Auth-I Message".
struct AuthI {
  Header header;
  RingSig sigma;
  friend bool operator==(const AuthI&, const AuthI&) = default;
};

// "Non-Interactive-Auth Message".
struct NonInteractiveAuth {
  Header header;
  ClientProfile client_profile;
  Point x{};  // X (POINT)
  Mpi a;      // A (MPI)
  RingSig sigma;
  uint32_t prekey_message_identifier = 0;
  Mac auth_mac{};  // Auth MAC (MAC)
  Point our_ecdh_first{};
  Mpi our_dh_first;
  friend bool operator==(const NonInteractiveAuth&, const NonInteractiveAuth&) = default;
};

// "Data Message Format": flags.
inline constexpr uint8_t kFlagIgnoreUnreadable = 0x01;  // IGNORE_UNREADABLE

inline constexpr size_t kMacKeySize = 64;
using MacKey = std::array<uint8_t, kMacKeySize>;
inline constexpr size_t kMaxEncryptedMessageSize = 1 << 20;
inline constexpr size_t kMaxRevealedMacKeysSize = 1 << 20;

// "Data Message Format". There is no nonce field: "The 'nonce' used for this
// operation is set to 0" (libotr-ng sends one; docs/libotr-ng-deviations.md).
struct DataMessage {
  Header header;
  uint8_t flags = 0;                      // unknown bits are kept
  uint32_t previous_chain_length = 0;     // pn
  uint32_t ratchet_id = 0;                // i
  uint32_t message_id = 0;                // j
  Point ecdh{};                           // Public ECDH Key (POINT)
  Mpi dh;                                 // Public DH Key (MPI); empty: length zero
  Bytes encrypted_message;                // DATA
  Mac authenticator{};                    // MAC
  std::vector<MacKey> revealed_mac_keys;  // Old MAC keys to be revealed (DATA)
  friend bool operator==(const DataMessage&, const DataMessage&) = default;
};

using Message =
    std::variant<IdentityMessage, AuthR, AuthI, PrekeyMessage, NonInteractiveAuth, DataMessage>;

// Each message alone (the whole input; the header's type must match).
Result<IdentityMessage> DecodeIdentityMessage(ByteView bytes);
Result<AuthR> DecodeAuthR(ByteView bytes);
Result<AuthI> DecodeAuthI(ByteView bytes);
Result<NonInteractiveAuth> DecodeNonInteractiveAuth(ByteView bytes);
Result<DataMessage> DecodeDataMessage(ByteView bytes);
Bytes EncodeIdentityMessage(const IdentityMessage& m);
Bytes EncodeAuthR(const AuthR& m);
Bytes EncodeAuthI(const AuthI& m);
Bytes EncodeNonInteractiveAuth(const NonInteractiveAuth& m);
Bytes EncodeDataMessage(const DataMessage& m);

// The dispatcher: by protocol version (kUnsupportedVersion unless 0x0004) and
// message type (kUnknownType for any other type).
Result<Message> DecodeMessage(ByteView bytes);
Bytes EncodeMessage(const Message& m);

MessageType TypeOf(const Message& m);
// "Identity Message", "Auth-R Message", ..., "Data Message": the spec's names.
std::string_view MessageTypeName(MessageType type);

// The bytes the Data Message's Authenticator covers: "everything: from the
// protocol version to the end of the encrypted message".
Bytes DataMessageMacInput(const DataMessage& m);
// The same bytes as they are in `encoded`, the encoding `m` was decoded from
// (DecodeDataMessage, DecodeMessage) or made into (EncodeDataMessage): what
// precedes the Authenticator, the revealed-keys length and the revealed
// keys, so the Authenticator covers the message as sent without encoding it
// again. Empty if `encoded` is shorter than that trailer.
ByteView DataMessageMacInputOf(ByteView encoded, const DataMessage& m);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_MESSAGES_MESSAGES_H_

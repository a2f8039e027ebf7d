// The binary OTR messages of protocol versions 2 and 3 (otr v3 spec,
// "OTR messages": D-H Commit, D-H Key, Reveal Signature, Signature, Data),
// and version 1's messages as a described-only V1Message.
//
// Decoding is total: every input gives a message or a typed error. A decoded
// message re-encodes to exactly the input bytes (decoders accept only the
// canonical form). Besides structure, decoding enforces these rules that the
// spec states without reference to session state ("decode rules"):
//   - v3 instance tags: sender >= 0x100; receiver 0 or >= 0x100
//     ("Instance Tags": such messages are discarded);
//   - revealed key r is 16 bytes, hashed g^x 32 bytes;
//   - group elements (g^y, next DH y) are MPIs of at most 192 bytes;
//   - Data: keyids > 0 ("Must be strictly greater than 0"), top half of the
//     counter not all zero ("must not be all 0x00"), old MAC keys a whole
//     number of 20-byte keys.
// Rules that need session state are the engine's: keyids incrementing, the
// counter increasing, g^y in [2, p-2], the decrypted g^x matching its hash.
#ifndef OTR_PROTOCOL_V3_MESSAGES_H_
#define OTR_PROTOCOL_V3_MESSAGES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/v3/data_types.h"
#include "protocol/v3/v1_messages.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v3 {

enum class Version : uint16_t { kV2 = 0x0002, kV3 = 0x0003 };

enum class MessageType : uint8_t {
  kDhCommit = 0x02,
  kData = 0x03,
  kDhKey = 0x0a,
  kRevealSignature = 0x11,
  kSignature = 0x12,
};

// The 1536-bit modulus of RFC 3526 group 5: a group element is at most 192 bytes.
inline constexpr size_t kDhModulusSize = 1536 / 8;
// Encrypted g^x is AES-CTR of the MPI g^x: same length, 4 + at most 192 bytes.
inline constexpr size_t kMaxEncryptedGxSize = 4 + kDhModulusSize;
inline constexpr size_t kHashedGxSize = 32;     // SHA-256
inline constexpr size_t kRevealedKeySize = 16;  // r, "a random value r (128 bits)"
inline constexpr size_t kMacSize = 20;          // MAC, and SHA256-HMAC-160
inline constexpr size_t kCtrSize = 8;           // CTR
inline constexpr size_t kOldMacKeySize = 20;    // SHA-1 MAC keys
// The encrypted signature is AES-CTR of X (PUBKEY, keyid, SIG): same length.
inline constexpr size_t kMaxEncryptedSignatureSize = kMaxSignedKeyIdSize;
// An encrypted message is as long as its plaintext. No IM network carries a
// message near this size; the bound keeps a hostile length field from
// directing an allocation (the reader also refuses lengths beyond its input).
inline constexpr size_t kMaxEncryptedMessageSize = 1 << 20;
inline constexpr size_t kMaxOldMacKeysSize = 1 << 20;

using Mac = std::array<uint8_t, kMacSize>;
using Ctr = std::array<uint8_t, kCtrSize>;
using MacKey = std::array<uint8_t, kOldMacKeySize>;

// Protocol version and, for v3, the instance tags. A v2 header has no tags on
// the wire; they are kNoInstanceTag in the value (decode rule for encoding).
struct Header {
  Version version = Version::kV3;
  wire::InstanceTag sender_instance = wire::kNoInstanceTag;
  wire::InstanceTag receiver_instance = wire::kNoInstanceTag;
  friend bool operator==(const Header&, const Header&) = default;
};

struct DhCommit {
  Header header;
  Bytes encrypted_gx;  // DATA
  std::array<uint8_t, kHashedGxSize> hashed_gx{};
  friend bool operator==(const DhCommit&, const DhCommit&) = default;
};

struct DhKey {
  Header header;
  Bytes gy;  // MPI value, minimal big-endian
  friend bool operator==(const DhKey&, const DhKey&) = default;
};

struct RevealSignature {
  Header header;
  std::array<uint8_t, kRevealedKeySize> revealed_key{};  // DATA of 16 bytes
  Bytes encrypted_signature;                             // DATA
  Mac mac{};
  friend bool operator==(const RevealSignature&, const RevealSignature&) = default;
};

struct Signature {
  Header header;
  Bytes encrypted_signature;  // DATA
  Mac mac{};
  friend bool operator==(const Signature&, const Signature&) = default;
};

inline constexpr uint8_t kFlagIgnoreUnreadable = 0x01;

struct DataMessage {
  Header header;
  uint8_t flags = 0;  // unknown bits are kept, and ignored by the engine
  uint32_t sender_keyid = 1;
  uint32_t recipient_keyid = 1;
  Bytes next_dh;  // MPI value: the sender's next DH public key
  Ctr ctr{};      // top half of the counter
  Bytes encrypted_message;
  Mac mac{};
  std::vector<MacKey> old_mac_keys;  // DATA of concatenated 20-byte keys
  friend bool operator==(const DataMessage&, const DataMessage&) = default;
};

using Message = std::variant<DhCommit, DhKey, RevealSignature, Signature, DataMessage, V1Message>;

// kUnsupportedVersion for versions other than 1, 2, 3; kUnknownType for
// unknown message types; the reader's errors for bad structure; the errors
// of ValidateMessage for broken decode rules.
Result<Message> DecodeMessage(ByteView bytes);

// Precondition for a round trip: ValidateMessage(m) is ok (and MPI values
// are minimal); otherwise the bytes are written but DecodeMessage refuses them.
Bytes EncodeMessage(const Message& m);

// The decode rules listed above, on a value.
Status ValidateMessage(const Message& m);

// The bytes a Data Message's MAC covers: "everything from the Protocol
// version to the end of the encrypted message".
Bytes EncodeDataMessageMacInput(const DataMessage& m);
// Appends m.mac and m.old_mac_keys to `mac_input` (EncodeDataMessageMacInput
// of m): the result is EncodeMessage(m). The sender MACs the prefix and then
// finishes the same buffer, so a Data Message is encoded once.
void AppendDataMessageTail(const DataMessage& m, Bytes& mac_input);
// The bytes the MAC covers as they are in `encoded`, the encoding `m` was
// decoded from (DecodeMessage): what precedes the MAC and the old MAC keys,
// so the receiver MACs the message as sent without encoding it again. Empty
// if `encoded` is shorter than that tail.
ByteView DataMessageMacInputOf(ByteView encoded, const DataMessage& m);

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_MESSAGES_H_

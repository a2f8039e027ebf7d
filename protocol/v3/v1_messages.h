// OTR version 1 binary messages (otr-v1-protocol.txt, "OTR Key Exchange" and
// "OTR Data"). Version 1 is parsed and described, never negotiated: the
// engine refuses these values; tools can print them.
#ifndef OTR_PROTOCOL_V3_V1_MESSAGES_H_
#define OTR_PROTOCOL_V3_V1_MESSAGES_H_

#include <array>
#include <cstdint>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"

namespace otr::v3 {

inline constexpr uint16_t kProtocolVersion1 = 0x0001;
inline constexpr uint8_t kV1KeyExchangeType = 0x0a;
inline constexpr uint8_t kV1DataType = 0x03;

// "OTR Key Exchange": Reply, DSA p q g e, sender keyid, DH y, DSASIG.
struct V1KeyExchange {
  uint8_t reply = 0;          // 0x00 or 0x01 (decode rule)
  crypto::DsaPublicKey pub;   // (p, q, g, e); the spec's e is our y
  uint32_t sender_keyid = 1;  // "Must be greater than 0" (decode rule)
  Bytes dh_y;                 // MPI value
  Bytes signature;            // DSASIG: r || s, each as long as q
  friend bool operator==(const V1KeyExchange&, const V1KeyExchange&) = default;
};

// "OTR Data": as the v2 Data Message but without flags or instance tags.
struct V1Data {
  uint32_t sender_keyid = 1;     // > 0 (decode rule)
  uint32_t recipient_keyid = 1;  // > 0 (decode rule)
  Bytes next_dh;                 // MPI value
  std::array<uint8_t, 8> ctr{};  // top half of the counter; not all zero (decode rule)
  Bytes encrypted_message;
  std::array<uint8_t, 20> mac{};
  std::vector<std::array<uint8_t, 20>> old_mac_keys;
  friend bool operator==(const V1Data&, const V1Data&) = default;
};

struct V1Message {
  std::variant<V1KeyExchange, V1Data> body;
  friend bool operator==(const V1Message&, const V1Message&) = default;
};

// The whole encoding, starting at the protocol version 0x0001.
Result<V1Message> DecodeV1Message(ByteView bytes);
// Precondition: ValidateV1Message(m) is ok; otherwise the bytes do not decode.
Bytes EncodeV1Message(const V1Message& m);
// The decode rules that are not structural (keyids, reply byte, sizes).
Status ValidateV1Message(const V1Message& m);

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_V1_MESSAGES_H_

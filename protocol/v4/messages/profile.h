// Client Profile and Prekey Profile on the wire (otrv4.md, "Client Profile
// Data Type", "Prekey Profile Data Type") and the exact bytes their
// signatures cover ("Create a Client Profile Signature", "Create a Prekey
// Profile Signature"). Creating, signing, verifying and validating profiles
// is protocol/v4/profile's; this layer only encodes and decodes.
//
// Client Profile decode rules (structure only; "Validating a Client Profile"
// is the layer above):
//   - every field type is one of 0x0001..0x0007 (kUnknownType otherwise: an
//     unknown field has no known length, so nothing after it can be read);
//   - "The supported fields should not be duplicated" (kInvalidEncoding);
//   - fields 0x0001..0x0005 are present (kInvalidEncoding); the DSA key
//     (0x0006) and the transitional signature (0x0007) are optional;
//   - the owner instance tag is a valid sender tag, >= 0x100
//     (kInvalidInstanceTag; "Instance Tags");
//   - the Versions DATA is at most kMaxVersionsSize bytes (kTooLarge).
// The fields keep their order on the wire, so that a decoded profile
// re-encodes to exactly its bytes and the signature input is what was
// signed.
#ifndef OTR_PROTOCOL_V4_MESSAGES_PROFILE_H_
#define OTR_PROTOCOL_V4_MESSAGES_PROFILE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v4 {

// "Client Profile Data Type": the field types.
enum class ClientProfileField : uint16_t {
  kOwnerInstanceTag = 0x0001,       // INT
  kEd448PublicKey = 0x0002,         // ED448-PUBKEY (H)
  kEd448ForgingKey = 0x0003,        // ED448-FORGING-KEY (F)
  kVersions = 0x0004,               // DATA
  kExpiration = 0x0005,             // CLIENT-PROF-EXP
  kDsaPublicKey = 0x0006,           // PUBKEY (OTRv3)
  kTransitionalSignature = 0x0007,  // CLIENT-SIG
};
inline constexpr size_t kClientProfileFieldTypes = 7;

// The Versions string ("34", "4"): a handful of characters. The bound keeps a
// peer from growing it.
inline constexpr size_t kMaxVersionsSize = 64;

// CLIENT-SIG: a DSA signature r || s, "len is the length of the DSA public
// parameter q, which in current implementations is 20 bytes" (as in v3).
inline constexpr size_t kTransitionalSignatureSize = crypto::kDsaSignatureSize;
using TransitionalSignature = std::array<uint8_t, kTransitionalSignatureSize>;

struct ClientProfile {
  wire::InstanceTag owner_instance_tag = wire::kMinInstanceTag;  // 0x0001
  Point public_key{};                                            // 0x0002, H
  Point forging_key{};                                           // 0x0003, F
  std::string versions = "4";                                    // 0x0004
  // 0x0005: "8 bytes signed value, big-endian", seconds since the epoch.
  int64_t expiration = 0;
  std::optional<crypto::DsaPublicKey> dsa_public_key;           // 0x0006
  std::optional<TransitionalSignature> transitional_signature;  // 0x0007
  // The order of the fields on the wire. Empty means the canonical order
  // (ascending type), which is how Encode writes a profile whose
  // field_order is empty or is not a permutation of its present fields.
  // Decode leaves it empty when the wire order is canonical.
  std::vector<ClientProfileField> field_order;
  EdDsaSignature signature{};  // CLIENT-EDDSA-SIG
  friend bool operator==(const ClientProfile&, const ClientProfile&) = default;
};

// The present fields in the order Encode writes them.
std::vector<ClientProfileField> ClientProfileFieldsInOrder(const ClientProfile& profile);

Result<ClientProfile> ReadClientProfile(wire::Reader& reader);
void WriteClientProfile(wire::Writer& writer, const ClientProfile& profile);
// The whole input is one CLIENT-PROF (kTrailingBytes otherwise).
Result<ClientProfile> DecodeClientProfile(ByteView bytes);
Bytes EncodeClientProfile(const ClientProfile& profile);

// The message `m` the Client Profile Signature covers: the profile's bytes
// up to the signature (Number of Fields, then every field with its type, the
// transitional signature included when present). "Create a Client Profile
// Signature": m is the concatenation of the fields, then "Sign m ||
// Transitional Signature"; libotr-ng signs exactly these bytes.
Bytes ClientProfileSignedBytes(const ClientProfile& profile);

// The message the Transitional Signature covers: "a signature over fields
// 0x0001, 0x0002, 0x0003, 0x0004, 0x0005 and 0x0006 only", each with its
// type, in the profile's order, without the Number of Fields.
Bytes ClientProfileTransitionalSignedBytes(const ClientProfile& profile);

// "Prekey Profile Data Type". Decode rule: the owner instance tag is >= 0x100.
struct PrekeyProfile {
  wire::InstanceTag owner_instance_tag = wire::kMinInstanceTag;
  int64_t expiration = 0;      // PREKEY-PROF-EXP: 8 bytes signed, big-endian
  Point shared_prekey{};       // ED448-SHARED-PREKEY, D
  EdDsaSignature signature{};  // PREKEY-EDDSA-SIG
  friend bool operator==(const PrekeyProfile&, const PrekeyProfile&) = default;
};

inline constexpr size_t kPrekeyProfileSize = 4 + 8 + 2 + kPointSize + kEdDsaSignatureSize;

Result<PrekeyProfile> ReadPrekeyProfile(wire::Reader& reader);
void WritePrekeyProfile(wire::Writer& writer, const PrekeyProfile& profile);
Result<PrekeyProfile> DecodePrekeyProfile(ByteView bytes);
Bytes EncodePrekeyProfile(const PrekeyProfile& profile);

// "Create a Prekey Profile Signature": m = owner's instance tag || Prekey
// Profile Expiration || Public Shared Prekey (with its type), i.e. the
// profile's bytes up to the signature.
Bytes PrekeyProfileSignedBytes(const PrekeyProfile& profile);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_MESSAGES_PROFILE_H_

#include "protocol/v4/libotr_ng/recognize.h"

#include <cstdint>

#include "protocol/wire/reader.h"

namespace otr::v4::libotr_ng {
namespace {

// otrv4.md, "Data Types" and the message formats.
constexpr size_t kHeaderSize = 2 + 1 + 4 + 4;  // version, type, sender, receiver
constexpr size_t kPointSize = 57;              // POINT
constexpr size_t kMacSize = 64;                // Data Message "Authenticator"
// libotr-ng's sizes (constants.h, libgoldilocks): its SCALAR has 56 bytes,
// its Data Message nonce 24 (crypto_secretbox_NONCEBYTES).
constexpr size_t kNgScalarSize = 56;
constexpr size_t kNgRingSigSize = 6 * kNgScalarSize;
constexpr size_t kNgNonceSize = 24;

constexpr uint8_t kIdentity = 0x35, kAuthR = 0x36, kAuthI = 0x37, kNonIntAuth = 0x0D, kData = 0x03;

// Client Profile fields (otrv4.md, "Client Profile Data Type").
constexpr uint16_t kOwnerInstanceTagField = 0x0001;
constexpr uint16_t kEd448PublicKeyField = 0x0002;

// Deviation #1: the Client Profile that opens these messages carries its
// Ed448 public key with the key type big-endian (00 10; the spec's
// little-endian SHORT is 10 00). The profile starts with the field count,
// the owner instance tag field and the public key field, in libotr-ng's
// order (client_profile.c).
bool ProfileHasBigEndianKeyType(wire::Reader& r) {
  auto count = r.ReadU32();
  auto tag_field = r.ReadU16();
  if (!count.ok() || !tag_field.ok() || *tag_field != kOwnerInstanceTagField) return false;
  if (!r.ReadBytes(4).ok()) return false;
  auto key_field = r.ReadU16();
  if (!key_field.ok() || *key_field != kEd448PublicKeyField) return false;
  auto key_type = r.ReadBytes(2);
  return key_type.ok() && (*key_type)[0] == 0x00 && (*key_type)[1] == 0x10;
}

// Deviations #5 and #6: a 24-byte nonce after the DH key, then the
// ciphertext as DATA, the 64-byte MAC and the revealed MAC keys raw (a
// whole number of 64-byte keys, no length).
bool DataMessageHasNonce(wire::Reader& r) {
  // flags, previous chain message number, ratchet id, message id, ECDH key.
  if (!r.ReadBytes(1 + 4 + 4 + 4 + kPointSize).ok()) return false;
  auto dh_size = r.ReadU32();
  if (!dh_size.ok() || !r.ReadBytes(*dh_size).ok()) return false;
  if (!r.ReadBytes(kNgNonceSize).ok()) return false;
  auto ciphertext_size = r.ReadU32();
  if (!ciphertext_size.ok() || !r.ReadBytes(*ciphertext_size).ok()) return false;
  if (!r.ReadBytes(kMacSize).ok()) return false;
  return r.remaining() % kMacSize == 0;
}

}  // namespace

std::optional<std::string_view> RecognizeVariant(ByteView message) {
  if (message.size() < kHeaderSize || message[0] != 0x00 || message[1] != 0x04) {
    return std::nullopt;
  }
  wire::Reader r(message.subspan(kHeaderSize));
  switch (message[2]) {
    case kIdentity:
    case kAuthR:
    case kNonIntAuth:
      if (ProfileHasBigEndianKeyType(r)) {
        return "libotr-ng's OTRv4 variant (its Client Profile writes key types big-endian, "
               "otrv4.md says little-endian); it needs the libotr-ng compatibility profile";
      }
      return std::nullopt;
    case kAuthI:
      if (message.size() == kHeaderSize + kNgRingSigSize) {
        return "libotr-ng's OTRv4 variant (its ring signature has 56-byte scalars, otrv4.md "
               "says 57); it needs the libotr-ng compatibility profile";
      }
      return std::nullopt;
    case kData:
      if (DataMessageHasNonce(r)) {
        return "libotr-ng's OTRv4 variant (its Data Messages are XSalsa20 with a 24-byte nonce "
               "on the wire, otrv4.md says ChaCha20 with nonce 0); it needs the libotr-ng "
               "compatibility profile";
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace otr::v4::libotr_ng

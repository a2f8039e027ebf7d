#include "protocol/v4/libotr_ng/data_message.h"

#include <algorithm>

#include "protocol/v4/crypto/kdf.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v4::libotr_ng {
namespace {

using crypto::SecretBytes;

// key_management.c's usage IDs for the message keys.
constexpr uint8_t kUsageMessageKey = 0x17;
constexpr uint8_t kUsageMacKey = 0x18;
constexpr uint8_t kUsageExtraSymmKey = 0x19;
constexpr uint8_t kUsageAuthenticator = 0x1A;
constexpr size_t kXSalsa20KeySize = 32;  // ENC_ACTUAL_KEY_BYTES

constexpr uint8_t kDataType = 0x03;
constexpr size_t kMaxDhSize = crypto::kMaxDhPublicSize;  // a 3072-bit value
constexpr size_t kMaxEncryptedSize = 1u << 20;           // bounded, far above any fragment set

}  // namespace

SecretBytes Kdf1(const crypto::Backend& backend, uint8_t usage,
                 std::initializer_list<ByteView> values, size_t size) {
  SecretBytes out(size);
  DomainShake256(backend, kOtrv4Domain, usage, values, out.mutable_view());
  return out;
}

Bytes EncodeBody(const DataMessage& m) {
  wire::Writer w;
  w.WriteU16(4);
  w.WriteU8(kDataType);
  w.WriteU32(m.sender_tag);
  w.WriteU32(m.receiver_tag);
  w.WriteU8(m.flags);
  w.WriteU32(m.previous_chain_length);
  w.WriteU32(m.ratchet_id);
  w.WriteU32(m.message_id);
  w.WriteBytes(m.ecdh);
  w.WriteData(m.dh);
  w.WriteBytes(m.nonce);
  w.WriteData(m.encrypted_message);
  return w.bytes();
}

Bytes Encode(const DataMessage& m) {
  Bytes out = EncodeBody(m);
  out.insert(out.end(), m.mac.begin(), m.mac.end());
  for (const auto& key : m.revealed_mac_keys) out.insert(out.end(), key.begin(), key.end());
  return out;
}

Result<DataMessage> Decode(ByteView bytes) {
  wire::Reader r(bytes);
  DataMessage m;
  OTR_ASSIGN_OR_RETURN(const uint16_t version, r.ReadU16());
  OTR_ASSIGN_OR_RETURN(const uint8_t type, r.ReadU8());
  if (version != 4 || type != kDataType) {
    return MakeError(ErrorCode::kUnknownType, "libotr-ng Data Message: not v4 type 0x03");
  }
  OTR_ASSIGN_OR_RETURN(m.sender_tag, r.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.receiver_tag, r.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.flags, r.ReadU8());
  OTR_ASSIGN_OR_RETURN(m.previous_chain_length, r.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.ratchet_id, r.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.message_id, r.ReadU32());
  OTR_ASSIGN_OR_RETURN(const ByteView ecdh, r.ReadBytes(m.ecdh.size()));
  std::copy(ecdh.begin(), ecdh.end(), m.ecdh.begin());
  OTR_ASSIGN_OR_RETURN(const ByteView dh, r.ReadData(kMaxDhSize));
  m.dh = crypto::DhPublic(dh);  // at most kMaxDhSize bytes: fits
  OTR_ASSIGN_OR_RETURN(const ByteView nonce, r.ReadBytes(kNonceSize));
  std::copy(nonce.begin(), nonce.end(), m.nonce.begin());
  OTR_ASSIGN_OR_RETURN(const ByteView encrypted, r.ReadData(kMaxEncryptedSize));
  m.encrypted_message.assign(encrypted.begin(), encrypted.end());
  OTR_ASSIGN_OR_RETURN(const ByteView mac, r.ReadBytes(kMacSize));
  std::copy(mac.begin(), mac.end(), m.mac.begin());
  if (r.remaining() % kMacSize != 0) {
    return MakeError(ErrorCode::kTrailingBytes,
                     "libotr-ng Data Message: revealed MAC keys not a multiple of 64 bytes");
  }
  while (r.remaining() > 0) {
    OTR_ASSIGN_OR_RETURN(const ByteView key, r.ReadBytes(kMacSize));
    auto& out = m.revealed_mac_keys.emplace_back();
    std::copy(key.begin(), key.end(), out.begin());
  }
  return m;
}

MessageKeys DeriveMessageKeys(const crypto::Backend& backend, const SecretBytes& chain_key) {
  MessageKeys keys;
  keys.enc = Kdf1(backend, kUsageMessageKey, {chain_key.view()}, kMessageKeySize);
  keys.mac = Kdf1(backend, kUsageMacKey, {keys.enc.view()}, kMessageKeySize);
  return keys;
}

SecretBytes ExtraSymmetricKey(const crypto::Backend& backend, const SecretBytes& chain_key) {
  const uint8_t magic = 0xFF;
  return Kdf1(backend, kUsageExtraSymmKey, {ByteView(&magic, 1), chain_key.view()},
              kExtraSymmetricKeySize);
}

std::array<uint8_t, kMacSize> Authenticator(const crypto::Backend& backend,
                                            const SecretBytes& mac_key, ByteView body) {
  const SecretBytes mac = Kdf1(backend, kUsageAuthenticator, {mac_key.view(), body}, kMacSize);
  std::array<uint8_t, kMacSize> out{};
  std::copy_n(mac.data(), out.size(), out.begin());
  return out;
}

Status Seal(const crypto::Backend& backend, const SecretBytes& chain_key, ByteView plaintext,
            crypto::Random& random, DataMessage& m) {
  random.Fill(m.nonce);
  return SealWithKeys(backend, DeriveMessageKeys(backend, chain_key), plaintext, m);
}

Status SealWithKeys(const crypto::Backend& backend, const MessageKeys& keys, ByteView plaintext,
                    DataMessage& m) {
  m.encrypted_message.assign(plaintext.size(), 0);
  const SecretBytes key(keys.enc.view().first(kXSalsa20KeySize));
  OTR_RETURN_IF_ERROR(backend.XSalsa20(key, m.nonce, plaintext, m.encrypted_message));
  m.mac = Authenticator(backend, keys.mac, EncodeBody(m));
  return Status::Ok();
}

Result<SecretBytes> Open(const crypto::Backend& backend, const SecretBytes& chain_key,
                         const DataMessage& m) {
  return OpenWithKeys(backend, DeriveMessageKeys(backend, chain_key), m);
}

Result<SecretBytes> OpenWithKeys(const crypto::Backend& backend, const MessageKeys& keys,
                                 const DataMessage& m) {
  const auto expected = Authenticator(backend, keys.mac, EncodeBody(m));
  if (!crypto::ConstantTimeEqual(expected, m.mac)) {
    return MakeError(ErrorCode::kBadMac, "libotr-ng Data Message: MAC does not verify");
  }
  SecretBytes plaintext(m.encrypted_message.size());
  const SecretBytes key(keys.enc.view().first(kXSalsa20KeySize));
  OTR_RETURN_IF_ERROR(
      backend.XSalsa20(key, m.nonce, m.encrypted_message, plaintext.mutable_view()));
  return plaintext;
}

}  // namespace otr::v4::libotr_ng

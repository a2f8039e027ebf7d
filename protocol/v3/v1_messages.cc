#include "protocol/v3/v1_messages.h"

#include <algorithm>

#include "protocol/v3/data_types.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v3 {
namespace {

// Same bounds as the v2/v3 messages (messages.h), restated to keep v1 alone.
constexpr size_t kV1DhModulusSize = 1536 / 8;
constexpr size_t kV1MaxEncryptedMessageSize = 1 << 20;
constexpr size_t kV1MaxOldMacKeysSize = 1 << 20;
constexpr size_t kV1MacKeySize = 20;

Result<Bytes> ReadMpiBytes(wire::Reader& reader, size_t max_size) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, reader.ReadMpi(max_size));
  return Bytes(bytes.begin(), bytes.end());
}

Result<V1KeyExchange> ReadKeyExchange(wire::Reader& reader) {
  V1KeyExchange m;
  OTR_ASSIGN_OR_RETURN(m.reply, reader.ReadU8());
  OTR_ASSIGN_OR_RETURN(m.pub.p, ReadMpiBytes(reader, kMaxDsaPSize));
  OTR_ASSIGN_OR_RETURN(m.pub.q, ReadMpiBytes(reader, kMaxDsaQSize));
  OTR_ASSIGN_OR_RETURN(m.pub.g, ReadMpiBytes(reader, kMaxDsaPSize));
  OTR_ASSIGN_OR_RETURN(m.pub.y, ReadMpiBytes(reader, kMaxDsaPSize));
  OTR_ASSIGN_OR_RETURN(m.sender_keyid, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.dh_y, ReadMpiBytes(reader, kV1DhModulusSize));
  // DSASIG: "len is the length of the DSA public parameter q".
  OTR_ASSIGN_OR_RETURN(ByteView sig, reader.ReadBytes(2 * m.pub.q.size()));
  m.signature.assign(sig.begin(), sig.end());
  return m;
}

Result<V1Data> ReadData(wire::Reader& reader) {
  V1Data m;
  OTR_ASSIGN_OR_RETURN(m.sender_keyid, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.recipient_keyid, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.next_dh, ReadMpiBytes(reader, kV1DhModulusSize));
  OTR_ASSIGN_OR_RETURN(ByteView ctr, reader.ReadBytes(m.ctr.size()));
  std::copy(ctr.begin(), ctr.end(), m.ctr.begin());
  OTR_ASSIGN_OR_RETURN(ByteView encrypted, reader.ReadData(kV1MaxEncryptedMessageSize));
  m.encrypted_message.assign(encrypted.begin(), encrypted.end());
  OTR_ASSIGN_OR_RETURN(ByteView mac, reader.ReadBytes(m.mac.size()));
  std::copy(mac.begin(), mac.end(), m.mac.begin());
  OTR_ASSIGN_OR_RETURN(ByteView keys, reader.ReadData(kV1MaxOldMacKeysSize));
  if (keys.size() % kV1MacKeySize != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, "old MAC keys not a multiple of 20 bytes");
  }
  m.old_mac_keys.resize(keys.size() / kV1MacKeySize);
  for (size_t i = 0; i < m.old_mac_keys.size(); ++i) {
    std::copy_n(keys.begin() + i * kV1MacKeySize, kV1MacKeySize, m.old_mac_keys[i].begin());
  }
  return m;
}

Status CheckMpi(ByteView value, size_t max_size) {
  if (value.size() > max_size) return MakeError(ErrorCode::kTooLarge, "MPI longer than allowed");
  if (!value.empty() && value[0] == 0) {
    return MakeError(ErrorCode::kNonCanonical, "MPI with a leading zero byte");
  }
  return Status::Ok();
}

Status Check(const V1KeyExchange& m) {
  if (m.reply > 1) return MakeError(ErrorCode::kInvalidEncoding, "v1 Reply not 0x00 or 0x01");
  OTR_RETURN_IF_ERROR(CheckMpi(m.pub.p, kMaxDsaPSize));
  OTR_RETURN_IF_ERROR(CheckMpi(m.pub.q, kMaxDsaQSize));
  OTR_RETURN_IF_ERROR(CheckMpi(m.pub.g, kMaxDsaPSize));
  OTR_RETURN_IF_ERROR(CheckMpi(m.pub.y, kMaxDsaPSize));
  if (m.sender_keyid == 0) return MakeError(ErrorCode::kOutOfRange, "v1 keyid must be > 0");
  OTR_RETURN_IF_ERROR(CheckMpi(m.dh_y, kV1DhModulusSize));
  if (m.signature.size() != 2 * m.pub.q.size()) {
    return MakeError(ErrorCode::kInvalidEncoding, "v1 DSASIG not twice the length of q");
  }
  return Status::Ok();
}

Status Check(const V1Data& m) {
  if (m.sender_keyid == 0 || m.recipient_keyid == 0) {
    return MakeError(ErrorCode::kOutOfRange, "v1 keyid must be > 0");
  }
  OTR_RETURN_IF_ERROR(CheckMpi(m.next_dh, kV1DhModulusSize));
  if (std::all_of(m.ctr.begin(), m.ctr.end(), [](uint8_t b) { return b == 0; })) {
    return MakeError(ErrorCode::kOutOfRange, "counter top half must not be all zero");
  }
  if (m.encrypted_message.size() > kV1MaxEncryptedMessageSize ||
      m.old_mac_keys.size() * kV1MacKeySize > kV1MaxOldMacKeysSize) {
    return MakeError(ErrorCode::kTooLarge, "DATA longer than allowed");
  }
  return Status::Ok();
}

void Write(wire::Writer& writer, const V1KeyExchange& m) {
  writer.WriteU16(kProtocolVersion1);
  writer.WriteU8(kV1KeyExchangeType);
  writer.WriteU8(m.reply);
  writer.WriteMpi(m.pub.p);
  writer.WriteMpi(m.pub.q);
  writer.WriteMpi(m.pub.g);
  writer.WriteMpi(m.pub.y);
  writer.WriteU32(m.sender_keyid);
  writer.WriteMpi(m.dh_y);
  writer.WriteBytes(m.signature);
}

void Write(wire::Writer& writer, const V1Data& m) {
  writer.WriteU16(kProtocolVersion1);
  writer.WriteU8(kV1DataType);
  writer.WriteU32(m.sender_keyid);
  writer.WriteU32(m.recipient_keyid);
  writer.WriteMpi(m.next_dh);
  writer.WriteBytes(m.ctr);
  writer.WriteData(m.encrypted_message);
  writer.WriteBytes(m.mac);
  writer.WriteU32(static_cast<uint32_t>(m.old_mac_keys.size() * kV1MacKeySize));
  for (const auto& key : m.old_mac_keys) writer.WriteBytes(key);
}

}  // namespace

Result<V1Message> DecodeV1Message(ByteView bytes) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(uint16_t version, reader.ReadU16());
  if (version != kProtocolVersion1) {
    return MakeError(ErrorCode::kUnsupportedVersion, "not a version 1 message");
  }
  OTR_ASSIGN_OR_RETURN(uint8_t type, reader.ReadU8());
  V1Message m;
  if (type == kV1KeyExchangeType) {
    OTR_ASSIGN_OR_RETURN(m.body, ReadKeyExchange(reader));
  } else if (type == kV1DataType) {
    OTR_ASSIGN_OR_RETURN(m.body, ReadData(reader));
  } else {
    return MakeError(ErrorCode::kUnknownType, "unknown v1 message type");
  }
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  OTR_RETURN_IF_ERROR(ValidateV1Message(m));
  return m;
}

Bytes EncodeV1Message(const V1Message& m) {
  wire::Writer writer;
  std::visit([&writer](const auto& body) { Write(writer, body); }, m.body);
  return std::move(writer).Finish();
}

Status ValidateV1Message(const V1Message& m) {
  return std::visit([](const auto& body) { return Check(body); }, m.body);
}

}  // namespace otr::v3

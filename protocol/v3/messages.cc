#include "protocol/v3/messages.h"

#include <algorithm>

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v3 {
namespace {

template <size_t N>
Result<std::array<uint8_t, N>> ReadArray(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, reader.ReadBytes(N));
  std::array<uint8_t, N> out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

// A DATA field whose length the spec fixes.
template <size_t N>
Result<std::array<uint8_t, N>> ReadFixedData(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, reader.ReadData(N));
  if (bytes.size() != N) return MakeError(ErrorCode::kInvalidEncoding, "DATA of the wrong length");
  std::array<uint8_t, N> out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

Result<Bytes> ReadDataBytes(wire::Reader& reader, size_t max_size) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, reader.ReadData(max_size));
  return Bytes(bytes.begin(), bytes.end());
}

Result<Bytes> ReadMpiBytes(wire::Reader& reader, size_t max_size) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, reader.ReadMpi(max_size));
  return Bytes(bytes.begin(), bytes.end());
}

Result<std::vector<MacKey>> ReadOldMacKeys(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, reader.ReadData(kMaxOldMacKeysSize));
  if (bytes.size() % kOldMacKeySize != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, "old MAC keys not a multiple of 20 bytes");
  }
  std::vector<MacKey> keys(bytes.size() / kOldMacKeySize);
  for (size_t i = 0; i < keys.size(); ++i) {
    std::copy_n(bytes.begin() + i * kOldMacKeySize, kOldMacKeySize, keys[i].begin());
  }
  return keys;
}

void WriteOldMacKeys(wire::Writer& writer, const std::vector<MacKey>& keys) {
  writer.WriteU32(static_cast<uint32_t>(keys.size() * kOldMacKeySize));
  for (const MacKey& key : keys) writer.WriteBytes(key);
}

Status CheckMpiValue(ByteView value, size_t max_size) {
  if (value.size() > max_size) return MakeError(ErrorCode::kTooLarge, "MPI longer than allowed");
  if (!value.empty() && value[0] == 0) {
    return MakeError(ErrorCode::kNonCanonical, "MPI with a leading zero byte");
  }
  return Status::Ok();
}

Status CheckDataSize(size_t size, size_t max_size) {
  if (size > max_size) return MakeError(ErrorCode::kTooLarge, "DATA longer than allowed");
  return Status::Ok();
}

Status CheckKeyId(uint32_t keyid) {
  if (keyid == 0) return MakeError(ErrorCode::kOutOfRange, "Data Message keyid must be > 0");
  return Status::Ok();
}

Status CheckCtr(const Ctr& ctr) {
  if (std::all_of(ctr.begin(), ctr.end(), [](uint8_t b) { return b == 0; })) {
    return MakeError(ErrorCode::kOutOfRange, "counter top half must not be all zero");
  }
  return Status::Ok();
}

// "Instance Tags": sender < 0x100 and receiver in 1..0xff are discarded.
Status CheckHeader(const Header& h) {
  if (h.version == Version::kV2) {
    if (h.sender_instance != wire::kNoInstanceTag || h.receiver_instance != wire::kNoInstanceTag) {
      return MakeError(ErrorCode::kInvalidInstanceTag, "v2 messages carry no instance tags");
    }
    return Status::Ok();
  }
  if (h.version != Version::kV3) {
    return MakeError(ErrorCode::kUnsupportedVersion, "header version not 2 or 3");
  }
  if (h.sender_instance < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "sender instance tag below 0x100");
  }
  OTR_RETURN_IF_ERROR(wire::CheckInstanceTag(h.receiver_instance));
  return Status::Ok();
}

Status Validate(const DhCommit& m) {
  OTR_RETURN_IF_ERROR(CheckHeader(m.header));
  return CheckDataSize(m.encrypted_gx.size(), kMaxEncryptedGxSize);
}

Status Validate(const DhKey& m) {
  OTR_RETURN_IF_ERROR(CheckHeader(m.header));
  return CheckMpiValue(m.gy, kDhModulusSize);
}

Status Validate(const RevealSignature& m) {
  OTR_RETURN_IF_ERROR(CheckHeader(m.header));
  return CheckDataSize(m.encrypted_signature.size(), kMaxEncryptedSignatureSize);
}

Status Validate(const Signature& m) {
  OTR_RETURN_IF_ERROR(CheckHeader(m.header));
  return CheckDataSize(m.encrypted_signature.size(), kMaxEncryptedSignatureSize);
}

Status Validate(const DataMessage& m) {
  OTR_RETURN_IF_ERROR(CheckHeader(m.header));
  OTR_RETURN_IF_ERROR(CheckKeyId(m.sender_keyid));
  OTR_RETURN_IF_ERROR(CheckKeyId(m.recipient_keyid));
  OTR_RETURN_IF_ERROR(CheckMpiValue(m.next_dh, kDhModulusSize));
  OTR_RETURN_IF_ERROR(CheckCtr(m.ctr));
  OTR_RETURN_IF_ERROR(CheckDataSize(m.encrypted_message.size(), kMaxEncryptedMessageSize));
  return CheckDataSize(m.old_mac_keys.size() * kOldMacKeySize, kMaxOldMacKeysSize);
}

Status Validate(const V1Message& m) { return ValidateV1Message(m); }

void WriteHeader(wire::Writer& writer, const Header& h, MessageType type) {
  writer.WriteU16(static_cast<uint16_t>(h.version));
  writer.WriteU8(static_cast<uint8_t>(type));
  if (h.version == Version::kV3) {
    writer.WriteU32(h.sender_instance);
    writer.WriteU32(h.receiver_instance);
  }
}

// Upper bound of the encoded body: header, flags, keyids, next D-H key,
// counter and the encrypted message (the data path reserves it once).
size_t DataMessageBodySize(const DataMessage& m) {
  return 16 + 1 + 8 + 4 + m.next_dh.size() + m.ctr.size() + 4 + m.encrypted_message.size();
}

void WriteDataMessageBody(wire::Writer& writer, const DataMessage& m) {
  WriteHeader(writer, m.header, MessageType::kData);
  writer.WriteU8(m.flags);
  writer.WriteU32(m.sender_keyid);
  writer.WriteU32(m.recipient_keyid);
  writer.WriteMpi(m.next_dh);
  writer.WriteBytes(m.ctr);
  writer.WriteData(m.encrypted_message);
}

Bytes Encode(const DhCommit& m) {
  wire::Writer writer;
  WriteHeader(writer, m.header, MessageType::kDhCommit);
  writer.WriteData(m.encrypted_gx);
  writer.WriteData(m.hashed_gx);
  return std::move(writer).Finish();
}

Bytes Encode(const DhKey& m) {
  wire::Writer writer;
  WriteHeader(writer, m.header, MessageType::kDhKey);
  writer.WriteMpi(m.gy);
  return std::move(writer).Finish();
}

Bytes Encode(const RevealSignature& m) {
  wire::Writer writer;
  WriteHeader(writer, m.header, MessageType::kRevealSignature);
  writer.WriteData(m.revealed_key);
  writer.WriteData(m.encrypted_signature);
  writer.WriteBytes(m.mac);
  return std::move(writer).Finish();
}

Bytes Encode(const Signature& m) {
  wire::Writer writer;
  WriteHeader(writer, m.header, MessageType::kSignature);
  writer.WriteData(m.encrypted_signature);
  writer.WriteBytes(m.mac);
  return std::move(writer).Finish();
}

Bytes Encode(const DataMessage& m) {
  wire::Writer writer;
  writer.Reserve(DataMessageBodySize(m) + m.mac.size() + 4 +
                 m.old_mac_keys.size() * kOldMacKeySize);
  WriteDataMessageBody(writer, m);
  writer.WriteBytes(m.mac);
  WriteOldMacKeys(writer, m.old_mac_keys);
  return std::move(writer).Finish();
}

Bytes Encode(const V1Message& m) { return EncodeV1Message(m); }

Result<Message> ReadBody(wire::Reader& reader, const Header& header, uint8_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::kDhCommit: {
      DhCommit m{header, {}, {}};
      OTR_ASSIGN_OR_RETURN(m.encrypted_gx, ReadDataBytes(reader, kMaxEncryptedGxSize));
      OTR_ASSIGN_OR_RETURN(m.hashed_gx, ReadFixedData<kHashedGxSize>(reader));
      return Message(std::move(m));
    }
    case MessageType::kDhKey: {
      DhKey m{header, {}};
      OTR_ASSIGN_OR_RETURN(m.gy, ReadMpiBytes(reader, kDhModulusSize));
      return Message(std::move(m));
    }
    case MessageType::kRevealSignature: {
      RevealSignature m{header, {}, {}, {}};
      OTR_ASSIGN_OR_RETURN(m.revealed_key, ReadFixedData<kRevealedKeySize>(reader));
      OTR_ASSIGN_OR_RETURN(m.encrypted_signature,
                           ReadDataBytes(reader, kMaxEncryptedSignatureSize));
      OTR_ASSIGN_OR_RETURN(m.mac, ReadArray<kMacSize>(reader));
      return Message(std::move(m));
    }
    case MessageType::kSignature: {
      Signature m{header, {}, {}};
      OTR_ASSIGN_OR_RETURN(m.encrypted_signature,
                           ReadDataBytes(reader, kMaxEncryptedSignatureSize));
      OTR_ASSIGN_OR_RETURN(m.mac, ReadArray<kMacSize>(reader));
      return Message(std::move(m));
    }
    case MessageType::kData: {
      DataMessage m;
      m.header = header;
      OTR_ASSIGN_OR_RETURN(m.flags, reader.ReadU8());
      OTR_ASSIGN_OR_RETURN(m.sender_keyid, reader.ReadU32());
      OTR_ASSIGN_OR_RETURN(m.recipient_keyid, reader.ReadU32());
      OTR_ASSIGN_OR_RETURN(m.next_dh, ReadMpiBytes(reader, kDhModulusSize));
      OTR_ASSIGN_OR_RETURN(m.ctr, ReadArray<kCtrSize>(reader));
      OTR_ASSIGN_OR_RETURN(m.encrypted_message, ReadDataBytes(reader, kMaxEncryptedMessageSize));
      OTR_ASSIGN_OR_RETURN(m.mac, ReadArray<kMacSize>(reader));
      OTR_ASSIGN_OR_RETURN(m.old_mac_keys, ReadOldMacKeys(reader));
      return Message(std::move(m));
    }
  }
  return MakeError(ErrorCode::kUnknownType, "unknown v2/v3 message type");
}

}  // namespace

Result<Message> DecodeMessage(ByteView bytes) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(uint16_t version, reader.ReadU16());
  if (version == kProtocolVersion1) {
    OTR_ASSIGN_OR_RETURN(V1Message v1, DecodeV1Message(bytes));
    return Message(std::move(v1));
  }
  if (version != static_cast<uint16_t>(Version::kV2) &&
      version != static_cast<uint16_t>(Version::kV3)) {
    return MakeError(ErrorCode::kUnsupportedVersion, "protocol version not 1, 2 or 3");
  }
  Header header;
  header.version = static_cast<Version>(version);
  OTR_ASSIGN_OR_RETURN(uint8_t type, reader.ReadU8());
  if (header.version == Version::kV3) {
    OTR_ASSIGN_OR_RETURN(header.sender_instance, reader.ReadU32());
    OTR_ASSIGN_OR_RETURN(header.receiver_instance, reader.ReadU32());
  }
  OTR_ASSIGN_OR_RETURN(Message m, ReadBody(reader, header, type));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  OTR_RETURN_IF_ERROR(ValidateMessage(m));
  return m;
}

Bytes EncodeMessage(const Message& m) {
  return std::visit([](const auto& body) { return Encode(body); }, m);
}

Status ValidateMessage(const Message& m) {
  return std::visit([](const auto& body) { return Validate(body); }, m);
}

Bytes EncodeDataMessageMacInput(const DataMessage& m) {
  wire::Writer writer;
  // Room for the tail too (AppendDataMessageTail).
  writer.Reserve(DataMessageBodySize(m) + m.mac.size() + 4 +
                 m.old_mac_keys.size() * kOldMacKeySize);
  WriteDataMessageBody(writer, m);
  return std::move(writer).Finish();
}

void AppendDataMessageTail(const DataMessage& m, Bytes& mac_input) {
  // As Encode(DataMessage): the MAC, then the old MAC keys as DATA.
  mac_input.insert(mac_input.end(), m.mac.begin(), m.mac.end());
  const auto length = static_cast<uint32_t>(m.old_mac_keys.size() * kOldMacKeySize);
  for (int shift = 24; shift >= 0; shift -= 8) {
    mac_input.push_back(static_cast<uint8_t>(length >> shift));
  }
  for (const MacKey& key : m.old_mac_keys)
    mac_input.insert(mac_input.end(), key.begin(), key.end());
}

ByteView DataMessageMacInputOf(ByteView encoded, const DataMessage& m) {
  const size_t tail = m.mac.size() + 4 + m.old_mac_keys.size() * kOldMacKeySize;
  if (encoded.size() < tail) return ByteView();
  return encoded.first(encoded.size() - tail);
}

}  // namespace otr::v3

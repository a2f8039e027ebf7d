#include "protocol/v4/messages/messages.h"

#include <type_traits>

namespace otr::v4 {
namespace {

// Whole-input decoding: the reader's fields, then nothing.
template <typename T, typename ReadFn>
Result<T> DecodeWhole(ByteView bytes, ReadFn read) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(T m, read(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return m;
}

// A DAKE message with 3072-bit MPIs and a Client Profile that has a DSA key
// is under 2 KB: one allocation instead of one per doubling.
constexpr size_t kDakeMessageCapacity = 2048;

template <typename T, typename WriteFn>
Bytes EncodeWith(const T& m, WriteFn write) {
  wire::Writer writer;
  writer.Reserve(kDakeMessageCapacity);
  write(writer, m);
  return std::move(writer).Finish();
}

Result<IdentityMessage> ReadIdentity(wire::Reader& reader) {
  IdentityMessage m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(reader, MessageType::kIdentity));
  OTR_ASSIGN_OR_RETURN(m.client_profile, ReadClientProfile(reader));
  OTR_ASSIGN_OR_RETURN(m.y, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.b, ReadMpi(reader));
  OTR_ASSIGN_OR_RETURN(m.our_ecdh_first, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.our_dh_first, ReadMpi(reader));
  return m;
}

void WriteIdentity(wire::Writer& writer, const IdentityMessage& m) {
  WriteHeader(writer, MessageType::kIdentity, m.header);
  WriteClientProfile(writer, m.client_profile);
  WritePoint(writer, m.y);
  WriteMpi(writer, m.b);
  WritePoint(writer, m.our_ecdh_first);
  WriteMpi(writer, m.our_dh_first);
}

Result<AuthR> ReadAuthR(wire::Reader& reader) {
  AuthR m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(reader, MessageType::kAuthR));
  OTR_ASSIGN_OR_RETURN(m.client_profile, ReadClientProfile(reader));
  OTR_ASSIGN_OR_RETURN(m.x, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.a, ReadMpi(reader));
  OTR_ASSIGN_OR_RETURN(m.sigma, ReadRingSig(reader));
  OTR_ASSIGN_OR_RETURN(m.our_ecdh_first, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.our_dh_first, ReadMpi(reader));
  return m;
}

void WriteAuthR(wire::Writer& writer, const AuthR& m) {
  WriteHeader(writer, MessageType::kAuthR, m.header);
  WriteClientProfile(writer, m.client_profile);
  WritePoint(writer, m.x);
  WriteMpi(writer, m.a);
  WriteRingSig(writer, m.sigma);
  WritePoint(writer, m.our_ecdh_first);
  WriteMpi(writer, m.our_dh_first);
}

Result<AuthI> ReadAuthI(wire::Reader& reader) {
  AuthI m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(reader, MessageType::kAuthI));
  OTR_ASSIGN_OR_RETURN(m.sigma, ReadRingSig(reader));
  return m;
}

void WriteAuthI(wire::Writer& writer, const AuthI& m) {
  WriteHeader(writer, MessageType::kAuthI, m.header);
  WriteRingSig(writer, m.sigma);
}

Result<NonInteractiveAuth> ReadNonInteractiveAuth(wire::Reader& reader) {
  NonInteractiveAuth m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(reader, MessageType::kNonInteractiveAuth));
  OTR_ASSIGN_OR_RETURN(m.client_profile, ReadClientProfile(reader));
  OTR_ASSIGN_OR_RETURN(m.x, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.a, ReadMpi(reader));
  OTR_ASSIGN_OR_RETURN(m.sigma, ReadRingSig(reader));
  OTR_ASSIGN_OR_RETURN(m.prekey_message_identifier, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.auth_mac, ReadMac(reader));
  OTR_ASSIGN_OR_RETURN(m.our_ecdh_first, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.our_dh_first, ReadMpi(reader));
  return m;
}

void WriteNonInteractiveAuth(wire::Writer& writer, const NonInteractiveAuth& m) {
  WriteHeader(writer, MessageType::kNonInteractiveAuth, m.header);
  WriteClientProfile(writer, m.client_profile);
  WritePoint(writer, m.x);
  WriteMpi(writer, m.a);
  WriteRingSig(writer, m.sigma);
  writer.WriteU32(m.prekey_message_identifier);
  WriteMac(writer, m.auth_mac);
  WritePoint(writer, m.our_ecdh_first);
  WriteMpi(writer, m.our_dh_first);
}

// The encoded size of everything up to and including the encrypted message
// (otrv4.md "Data Message": header, flags, pn, i, j, POINT, MPI, DATA), so
// that the writer allocates once.
size_t DataMessageMacInputSize(const DataMessage& m) {
  constexpr size_t kFixed = 2 + 1 + 4 + 4 + 1 + 4 + 4 + 4 + kPointSize + 4 + 4;
  return kFixed + m.dh.size() + m.encrypted_message.size();
}

// Everything up to and including the encrypted message.
void WriteDataMessageMacInput(wire::Writer& writer, const DataMessage& m) {
  WriteHeader(writer, MessageType::kData, m.header);
  writer.WriteU8(m.flags);
  writer.WriteU32(m.previous_chain_length);
  writer.WriteU32(m.ratchet_id);
  writer.WriteU32(m.message_id);
  WritePoint(writer, m.ecdh);
  WriteMpi(writer, m.dh);
  WriteData(writer, m.encrypted_message);
}

Result<DataMessage> ReadDataMessage(wire::Reader& reader) {
  DataMessage m;
  OTR_ASSIGN_OR_RETURN(m.header, ReadHeader(reader, MessageType::kData));
  OTR_ASSIGN_OR_RETURN(m.flags, reader.ReadU8());
  OTR_ASSIGN_OR_RETURN(m.previous_chain_length, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.ratchet_id, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.message_id, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.ecdh, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.dh, ReadMpi(reader));
  OTR_ASSIGN_OR_RETURN(m.encrypted_message, ReadData(reader, kMaxEncryptedMessageSize));
  OTR_ASSIGN_OR_RETURN(m.authenticator, ReadMac(reader));
  OTR_ASSIGN_OR_RETURN(ByteView keys, reader.ReadData(kMaxRevealedMacKeysSize));
  if (keys.size() % kMacKeySize != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, "revealed MAC keys not a multiple of 64 bytes");
  }
  wire::Reader key_reader(keys);
  while (!key_reader.empty()) {
    OTR_ASSIGN_OR_RETURN(MacKey key, ReadArray<kMacKeySize>(key_reader));
    m.revealed_mac_keys.push_back(key);
  }
  return m;
}

void WriteDataMessage(wire::Writer& writer, const DataMessage& m) {
  WriteDataMessageMacInput(writer, m);
  WriteMac(writer, m.authenticator);
  writer.WriteU32(static_cast<uint32_t>(m.revealed_mac_keys.size() * kMacKeySize));
  for (const MacKey& key : m.revealed_mac_keys) writer.WriteBytes(key);
}

}  // namespace

Result<IdentityMessage> DecodeIdentityMessage(ByteView bytes) {
  return DecodeWhole<IdentityMessage>(bytes, ReadIdentity);
}
Result<AuthR> DecodeAuthR(ByteView bytes) { return DecodeWhole<AuthR>(bytes, ReadAuthR); }
Result<AuthI> DecodeAuthI(ByteView bytes) { return DecodeWhole<AuthI>(bytes, ReadAuthI); }
Result<NonInteractiveAuth> DecodeNonInteractiveAuth(ByteView bytes) {
  return DecodeWhole<NonInteractiveAuth>(bytes, ReadNonInteractiveAuth);
}
Result<DataMessage> DecodeDataMessage(ByteView bytes) {
  return DecodeWhole<DataMessage>(bytes, ReadDataMessage);
}

Bytes EncodeIdentityMessage(const IdentityMessage& m) { return EncodeWith(m, WriteIdentity); }
Bytes EncodeAuthR(const AuthR& m) { return EncodeWith(m, WriteAuthR); }
Bytes EncodeAuthI(const AuthI& m) { return EncodeWith(m, WriteAuthI); }
Bytes EncodeNonInteractiveAuth(const NonInteractiveAuth& m) {
  return EncodeWith(m, WriteNonInteractiveAuth);
}
Bytes EncodeDataMessage(const DataMessage& m) {
  wire::Writer writer;
  writer.Reserve(DataMessageMacInputSize(m) + kMacSize + 4 +
                 m.revealed_mac_keys.size() * kMacKeySize);
  WriteDataMessage(writer, m);
  return std::move(writer).Finish();
}

Result<Message> DecodeMessage(ByteView bytes) {
  wire::Reader peek(bytes);
  OTR_ASSIGN_OR_RETURN(uint16_t version, peek.ReadU16());
  if (version != kProtocolVersion) {
    return MakeError(ErrorCode::kUnsupportedVersion, "OTRv4 message version is not 0x0004");
  }
  OTR_ASSIGN_OR_RETURN(uint8_t type, peek.ReadU8());
  switch (static_cast<MessageType>(type)) {
    case MessageType::kIdentity: {
      OTR_ASSIGN_OR_RETURN(IdentityMessage m, DecodeIdentityMessage(bytes));
      return Message(std::move(m));
    }
    case MessageType::kAuthR: {
      OTR_ASSIGN_OR_RETURN(AuthR m, DecodeAuthR(bytes));
      return Message(std::move(m));
    }
    case MessageType::kAuthI: {
      OTR_ASSIGN_OR_RETURN(AuthI m, DecodeAuthI(bytes));
      return Message(std::move(m));
    }
    case MessageType::kPrekeyMessage: {
      OTR_ASSIGN_OR_RETURN(PrekeyMessage m, DecodePrekeyMessage(bytes));
      return Message(std::move(m));
    }
    case MessageType::kNonInteractiveAuth: {
      OTR_ASSIGN_OR_RETURN(NonInteractiveAuth m, DecodeNonInteractiveAuth(bytes));
      return Message(std::move(m));
    }
    case MessageType::kData: {
      OTR_ASSIGN_OR_RETURN(DataMessage m, DecodeDataMessage(bytes));
      return Message(std::move(m));
    }
  }
  return MakeError(ErrorCode::kUnknownType, "unknown OTRv4 message type");
}

Bytes EncodeMessage(const Message& m) {
  return std::visit(
      [](const auto& msg) -> Bytes {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, IdentityMessage>) return EncodeIdentityMessage(msg);
        if constexpr (std::is_same_v<T, AuthR>) return EncodeAuthR(msg);
        if constexpr (std::is_same_v<T, AuthI>) return EncodeAuthI(msg);
        if constexpr (std::is_same_v<T, PrekeyMessage>) return EncodePrekeyMessage(msg);
        if constexpr (std::is_same_v<T, NonInteractiveAuth>) return EncodeNonInteractiveAuth(msg);
        if constexpr (std::is_same_v<T, DataMessage>) return EncodeDataMessage(msg);
      },
      m);
}

MessageType TypeOf(const Message& m) {
  return std::visit(
      [](const auto& msg) -> MessageType {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, IdentityMessage>) return MessageType::kIdentity;
        if constexpr (std::is_same_v<T, AuthR>) return MessageType::kAuthR;
        if constexpr (std::is_same_v<T, AuthI>) return MessageType::kAuthI;
        if constexpr (std::is_same_v<T, PrekeyMessage>) return MessageType::kPrekeyMessage;
        if constexpr (std::is_same_v<T, NonInteractiveAuth>) {
          return MessageType::kNonInteractiveAuth;
        }
        if constexpr (std::is_same_v<T, DataMessage>) return MessageType::kData;
      },
      m);
}

std::string_view MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kIdentity:
      return "Identity Message";
    case MessageType::kAuthR:
      return "Auth-R Message";
    case MessageType::kAuthI:
      return "Auth-I Message";
    case MessageType::kPrekeyMessage:
      return "Prekey Message";
    case MessageType::kNonInteractiveAuth:
      return "Non-Interactive-Auth Message";
    case MessageType::kData:
      return "Data Message";
  }
  return "unknown";
}

Bytes DataMessageMacInput(const DataMessage& m) {
  wire::Writer writer;
  writer.Reserve(DataMessageMacInputSize(m));
  WriteDataMessageMacInput(writer, m);
  return std::move(writer).Finish();
}

ByteView DataMessageMacInputOf(ByteView encoded, const DataMessage& m) {
  const size_t trailer = kMacSize + 4 + m.revealed_mac_keys.size() * kMacKeySize;
  if (encoded.size() < trailer) return ByteView();
  return encoded.first(encoded.size() - trailer);
}

}  // namespace otr::v4

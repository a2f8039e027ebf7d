#include "protocol/prekey/messages/messages.h"

#include <type_traits>

namespace otr::prekey {
namespace {

using internal::ReadHeader;
using internal::ReadReceiverTag;
using internal::ReadSenderTag;
using internal::WriteHeader;

// K and J of the Prekey Publication: "If present, set it to one; otherwise,
// to zero."
Result<bool> ReadPresenceFlag(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(uint8_t flag, reader.ReadU8());
  if (flag > 1) return MakeError(ErrorCode::kInvalidEncoding, "K or J is neither 0 nor 1");
  return flag == 1;
}

Status CheckSenderTag(wire::InstanceTag tag) {
  if (tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "sender instance tag below 0x100");
  }
  return Status::Ok();
}

Status CheckReceiverTag(wire::InstanceTag tag) {
  return wire::CheckInstanceTag(tag).ok()
             ? Status::Ok()
             : MakeError(ErrorCode::kInvalidInstanceTag, "receiver instance tag in 1..0xff");
}

// --- DAKE-1, DAKE-2, DAKE-3 ("Key Exchange") ---

Result<Dake1> ReadDake1(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kDake1));
  Dake1 m;
  OTR_ASSIGN_OR_RETURN(m.sender_instance_tag, ReadSenderTag(r));
  OTR_ASSIGN_OR_RETURN(m.client_profile, v4::ReadClientProfile(r));
  OTR_ASSIGN_OR_RETURN(m.i, v4::ReadPoint(r));
  return m;
}

void Write(wire::Writer& w, const Dake1& m) {
  WriteHeader(w, MessageType::kDake1);
  w.WriteU32(m.sender_instance_tag);
  v4::WriteClientProfile(w, m.client_profile);
  v4::WritePoint(w, m.i);
}

Result<Dake2> ReadDake2(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kDake2));
  Dake2 m;
  OTR_ASSIGN_OR_RETURN(m.receiver_instance_tag, ReadReceiverTag(r));
  OTR_ASSIGN_OR_RETURN(m.server_identity, ReadCompositeIdentity(r));
  OTR_ASSIGN_OR_RETURN(m.s, v4::ReadPoint(r));
  OTR_ASSIGN_OR_RETURN(m.sigma, v4::ReadRingSig(r));
  return m;
}

void Write(wire::Writer& w, const Dake2& m) {
  WriteHeader(w, MessageType::kDake2);
  w.WriteU32(m.receiver_instance_tag);
  WriteCompositeIdentity(w, m.server_identity);
  v4::WritePoint(w, m.s);
  v4::WriteRingSig(w, m.sigma);
}

Result<Dake3> ReadDake3(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kDake3));
  Dake3 m;
  OTR_ASSIGN_OR_RETURN(m.sender_instance_tag, ReadSenderTag(r));
  OTR_ASSIGN_OR_RETURN(m.sigma, v4::ReadRingSig(r));
  OTR_ASSIGN_OR_RETURN(m.message, v4::ReadData(r, kMaxAttachedMessageSize));
  return m;
}

void Write(wire::Writer& w, const Dake3& m) {
  WriteHeader(w, MessageType::kDake3);
  w.WriteU32(m.sender_instance_tag);
  v4::WriteRingSig(w, m.sigma);
  v4::WriteData(w, m.message);
}

// --- Prekey Publication ("Prekey Publication Message") ---

void WriteProofs(wire::Writer& w, const PrekeyPublication& m) {
  if (m.prekey_message_proofs) {
    WriteEcdhProof(w, m.prekey_message_proofs->ecdh);
    WriteDhProof(w, m.prekey_message_proofs->dh);
  }
  if (m.prekey_profile_proof) WriteEcdhProof(w, *m.prekey_profile_proof);
}

Status ValidatePublication(const PrekeyPublication& m) {
  if (m.prekey_messages.size() > kMaxPrekeyMessagesPerPublication) {
    return MakeError(ErrorCode::kTooLarge, "more than 255 Prekey Messages");
  }
  if (m.prekey_message_proofs.has_value() == m.prekey_messages.empty()) {
    return MakeError(ErrorCode::kInvalidEncoding,
                     "Prekey Message proofs present exactly when N > 0");
  }
  if (m.prekey_profile_proof.has_value() != m.prekey_profile.has_value()) {
    return MakeError(ErrorCode::kInvalidEncoding,
                     "Prekey Profile proof present exactly when J = 1");
  }
  // One instance tag for every value in the message.
  std::optional<wire::InstanceTag> tag;
  auto same = [&tag](wire::InstanceTag t) {
    if (!tag) tag = t;
    return *tag == t;
  };
  bool consistent = true;
  for (const v4::PrekeyMessage& pm : m.prekey_messages) {
    consistent = same(pm.owner_instance_tag) && consistent;
  }
  if (m.client_profile) consistent = same(m.client_profile->owner_instance_tag) && consistent;
  if (m.prekey_profile) consistent = same(m.prekey_profile->owner_instance_tag) && consistent;
  if (!consistent) {
    return MakeError(ErrorCode::kInvalidInstanceTag,
                     "values of one Prekey Publication with different instance tags");
  }
  return Status::Ok();
}

Result<PrekeyPublication> ReadPrekeyPublication(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kPrekeyPublication));
  PrekeyPublication m;
  OTR_ASSIGN_OR_RETURN(uint8_t n, r.ReadU8());
  m.prekey_messages.reserve(n);
  for (uint8_t i = 0; i < n; ++i) {
    OTR_ASSIGN_OR_RETURN(v4::PrekeyMessage pm, v4::ReadPrekeyMessage(r));
    m.prekey_messages.push_back(std::move(pm));
  }
  OTR_ASSIGN_OR_RETURN(bool k, ReadPresenceFlag(r));
  if (k) {
    OTR_ASSIGN_OR_RETURN(m.client_profile, v4::ReadClientProfile(r));
  }
  OTR_ASSIGN_OR_RETURN(bool j, ReadPresenceFlag(r));
  if (j) {
    OTR_ASSIGN_OR_RETURN(m.prekey_profile, v4::ReadPrekeyProfile(r));
  }
  if (n > 0) {
    PrekeyMessageProofs proofs;
    OTR_ASSIGN_OR_RETURN(proofs.ecdh, ReadEcdhProof(r));
    OTR_ASSIGN_OR_RETURN(proofs.dh, ReadDhProof(r));
    m.prekey_message_proofs = std::move(proofs);
  }
  if (j) {
    OTR_ASSIGN_OR_RETURN(m.prekey_profile_proof, ReadEcdhProof(r));
  }
  OTR_ASSIGN_OR_RETURN(m.prekey_mac, v4::ReadMac(r));
  OTR_RETURN_IF_ERROR(ValidatePublication(m));
  return m;
}

void Write(wire::Writer& w, const PrekeyPublication& m) {
  WriteHeader(w, MessageType::kPrekeyPublication);
  w.WriteU8(static_cast<uint8_t>(m.prekey_messages.size()));
  for (const v4::PrekeyMessage& pm : m.prekey_messages) v4::WritePrekeyMessage(w, pm);
  w.WriteU8(m.client_profile ? 1 : 0);
  if (m.client_profile) v4::WriteClientProfile(w, *m.client_profile);
  w.WriteU8(m.prekey_profile ? 1 : 0);
  if (m.prekey_profile) v4::WritePrekeyProfile(w, *m.prekey_profile);
  WriteProofs(w, m);
  v4::WriteMac(w, m.prekey_mac);
}

// --- Storage Information Request, Storage Status, Success, Failure ---

Result<StorageInformationRequest> ReadStorageInformationRequest(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kStorageInformationRequest));
  StorageInformationRequest m;
  OTR_ASSIGN_OR_RETURN(m.storage_information_mac, v4::ReadMac(r));
  return m;
}

void Write(wire::Writer& w, const StorageInformationRequest& m) {
  WriteHeader(w, MessageType::kStorageInformationRequest);
  v4::WriteMac(w, m.storage_information_mac);
}

Result<StorageStatus> ReadStorageStatus(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kStorageStatus));
  StorageStatus m;
  OTR_ASSIGN_OR_RETURN(m.receiver_instance_tag, ReadReceiverTag(r));
  OTR_ASSIGN_OR_RETURN(m.stored_prekey_messages, r.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.status_mac, v4::ReadMac(r));
  return m;
}

void Write(wire::Writer& w, const StorageStatus& m) {
  WriteHeader(w, MessageType::kStorageStatus);
  w.WriteU32(m.receiver_instance_tag);
  w.WriteU32(m.stored_prekey_messages);
  v4::WriteMac(w, m.status_mac);
}

// Success and Failure share one layout.
template <typename T, MessageType kType, v4::Mac T::*kMac>
Result<T> ReadReceipt(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, kType));
  T m;
  OTR_ASSIGN_OR_RETURN(m.receiver_instance_tag, ReadReceiverTag(r));
  OTR_ASSIGN_OR_RETURN(m.*kMac, v4::ReadMac(r));
  return m;
}

void Write(wire::Writer& w, const Success& m) {
  WriteHeader(w, MessageType::kSuccess);
  w.WriteU32(m.receiver_instance_tag);
  v4::WriteMac(w, m.success_mac);
}

void Write(wire::Writer& w, const Failure& m) {
  WriteHeader(w, MessageType::kFailure);
  w.WriteU32(m.receiver_instance_tag);
  v4::WriteMac(w, m.failure_mac);
}

// --- Retrieval ("Retrieving Prekey Ensembles") ---

Result<PrekeyEnsembleQueryRetrieval> ReadQueryRetrieval(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kPrekeyEnsembleQueryRetrieval));
  PrekeyEnsembleQueryRetrieval m;
  OTR_ASSIGN_OR_RETURN(m.sender_instance_tag, ReadSenderTag(r));
  OTR_ASSIGN_OR_RETURN(m.participant_identity, v4::ReadData(r, kMaxIdentitySize));
  OTR_ASSIGN_OR_RETURN(m.versions, v4::ReadData(r, kMaxVersionsSize));
  return m;
}

void Write(wire::Writer& w, const PrekeyEnsembleQueryRetrieval& m) {
  WriteHeader(w, MessageType::kPrekeyEnsembleQueryRetrieval);
  w.WriteU32(m.sender_instance_tag);
  v4::WriteData(w, m.participant_identity);
  v4::WriteData(w, m.versions);
}

Result<PrekeyEnsembleRetrieval> ReadRetrieval(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kPrekeyEnsembleRetrieval));
  PrekeyEnsembleRetrieval m;
  OTR_ASSIGN_OR_RETURN(m.receiver_instance_tag, ReadReceiverTag(r));
  OTR_ASSIGN_OR_RETURN(m.participant_identity, v4::ReadData(r, kMaxIdentitySize));
  OTR_ASSIGN_OR_RETURN(uint32_t l, r.ReadU32());
  if (l == 0) return MakeError(ErrorCode::kInvalidEncoding, "L, the ensemble count, is 0");
  if (l > kMaxEnsembles) return MakeError(ErrorCode::kTooLarge, "more Prekey Ensembles than 255");
  m.ensembles.reserve(l);
  for (uint32_t i = 0; i < l; ++i) {
    PrekeyEnsemble e;
    OTR_ASSIGN_OR_RETURN(e.client_profile, v4::ReadClientProfile(r));
    OTR_ASSIGN_OR_RETURN(e.prekey_profile, v4::ReadPrekeyProfile(r));
    OTR_ASSIGN_OR_RETURN(e.prekey_message, v4::ReadPrekeyMessage(r));
    m.ensembles.push_back(std::move(e));
  }
  return m;
}

void Write(wire::Writer& w, const PrekeyEnsembleRetrieval& m) {
  WriteHeader(w, MessageType::kPrekeyEnsembleRetrieval);
  w.WriteU32(m.receiver_instance_tag);
  v4::WriteData(w, m.participant_identity);
  w.WriteU32(static_cast<uint32_t>(m.ensembles.size()));
  for (const PrekeyEnsemble& e : m.ensembles) {
    v4::WriteClientProfile(w, e.client_profile);
    v4::WritePrekeyProfile(w, e.prekey_profile);
    v4::WritePrekeyMessage(w, e.prekey_message);
  }
}

Result<NoPrekeyEnsemblesInStorage> ReadNoPrekeyEnsembles(wire::Reader& r) {
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kNoPrekeyEnsemblesInStorage));
  NoPrekeyEnsemblesInStorage m;
  OTR_ASSIGN_OR_RETURN(m.receiver_instance_tag, ReadReceiverTag(r));
  OTR_ASSIGN_OR_RETURN(m.participant_identity, v4::ReadData(r, kMaxIdentitySize));
  OTR_ASSIGN_OR_RETURN(m.text, v4::ReadData(r, kMaxNoPrekeyTextSize));
  return m;
}

void Write(wire::Writer& w, const NoPrekeyEnsemblesInStorage& m) {
  WriteHeader(w, MessageType::kNoPrekeyEnsemblesInStorage);
  w.WriteU32(m.receiver_instance_tag);
  v4::WriteData(w, m.participant_identity);
  v4::WriteData(w, m.text);
}

// The whole input is one message of the reader's kind.
template <typename T>
Result<T> DecodeWhole(ByteView bytes, Result<T> (*read)(wire::Reader&)) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(T m, read(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return m;
}

template <typename T>
Result<Message> AsMessage(Result<T> r) {
  if (!r.ok()) return r.error();
  return Message(std::move(r).value());
}

}  // namespace

Result<Dake1> DecodeDake1(ByteView b) { return DecodeWhole(b, &ReadDake1); }
Result<Dake2> DecodeDake2(ByteView b) { return DecodeWhole(b, &ReadDake2); }
Result<Dake3> DecodeDake3(ByteView b) { return DecodeWhole(b, &ReadDake3); }
Result<PrekeyPublication> DecodePrekeyPublication(ByteView b) {
  return DecodeWhole(b, &ReadPrekeyPublication);
}
Result<StorageInformationRequest> DecodeStorageInformationRequest(ByteView b) {
  return DecodeWhole(b, &ReadStorageInformationRequest);
}
Result<StorageStatus> DecodeStorageStatus(ByteView b) { return DecodeWhole(b, &ReadStorageStatus); }
Result<Success> DecodeSuccess(ByteView b) {
  return DecodeWhole(b, &ReadReceipt<Success, MessageType::kSuccess, &Success::success_mac>);
}
Result<Failure> DecodeFailure(ByteView b) {
  return DecodeWhole(b, &ReadReceipt<Failure, MessageType::kFailure, &Failure::failure_mac>);
}
Result<PrekeyEnsembleQueryRetrieval> DecodePrekeyEnsembleQueryRetrieval(ByteView b) {
  return DecodeWhole(b, &ReadQueryRetrieval);
}
Result<PrekeyEnsembleRetrieval> DecodePrekeyEnsembleRetrieval(ByteView b) {
  return DecodeWhole(b, &ReadRetrieval);
}
Result<NoPrekeyEnsemblesInStorage> DecodeNoPrekeyEnsemblesInStorage(ByteView b) {
  return DecodeWhole(b, &ReadNoPrekeyEnsembles);
}

Result<Message> DecodeMessage(ByteView bytes) {
  // The header first, so that a wrong version is reported as such whatever
  // the type.
  wire::Reader header(bytes);
  OTR_ASSIGN_OR_RETURN(uint16_t version, header.ReadU16());
  if (version != kProtocolVersion) {
    return MakeError(ErrorCode::kUnsupportedVersion, "prekey-server message not of version 4");
  }
  OTR_ASSIGN_OR_RETURN(uint8_t type, header.ReadU8());
  switch (static_cast<MessageType>(type)) {
    case MessageType::kDake1:
      return AsMessage(DecodeDake1(bytes));
    case MessageType::kDake2:
      return AsMessage(DecodeDake2(bytes));
    case MessageType::kDake3:
      return AsMessage(DecodeDake3(bytes));
    case MessageType::kPrekeyPublication:
      return AsMessage(DecodePrekeyPublication(bytes));
    case MessageType::kStorageInformationRequest:
      return AsMessage(DecodeStorageInformationRequest(bytes));
    case MessageType::kStorageStatus:
      return AsMessage(DecodeStorageStatus(bytes));
    case MessageType::kSuccess:
      return AsMessage(DecodeSuccess(bytes));
    case MessageType::kFailure:
      return AsMessage(DecodeFailure(bytes));
    case MessageType::kPrekeyEnsembleQueryRetrieval:
      return AsMessage(DecodePrekeyEnsembleQueryRetrieval(bytes));
    case MessageType::kPrekeyEnsembleRetrieval:
      return AsMessage(DecodePrekeyEnsembleRetrieval(bytes));
    case MessageType::kNoPrekeyEnsemblesInStorage:
      return AsMessage(DecodeNoPrekeyEnsemblesInStorage(bytes));
  }
  return MakeError(ErrorCode::kUnknownType, "unknown prekey-server message type");
}

Bytes EncodeMessage(const Message& m) {
  wire::Writer w;
  std::visit([&w](const auto& message) { Write(w, message); }, m);
  return std::move(w).Finish();
}

MessageType TypeOf(const Message& m) {
  return std::visit(
      [](const auto& message) {
        using T = std::decay_t<decltype(message)>;
        if constexpr (std::is_same_v<T, Dake1>) return MessageType::kDake1;
        if constexpr (std::is_same_v<T, Dake2>) return MessageType::kDake2;
        if constexpr (std::is_same_v<T, Dake3>) return MessageType::kDake3;
        if constexpr (std::is_same_v<T, PrekeyPublication>) return MessageType::kPrekeyPublication;
        if constexpr (std::is_same_v<T, StorageInformationRequest>) {
          return MessageType::kStorageInformationRequest;
        }
        if constexpr (std::is_same_v<T, StorageStatus>) return MessageType::kStorageStatus;
        if constexpr (std::is_same_v<T, Success>) return MessageType::kSuccess;
        if constexpr (std::is_same_v<T, Failure>) return MessageType::kFailure;
        if constexpr (std::is_same_v<T, PrekeyEnsembleQueryRetrieval>) {
          return MessageType::kPrekeyEnsembleQueryRetrieval;
        }
        if constexpr (std::is_same_v<T, PrekeyEnsembleRetrieval>) {
          return MessageType::kPrekeyEnsembleRetrieval;
        }
        if constexpr (std::is_same_v<T, NoPrekeyEnsemblesInStorage>) {
          return MessageType::kNoPrekeyEnsemblesInStorage;
        }
      },
      m);
}

Status ValidateMessage(const Message& m) {
  return std::visit(
      [](const auto& message) -> Status {
        using T = std::decay_t<decltype(message)>;
        if constexpr (std::is_same_v<T, Dake1> || std::is_same_v<T, Dake3> ||
                      std::is_same_v<T, PrekeyEnsembleQueryRetrieval>) {
          OTR_RETURN_IF_ERROR(CheckSenderTag(message.sender_instance_tag));
        }
        if constexpr (std::is_same_v<T, Dake2> || std::is_same_v<T, StorageStatus> ||
                      std::is_same_v<T, Success> || std::is_same_v<T, Failure> ||
                      std::is_same_v<T, PrekeyEnsembleRetrieval> ||
                      std::is_same_v<T, NoPrekeyEnsemblesInStorage>) {
          OTR_RETURN_IF_ERROR(CheckReceiverTag(message.receiver_instance_tag));
        }
        if constexpr (std::is_same_v<T, Dake2>) {
          if (message.server_identity.identity.size() > kMaxIdentitySize) {
            return MakeError(ErrorCode::kTooLarge, "server identity too long");
          }
        }
        if constexpr (std::is_same_v<T, Dake3>) {
          if (message.message.size() > kMaxAttachedMessageSize) {
            return MakeError(ErrorCode::kTooLarge, "attached message too long");
          }
        }
        if constexpr (std::is_same_v<T, PrekeyPublication>) {
          OTR_RETURN_IF_ERROR(ValidatePublication(message));
        }
        if constexpr (std::is_same_v<T, PrekeyEnsembleQueryRetrieval>) {
          if (message.participant_identity.size() > kMaxIdentitySize ||
              message.versions.size() > kMaxVersionsSize) {
            return MakeError(ErrorCode::kTooLarge, "identity or versions too long");
          }
        }
        if constexpr (std::is_same_v<T, PrekeyEnsembleRetrieval>) {
          if (message.participant_identity.size() > kMaxIdentitySize) {
            return MakeError(ErrorCode::kTooLarge, "identity too long");
          }
          if (message.ensembles.empty()) {
            return MakeError(ErrorCode::kInvalidEncoding, "L, the ensemble count, is 0");
          }
          if (message.ensembles.size() > kMaxEnsembles) {
            return MakeError(ErrorCode::kTooLarge, "more Prekey Ensembles than 255");
          }
        }
        if constexpr (std::is_same_v<T, NoPrekeyEnsemblesInStorage>) {
          if (message.participant_identity.size() > kMaxIdentitySize ||
              message.text.size() > kMaxNoPrekeyTextSize) {
            return MakeError(ErrorCode::kTooLarge, "identity or text too long");
          }
        }
        return Status::Ok();
      },
      m);
}

Result<AttachedMessage> DecodeAttachedMessage(ByteView bytes) {
  OTR_ASSIGN_OR_RETURN(Message m, DecodeMessage(bytes));
  if (auto* p = std::get_if<PrekeyPublication>(&m)) return AttachedMessage(std::move(*p));
  if (auto* s = std::get_if<StorageInformationRequest>(&m)) return AttachedMessage(*s);
  return MakeError(ErrorCode::kUnknownType,
                   "DAKE-3 carries neither a Prekey Publication nor a Storage Information Request");
}

Bytes EncodeAttachedMessage(const AttachedMessage& m) {
  return std::visit([](const auto& message) { return EncodeMessage(Message(message)); }, m);
}

PrekeyPublicationMacParts PublicationMacParts(const PrekeyPublication& m) {
  PrekeyPublicationMacParts parts;
  parts.n = static_cast<uint8_t>(m.prekey_messages.size());
  wire::Writer messages;
  for (const v4::PrekeyMessage& pm : m.prekey_messages) v4::WritePrekeyMessage(messages, pm);
  parts.prekey_messages = std::move(messages).Finish();
  parts.k = m.client_profile ? 1 : 0;
  if (m.client_profile) parts.client_profile = v4::EncodeClientProfile(*m.client_profile);
  parts.j = m.prekey_profile ? 1 : 0;
  if (m.prekey_profile) parts.prekey_profile = v4::EncodePrekeyProfile(*m.prekey_profile);
  wire::Writer proofs;
  WriteProofs(proofs, m);
  parts.proofs = std::move(proofs).Finish();
  return parts;
}

Bytes StorageInformationMacInput() {
  return Bytes{static_cast<uint8_t>(MessageType::kStorageInformationRequest)};
}

Bytes StatusMacInput(const StorageStatus& m) {
  wire::Writer w;
  w.WriteU8(static_cast<uint8_t>(MessageType::kStorageStatus));
  w.WriteU32(m.receiver_instance_tag);
  w.WriteU32(m.stored_prekey_messages);
  return std::move(w).Finish();
}

Bytes SuccessMacInput(const Success& m) {
  wire::Writer w;
  w.WriteU8(static_cast<uint8_t>(MessageType::kSuccess));
  w.WriteU32(m.receiver_instance_tag);
  return std::move(w).Finish();
}

Bytes FailureMacInput(const Failure& m) {
  wire::Writer w;
  w.WriteU8(static_cast<uint8_t>(MessageType::kFailure));
  w.WriteU32(m.receiver_instance_tag);
  return std::move(w).Finish();
}

}  // namespace otr::prekey

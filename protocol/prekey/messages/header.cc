#include "protocol/prekey/messages/header.h"

namespace otr::prekey {

std::string_view MessageTypeName(uint8_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::kFailure:
      return "Failure";
    case MessageType::kSuccess:
      return "Success";
    case MessageType::kPrekeyPublication:
      return "Prekey Publication";
    case MessageType::kStorageInformationRequest:
      return "Storage Information Request";
    case MessageType::kStorageStatus:
      return "Storage Status";
    case MessageType::kNoPrekeyEnsemblesInStorage:
      return "No Prekey Ensembles in Storage";
    case MessageType::kPrekeyEnsembleQueryRetrieval:
      return "Prekey Ensemble Query Retrieval";
    case MessageType::kPrekeyEnsembleRetrieval:
      return "Prekey Ensemble Retrieval";
    case MessageType::kDake1:
      return "DAKE-1";
    case MessageType::kDake2:
      return "DAKE-2";
    case MessageType::kDake3:
      return "DAKE-3";
  }
  return "unknown";
}

namespace internal {

Status ReadHeader(wire::Reader& reader, MessageType type) {
  OTR_ASSIGN_OR_RETURN(uint16_t version, reader.ReadU16());
  if (version != kProtocolVersion) {
    return MakeError(ErrorCode::kUnsupportedVersion, "prekey-server message not of version 4");
  }
  OTR_ASSIGN_OR_RETURN(uint8_t got, reader.ReadU8());
  if (got != static_cast<uint8_t>(type)) {
    return MakeError(ErrorCode::kUnknownType, "unexpected prekey-server message type");
  }
  return Status::Ok();
}

void WriteHeader(wire::Writer& writer, MessageType type) {
  writer.WriteU16(kProtocolVersion);
  writer.WriteU8(static_cast<uint8_t>(type));
}

Result<wire::InstanceTag> ReadSenderTag(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(uint32_t tag, reader.ReadU32());
  if (tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "sender instance tag below 0x100");
  }
  return tag;
}

Result<wire::InstanceTag> ReadReceiverTag(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(uint32_t tag, reader.ReadU32());
  return wire::CheckInstanceTag(tag);
}

}  // namespace internal
}  // namespace otr::prekey

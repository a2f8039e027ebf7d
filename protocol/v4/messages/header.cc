#include "protocol/v4/messages/header.h"

#include "protocol/v4/messages/data_types.h"

namespace otr::v4 {

Status ReadVersionAndType(wire::Reader& reader, MessageType type) {
  OTR_ASSIGN_OR_RETURN(uint16_t version, reader.ReadU16());
  if (version != kProtocolVersion) {
    return MakeError(ErrorCode::kUnsupportedVersion, "OTRv4 message version is not 0x0004");
  }
  OTR_ASSIGN_OR_RETURN(uint8_t raw_type, reader.ReadU8());
  if (raw_type != static_cast<uint8_t>(type)) {
    return MakeError(ErrorCode::kUnknownType, "OTRv4 message of another type");
  }
  return Status::Ok();
}

void WriteVersionAndType(wire::Writer& writer, MessageType type) {
  writer.WriteU16(kProtocolVersion);
  writer.WriteU8(static_cast<uint8_t>(type));
}

Result<Header> ReadHeader(wire::Reader& reader, MessageType type) {
  OTR_RETURN_IF_ERROR(ReadVersionAndType(reader, type));
  Header header;
  OTR_ASSIGN_OR_RETURN(header.sender_instance_tag, reader.ReadU32());
  if (header.sender_instance_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "sender instance tag below 0x100");
  }
  OTR_ASSIGN_OR_RETURN(uint32_t receiver, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(header.receiver_instance_tag, wire::CheckInstanceTag(receiver));
  return header;
}

void WriteHeader(wire::Writer& writer, MessageType type, const Header& header) {
  WriteVersionAndType(writer, type);
  writer.WriteU32(header.sender_instance_tag);
  writer.WriteU32(header.receiver_instance_tag);
}

}  // namespace otr::v4

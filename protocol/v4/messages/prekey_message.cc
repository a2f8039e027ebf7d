#include "protocol/v4/messages/prekey_message.h"

namespace otr::v4 {

Result<PrekeyMessage> ReadPrekeyMessage(wire::Reader& reader) {
  OTR_RETURN_IF_ERROR(ReadVersionAndType(reader, MessageType::kPrekeyMessage));
  PrekeyMessage m;
  OTR_ASSIGN_OR_RETURN(m.identifier, reader.ReadU32());
  OTR_ASSIGN_OR_RETURN(m.owner_instance_tag, reader.ReadU32());
  if (m.owner_instance_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "prekey owner instance tag below 0x100");
  }
  OTR_ASSIGN_OR_RETURN(m.y, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.b, ReadMpi(reader));
  return m;
}

void WritePrekeyMessage(wire::Writer& writer, const PrekeyMessage& m) {
  WriteVersionAndType(writer, MessageType::kPrekeyMessage);
  writer.WriteU32(m.identifier);
  writer.WriteU32(m.owner_instance_tag);
  WritePoint(writer, m.y);
  WriteMpi(writer, m.b);
}

Result<PrekeyMessage> DecodePrekeyMessage(ByteView bytes) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(PrekeyMessage m, ReadPrekeyMessage(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return m;
}

Bytes EncodePrekeyMessage(const PrekeyMessage& m) {
  wire::Writer writer;
  WritePrekeyMessage(writer, m);
  return std::move(writer).Finish();
}

}  // namespace otr::v4

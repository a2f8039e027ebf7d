#include "protocol/v4/messages/data_types.h"

namespace otr::v4 {
namespace {

Result<Point> ReadTypedPoint(wire::Reader& reader, uint16_t expected_type, std::string_view what) {
  OTR_ASSIGN_OR_RETURN(uint16_t type, reader.ReadU16Le());
  if (type != expected_type) return MakeError(ErrorCode::kUnknownType, what);
  return ReadPoint(reader);
}

void WriteTypedPoint(wire::Writer& writer, uint16_t type, const Point& p) {
  writer.WriteU16Le(type);
  WritePoint(writer, p);
}

}  // namespace

Result<Mpi> ReadMpi(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(ByteView value, reader.ReadMpi(kDhModulusSize));
  return Mpi(value);  // at most kDhModulusSize bytes: fits
}

Result<Bytes> ReadData(wire::Reader& reader, size_t max_size) {
  OTR_ASSIGN_OR_RETURN(ByteView value, reader.ReadData(max_size));
  return Bytes(value.begin(), value.end());
}

Result<Point> ReadEd448Pubkey(wire::Reader& reader) {
  return ReadTypedPoint(reader, kPubkeyTypeEd448, "ED448-PUBKEY type is not 0x0010");
}
Result<Point> ReadEd448ForgingKey(wire::Reader& reader) {
  return ReadTypedPoint(reader, kForgingKeyTypeEd448, "ED448-FORGING-KEY type is not 0x0012");
}
Result<Point> ReadEd448SharedPrekey(wire::Reader& reader) {
  return ReadTypedPoint(reader, kSharedPrekeyTypeEd448, "ED448-SHARED-PREKEY type is not 0x0011");
}
void WriteEd448Pubkey(wire::Writer& writer, const Point& h) {
  WriteTypedPoint(writer, kPubkeyTypeEd448, h);
}
void WriteEd448ForgingKey(wire::Writer& writer, const Point& f) {
  WriteTypedPoint(writer, kForgingKeyTypeEd448, f);
}
void WriteEd448SharedPrekey(wire::Writer& writer, const Point& d) {
  WriteTypedPoint(writer, kSharedPrekeyTypeEd448, d);
}

}  // namespace otr::v4

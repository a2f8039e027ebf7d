#include "protocol/v4/messages/ring_sig.h"

namespace otr::v4 {

Result<RingSig> ReadRingSig(wire::Reader& reader) {
  RingSig sigma;
  OTR_ASSIGN_OR_RETURN(sigma.c1, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(sigma.r1, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(sigma.c2, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(sigma.r2, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(sigma.c3, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(sigma.r3, ReadScalar(reader));
  return sigma;
}

void WriteRingSig(wire::Writer& writer, const RingSig& sigma) {
  WriteScalar(writer, sigma.c1);
  WriteScalar(writer, sigma.r1);
  WriteScalar(writer, sigma.c2);
  WriteScalar(writer, sigma.r2);
  WriteScalar(writer, sigma.c3);
  WriteScalar(writer, sigma.r3);
}

Result<RingSig> DecodeRingSig(ByteView bytes) {
  wire::Reader reader(bytes);
  OTR_ASSIGN_OR_RETURN(RingSig sigma, ReadRingSig(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return sigma;
}

Bytes EncodeRingSig(const RingSig& sigma) {
  wire::Writer writer;
  writer.Reserve(kRingSigSize);
  WriteRingSig(writer, sigma);
  return std::move(writer).Finish();
}

}  // namespace otr::v4

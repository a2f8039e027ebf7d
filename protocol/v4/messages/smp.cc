#include "protocol/v4/messages/smp.h"

namespace otr::v4 {

Result<SmpMessage1> DecodeSmpMessage1(ByteView value) {
  wire::Reader reader(value);
  SmpMessage1 m;
  OTR_ASSIGN_OR_RETURN(m.question, ReadData(reader, kMaxSmpQuestionSize));
  OTR_ASSIGN_OR_RETURN(m.g2a, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.c2, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d2, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.g3a, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.c3, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d3, ReadScalar(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return m;
}

Result<SmpMessage2> DecodeSmpMessage2(ByteView value) {
  wire::Reader reader(value);
  SmpMessage2 m;
  OTR_ASSIGN_OR_RETURN(m.g2b, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.c2, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d2, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.g3b, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.c3, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d3, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.pb, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.qb, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.cp, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d5, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d6, ReadScalar(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return m;
}

Result<SmpMessage3> DecodeSmpMessage3(ByteView value) {
  wire::Reader reader(value);
  SmpMessage3 m;
  OTR_ASSIGN_OR_RETURN(m.pa, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.qa, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.cp, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d5, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d6, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.ra, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.cr, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d7, ReadScalar(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return m;
}

Result<SmpMessage4> DecodeSmpMessage4(ByteView value) {
  wire::Reader reader(value);
  SmpMessage4 m;
  OTR_ASSIGN_OR_RETURN(m.rb, ReadPoint(reader));
  OTR_ASSIGN_OR_RETURN(m.cr, ReadScalar(reader));
  OTR_ASSIGN_OR_RETURN(m.d7, ReadScalar(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return m;
}

Bytes EncodeSmpMessage1(const SmpMessage1& m) {
  wire::Writer writer;
  writer.Reserve(kSmpMessage1FixedSize + m.question.size());
  WriteData(writer, m.question);
  WritePoint(writer, m.g2a);
  WriteScalar(writer, m.c2);
  WriteScalar(writer, m.d2);
  WritePoint(writer, m.g3a);
  WriteScalar(writer, m.c3);
  WriteScalar(writer, m.d3);
  return std::move(writer).Finish();
}

Bytes EncodeSmpMessage2(const SmpMessage2& m) {
  wire::Writer writer;
  writer.Reserve(kSmpMessage2Size);
  WritePoint(writer, m.g2b);
  WriteScalar(writer, m.c2);
  WriteScalar(writer, m.d2);
  WritePoint(writer, m.g3b);
  WriteScalar(writer, m.c3);
  WriteScalar(writer, m.d3);
  WritePoint(writer, m.pb);
  WritePoint(writer, m.qb);
  WriteScalar(writer, m.cp);
  WriteScalar(writer, m.d5);
  WriteScalar(writer, m.d6);
  return std::move(writer).Finish();
}

Bytes EncodeSmpMessage3(const SmpMessage3& m) {
  wire::Writer writer;
  writer.Reserve(kSmpMessage3Size);
  WritePoint(writer, m.pa);
  WritePoint(writer, m.qa);
  WriteScalar(writer, m.cp);
  WriteScalar(writer, m.d5);
  WriteScalar(writer, m.d6);
  WritePoint(writer, m.ra);
  WriteScalar(writer, m.cr);
  WriteScalar(writer, m.d7);
  return std::move(writer).Finish();
}

Bytes EncodeSmpMessage4(const SmpMessage4& m) {
  wire::Writer writer;
  writer.Reserve(kSmpMessage4Size);
  WritePoint(writer, m.rb);
  WriteScalar(writer, m.cr);
  WriteScalar(writer, m.d7);
  return std::move(writer).Finish();
}

}  // namespace otr::v4

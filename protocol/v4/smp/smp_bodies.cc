#include "protocol/v4/smp/smp_bodies.h"

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v4::smp {
namespace {

template <size_t N>
Status Read(wire::Reader& r, std::array<uint8_t, N>& out) {
  OTR_ASSIGN_OR_RETURN(ByteView bytes, r.ReadBytes(N));
  for (size_t i = 0; i < N; ++i) out[i] = bytes[i];
  return Status::Ok();
}

}  // namespace

Result<Smp1> DecodeSmp1(ByteView body) {
  wire::Reader r(body);
  Smp1 m;
  OTR_ASSIGN_OR_RETURN(ByteView question, r.ReadData(kMaxQuestionSize));
  m.question.assign(question.begin(), question.end());
  for (auto* f : {&m.g2a, &m.c2, &m.d2, &m.g3a, &m.c3, &m.d3}) OTR_RETURN_IF_ERROR(Read(r, *f));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<Smp2> DecodeSmp2(ByteView body) {
  wire::Reader r(body);
  Smp2 m;
  for (auto* f : {&m.g2b, &m.c2, &m.d2, &m.g3b, &m.c3, &m.d3, &m.pb, &m.qb, &m.cp, &m.d5, &m.d6}) {
    OTR_RETURN_IF_ERROR(Read(r, *f));
  }
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<Smp3> DecodeSmp3(ByteView body) {
  wire::Reader r(body);
  Smp3 m;
  for (auto* f : {&m.pa, &m.qa, &m.cp, &m.d5, &m.d6, &m.ra, &m.cr, &m.d7}) {
    OTR_RETURN_IF_ERROR(Read(r, *f));
  }
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<Smp4> DecodeSmp4(ByteView body) {
  wire::Reader r(body);
  Smp4 m;
  for (auto* f : {&m.rb, &m.cr, &m.d7}) OTR_RETURN_IF_ERROR(Read(r, *f));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Bytes EncodeSmp1(const Smp1& m) {
  wire::Writer w;
  w.WriteData(m.question);
  for (const auto* f : {&m.g2a, &m.c2, &m.d2, &m.g3a, &m.c3, &m.d3}) w.WriteBytes(*f);
  return std::move(w).Finish();
}

Bytes EncodeSmp2(const Smp2& m) {
  wire::Writer w;
  for (const auto* f :
       {&m.g2b, &m.c2, &m.d2, &m.g3b, &m.c3, &m.d3, &m.pb, &m.qb, &m.cp, &m.d5, &m.d6}) {
    w.WriteBytes(*f);
  }
  return std::move(w).Finish();
}

Bytes EncodeSmp3(const Smp3& m) {
  wire::Writer w;
  for (const auto* f : {&m.pa, &m.qa, &m.cp, &m.d5, &m.d6, &m.ra, &m.cr, &m.d7}) w.WriteBytes(*f);
  return std::move(w).Finish();
}

Bytes EncodeSmp4(const Smp4& m) {
  wire::Writer w;
  for (const auto* f : {&m.rb, &m.cr, &m.d7}) w.WriteBytes(*f);
  return std::move(w).Finish();
}

}  // namespace otr::v4::smp

#include "protocol/v3/smp_tlv.h"

#include <algorithm>

#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v3 {
namespace {

template <typename T>
Result<T> ReadSmpBody(wire::Reader& reader) {
  OTR_ASSIGN_OR_RETURN(uint32_t count, reader.ReadU32());
  if (count != T::kFields.size()) {
    return MakeError(ErrorCode::kInvalidEncoding, "SMP MPI count differs from the message's");
  }
  T out;
  for (auto field : T::kFields) {
    OTR_ASSIGN_OR_RETURN(ByteView mpi, reader.ReadMpi(kMaxSmpMpiSize));
    (out.*field).assign(mpi.begin(), mpi.end());
  }
  return out;
}

template <typename T>
Result<T> DecodeSmpBody(ByteView value) {
  wire::Reader reader(value);
  OTR_ASSIGN_OR_RETURN(T out, ReadSmpBody<T>(reader));
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return out;
}

template <typename T>
void WriteSmpBody(wire::Writer& writer, const T& m) {
  writer.WriteU32(static_cast<uint32_t>(T::kFields.size()));
  for (auto field : T::kFields) writer.WriteMpi(m.*field);
}

template <typename T>
Bytes EncodeSmpBody(const T& m) {
  wire::Writer writer;
  WriteSmpBody(writer, m);
  return std::move(writer).Finish();
}

}  // namespace

Result<Smp1> DecodeSmp1(ByteView value) { return DecodeSmpBody<Smp1>(value); }
Result<Smp2> DecodeSmp2(ByteView value) { return DecodeSmpBody<Smp2>(value); }
Result<Smp3> DecodeSmp3(ByteView value) { return DecodeSmpBody<Smp3>(value); }
Result<Smp4> DecodeSmp4(ByteView value) { return DecodeSmpBody<Smp4>(value); }

Result<Smp1Q> DecodeSmp1Q(ByteView value) {
  auto nul = std::find(value.begin(), value.end(), uint8_t{0});
  if (nul == value.end()) return MakeError(ErrorCode::kTruncated, "SMP question without NUL");
  size_t question_size = static_cast<size_t>(nul - value.begin());
  Smp1Q out;
  out.question.assign(value.begin(), nul);
  OTR_ASSIGN_OR_RETURN(out.smp1, DecodeSmp1(value.subspan(question_size + 1)));
  return out;
}

Bytes EncodeSmp1(const Smp1& m) { return EncodeSmpBody(m); }
Bytes EncodeSmp2(const Smp2& m) { return EncodeSmpBody(m); }
Bytes EncodeSmp3(const Smp3& m) { return EncodeSmpBody(m); }
Bytes EncodeSmp4(const Smp4& m) { return EncodeSmpBody(m); }

Result<Bytes> EncodeSmp1Q(const Smp1Q& m) {
  if (std::find(m.question.begin(), m.question.end(), uint8_t{0}) != m.question.end()) {
    return MakeError(ErrorCode::kInvalidEncoding, "SMP question contains NUL");
  }
  wire::Writer writer;
  writer.WriteBytes(m.question);
  writer.WriteU8(0);
  WriteSmpBody(writer, m.smp1);
  return std::move(writer).Finish();
}

}  // namespace otr::v3

// libotr-ng's SMP TLV bodies (smp_body.h).
#include "protocol/v4/libotr_ng/smp_body.h"

#include <string_view>

#include "protocol/wire/reader.h"

namespace otr::v4::libotr_ng {
namespace {

constexpr size_t kPoint = 57;       // POINT, both
constexpr size_t kSpecScalar = 57;  // otrv4.md SCALAR
constexpr size_t kNgScalar = 56;    // ED448_SCALAR_BYTES

// The fields after the question (message 1) or from the start: P a POINT,
// S a SCALAR (otrv4.md "SMP Message 1" .. "SMP Message 4").
std::string_view Layout(uint16_t tlv_type) {
  switch (tlv_type) {
    case 2:
      return "PSSPSS";
    case 3:
      return "PSSPSSPPSSS";
    case 4:
      return "PPSSSPSS";
    case 5:
      return "PSS";
    default:
      return {};
  }
}

Result<Bytes> Convert(uint16_t tlv_type, ByteView body, bool to_libotr_ng) {
  const std::string_view layout = Layout(tlv_type);
  if (layout.empty()) return Bytes(body.begin(), body.end());
  wire::Reader r(body);
  Bytes out;
  if (tlv_type == 2) {  // "Question (DATA)" first
    OTR_ASSIGN_OR_RETURN(const uint32_t length, r.ReadU32());
    OTR_ASSIGN_OR_RETURN(const ByteView question, r.ReadBytes(length));
    const ByteView with_length = body.first(4 + question.size());
    out.assign(with_length.begin(), with_length.end());
  }
  for (char field : layout) {
    if (field == 'P') {
      OTR_ASSIGN_OR_RETURN(const ByteView p, r.ReadBytes(kPoint));
      out.insert(out.end(), p.begin(), p.end());
    } else if (to_libotr_ng) {
      OTR_ASSIGN_OR_RETURN(const ByteView s, r.ReadBytes(kSpecScalar));
      if (s[kNgScalar] != 0) {
        return MakeError(ErrorCode::kInvalidEncoding, "SMP scalar does not fit 56 bytes");
      }
      out.insert(out.end(), s.begin(), s.begin() + kNgScalar);
    } else {
      OTR_ASSIGN_OR_RETURN(const ByteView s, r.ReadBytes(kNgScalar));
      out.insert(out.end(), s.begin(), s.end());
      out.push_back(0);
    }
  }
  if (!r.empty()) return MakeError(ErrorCode::kTrailingBytes, "SMP message: bytes after it");
  return out;
}

}  // namespace

Result<Bytes> SmpBodyToLibotrNg(uint16_t tlv_type, ByteView spec_body) {
  return Convert(tlv_type, spec_body, true);
}

Result<Bytes> SmpBodyFromLibotrNg(uint16_t tlv_type, ByteView libotr_ng_body) {
  return Convert(tlv_type, libotr_ng_body, false);
}

}  // namespace otr::v4::libotr_ng

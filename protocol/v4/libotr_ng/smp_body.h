// libotr-ng's SMP TLV bodies (smp_protocol.c, smp_message_N_serialize):
// the spec's fields in the spec's order, every SCALAR in 56 bytes
// (otrng_serialize_ec_scalar, GOLDILOCKS_448_SCALAR_BYTES; the spec's SCALAR
// is 57, docs/libotr-ng-deviations.md #2). The profile converts the bodies
// at the TLV, and protocol/v4/smp's Ed448Group (Convention::kLibotrNg) does
// the arithmetic on the spec's bodies.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_SMP_BODY_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_SMP_BODY_H_

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"

namespace otr::v4::libotr_ng {

// `tlv_type`: 2..5 (SMP Message 1..4); any other type is returned as is.
// kTruncated / kTrailingBytes for a body of the wrong size; from the spec's
// form, kInvalidEncoding for a scalar whose 57th byte is not zero.
Result<Bytes> SmpBodyToLibotrNg(uint16_t tlv_type, ByteView spec_body);
Result<Bytes> SmpBodyFromLibotrNg(uint16_t tlv_type, ByteView libotr_ng_body);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_SMP_BODY_H_

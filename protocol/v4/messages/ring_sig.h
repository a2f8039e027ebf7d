// The ring signature proof of authentication on the wire (otrv4.md,
// "Serializing the Ring Signature Proof of Authentication"): RING-SIG is six
// SCALARs c1, r1, c2, r2, c3, r3. The arithmetic (RSig/RVrf, appendix "Ring
// Signature Authentication") is protocol/v4/crypto's.
#ifndef OTR_PROTOCOL_V4_MESSAGES_RING_SIG_H_
#define OTR_PROTOCOL_V4_MESSAGES_RING_SIG_H_

#include <cstddef>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/v4/messages/data_types.h"

namespace otr::v4 {

inline constexpr size_t kRingSigSize = 6 * kScalarSize;  // 342 bytes

struct RingSig {
  Scalar c1{}, r1{}, c2{}, r2{}, c3{}, r3{};
  friend bool operator==(const RingSig&, const RingSig&) = default;
};

Result<RingSig> ReadRingSig(wire::Reader& reader);
void WriteRingSig(wire::Writer& writer, const RingSig& sigma);
// The whole input is one RING-SIG (kTrailingBytes otherwise).
Result<RingSig> DecodeRingSig(ByteView bytes);
Bytes EncodeRingSig(const RingSig& sigma);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_MESSAGES_RING_SIG_H_

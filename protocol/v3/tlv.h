// The plaintext of a Data Message (otr v3 spec, "Data Message"): a
// human-readable message, optionally followed by a NUL and TLV records
// ("Type (SHORT), Length (SHORT), Value"), and the typed records of
// "The currently defined TLV record types".
//
// Two layers: DecodeDataPayload splits the plaintext into the message and raw
// records (any type, kept in order); DecodeTlv gives a record's typed meaning.
// A record whose typed body is malformed does not make the payload fail: the
// engine decides what such a record means (e.g. an SMP abort).
#ifndef OTR_PROTOCOL_V3_TLV_H_
#define OTR_PROTOCOL_V3_TLV_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/v3/smp_tlv.h"

namespace otr::v3 {

enum class TlvType : uint16_t {
  kPadding = 0,
  kDisconnected = 1,
  kSmp1 = 2,
  kSmp2 = 3,
  kSmp3 = 4,
  kSmp4 = 5,
  kSmpAbort = 6,
  kSmp1Q = 7,
  kExtraSymmetricKey = 8,
};

// The Length field is a SHORT.
inline constexpr size_t kMaxTlvValueSize = 0xffff;

struct TlvRecord {
  uint16_t type = 0;
  Bytes value;
  friend bool operator==(const TlvRecord&, const TlvRecord&) = default;
};

struct DataPayload {
  Bytes message;  // the human-readable part, without NUL
  // A NUL followed the message (libotr always sends it). Required when
  // `tlvs` is not empty.
  bool has_tlv_part = false;
  std::vector<TlvRecord> tlvs;
  friend bool operator==(const DataPayload&, const DataPayload&) = default;
};

// Strict: a record cut short is kTruncated (libotr stops parsing silently);
// nothing is copied from `plaintext` unless it decodes.
Result<DataPayload> DecodeDataPayload(ByteView plaintext);
// kInvalidEncoding for a NUL in the message or records without the NUL;
// kTooLarge for a value longer than a SHORT can say.
Result<Bytes> EncodeDataPayload(const DataPayload& payload);
// The same from its parts: the sender's, which need not copy the plaintext
// into a DataPayload. The result is allocated once at its size (no partial
// copy of `message` is left in freed memory); nothing is allocated when it
// fails.
Result<Bytes> EncodeDataPayload(ByteView message, bool has_tlv_part,
                                std::span<const TlvRecord> tlvs);

// --- Typed records ---
struct Padding {
  Bytes data;
  friend bool operator==(const Padding&, const Padding&) = default;
};
// Type 1. Decode rule: empty value (libotr sends none; the spec defines none).
struct Disconnected {
  friend bool operator==(const Disconnected&, const Disconnected&) = default;
};
// Type 6: "The associated length should be zero" (decode rule).
struct SmpAbort {
  friend bool operator==(const SmpAbort&, const SmpAbort&) = default;
};
// Type 8: "a 4-byte indication of what this symmetric key will be used for",
// then use-specific data.
struct ExtraSymmetricKey {
  uint32_t use = 0;
  Bytes use_data;
  friend bool operator==(const ExtraSymmetricKey&, const ExtraSymmetricKey&) = default;
};
// Any other type: "Records with unrecognized types should be ignored."
struct UnknownTlv {
  uint16_t type = 0;
  Bytes value;
  friend bool operator==(const UnknownTlv&, const UnknownTlv&) = default;
};

using Tlv = std::variant<Padding, Disconnected, Smp1, Smp2, Smp3, Smp4, SmpAbort, Smp1Q,
                         ExtraSymmetricKey, UnknownTlv>;

Result<Tlv> DecodeTlv(const TlvRecord& record);
// kTooLarge when the value exceeds kMaxTlvValueSize; kInvalidEncoding for an
// SMP question containing NUL or an UnknownTlv whose type is a known one.
Result<TlvRecord> EncodeTlv(const Tlv& tlv);

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_TLV_H_

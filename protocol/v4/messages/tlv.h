// The plaintext of an OTRv4 Data Message (otrv4.md, "Data Message": a
// human-readable message, optionally a NUL and TLV records) and the typed
// records of "TLV Record Types" (types 0..7).
//
// The spec's rule for broken records: "If you receive a data message with a
// corrupted TLV (an incomplete one or a TLV not included on this list), stop
// processing it, but process the remaining data message and any other TLVs
// included in it." So DecodeDataPayload never fails: an incomplete record
// ends the list and its bytes are kept as `incomplete_tail` (nothing after it
// can be framed); a record of a type not on the list is an UnknownTlv that the
// engine ignores; a record whose typed value is malformed makes DecodeTlv
// fail for that record only.
#ifndef OTR_PROTOCOL_V4_MESSAGES_TLV_H_
#define OTR_PROTOCOL_V4_MESSAGES_TLV_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/smp.h"

namespace otr::v4 {

enum class TlvType : uint16_t {
  kPadding = 0,
  kDisconnected = 1,
  kSmp1 = 2,
  kSmp2 = 3,
  kSmp3 = 4,
  kSmp4 = 5,
  kSmpAbort = 6,
  kExtraSymmetricKey = 7,
};

inline constexpr size_t kMaxTlvValueSize = 0xffff;  // Length is a SHORT

struct TlvRecord {
  uint16_t type = 0;
  Bytes value;
  friend bool operator==(const TlvRecord&, const TlvRecord&) = default;
};

struct DataPayload {
  Bytes message;              // the human-readable part, without the NUL
  bool has_tlv_part = false;  // a NUL followed the message
  std::vector<TlvRecord> tlvs;
  // The bytes of an incomplete last record (a header cut short, or a Length
  // beyond the end): "stop processing it". Empty when every record is whole.
  Bytes incomplete_tail;
  friend bool operator==(const DataPayload&, const DataPayload&) = default;
};

// The length of the human-readable part: the bytes before the first NUL
// (all of them if there is none). memchr: std::find does not vectorise, and
// this scan runs over every message sent and received (issue 20).
size_t HumanReadableLength(ByteView plaintext);
// Total: every plaintext splits into a DataPayload.
DataPayload DecodeDataPayload(ByteView plaintext);
// kInvalidEncoding for a NUL in the message, records or a tail without the
// NUL, or a tail that is not incomplete; kTooLarge for a value over 0xffff.
Result<Bytes> EncodeDataPayload(const DataPayload& payload);
// The same from its parts, without an incomplete tail: the sender's, which
// need not copy the plaintext into a DataPayload. The result is allocated
// once at its size (no partial copy of `message` is left in freed memory);
// nothing is allocated when it fails.
Result<Bytes> EncodeDataPayload(ByteView message, bool has_tlv_part,
                                std::span<const TlvRecord> tlvs);

// --- Typed records ---
// Type 0: "The value may be an arbitrary amount of data."
struct Padding {
  Bytes data;
  friend bool operator==(const Padding&, const Padding&) = default;
};
// Type 1: "Old mac keys can be attached to this TLV when the session is
// expired": the value is zero or more 64-byte MAC keys (decode rule: a whole
// number of them).
struct Disconnected {
  std::vector<MacKey> old_mac_keys;
  friend bool operator==(const Disconnected&, const Disconnected&) = default;
};
// Type 6: "The associated length should be zero" (decode rule).
struct SmpAbort {
  friend bool operator==(const SmpAbort&, const SmpAbort&) = default;
};
// Type 7: "a 4-byte indication of what this symmetric key will be used for",
// then use-specific data.
struct ExtraSymmetricKey {
  uint32_t use = 0;
  Bytes use_data;
  friend bool operator==(const ExtraSymmetricKey&, const ExtraSymmetricKey&) = default;
};
// Any type not on the list: "Records with unrecognized types should be
// ignored."
struct UnknownTlv {
  uint16_t type = 8;
  Bytes value;
  friend bool operator==(const UnknownTlv&, const UnknownTlv&) = default;
};

using Tlv = std::variant<Padding, Disconnected, SmpMessage1, SmpMessage2, SmpMessage3, SmpMessage4,
                         SmpAbort, ExtraSymmetricKey, UnknownTlv>;

// The typed meaning of one record; the errors of the body's decoder.
Result<Tlv> DecodeTlv(const TlvRecord& record);
// kTooLarge when the value exceeds 0xffff bytes; kInvalidEncoding for an
// UnknownTlv whose type is on the list.
Result<TlvRecord> EncodeTlv(const Tlv& tlv);

// "Padding", "Disconnected", "SMP Message 1", ...; "unknown" otherwise.
std::string_view TlvTypeName(uint16_t type);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_MESSAGES_TLV_H_

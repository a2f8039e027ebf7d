// The armour of binary OTR messages (v2/v3 spec "Encoded messages"; v1 spec
// "OTR Key Exchange"): the five bytes "?OTR:", the base64 encoding of the
// binary message, then ".".
#ifndef OTR_PROTOCOL_WIRE_ARMOR_H_
#define OTR_PROTOCOL_WIRE_ARMOR_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"

namespace otr::wire {

inline constexpr std::string_view kArmorPrefix = "?OTR:";
inline constexpr char kArmorSuffix = '.';

// The longest armoured text DecodeArmor accepts, prefix and "." included
// (about 768 KiB of binary message). The specs set no limit; IM networks carry
// far less in one message (IRC about 400 bytes, XMPP servers cap stanzas at
// 64-256 KiB by default), and a reassembled message is capped at the same
// size (fragment.h), so a hostile peer cannot make us hold more than this
// per message.
inline constexpr size_t kMaxArmoredSize = size_t{1} << 20;

std::string EncodeArmor(ByteView message);

// `text` must start with "?OTR:"; the base64 text runs to the first "."
// (kTruncated without one). Text after the "." is ignored, as libotr 4.1.1
// does (otrl_base64_otr_decode) and as the spec allows: it defines the
// message up to the ".", and IM clients may append markup. So
// DecodeArmor(EncodeArmor(m)) == m for every m of at most the maximum size,
// and EncodeArmor(DecodeArmor(t)) == t exactly when t ends at its ".".
// Errors: kInvalidEncoding (missing prefix, bad base64), kNonCanonical
// (non-zero pad bits), kTooLarge (above kMaxArmoredSize).
Result<Bytes> DecodeArmor(std::string_view text);

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_ARMOR_H_

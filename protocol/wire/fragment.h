// Fragments (v3 spec "Fragmentation", v2 spec "Fragmentation"):
//
//   v2: "?OTR,%hu,%hu,%s,"           k, n, piece[k]
//   v3: "?OTR|%x|%x,%hu,%hu,%s,"     sender, receiver instance tags, k, n, piece[k]
//
// "k and n are unsigned short ints (2 bytes), and each has a maximum value of
// 65535. Also, each piece[k] must be non-empty. The instance tags (if
// applicable) and the k and n values may have leading zeroes."
#ifndef OTR_PROTOCOL_WIRE_FRAGMENT_H_
#define OTR_PROTOCOL_WIRE_FRAGMENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/instance_tag.h"

namespace otr::wire {

inline constexpr std::string_view kFragmentPrefixV2 = "?OTR,";
inline constexpr std::string_view kFragmentPrefixV3 = "?OTR|";

// Our encoder writes k and n as 5 decimal digits and instance tags as 8
// lowercase hex digits, as libotr 4.1.1 does; so every fragment header of a
// version has one length and the splitter's arithmetic is exact.
inline constexpr size_t kFragmentOverheadV2 = 18;  // "?OTR," 5 "," 5 "," ... ","
inline constexpr size_t kFragmentOverheadV3 = 36;  // "?OTR|" 8 "|" 8 "," 5 "," 5 "," ... ","

// A decoded instance tag has 1 to 8 hex digits (4 bytes; leading zeros fill
// at most 8 digits).
inline constexpr size_t kMaxInstanceTagDigits = 8;
// "each has a maximum value of 65535"
inline constexpr uint32_t kMaxFragmentCount = 65535;
// The longest message a Reassembler rebuilds from fragments: what arrives in
// fragments is one armoured message, so the armour's bound applies.
inline constexpr size_t kMaxReassembledSize = kMaxArmoredSize;

struct Fragment {
  int version = 3;                        // 2 or 3
  InstanceTag sender = kNoInstanceTag;    // v3 only; 0 in v2
  InstanceTag receiver = kNoInstanceTag;  // v3 only; 0 in v2
  uint16_t k = 0;                         // 1 <= k <= n
  uint16_t n = 0;
  std::string piece;  // non-empty, no ','

  friend bool operator==(const Fragment&, const Fragment&) = default;
};

// True when `text` contains a fragment marker ("?OTR," or "?OTR|"); the spec
// checks for these "before checking for any of the other '?OTR:' markers".
bool ContainsFragmentMarker(std::string_view text);

// Errors: kUnsupportedVersion (version not 2 or 3), kInvalidInstanceTag (a
// tag in 1..0xff, or a tag in a v2 fragment), kInvalidEncoding (k or n out of
// 1 <= k <= n, empty piece, piece with ',').
Result<std::string> EncodeFragment(const Fragment& fragment);

// Strict: `text` must be exactly one fragment, from its marker to its final
// ','. Errors: kInvalidEncoding (wrong marker, missing or non-digit field,
// more than 8 hex digits, k or n zero, k > n, empty piece), kTooLarge (k or n
// above 65535), kInvalidInstanceTag, kTrailingBytes (text after the final
// ',', which is also how a piece containing ',' shows).
Result<Fragment> DecodeFragment(std::string_view text);

// Transmitting Fragments (v3 spec "Fragmentation"): splits an encoded OTR
// message into n fragments of at most `max_size` bytes each, piece[k] being
// as long as `max_size` allows and the last one holding the rest. Always
// fragments, even when the message would fit as it is (the caller decides
// whether to fragment).
// Errors: kUnsupportedVersion (version not 2 or 3), kInvalidInstanceTag,
// kOutOfRange (`max_size` leaves no room for a piece), kTooLarge (more than
// 65535 fragments, or a message above kMaxReassembledSize that no receiver
// following fragment.h would reassemble), kInvalidEncoding (empty message, a
// message with ',' which no piece can carry, or a message that is itself a
// fragment: "you can't fragment a fragment").
Result<std::vector<std::string>> FragmentMessage(std::string_view message, size_t max_size,
                                                 int version, InstanceTag sender,
                                                 InstanceTag receiver);

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_FRAGMENT_H_

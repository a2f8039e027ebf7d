// Fragments (v3 spec "Fragmentation", v2 spec "Fragmentation", v4 spec
// "Fragmentation"):
//
//   v2: "?OTR,%hu,%hu,%s,"              k, n, piece[k]
//   v3: "?OTR|%x|%x,%hu,%hu,%s,"        sender, receiver instance tags, k, n,
//                                       piece[k]
//   v4: "?OTR|%x|%x|%x,%hu,%hu,%s,"     identifier, sender, receiver, index,
//                                       total, piece[index]
//
// "k and n are unsigned short ints (2 bytes), and each has a maximum value of
// 65535. Also, each piece[k] must be non-empty. The instance tags (if
// applicable) and the k and n values may have leading zeroes." v4 adds: "The
// identifier is a unique randomly generated 4-byte value"; "The `identifier`,
// instance tags, `index` and `total` values may have leading zeros."
//
// The piece is everything between the header and the fragment's final ','.
// The specs never put a ',' in a piece, but libotr 4.1.1 does: its
// otrl_proto_fragment_create copies any message, Query Messages included, and
// Debian's default query text holds commas (issue 14). Its own receiver reads
// a piece with sscanf "%*[^,]," (up to the first ','), which cuts such a
// piece short; we take it whole, so the message reassembles as it was sent.
#ifndef OTR_PROTOCOL_WIRE_FRAGMENT_H_
#define OTR_PROTOCOL_WIRE_FRAGMENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/random.h"
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
// v4: "?OTR|" 8 "|" 8 "|" 8 "," 5 "," 5 "," ... "," (libotr-ng writes the same
// widths; its FRAGMENT_HEADER_LEN is 45).
inline constexpr size_t kFragmentOverheadV4 = 45;

// A decoded instance tag has 1 to 8 hex digits (4 bytes; leading zeros fill
// at most 8 digits).
inline constexpr size_t kMaxInstanceTagDigits = 8;
// "each has a maximum value of 65535"
inline constexpr uint32_t kMaxFragmentCount = 65535;
// The longest message a Reassembler rebuilds from fragments: what arrives in
// fragments is one armoured message, so the armour's bound applies.
inline constexpr size_t kMaxReassembledSize = kMaxArmoredSize;
// The most fragments one v4 message may have. v4 pieces may arrive in any
// order, so the receiver keeps each piece apart until the message is whole
// (reassembler_v4.h); this bounds that bookkeeping. 4096 pieces carry a
// message of kMaxReassembledSize in pieces of 256 bytes, well below what any
// network's maximum message size forces. Our splitter never makes more.
inline constexpr uint32_t kMaxFragmentsPerMessageV4 = 4096;

struct Fragment {
  int version = 3;                        // 2, 3 or 4
  InstanceTag sender = kNoInstanceTag;    // v3 and v4; 0 in v2
  InstanceTag receiver = kNoInstanceTag;  // v3 and v4; 0 in v2
  uint16_t k = 0;                         // 1 <= k <= n (v4: index)
  uint16_t n = 0;                         // (v4: total)
  std::string piece;                      // non-empty; may hold ','
  uint32_t identifier = 0;                // v4 only; 0 in v2 and v3

  friend bool operator==(const Fragment&, const Fragment&) = default;
};

// True when `text` contains a fragment marker ("?OTR," or "?OTR|"); the spec
// checks for these "before checking for any of the other '?OTR:' markers".
// v4 fragments share v3's marker.
bool ContainsFragmentMarker(std::string_view text);

// Errors: kUnsupportedVersion (version not 2, 3 or 4), kInvalidInstanceTag (a
// tag in 1..0xff, or a tag in a v2 fragment), kInvalidEncoding (k or n out of
// 1 <= k <= n, empty piece, an identifier outside v4).
Result<std::string> EncodeFragment(const Fragment& fragment);

// Strict: `text` must be exactly one fragment, from its marker to its final
// ','. The number of '|'-separated hex fields after "?OTR|" tells v3 (two)
// from v4 (three). Errors: kInvalidEncoding (wrong marker, missing or
// non-digit field, more than 8 hex digits, k or n zero, k > n, empty piece,
// no ',' after the header), kTooLarge (k or n above 65535),
// kInvalidInstanceTag, kTrailingBytes (text after the final ',').
Result<Fragment> DecodeFragment(std::string_view text);

// Transmitting Fragments (v3 spec "Fragmentation"), v2 and v3: splits an encoded OTR
// message into n fragments of at most `max_size` bytes each, piece[k] being
// as long as `max_size` allows and the last one holding the rest. Always
// fragments, even when the message would fit as it is (the caller decides
// whether to fragment).
// Errors: kUnsupportedVersion (version not 2 or 3; v4 has its own splitter
// below), kInvalidInstanceTag, kOutOfRange (`max_size` leaves no room for a
// piece), kTooLarge (more than 65535 fragments, or a message above
// kMaxReassembledSize that no receiver following fragment.h would
// reassemble), kInvalidEncoding (empty message, a message with ',' which
// libotr 4.1.1 and libotr-ng would cut short at the ',', or a message that
// is itself a fragment: "you can't fragment a fragment").
Result<std::vector<std::string>> FragmentMessage(std::string_view message, size_t max_size,
                                                 int version, InstanceTag sender,
                                                 InstanceTag receiver);

// Transmitting Fragments (v4 spec "Fragmentation"): as above, with the
// message's `identifier` in every fragment's header. The same errors, with
// kTooLarge above kMaxFragmentsPerMessageV4 fragments.
Result<std::vector<std::string>> FragmentMessageV4(std::string_view message, size_t max_size,
                                                   uint32_t identifier, InstanceTag sender,
                                                   InstanceTag receiver);

// "Assign an identifier ... The identifier is a unique randomly generated
// 4-byte value": draws it from `random` (4 bytes, big-endian).
Result<std::vector<std::string>> FragmentMessageV4(std::string_view message, size_t max_size,
                                                   crypto::Random& random, InstanceTag sender,
                                                   InstanceTag receiver);

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_FRAGMENT_H_

// Tagged plaintext messages (v2/v3 spec "Tagged plaintext messages"; v1 spec
// "Whitespace Tag"; v4 spec "Whitespace Tags"): a 16-byte base tag of spaces
// and tabs, then 8-byte version tags, anywhere in a plaintext message.
#ifndef OTR_PROTOCOL_WIRE_WHITESPACE_TAG_H_
#define OTR_PROTOCOL_WIRE_WHITESPACE_TAG_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "protocol/wire/version_set.h"

namespace otr::wire {

inline constexpr std::string_view kWhitespaceTagBase =
    "\x20\x09\x20\x20\x09\x09\x09\x09"
    "\x20\x09\x20\x09\x20\x09\x20\x20";
inline constexpr size_t kWhitespaceVersionTagSize = 8;
inline constexpr std::string_view kWhitespaceTagV1 = "\x20\x09\x20\x09\x20\x20\x09\x20";
inline constexpr std::string_view kWhitespaceTagV2 = "\x20\x20\x09\x09\x20\x20\x09\x20";
inline constexpr std::string_view kWhitespaceTagV3 = "\x20\x20\x09\x09\x20\x20\x09\x09";
// v4 spec "Whitespace Tags": "\x20\x20\x09\x09\x20\x09\x20\x20 to indicate a
// willingness to use OTR version 4".
inline constexpr std::string_view kWhitespaceTagV4 = "\x20\x20\x09\x09\x20\x09\x20\x20";

// The 8-byte tag of a recognised version (1..kMaxRecognizedVersion).
std::string_view WhitespaceVersionTag(int version);

struct TaggedPlaintext {
  VersionSet versions;
  std::string text;  // the message with the tag removed: what the user sees

  friend bool operator==(const TaggedPlaintext&, const TaggedPlaintext&) = default;
};

// The whitespace tag for `versions`: the base tag, then the v1 tag first
// ("this string must come before all other whitespace version tags"), then
// the others in increasing order.
std::string WhitespaceTag(VersionSet versions);

// Appends the tag to `message.text`. kInvalidEncoding when the text already
// contains the base tag, or ends so that the base tag would be found earlier
// than where it is appended: the result would not decode to `message`.
Result<std::string> EncodeTaggedPlaintext(const TaggedPlaintext& message);

// Finds the first base tag in `text` (std::nullopt if there is none), then
// takes every following 8-byte group made only of spaces and tabs as a version
// tag (unknown ones are skipped, as libotr does), and removes base tag and
// version tags from the text. A base tag without version tags is accepted
// and offers no version. Never fails.
std::optional<TaggedPlaintext> DecodeTaggedPlaintext(std::string_view text);

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_WHITESPACE_TAG_H_

#include "protocol/wire/armor.h"

#include "protocol/wire/base64.h"

namespace otr::wire {

std::string EncodeArmor(ByteView message) {
  std::string out;
  out.reserve(kArmorPrefix.size() + Base64EncodedSize(message.size()) + 1);
  out += kArmorPrefix;
  AppendBase64(message, out);
  out.push_back(kArmorSuffix);
  return out;
}

Result<Bytes> DecodeArmor(std::string_view text) {
  if (!text.starts_with(kArmorPrefix)) {
    return MakeError(ErrorCode::kInvalidEncoding, "armour lacks the ?OTR: prefix");
  }
  const size_t end = text.find(kArmorSuffix, kArmorPrefix.size());
  const size_t armored_size = end == std::string_view::npos ? text.size() : end + 1;
  if (armored_size > kMaxArmoredSize) {
    return MakeError(ErrorCode::kTooLarge, "armoured message above kMaxArmoredSize");
  }
  if (end == std::string_view::npos) {
    return MakeError(ErrorCode::kTruncated, "armour lacks the final '.'");
  }
  return DecodeBase64(text.substr(kArmorPrefix.size(), end - kArmorPrefix.size()));
}

}  // namespace otr::wire

// Fuzzes the OTRv4 Client Profile and Prekey Profile codecs: the first byte
// picks which (even: client, odd: prekey), the rest is the profile. Whatever
// decodes re-encodes to exactly the input, and the signed bytes are the
// profile up to its 114-byte signature.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "protocol/v4/messages/profile.h"

namespace {

void CheckSignedPrefix(const otr::Bytes& encoded, const otr::Bytes& signed_bytes) {
  if (signed_bytes.size() + otr::v4::kEdDsaSignatureSize != encoded.size() ||
      !std::equal(signed_bytes.begin(), signed_bytes.end(), encoded.begin())) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const otr::ByteView input(data + 1, size - 1);
  const otr::Bytes original(input.begin(), input.end());
  if (data[0] % 2 == 0) {
    auto profile = otr::v4::DecodeClientProfile(input);
    if (!profile.ok()) return 0;
    const otr::Bytes encoded = otr::v4::EncodeClientProfile(*profile);
    if (encoded != original) __builtin_trap();
    auto again = otr::v4::DecodeClientProfile(encoded);
    if (!again.ok() || !(*again == *profile)) __builtin_trap();
    CheckSignedPrefix(encoded, otr::v4::ClientProfileSignedBytes(*profile));
    // The transitional signature's input is the fields without the count
    // and without the transitional signature itself.
    if (otr::v4::ClientProfileTransitionalSignedBytes(*profile).size() + 4 >
        encoded.size() - otr::v4::kEdDsaSignatureSize) {
      __builtin_trap();
    }
  } else {
    auto profile = otr::v4::DecodePrekeyProfile(input);
    if (!profile.ok()) return 0;
    const otr::Bytes encoded = otr::v4::EncodePrekeyProfile(*profile);
    if (encoded != original) __builtin_trap();
    auto again = otr::v4::DecodePrekeyProfile(encoded);
    if (!again.ok() || !(*again == *profile)) __builtin_trap();
    CheckSignedPrefix(encoded, otr::v4::PrekeyProfileSignedBytes(*profile));
  }
  return 0;
}

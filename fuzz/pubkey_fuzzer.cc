// Fuzzes PUBKEY and the AKE's X structure (PUBKEY, keyid, SIG): canonical
// round trips, and the fingerprint input is the PUBKEY without its type.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "protocol/store/fingerprint.h"
#include "protocol/v3/data_types.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  const otr::Bytes bytes(input.begin(), input.end());
  if (auto key = otr::v3::DecodePubkey(input); key.ok()) {
    if (otr::v3::EncodePubkey(*key) != bytes) __builtin_trap();
    otr::Bytes fingerprint_input = otr::store::FingerprintInput(*key);
    if (fingerprint_input.size() + 2 != bytes.size() ||
        !std::equal(fingerprint_input.begin(), fingerprint_input.end(), bytes.begin() + 2)) {
      __builtin_trap();
    }
  }
  if (auto x = otr::v3::DecodeSignedKeyId(input); x.ok()) {
    if (otr::v3::EncodeSignedKeyId(*x) != bytes) __builtin_trap();
    auto again = otr::v3::DecodeSignedKeyId(bytes);
    if (!again.ok() || !(*again == *x)) __builtin_trap();
  }
  return 0;
}

// Fuzzes the Data Message plaintext: DecodeDataPayload, then DecodeTlv on
// every record. Both layers are canonical: payload and each typed record
// re-encode to exactly their input.
#include <cstddef>
#include <cstdint>

#include "protocol/v3/tlv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  auto payload = otr::v3::DecodeDataPayload(input);
  if (!payload.ok()) return 0;
  auto encoded = otr::v3::EncodeDataPayload(*payload);
  if (!encoded.ok() || *encoded != otr::Bytes(input.begin(), input.end())) __builtin_trap();
  auto again = otr::v3::DecodeDataPayload(*encoded);
  if (!again.ok() || !(*again == *payload)) __builtin_trap();
  for (const otr::v3::TlvRecord& record : payload->tlvs) {
    auto tlv = otr::v3::DecodeTlv(record);
    if (!tlv.ok()) continue;
    auto record_again = otr::v3::EncodeTlv(*tlv);
    if (!record_again.ok() || !(*record_again == record)) __builtin_trap();
    auto tlv_again = otr::v3::DecodeTlv(*record_again);
    if (!tlv_again.ok() || !(*tlv_again == *tlv)) __builtin_trap();
  }
  return 0;
}

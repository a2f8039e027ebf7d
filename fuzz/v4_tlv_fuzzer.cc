// Fuzzes the OTRv4 Data Message plaintext: DecodeDataPayload (total: the
// corrupted-TLV rule keeps an incomplete last record as a tail), then
// DecodeTlv on every record. Both layers re-encode to exactly their input.
#include <cstddef>
#include <cstdint>

#include "protocol/v4/messages/tlv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  const otr::v4::DataPayload payload = otr::v4::DecodeDataPayload(input);
  auto encoded = otr::v4::EncodeDataPayload(payload);
  if (!encoded.ok() || *encoded != otr::Bytes(input.begin(), input.end())) __builtin_trap();
  if (!(otr::v4::DecodeDataPayload(*encoded) == payload)) __builtin_trap();
  for (const otr::v4::TlvRecord& record : payload.tlvs) {
    auto tlv = otr::v4::DecodeTlv(record);
    if (!tlv.ok()) continue;
    auto record_again = otr::v4::EncodeTlv(*tlv);
    if (!record_again.ok() || !(*record_again == record)) __builtin_trap();
    auto tlv_again = otr::v4::DecodeTlv(*record_again);
    if (!tlv_again.ok() || !(*tlv_again == *tlv)) __builtin_trap();
  }
  return 0;
}

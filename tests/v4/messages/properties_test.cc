// Round-trip properties of the OTRv4 wire codecs (rapidcheck): for generated
// messages of every type, profiles, RING-SIGs, TLVs and SMP bodies,
// decode(encode(x)) == x; bytes that decode re-encode identically (mutated
// encodings and arbitrary bytes alike), and nothing crashes.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "tests/v4/messages/generators.h"

namespace otr::v4 {
namespace {

using testing::AnyClientProfile;
using testing::AnyMessage;
using testing::AnyPrekeyProfile;
using testing::AnyRingSig;
using testing::AnyTlv;

Bytes Mutate(Bytes b, size_t position, uint8_t value, int kind) {
  if (b.empty()) return Bytes{value};
  position %= b.size();
  switch (kind % 4) {
    case 0:
      b[position] ^= static_cast<uint8_t>(value | 1);
      break;
    case 1:
      b.insert(b.begin() + static_cast<long>(position), value);
      break;
    case 2:
      b.erase(b.begin() + static_cast<long>(position));
      break;
    default:
      b.resize(position);
      break;
  }
  return b;
}

RC_GTEST_PROP(V4MessageProperty, DecodeEncodeRoundTrip, ()) {
  const Message m = *AnyMessage();
  const Bytes bytes = EncodeMessage(m);
  Result<Message> decoded = DecodeMessage(bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == m);
  RC_ASSERT(TypeOf(*decoded) == TypeOf(m));
  RC_ASSERT(EncodeMessage(*decoded) == bytes);
}

RC_GTEST_PROP(V4MessageProperty, MutationsNeverDecodeToSomethingElse,
              (size_t position, uint8_t value, int kind)) {
  const Bytes mutated = Mutate(EncodeMessage(*AnyMessage()), position, value, kind);
  Result<Message> decoded = DecodeMessage(mutated);
  if (decoded.ok()) RC_ASSERT(EncodeMessage(*decoded) == mutated);
}

RC_GTEST_PROP(V4MessageProperty, ArbitraryBytesDecodeCanonically, (const Bytes& bytes)) {
  Result<Message> decoded = DecodeMessage(bytes);
  if (decoded.ok()) RC_ASSERT(EncodeMessage(*decoded) == bytes);
}

RC_GTEST_PROP(V4MessageProperty, DataMessageMacInputIsAPrefix, ()) {
  const DataMessage data = *testing::AnyDataMessage();
  const Bytes bytes = EncodeDataMessage(data);
  const Bytes mac_input = DataMessageMacInput(data);
  RC_ASSERT(mac_input.size() + kMacSize + 4 + kMacKeySize * data.revealed_mac_keys.size() ==
            bytes.size());
  RC_ASSERT(std::equal(mac_input.begin(), mac_input.end(), bytes.begin()));
  // What the receiver MACs: the same bytes, found in the encoding.
  const ByteView received = DataMessageMacInputOf(bytes, data);
  RC_ASSERT(std::equal(received.begin(), received.end(), mac_input.begin(), mac_input.end()));
}

RC_GTEST_PROP(V4ProfileProperty, ClientProfileRoundTrip, ()) {
  const ClientProfile p = *AnyClientProfile();
  const Bytes bytes = EncodeClientProfile(p);
  Result<ClientProfile> decoded = DecodeClientProfile(bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == p);
  RC_ASSERT(EncodeClientProfile(*decoded) == bytes);
  // The signed bytes are the profile up to its signature.
  const Bytes signed_bytes = ClientProfileSignedBytes(p);
  RC_ASSERT(signed_bytes.size() + kEdDsaSignatureSize == bytes.size());
  RC_ASSERT(std::equal(signed_bytes.begin(), signed_bytes.end(), bytes.begin()));
}

RC_GTEST_PROP(V4ProfileProperty, ClientProfileMutationsStayCanonical,
              (size_t position, uint8_t value, int kind)) {
  const Bytes mutated = Mutate(EncodeClientProfile(*AnyClientProfile()), position, value, kind);
  Result<ClientProfile> decoded = DecodeClientProfile(mutated);
  if (decoded.ok()) RC_ASSERT(EncodeClientProfile(*decoded) == mutated);
}

RC_GTEST_PROP(V4ProfileProperty, PrekeyProfileRoundTrip, ()) {
  const PrekeyProfile p = *AnyPrekeyProfile();
  const Bytes bytes = EncodePrekeyProfile(p);
  RC_ASSERT(bytes.size() == kPrekeyProfileSize);
  Result<PrekeyProfile> decoded = DecodePrekeyProfile(bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == p);
  const Bytes signed_bytes = PrekeyProfileSignedBytes(p);
  RC_ASSERT(std::equal(signed_bytes.begin(), signed_bytes.end(), bytes.begin()));
  RC_ASSERT(signed_bytes.size() + kEdDsaSignatureSize == bytes.size());
}

RC_GTEST_PROP(V4ProfileProperty, PrekeyProfileMutationsStayCanonical,
              (size_t position, uint8_t value, int kind)) {
  const Bytes mutated = Mutate(EncodePrekeyProfile(*AnyPrekeyProfile()), position, value, kind);
  Result<PrekeyProfile> decoded = DecodePrekeyProfile(mutated);
  if (decoded.ok()) RC_ASSERT(EncodePrekeyProfile(*decoded) == mutated);
}

RC_GTEST_PROP(V4RingSigProperty, RoundTrip, ()) {
  const RingSig sigma = *AnyRingSig();
  const Bytes bytes = EncodeRingSig(sigma);
  RC_ASSERT(bytes.size() == kRingSigSize);
  Result<RingSig> decoded = DecodeRingSig(bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == sigma);
}

RC_GTEST_PROP(V4TlvProperty, EachRecordRoundTrips, ()) {
  const Tlv tlv = *AnyTlv();
  Result<TlvRecord> record = EncodeTlv(tlv);
  RC_ASSERT(record.ok());
  Result<Tlv> back = DecodeTlv(*record);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == tlv);
  Result<TlvRecord> again = EncodeTlv(*back);
  RC_ASSERT(again.ok());
  RC_ASSERT(*again == *record);
}

RC_GTEST_PROP(V4TlvProperty, PayloadRoundTrip, ()) {
  DataPayload payload;
  payload.message = *rc::gen::map(testing::Blob(500), [](Bytes b) {
    b.erase(std::remove(b.begin(), b.end(), uint8_t{0}), b.end());
    return b;
  });
  for (const Tlv& tlv : *rc::gen::container<std::vector<Tlv>>(AnyTlv())) {
    payload.tlvs.push_back(*EncodeTlv(tlv));
  }
  // An incomplete last record: a header cut short or a Length beyond the end.
  if (*rc::gen::arbitrary<bool>()) {
    Bytes tail = *testing::Blob(3);
    if (tail.empty() || *rc::gen::arbitrary<bool>()) {
      tail = {0x00, 0x02, 0x01, 0x00, 0xaa};
    }
    payload.incomplete_tail = tail;
  }
  payload.has_tlv_part =
      !payload.tlvs.empty() || !payload.incomplete_tail.empty() || *rc::gen::arbitrary<bool>();
  Result<Bytes> bytes = EncodeDataPayload(payload);
  RC_ASSERT(bytes.ok());
  RC_ASSERT(DecodeDataPayload(*bytes) == payload);
  // The sender's form, from the parts, encodes the same bytes.
  if (payload.incomplete_tail.empty()) {
    Result<Bytes> parts = EncodeDataPayload(payload.message, payload.has_tlv_part, payload.tlvs);
    RC_ASSERT(parts.ok());
    RC_ASSERT(*parts == *bytes);
  }
}

RC_GTEST_PROP(V4TlvProperty, ArbitraryPlaintextsStayCanonical, (const Bytes& plaintext)) {
  const DataPayload payload = DecodeDataPayload(plaintext);
  Result<Bytes> again = EncodeDataPayload(payload);
  RC_ASSERT(again.ok());
  RC_ASSERT(*again == plaintext);
  for (const TlvRecord& record : payload.tlvs) {
    Result<Tlv> tlv = DecodeTlv(record);
    if (!tlv.ok()) continue;
    Result<TlvRecord> back = EncodeTlv(*tlv);
    RC_ASSERT(back.ok());
    RC_ASSERT(*back == record);
  }
}

RC_GTEST_PROP(V4SmpProperty, BodiesRoundTrip, ()) {
  const SmpMessage1 m1 = *testing::AnySmp1();
  const SmpMessage2 m2 = *testing::AnySmp2();
  const SmpMessage3 m3 = *testing::AnySmp3();
  const SmpMessage4 m4 = *testing::AnySmp4();
  RC_ASSERT(DecodeSmpMessage1(EncodeSmpMessage1(m1)).value() == m1);
  RC_ASSERT(DecodeSmpMessage2(EncodeSmpMessage2(m2)).value() == m2);
  RC_ASSERT(DecodeSmpMessage3(EncodeSmpMessage3(m3)).value() == m3);
  RC_ASSERT(DecodeSmpMessage4(EncodeSmpMessage4(m4)).value() == m4);
  RC_ASSERT(EncodeSmpMessage2(m2).size() == kSmpMessage2Size);
  RC_ASSERT(EncodeSmpMessage3(m3).size() == kSmpMessage3Size);
  RC_ASSERT(EncodeSmpMessage4(m4).size() == kSmpMessage4Size);
}

}  // namespace
}  // namespace otr::v4

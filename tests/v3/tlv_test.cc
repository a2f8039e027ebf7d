// Error paths and examples of the Data Message plaintext and TLV records.
#include "protocol/v3/tlv.h"

#include <gtest/gtest.h>

namespace otr::v3 {
namespace {

TEST(TlvTest, SpecExamples) {
  // "\x00\x01\x00\x00 A TLV of type 1, containing no data"
  Bytes plain = {'h', 'i', 0, 0x00, 0x01, 0x00, 0x00,
                 // "\x00\x00\x00\x05\x68\x65\x6c\x6c\x6f A TLV of type 0, containing hello"
                 0x00, 0x00, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'};
  Result<DataPayload> p = DecodeDataPayload(plain);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->message, ToBytes("hi"));
  ASSERT_EQ(p->tlvs.size(), 2u);
  EXPECT_EQ(std::get<Disconnected>(*DecodeTlv(p->tlvs[0])), Disconnected{});
  EXPECT_EQ(std::get<Padding>(*DecodeTlv(p->tlvs[1])).data, ToBytes("hello"));
  EXPECT_EQ(*EncodeDataPayload(*p), plain);
}

TEST(TlvTest, MessageWithoutNul) {
  Result<DataPayload> p = DecodeDataPayload(ToBytes("just text"));
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_tlv_part);
  EXPECT_EQ(*EncodeDataPayload(*p), ToBytes("just text"));
  Result<DataPayload> heartbeat = DecodeDataPayload(Bytes{0});
  ASSERT_TRUE(heartbeat.ok());
  EXPECT_TRUE(heartbeat->message.empty());
  EXPECT_TRUE(heartbeat->has_tlv_part);
}

TEST(TlvTest, TruncatedRecords) {
  EXPECT_EQ(DecodeDataPayload(Bytes{'a', 0, 0x00}).code(), ErrorCode::kTruncated);
  EXPECT_EQ(DecodeDataPayload(Bytes{'a', 0, 0x00, 0x01, 0x00}).code(), ErrorCode::kTruncated);
  EXPECT_EQ(DecodeDataPayload(Bytes{0, 0x00, 0x00, 0x00, 0x02, 'x'}).code(), ErrorCode::kTruncated);
}

TEST(TlvTest, EncodeFromPartsChecksLikeThePayload) {
  const std::vector<TlvRecord> abort{{6, {}}};
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), true, abort).value(),
            (Bytes{'h', 'i', 0, 0, 6, 0, 0}));
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), false, {}).value(), ToBytes("hi"));
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), true, {}).value(), (Bytes{'h', 'i', 0}));
  EXPECT_EQ(EncodeDataPayload(Bytes{'a', 0, 'b'}, false, {}).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), false, abort).code(), ErrorCode::kInvalidEncoding);
  const std::vector<TlvRecord> too_long{{0, Bytes(kMaxTlvValueSize + 1, 0)}};
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), true, too_long).code(), ErrorCode::kTooLarge);
}

TEST(TlvTest, EncodeRefusesWhatCannotBeRepresented) {
  DataPayload p;
  p.message = {'a', 0, 'b'};
  EXPECT_EQ(EncodeDataPayload(p).code(), ErrorCode::kInvalidEncoding);
  p.message = ToBytes("ok");
  p.tlvs.push_back(TlvRecord{1, {}});
  EXPECT_EQ(EncodeDataPayload(p).code(), ErrorCode::kInvalidEncoding);  // no NUL part
  p.has_tlv_part = true;
  p.tlvs[0].value.assign(kMaxTlvValueSize + 1, 0);
  EXPECT_EQ(EncodeDataPayload(p).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(EncodeTlv(Padding{Bytes(kMaxTlvValueSize + 1, 0)}).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(EncodeTlv(UnknownTlv{3, {}}).code(), ErrorCode::kInvalidEncoding);
  Smp1Q q;
  q.question = {'a', 0};
  EXPECT_EQ(EncodeTlv(q).code(), ErrorCode::kInvalidEncoding);
}

TEST(TlvTest, EmptyValueRules) {
  EXPECT_EQ(DecodeTlv(TlvRecord{1, {0}}).code(), ErrorCode::kTrailingBytes);
  EXPECT_EQ(DecodeTlv(TlvRecord{6, {0}}).code(), ErrorCode::kTrailingBytes);
  EXPECT_TRUE(DecodeTlv(TlvRecord{6, {}}).ok());
}

TEST(TlvTest, ExtraSymmetricKey) {
  Result<Tlv> t = DecodeTlv(TlvRecord{8, {0, 0, 0, 1, 'f', 'i', 'l', 'e'}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(std::get<ExtraSymmetricKey>(*t).use, 1u);
  EXPECT_EQ(std::get<ExtraSymmetricKey>(*t).use_data, ToBytes("file"));
  EXPECT_EQ(DecodeTlv(TlvRecord{8, {0, 0, 1}}).code(), ErrorCode::kTruncated);
}

TEST(TlvTest, UnknownTypesAreKept) {
  Result<Tlv> t = DecodeTlv(TlvRecord{0x1234, {1, 2}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(std::get<UnknownTlv>(*t), (UnknownTlv{0x1234, {1, 2}}));
  EXPECT_EQ(*EncodeTlv(*t), (TlvRecord{0x1234, {1, 2}}));
}

Bytes SmpBody(uint32_t count, size_t mpis) {
  Bytes b = {0, 0, 0, static_cast<uint8_t>(count)};
  for (size_t i = 0; i < mpis; ++i) {
    for (uint8_t x : {0, 0, 0, 1}) b.push_back(x);
    b.push_back(static_cast<uint8_t>(i + 1));
  }
  return b;
}

TEST(SmpTlvTest, CountsFromTheSpec) {
  EXPECT_TRUE(DecodeSmp1(SmpBody(6, 6)).ok());
  EXPECT_TRUE(DecodeSmp2(SmpBody(11, 11)).ok());
  EXPECT_TRUE(DecodeSmp3(SmpBody(8, 8)).ok());
  EXPECT_TRUE(DecodeSmp4(SmpBody(3, 3)).ok());
  EXPECT_EQ(DecodeSmp1(SmpBody(5, 5)).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeSmp4(SmpBody(4, 4)).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeSmp1(SmpBody(6, 5)).code(), ErrorCode::kTruncated);
  EXPECT_EQ(DecodeSmp4(SmpBody(3, 4)).code(), ErrorCode::kTrailingBytes);
  Smp2 m = *DecodeSmp2(SmpBody(11, 11));
  EXPECT_EQ(m.g2b, Bytes{1});
  EXPECT_EQ(m.d6, Bytes{11});
  EXPECT_EQ(EncodeSmp2(m), SmpBody(11, 11));
}

TEST(SmpTlvTest, MpiBoundsAndCanonicalForm) {
  Bytes big = {0, 0, 0, 3, 0, 0, 0, 193};
  big.resize(big.size() + 193, 0x80);
  EXPECT_EQ(DecodeSmp4(big).code(), ErrorCode::kTooLarge);
  Bytes leading_zero = {0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(DecodeSmp4(leading_zero).code(), ErrorCode::kNonCanonical);
}

TEST(SmpTlvTest, QuestionNeedsNul) {
  Bytes value = ToBytes("why?");
  EXPECT_EQ(DecodeSmp1Q(value).code(), ErrorCode::kTruncated);
  value.push_back(0);
  Bytes body = SmpBody(6, 6);
  value.insert(value.end(), body.begin(), body.end());
  Result<Smp1Q> q = DecodeSmp1Q(value);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->question, ToBytes("why?"));
  EXPECT_EQ(*EncodeSmp1Q(*q), value);
}

}  // namespace
}  // namespace otr::v3

// Error paths of the v1/v2/v3 message decoders and the PUBKEY/SIG types.
#include "protocol/v3/messages.h"

#include <gtest/gtest.h>

#include "protocol/v3/data_types.h"
#include "protocol/wire/writer.h"

namespace otr::v3 {
namespace {

ErrorCode CodeOf(const Bytes& b) {
  Result<Message> m = DecodeMessage(b);
  EXPECT_FALSE(m.ok());
  return m.ok() ? ErrorCode::kBadState : m.code();
}

DataMessage ValidData(Version v) {
  DataMessage m;
  m.header.version = v;
  if (v == Version::kV3) {
    m.header.sender_instance = 0x100;
    m.header.receiver_instance = 0x12345678;
  }
  m.flags = kFlagIgnoreUnreadable;
  m.sender_keyid = 2;
  m.recipient_keyid = 3;
  m.next_dh = {0x12, 0x34};
  m.ctr = {0, 0, 0, 0, 0, 0, 0, 1};
  m.encrypted_message = ToBytes("ciphertext");
  m.mac.fill(0xaa);
  m.old_mac_keys = {MacKey{}, MacKey{}};
  m.old_mac_keys[1].fill(7);
  return m;
}

TEST(MessagesTest, DataMessageLayoutMatchesSpec) {
  Bytes b = EncodeMessage(ValidData(Version::kV3));
  // version 0x0003, type 0x03, sender tag, receiver tag, flags, keyids.
  const Bytes head = {0x00, 0x03, 0x03, 0x00, 0x00, 0x01, 0x00, 0x12, 0x34, 0x56, 0x78, 0x01,
                      0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02};
  ASSERT_GT(b.size(), head.size());
  EXPECT_TRUE(std::equal(head.begin(), head.end(), b.begin()));
  Result<Message> m = DecodeMessage(b);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<DataMessage>(*m), ValidData(Version::kV3));
  // v2 has no instance tags: 8 bytes shorter.
  EXPECT_EQ(EncodeMessage(ValidData(Version::kV2)).size(), b.size() - 8);
}

TEST(MessagesTest, EmptyAndShortInputsAreTruncated) {
  EXPECT_EQ(CodeOf({}), ErrorCode::kTruncated);
  EXPECT_EQ(CodeOf({0x00}), ErrorCode::kTruncated);
  EXPECT_EQ(CodeOf({0x00, 0x03}), ErrorCode::kTruncated);
  EXPECT_EQ(CodeOf({0x00, 0x03, 0x02, 0x00, 0x00, 0x01}), ErrorCode::kTruncated);
  Bytes b = EncodeMessage(ValidData(Version::kV3));
  for (size_t n = 0; n < b.size(); ++n) {
    EXPECT_EQ(CodeOf(Bytes(b.begin(), b.begin() + n)), ErrorCode::kTruncated) << n;
  }
}

TEST(MessagesTest, UnknownVersionsAndTypes) {
  EXPECT_EQ(CodeOf({0x00, 0x04, 0x02}), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(CodeOf({0x00, 0x00, 0x02}), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(CodeOf({0x00, 0x02, 0x07}), ErrorCode::kUnknownType);
  EXPECT_EQ(CodeOf({0x00, 0x03, 0x07, 0, 0, 1, 0, 0, 0, 0, 0}), ErrorCode::kUnknownType);
  EXPECT_EQ(CodeOf({0x00, 0x01, 0x02}), ErrorCode::kUnknownType);  // v1 knows 0x0a and 0x03
}

TEST(MessagesTest, TrailingBytes) {
  Bytes b = EncodeMessage(ValidData(Version::kV2));
  b.push_back(0);
  EXPECT_EQ(CodeOf(b), ErrorCode::kTrailingBytes);
}

TEST(MessagesTest, InstanceTagRules) {
  DataMessage m = ValidData(Version::kV3);
  m.header.sender_instance = 0;
  EXPECT_EQ(CodeOf(EncodeMessage(m)), ErrorCode::kInvalidInstanceTag);
  m.header.sender_instance = 0xff;
  EXPECT_EQ(CodeOf(EncodeMessage(m)), ErrorCode::kInvalidInstanceTag);
  m.header.sender_instance = 0x100;
  m.header.receiver_instance = 0x01;
  EXPECT_EQ(CodeOf(EncodeMessage(m)), ErrorCode::kInvalidInstanceTag);
  m.header.receiver_instance = 0;
  EXPECT_TRUE(DecodeMessage(EncodeMessage(m)).ok());
  DataMessage v2 = ValidData(Version::kV2);
  v2.header.sender_instance = 0x100;
  EXPECT_EQ(ValidateMessage(v2).code(), ErrorCode::kInvalidInstanceTag);
}

TEST(MessagesTest, DataMessageDecodeRules) {
  DataMessage m = ValidData(Version::kV3);
  m.sender_keyid = 0;
  EXPECT_EQ(CodeOf(EncodeMessage(m)), ErrorCode::kOutOfRange);
  m = ValidData(Version::kV3);
  m.recipient_keyid = 0;
  EXPECT_EQ(CodeOf(EncodeMessage(m)), ErrorCode::kOutOfRange);
  m = ValidData(Version::kV3);
  m.ctr.fill(0);
  EXPECT_EQ(CodeOf(EncodeMessage(m)), ErrorCode::kOutOfRange);
  m = ValidData(Version::kV3);
  m.next_dh.assign(kDhModulusSize + 1, 0x80);
  EXPECT_EQ(CodeOf(EncodeMessage(m)), ErrorCode::kTooLarge);
  // Old MAC keys: a whole number of 20-byte keys.
  m = ValidData(Version::kV2);
  Bytes b = EncodeMessage(m);
  b.resize(b.size() - 2 * kOldMacKeySize - 4);
  wire::Writer w;
  w.WriteData(Bytes(21, 1));
  b.insert(b.end(), w.bytes().begin(), w.bytes().end());
  EXPECT_EQ(CodeOf(b), ErrorCode::kInvalidEncoding);
}

TEST(MessagesTest, NonMinimalMpiIsNonCanonical) {
  // D-H Key with g^y written with a leading zero byte.
  Bytes b = {0x00, 0x02, 0x0a, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01};
  EXPECT_EQ(CodeOf(b), ErrorCode::kNonCanonical);
  b = {0x00, 0x02, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x01};
  ASSERT_TRUE(DecodeMessage(b).ok());
  EXPECT_EQ(std::get<DhKey>(*DecodeMessage(b)).gy, Bytes{0x01});
}

TEST(MessagesTest, FixedLengthDataFields) {
  DhCommit c;
  c.header = {Version::kV2, 0, 0};
  c.encrypted_gx = Bytes(196, 3);
  Bytes b = EncodeMessage(c);
  ASSERT_TRUE(DecodeMessage(b).ok());
  // Hashed g^x of 31 bytes.
  Bytes bad(b.begin(), b.end() - 36);
  wire::Writer w;
  w.WriteData(Bytes(31, 0));
  bad.insert(bad.end(), w.bytes().begin(), w.bytes().end());
  EXPECT_EQ(CodeOf(bad), ErrorCode::kInvalidEncoding);
  // Encrypted g^x longer than an MPI of the modulus.
  c.encrypted_gx = Bytes(kMaxEncryptedGxSize + 1, 3);
  EXPECT_EQ(CodeOf(EncodeMessage(c)), ErrorCode::kTooLarge);
  // Revealed key r of 15 bytes.
  Bytes rs = {0x00, 0x02, 0x11, 0x00, 0x00, 0x00, 0x0f};
  rs.resize(rs.size() + 15 + 4 + 20);
  EXPECT_EQ(CodeOf(rs), ErrorCode::kInvalidEncoding);
}

TEST(MessagesTest, V1MessagesAreDescribed) {
  V1KeyExchange kex;
  kex.reply = 1;
  kex.pub = {{0xc1, 2}, {0x91, 4}, {5}, {6, 7}};
  kex.sender_keyid = 1;
  kex.dh_y = {0x42};
  kex.signature = Bytes(4, 0x33);
  Bytes b = EncodeMessage(V1Message{kex});
  EXPECT_EQ(b[0], 0x00);
  EXPECT_EQ(b[1], 0x01);
  EXPECT_EQ(b[2], kV1KeyExchangeType);
  Result<Message> m = DecodeMessage(b);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<V1KeyExchange>(std::get<V1Message>(*m).body), kex);
  kex.reply = 2;
  EXPECT_EQ(CodeOf(EncodeMessage(V1Message{kex})), ErrorCode::kInvalidEncoding);
  kex.reply = 0;
  kex.signature.pop_back();  // DSASIG is twice the length of q
  EXPECT_EQ(CodeOf(EncodeMessage(V1Message{kex})), ErrorCode::kTruncated);
  kex.signature.push_back(0);
  kex.sender_keyid = 0;
  EXPECT_EQ(CodeOf(EncodeMessage(V1Message{kex})), ErrorCode::kOutOfRange);

  V1Data data;
  data.next_dh = {9};
  data.ctr[0] = 1;
  data.encrypted_message = ToBytes("x");
  Result<Message> d = DecodeMessage(EncodeMessage(V1Message{data}));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(std::get<V1Data>(std::get<V1Message>(*d).body), data);
  data.recipient_keyid = 0;
  EXPECT_EQ(CodeOf(EncodeMessage(V1Message{data})), ErrorCode::kOutOfRange);
}

TEST(DataTypesTest, PubkeyTypeAndBounds) {
  crypto::DsaPublicKey key{{0xff, 1}, {0x80}, {2}, {3}};
  Bytes b = EncodePubkey(key);
  EXPECT_EQ(b[0], 0);
  EXPECT_EQ(b[1], 0);
  ASSERT_TRUE(DecodePubkey(b).ok());
  EXPECT_EQ(*DecodePubkey(b), key);
  Bytes other = b;
  other[1] = 1;
  EXPECT_EQ(DecodePubkey(other).code(), ErrorCode::kUnknownType);
  key.q.assign(kMaxDsaQSize + 1, 0x80);
  EXPECT_EQ(DecodePubkey(EncodePubkey(key)).code(), ErrorCode::kTooLarge);
  b.push_back(0);
  EXPECT_EQ(DecodePubkey(b).code(), ErrorCode::kTrailingBytes);
}

TEST(DataTypesTest, SignedKeyId) {
  SignedKeyId x;
  x.pub = {{7}, {8}, {9}, {10}};
  x.keyid = 1;
  x.sig.fill(0x11);
  Bytes b = EncodeSignedKeyId(x);
  ASSERT_TRUE(DecodeSignedKeyId(b).ok());
  EXPECT_EQ(*DecodeSignedKeyId(b), x);
  b.pop_back();  // SIG is 40 bytes
  EXPECT_EQ(DecodeSignedKeyId(b).code(), ErrorCode::kTruncated);
  x.keyid = 0;
  EXPECT_EQ(DecodeSignedKeyId(EncodeSignedKeyId(x)).code(), ErrorCode::kOutOfRange);
}

}  // namespace
}  // namespace otr::v3

// Known-answer encodings written by hand from the layouts of otrv4.md ("Data
// Types", "Client Profile Data Type", "Prekey Profile Data Type", "Identity
// Message" .. "Data Message Format", "TLV Record Types", "SMP Message 1"),
// and the negative cases of the decode rules.
#include "protocol/v4/messages/messages.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "protocol/v4/messages/tlv.h"

namespace otr::v4 {
namespace {

// Builds bytes from pieces.
struct B {
  Bytes b;
  B& u8(uint8_t v) {
    b.push_back(v);
    return *this;
  }
  B& u16(uint16_t v) { return u8(static_cast<uint8_t>(v >> 8)).u8(static_cast<uint8_t>(v)); }
  B& u32(uint32_t v) { return u16(static_cast<uint16_t>(v >> 16)).u16(static_cast<uint16_t>(v)); }
  B& u64(uint64_t v) { return u32(static_cast<uint32_t>(v >> 32)).u32(static_cast<uint32_t>(v)); }
  B& fill(size_t n, uint8_t v) {
    b.insert(b.end(), n, v);
    return *this;
  }
  B& bytes(ByteView v) {
    b.insert(b.end(), v.begin(), v.end());
    return *this;
  }
  B& text(std::string_view s) { return bytes(AsBytes(s)); }
};

template <size_t N>
std::array<uint8_t, N> Filled(uint8_t v) {
  std::array<uint8_t, N> a;
  a.fill(v);
  return a;
}

// The fields of a v4-only Client Profile, canonical order, without the count.
B ClientProfileFields() {
  B f;
  f.u16(0x0001).u32(0x00000101);                   // owner instance tag
  f.u16(0x0002).u8(0x10).u8(0x00).fill(57, 0xa1);  // ED448-PUBKEY, type little-endian
  f.u16(0x0003).u8(0x12).u8(0x00).fill(57, 0xa2);  // ED448-FORGING-KEY
  f.u16(0x0004).u32(2).text("34");                 // Versions (DATA)
  f.u16(0x0005).u64(0x0000000065000000);           // CLIENT-PROF-EXP
  return f;
}

Bytes ClientProfileBytes() { return B().u32(5).bytes(ClientProfileFields().b).fill(114, 0x5a).b; }

ClientProfile ExpectedClientProfile() {
  ClientProfile p;
  p.owner_instance_tag = 0x101;
  p.public_key = Filled<57>(0xa1);
  p.forging_key = Filled<57>(0xa2);
  p.versions = "34";
  p.expiration = 0x65000000;
  p.signature = Filled<114>(0x5a);
  return p;
}

// Every proper prefix of a valid encoding fails to decode.
template <typename Decode>
void ExpectEveryPrefixFails(const Bytes& bytes, Decode decode) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(decode(ByteView(bytes).first(n)).ok()) << "prefix of " << n << " bytes";
  }
}

TEST(V4ClientProfileTest, DecodesTheSpecLayout) {
  const Bytes bytes = ClientProfileBytes();
  Result<ClientProfile> p = DecodeClientProfile(bytes);
  ASSERT_TRUE(p.ok()) << ErrorCodeName(p.code());
  EXPECT_EQ(*p, ExpectedClientProfile());
  EXPECT_EQ(EncodeClientProfile(*p), bytes);
  EXPECT_EQ(EncodeClientProfile(ExpectedClientProfile()), bytes);
  ExpectEveryPrefixFails(bytes, DecodeClientProfile);
}

TEST(V4ClientProfileTest, SignedBytesAreTheProfileUpToTheSignature) {
  const Bytes bytes = ClientProfileBytes();
  EXPECT_EQ(ClientProfileSignedBytes(ExpectedClientProfile()),
            Bytes(bytes.begin(), bytes.end() - 114));
}

TEST(V4ClientProfileTest, TransitionalProfileAndItsSignedBytes) {
  crypto::DsaPublicKey dsa{{0x01, 0x02}, {0x03}, {0x04}, {0x05}};
  const Bytes dsa_field = B().u16(0x0006)
                              .u16(0x0000)  // PUBKEY type DSA
                              .u32(2)
                              .u8(1)
                              .u8(2)
                              .u32(1)
                              .u8(3)
                              .u32(1)
                              .u8(4)
                              .u32(1)
                              .u8(5)
                              .b;
  const Bytes sig_field = B().u16(0x0007).fill(40, 0x77).b;
  const Bytes bytes =
      B().u32(7).bytes(ClientProfileFields().b).bytes(dsa_field).bytes(sig_field).fill(114, 1).b;
  Result<ClientProfile> p = DecodeClientProfile(bytes);
  ASSERT_TRUE(p.ok()) << ErrorCodeName(p.code());
  EXPECT_EQ(p->dsa_public_key, dsa);
  EXPECT_EQ(p->transitional_signature, Filled<40>(0x77));
  EXPECT_TRUE(p->field_order.empty());
  EXPECT_EQ(EncodeClientProfile(*p), bytes);
  // "a signature over fields 0x0001 .. 0x0006 only": no count, no 0x0007.
  EXPECT_EQ(ClientProfileTransitionalSignedBytes(*p),
            B().bytes(ClientProfileFields().b).bytes(dsa_field).b);
  // The EdDSA signature covers m || Transitional Signature.
  EXPECT_EQ(ClientProfileSignedBytes(*p), Bytes(bytes.begin(), bytes.end() - 114));
}

TEST(V4ClientProfileTest, KeepsANonCanonicalFieldOrder) {
  // Versions first: the order is kept so the signed bytes are those sent.
  const Bytes fields = ClientProfileFields().b;
  const size_t versions_at = 6 + 61 + 61;  // after tag, H, F
  Bytes reordered(fields.begin() + static_cast<long>(versions_at),
                  fields.begin() + static_cast<long>(versions_at + 8));
  reordered.insert(reordered.end(), fields.begin(),
                   fields.begin() + static_cast<long>(versions_at));
  reordered.insert(reordered.end(), fields.begin() + static_cast<long>(versions_at + 8),
                   fields.end());
  const Bytes bytes = B().u32(5).bytes(reordered).fill(114, 0x5a).b;
  Result<ClientProfile> p = DecodeClientProfile(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->field_order.front(), ClientProfileField::kVersions);
  EXPECT_EQ(EncodeClientProfile(*p), bytes);
  EXPECT_EQ(ClientProfileSignedBytes(*p), Bytes(bytes.begin(), bytes.end() - 114));
}

TEST(V4ClientProfileTest, RefusesDuplicatesUnknownFieldsAndMissingOnes) {
  const Bytes fields = ClientProfileFields().b;
  // Duplicate instance tag.
  Bytes dup = B().u32(6).bytes(fields).u16(0x0001).u32(0x102).fill(114, 0).b;
  EXPECT_EQ(DecodeClientProfile(dup).code(), ErrorCode::kInvalidEncoding);
  // Unknown field type 0x0008.
  Bytes unknown = B().u32(6).bytes(fields).u16(0x0008).u32(0).fill(114, 0).b;
  EXPECT_EQ(DecodeClientProfile(unknown).code(), ErrorCode::kUnknownType);
  // Only four fields: the expiration is missing.
  Bytes missing = B().u32(4).bytes(ByteView(fields).first(fields.size() - 10)).fill(114, 0).b;
  EXPECT_EQ(DecodeClientProfile(missing).code(), ErrorCode::kInvalidEncoding);
  // More fields than there are types.
  EXPECT_EQ(DecodeClientProfile(B().u32(8).b).code(), ErrorCode::kTooLarge);
  // Trailing byte after the signature.
  Bytes trailing = ClientProfileBytes();
  trailing.push_back(0);
  EXPECT_EQ(DecodeClientProfile(trailing).code(), ErrorCode::kTrailingBytes);
}

TEST(V4ClientProfileTest, RefusesBadFieldValues) {
  // The pubkey type written big-endian (0x00 0x10) is not 0x0010.
  Bytes be = ClientProfileBytes();
  be[4 + 6 + 2] = 0x00;
  be[4 + 6 + 3] = 0x10;
  EXPECT_EQ(DecodeClientProfile(be).code(), ErrorCode::kUnknownType);
  // Owner instance tag below 0x100.
  Bytes tag = ClientProfileBytes();
  tag[4 + 2 + 2] = 0x00;  // 0x00000101 -> 0x00000001
  EXPECT_EQ(DecodeClientProfile(tag).code(), ErrorCode::kInvalidInstanceTag);
  // Versions longer than the bound.
  Bytes versions = B().u32(1).u16(0x0004).u32(kMaxVersionsSize + 1).fill(65, '4').b;
  EXPECT_EQ(DecodeClientProfile(versions).code(), ErrorCode::kTooLarge);
}

Bytes PrekeyProfileBytes() {
  return B()
      .u32(0x12345678)
      .u64(0x0102030405060708)
      .u8(0x11)
      .u8(0x00)
      .fill(57, 0xd0)
      .fill(114, 9)
      .b;
}

TEST(V4PrekeyProfileTest, DecodesTheSpecLayout) {
  const Bytes bytes = PrekeyProfileBytes();
  ASSERT_EQ(bytes.size(), kPrekeyProfileSize);
  Result<PrekeyProfile> p = DecodePrekeyProfile(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->owner_instance_tag, 0x12345678u);
  EXPECT_EQ(p->expiration, 0x0102030405060708);
  EXPECT_EQ(p->shared_prekey, Filled<57>(0xd0));
  EXPECT_EQ(p->signature, Filled<114>(9));
  EXPECT_EQ(EncodePrekeyProfile(*p), bytes);
  EXPECT_EQ(PrekeyProfileSignedBytes(*p), Bytes(bytes.begin(), bytes.end() - 114));
  ExpectEveryPrefixFails(bytes, DecodePrekeyProfile);
  Bytes wrong_type = bytes;
  wrong_type[12] = 0x10;  // a long-term key type, not a shared prekey
  EXPECT_EQ(DecodePrekeyProfile(wrong_type).code(), ErrorCode::kUnknownType);
  Bytes negative = bytes;
  negative[4] = 0xff;  // expiration is signed
  EXPECT_LT(DecodePrekeyProfile(negative)->expiration, 0);
}

TEST(V4MessagesTest, PrekeyMessageLayout) {
  const Bytes bytes =
      B().u16(0x0004).u8(0x0F).u32(0xdeadbeef).u32(0x100).fill(57, 0x33).u32(2).u8(1).u8(0).b;
  Result<Message> m = DecodeMessage(bytes);
  ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code());
  const auto& prekey = std::get<PrekeyMessage>(*m);
  EXPECT_EQ(prekey.identifier, 0xdeadbeefu);
  EXPECT_EQ(prekey.owner_instance_tag, 0x100u);
  EXPECT_EQ(prekey.y, Filled<57>(0x33));
  EXPECT_EQ(prekey.b, (Bytes{1, 0}));
  EXPECT_EQ(EncodeMessage(*m), bytes);
  ExpectEveryPrefixFails(bytes, DecodeMessage);
}

TEST(V4MessagesTest, AuthILayout) {
  const Bytes bytes = B().u16(4).u8(0x37).u32(0x100).u32(0x200).fill(342, 0x44).b;
  Result<AuthI> m = DecodeAuthI(bytes);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->header, (Header{0x100, 0x200}));
  EXPECT_EQ(m->sigma.c1, Filled<57>(0x44));
  EXPECT_EQ(m->sigma.r3, Filled<57>(0x44));
  EXPECT_EQ(EncodeAuthI(*m), bytes);
  ExpectEveryPrefixFails(bytes, DecodeMessage);
}

TEST(V4MessagesTest, IdentityAuthRAndNonInteractiveAuthLayouts) {
  const Bytes profile = ClientProfileBytes();
  const Bytes identity = B().u16(4)
                             .u8(0x35)
                             .u32(0x100)
                             .u32(0)
                             .bytes(profile)
                             .fill(57, 1)
                             .u32(1)
                             .u8(2)  // Y, B
                             .fill(57, 3)
                             .u32(1)
                             .u8(4)
                             .b;  // first keys
  Result<Message> m = DecodeMessage(identity);
  ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code());
  const auto& id = std::get<IdentityMessage>(*m);
  EXPECT_EQ(id.client_profile, ExpectedClientProfile());
  EXPECT_EQ(id.y, Filled<57>(1));
  EXPECT_EQ(id.b, Bytes{2});
  EXPECT_EQ(id.our_ecdh_first, Filled<57>(3));
  EXPECT_EQ(id.our_dh_first, Bytes{4});
  EXPECT_EQ(EncodeMessage(*m), identity);
  ExpectEveryPrefixFails(identity, DecodeMessage);

  // Auth-R: sigma comes before our_ecdh_first and our_dh_first.
  const Bytes auth_r = B().u16(4)
                           .u8(0x36)
                           .u32(0x100)
                           .u32(0x101)
                           .bytes(profile)
                           .fill(57, 1)
                           .u32(1)
                           .u8(2)
                           .fill(342, 7)
                           .fill(57, 3)
                           .u32(1)
                           .u8(4)
                           .b;
  Result<AuthR> r = DecodeAuthR(auth_r);
  ASSERT_TRUE(r.ok()) << ErrorCodeName(r.code());
  EXPECT_EQ(r->sigma.c1, Filled<57>(7));
  EXPECT_EQ(r->our_ecdh_first, Filled<57>(3));
  EXPECT_EQ(EncodeAuthR(*r), auth_r);

  // Non-Interactive-Auth, type 0x0D: ..., sigma, prekey id, Auth MAC, first keys.
  const Bytes nia = B().u16(4)
                        .u8(0x0D)
                        .u32(0x100)
                        .u32(0x101)
                        .bytes(profile)
                        .fill(57, 1)
                        .u32(1)
                        .u8(2)
                        .fill(342, 7)
                        .u32(0xabcdef01)
                        .fill(64, 8)
                        .fill(57, 3)
                        .u32(1)
                        .u8(4)
                        .b;
  Result<NonInteractiveAuth> n = DecodeNonInteractiveAuth(nia);
  ASSERT_TRUE(n.ok()) << ErrorCodeName(n.code());
  EXPECT_EQ(n->prekey_message_identifier, 0xabcdef01u);
  EXPECT_EQ(n->auth_mac, Filled<64>(8));
  EXPECT_EQ(EncodeNonInteractiveAuth(*n), nia);
  ExpectEveryPrefixFails(nia, DecodeMessage);
}

Bytes DataMessageBytes() {
  return B()
      .u16(4)
      .u8(0x03)
      .u32(0x100)
      .u32(0x101)
      .u8(0x01)  // IGNORE_UNREADABLE
      .u32(3)
      .u32(4)
      .u32(5)          // pn, i, j
      .fill(57, 0xec)  // Public ECDH Key
      .u32(0)          // Public DH Key, empty
      .u32(3)
      .u8('a')
      .u8('b')
      .u8('c')         // Encrypted message
      .fill(64, 0x6d)  // Authenticator
      .u32(128)
      .fill(64, 1)
      .fill(64, 2)
      .b;  // two revealed MAC keys
}

TEST(V4MessagesTest, DataMessageLayout) {
  const Bytes bytes = DataMessageBytes();
  Result<DataMessage> m = DecodeDataMessage(bytes);
  ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code());
  EXPECT_EQ(m->flags, kFlagIgnoreUnreadable);
  EXPECT_EQ(m->previous_chain_length, 3u);
  EXPECT_EQ(m->ratchet_id, 4u);
  EXPECT_EQ(m->message_id, 5u);
  EXPECT_TRUE(m->dh.empty());
  EXPECT_EQ(m->encrypted_message, ToBytes("abc"));
  ASSERT_EQ(m->revealed_mac_keys.size(), 2u);
  EXPECT_EQ(m->revealed_mac_keys[1], Filled<64>(2));
  EXPECT_EQ(EncodeDataMessage(*m), bytes);
  // "from the protocol version to the end of the encrypted message"
  EXPECT_EQ(DataMessageMacInput(*m), Bytes(bytes.begin(), bytes.end() - 64 - 4 - 128));
  ExpectEveryPrefixFails(bytes, DecodeMessage);
}

TEST(V4MessagesTest, NegativeCases) {
  const Bytes good = DataMessageBytes();
  Bytes version = good;
  version[1] = 0x03;
  EXPECT_EQ(DecodeMessage(version).code(), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(DecodeDataMessage(version).code(), ErrorCode::kUnsupportedVersion);
  Bytes type = good;
  type[2] = 0x02;
  EXPECT_EQ(DecodeMessage(type).code(), ErrorCode::kUnknownType);
  type[2] = 0x8D;  // not a v4 type
  EXPECT_EQ(DecodeMessage(type).code(), ErrorCode::kUnknownType);
  EXPECT_EQ(DecodeAuthI(good).code(), ErrorCode::kUnknownType);
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(DecodeMessage(trailing).code(), ErrorCode::kTrailingBytes);
  Bytes sender = good;
  sender[5] = 0x00;  // 0x100 -> 0x000
  EXPECT_EQ(DecodeMessage(sender).code(), ErrorCode::kInvalidInstanceTag);
  Bytes receiver = good;
  receiver[9] = 0x00;
  receiver[10] = 0x01;  // 0x101 -> 0x001
  EXPECT_EQ(DecodeMessage(receiver).code(), ErrorCode::kInvalidInstanceTag);
  // Public DH key: a leading zero byte, then one longer than 384 bytes.
  Bytes prefix(good.begin(), good.begin() + 3 + 8 + 1 + 12 + 57);
  EXPECT_EQ(DecodeMessage(B().bytes(prefix).u32(2).u8(0).u8(1).b).code(), ErrorCode::kNonCanonical);
  EXPECT_EQ(DecodeMessage(B().bytes(prefix).u32(385).fill(385, 1).b).code(), ErrorCode::kTooLarge);
  // Encrypted message over 1 MiB (refused before reading it).
  EXPECT_EQ(DecodeMessage(B().bytes(prefix).u32(0).u32((1 << 20) + 1).b).code(),
            ErrorCode::kTooLarge);
  // Revealed MAC keys not a whole number of 64-byte keys.
  Bytes keys(good.begin(), good.end() - 4 - 128);
  EXPECT_EQ(DecodeMessage(B().bytes(keys).u32(65).fill(65, 0).b).code(),
            ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeMessage(Bytes{0x00}).code(), ErrorCode::kTruncated);
}

TEST(V4TlvTest, PayloadWithRecordsAndTheCorruptedTlvRule) {
  const Bytes plaintext = B().text("hi")
                              .u8(0)
                              .u16(0)
                              .u16(2)
                              .u8(0)
                              .u8(0)  // Padding
                              .u16(9)
                              .u16(1)
                              .u8(0xee)  // not on the list
                              .u16(6)
                              .u16(0)  // SMP Abort
                              .u16(1)
                              .u16(10)
                              .u8(1)
                              .b;  // incomplete Disconnected
  const DataPayload payload = DecodeDataPayload(plaintext);
  EXPECT_EQ(payload.message, ToBytes("hi"));
  ASSERT_EQ(payload.tlvs.size(), 3u);
  EXPECT_EQ(payload.incomplete_tail, (Bytes{0, 1, 0, 10, 1}));
  EXPECT_EQ(DecodeTlv(payload.tlvs[0]).value(), Tlv(Padding{{0, 0}}));
  EXPECT_EQ(DecodeTlv(payload.tlvs[1]).value(), Tlv(UnknownTlv{9, {0xee}}));
  EXPECT_EQ(DecodeTlv(payload.tlvs[2]).value(), Tlv(SmpAbort{}));
  EXPECT_EQ(EncodeDataPayload(payload).value(), plaintext);
  // No NUL: the whole plaintext is the message.
  EXPECT_FALSE(DecodeDataPayload(ToBytes("plain")).has_tlv_part);
}

TEST(V4TlvTest, EncodeFromPartsChecksLikeThePayload) {
  const std::vector<TlvRecord> abort{{6, {}}};
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), true, abort).value(),
            (Bytes{'h', 'i', 0, 0, 6, 0, 0}));
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), false, {}).value(), ToBytes("hi"));
  EXPECT_EQ(EncodeDataPayload(Bytes{'a', 0, 'b'}, false, {}).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), false, abort).code(), ErrorCode::kInvalidEncoding);
  const std::vector<TlvRecord> too_long{{0, Bytes(kMaxTlvValueSize + 1, 0)}};
  EXPECT_EQ(EncodeDataPayload(ToBytes("hi"), true, too_long).code(), ErrorCode::kTooLarge);
}

TEST(V4TlvTest, TypedRecords) {
  // Disconnected with one old MAC key.
  TlvRecord disconnected{1, Bytes(64, 0x42)};
  EXPECT_EQ(DecodeTlv(disconnected).value(), Tlv(Disconnected{{Filled<64>(0x42)}}));
  EXPECT_EQ(DecodeTlv(TlvRecord{1, Bytes(65, 0)}).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeTlv(TlvRecord{6, Bytes{0}}).code(), ErrorCode::kTrailingBytes);
  // Extra symmetric key: 4-byte use, then use-specific data.
  Result<Tlv> esk = DecodeTlv(TlvRecord{7, B().u32(0x11223344).text("file").b});
  ASSERT_TRUE(esk.ok());
  EXPECT_EQ(std::get<ExtraSymmetricKey>(*esk).use, 0x11223344u);
  EXPECT_EQ(std::get<ExtraSymmetricKey>(*esk).use_data, ToBytes("file"));
  EXPECT_EQ(DecodeTlv(TlvRecord{7, Bytes{1, 2, 3}}).code(), ErrorCode::kTruncated);
  EXPECT_EQ(EncodeTlv(Tlv(UnknownTlv{3, {}})).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(EncodeTlv(Tlv(Padding{Bytes(0x10000, 0)})).code(), ErrorCode::kTooLarge);
}

TEST(V4SmpTest, SmpMessage1Layout) {
  const Bytes value = B().u32(3)
                          .text("why")
                          .fill(57, 1)
                          .fill(57, 2)
                          .fill(57, 3)  // G2a, c2, d2
                          .fill(57, 4)
                          .fill(57, 5)
                          .fill(57, 6)
                          .b;  // G3a, c3, d3
  Result<Tlv> tlv = DecodeTlv(TlvRecord{2, value});
  ASSERT_TRUE(tlv.ok());
  const auto& m = std::get<SmpMessage1>(*tlv);
  EXPECT_EQ(m.question, ToBytes("why"));
  EXPECT_EQ(m.g2a, Filled<57>(1));
  EXPECT_EQ(m.d2, Filled<57>(3));
  EXPECT_EQ(m.g3a, Filled<57>(4));
  EXPECT_EQ(m.d3, Filled<57>(6));
  EXPECT_EQ(EncodeSmpMessage1(m), value);
  ExpectEveryPrefixFails(value, DecodeSmpMessage1);
  // No question: length 0.
  EXPECT_TRUE(DecodeSmpMessage1(B().u32(0).fill(6 * 57, 0).b).value().question.empty());
}

TEST(V4SmpTest, SmpMessages2To4Layouts) {
  Bytes m2 = B().fill(kSmpMessage2Size, 0).b;
  for (size_t i = 0; i < 11; ++i) m2[i * 57] = static_cast<uint8_t>(i + 1);
  Result<SmpMessage2> two = DecodeSmpMessage2(m2);
  ASSERT_TRUE(two.ok());
  // G2b, c2, d2, G3b, c3, d3, Pb, Qb, cp, d5, d6
  EXPECT_EQ(two->g2b[0], 1);
  EXPECT_EQ(two->g3b[0], 4);
  EXPECT_EQ(two->pb[0], 7);
  EXPECT_EQ(two->qb[0], 8);
  EXPECT_EQ(two->d6[0], 11);
  EXPECT_EQ(EncodeSmpMessage2(*two), m2);
  Bytes m3 = B().fill(kSmpMessage3Size, 0).b;
  for (size_t i = 0; i < 8; ++i) m3[i * 57] = static_cast<uint8_t>(i + 1);
  Result<SmpMessage3> three = DecodeSmpMessage3(m3);
  ASSERT_TRUE(three.ok());
  // Pa, Qa, cp, d5, d6, Ra, cr, d7
  EXPECT_EQ(three->qa[0], 2);
  EXPECT_EQ(three->ra[0], 6);
  EXPECT_EQ(three->d7[0], 8);
  EXPECT_EQ(EncodeSmpMessage3(*three), m3);
  Bytes m4 = B().fill(57, 1).fill(57, 2).fill(57, 3).b;
  EXPECT_EQ(DecodeSmpMessage4(m4)->d7, Filled<57>(3));
  m4.push_back(0);
  EXPECT_EQ(DecodeSmpMessage4(m4).code(), ErrorCode::kTrailingBytes);
}

}  // namespace
}  // namespace otr::v4

// The prekey-server messages (otr-v4-prekey-server.md): known-answer layouts
// written out byte by byte from the spec's encodings, the spec's own base64
// prefixes from "A Prekey Server for OTRv4 over XMPP", and the decode rules'
// negative cases, each with its error code.
#include "protocol/prekey/messages/messages.h"

#include <gtest/gtest.h>

#include <string>

#include "protocol/wire/base64.h"
#include "tests/crypto/test_util.h"
#include "tests/prekey/examples.h"

namespace otr::prekey {
namespace {

using crypto::testing::FromHex;
using crypto::testing::ToHex;
using testing::ExampleClientProfile;
using testing::ExamplePrekeyMessage;
using testing::ExamplePrekeyProfile;
using testing::ExampleRingSig;
using testing::Filler;

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
template <size_t N>
Bytes B(const std::array<uint8_t, N>& a) {
  return Bytes(a.begin(), a.end());
}

TEST(PrekeyMessagesTest, EveryExampleRoundTrips) {
  for (const Message& m : testing::AllExampleMessages()) {
    ASSERT_TRUE(ValidateMessage(m).ok());
    const Bytes bytes = EncodeMessage(m);
    auto decoded = DecodeMessage(bytes);
    ASSERT_TRUE(decoded.ok()) << MessageTypeName(static_cast<uint8_t>(TypeOf(m))) << " "
                              << crypto::testing::CodeName(decoded.code());
    EXPECT_EQ(*decoded, m);
    EXPECT_EQ(TypeOf(*decoded), TypeOf(m));
    EXPECT_EQ(bytes[2], static_cast<uint8_t>(TypeOf(m)));
  }
}

// "A Prekey Server for OTRv4 over XMPP" shows the start of each message's
// base64: "AAQ1..." (DAKE-1), "AAQ2...", "AAQ3...", "AAQG..." (Success),
// "AAQL..." (Storage Status), "AAQQ..." (Query Retrieval), "AAQT..."
// (Ensemble Retrieval), "AAQO..." (No Prekey Ensembles). The fragmentation
// section says a Prekey Publication starts "AAQD" (type 0x03), which
// contradicts its section's type 0x08 ("AAQI"); we follow the message's own
// section, as libotr-ng does (OTRNG_PREKEY_PUBLICATION_MSG 0x08).
TEST(PrekeyMessagesTest, Base64PrefixesOfTheXmppSection) {
  const std::pair<MessageType, const char*> expected[] = {
      {MessageType::kDake1, "AAQ1"},
      {MessageType::kDake2, "AAQ2"},
      {MessageType::kDake3, "AAQ3"},
      {MessageType::kSuccess, "AAQG"},
      {MessageType::kStorageStatus, "AAQL"},
      {MessageType::kPrekeyEnsembleQueryRetrieval, "AAQQ"},
      {MessageType::kPrekeyEnsembleRetrieval, "AAQT"},
      {MessageType::kNoPrekeyEnsemblesInStorage, "AAQO"},
      {MessageType::kPrekeyPublication, "AAQI"},
  };
  for (const auto& [type, prefix] : expected) {
    bool seen = false;
    for (const Message& m : testing::AllExampleMessages()) {
      if (TypeOf(m) != type) continue;
      seen = true;
      EXPECT_EQ(wire::EncodeBase64(EncodeMessage(m)).substr(0, 4), prefix);
    }
    EXPECT_TRUE(seen) << prefix;
  }
}

// --- Known-answer layouts ---

TEST(PrekeyMessagesTest, SuccessAndFailureLayout) {
  // Protocol version (SHORT) 0x0004, Message type (BYTE), Receiver instance
  // tag (INT), MAC (64 bytes).
  const Success success{0x01020304, Filler<64>(0x80)};
  EXPECT_EQ(EncodeMessage(success), Cat({FromHex("0004 06 01020304"), B(Filler<64>(0x80))}));
  const Failure failure{0x01020304, Filler<64>(0x80)};
  EXPECT_EQ(EncodeMessage(failure), Cat({FromHex("0004 05 01020304"), B(Filler<64>(0x80))}));
  EXPECT_EQ(EncodeMessage(success).size(), 71u);  // libotr-ng's OTRNG_PREKEY_SUCCESS_MSG_LEN
  EXPECT_EQ(SuccessMacInput(success), FromHex("06 01020304"));
  EXPECT_EQ(FailureMacInput(failure), FromHex("05 01020304"));
}

TEST(PrekeyMessagesTest, StorageLayouts) {
  const StorageInformationRequest request{Filler<64>(0)};
  EXPECT_EQ(EncodeMessage(request), Cat({FromHex("0004 09"), B(Filler<64>(0))}));
  EXPECT_EQ(StorageInformationMacInput(), FromHex("09"));
  const StorageStatus status{0x00000100, 0xfffffffe, Filler<64>(1)};
  EXPECT_EQ(EncodeMessage(status), Cat({FromHex("0004 0b 00000100 fffffffe"), B(Filler<64>(1))}));
  EXPECT_EQ(StatusMacInput(status), FromHex("0b 00000100 fffffffe"));
}

TEST(PrekeyMessagesTest, RetrievalLayouts) {
  const PrekeyEnsembleQueryRetrieval query{0x00000101, ToBytes("bob@x"), ToBytes("45")};
  EXPECT_EQ(ToHex(EncodeMessage(query)),
            "000410"
            "00000101"
            "00000005626f624078"  // DATA("bob@x")
            "000000023435");      // DATA("45")
  const NoPrekeyEnsemblesInStorage none{0x00000101, ToBytes("bob@x"), ToBytes("none")};
  EXPECT_EQ(ToHex(EncodeMessage(none)),
            "00040e"
            "00000101"
            "00000005626f624078"
            "000000046e6f6e65");
  PrekeyEnsembleRetrieval retrieval{0x00000101, ToBytes("bob@x"), {}};
  retrieval.ensembles.push_back(
      {ExampleClientProfile(), ExamplePrekeyProfile(), ExamplePrekeyMessage(9)});
  EXPECT_EQ(EncodeMessage(retrieval), Cat({FromHex("000413 00000101 00000005626f624078 00000001"),
                                           v4::EncodeClientProfile(ExampleClientProfile()),
                                           v4::EncodePrekeyProfile(ExamplePrekeyProfile()),
                                           v4::EncodePrekeyMessage(ExamplePrekeyMessage(9))}));
}

TEST(PrekeyMessagesTest, DakeLayouts) {
  const v4::ClientProfile profile = ExampleClientProfile();
  const Dake1 dake1{0x11223344, profile, Filler<57>(0x60)};
  EXPECT_EQ(EncodeMessage(dake1), Cat({FromHex("000435 11223344"), v4::EncodeClientProfile(profile),
                                       B(Filler<57>(0x60))}));
  // PREKEY-SERVER-COMP-ID: DATA(identity) || ED448-PUBKEY (type 0x0010,
  // "2 byte unsigned value, little-endian", then the POINT).
  const CompositeIdentity id{ToBytes("prekey.xmpp.org"), Filler<57>(0x40)};
  const Bytes id_bytes =
      Cat({FromHex("0000000f"), ToBytes("prekey.xmpp.org"), FromHex("1000"), B(Filler<57>(0x40))});
  EXPECT_EQ(EncodeCompositeIdentity(id), id_bytes);
  auto id_back = DecodeCompositeIdentity(id_bytes);
  ASSERT_TRUE(id_back.ok());
  EXPECT_EQ(*id_back, id);
  const Dake2 dake2{0x11223344, id, Filler<57>(0x70), ExampleRingSig()};
  EXPECT_EQ(EncodeMessage(dake2), Cat({FromHex("000436 11223344"), id_bytes, B(Filler<57>(0x70)),
                                       v4::EncodeRingSig(ExampleRingSig())}));
  const Dake3 dake3{0x11223344, ExampleRingSig(), FromHex("000409")};
  EXPECT_EQ(EncodeMessage(dake3),
            Cat({FromHex("000437 11223344"), v4::EncodeRingSig(ExampleRingSig()),
                 FromHex("00000003 000409")}));
}

TEST(PrekeyMessagesTest, PrekeyPublicationLayout) {
  PrekeyPublication m;
  m.prekey_messages = {ExamplePrekeyMessage(1)};
  m.prekey_profile = ExamplePrekeyProfile();
  m.prekey_message_proofs = PrekeyMessageProofs{{Filler<64>(0xa0), Filler<57>(0xb0)},
                                                {Filler<64>(0xc0), FromHex("0102")}};
  m.prekey_profile_proof = EcdhProof{Filler<64>(0xe0), Filler<57>(0xf0)};
  m.prekey_mac = Filler<64>(0xd0);
  const Bytes proofs = Cat({B(Filler<64>(0xa0)), B(Filler<57>(0xb0)),       // Prekey Message ECDH
                            B(Filler<64>(0xc0)), FromHex("00000002 0102"),  // Prekey Message DH
                            B(Filler<64>(0xe0)), B(Filler<57>(0xf0))});     // Prekey Profile ECDH
  EXPECT_EQ(EncodeMessage(m),
            Cat({FromHex("000408 01"), v4::EncodePrekeyMessage(m.prekey_messages[0]),
                 FromHex("00"),  // K: no Client Profile
                 FromHex("01"), v4::EncodePrekeyProfile(*m.prekey_profile), proofs,
                 B(Filler<64>(0xd0))}));
  const PrekeyPublicationMacParts parts = PublicationMacParts(m);
  EXPECT_EQ(parts.message_type, 0x08);
  EXPECT_EQ(parts.n, 1);
  EXPECT_EQ(parts.prekey_messages, v4::EncodePrekeyMessage(m.prekey_messages[0]));
  EXPECT_EQ(parts.k, 0);
  EXPECT_TRUE(parts.client_profile.empty());
  EXPECT_EQ(parts.j, 1);
  EXPECT_EQ(parts.prekey_profile, v4::EncodePrekeyProfile(*m.prekey_profile));
  EXPECT_EQ(parts.proofs, proofs);
}

TEST(PrekeyMessagesTest, AttachedMessages) {
  const StorageInformationRequest request{Filler<64>(3)};
  auto attached = DecodeAttachedMessage(EncodeAttachedMessage(request));
  ASSERT_TRUE(attached.ok());
  EXPECT_EQ(std::get<StorageInformationRequest>(*attached), request);
  // "Verifies that the message type is either 0x08 or 0x09."
  EXPECT_EQ(DecodeAttachedMessage(EncodeMessage(Success{0x100, {}})).code(),
            ErrorCode::kUnknownType);
  EXPECT_EQ(DecodeAttachedMessage({}).code(), ErrorCode::kTruncated);
}

// --- Decode rules: negative cases ---

Bytes Encoded(const Message& m) { return EncodeMessage(m); }

TEST(PrekeyMessagesTest, VersionAndType) {
  Bytes b = Encoded(Success{0x100, {}});
  b[1] = 3;
  EXPECT_EQ(DecodeMessage(b).code(), ErrorCode::kUnsupportedVersion);
  b[1] = 5;  // "0x0004 or a higher version": no layout is defined for those
  EXPECT_EQ(DecodeMessage(b).code(), ErrorCode::kUnsupportedVersion);
  b = Encoded(Success{0x100, {}});
  for (uint8_t type : {0x00, 0x03, 0x07, 0x0f, 0x0d, 0x34, 0x38, 0xff}) {
    b[2] = type;
    EXPECT_EQ(DecodeMessage(b).code(), ErrorCode::kUnknownType) << int{type};
  }
  // A type-specific decoder refuses another type.
  EXPECT_EQ(DecodeFailure(Encoded(Success{0x100, {}})).code(), ErrorCode::kUnknownType);
  EXPECT_EQ(DecodeMessage({}).code(), ErrorCode::kTruncated);
  EXPECT_EQ(DecodeMessage(FromHex("0004")).code(), ErrorCode::kTruncated);
}

TEST(PrekeyMessagesTest, TruncatedAndTrailing) {
  for (const Message& m : testing::AllExampleMessages()) {
    const Bytes b = EncodeMessage(m);
    for (size_t cut : {size_t{3}, b.size() / 2, b.size() - 1}) {
      EXPECT_FALSE(DecodeMessage(ByteView(b).first(cut)).ok());
    }
    Bytes longer = b;
    longer.push_back(0);
    EXPECT_EQ(DecodeMessage(longer).code(), ErrorCode::kTrailingBytes);
  }
}

TEST(PrekeyMessagesTest, InstanceTags) {
  // Sender tags below 0x100 are discarded ("Instance Tags").
  EXPECT_EQ(DecodeMessage(Cat({FromHex("000410 000000ff"), FromHex("00000000 00000000")})).code(),
            ErrorCode::kInvalidInstanceTag);
  EXPECT_EQ(DecodeMessage(Cat({FromHex("000410 00000000"), FromHex("00000000 00000000")})).code(),
            ErrorCode::kInvalidInstanceTag);
  EXPECT_TRUE(DecodeMessage(Cat({FromHex("000410 00000100"), FromHex("00000000 00000000")})).ok());
  // Receiver tags: 0 or at least 0x100.
  EXPECT_EQ(DecodeMessage(Cat({FromHex("000406 00000001"), B(Filler<64>(0))})).code(),
            ErrorCode::kInvalidInstanceTag);
  EXPECT_TRUE(DecodeMessage(Cat({FromHex("000406 00000000"), B(Filler<64>(0))})).ok());
  EXPECT_EQ(ValidateMessage(Dake1{0xff, ExampleClientProfile(), {}}).code(),
            ErrorCode::kInvalidInstanceTag);
  EXPECT_EQ(ValidateMessage(StorageStatus{0x80, 0, {}}).code(), ErrorCode::kInvalidInstanceTag);
}

TEST(PrekeyMessagesTest, PublicationFlagsAndProofs) {
  // K and J are 0 or 1.
  const Bytes k2 = Cat({FromHex("000408 00 02 00"), B(Filler<64>(0))});
  EXPECT_EQ(DecodeMessage(k2).code(), ErrorCode::kInvalidEncoding);
  const Bytes j2 = Cat({FromHex("000408 00 00 02"), B(Filler<64>(0))});
  EXPECT_EQ(DecodeMessage(j2).code(), ErrorCode::kInvalidEncoding);
  // Nothing published: no proofs, just the MAC.
  auto empty = DecodeMessage(Cat({FromHex("000408 00 00 00"), B(Filler<64>(0))}));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(std::get<PrekeyPublication>(*empty).prekey_messages.empty());
  // N says more Prekey Messages than there are.
  EXPECT_EQ(
      DecodeMessage(Cat({FromHex("000408 ff"), v4::EncodePrekeyMessage(ExamplePrekeyMessage(1))}))
          .code(),
      ErrorCode::kTruncated);
  // The value form: proofs present exactly when called for.
  PrekeyPublication m;
  m.prekey_messages = {ExamplePrekeyMessage(1)};
  EXPECT_EQ(ValidateMessage(m).code(), ErrorCode::kInvalidEncoding);
  m.prekey_message_proofs = PrekeyMessageProofs{};
  EXPECT_TRUE(ValidateMessage(m).ok());
  m.prekey_profile_proof = EcdhProof{};
  EXPECT_EQ(ValidateMessage(m).code(), ErrorCode::kInvalidEncoding);
  m.prekey_profile = ExamplePrekeyProfile();
  EXPECT_TRUE(ValidateMessage(m).ok());
  m.prekey_messages.assign(256, ExamplePrekeyMessage(1));
  EXPECT_EQ(ValidateMessage(m).code(), ErrorCode::kTooLarge);
}

TEST(PrekeyMessagesTest, PublicationValuesShareOneInstanceTag) {
  PrekeyPublication m;
  m.prekey_messages = {ExamplePrekeyMessage(1), ExamplePrekeyMessage(2, 0x9999)};
  m.prekey_message_proofs = PrekeyMessageProofs{};
  EXPECT_EQ(ValidateMessage(m).code(), ErrorCode::kInvalidInstanceTag);
  EXPECT_EQ(DecodeMessage(EncodeMessage(m)).code(), ErrorCode::kInvalidInstanceTag);
  m.prekey_messages.pop_back();
  m.client_profile = ExampleClientProfile(0x9999);
  EXPECT_EQ(DecodeMessage(EncodeMessage(m)).code(), ErrorCode::kInvalidInstanceTag);
  m.client_profile = ExampleClientProfile();
  m.prekey_profile = ExamplePrekeyProfile(0x9999);
  m.prekey_profile_proof = EcdhProof{};
  EXPECT_EQ(DecodeMessage(EncodeMessage(m)).code(), ErrorCode::kInvalidInstanceTag);
  m.prekey_profile = ExamplePrekeyProfile();
  EXPECT_TRUE(DecodeMessage(EncodeMessage(m)).ok());
}

TEST(PrekeyMessagesTest, DhProofMpiIsMinimalAndBounded) {
  PrekeyPublication m;
  m.prekey_messages = {ExamplePrekeyMessage(1)};
  m.prekey_message_proofs = PrekeyMessageProofs{{}, {{}, Bytes(384, 0xff)}};
  EXPECT_TRUE(DecodeMessage(EncodeMessage(m)).ok());
  Bytes b = EncodeMessage(m);
  // The DH proof's V: MPI length at 3 + 456-byte... find it from the end:
  // MAC (64), V (4 + 384), C (64).
  const size_t v_length_at = b.size() - 64 - 384 - 4;
  ASSERT_EQ(ToHex(ByteView(b).subspan(v_length_at, 4)), "00000180");
  b[v_length_at + 3] = 0x81;  // 385 bytes: above a 3072-bit value
  EXPECT_EQ(DecodeMessage(b).code(), ErrorCode::kTooLarge);
  b = EncodeMessage(m);
  b[v_length_at + 4] = 0;  // a leading zero byte
  EXPECT_EQ(DecodeMessage(b).code(), ErrorCode::kNonCanonical);
}

TEST(PrekeyMessagesTest, EnsembleCountL) {
  // "L (INT): The number of Prekey Ensembles. It must be greater than 0."
  EXPECT_EQ(DecodeMessage(FromHex("000413 00000100 00000000 00000000")).code(),
            ErrorCode::kInvalidEncoding);
  // Above our bound: refused before anything is read or allocated.
  EXPECT_EQ(DecodeMessage(FromHex("000413 00000100 00000000 00000100")).code(),
            ErrorCode::kTooLarge);
  EXPECT_EQ(DecodeMessage(FromHex("000413 00000100 00000000 ffffffff")).code(),
            ErrorCode::kTooLarge);
  // Within the bound but short of data.
  EXPECT_EQ(DecodeMessage(FromHex("000413 00000100 00000000 000000ff")).code(),
            ErrorCode::kTruncated);
  EXPECT_EQ(ValidateMessage(PrekeyEnsembleRetrieval{0x100, {}, {}}).code(),
            ErrorCode::kInvalidEncoding);
}

TEST(PrekeyMessagesTest, DataBounds) {
  // Identity, versions and text above their bounds (header.h).
  const Bytes long_identity = Cat({FromHex("000410 00000100 00001001")});
  EXPECT_EQ(DecodeMessage(long_identity).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(DecodeMessage(FromHex("000410 00000100 00000000 00000041")).code(),
            ErrorCode::kTooLarge);
  EXPECT_EQ(DecodeMessage(FromHex("00040e 00000100 00000000 00001001")).code(),
            ErrorCode::kTooLarge);
  EXPECT_EQ(DecodeMessage(Cat({FromHex("000437 00000100"), v4::EncodeRingSig(ExampleRingSig()),
                               FromHex("00100001")}))
                .code(),
            ErrorCode::kTooLarge);
  EXPECT_EQ(DecodeMessage(FromHex("000436 00000100 00001001")).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(ValidateMessage(PrekeyEnsembleQueryRetrieval{0x100, Bytes(4097, 'a'), {}}).code(),
            ErrorCode::kTooLarge);
}

TEST(PrekeyMessagesTest, NestedValuesUseTheirOwnDecoders) {
  // A Client Profile in DAKE-1 under its decode rules: an owner tag below
  // 0x100 is refused there.
  Bytes b = EncodeMessage(Dake1{0x100, ExampleClientProfile(), {}});
  auto good = DecodeMessage(b);
  ASSERT_TRUE(good.ok());
  // The composite identity's key type must be ED448-PUBKEY (0x0010).
  Bytes dake2 = EncodeMessage(Dake2{0x100, testing::ExampleServerIdentity(), {}, {}});
  const size_t type_at = 3 + 4 + 4 + 15;
  ASSERT_EQ(ToHex(ByteView(dake2).subspan(type_at, 2)), "1000");
  dake2[type_at] = 0x11;
  EXPECT_EQ(DecodeMessage(dake2).code(), ErrorCode::kUnknownType);
}

}  // namespace
}  // namespace otr::prekey

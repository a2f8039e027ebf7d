// Every message libotr 4.1.1 sends in a v3 and a v2 conversation decodes with
// our codecs and re-encodes to libotr's exact bytes; so do the TLV chains
// libotr's receiver hands back and the public keys it serialises.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <variant>

#include "protocol/store/fingerprint.h"
#include "protocol/v3/data_types.h"
#include "protocol/v3/messages.h"
#include "protocol/v3/tlv.h"
#include "protocol/wire/armor.h"
#include "tests/v3/libotr_capture.h"

namespace otr::v3 {
namespace {

using testing::LibotrTranscript;
using testing::RunLibotrConversation;

class LibotrConformanceTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    v3_ = new LibotrTranscript(RunLibotrConversation(true));
    v2_ = new LibotrTranscript(RunLibotrConversation(false));
  }
  static void TearDownTestSuite() {
    delete v3_;
    delete v2_;
  }
  const LibotrTranscript& transcript() const { return GetParam() ? *v3_ : *v2_; }
  Version version() const { return GetParam() ? Version::kV3 : Version::kV2; }

  static LibotrTranscript* v3_;
  static LibotrTranscript* v2_;
};

LibotrTranscript* LibotrConformanceTest::v3_ = nullptr;
LibotrTranscript* LibotrConformanceTest::v2_ = nullptr;

TEST_P(LibotrConformanceTest, ConversationCompleted) {
  EXPECT_TRUE(transcript().encrypted);
  EXPECT_EQ(transcript().smp_successes, 4);  // two SMP runs, success on both sides
  EXPECT_GE(transcript().armored.size(), 14u);
}

TEST_P(LibotrConformanceTest, EveryMessageDecodesAndReencodesExactly) {
  size_t index = 0;
  for (const std::string& armored : transcript().armored) {
    SCOPED_TRACE(index);
    Result<Bytes> bytes = wire::DecodeArmor(armored);
    ASSERT_TRUE(bytes.ok());
    Result<Message> m = DecodeMessage(*bytes);
    ASSERT_TRUE(m.ok()) << ErrorCodeName(m.code()) << " " << m.error().context;
    EXPECT_EQ(EncodeMessage(*m), *bytes);
    EXPECT_TRUE(ValidateMessage(*m).ok());
    ++index;
  }
}

TEST_P(LibotrConformanceTest, AkeThenDataMessagesInOrder) {
  std::vector<Message> messages;
  for (const std::string& armored : transcript().armored) {
    messages.push_back(DecodeMessage(*wire::DecodeArmor(armored)).value());
  }
  ASSERT_GE(messages.size(), 5u);
  const auto* commit = std::get_if<DhCommit>(&messages[0]);
  ASSERT_NE(commit, nullptr);
  EXPECT_EQ(commit->header.version, version());
  // "gxmpi will probably be 196 bytes long"; the commit carries it encrypted.
  EXPECT_LE(commit->encrypted_gx.size(), kMaxEncryptedGxSize);
  const auto* dh_key = std::get_if<DhKey>(&messages[1]);
  ASSERT_NE(dh_key, nullptr);
  EXPECT_LE(dh_key->gy.size(), kDhModulusSize);
  ASSERT_TRUE(std::holds_alternative<RevealSignature>(messages[2]));
  ASSERT_TRUE(std::holds_alternative<Signature>(messages[3]));
  if (version() == Version::kV3) {
    // Bob's commit answers a query: Alice's instance tag is not known yet.
    EXPECT_EQ(commit->header.receiver_instance, wire::kNoInstanceTag);
    EXPECT_GE(commit->header.sender_instance, wire::kMinInstanceTag);
    EXPECT_EQ(dh_key->header.receiver_instance, commit->header.sender_instance);
  }
  size_t revealed = 0;
  for (size_t i = 4; i < messages.size(); ++i) {
    const auto* data = std::get_if<DataMessage>(&messages[i]);
    ASSERT_NE(data, nullptr) << i;
    EXPECT_EQ(data->header.version, version());
    EXPECT_GT(data->sender_keyid, 0u);
    EXPECT_LE(data->next_dh.size(), kDhModulusSize);
    revealed += data->old_mac_keys.size();
    // The MAC input is the encoding up to the MAC.
    Bytes full = EncodeMessage(messages[i]);
    Bytes mac_input = EncodeDataMessageMacInput(*data);
    ASSERT_LT(mac_input.size(), full.size());
    EXPECT_TRUE(std::equal(mac_input.begin(), mac_input.end(), full.begin()));
  }
  EXPECT_GT(revealed, 0u);  // replies rotate keys and reveal old MAC keys
}

TEST_P(LibotrConformanceTest, TlvChainsMatchLibotr) {
  std::vector<std::variant<Smp1Q, Smp1, Smp2, Smp3, Smp4, Disconnected>> seen;
  int smp_messages = 0, questions = 0, disconnects = 0;
  for (const LibotrTranscript::TlvChain& chain : transcript().tlv_chains) {
    // The plaintext of a libotr data message: text, NUL, serialized TLVs.
    Bytes plaintext = ToBytes("text");
    plaintext.push_back(0);
    plaintext.insert(plaintext.end(), chain.serialized.begin(), chain.serialized.end());
    Result<DataPayload> payload = DecodeDataPayload(plaintext);
    ASSERT_TRUE(payload.ok());
    EXPECT_EQ(payload->message, ToBytes("text"));
    ASSERT_EQ(payload->tlvs.size(), chain.records.size());
    for (size_t i = 0; i < chain.records.size(); ++i) {
      EXPECT_EQ(payload->tlvs[i].type, chain.records[i].first);
      EXPECT_EQ(payload->tlvs[i].value, chain.records[i].second);
      Result<Tlv> tlv = DecodeTlv(payload->tlvs[i]);
      ASSERT_TRUE(tlv.ok()) << ErrorCodeName(tlv.code());
      Result<TlvRecord> again = EncodeTlv(*tlv);
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(*again, payload->tlvs[i]);
      if (const auto* q = std::get_if<Smp1Q>(&*tlv)) {
        EXPECT_EQ(q->question, ToBytes("favourite colour?"));
        ++questions;
      }
      if (std::holds_alternative<Smp1>(*tlv) || std::holds_alternative<Smp2>(*tlv) ||
          std::holds_alternative<Smp3>(*tlv) || std::holds_alternative<Smp4>(*tlv)) {
        ++smp_messages;
      }
      if (std::holds_alternative<Disconnected>(*tlv)) ++disconnects;
    }
    Result<Bytes> encoded = EncodeDataPayload(*payload);
    ASSERT_TRUE(encoded.ok());
    EXPECT_EQ(*encoded, plaintext);
  }
  EXPECT_EQ(questions, 1);
  EXPECT_EQ(smp_messages, 7);  // SMP2-4 after the question; SMP1-4 after
  EXPECT_EQ(disconnects, 1);
}

TEST_P(LibotrConformanceTest, PubkeysAndFingerprintsMatchLibotr) {
  ASSERT_EQ(transcript().pubkeys.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    Result<crypto::DsaPublicKey> key = DecodePubkey(transcript().pubkeys[i]);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->q.size(), 20u);
    EXPECT_EQ(EncodePubkey(*key), transcript().pubkeys[i]);
    Bytes input = store::FingerprintInput(*key);
    uint8_t digest[SHA_DIGEST_LENGTH];
    SHA1(input.data(), input.size(), digest);
    EXPECT_EQ(Bytes(digest, digest + 20), transcript().fingerprints[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(V2AndV3, LibotrConformanceTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "v3" : "v2"; });

}  // namespace
}  // namespace otr::v3

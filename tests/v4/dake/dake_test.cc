// The interactive DAKE (otrv4.md, "Interactive DAKE Overview") between two
// parties on every pair of backends (both on one, and one side on each):
// the same K and SSID on both sides, each side's fingerprint of the other,
// and the double ratchets it starts talk to each other. Also phi ("Shared
// Session State") and t in their documented layout.
#include "protocol/v4/dake/dake.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/dake/shared_state.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "tests/crypto/test_util.h"
#include "tests/v4/dake/party.h"
#include "tests/v4/dake/ratchet_talk.h"

namespace otr::v4::dake {
namespace {

using testing::kNow;
using testing::MakeParty;
using testing::Party;
using testing::ReadText;
using testing::RunDake;
using testing::SendOverWire;
using testing::Transcript;

using BackendPair = std::pair<const crypto::Backend*, const crypto::Backend*>;

std::vector<BackendPair> AllPairs() {
  std::vector<BackendPair> out;
  for (const crypto::Backend* a : crypto::AllBackends()) {
    for (const crypto::Backend* b : crypto::AllBackends()) out.emplace_back(a, b);
  }
  return out;
}

class DakeTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  // Bob sends the Identity message, on the first backend; Alice on the second.
  Party bob_ = MakeParty(*GetParam().first, 1, 0x1234);
  Party alice_ = MakeParty(*GetParam().second, 2, 0x5678);
};

TEST_P(DakeTest, BothSidesDeriveTheSameSecretAndSsid) {
  Transcript run = RunDake(bob_, alice_);
  ASSERT_TRUE(run.alice_result.has_value());
  const DakeResult& bob = run.auth_i->result;
  const DakeResult& alice = *run.alice_result;
  EXPECT_EQ(bob.role, DakeRole::kAuthISender);
  EXPECT_EQ(alice.role, DakeRole::kAuthRSender);
  EXPECT_EQ(bob.ssid, alice.ssid);
  EXPECT_EQ(bob.ssid, run.auth_r->pending.ssid);
  EXPECT_EQ(bob.ratchet_start.shared_secret.size(), 64u);
  EXPECT_TRUE(bob.ratchet_start.shared_secret == alice.ratchet_start.shared_secret);
  // "Secure Session ID": HWC(usage_SSID || K, 8).
  const Bytes ssid = Hwc(*bob_.backend, Usage::kSsid, {bob.ratchet_start.shared_secret.view()}, 8);
  EXPECT_EQ(Bytes(bob.ssid.begin(), bob.ssid.end()), ssid);
  // Each side knows who the other is.
  EXPECT_EQ(bob.their_fingerprint,
            ComputeFingerprint(*alice_.backend, alice_.long_term.pub, alice_.forging.pub));
  EXPECT_EQ(alice.their_fingerprint,
            ComputeFingerprint(*bob_.backend, bob_.long_term.pub, bob_.forging.pub));
  EXPECT_EQ(bob.their_client_profile, alice_.client_profile);
  EXPECT_EQ(alice.their_client_profile, bob_.client_profile);
  EXPECT_EQ(bob.their_instance_tag, alice_.instance_tag);
  EXPECT_EQ(alice.their_instance_tag, bob_.instance_tag);
  // The instance tags on the wire ("Auth-R Message": "Use the sender's
  // instance tag from the Identity Message as the receiver's").
  EXPECT_EQ(run.identity.header, (Header{bob_.instance_tag, 0}));
  EXPECT_EQ(run.auth_r->message.header, (Header{alice_.instance_tag, bob_.instance_tag}));
  EXPECT_EQ(run.auth_i->message.header, (Header{bob_.instance_tag, alice_.instance_tag}));
  // The first ratchet keys are those each side advertised.
  EXPECT_EQ(alice_.backend->Ed448Encode(alice.ratchet_start.their_ecdh_first),
            run.identity.our_ecdh_first);
  EXPECT_EQ(bob_.backend->Ed448Encode(bob.ratchet_start.their_ecdh_first),
            run.auth_r->message.our_ecdh_first);
}

TEST_P(DakeTest, TwoDakesGiveDifferentSecrets) {
  Transcript one = RunDake(bob_, alice_);
  Transcript two = RunDake(bob_, alice_);
  ASSERT_TRUE(one.alice_result && two.alice_result);
  EXPECT_NE(one.alice_result->ssid, two.alice_result->ssid);
  EXPECT_FALSE(one.alice_result->ratchet_start.shared_secret ==
               two.alice_result->ratchet_start.shared_secret);
}

// The ratchets started from the DAKE talk to each other: Bob may send at
// once, Alice too ("the interactive DAKE is complete"), then a few rounds.
TEST_P(DakeTest, TheFirstRatchetsExchangeDataMessages) {
  Transcript run = RunDake(bob_, alice_);
  ASSERT_TRUE(run.alice_result.has_value());
  const ratchet::Limits limits;
  auto bob = StartRatchet(*bob_.backend, limits, run.auth_i->result, *bob_.random);
  auto alice = StartRatchet(*alice_.backend, limits, *run.alice_result, *alice_.random);
  ASSERT_TRUE(bob.ok() && alice.ok());
  const DataMessage b0 = SendOverWire(bob_, *bob, alice_, "from Bob at once");
  const DataMessage a0 = SendOverWire(alice_, *alice, bob_, "from Alice at once");
  EXPECT_EQ(ReadText(*alice, b0), "from Bob at once");
  EXPECT_EQ(ReadText(*bob, a0), "from Alice at once");
  for (int i = 0; i < 4; ++i) {
    const std::string n = std::to_string(i);
    const DataMessage a1 = SendOverWire(alice_, *alice, bob_, "a1 " + n);
    const DataMessage a2 = SendOverWire(alice_, *alice, bob_, "a2 " + n);
    EXPECT_EQ(ReadText(*bob, a2), "a2 " + n);  // out of order
    EXPECT_EQ(ReadText(*bob, a1), "a1 " + n);
    EXPECT_EQ(ReadText(*alice, SendOverWire(bob_, *bob, alice_, "b " + n)), "b " + n);
  }
}

// "Shared Session State": both sides hash the same phi, so a phi' that
// differs (another context) makes Auth-R fail its ring signature.
TEST_P(DakeTest, ADifferentPhiPrimeFailsTheRingSignature) {
  const Bytes phi_a = EncodePhiPrime({"alice@example.net", "bob@example.net"});
  const Bytes phi_b = EncodePhiPrime({"alice@example.net", "mallory@example.net"});
  Transcript run = RunDake(bob_, alice_, testing::Upto::kAuthR, phi_a);
  ASSERT_TRUE(run.auth_r.has_value());
  auto r =
      ValidateAuthR(*bob_.backend, run.auth_r->message, bob_.keys(), run.bob_keys, phi_b, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().check, DakeCheck::kRingSignature);
  EXPECT_EQ(r.error().cause, ErrorCode::kBadSignature);
  auto same =
      ValidateAuthR(*bob_.backend, run.auth_r->message, bob_.keys(), run.bob_keys, phi_a, kNow);
  EXPECT_TRUE(same.ok());
}

INSTANTIATE_TEST_SUITE_P(BackendPairs, DakeTest, ::testing::ValuesIn(AllPairs()),
                         [](const ::testing::TestParamInfo<BackendPair>& info) {
                           return std::string(info.param.first->name()) + "_" +
                                  std::string(info.param.second->name());
                         });

TEST(DakeLayoutTest, BothBackendsAreLinked) { ASSERT_GE(crypto::AllBackends().size(), 2u); }

// phi' is each string as DATA, sorted; phi sorts the two sides by tag.
TEST(DakeLayoutTest, PhiIsTheSameFromBothSides) {
  EXPECT_EQ(EncodePhiPrime({"bob", "alice"}), EncodePhiPrime({"alice", "bob"}));
  EXPECT_EQ(EncodePhiPrime({"bob", "alice"}),
            crypto::testing::FromHex("00000005 616c696365 00000003 626f62"));
  const Bytes low_dh{0x02}, high_dh{0x03, 0x04};
  PhiParty low{0x100, {}, low_dh};
  low.ecdh_first.fill(0xaa);
  PhiParty high{0x101, {}, high_dh};
  high.ecdh_first.fill(0xbb);
  const Bytes phi = SharedSessionState(high, low, AsBytes("x"));
  EXPECT_EQ(phi, SharedSessionState(low, high, AsBytes("x")));
  Bytes expected = crypto::testing::FromHex("00000100 00000101");
  expected.insert(expected.end(), 57, 0xaa);
  for (uint8_t b : crypto::testing::FromHex("00000001 02")) expected.push_back(b);
  expected.insert(expected.end(), 57, 0xbb);
  for (uint8_t b : crypto::testing::FromHex("00000002 0304 78")) expected.push_back(b);
  EXPECT_EQ(phi, expected);
}

// t = 0x00|0x01 || HWC(bob profile, 64) || HWC(alice profile, 64) || Y || X
// || MPI(B) || MPI(A) || HWC(phi, 64), with the Auth-R or Auth-I usages.
TEST(DakeLayoutTest, TheTValuesHaveTheSpecsLayout) {
  const crypto::Backend& backend = *crypto::AllBackends()[0];
  Party bob = MakeParty(backend, 3, 0x100);
  Party alice = MakeParty(backend, 4, 0x101);
  TranscriptValues v{&bob.client_profile, &alice.client_profile, {}, {}, {}, {}};
  v.y.fill(0x11);
  v.x.fill(0x22);
  const Bytes b{0x33}, a{0x44, 0x55};
  v.b = b;
  v.a = a;
  const Bytes phi{0x70, 0x68, 0x69};
  for (const bool auth_r : {true, false}) {
    const Bytes t = auth_r ? AuthRT(backend, v, phi) : AuthIT(backend, v, phi);
    Bytes expected{static_cast<uint8_t>(auth_r ? 0x00 : 0x01)};
    auto append = [&](const Bytes& part) {
      expected.insert(expected.end(), part.begin(), part.end());
    };
    append(Hwc(backend, auth_r ? Usage::kAuthRBobClientProfile : Usage::kAuthIBobClientProfile,
               {EncodeClientProfile(bob.client_profile)}, 64));
    append(Hwc(backend, auth_r ? Usage::kAuthRAliceClientProfile : Usage::kAuthIAliceClientProfile,
               {EncodeClientProfile(alice.client_profile)}, 64));
    expected.insert(expected.end(), 57, 0x11);
    expected.insert(expected.end(), 57, 0x22);
    append(crypto::testing::FromHex("00000001 33 00000002 4455"));
    append(Hwc(backend, auth_r ? Usage::kAuthRPhi : Usage::kAuthIPhi, {phi}, 64));
    EXPECT_EQ(t, expected) << (auth_r ? "Auth-R" : "Auth-I");
  }
}

}  // namespace
}  // namespace otr::v4::dake

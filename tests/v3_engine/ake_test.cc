// The v3 AKE state machine between two parties (otr v3 spec, "The protocol
// state machine", AKE transitions), on each backend.
#include "protocol/v3/ake/ake.h"

#include <gtest/gtest.h>

#include "crypto/testing/deterministic_random.h"
#include "tests/crypto/test_util.h"
#include "tests/support/fixtures.h"

namespace otr::v3 {
namespace {

using crypto::testing::DeterministicRandom;

constexpr wire::InstanceTag kAliceTag = 0x1111;
constexpr wire::InstanceTag kBobTag = 0x2222;

class AkeTest : public crypto::testing::BackendTest {
 protected:
  Ake MakeAke(int who, AkePolicy policy = {}) {
    return Ake(backend(), otr::testing::CachedDsaKey(backend(), who), policy);
  }

  // Delivers every message in `out` to `to`, returning what `to` sends back.
  AkeOutput Deliver(Ake& to, wire::InstanceTag to_tag, const AkeOutput& out) {
    AkeOutput reply;
    for (const Message& m : out.to_send) {
      auto r = to.Receive(random_, m, to_tag);
      EXPECT_TRUE(r.ok());
      for (auto& s : r->to_send) reply.to_send.push_back(s);
      if (r->authenticated) reply.authenticated = std::move(r->authenticated);
    }
    return reply;
  }

  DeterministicRandom random_{1};
};

TEST_P(AkeTest, FullExchangeAuthenticatesBoth) {
  Ake bob = MakeAke(0), alice = MakeAke(1);
  auto commit = bob.Start(random_, Version::kV3, kBobTag, 0);
  ASSERT_TRUE(commit.ok());
  EXPECT_EQ(bob.state(), AuthState::kAwaitingDhKey);
  AkeOutput dh_key = Deliver(alice, kAliceTag, *commit);
  EXPECT_EQ(alice.state(), AuthState::kAwaitingRevealSig);
  AkeOutput reveal = Deliver(bob, kBobTag, dh_key);
  EXPECT_EQ(bob.state(), AuthState::kAwaitingSig);
  AkeOutput sig = Deliver(alice, kAliceTag, reveal);
  ASSERT_TRUE(sig.authenticated.has_value());
  EXPECT_EQ(alice.state(), AuthState::kNone);
  AkeOutput done = Deliver(bob, kBobTag, sig);
  ASSERT_TRUE(done.authenticated.has_value());
  EXPECT_EQ(bob.state(), AuthState::kNone);

  const AkeResult& a = *sig.authenticated;
  const AkeResult& b = *done.authenticated;
  EXPECT_EQ(a.ssid, b.ssid);
  EXPECT_EQ(a.their_dh, b.our_dh.pub);
  EXPECT_EQ(b.their_dh, a.our_dh.pub);
  EXPECT_EQ(a.their_long_term_key, otr::testing::CachedDsaKey(backend(), 0).pub);
  EXPECT_EQ(b.their_long_term_key, otr::testing::CachedDsaKey(backend(), 1).pub);
  EXPECT_TRUE(b.we_sent_reveal_signature);
  EXPECT_FALSE(a.we_sent_reveal_signature);
  // Outgoing v3 messages carry the instance tags.
  const auto& key_msg = std::get<DhKey>(dh_key.to_send.at(0));
  EXPECT_EQ(key_msg.header.sender_instance, kAliceTag);
  EXPECT_EQ(key_msg.header.receiver_instance, kBobTag);
}

TEST_P(AkeTest, CrossedCommitsResolveToOneExchange) {
  Ake alice = MakeAke(1), bob = MakeAke(0);
  auto from_alice = alice.Start(random_, Version::kV3, kAliceTag, 0);
  auto from_bob = bob.Start(random_, Version::kV3, kBobTag, 0);
  ASSERT_TRUE(from_alice.ok() && from_bob.ok());
  AkeOutput to_bob = Deliver(alice, kAliceTag, *from_bob);
  AkeOutput to_alice = Deliver(bob, kBobTag, *from_alice);
  // Exactly one side yields (answers with a D-H Key); the other resends its commit.
  const bool alice_yields = alice.state() == AuthState::kAwaitingRevealSig;
  const bool bob_yields = bob.state() == AuthState::kAwaitingRevealSig;
  EXPECT_NE(alice_yields, bob_yields);
  // Play the rest out until both are authenticated.
  int authenticated = 0;
  for (int step = 0; step < 8 && authenticated < 2; ++step) {
    AkeOutput next_to_alice = Deliver(alice, kAliceTag, to_alice);
    AkeOutput next_to_bob = Deliver(bob, kBobTag, to_bob);
    authenticated +=
        next_to_alice.authenticated.has_value() + next_to_bob.authenticated.has_value();
    to_bob = std::move(next_to_alice);
    to_alice = std::move(next_to_bob);
  }
  EXPECT_EQ(authenticated, 2);
}

TEST_P(AkeTest, TamperedRevealSignatureIsIgnored) {
  Ake bob = MakeAke(0), alice = MakeAke(1);
  auto commit = bob.Start(random_, Version::kV3, kBobTag, 0);
  AkeOutput dh_key = Deliver(alice, kAliceTag, *commit);
  AkeOutput reveal = Deliver(bob, kBobTag, dh_key);
  AkeOutput tampered = reveal;
  std::get<RevealSignature>(tampered.to_send.at(0)).mac[3] ^= 1;
  AkeOutput none = Deliver(alice, kAliceTag, tampered);
  EXPECT_TRUE(none.to_send.empty());
  EXPECT_FALSE(none.authenticated.has_value());
  EXPECT_EQ(alice.state(), AuthState::kAwaitingRevealSig);
  // The genuine message still completes the exchange.
  AkeOutput sig = Deliver(alice, kAliceTag, reveal);
  EXPECT_TRUE(sig.authenticated.has_value());
}

TEST_P(AkeTest, RetransmittedDhKeyGetsTheSameRevealSignature) {
  Ake bob = MakeAke(0), alice = MakeAke(1);
  auto commit = bob.Start(random_, Version::kV3, kBobTag, 0);
  AkeOutput dh_key = Deliver(alice, kAliceTag, *commit);
  AkeOutput reveal1 = Deliver(bob, kBobTag, dh_key);
  AkeOutput reveal2 = Deliver(bob, kBobTag, dh_key);
  ASSERT_EQ(reveal2.to_send.size(), 1u);
  EXPECT_EQ(std::get<RevealSignature>(reveal1.to_send[0]),
            std::get<RevealSignature>(reveal2.to_send[0]));
}

TEST_P(AkeTest, DisallowedVersionIsIgnored) {
  Ake bob = MakeAke(0), alice = MakeAke(1, AkePolicy{.allow_v2 = false, .allow_v3 = true});
  auto commit = bob.Start(random_, Version::kV2, kBobTag, 0);
  AkeOutput reply = Deliver(alice, kAliceTag, *commit);
  EXPECT_TRUE(reply.to_send.empty());
  EXPECT_EQ(alice.state(), AuthState::kNone);
}

TEST_P(AkeTest, VersionTwoExchangeHasNoInstanceTags) {
  Ake bob = MakeAke(0), alice = MakeAke(1);
  auto commit = bob.Start(random_, Version::kV2, kBobTag, 0);
  AkeOutput dh_key = Deliver(alice, kAliceTag, *commit);
  const auto& m = std::get<DhKey>(dh_key.to_send.at(0));
  EXPECT_EQ(m.header.version, Version::kV2);
  EXPECT_EQ(m.header.sender_instance, wire::kNoInstanceTag);
  AkeOutput reveal = Deliver(bob, kBobTag, dh_key);
  AkeOutput sig = Deliver(alice, kAliceTag, reveal);
  AkeOutput done = Deliver(bob, kBobTag, sig);
  EXPECT_TRUE(done.authenticated.has_value());
  EXPECT_EQ(done.authenticated->version, Version::kV2);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(AkeTest);

}  // namespace
}  // namespace otr::v3

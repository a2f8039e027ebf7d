// otrv4.md, "Forging Transcripts" and "Forger Keys": a whole interactive
// DAKE between two Client Profiles, made by one who holds none of the
// honest signers' keys (or one long-term or forging key), passes every
// check a judge can make (VerifyTranscript), as an honest one does; and
// the honest parties' own validation accepts the forged messages.
#include "protocol/v4/dake/forge.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/backends.h"
#include "tests/crypto/test_util.h"
#include "tests/v4/dake/party.h"

namespace otr::v4::dake {
namespace {

using testing::kNow;
using testing::MakeParty;
using testing::Party;
using testing::RunDake;
using testing::Transcript;

class ForgeTest : public crypto::testing::BackendTest {
 protected:
  ForgeRequest Request(ForgerKey key, const crypto::SecretBytes* secret) const {
    ForgeRequest r;
    r.bob_client_profile = &bob_.client_profile;
    r.alice_client_profile = &alice_.client_profile;
    r.bob_instance_tag = bob_.instance_tag;
    r.alice_instance_tag = alice_.instance_tag;
    r.forger_key = key;
    r.secret = secret;
    r.phi_prime = EncodePhiPrime({"alice@example.net", "bob@example.net"});
    r.now = kNow;
    return r;
  }

  Party bob_ = MakeParty(backend(), 21, 0x4321);
  Party alice_ = MakeParty(backend(), 22, 0x8765);
  crypto::testing::DeterministicRandom forger_random_{23};
};

TEST_P(ForgeTest, AnHonestTranscriptVerifies) {
  Transcript run = RunDake(bob_, alice_);
  ASSERT_TRUE(run.auth_i.has_value());
  EXPECT_TRUE(
      VerifyTranscript(backend(), run.identity, run.auth_r->message, run.auth_i->message, {}, kNow)
          .ok());
}

TEST_P(ForgeTest, EveryForgerKeyMakesATranscriptThatVerifies) {
  const struct {
    ForgerKey key;
    const crypto::SecretBytes* secret;
    const char* name;
  } cases[] = {
      {ForgerKey::kNone, nullptr, "no key"},
      {ForgerKey::kAliceLongTerm, &alice_.long_term.secret, "Alice's long-term key"},
      {ForgerKey::kBobLongTerm, &bob_.long_term.secret, "Bob's long-term key"},
      {ForgerKey::kAliceForgingKey, &alice_.forging.secret, "Alice's forging key"},
      {ForgerKey::kBobForgingKey, &bob_.forging.secret, "Bob's forging key"},
  };
  for (const auto& c : cases) {
    const ForgeRequest request = Request(c.key, c.secret);
    auto forged = ForgeInteractiveDake(backend(), request, forger_random_);
    ASSERT_TRUE(forged.ok()) << c.name << ": " << crypto::testing::CodeName(forged.code());
    EXPECT_TRUE(VerifyTranscript(backend(), forged->identity, forged->auth_r, forged->auth_i,
                                 request.phi_prime, kNow)
                    .ok())
        << c.name;
    EXPECT_EQ(forged->ssid, ComputeSsid(backend(), forged->shared_secret)) << c.name;
    // The messages name the two parties as an honest DAKE does.
    EXPECT_EQ(forged->identity.client_profile, bob_.client_profile);
    EXPECT_EQ(forged->auth_r.client_profile, alice_.client_profile);
    EXPECT_EQ(forged->auth_r.header, (Header{alice_.instance_tag, bob_.instance_tag}));
    EXPECT_EQ(forged->auth_i.header, (Header{bob_.instance_tag, alice_.instance_tag}));
    // Alice, online, accepts a forged Identity message as Bob's (it carries
    // no signature), which is what the Auth-R ring relies on.
    EXPECT_TRUE(ValidateIdentity(backend(), forged->identity, alice_.instance_tag,
                                 ReceiverTagRule::kZeroOrOurs, kNow)
                    .ok());
  }
}

// A secret that is in neither ring is refused (RSig: kInvalidKey).
TEST_P(ForgeTest, AKeyOutsideTheRingsIsRefused) {
  Party carol = MakeParty(backend(), 24, 0x1000);
  auto forged = ForgeInteractiveDake(
      backend(), Request(ForgerKey::kAliceLongTerm, &carol.long_term.secret), forger_random_);
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.code(), ErrorCode::kInvalidKey);
  // Alice's forging key does not sign Auth-R's ring {F_b, H_a, Y}.
  auto wrong = ForgeInteractiveDake(
      backend(), Request(ForgerKey::kBobForgingKey, &alice_.forging.secret), forger_random_);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.code(), ErrorCode::kInvalidKey);
}

// VerifyTranscript is not a rubber stamp: a changed message fails it.
TEST_P(ForgeTest, ATamperedTranscriptFails) {
  const ForgeRequest request = Request(ForgerKey::kNone, nullptr);
  auto forged = ForgeInteractiveDake(backend(), request, forger_random_);
  ASSERT_TRUE(forged.ok());
  AuthR auth_r = forged->auth_r;
  auth_r.sigma.c2[0] ^= 1;
  EXPECT_FALSE(
      VerifyTranscript(backend(), forged->identity, auth_r, forged->auth_i, request.phi_prime, kNow)
          .ok());
  AuthI auth_i = forged->auth_i;
  auth_i.sigma.r1[0] ^= 1;
  EXPECT_FALSE(
      VerifyTranscript(backend(), forged->identity, forged->auth_r, auth_i, request.phi_prime, kNow)
          .ok());
  EXPECT_FALSE(
      VerifyTranscript(backend(), forged->identity, forged->auth_r, forged->auth_i, {}, kNow).ok())
      << "another phi'";
  IdentityMessage identity = forged->identity;
  identity.b = forged->auth_r.a;
  EXPECT_FALSE(
      VerifyTranscript(backend(), identity, forged->auth_r, forged->auth_i, request.phi_prime, kNow)
          .ok());
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(ForgeTest);

}  // namespace
}  // namespace otr::v4::dake

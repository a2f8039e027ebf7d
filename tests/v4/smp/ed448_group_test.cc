// The v4 SMP group (otrv4.md, "Socialist Millionaires Protocol (SMP)") step
// by step on every backend, one side on each backend, and bit for bit the
// same on both: equal secrets match, different secrets do not, and every
// field of every message is checked: each proof, each point (flipped bytes,
// the identity, small-order and mixed-order points, off-curve and
// non-canonical encodings) and each scalar (below q). A rejected message
// leaves the state it was given usable: the genuine message still passes.
#include "protocol/v4/smp/ed448_group.h"

#include <gtest/gtest.h>

#include <functional>
#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "tests/crypto/test_util.h"

namespace otr::v4::smp {
namespace {

using crypto::testing::DeterministicRandom;
using crypto::testing::FromHex;
using ::otr::smp::Finished;
using ::otr::smp::Made;

Fingerprint Fp(uint8_t first) {
  Fingerprint fp;
  std::iota(fp.begin(), fp.end(), first);
  return fp;
}

const Fingerprint kAliceFp = Fp(0x10);
const Fingerprint kBobFp = Fp(0x80);
const Ssid kSsid = {9, 8, 7, 6, 5, 4, 3, 2};

// One SMP run: every message and every state.
struct Transcript {
  Made m1, m2, m3;
  Finished m4;
  bool alice_match = false;
};

Transcript RunSmp(const crypto::Backend& alice_backend, const crypto::Backend& bob_backend,
                  std::string_view alice_secret, std::string_view bob_secret, uint64_t seed) {
  const Ed448Group alice(alice_backend, kAliceFp, kBobFp, kSsid);
  const Ed448Group bob(bob_backend, kBobFp, kAliceFp, kSsid);
  DeterministicRandom alice_random(seed), bob_random(seed + 1);
  Transcript t;
  auto m1 = alice.MakeSmp1(alice_random, alice.Secret(true, AsBytes(alice_secret)));
  EXPECT_TRUE(m1.ok());
  t.m1 = std::move(m1).value();
  EXPECT_TRUE(bob.VerifySmp1(t.m1.body).ok());
  auto m2 = bob.MakeSmp2(bob_random, t.m1.body, bob.Secret(false, AsBytes(bob_secret)));
  EXPECT_TRUE(m2.ok());
  t.m2 = std::move(m2).value();
  auto m3 = alice.ProcessSmp2(alice_random, t.m1.state, t.m2.body);
  EXPECT_TRUE(m3.ok());
  t.m3 = std::move(m3).value();
  auto m4 = bob.ProcessSmp3(bob_random, t.m2.state, t.m3.body);
  EXPECT_TRUE(m4.ok());
  t.m4 = std::move(m4).value();
  auto result = alice.ProcessSmp4(t.m3.state, t.m4.body);
  EXPECT_TRUE(result.ok());
  t.alice_match = result.ok() && *result;
  return t;
}

class Ed448GroupTest : public crypto::testing::BackendTest {
 protected:
  Ed448Group Alice() const { return Ed448Group(backend(), kAliceFp, kBobFp, kSsid); }
  Ed448Group Bob() const { return Ed448Group(backend(), kBobFp, kAliceFp, kSsid); }
};

TEST_P(Ed448GroupTest, EqualSecretsMatch) {
  const Transcript t = RunSmp(backend(), backend(), "the same secret", "the same secret", 1);
  EXPECT_TRUE(t.alice_match);
  EXPECT_TRUE(t.m4.secrets_match);
}

TEST_P(Ed448GroupTest, DifferentSecretsDoNotMatch) {
  const Transcript t = RunSmp(backend(), backend(), "one secret", "another secret", 2);
  EXPECT_FALSE(t.alice_match);
  EXPECT_FALSE(t.m4.secrets_match);
}

// "Secret Information": the same user secret in another session (SSID) or
// with another party's fingerprint is another secret.
TEST_P(Ed448GroupTest, SecretIsBoundToTheConversation) {
  const Ed448Group alice = Alice(), bob = Bob();
  EXPECT_EQ(alice.Secret(true, AsBytes("s")), bob.Secret(false, AsBytes("s")));
  EXPECT_EQ(alice.Secret(false, AsBytes("s")), bob.Secret(true, AsBytes("s")));
  EXPECT_NE(alice.Secret(true, AsBytes("s")), alice.Secret(false, AsBytes("s")));
  Ssid other = kSsid;
  other[0] ^= 1;
  const Ed448Group elsewhere(backend(), kAliceFp, kBobFp, other);
  EXPECT_NE(alice.Secret(true, AsBytes("s")), elsewhere.Secret(true, AsBytes("s")));
  const Ed448Group mallory(backend(), kAliceFp, Fp(0x81), kSsid);
  EXPECT_NE(alice.Secret(true, AsBytes("s")), mallory.Secret(true, AsBytes("s")));
}

TEST_P(Ed448GroupTest, StatesKeepSecretsAsSecretBytes) {
  EXPECT_TRUE((std::is_same_v<decltype(AliceAfter1::x), SecretBytes>));
  EXPECT_TRUE((std::is_same_v<decltype(AliceAfter1::a2), SecretBytes>));
  EXPECT_TRUE((std::is_same_v<decltype(BobAfter2::g2), SecretBytes>));
  EXPECT_TRUE((std::is_same_v<decltype(BobAfter2::g3), SecretBytes>));
  EXPECT_TRUE((std::is_same_v<decltype(BobAfter2::b3), SecretBytes>));
  EXPECT_TRUE((std::is_same_v<decltype(AliceAfter3::a3), SecretBytes>));
}

// A step given a state of another step refuses (kBadState), never crashes.
TEST_P(Ed448GroupTest, WrongStateIsRefused) {
  const Transcript t = RunSmp(backend(), backend(), "s", "s", 3);
  DeterministicRandom random(4);
  EXPECT_EQ(Alice().ProcessSmp2(random, t.m2.state, t.m2.body).code(), ErrorCode::kBadState);
  EXPECT_EQ(Bob().ProcessSmp3(random, t.m1.state, t.m3.body).code(), ErrorCode::kBadState);
  EXPECT_EQ(Alice().ProcessSmp4(::otr::smp::StepState(), t.m4.body).code(), ErrorCode::kBadState);
}

// ---- Questions ("SMP Message 1": "Question (DATA)") ----

TEST_P(Ed448GroupTest, QuestionTravelsInMessageOne) {
  const Transcript t = RunSmp(backend(), backend(), "s", "s", 5);
  // MakeSmp1 writes "the length of this is 0".
  ASSERT_GE(t.m1.body.size(), 4u);
  EXPECT_EQ(Bytes(t.m1.body.begin(), t.m1.body.begin() + 4), Bytes(4, 0));
  EXPECT_EQ(Ed448Group::QuestionOf(t.m1.body), std::nullopt);

  auto asked = Ed448Group::WithQuestion(t.m1.body, "Where did we meet?");
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(Ed448Group::QuestionOf(*asked), "Where did we meet?");
  const Bytes expected_prefix = {0, 0, 0, 18};
  EXPECT_EQ(Bytes(asked->begin(), asked->begin() + 4), expected_prefix);
  EXPECT_EQ(Bytes(asked->begin() + 22, asked->end()),
            Bytes(t.m1.body.begin() + 4, t.m1.body.end()));
  // The question is outside the proofs: the body with it verifies and is
  // answered like the one without.
  EXPECT_TRUE(Bob().VerifySmp1(*asked).ok());
  DeterministicRandom random(6);
  EXPECT_TRUE(Bob().MakeSmp2(random, *asked, Bob().Secret(false, AsBytes("s"))).ok());

  auto cleared = Ed448Group::WithQuestion(*asked, std::nullopt);
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(*cleared, t.m1.body);
  // A question that cannot fit a TLV ("Length (SHORT)").
  EXPECT_EQ(Ed448Group::WithQuestion(t.m1.body, std::string(0xffff, 'q')).code(),
            ErrorCode::kTooLarge);
  EXPECT_EQ(Ed448Group::QuestionOf(Bytes{1, 2, 3}), std::nullopt);
}

// ---- Across backends ----

// Both backends compute bit-identical messages from the same random stream.
TEST(Ed448GroupCrossBackendTest, MessagesAreBitIdenticalAcrossBackends) {
  const auto backends = crypto::AllBackends();
  ASSERT_GE(backends.size(), 2u);
  for (const char* secrets : {"same", "differ"}) {
    SCOPED_TRACE(secrets);
    const std::string bob_secret = std::string(secrets) == "same" ? "same" : "other";
    const Transcript reference = RunSmp(*backends[0], *backends[0], "same", bob_secret, 11);
    for (const crypto::Backend* b : backends.subspan(1)) {
      SCOPED_TRACE(std::string(b->name()));
      const Transcript t = RunSmp(*b, *b, "same", bob_secret, 11);
      EXPECT_EQ(t.m1.body, reference.m1.body);
      EXPECT_EQ(t.m2.body, reference.m2.body);
      EXPECT_EQ(t.m3.body, reference.m3.body);
      EXPECT_EQ(t.m4.body, reference.m4.body);
      EXPECT_EQ(t.alice_match, reference.alice_match);
      EXPECT_EQ(t.m4.secrets_match, reference.m4.secrets_match);
    }
  }
}

// Alice on one backend, Bob on the other, both ways round.
TEST(Ed448GroupCrossBackendTest, OneSideOnEachBackend) {
  const auto backends = crypto::AllBackends();
  ASSERT_GE(backends.size(), 2u);
  for (const crypto::Backend* a : backends) {
    for (const crypto::Backend* b : backends) {
      if (a == b) continue;
      SCOPED_TRACE(std::string(a->name()) + " / " + std::string(b->name()));
      const Transcript same = RunSmp(*a, *b, "s", "s", 21);
      EXPECT_TRUE(same.alice_match);
      EXPECT_TRUE(same.m4.secrets_match);
      const Transcript differ = RunSmp(*a, *b, "s", "t", 22);
      EXPECT_FALSE(differ.alice_match);
      EXPECT_FALSE(differ.m4.secrets_match);
    }
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(Ed448GroupTest);

}  // namespace
}  // namespace otr::v4::smp

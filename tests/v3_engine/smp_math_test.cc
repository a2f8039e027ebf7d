// The v3 SMP arithmetic end to end on each backend: equal secrets match,
// different secrets do not, and every tampered proof is caught (otr v3
// spec, "Socialist Millionaires' Protocol (SMP)").
#include "protocol/v3/smp/smp_math.h"

#include <gtest/gtest.h>

#include "crypto/modp_group.h"
#include "crypto/testing/deterministic_random.h"
#include "tests/crypto/test_util.h"

namespace otr::v3::smp {
namespace {

using crypto::SecretBytes;
using crypto::testing::DeterministicRandom;

class SmpMathTest : public crypto::testing::BackendTest {
 protected:
  SecretBytes Secret(std::string_view user) {
    const Bytes fp_a(20, 0xaa), fp_b(20, 0xbb), ssid(8, 0x11);
    return ComputeSecret(backend(), fp_a, fp_b, ssid, AsBytes(user));
  }

  // Runs the four messages; returns {alice's result, bob's result}.
  std::pair<bool, bool> Run(std::string_view alice_secret, std::string_view bob_secret) {
    DeterministicRandom random(7);
    SmpMath math(backend());
    auto s1 = math.MakeSmp1(random, Secret(alice_secret));
    EXPECT_TRUE(s1.ok());
    EXPECT_TRUE(math.VerifySmp1(s1->message).ok());
    auto s2 = math.MakeSmp2(random, s1->message, Secret(bob_secret));
    EXPECT_TRUE(s2.ok());
    auto s3 = math.ProcessSmp2(random, s1->state, s2->message);
    EXPECT_TRUE(s3.ok());
    auto s4 = math.ProcessSmp3(random, s2->state, s3->message);
    EXPECT_TRUE(s4.ok());
    auto alice = math.ProcessSmp4(s3->state, s4->message);
    EXPECT_TRUE(alice.ok());
    return {*alice, s4->secrets_match};
  }
};

TEST_P(SmpMathTest, EqualSecretsMatch) {
  auto [alice, bob] = Run("the same secret", "the same secret");
  EXPECT_TRUE(alice);
  EXPECT_TRUE(bob);
}

TEST_P(SmpMathTest, DifferentSecretsDoNotMatch) {
  auto [alice, bob] = Run("one secret", "another secret");
  EXPECT_FALSE(alice);
  EXPECT_FALSE(bob);
}

TEST_P(SmpMathTest, SecretBindsFingerprintsAndSession) {
  const Bytes fp_a(20, 0xaa), fp_b(20, 0xbb), ssid(8, 0x11), other_ssid(8, 0x12);
  EXPECT_NE(ComputeSecret(backend(), fp_a, fp_b, ssid, AsBytes("x")),
            ComputeSecret(backend(), fp_a, fp_b, other_ssid, AsBytes("x")));
  EXPECT_NE(ComputeSecret(backend(), fp_a, fp_b, ssid, AsBytes("x")),
            ComputeSecret(backend(), fp_b, fp_a, ssid, AsBytes("x")));
}

TEST_P(SmpMathTest, TamperedProofsAreRejected) {
  DeterministicRandom random(9);
  SmpMath math(backend());
  auto s1 = math.MakeSmp1(random, Secret("s"));
  ASSERT_TRUE(s1.ok());
  Smp1 bad1 = s1->message;
  bad1.c2.back() ^= 1;
  EXPECT_EQ(math.VerifySmp1(bad1).code(), ErrorCode::kBadProof);

  auto s2 = math.MakeSmp2(random, s1->message, Secret("s"));
  ASSERT_TRUE(s2.ok());
  Smp2 bad2 = s2->message;
  bad2.d6.back() ^= 1;
  EXPECT_EQ(math.ProcessSmp2(random, s1->state, bad2).code(), ErrorCode::kBadProof);

  auto s3 = math.ProcessSmp2(random, s1->state, s2->message);
  ASSERT_TRUE(s3.ok());
  Smp3 bad3 = s3->message;
  bad3.cr.back() ^= 1;
  EXPECT_EQ(math.ProcessSmp3(random, s2->state, bad3).code(), ErrorCode::kBadProof);

  auto s4 = math.ProcessSmp3(random, s2->state, s3->message);
  ASSERT_TRUE(s4.ok());
  Smp4 bad4 = s4->message;
  bad4.d7.back() ^= 1;
  EXPECT_EQ(math.ProcessSmp4(s3->state, bad4).code(), ErrorCode::kBadProof);
}

TEST_P(SmpMathTest, OutOfRangeValuesAreRejected) {
  DeterministicRandom random(11);
  SmpMath math(backend());
  auto s1 = math.MakeSmp1(random, Secret("s"));
  ASSERT_TRUE(s1.ok());
  Smp1 one = s1->message;
  one.g2a = {1};  // "Check that both g2a and g3a are >= 2"
  EXPECT_EQ(math.VerifySmp1(one).code(), ErrorCode::kOutOfRange);
  Smp1 big = s1->message;
  big.g3a = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536).p;  // > p - 2
  EXPECT_EQ(math.VerifySmp1(big).code(), ErrorCode::kOutOfRange);
  Smp1 zero_d = s1->message;
  zero_d.d2 = {};  // D outside [1, q-1]
  EXPECT_EQ(math.VerifySmp1(zero_d).code(), ErrorCode::kOutOfRange);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SmpMathTest);

}  // namespace
}  // namespace otr::v3::smp

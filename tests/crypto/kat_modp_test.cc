// Known answers for the RFC 3526 groups, Diffie-Hellman over them, and the
// backends' modular arithmetic.
#include <gtest/gtest.h>

#include <string>

#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/testing/deterministic_random.h"
#include "tests/crypto/test_util.h"

namespace otr::crypto::testing {
namespace {

using ModpKatTest = BackendTest;
OTR_INSTANTIATE_FOR_ALL_BACKENDS(ModpKatTest);

// RFC 3526 section 2: "1536-bit MODP Group", prime as printed in the RFC.
constexpr std::string_view kRfc3526Prime1536 =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1"
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD"
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245"
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED"
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D"
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F"
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D"
    "670C354E 4ABC9804 F1746C08 CA237327 FFFFFFFF FFFFFFFF";

// RFC 3526 section 4: "3072-bit MODP Group".
constexpr std::string_view kRfc3526Prime3072 =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1"
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD"
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245"
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED"
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D"
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F"
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D"
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B"
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9"
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510"
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64"
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7"
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B"
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C"
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31"
    "43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF";

// (value - 1) / 2 for odd value, by shifting right one bit.
Bytes HalfOfPredecessor(const Bytes& value) {
  Bytes out(value.size());
  uint8_t carry = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    out[i] = static_cast<uint8_t>(value[i] >> 1 | carry);
    carry = static_cast<uint8_t>(value[i] << 7);
  }
  while (!out.empty() && out.front() == 0) out.erase(out.begin());
  return out;
}

void CheckGroupConstants(const ModpGroup& group, std::string_view prime_hex, size_t secret_size) {
  const Bytes p = FromHex(prime_hex);
  EXPECT_EQ(ToHex(group.p), ToHex(p));
  EXPECT_EQ(ToHex(group.q), ToHex(HalfOfPredecessor(p)));
  EXPECT_EQ(ToHex(group.g), "02");
  EXPECT_EQ(ToHex(group.p_minus_2), ToHex(AddSmall(p, -2)));
  EXPECT_EQ(group.secret_exponent_size, secret_size);
}

TEST(ModpGroupTest, Rfc3526Constants) {
  {
    SCOPED_TRACE("1536");
    CheckGroupConstants(GetModpGroup(ModpGroupId::kModp1536), kRfc3526Prime1536, 40);
  }
  {
    SCOPED_TRACE("3072");
    CheckGroupConstants(GetModpGroup(ModpGroupId::kModp3072), kRfc3526Prime3072, 80);
  }
}

// g = 2 generates the subgroup of order q: 2^q = 1 and 2^(p-1) = 1 (p is a
// safe prime with p = 7 mod 8, so 2 is a quadratic residue).
TEST_P(ModpKatTest, GeneratorHasOrderQ) {
  for (ModpGroupId id : {ModpGroupId::kModp1536, ModpGroupId::kModp3072}) {
    const ModpGroup& group = GetModpGroup(id);
    Result<Bytes> gq = backend().ModExpPublic(group.g, group.q, group.p);
    ASSERT_TRUE(gq.ok()) << CodeName(gq.code());
    EXPECT_EQ(ToHex(*gq), "01");
    Result<SecretBytes> gq_secret = backend().ModExp(group.g, SecretBytes(group.q), group.p);
    ASSERT_TRUE(gq_secret.ok()) << CodeName(gq_secret.code());
    EXPECT_EQ(ToHex(gq_secret->view()), "01");
    Result<Bytes> fermat = backend().ModExpPublic(group.g, AddSmall(group.p, -1), group.p);
    ASSERT_TRUE(fermat.ok());
    EXPECT_EQ(ToHex(*fermat), "01");
  }
}

TEST_P(ModpKatTest, DiffieHellmanAgreement) {
  DeterministicRandom random(uint64_t{3526});
  for (ModpGroupId id : {ModpGroupId::kModp1536, ModpGroupId::kModp3072}) {
    const ModpGroup& group = GetModpGroup(id);
    Result<DhKeyPair> alice = GenerateDhKeyPair(backend(), group, random);
    Result<DhKeyPair> bob = GenerateDhKeyPair(backend(), group, random);
    ASSERT_TRUE(alice.ok() && bob.ok());
    EXPECT_EQ(alice->secret.size(), group.secret_exponent_size);
    EXPECT_EQ(bob->secret.size(), group.secret_exponent_size);
    EXPECT_TRUE(CheckGroupElement(backend(), group, alice->pub).ok());
    EXPECT_TRUE(CheckGroupElement(backend(), group, bob->pub).ok());
    EXPECT_NE(alice->pub, bob->pub);
    // Public values are minimal big-endian: no leading zero byte.
    ASSERT_FALSE(alice->pub.empty());
    EXPECT_NE(alice->pub.view().front(), 0);
    // g^x computed by hand agrees.
    Result<Bytes> gx = backend().ModExpPublic(group.g, alice->secret.view(), group.p);
    ASSERT_TRUE(gx.ok());
    EXPECT_EQ(ToHex(*gx), ToHex(alice->pub));

    Result<SecretBytes> k_alice = DhSharedSecret(backend(), group, alice->secret, bob->pub);
    Result<SecretBytes> k_bob = DhSharedSecret(backend(), group, bob->secret, alice->pub);
    ASSERT_TRUE(k_alice.ok() && k_bob.ok());
    EXPECT_TRUE(*k_alice == *k_bob);
    EXPECT_GT(k_alice->size(), group.p.size() - 8);
  }
}

TEST_P(ModpKatTest, CheckGroupElementBounds) {
  for (ModpGroupId id : {ModpGroupId::kModp1536, ModpGroupId::kModp3072}) {
    const ModpGroup& group = GetModpGroup(id);
    const Bytes& p = group.p;
    // Rejected: 0 (empty and with a zero byte), 1, p-1, p, p+1, and a value
    // far above p.
    for (const Bytes& bad : {Bytes{}, Bytes{0}, Bytes{1}, Bytes{0, 0, 1}, AddSmall(p, -1), p,
                             AddSmall(p, 1), Bytes(p.size() + 1, 0xff)}) {
      Status status = CheckGroupElement(backend(), group, bad);
      ASSERT_FALSE(status.ok()) << ToHex(bad);
      EXPECT_EQ(status.code(), ErrorCode::kOutOfRange);
      // DhSharedSecret refuses the same values.
      Result<SecretBytes> shared = DhSharedSecret(backend(), group, SecretBytes(Bytes{5}), bad);
      EXPECT_FALSE(shared.ok()) << ToHex(bad);
    }
    // Accepted: 2, p-2, and 2 with leading zero bytes.
    for (const Bytes& good : {Bytes{2}, AddSmall(p, -2), Bytes{0, 0, 2}, Bytes{3}}) {
      EXPECT_TRUE(CheckGroupElement(backend(), group, good).ok()) << ToHex(good);
    }
  }
}

// Small known answers, checkable by hand.
TEST_P(ModpKatTest, SmallModularArithmetic) {
  const Bytes m497 = FromHex("01f1");  // 497
  // 4^13 mod 497 = 445: the worked example of the Wikipedia article
  // "Modular exponentiation" (checked by hand: 4^13 = 67108864 = 135027*497 + 445).
  Result<SecretBytes> e = backend().ModExp(Bytes{4}, SecretBytes(Bytes{13}), m497);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ToHex(e->view()), "01bd");
  Result<Bytes> ep = backend().ModExpPublic(Bytes{4}, Bytes{13}, m497);
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ToHex(*ep), "01bd");
  // Unreduced base with leading zeros: 501 = 4 (mod 497).
  ep = backend().ModExpPublic(FromHex("000001f5"), Bytes{0, 13}, m497);
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ToHex(*ep), "01bd");
  // x^0 = 1, 0^x = 0 (the empty string).
  ep = backend().ModExpPublic(Bytes{4}, Bytes{}, m497);
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ToHex(*ep), "01");
  e = backend().ModExp(Bytes{}, SecretBytes(Bytes{7}), m497);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ToHex(e->view()), "");

  const Bytes m7{7};
  const Bytes m11{11};
  auto hex = [](const Result<SecretBytes>& r) {
    EXPECT_TRUE(r.ok());
    return r.ok() ? ToHex(r->view()) : std::string("error");
  };
  EXPECT_EQ(hex(backend().ModInverse(Bytes{3}, m11)), "04");
  EXPECT_EQ(hex(backend().ModInverse(Bytes{10}, m11)), "0a");
  EXPECT_EQ(hex(backend().ModInverse(Bytes{0, 14}, m11)), "04");   // 14 = 3 mod 11
  EXPECT_EQ(hex(backend().ModSub(Bytes{3}, Bytes{5}, m7)), "05");  // wraps: 3 - 5 = -2 = 5
  EXPECT_EQ(hex(backend().ModSub(Bytes{5}, Bytes{5}, m7)), "");
  EXPECT_EQ(hex(backend().ModSub(Bytes{0}, Bytes{20}, m7)), "01");  // -20 = 1 mod 7
  EXPECT_EQ(hex(backend().ModAdd(Bytes{5}, Bytes{6}, m7)), "04");
  EXPECT_EQ(hex(backend().ModAdd(Bytes{0, 0, 3}, Bytes{4}, m7)), "");
  EXPECT_EQ(hex(backend().ModMul(Bytes{6}, Bytes{5}, m7)), "02");
  EXPECT_EQ(hex(backend().ModMul(Bytes{200}, Bytes{201}, m497)), "01b8");  // 40200 = 440 mod 497
  EXPECT_EQ(hex(backend().Mod(FromHex("0100"), m7)), "04");                // 256 = 4 mod 7
  EXPECT_EQ(hex(backend().Mod(FromHex("0000000005"), m7)), "05");
  EXPECT_EQ(hex(backend().Mod(Bytes{}, m7)), "");
}

TEST_P(ModpKatTest, NoInverseIsOutOfRange) {
  // gcd(6, 9) = 3.
  Result<SecretBytes> r = backend().ModInverse(Bytes{6}, Bytes{9});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kOutOfRange) << CodeName(r.code());
  r = backend().ModInverse(Bytes{}, Bytes{11});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kOutOfRange) << CodeName(r.code());
  r = backend().ModInverse(Bytes{22}, Bytes{11});  // 22 = 0 mod 11
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kOutOfRange) << CodeName(r.code());
}

// The interface requires an odd modulus m > 1; anything else is an error
// value, never a crash or a silent result.
TEST_P(ModpKatTest, BadModulusIsAnError) {
  for (const Bytes& m : {Bytes{10}, Bytes{}, Bytes{0}, Bytes{1}, Bytes{0, 1}, FromHex("0100")}) {
    SCOPED_TRACE(ToHex(m));
    EXPECT_FALSE(backend().ModExp(Bytes{2}, SecretBytes(Bytes{3}), m).ok());
    EXPECT_FALSE(backend().ModExpPublic(Bytes{2}, Bytes{3}, m).ok());
    EXPECT_FALSE(backend().ModMul(Bytes{2}, Bytes{3}, m).ok());
    EXPECT_FALSE(backend().ModAdd(Bytes{2}, Bytes{3}, m).ok());
    EXPECT_FALSE(backend().ModSub(Bytes{2}, Bytes{3}, m).ok());
    EXPECT_FALSE(backend().ModInverse(Bytes{3}, m).ok());
    EXPECT_FALSE(backend().Mod(Bytes{3}, m).ok());
  }
}

TEST_P(ModpKatTest, Compare) {
  EXPECT_EQ(backend().Compare(Bytes{5}, Bytes{0, 0, 5}), 0);
  EXPECT_EQ(backend().Compare(Bytes{}, Bytes{0}), 0);
  EXPECT_EQ(backend().Compare(Bytes{1, 0}, Bytes{0xff}), 1);
  EXPECT_EQ(backend().Compare(Bytes{0xff}, Bytes{1, 0}), -1);
  EXPECT_EQ(backend().Compare(Bytes{}, Bytes{1}), -1);
}

}  // namespace
}  // namespace otr::crypto::testing

// The fixed-base table for g^x (issue 14, finding 2): every entry is a
// full-width Montgomery residue. Entry 0 of each row used to be R mod p,
// 1473 bits, which BN_lebin2bn loads as 23 words instead of 24; a product
// with it then left bn_mul_mont for the generic (faster) multiplication,
// once for every zero nibble of the secret exponent. g^x itself is checked
// against the generic exponentiation by tests/crypto:differential_test.
#include "crypto/openssl/fixed_base.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/openssl/openssl_backend.h"

namespace otr::crypto::openssl {
namespace {

TEST(OpensslFixedBaseTest, EveryTableEntryHasTheFullWidth) {
  EXPECT_EQ(Modp1536TableShortEntries(), 0u);
  EXPECT_EQ(Modp3072TableShortEntries(), 0u);
}

TEST(OpensslFixedBaseTest, PowersMatchThePublicExponentiation) {
  const ModpGroup& group = GetModpGroup(ModpGroupId::kModp1536);
  const Backend& backend = OpensslBackend();
  for (const Bytes& x : {Bytes(40, 0), Bytes{1}, Bytes(40, 0xff), Bytes{0x10, 0x00, 0x01}}) {
    ASSERT_TRUE(IsModp1536GeneratorPower(group.g, x.size(), group.p));
    SecretBytes fixed = Modp1536GeneratorPower(SecretBytes(x));
    EXPECT_EQ(fixed.Declassify(), *backend.ModExpPublic(group.g, x, group.p));
  }
}

// OTRv4's generateDH table (decision 0033): exponents of 0 to 80 bytes,
// zero, one, all ones and random; 81 bytes is past the table.
TEST(OpensslFixedBaseTest, V4PowersMatchThePublicExponentiation) {
  const ModpGroup& group = GetModpGroup(ModpGroupId::kModp3072);
  const Backend& backend = OpensslBackend();
  std::vector<Bytes> exponents = {Bytes{}, Bytes(80, 0), Bytes{1}, Bytes(80, 0xff),
                                  Bytes{0x10, 0x00, 0x01}};
  uint8_t next = 7;
  for (size_t size = 1; size <= 80; size += 13) {
    Bytes x(size);
    for (uint8_t& b : x) b = next = static_cast<uint8_t>(next * 181 + 29);
    exponents.push_back(x);
  }
  for (const Bytes& x : exponents) {
    ASSERT_TRUE(IsModp3072GeneratorPower(group.g, x.size(), group.p));
    SecretBytes fixed = Modp3072GeneratorPower(SecretBytes(x));
    EXPECT_EQ(fixed.Declassify(), *backend.ModExpPublic(group.g, x, group.p));
    EXPECT_EQ(backend.ModExp(group.g, SecretBytes(x), group.p)->Declassify(),
              *backend.ModExpPublic(group.g, x, group.p));
  }
  EXPECT_FALSE(IsModp3072GeneratorPower(group.g, 81, group.p));
  EXPECT_FALSE(IsModp3072GeneratorPower(Bytes{3}, 80, group.p));
  EXPECT_FALSE(IsModp3072GeneratorPower(group.g, 80, GetModpGroup(ModpGroupId::kModp1536).p));
}

}  // namespace
}  // namespace otr::crypto::openssl

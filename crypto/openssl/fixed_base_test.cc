// The fixed-base table for g^x (issue 14, finding 2): every entry is a
// full-width Montgomery residue. Entry 0 of each row used to be R mod p,
// 1473 bits, which BN_lebin2bn loads as 23 words instead of 24; a product
// with it then left bn_mul_mont for the generic (faster) multiplication,
// once for every zero nibble of the secret exponent. g^x itself is checked
// against the generic exponentiation by tests/crypto:differential_test.
#include "crypto/openssl/fixed_base.h"

#include <gtest/gtest.h>

#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/openssl/openssl_backend.h"

namespace otr::crypto::openssl {
namespace {

TEST(OpensslFixedBaseTest, EveryTableEntryHasTheFullWidth) {
  EXPECT_EQ(Modp1536TableShortEntries(), 0u);
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

}  // namespace
}  // namespace otr::crypto::openssl

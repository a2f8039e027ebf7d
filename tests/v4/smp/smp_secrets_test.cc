// The secrets of the v4 SMP (x, y, a2, a3, b3) and the values Bob keeps
// from secret scalars (G2 = G2a * b2, G3 = G3a * b3) are never returned to
// the allocator unwiped (issue 14, as tests/v3_engine/smp_secrets_test for
// v3): every freed heap block is scanned (tests/crypto/freed_memory_scan.h)
// while the four steps run and while their states are destroyed.
#include <gtest/gtest.h>

#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/smp/ed448_group.h"
#include "tests/crypto/freed_memory_scan.h"
#include "tests/crypto/test_util.h"

namespace otr::v4::smp {
namespace {

using crypto::testing::DeterministicRandom;
using otr::testing::FreedMemoryScan;

Fingerprint Fp(uint8_t first) {
  Fingerprint fp;
  std::iota(fp.begin(), fp.end(), first);
  return fp;
}

class SmpSecretsTest : public crypto::testing::BackendTest {
 protected:
  const Ed448Group alice_{backend(), Fp(1), Fp(101), Ssid{1, 2, 3, 4, 5, 6, 7, 8}};
  const Ed448Group bob_{backend(), Fp(101), Fp(1), Ssid{1, 2, 3, 4, 5, 6, 7, 8}};
};

// The first 32 bytes: enough to be unique, short enough to match a prefix.
Bytes Needle(const SecretBytes& s) { return Bytes(s.data(), s.data() + 32); }

TEST_P(SmpSecretsTest, NoSecretIsFreedUnwiped) {
  const SecretBytes x = alice_.Secret(true, AsBytes("same")),
                    y = bob_.Secret(false, AsBytes("same"));
  // A first run to learn the values to look for.
  std::vector<std::pair<std::string, Bytes>> needles = {{"x", Needle(x)}, {"y", Needle(y)}};
  {
    DeterministicRandom ra(7), rb(8);
    auto m1 = alice_.MakeSmp1(ra, x);
    ASSERT_TRUE(m1.ok());
    auto m2 = bob_.MakeSmp2(rb, m1->body, y);
    ASSERT_TRUE(m2.ok());
    const auto* a1 = std::any_cast<AliceAfter1>(&m1->state);
    const auto* b2 = std::any_cast<BobAfter2>(&m2->state);
    ASSERT_NE(a1, nullptr);
    ASSERT_NE(b2, nullptr);
    needles.emplace_back("a2", Needle(a1->a2));
    needles.emplace_back("a3", Needle(a1->a3));
    needles.emplace_back("b3", Needle(b2->b3));
    needles.emplace_back("G2", Needle(b2->g2));
    needles.emplace_back("G3", Needle(b2->g3));
  }
  // The same run again (same random streams), under each scan.
  for (const auto& [name, needle] : needles) {
    SCOPED_TRACE(name);
    DeterministicRandom ra(7), rb(8);
    FreedMemoryScan scan(needle);
    {
      auto m1 = alice_.MakeSmp1(ra, x);
      ASSERT_TRUE(m1.ok());
      auto m2 = bob_.MakeSmp2(rb, m1->body, y);
      ASSERT_TRUE(m2.ok());
      auto m3 = alice_.ProcessSmp2(ra, m1->state, m2->body);
      ASSERT_TRUE(m3.ok());
      auto m4 = bob_.ProcessSmp3(rb, m2->state, m3->body);
      ASSERT_TRUE(m4.ok());
      EXPECT_TRUE(m4->secrets_match);
      auto result = alice_.ProcessSmp4(m3->state, m4->body);
      ASSERT_TRUE(result.ok());
      EXPECT_TRUE(*result);
    }  // the messages and their states are destroyed here
    EXPECT_GT(scan.blocks_scanned(), 0u);
    EXPECT_EQ(scan.hits(), 0u);
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SmpSecretsTest);

}  // namespace
}  // namespace otr::v4::smp

// Values the v3 SMP derives from secret exponents (g2, g3, g2^x, g2^y, the
// commitments of the proofs) live in SecretBytes, so no copy of them is
// returned to the allocator unwiped (issue 14, finding 4). Checked by
// scanning every freed heap block (tests/crypto/freed_memory_scan.h) while
// the SMP steps run and while their states are destroyed.
#include <gtest/gtest.h>

#include <optional>
#include <type_traits>

#include "crypto/modp_group.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v3/smp/smp_math.h"
#include "tests/crypto/freed_memory_scan.h"
#include "tests/crypto/test_util.h"

namespace otr::v3::smp {
namespace {

using crypto::SecretBytes;
using crypto::testing::DeterministicRandom;
using otr::testing::FreedMemoryScan;

[[maybe_unused]] Bytes Plain(const Bytes& b) { return b; }
[[maybe_unused]] Bytes Plain(const SecretBytes& s) { return s.Declassify(); }

// The first 32 bytes: enough to be unique, short enough to match a prefix.
ByteView Needle(const Bytes& value) { return ByteView(value).first(32); }

class SmpSecretsTest : public crypto::testing::BackendTest {
 protected:
  SecretBytes Secret(std::string_view user) {
    const Bytes fp_a(20, 0xaa), fp_b(20, 0xbb), ssid(8, 0x11);
    return ComputeSecret(backend(), fp_a, fp_b, ssid, AsBytes(user));
  }
};

TEST_P(SmpSecretsTest, StatesHoldSharedGeneratorsAsSecrets) {
  EXPECT_TRUE((std::is_same_v<decltype(BobAfter2::g2), SecretBytes>));
  EXPECT_TRUE((std::is_same_v<decltype(BobAfter2::g3), SecretBytes>));
}

TEST_P(SmpSecretsTest, NoSecretDerivedValueIsFreedUnwiped) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  SmpMath math(backend());
  const SecretBytes x = Secret("same"), y = Secret("same");

  // A first run to learn the values to look for.
  Bytes g2, g3, g2y;
  {
    DeterministicRandom random(7);
    auto s1 = math.MakeSmp1(random, x);
    ASSERT_TRUE(s1.ok());
    auto s2 = math.MakeSmp2(random, s1->message, y);
    ASSERT_TRUE(s2.ok());
    g2 = Plain(s2->state.g2);
    g3 = Plain(s2->state.g3);
    g2y = backend().ModExp(g2, y, group.p)->Declassify();
  }
  ASSERT_EQ(g2.size(), 192u);
  ASSERT_EQ(g2y.size(), 192u);

  // The same run again (same random stream), under the scans.
  for (const Bytes* needle : {&g2y, &g2, &g3}) {
    SCOPED_TRACE(needle == &g2y ? "g2^y" : (needle == &g2 ? "g2" : "g3"));
    DeterministicRandom replay(7);
    std::optional<Step1> r1(*math.MakeSmp1(replay, x));
    FreedMemoryScan scan(Needle(*needle));
    {
      auto bob = math.MakeSmp2(replay, r1->message, y);
      ASSERT_TRUE(bob.ok());
      auto alice = math.ProcessSmp2(replay, r1->state, bob->message);
      ASSERT_TRUE(alice.ok());
      auto result = math.ProcessSmp3(replay, bob->state, alice->message);
      ASSERT_TRUE(result.ok());
      EXPECT_TRUE(result->secrets_match);
    }  // the steps and their states are destroyed here
    r1.reset();
    EXPECT_GT(scan.blocks_scanned(), 0u);
    EXPECT_EQ(scan.hits(), 0u);
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SmpSecretsTest);

}  // namespace
}  // namespace otr::v3::smp

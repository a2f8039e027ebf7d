// The v4 SMP's hashing against values computed independently with Python's
// hashlib.shake_256 and plain integers, straight from otrv4.md ("Secret
// Information", Appendix "HashToScalar", "Considerations while working with
// elliptic curve parameters"), on every backend.
#include "protocol/v4/smp/smp_hash.h"

#include <gtest/gtest.h>

#include <numeric>

#include "tests/crypto/test_util.h"

namespace otr::v4::smp {
namespace {

using crypto::testing::FromHex;
using crypto::testing::ToHex;

class SmpHashTest : public crypto::testing::BackendTest {};

// A generator that returns one byte over and over.
class ConstantRandom final : public crypto::Random {
 public:
  explicit ConstantRandom(uint8_t b) : b_(b) {}
  void Fill(MutableByteView out) override { std::fill(out.begin(), out.end(), b_); }

 private:
  uint8_t b_;
};

Fingerprint Fp(uint8_t first) {
  Fingerprint fp;
  std::iota(fp.begin(), fp.end(), first);
  return fp;
}

// Python: h = shake_256(b"OTRv4" + bytes([0x19]) + bytes([1]) + fp_a + fp_b
// + ssid + len(s).to_bytes(4, "big") + s).digest(57), then pruned.
TEST_P(SmpHashTest, SecretMatchesTheSpecFormula) {
  const Ssid ssid = {1, 2, 3, 4, 5, 6, 7, 8};
  const crypto::SecretBytes x =
      ComputeSecret(backend(), Fp(0), Fp(100), ssid, AsBytes("the secret"));
  EXPECT_EQ(ToHex(x.view()),
            "ac292879a14d899649722175b8eebe12073afbf41bc9bbabf87130ccd429f4d4926bcdbf353abcf649cbd8"
            "d2ccdde2b146e336e0231de1ce00");
}

TEST_P(SmpHashTest, SecretBindsEveryInput) {
  const Ssid ssid = {1, 2, 3, 4, 5, 6, 7, 8};
  Ssid other_ssid = ssid;
  other_ssid[7] ^= 1;
  const auto base = ComputeSecret(backend(), Fp(0), Fp(100), ssid, AsBytes("s"));
  EXPECT_NE(base, ComputeSecret(backend(), Fp(100), Fp(0), ssid, AsBytes("s")));
  EXPECT_NE(base, ComputeSecret(backend(), Fp(0), Fp(100), other_ssid, AsBytes("s")));
  EXPECT_NE(base, ComputeSecret(backend(), Fp(0), Fp(100), ssid, AsBytes("t")));
  EXPECT_NE(base, ComputeSecret(backend(), Fp(1), Fp(100), ssid, AsBytes("s")));
}

// Python: int.from_bytes(shake_256(b"OTRv4" + bytes([i]) + d).digest(57),
// "little") % q, d the encoding of B (i = 1) or of B twice (i = 5).
TEST_P(SmpHashTest, HashToScalarMatchesTheAppendix) {
  const crypto::Ed448Point b = backend().Ed448Base();
  EXPECT_EQ(ToHex(HashToScalar(backend(), ProofId::kAliceG2, b).view()),
            "f57367439df72f8fd7569537c79f19764cfd717c8b9d10026346abb7ee9f09ed568d7794856df9058daf81"
            "ae051e0e63501464e473e4ff1e00");
  EXPECT_EQ(ToHex(HashToScalar(backend(), ProofId::kBobPQ, b, b).view()),
            "5420a94c75d7e62527975ca7a4798567ec49372b408909e9dc6c12f855071b7cc519f291e45075adbdb8e7"
            "f667f5d753aedb1b56922d3f1200");
}

// Python: h = shake_256(bytes([0x42]) * 57).digest(57), pruned, mod q.
TEST_P(SmpHashTest, RandomScalarIsHashedPrunedAndReduced) {
  ConstantRandom random(0x42);
  EXPECT_EQ(ToHex(RandomScalar(backend(), random).view()),
            "af8d9517c0146bf9e2be75b7ac1945907087d7c611ea024069eca451d559c89544282982b9ff79b586ba2e"
            "0f4cb861e78ad4f01a706d3d1600");
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SmpHashTest);

}  // namespace
}  // namespace otr::v4::smp

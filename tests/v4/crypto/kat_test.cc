// Known answers for the OTRv4 constructs on every backend. The expected
// values were computed from the spec with make_kat.py (hashlib.shake_256 and
// Ed448 in plain Python integers, beside this file) and, for key
// generation, come from RFC 8032 section 7.4.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/hash_to_scalar.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "tests/crypto/test_util.h"

namespace otr::v4 {
namespace {

using crypto::SecretBytes;
using crypto::testing::BackendTest;
using crypto::testing::FromHex;
using crypto::testing::ToHex;

// KDF(usage || "usage test value", 32) for usage 0x00..0x1a ("OTRv4").
const std::vector<std::string_view> kOtrv4UsageAnswers = {
    "5261d0c41ff780e6a23ed5433a66806cb983afe8c2f01670c4cfbeaa6db6e08f",
    "af92f3b402d5e878f0b7de147d6b6beb7617a019c98849796d26b0587392144c",
    "0abc6fe2d842348884b75ce533d26fd1ab3a71dde5686d71bfabc294e810df49",
    "609a1abfe248f8429cdd66ad73c4bff636b9cad1226482d7fb36afd772acc3c6",
    "bf89738cef82cbbdb118196c38e9701ff6fc14893c91f631e6eff2c447f333c9",
    "2effb22c95e2406379534abfc991c7c0de17df4bc235a5c9b8097ff8fd26a601",
    "f819c9fc063157ac57c729a68feb57807b721890ffd223adce0b8fce1d912572",
    "0845c3f1b66fa92fcd1cfa0dea1a7422ace4460f21a3a56dfcac887da59331a0",
    "888b5af64a8434923d2e9ceb3d2c358530c40062d02a2a5e67cb6fd9730e506d",
    "f5c5badc1f03fbfd0459e626001915270e6cb88506a353012c411e158fe08639",
    "fdd95172cafb80c4e317a73126f9c8e187cbf40851eb37f34fc9f9d80140a775",
    "9ab4d9abcb9b2c0aa17b259669382b07426102512e54d16d7f068ca7618576cc",
    "f8a17c8def6bb879de1f4abf255bd5c48e778bc832e3d15e8cd88df529d1537d",
    "d93e9e06d8945d755cbf09e99002c1fb40efb684d45ded9cd70b133235026fbf",
    "9e234ed6684b24e4e5a119638de30a28f3de9bc0d15fcd055794b774c7ddf0af",
    "56a1886f1e14b293c3e7575ed06b2c8f34c24f8251de6d2154aed5491950a566",
    "28ba7fb630050d736dd8bdb9939f828828ac8c490523d1e8620438e269545fb3",
    "fd1c90f19fe9a7e133961ddbe962ccd80d4fc124a4d5a1220eafadb638353959",
    "585c9f5bd4d06422b78afce4dc77ecfea9f7782f6d48c478f17d750461ee7b31",
    "d3477281e2e8d19077821027a08ad2bfec1b37befa15836f572807ec1f1a75bd",
    "83552dcb1940e81475258fef4099d98b3ac2331bed8aef9ed1511eb5d8c555cf",
    "55b5c8832a739ea9c8d76e2d051ffa37519fc2f921eb476e2aa2dc5a10c27a38",
    "2f716e4003ca945a75381e84fdb18ca2806c946570bab4512fb9599bac13f82c",
    "79088f8224e88725161f78aec8a10e3ca7b0f923972c9f2d9cabeb1bff991b60",
    "d7bf3a705e23b41692e1b923a509ecb556b892f9e1feb470744c141c2cf7662a",
    "c6bbc8469995ed54ad239d9635d43f4884d194a5fc4e2dd99864989e0e04f145",
    "e1070bbf58bef2b9cfae7ceed974c82c91c4774f4d60eb1805a04b5840846a1c",
};

// The same for the prekey server's usages 0x00..0x17 ("OTR-Prekey-Server").
const std::vector<std::string_view> kPrekeyUsageAnswers = {
    "041b25ff649c54561fadcec72f59102106dd1a4576ee0f54dc85aceb24d00b29",
    "597844ea4f21ccfc14c9e2dd27abe1eae270ed428f127542ec6fed7bcdcc81a6",
    "650caf7ef6606ecad8d88d664c1b00e4ee4d48efd50c89fe9b5c020611f2aacb",
    "1d5db960dc51a155036dff85bde2c6a08c435b57b02c14c27a581f13c777a987",
    "88a72ef135acac8078209cc180403204a39c6f561a82474e80eb0dd7335ad1fc",
    "e90c70cd4c659339195810229f50218cc650d4700e6bb507003435752b61c851",
    "62ba375b3a3611cc7dec80894acd6e2389d86c858cb6d4dc8f2aea612c660170",
    "12a8f5e0b577842a3b91350d556a6b6850ca8803856ebb9be02a837f8a4fd3d1",
    "8584c6ffffe05c57c6f8eca513701ce2d72a493dbf1442c788632c0b9ba20ef7",
    "ba94e9cb55480ef3b2584affcfdfcaf3e441b00836885256af5f33de3bf5fc45",
    "5a68b6df21081932a090d5c9f3dc348024f05321cf6ffbbb3fd6d3fdbb3fe667",
    "8cb9f8465cabcd9eb0b12c2c654fb9a841e58b850174bd21a9edef9be9bf22ab",
    "18cfd079a4ca9c888f83d658ec483b49c8a824bd8e189ab1b38dfcce24f70a4d",
    "1d2d167c79318d2e2c597ddc89a656d3712e66ea97a6fc9c730a477c77283345",
    "dd02c9a025bc126372628726a0eed09b12b086992a4d30748a20c85935024508",
    "87a5f805864aca89e35092d349f207388820f3f2abdfb352f8f2956e0aa04808",
    "1b217be4150a6010e8dfcfb127a7e4f88a830ecf1b495a24218859907e98c91f",
    "52605c8cfc5c68f963757c15fef9c996c231383f3470098a272d114bbc26cbfb",
    "c3ddb04fd24fa7fe0604651d721bc4d7ec6309e8c6d9e5667eab95b5b150572e",
    "e6e91c55a1ae785b8708e768f40c77efb35d8e45d07412cd5a9f47d98264d0cf",
    "dbb72bbc7f066fdf2e776e74858b4fa20b8c3f72f70ca1e10f2a8c5274d86b0a",
    "7e1766994e5d35d54d9f9286225b11d160ea9c36091895e55c3f4d73b1de9256",
    "ea66f14b9664e06686ec95e186132714cecc31b254e9b143f4419949f69543ca",
    "4167b580b0e5e04cd65c5e6afe5f1039e3159cbbad2006a0969c4a045503c5a9",
};

// RFC 8032 section 7.4, Ed448 "Blank" and "1 octet" secret and public keys.
constexpr std::string_view kBlankSecret =
    "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b9449"
    "2f8f032e7549a20098f95b";
constexpr std::string_view kBlankPublic =
    "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e5"
    "0f6cd1fa1abeafe8256180";
constexpr std::string_view kOneOctetSecret =
    "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659"
    "949ef8021e954e0a12274e";
constexpr std::string_view kOneOctetPublic =
    "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82"
    "169c235160627b4c3a9480";
// SHAKE-256(kBlankSecret, 114)[0..57), pruned.
constexpr std::string_view kBlankScalar =
    "e83930a0cea0808ec7ed6667f472a588b411f0545ba4f3ee75025e1d38519cb905c036d81eeed17483f9f56615ce"
    "ee4fa70501a71fc0bbb700";

// otrv4.md, "3072-bit Diffie-Hellman Parameters", as written there.
constexpr std::string_view kSpecDhP =
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
constexpr std::string_view kSpecDhQ =
    "7FFFFFFF FFFFFFFF E487ED51 10B4611A 62633145 C06E0E68"
    "94812704 4533E63A 0105DF53 1D89CD91 28A5043C C71A026E"
    "F7CA8CD9 E69D218D 98158536 F92F8A1B A7F09AB6 B6A8E122"
    "F242DABB 312F3F63 7A262174 D31BF6B5 85FFAE5B 7A035BF6"
    "F71C35FD AD44CFD2 D74F9208 BE258FF3 24943328 F6722D9E"
    "E1003E5C 50B1DF82 CC6D241B 0E2AE9CD 348B1FD4 7E9267AF"
    "C1B2AE91 EE51D6CB 0E3179AB 1042A95D CF6A9483 B84B4B36"
    "B3861AA7 255E4C02 78BA3604 650C10BE 19482F23 171B671D"
    "F1CF3B96 0C074301 CD93C1D1 7603D147 DAE2AEF8 37A62964"
    "EF15E5FB 4AAC0B8C 1CCAA4BE 754AB572 8AE9130C 4C7D0288"
    "0AB9472D 45556216 D6998B86 82283D19 D42A90D5 EF8E5D32"
    "767DC282 2C6DF785 457538AB AE83063E D9CB87C2 D370F263"
    "D5FAD746 6D8499EB 8F464A70 2512B0CE E771E913 0D697735"
    "F897FD03 6CC50432 6C3B0139 9F643532 290F958C 0BBD9006"
    "5DF08BAB BD30AEB6 3B84C460 5D6CA371 047127D0 3A72D598"
    "A1EDADFE 707E8847 25C16890 549D6965 7FFFFFFF FFFFFFFF";

// g3 ^ r mod dh_p for r = 00 01 02 .. 4f (80 bytes, big-endian).
constexpr std::string_view kDhPublicForCountingR =
    "bd654b8672fbebdd31735a87c46ac13a48efb25861a94ea0c1961159be1f4f56f5022e859191eae63b9a4ab505b4"
    "3e1d32d01a6ec2674e95f51feca37a5cc5e30e96ac4cbdf3db248a391d6e86170f483ccb3d8ea0fee1bd6433d332"
    "e400dadfb8d890cc017b5b8fd88a0f957f41714d528f20aa53f330ae922cfca3d2392f89fb01f5d5de8542c55eb6"
    "030f9609b809c9d4684301f2e2bba2679410656fdae557ac9271b59f0fc4ea0b2133939b7cb9126be05a834e3c13"
    "5a8abadb41cbed6e4dbf52e9c9ff7ba814e6e1df7523a7234391e7675de087af4c68af544a54ddfd21c2c3dbbfee"
    "f8c48d87131a6f87a71d65cf8e3bda81094436979e80b12ec404fda9b13f9ecc0d66edac58a9916693025018faea"
    "ebaa4067390ce10a625af5075c5f473fc7d68f3aed396f7d9fc93607e09a15d0321ee9c54a43f7bdbf11f36afe4c"
    "9fd361265ff9d4ca56b26baa10354fd1dd2ba6e11d5d141e532c2286ffe3178521cd55de3954fa215da8c67469b7"
    "b8152e680140d10b8e9c0b958078abc0";

class KatTest : public BackendTest {
 protected:
  crypto::Ed448Point Point(std::string_view hex) {
    Result<crypto::Ed448Point> p = backend().Ed448Decode(FromHex(hex));
    EXPECT_TRUE(p.ok()) << hex;
    return p.ok() ? *p : backend().Ed448Base();
  }
};

TEST_P(KatTest, EveryOtrv4UsageIdHasItsSpecValue) {
  ASSERT_EQ(kAllUsages.size(), kOtrv4UsageAnswers.size());
  const Bytes value = ToBytes("usage test value");
  for (size_t i = 0; i < kAllUsages.size(); ++i) {
    const Usage usage = kAllUsages[i].usage;
    EXPECT_EQ(static_cast<size_t>(usage), i) << kAllUsages[i].name;  // 0x00..0x1a in order
    const std::string want(kOtrv4UsageAnswers[i]);
    EXPECT_EQ(ToHex(Kdf(backend(), usage, {value}, 32).view()), want) << kAllUsages[i].name;
    EXPECT_EQ(ToHex(Hwc(backend(), usage, {value}, 32)), want) << kAllUsages[i].name;
    EXPECT_EQ(ToHex(Hcmac(backend(), usage, {value}, 32).view()), want) << kAllUsages[i].name;
  }
  EXPECT_EQ(SpecName(Usage::kAuth), "usage_auth");
  EXPECT_EQ(SpecName(Usage::kSsid), "usage_SSID");
  EXPECT_EQ(static_cast<uint8_t>(Usage::kAuth), 0x1a);
}

TEST_P(KatTest, EveryPrekeyServerUsageIdHasItsSpecValue) {
  ASSERT_EQ(kAllPrekeyUsages.size(), kPrekeyUsageAnswers.size());
  const Bytes value = ToBytes("usage test value");
  for (size_t i = 0; i < kAllPrekeyUsages.size(); ++i) {
    const PrekeyUsage usage = kAllPrekeyUsages[i].usage;
    EXPECT_EQ(static_cast<size_t>(usage), i) << kAllPrekeyUsages[i].name;
    EXPECT_EQ(ToHex(PrekeyKdf(backend(), usage, {value}, 32).view()), kPrekeyUsageAnswers[i])
        << kAllPrekeyUsages[i].name;
  }
  EXPECT_EQ(SpecName(PrekeyUsage::kAuth), "usage_auth");
  EXPECT_EQ(static_cast<uint8_t>(PrekeyUsage::kProofCLambda), 0x17);
}

TEST_P(KatTest, KdfConcatenatesValuesAndTakesTheFirstSizeBytes) {
  const SecretBytes k =
      Kdf(backend(), Usage::kSharedSecret, {ToBytes("K_ecdh"), ToBytes("brace")}, 64);
  EXPECT_EQ(ToHex(k.view()),
            "0265936270c42924c71c1c5b606b4f519f2fdee1dd0988af2ef567834be4a5da734d34d1e1f90fd729d6"
            "6937455616419287c40109802b6137f6a36250c7062b");
  // The same bytes cut elsewhere give the same output.
  EXPECT_EQ(Kdf(backend(), Usage::kSharedSecret, {ToBytes("K_"), ToBytes("ecdhbrace")}, 64), k);
  EXPECT_EQ(ToHex(Hwc(backend(), Usage::kSsid, {ToBytes("K")}, 8)), "4ccfd2f93a64eed5");
  // A shorter output is a prefix of a longer one (SHAKE-256).
  EXPECT_EQ(ToHex(Kdf(backend(), Usage::kSharedSecret, {ToBytes("K_ecdhbrace")}, 5).view()),
            "0265936270");
}

TEST_P(KatTest, HashToScalarIsTheHwcOf57BytesModQ) {
  const SecretBytes s = HashToScalar(backend(), Usage::kSmpSecret, {ToBytes("hash to scalar")});
  EXPECT_EQ(ToHex(s.view()),
            "7c5e0e6d7b5f857b4fd316d85bd9c0c58800c41ad4293df2185c3caf594150efb5eda971eb9a8300c0a3"
            "c8989d2787ee4d6212afbee1b92d00");
  EXPECT_TRUE(backend().Ed448ScalarDecode(s.view()).ok());  // below q
}

TEST_P(KatTest, QIsTheGroupOrder) {
  // q reduces to zero and q - 1 is a canonical scalar: the bytes are q.
  const ScalarBytes& q = kEd448OrderLittleEndian;
  EXPECT_EQ(ToHex(backend().Ed448ScalarReduce(q).view()), std::string(114, '0'));
  ScalarBytes q_minus_1 = q;
  q_minus_1[0] = static_cast<uint8_t>(q_minus_1[0] - 1);
  EXPECT_TRUE(backend().Ed448ScalarDecode(q_minus_1).ok());
}

TEST_P(KatTest, LongTermKeyIsRfc8032KeyGeneration) {
  const SecretBytes sym(FromHex(kBlankSecret));
  Result<Ed448KeyPair> pair = DeriveEd448KeyPair(backend(), sym);
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(ToHex(backend().Ed448Encode(pair->pub)), kBlankPublic);
  EXPECT_EQ(ToHex(pair->secret.view()), kBlankScalar);
  EXPECT_EQ(pair->sym_key, sym);
  // The EdDSA key of the profiles' signatures is the same key.
  Result<Bytes> eddsa = backend().Ed448DerivePublicKey(sym);
  ASSERT_TRUE(eddsa.ok());
  EXPECT_EQ(ToHex(*eddsa), kBlankPublic);
}

TEST_P(KatTest, GenerateEcdhHashesPrunesAndMultiplies) {
  // generateECDH() is the same computation with r in place of sym_key.
  Result<EcdhKeyPair> pair =
      GenerateEcdhFromRandom(backend(), SecretBytes(FromHex(kOneOctetSecret)));
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(ToHex(backend().Ed448Encode(pair->pub())), kOneOctetPublic);
  EXPECT_EQ(pair->secret()[0] & 0x03, 0);
  EXPECT_EQ(pair->secret()[56], 0);
  EXPECT_EQ(pair->secret()[55] & 0x80, 0x80);
}

TEST_P(KatTest, KeyGenerationRejectsWrongSizes) {
  EXPECT_EQ(GenerateEcdhFromRandom(backend(), SecretBytes(56)).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(GenerateDhFromRandom(backend(), SecretBytes(79)).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(DeriveEd448KeyPair(backend(), SecretBytes(58)).code(), ErrorCode::kInvalidKey);
}

TEST_P(KatTest, GenerateDhRaisesG3ToR) {
  Bytes r(kDhRandomSize);
  for (size_t i = 0; i < r.size(); ++i) r[i] = static_cast<uint8_t>(i);
  Result<crypto::DhKeyPair> pair = GenerateDhFromRandom(backend(), SecretBytes(r));
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(ToHex(pair->pub), kDhPublicForCountingR);
  EXPECT_EQ(pair->secret, SecretBytes(r));
}

TEST_P(KatTest, Dh3072GroupIsTheSpecsGroup) {
  const crypto::ModpGroup& group = Dh3072Group();
  EXPECT_EQ(ToHex(group.p), ToHex(FromHex(kSpecDhP)));
  EXPECT_EQ(ToHex(group.q), ToHex(FromHex(kSpecDhQ)));
  EXPECT_EQ(group.g, Bytes{2});
}

TEST_P(KatTest, DhGroupMembershipFollowsTheSpecsTwoSteps) {
  const crypto::ModpGroup& group = Dh3072Group();
  const Bytes p_minus_1 = crypto::testing::AddSmall(group.p, -1);
  const Bytes p_minus_3 = crypto::testing::AddSmall(group.p, -3);
  // Step 1: the range [g3, dh_p - g3].
  for (const Bytes& x : {Bytes{}, Bytes{0}, Bytes{1}, p_minus_1, group.p}) {
    EXPECT_EQ(CheckDhGroupElement(backend(), x).code(), ErrorCode::kOutOfRange) << ToHex(x);
  }
  // Step 2: x ^ dh_q == 1. 2, 3 and 4 are squares mod dh_p; dh_p - 2 = -2 is
  // in range but not a square (-1 is not, as dh_p = 3 mod 4; 2 is).
  for (const Bytes& x : {Bytes{2}, Bytes{3}, Bytes{0, 4}, Bytes{0x10, 0}}) {
    EXPECT_TRUE(CheckDhGroupElement(backend(), x).ok()) << ToHex(x);
  }
  EXPECT_EQ(CheckDhGroupElement(backend(), group.p_minus_2).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(CheckDhGroupElement(backend(), p_minus_3).code(), ErrorCode::kOutOfRange);
  // The old range-only check (crypto::CheckGroupElement) accepts dh_p - 2.
  EXPECT_TRUE(crypto::CheckGroupElement(backend(), group, group.p_minus_2).ok());
}

TEST_P(KatTest, DhSharedSecretChecksThePeerValue) {
  const crypto::ModpGroup& group = Dh3072Group();
  Bytes r(kDhRandomSize, 0x5a);
  const SecretBytes secret(r);
  EXPECT_EQ(DhSharedSecret(backend(), secret, group.p_minus_2).code(), ErrorCode::kOutOfRange);
  Result<SecretBytes> k = DhSharedSecret(backend(), secret, Bytes{4});
  ASSERT_TRUE(k.ok());
  // 4^r = (2^r)^2.
  Result<crypto::DhKeyPair> pair = GenerateDhFromRandom(backend(), secret);
  ASSERT_TRUE(pair.ok());
  Result<SecretBytes> square = backend().ModMul(pair->pub, pair->pub, group.p);
  ASSERT_TRUE(square.ok());
  EXPECT_EQ(*k, *square);
  EXPECT_NE((*k)[0], 0);  // minimal big-endian
}

TEST_P(KatTest, FingerprintHashesTheTwoPoints) {
  const crypto::Ed448Point h = Point(kBlankPublic);
  const crypto::Ed448Point f = Point(kOneOctetPublic);
  const Fingerprint fp = ComputeFingerprint(backend(), h, f);
  EXPECT_EQ(ToHex(fp),
            "41f63c874665ad1ed690300ec956e07c892677c45e56e99c8e81eae457605bde313b67e7c7d5296ddbc4"
            "767e703290f3983aa61f81a7ab1a");
  EXPECT_EQ(FingerprintToHuman(fp),
            "41F63C87 4665AD1E D690300E C956E07C 892677C4 5E56E99C 8E81EAE4 57605BDE 313B67E7 "
            "C7D5296D DBC4767E 703290F3 983AA61F 81A7AB1A");
  EXPECT_EQ(FingerprintToHuman(fp).size(), 125u);
  const store::PeerFingerprint peer = ToPeerFingerprint(fp);
  EXPECT_EQ(peer.kind, store::FingerprintKind::kV4Ed448);
  EXPECT_EQ(peer.bytes, Bytes(fp.begin(), fp.end()));
  EXPECT_FALSE(peer.AsV3().has_value());
  // The order matters: H first.
  EXPECT_NE(ComputeFingerprint(backend(), f, h), fp);
  EXPECT_EQ(ToHex(ComputePrekeyServerFingerprint(backend(), h)),
            "1951d0075643e4e910830a3994b64223571996238db7c828b1667b36074431e6a6489d59cb5aa03edf76"
            "09364bdb6d8292469c8073e682ad");
}

// EcdhKeyPair is made only by functions that encode: whichever made it,
// pub_encoded() is the encoding of pub(), and the pair of the same secret
// has the same public key. A wrong secret size or an encoding that is no
// point is an error, never a pair.
TEST_P(KatTest, EveryEcdhKeyPairCarriesTheEncodingOfItsPoint) {
  crypto::testing::DeterministicRandom random(uint64_t{21});
  Result<EcdhKeyPair> generated = GenerateEcdh(backend(), random);
  ASSERT_TRUE(generated.ok());
  const crypto::Ed448Encoding encoded = generated->pub_encoded();
  EXPECT_EQ(encoded, backend().Ed448Encode(generated->pub()));

  Result<EcdhKeyPair> from_secret = EcdhKeyPair::FromSecret(backend(), generated->secret());
  ASSERT_TRUE(from_secret.ok());
  EXPECT_EQ(from_secret->pub_encoded(), encoded);
  EXPECT_EQ(from_secret->pub_encoded(), backend().Ed448Encode(from_secret->pub()));
  EXPECT_EQ(from_secret->secret(), generated->secret());

  Result<EcdhKeyPair> from_wire =
      EcdhKeyPair::FromSecretAndWire(backend(), generated->secret(), encoded);
  ASSERT_TRUE(from_wire.ok());
  EXPECT_EQ(from_wire->pub_encoded(), encoded);
  EXPECT_EQ(backend().Ed448Encode(from_wire->pub()), encoded);
  EXPECT_TRUE(backend().Ed448Equal(from_wire->pub(), generated->pub()));

  Result<Ed448KeyPair> derived = DeriveEd448KeyPair(backend(), SecretBytes(FromHex(kBlankSecret)));
  ASSERT_TRUE(derived.ok());
  const crypto::Ed448Encoding derived_encoded = backend().Ed448Encode(derived->pub);
  const EcdhKeyPair from_derived = EcdhKeyPair::FromEd448KeyPair(backend(), *derived);
  EXPECT_EQ(from_derived.pub_encoded(), derived_encoded);
  EXPECT_EQ(from_derived.secret(), derived->secret);

  EXPECT_EQ(EcdhKeyPair::FromSecret(backend(), SecretBytes(56)).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(EcdhKeyPair::FromSecretAndWire(backend(), SecretBytes(58), encoded).code(),
            ErrorCode::kInvalidKey);
  Bytes not_a_point(encoded.begin(), encoded.end());
  not_a_point.back() ^= 0x01;  // the last byte holds only the sign bit
  EXPECT_FALSE(EcdhKeyPair::FromSecretAndWire(backend(), generated->secret(), not_a_point).ok());
}

TEST_P(KatTest, WrappersDrawTheirRandomBytesFromRandom) {
  crypto::testing::DeterministicRandom a(uint64_t{9}), b(uint64_t{9});
  Result<Ed448KeyPair> pair = GenerateLongTermKeyPair(backend(), a);
  Result<Ed448KeyPair> derived = DeriveEd448KeyPair(backend(), b.SecretOfSize(kSymKeySize));
  ASSERT_TRUE(pair.ok() && derived.ok());
  EXPECT_EQ(pair->sym_key, derived->sym_key);
  EXPECT_EQ(pair->secret, derived->secret);
  EXPECT_TRUE(backend().Ed448Equal(pair->pub, derived->pub));
  Result<EcdhKeyPair> ecdh = GenerateEcdh(backend(), a);
  Result<EcdhKeyPair> ecdh_core =
      GenerateEcdhFromRandom(backend(), b.SecretOfSize(kEcdhRandomSize));
  ASSERT_TRUE(ecdh.ok() && ecdh_core.ok());
  EXPECT_EQ(ecdh->secret(), ecdh_core->secret());
  Result<crypto::DhKeyPair> dh = GenerateDh(backend(), a);
  ASSERT_TRUE(dh.ok());
  EXPECT_EQ(dh->secret.size(), kDhRandomSize);
  EXPECT_TRUE(CheckDhGroupElement(backend(), dh->pub).ok());
}

TEST_P(KatTest, ForgingKeyAsARandomPoint) {
  // The core deserializes and checks.
  Result<crypto::Ed448Point> f = ForgingPointFromRandom(backend(), FromHex(kOneOctetPublic));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(ToHex(backend().Ed448Encode(*f)), kOneOctetPublic);
  Bytes not_a_point = FromHex(kOneOctetPublic);
  not_a_point.back() |= 0x01;  // a final byte bit other than the sign
  EXPECT_FALSE(ForgingPointFromRandom(backend(), not_a_point).ok());
  EXPECT_FALSE(ForgingPointFromRandom(backend(), Bytes(56, 1)).ok());
  // The wrapper finds a valid point, different for different randomness.
  crypto::testing::DeterministicRandom r1(uint64_t{1}), r2(uint64_t{2});
  Result<crypto::Ed448Point> p1 = GenerateForgingPoint(backend(), r1);
  Result<crypto::Ed448Point> p2 = GenerateForgingPoint(backend(), r2);
  ASSERT_TRUE(p1.ok() && p2.ok());
  EXPECT_TRUE(backend().Ed448Decode(backend().Ed448Encode(*p1)).ok());
  EXPECT_FALSE(backend().Ed448Equal(*p1, *p2));
  // The type codes of otrv4.md.
  EXPECT_EQ(kEd448PubkeyType, 0x0010);
  EXPECT_EQ(kEd448SharedPrekeyType, 0x0011);
  EXPECT_EQ(kEd448ForgingKeyType, 0x0012);
}

// RSig with the signer at index 2 (a2 = the Blank key's scalar), the random
// values 57 bytes of 0x20 (t2), 0x11 (c1), 0x13 (c3), 0x21 (r1), 0x23 (r3),
// each hashed and pruned; the other keys from 57 bytes of 0x01 and 0x03.
TEST_P(KatTest, RingSignatureOfMakeKat) {
  auto pruned = [&](uint8_t byte) {
    Result<SecretBytes> s = HashAndPrune(backend(), SecretBytes(Bytes(57, byte)));
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : SecretBytes(57);
  };
  Result<EcdhKeyPair> a1 = GenerateEcdhFromRandom(backend(), SecretBytes(Bytes(57, 1)));
  Result<Ed448KeyPair> a2 = DeriveEd448KeyPair(backend(), SecretBytes(FromHex(kBlankSecret)));
  Result<EcdhKeyPair> a3 = GenerateEcdhFromRandom(backend(), SecretBytes(Bytes(57, 3)));
  ASSERT_TRUE(a1.ok() && a2.ok() && a3.ok());
  EXPECT_EQ(ToHex(backend().Ed448Encode(a1->pub())),
            "e0758a33267939a394fb5ccb202ee851cebc2e89c91ac1289e2bfcddfd9ff9fc5694b0f569d7f7e9da16"
            "e1cde9301b29f48128b3cbd1168580");
  EXPECT_EQ(ToHex(backend().Ed448Encode(a3->pub())),
            "18e2f925aef56fc05910474593ee84c932bc7ea4d352a3416f72d115e60eb58cd862f73ac50886fbaad6"
            "354a4eeb01fd9f740491fb11f59580");
  RingNonces nonces;
  nonces.t2 = pruned(0x20);
  nonces.c1 = pruned(0x11);
  nonces.c3 = pruned(0x13);
  nonces.r1 = pruned(0x21);
  nonces.r3 = pruned(0x23);
  // The values the signer's index does not use: any 57 bytes.
  nonces.t1 = pruned(0x30);
  nonces.t3 = pruned(0x31);
  nonces.c2 = pruned(0x32);
  nonces.r2 = pruned(0x33);
  const Ring ring = {a1->pub(), a2->pub, a3->pub()};
  const Bytes m = ToBytes("ring signature message");
  Result<RingSigma> sigma = RSigWithNonces(backend(), a2->secret, ring, m, nonces);
  ASSERT_TRUE(sigma.ok());
  EXPECT_EQ(ToHex(sigma->c1),
            "7f717c0f0c49ba8a0036062ce41daf2ed1a91da1769537c7096e9f9df605134a0426e67ded8ba9b01a6b"
            "9c865d70986156f574d9f212720100");
  EXPECT_EQ(ToHex(sigma->r1),
            "d6f44e4bdde61d4d05ff6f2aa9694acc172743f42b39d31cba0a15552cf0e7d2fcade4a0c88f9badea50"
            "b90d148a5757d426457e1a5ac32b00");
  EXPECT_EQ(ToHex(sigma->c2),
            "714822a3c1ef5cc5e21f1a80ae8e8b31c9951da09f83caf803a9bc3a4e6934a6fbb7daad2b1badc52a6d"
            "1a399667442111c37ed45717f81e00");
  EXPECT_EQ(ToHex(sigma->r2),
            "4be8c7ad6d5962957537ac0497f0e70f5f4a27f391db4beb703ce6876f0ae4f79447780d4e1b018380ec"
            "0f4a9a94137e41c4a90de7b5432000");
  EXPECT_EQ(ToHex(sigma->c3),
            "b6b273bbec98662b49934bb0c210011dc3be98963d43753c434db56ebf25c60b6e9dc3fed5aaf5805342"
            "00788da5e1c5f5f0e8422c9d922700");
  EXPECT_EQ(ToHex(sigma->r3),
            "3376ab280dfbb162e67a4a15a287d8e32fb749ea2e0507d6fdb1debc9abeac8f43f88c48e1ea2b83caf2"
            "d1791eccba0457519ead13acbd1400");
  EXPECT_TRUE(RVrf(backend(), ring, *sigma, m).ok());
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(KatTest);

}  // namespace
}  // namespace otr::v4

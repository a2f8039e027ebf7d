// Known answers for the hashes, the XOF and the MACs, on every backend.
#include <gtest/gtest.h>

#include <string>

#include "crypto/backend.h"
#include "tests/crypto/test_util.h"

namespace otr::crypto::testing {
namespace {

using HashKatTest = BackendTest;
OTR_INSTANTIATE_FOR_ALL_BACKENDS(HashKatTest);

constexpr std::string_view kAbc = "abc";
// FIPS 180-4 examples (NIST CSRC "Examples with Intermediate Values"): the
// two-block 448-bit message.
constexpr std::string_view kMsg448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

std::string HashHex(const Backend& backend, HashAlgorithm alg, std::string_view msg) {
  return ToHex(backend.Hash(alg, AsBytes(msg)));
}

// One million 'a', fed in chunks of 999 bytes (not a divisor of the 64-byte
// block nor of the total) so the backend's buffering is exercised.
std::string MillionAHex(const Backend& backend, HashAlgorithm alg) {
  const std::string chunk(999, 'a');
  auto ctx = backend.NewHash(alg);
  size_t left = 1000000;
  while (left > 0) {
    size_t n = std::min(left, chunk.size());
    ctx->Update(AsBytes(std::string_view(chunk).substr(0, n)));
    left -= n;
  }
  return ToHex(ctx->Finish().view());
}

// FIPS 180-2 appendix A (SHA-1) and B (SHA-256), also NIST CSRC examples.
TEST_P(HashKatTest, Sha1Fips180) {
  EXPECT_EQ(HashHex(backend(), HashAlgorithm::kSha1, kAbc),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HashHex(backend(), HashAlgorithm::kSha1, kMsg448),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(MillionAHex(backend(), HashAlgorithm::kSha1),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_P(HashKatTest, Sha256Fips180) {
  EXPECT_EQ(HashHex(backend(), HashAlgorithm::kSha256, kAbc),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashHex(backend(), HashAlgorithm::kSha256, kMsg448),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(MillionAHex(backend(), HashAlgorithm::kSha256),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_P(HashKatTest, EmptyMessageAndDigestSizes) {
  // FIPS 180 digests of the empty string (NIST CSRC examples).
  EXPECT_EQ(HashHex(backend(), HashAlgorithm::kSha1, ""),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(HashHex(backend(), HashAlgorithm::kSha256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(backend().Hash(HashAlgorithm::kSha1, {}).size(), DigestSize(HashAlgorithm::kSha1));
  EXPECT_EQ(backend().Hash(HashAlgorithm::kSha256, {}).size(), DigestSize(HashAlgorithm::kSha256));
}

// SHAKE-256 of the empty message, the first 200 bytes of NIST's example
// "SHAKE256_Msg0" (FIPS 202, CSRC "Examples with Intermediate Values"; 4096
// output bits there). 200 bytes cross the 136-byte rate: two squeezes.
constexpr std::string_view kShake256Empty200 =
    "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"
    "d75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be"
    "141e96616fb13957692cc7edd0b45ae3dc07223c8e92937bef84bc0eab862853"
    "349ec75546f58fb7c2775c38462c5010d846c185c15111e595522a6bcd16cf86"
    "f3d122109e3b1fdd943b6aec468a2d621a7c06c6a957c62b54dafc3be87567d6"
    "77231395f6147293b68ceab7a9e0c58d864e8efde4e1b9a46cbe854713672f5c"
    "aaae314ed9083dab";

// NIST example "SHAKE256_Msg1600": 200 bytes of 0xa3, first 32 output bytes.
constexpr std::string_view kShake256A3x200First32 =
    "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d";

TEST_P(HashKatTest, Shake256Fips202) {
  EXPECT_EQ(ToHex(backend().Shake256({}, 32).view()), kShake256Empty200.substr(0, 64));
  EXPECT_EQ(ToHex(backend().Shake256({}, 200).view()), kShake256Empty200);
  // An XOF: a shorter output is a prefix of a longer one.
  EXPECT_EQ(ToHex(backend().Shake256({}, 137).view()), kShake256Empty200.substr(0, 274));
  EXPECT_EQ(backend().Shake256({}, 0).size(), 0u);

  const Bytes a3(200, 0xa3);
  EXPECT_EQ(ToHex(backend().Shake256(a3, 32).view()), kShake256A3x200First32);
}

TEST_P(HashKatTest, Shake256IncrementalEqualsOneShot) {
  const Bytes a3(200, 0xa3);
  // Absorb in uneven pieces, one of them empty and one crossing the rate.
  auto ctx = backend().NewShake256();
  ctx->Update(ByteView(a3).subspan(0, 1));
  ctx->Update(ByteView(a3).subspan(1, 0));
  ctx->Update(ByteView(a3).subspan(1, 150));
  ctx->Update(ByteView(a3).subspan(151));
  Bytes out(300);
  ctx->Finish(out);
  SecretBytes one_shot = backend().Shake256(a3, 300);
  EXPECT_EQ(ToHex(out), ToHex(one_shot.view()));
  EXPECT_EQ(ToHex(ByteView(out).first(32)), kShake256A3x200First32);
}

struct HmacCase {
  const char* name;
  Bytes key;
  Bytes data;
  std::string_view expected_hex;  // may be a truncated tag: compare the prefix
};

void CheckHmacCases(const Backend& backend, HashAlgorithm alg, const std::vector<HmacCase>& cases) {
  for (const HmacCase& c : cases) {
    SCOPED_TRACE(c.name);
    SecretBytes tag = backend.Hmac(alg, c.key, c.data);
    ASSERT_EQ(tag.size(), DigestSize(alg));
    EXPECT_EQ(ToHex(tag.view()).substr(0, c.expected_hex.size()), c.expected_hex);
    // Incremental: the data byte by byte gives the same tag.
    auto ctx = backend.NewHmac(alg, c.key);
    for (size_t i = 0; i < c.data.size(); ++i) ctx->Update(ByteView(c.data).subspan(i, 1));
    EXPECT_EQ(ToHex(ctx->Finish().view()), ToHex(tag.view()));
    // Keyed once, used twice: the same tag each time.
    auto keyed = backend.NewKeyedHmac(alg, SecretBytes(c.key));
    for (int use = 0; use < 2; ++use) {
      Bytes out(DigestSize(alg));
      ASSERT_TRUE(keyed->Mac(c.data, out).ok());
      EXPECT_EQ(ToHex(out), ToHex(tag.view())) << "keyed, use " << use;
    }
  }
}

Bytes Repeat(uint8_t byte, size_t n) { return Bytes(n, byte); }

Bytes Counting(uint8_t from, uint8_t to) {
  Bytes out;
  for (int b = from; b <= to; ++b) out.push_back(static_cast<uint8_t>(b));
  return out;
}

// RFC 2202 section 3, the seven HMAC-SHA-1 test cases. Case 5's tag is
// truncated to 96 bits in the RFC's "digest-96" line; the full 160-bit value
// is also printed there and is what we compare.
TEST_P(HashKatTest, HmacSha1Rfc2202) {
  const std::vector<HmacCase> cases = {
      {"case 1", Repeat(0x0b, 20), ToBytes("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"},
      {"case 2", ToBytes("Jefe"), ToBytes("what do ya want for nothing?"),
       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {"case 3", Repeat(0xaa, 20), Repeat(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {"case 4", Counting(0x01, 0x19), Repeat(0xcd, 50),
       "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
      {"case 5", Repeat(0x0c, 20), ToBytes("Test With Truncation"),
       "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
      {"case 5 (digest-96)", Repeat(0x0c, 20), ToBytes("Test With Truncation"),
       "4c1a03424b55e07fe7f27be1"},
      {"case 6", Repeat(0xaa, 80),
       ToBytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {"case 7", Repeat(0xaa, 80),
       ToBytes("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  };
  CheckHmacCases(backend(), HashAlgorithm::kSha1, cases);
}

// RFC 4231 section 4, test cases 1-7 for HMAC-SHA-256. Case 5 is published
// truncated to 128 bits; cases 6 and 7 use a 131-byte key (longer than the
// 64-byte block, so it is hashed first).
TEST_P(HashKatTest, HmacSha256Rfc4231) {
  const std::vector<HmacCase> cases = {
      {"case 1", Repeat(0x0b, 20), ToBytes("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"case 2", ToBytes("Jefe"), ToBytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"case 3", Repeat(0xaa, 20), Repeat(0xdd, 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"case 4", Counting(0x01, 0x19), Repeat(0xcd, 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"case 5 (truncated to 128 bits)", Repeat(0x0c, 20), ToBytes("Test With Truncation"),
       "a3b6167473100ee06e0c796c2955552b"},
      {"case 6", Repeat(0xaa, 131),
       ToBytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"case 7", Repeat(0xaa, 131),
       ToBytes("This is a test using a larger than block-size key and a larger than block-size "
               "data. The key needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  CheckHmacCases(backend(), HashAlgorithm::kSha256, cases);
}

TEST_P(HashKatTest, HmacEmptyKeyAndMessage) {
  // HMAC with an empty key and empty message; the values are the widely
  // published ones (e.g. the Wikipedia HMAC article's examples section), and
  // agree with Python's hmac module.
  EXPECT_EQ(ToHex(backend().Hmac(HashAlgorithm::kSha1, {}, {}).view()),
            "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  EXPECT_EQ(ToHex(backend().Hmac(HashAlgorithm::kSha256, {}, {}).view()),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// Contexts finished without any Update equal the empty-message values above;
// contexts dropped without Finish release what they hold (ASan's leak check
// runs this under --config=asan).
TEST_P(HashKatTest, ContextLifecycle) {
  EXPECT_EQ(ToHex(backend().NewHash(HashAlgorithm::kSha256)->Finish().view()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(backend().NewHmac(HashAlgorithm::kSha1, {})->Finish().view()),
            "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  Bytes out(32);
  backend().NewShake256()->Finish(out);
  EXPECT_EQ(ToHex(out), kShake256Empty200.substr(0, 64));
  for (int i = 0; i < 3; ++i) {
    auto hash = backend().NewHash(HashAlgorithm::kSha1);
    hash->Update(AsBytes("dropped"));
    auto hmac = backend().NewHmac(HashAlgorithm::kSha256, AsBytes("key"));
    hmac->Update(AsBytes("dropped"));
    auto xof = backend().NewShake256();
    xof->Update(AsBytes("dropped"));
  }
}

}  // namespace
}  // namespace otr::crypto::testing

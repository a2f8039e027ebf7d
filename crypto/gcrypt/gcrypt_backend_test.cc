// Known answers for the gcrypt backend from independent sources (RFCs,
// FIPS/NIST examples, RFC 8032 test vectors, and Ed448 points computed with a
// separate Python reference of RFC 8032's formulas), plus the validation
// errors of crypto/backend.h.
#include "crypto/gcrypt/gcrypt_backend.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/testing/deterministic_random.h"
#include "crypto/testing/ed448_points.h"

namespace otr::crypto {
namespace {

Bytes Hex(std::string_view hex) {
  Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string ToHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

SecretBytes Secret(std::string_view hex) { return SecretBytes(Hex(hex)); }

// A 57-byte little-endian scalar holding a small value.
SecretBytes SmallScalar(uint8_t value) {
  SecretBytes s(kEd448ScalarSize);
  s[0] = value;
  return s;
}

const Backend& B() { return GcryptBackend(); }

using testing::PointHex;
::testing::AssertionResult Same(const Ed448Point& a, const Ed448Point& b) {
  return testing::SamePoint(B(), a, b);
}

// RFC 8032 section 5.2: B, and L - 1 (little-endian).
constexpr char kBase[] =
    "14fa30f25b790898adc8d74e2c13bdfdc4397ce61cffd33ad7c2a0051e9c78874098a36c7373ea4b62c7c956372076"
    "8824bcb66e71463f6900";
constexpr char kOrderMinusOne[] =
    "f24458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffff3f00";
constexpr char kOrder[] =
    "f34458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffff3f00";
// Computed with a Python transcription of RFC 8032's addition formulas.
constexpr char kTwoBase[] =
    "ed8693eacdfbeada6ba0cdd1beb2bcbb98302a3a8365650db8c4d88a726de3b7d74d8835a0d76e03b0c2865020d659"
    "b38d04d74a63e905ae80";
// (x, y) = (1, 0), a point of order 4.
constexpr char kOrderFour[] =
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0"
    "0000000000000000080";
// B + (1, 0): on the curve, outside the prime-order subgroup.
constexpr char kBasePlusOrderFour[] =
    "a13ff338d457d9d9716cff741e7fc4bcee9a49d508e551ed9b5b2c5cda1c921598e8f0b88f9aeb6125c940dd59eae2"
    "dd12f21294398fe6b000";
// p = 2^448 - 2^224 - 1 and p - 1, little-endian.
constexpr char kFieldPrime[] =
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffffff00";
constexpr char kFieldPrimeMinusOne[] =
    "fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffff"
    "ffffffffffffffffff00";

TEST(GcryptBackendTest, Name) { EXPECT_EQ(B().name(), "gcrypt"); }

// --- Hashes (FIPS 180-2 appendix examples, RFC 4231, FIPS 202) ---

TEST(GcryptBackendTest, Sha256AndSha1OfAbc) {
  EXPECT_EQ(ToHex(B().Hash(HashAlgorithm::kSha256, AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(B().Hash(HashAlgorithm::kSha1, AsBytes("abc"))),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(GcryptBackendTest, IncrementalHashMatchesOneShot) {
  auto ctx = B().NewHash(HashAlgorithm::kSha256);
  ctx->Update(AsBytes("a"));
  ctx->Update(AsBytes(""));
  ctx->Update(AsBytes("bc"));
  EXPECT_EQ(ctx->Finish().Declassify(), B().Hash(HashAlgorithm::kSha256, AsBytes("abc")));
}

TEST(GcryptBackendTest, HmacSha256Rfc4231) {
  // Test case 2.
  EXPECT_EQ(ToHex(B().Hmac(HashAlgorithm::kSha256, AsBytes("Jefe"),
                           AsBytes("what do ya want for nothing?"))
                      .view()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size.
  Bytes long_key(131, 0xaa);
  EXPECT_EQ(ToHex(B().Hmac(HashAlgorithm::kSha256, long_key,
                           AsBytes("Test Using Larger Than Block-Size Key - Hash Key First"))
                      .view()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(GcryptBackendTest, HmacWithEmptyKey) {
  EXPECT_EQ(ToHex(B().Hmac(HashAlgorithm::kSha256, ByteView(), ByteView()).view()),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(GcryptBackendTest, Shake256) {
  EXPECT_EQ(ToHex(B().Shake256(ByteView(), 32).view()),
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f");
  // Squeezing more extends the same stream; absorbing in pieces is the same.
  auto xof = B().NewShake256();
  xof->Update(AsBytes("ab"));
  xof->Update(AsBytes("c"));
  SecretBytes long_out(300);
  xof->Finish(long_out.mutable_view());
  SecretBytes short_out = B().Shake256(AsBytes("abc"), 20);
  EXPECT_EQ(ToHex(long_out.view().first(20)), ToHex(short_out.view()));
}

// --- Ciphers ---

// AES-128 with the zero key: E(0^16), E(0^15 1), E(0^15 2) are the known
// blocks of FIPS-197 style checks and of the GCM spec's test cases 1 and 2.
TEST(GcryptBackendTest, Aes128CtrCounterBlock) {
  SecretBytes key(kAes128KeySize);
  Bytes top(kAesCtrTopHalfSize, 0);
  Bytes in(48, 0), out(48);
  ASSERT_TRUE(B().Aes128Ctr(key, top, in, out).ok());
  EXPECT_EQ(
      ToHex(out),
      "66e94bd4ef8a2c3b884cfa59ca342b2e58e2fccefa7e3061367f1d57a4e7455a0388dace60b6a392f328c2b9"
      "71b2fe78");
  // In place gives the same; and decrypting restores.
  Bytes buffer(48, 0);
  ASSERT_TRUE(B().Aes128Ctr(key, top, buffer, buffer).ok());
  EXPECT_EQ(buffer, out);
  ASSERT_TRUE(B().Aes128Ctr(key, top, buffer, buffer).ok());
  EXPECT_EQ(buffer, in);
}

TEST(GcryptBackendTest, Aes128CtrRejectsBadSizes) {
  Bytes in(4), out(4), short_out(3);
  EXPECT_EQ(B().Aes128Ctr(SecretBytes(15), Bytes(8), in, out).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().Aes128Ctr(SecretBytes(16), Bytes(7), in, out).code(), ErrorCode::kInvalidKey);
  EXPECT_FALSE(B().Aes128Ctr(SecretBytes(16), Bytes(8), in, short_out).ok());
}

// RFC 7539 section 2.4.2.
TEST(GcryptBackendTest, ChaCha20Rfc7539) {
  SecretBytes key = Secret("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  Bytes nonce = Hex("000000000000004a00000000");
  Bytes plaintext = ToBytes(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen would be it.");
  Bytes out(plaintext.size());
  ASSERT_TRUE(B().ChaCha20(key, nonce, 1, plaintext, out).ok());
  EXPECT_EQ(
      ToHex(out),
      "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593da"
      "bcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf80"
      "6818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d");
  // Counter 0 gives a different stream whose second block is counter 1's first.
  Bytes zeros(128, 0), stream0(128), stream1(64);
  ASSERT_TRUE(B().ChaCha20(key, nonce, 0, zeros, stream0).ok());
  ASSERT_TRUE(B().ChaCha20(key, nonce, 1, ByteView(zeros).first(64), stream1).ok());
  EXPECT_EQ(ToHex(ByteView(stream0).last(64)), ToHex(stream1));
}

TEST(GcryptBackendTest, ChaCha20RejectsBadSizes) {
  Bytes in(4), out(4);
  // The last block of the 32-bit counter is usable; one more is not.
  Bytes block(64), block_out(64), two(65), two_out(65);
  EXPECT_TRUE(B().ChaCha20(SecretBytes(32), Bytes(12), 0xffffffffu, block, block_out).ok());
  EXPECT_EQ(B().ChaCha20(SecretBytes(32), Bytes(12), 0xffffffffu, two, two_out).code(),
            ErrorCode::kOutOfRange);
  Bytes overlap(10);
  EXPECT_EQ(B().ChaCha20(SecretBytes(32), Bytes(12), 0, ByteView(overlap).first(8),
                         MutableByteView(overlap).last(8))
                .code(),
            ErrorCode::kOutOfRange);
  EXPECT_EQ(B().ChaCha20(SecretBytes(31), Bytes(12), 0, in, out).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().ChaCha20(SecretBytes(32), Bytes(8), 0, in, out).code(), ErrorCode::kInvalidKey);
}

// --- Modular arithmetic ---

TEST(GcryptBackendTest, SmallModularKnownAnswers) {
  const Bytes m = {23};
  EXPECT_EQ(ToHex(B().ModExp(Bytes{2}, SecretBytes(Bytes{5}), m)->view()), "09");
  EXPECT_EQ(ToHex(*B().ModExpPublic(Bytes{2}, Bytes{5}, m)), "09");
  EXPECT_EQ(ToHex(B().ModMul(Bytes{3}, Bytes{5}, Bytes{7})->view()), "01");
  EXPECT_EQ(ToHex(B().ModAdd(Bytes{5}, Bytes{6}, Bytes{7})->view()), "04");
  EXPECT_EQ(ToHex(B().ModSub(Bytes{2}, Bytes{5}, Bytes{7})->view()), "04");
  EXPECT_EQ(ToHex(B().ModInverse(Bytes{3}, Bytes{7})->view()), "05");
  EXPECT_EQ(ToHex(B().Mod(Bytes{0, 100}, Bytes{7})->view()), "02");
  // Zero is the empty string; leading zeros of inputs are ignored.
  EXPECT_TRUE(B().Mod(Bytes{0, 0, 14}, Bytes{7})->empty());
  EXPECT_EQ(ToHex(B().ModExp(Bytes{5}, SecretBytes(), m)->view()), "01");
  EXPECT_TRUE(B().ModExp(Bytes{}, SecretBytes(Bytes{0, 3}), m)->empty());
}

TEST(GcryptBackendTest, ModularErrors) {
  EXPECT_EQ(B().ModMul(Bytes{3}, Bytes{5}, Bytes{8}).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(B().ModMul(Bytes{3}, Bytes{5}, Bytes{}).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(B().ModExp(Bytes{3}, SecretBytes(Bytes{5}), Bytes{0, 0}).code(),
            ErrorCode::kOutOfRange);
  EXPECT_EQ(B().ModExpPublic(Bytes{3}, Bytes{5}, Bytes{10}).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(B().ModInverse(Bytes{0}, Bytes{7}).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(B().ModInverse(Bytes{14}, Bytes{7}).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(B().ModInverse(Bytes{3}, Bytes{9}).code(), ErrorCode::kOutOfRange);
}

TEST(GcryptBackendTest, Compare) {
  EXPECT_EQ(B().Compare(Bytes{0, 5}, Bytes{5}), 0);
  EXPECT_EQ(B().Compare(Bytes{4}, Bytes{1, 0}), -1);
  EXPECT_EQ(B().Compare(Bytes{1, 0}, Bytes{}), 1);
}

// The constant-time ModExp against gcry_mpi_powm and against Fermat's little
// theorem in the RFC 3526 group.
TEST(GcryptBackendTest, ModExpAgreesWithPublicAndFermat) {
  const ModpGroup& group = GetModpGroup(ModpGroupId::kModp1536);
  testing::DeterministicRandom random(7);
  for (size_t size : {1, 20, 40, 192}) {
    SecretBytes exponent = random.SecretOfSize(size);
    SecretBytes base = random.SecretOfSize(200);  // wider than p
    auto secret = B().ModExp(base.view(), exponent, group.p);
    auto pub = B().ModExpPublic(base.view(), exponent.view(), group.p);
    ASSERT_TRUE(secret.ok() && pub.ok());
    EXPECT_EQ(secret->Declassify(), *pub) << size;
  }
  // g^(p-1) = 1 (p is odd, so p - 1 only changes the last byte).
  Bytes p_minus_1 = group.p;
  p_minus_1.back() -= 1;
  auto one = B().ModExp(group.g, SecretBytes(p_minus_1), group.p);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->Declassify(), Bytes{1});
  // q = (p-1)/2 is the order of g = 2.
  EXPECT_EQ(B().ModExp(group.g, SecretBytes(group.q), group.p)->Declassify(), Bytes{1});
}

// The blinding unit must be invertible; odd composite moduli work too.
TEST(GcryptBackendTest, ModExpWithCompositeModulus) {
  EXPECT_EQ(ToHex(B().ModExp(Bytes{2}, SecretBytes(Bytes{4}), Bytes{15})->view()), "01");
  EXPECT_EQ(ToHex(B().ModExp(Bytes{7}, SecretBytes(Bytes{3}), Bytes{9})->view()), "01");  // 343
  EXPECT_TRUE(B().ModExp(Bytes{3}, SecretBytes(Bytes{2}), Bytes{9})->empty());
  testing::DeterministicRandom random(11);
  for (int i = 0; i < 4; ++i) {
    Bytes m = random.SecretOfSize(64).Declassify();
    m.back() |= 1;
    m.front() |= 0x80;
    SecretBytes base = random.SecretOfSize(64), exponent = random.SecretOfSize(33);
    EXPECT_EQ(B().ModExp(base.view(), exponent, m)->Declassify(),
              *B().ModExpPublic(base.view(), exponent.view(), m));
  }
}

// --- DSA ---

class GcryptDsaTest : public ::testing::Test {
 protected:
  static const DsaPrivateKey& Key() {
    static const DsaPrivateKey* key = new DsaPrivateKey(*GcryptBackend().GenerateDsaKey());
    return *key;
  }
};

TEST_F(GcryptDsaTest, GeneratedKeyHasOtrShape) {
  const DsaPrivateKey& key = Key();
  EXPECT_EQ(key.pub.p.size(), 128u);
  EXPECT_EQ(key.pub.q.size(), 20u);
  // g has order q and y = g^x.
  EXPECT_EQ(*B().ModExpPublic(key.pub.g, key.pub.q, key.pub.p), Bytes{1});
  EXPECT_EQ(B().ModExp(key.pub.g, key.x, key.pub.p)->Declassify(), key.pub.y);
}

TEST_F(GcryptDsaTest, SignThenVerify) {
  const DsaPrivateKey& key = Key();
  testing::DeterministicRandom random(42);
  Bytes message = B().Hash(HashAlgorithm::kSha256, AsBytes("OTR"));  // 256 bits > q
  auto signature = B().DsaSign(key, message, random);
  ASSERT_TRUE(signature.ok());
  ASSERT_EQ(signature->size(), kDsaSignatureSize);
  EXPECT_TRUE(B().DsaVerify(key.pub, message, *signature).ok());
  // The message is taken modulo q (otr v3 spec), not truncated.
  Bytes reduced = B().Mod(message, key.pub.q)->Declassify();
  EXPECT_TRUE(B().DsaVerify(key.pub, reduced, *signature).ok());
  Bytes truncated(message.begin(), message.begin() + 20);
  EXPECT_EQ(B().DsaVerify(key.pub, truncated, *signature).code(), ErrorCode::kBadSignature);

  Bytes flipped_message = message;
  flipped_message[5] ^= 1;
  EXPECT_EQ(B().DsaVerify(key.pub, flipped_message, *signature).code(), ErrorCode::kBadSignature);
  Bytes flipped_signature = *signature;
  flipped_signature[30] ^= 0x10;
  EXPECT_EQ(B().DsaVerify(key.pub, message, flipped_signature).code(), ErrorCode::kBadSignature);
  Bytes zero_r = *signature;
  std::fill(zero_r.begin(), zero_r.begin() + 20, 0);
  EXPECT_EQ(B().DsaVerify(key.pub, message, zero_r).code(), ErrorCode::kBadSignature);
  EXPECT_EQ(B().DsaVerify(key.pub, message, ByteView(*signature).first(39)).code(),
            ErrorCode::kBadSignature);
}

TEST_F(GcryptDsaTest, MalformedPublicKeysFailWithoutCrashing) {
  const DsaPrivateKey& key = Key();
  testing::DeterministicRandom random(5);
  Bytes message = {1, 2, 3};
  Bytes signature = *B().DsaSign(key, message, random);
  DsaPublicKey no_p = key.pub, no_q = key.pub, q_one = key.pub, no_g = key.pub, even_p = key.pub;
  no_p.p.clear();
  no_q.q.clear();
  q_one.q = {1};
  no_g.g.clear();
  even_p.p.back() &= 0xfe;
  EXPECT_EQ(B().DsaVerify(no_p, message, signature).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().DsaVerify(no_q, message, signature).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().DsaVerify(q_one, message, signature).code(), ErrorCode::kBadSignature);
  EXPECT_FALSE(B().DsaVerify(no_g, message, signature).ok());
  EXPECT_FALSE(B().DsaVerify(even_p, message, signature).ok());
}

// --- Ed448 group ---

TEST(GcryptEd448Test, BaseAndIdentity) {
  EXPECT_EQ(PointHex(B(), B().Ed448Base()), kBase);
  EXPECT_EQ(PointHex(B(), B().Ed448Identity()), "01" + std::string(112, '0'));
}

TEST(GcryptEd448Test, GroupLaws) {
  const Ed448Point base = B().Ed448Base();
  const Ed448Point identity = B().Ed448Identity();
  EXPECT_TRUE(Same(B().Ed448MulBase(SmallScalar(1)), base));
  EXPECT_TRUE(Same(B().Ed448Mul(base, SmallScalar(1)), base));
  EXPECT_EQ(PointHex(B(), B().Ed448Add(base, base)), kTwoBase);
  EXPECT_TRUE(Same(B().Ed448MulBase(SmallScalar(2)), B().Ed448Add(base, base)));
  EXPECT_TRUE(Same(B().Ed448Sub(B().Ed448Add(base, base), base), base));
  EXPECT_TRUE(Same(B().Ed448Sub(base, base), identity));
  EXPECT_TRUE(Same(B().Ed448Add(base, identity), base));
  EXPECT_TRUE(Same(B().Ed448Negate(identity), identity));
  EXPECT_TRUE(Same(B().Ed448Add(base, B().Ed448Negate(base)), identity));
  // (q - 1)·B = -B and q·B = 0 (the scalar is taken mod q).
  EXPECT_TRUE(Same(B().Ed448MulBase(Secret(kOrderMinusOne)), B().Ed448Negate(base)));
  EXPECT_TRUE(Same(B().Ed448Mul(base, Secret(kOrderMinusOne)), B().Ed448Negate(base)));
  EXPECT_TRUE(Same(B().Ed448MulBase(Secret(kOrder)), identity));
  EXPECT_TRUE(Same(B().Ed448MulBase(SmallScalar(0)), identity));
}

TEST(GcryptEd448Test, MulDistributesOverScalarAddition) {
  testing::DeterministicRandom random(3);
  SecretBytes a = B().Ed448ScalarReduce(random.SecretOfSize(114).view());
  SecretBytes b = B().Ed448ScalarReduce(random.SecretOfSize(114).view());
  EXPECT_TRUE(Same(B().Ed448MulBase(B().Ed448ScalarAdd(a, b)),
                   B().Ed448Add(B().Ed448MulBase(a), B().Ed448MulBase(b))));
  // (a·b)·B = a·(b·B)
  EXPECT_TRUE(
      Same(B().Ed448MulBase(B().Ed448ScalarMul(a, b)), B().Ed448Mul(B().Ed448MulBase(b), a)));
}

TEST(GcryptEd448Test, DecodeAcceptsValidPoints) {
  auto base = B().Ed448Decode(Hex(kBase));
  ASSERT_TRUE(base.ok());
  EXPECT_TRUE(Same(*base, B().Ed448Base()));
  auto two = B().Ed448Decode(Hex(kTwoBase));
  ASSERT_TRUE(two.ok());
  EXPECT_TRUE(Same(*two, B().Ed448MulBase(SmallScalar(2))));
}

TEST(GcryptEd448Test, DecodeRejections) {
  EXPECT_EQ(B().Ed448Decode(Bytes(56, 0)).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(B().Ed448Decode(Bytes(58, 0)).code(), ErrorCode::kInvalidEncoding);
  // The identity 0x01 || 0^56.
  Bytes identity(57, 0);
  identity[0] = 1;
  EXPECT_EQ(B().Ed448Decode(identity).code(), ErrorCode::kIdentityPoint);
  // y = p and y = p + 1 (non-canonical forms of 0 and 1, both on the curve).
  EXPECT_EQ(B().Ed448Decode(Hex(kFieldPrime)).code(), ErrorCode::kNonCanonical);
  Bytes y_p_plus_1 = Hex(kFieldPrime);
  for (size_t i = 0; i < 28; ++i) y_p_plus_1[i] = 0;  // 2^224 - 1 + 1 carries into byte 28
  y_p_plus_1[28] = 0xff;
  EXPECT_EQ(B().Ed448Decode(y_p_plus_1).code(), ErrorCode::kNonCanonical);
  // A set bit among the 7 unused bits of the last byte makes y >= 2^448.
  Bytes high = Hex(kBase);
  high[56] |= 0x01;
  EXPECT_EQ(B().Ed448Decode(high).code(), ErrorCode::kNonCanonical);
  // y = 2: (y^2 - 1)/(d y^2 - 1) is not a square mod p.
  Bytes not_on_curve(57, 0);
  not_on_curve[0] = 2;
  EXPECT_EQ(B().Ed448Decode(not_on_curve).code(), ErrorCode::kNotOnCurve);
  // (0, -1) has order 2; with the sign bit set it is non-canonical (x = 0).
  Bytes order_two = Hex(kFieldPrimeMinusOne);
  EXPECT_EQ(B().Ed448Decode(order_two).code(), ErrorCode::kNotInSubgroup);
  order_two[56] |= 0x80;
  EXPECT_EQ(B().Ed448Decode(order_two).code(), ErrorCode::kNonCanonical);
  Bytes identity_with_sign = identity;
  identity_with_sign[56] |= 0x80;
  EXPECT_EQ(B().Ed448Decode(identity_with_sign).code(), ErrorCode::kNonCanonical);
  // (1, 0) has order 4; B + (1, 0) is on the curve but not in the subgroup.
  EXPECT_EQ(B().Ed448Decode(Hex(kOrderFour)).code(), ErrorCode::kNotInSubgroup);
  EXPECT_EQ(B().Ed448Decode(Hex(kBasePlusOrderFour)).code(), ErrorCode::kNotInSubgroup);
}

// --- Ed448 scalars ---

TEST(GcryptEd448Test, ScalarDecode) {
  EXPECT_TRUE(B().Ed448ScalarDecode(Hex(kOrderMinusOne)).ok());
  EXPECT_EQ(B().Ed448ScalarDecode(Hex(kOrder)).code(), ErrorCode::kNonCanonical);
  EXPECT_EQ(B().Ed448ScalarDecode(Bytes(56, 0)).code(), ErrorCode::kNonCanonical);
  EXPECT_EQ(B().Ed448ScalarDecode(Bytes(57, 0xff)).code(), ErrorCode::kNonCanonical);
}

TEST(GcryptEd448Test, ScalarArithmetic) {
  const SecretBytes q_minus_1 = Secret(kOrderMinusOne);
  EXPECT_EQ(ToHex(B().Ed448ScalarAdd(q_minus_1, SmallScalar(2)).view()),
            ToHex(SmallScalar(1).view()));
  EXPECT_EQ(ToHex(B().Ed448ScalarSub(SmallScalar(0), SmallScalar(1)).view()), kOrderMinusOne);
  EXPECT_EQ(ToHex(B().Ed448ScalarMul(q_minus_1, q_minus_1).view()), ToHex(SmallScalar(1).view()));
  // (2^912 - 1) mod q, computed independently in Python.
  EXPECT_EQ(ToHex(B().Ed448ScalarReduce(Bytes(114, 0xff)).view()),
            "81dee731a93f88112e1dad8707160f80293ea637fb19e320c5b624bb85c972cf17ae447cc4a34bc19c1aa"
            "f70d0e4b7bc522029b723f8392900");
  EXPECT_EQ(ToHex(B().Ed448ScalarReduce(Hex(kOrder)).view()), ToHex(SmallScalar(0).view()));
}

// --- EdDSA (RFC 8032 section 7.4) ---

struct Rfc8032Vector {
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

constexpr Rfc8032Vector kVectors[] = {
    {// -----blank
     "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94"
     "492f8f032e7549a20098f95b",
     "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1"
     "e50f6cd1fa1abeafe8256180",
     "",
     "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22dd"
     "d47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda85"
     "30a113a0f4dbb61149f05a7363268c71d95808ff2e652600"},
    {// -----1 octet
     "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a6"
     "59949ef8021e954e0a12274e",
     "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb"
     "82169c235160627b4c3a9480",
     "03",
     "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7e18f62de8c"
     "cdf633fc1bf037ab7cd779805e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e7"
     "99f1953d2a0ff3348ab21aa4adafd1d234441cf807c03a00"},
};

TEST(GcryptEddsaTest, Rfc8032DerivePublicKey) {
  for (const auto& v : kVectors) {
    auto pub = B().Ed448DerivePublicKey(Secret(v.secret));
    ASSERT_TRUE(pub.ok());
    EXPECT_EQ(ToHex(*pub), v.public_key);
  }
}

TEST(GcryptEddsaTest, Rfc8032SignAndVerify) {
  for (const auto& v : kVectors) {
    auto sig = B().Ed448Sign(Secret(v.secret), Hex(v.message));
    ASSERT_TRUE(sig.ok());
    EXPECT_EQ(ToHex(*sig), v.signature);
    EXPECT_TRUE(B().Ed448Verify(Hex(v.public_key), Hex(v.message), Hex(v.signature)).ok());
  }
}

TEST(GcryptEddsaTest, VerifyRejections) {
  const auto& v = kVectors[1];
  const Bytes pub = Hex(v.public_key), msg = Hex(v.message), sig = Hex(v.signature);
  Bytes other_msg = {0x04};
  EXPECT_EQ(B().Ed448Verify(pub, other_msg, sig).code(), ErrorCode::kBadSignature);
  Bytes flipped = sig;
  flipped[3] ^= 1;
  EXPECT_EQ(B().Ed448Verify(pub, msg, flipped).code(), ErrorCode::kBadSignature);
  EXPECT_EQ(B().Ed448Verify(pub, msg, ByteView(sig).first(113)).code(), ErrorCode::kBadSignature);
  EXPECT_EQ(B().Ed448Verify(ByteView(pub).first(56), msg, sig).code(), ErrorCode::kInvalidKey);
  Bytes other_key = Hex(kVectors[0].public_key);
  EXPECT_EQ(B().Ed448Verify(other_key, msg, sig).code(), ErrorCode::kBadSignature);
  // S + L is the same value mod L; RFC 8032 section 5.2.7 rejects it.
  Bytes malleable = sig;
  Bytes order = Hex(kOrder);
  unsigned carry = 0;
  for (size_t i = 0; i < 57; ++i) {  // little-endian addition; S + L < 2^447 fits
    unsigned sum = malleable[57 + i] + order[i] + carry;
    malleable[57 + i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  EXPECT_EQ(B().Ed448Verify(pub, msg, malleable).code(), ErrorCode::kBadSignature);
}

TEST(GcryptEddsaTest, SignRejectsWrongSeedSize) {
  EXPECT_EQ(B().Ed448Sign(SecretBytes(56), Bytes()).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().Ed448DerivePublicKey(SecretBytes(58)).code(), ErrorCode::kInvalidKey);
}

}  // namespace
}  // namespace otr::crypto

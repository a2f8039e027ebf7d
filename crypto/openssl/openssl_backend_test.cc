// Focused known answers for the openssl backend, above all for the Ed448
// isogeny correction (docs/decisions/0004-decaf-isogeny.md). Values not
// quoted from an RFC come from testdata/reference_values.py (pure Python,
// RFC 8032 formulas) or from pycryptodome's independent AES.
// The cross-backend KAT, Wycheproof and differential suites live in
// tests/crypto/.
#include "crypto/openssl/openssl_backend.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

SecretBytes SecretHex(std::string_view hex) { return SecretBytes(Hex(hex)); }

const Backend& B() { return OpensslBackend(); }

// A valid point from its encoding (Ed448Decode must accept it).
Ed448Point PointHex(std::string_view hex) {
  Result<Ed448Point> point = B().Ed448Decode(Hex(hex));
  EXPECT_TRUE(point.ok()) << hex;
  return point.ok() ? *point : B().Ed448Identity();
}

Bytes Of(const Ed448Point& p) {
  const Ed448Encoding encoding = B().Ed448Encode(p);
  return Bytes(encoding.begin(), encoding.end());
}

::testing::AssertionResult Same(const Ed448Point& a, const Ed448Point& b) {
  return testing::SamePoint(B(), a, b);
}

// --- Ed448 values (RFC 8032 section 5.2; reference_values.py) ---
constexpr std::string_view kBase =
    "14fa30f25b790898adc8d74e2c13bdfdc4397ce61cffd33ad7c2a0051e9c78874098a36c7373ea4b62c7c956372076"
    "88"
    "24bcb66e71463f6900";
constexpr std::string_view kTwoBase =
    "ed8693eacdfbeada6ba0cdd1beb2bcbb98302a3a8365650db8c4d88a726de3b7d74d8835a0d76e03b0c2865020d659"
    "b3"
    "8d04d74a63e905ae80";
constexpr std::string_view kMinusBase =
    "14fa30f25b790898adc8d74e2c13bdfdc4397ce61cffd33ad7c2a0051e9c78874098a36c7373ea4b62c7c956372076"
    "88"
    "24bcb66e71463f6980";
constexpr std::string_view kIdentity =
    "0100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "000000000000000000";
// k = 0x1234567890abcdef, 57 bytes little-endian.
constexpr std::string_view kSmallScalar =
    "efcdab9078563412000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000";
constexpr std::string_view kSmallScalarTimesBase =
    "4bb3c2401d7db1e4f82c46c10709e3e52c368713c2196e5c3d8e0fb0c9b2fb5595529cb2b384f23b84f2dbbe688a00"
    "c0"
    "d89c4475888d2dfa80";
constexpr std::string_view kSmallScalarTimesTwoBase =
    "42d41476a48e7c7e2b91a2a58c066e714baf25cce893484df96465a1c551f493aea97683879ba548406561a2d140bb"
    "9d"
    "3683e1f3812ff3d880";
constexpr std::string_view kOrder =
    "f34458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffffffffff"
    "ff"
    "ffffffffffffff3f00";
constexpr std::string_view kOrderMinusOne =
    "f24458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffffffffff"
    "ff"
    "ffffffffffffff3f00";
constexpr std::string_view kQuarter =
    "3d11d6aaa430de48d56371a39c305b08a48db56bd2b61371fa8832dfffffffffffffffffffffffffffffffffffffff"
    "ff"
    "ffffffffffffff0f00";

TEST(OpensslBackendTest, Name) { EXPECT_EQ(B().name(), "openssl"); }

// --- Hashes, MACs, XOF ---

TEST(OpensslBackendTest, ShaKnownAnswers) {
  // FIPS 180-2 appendix examples, "abc".
  EXPECT_EQ(B().Hash(HashAlgorithm::kSha1, AsBytes("abc")),
            Hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
  EXPECT_EQ(B().Hash(HashAlgorithm::kSha256, AsBytes("abc")),
            Hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

TEST(OpensslBackendTest, IncrementalHashMatchesOneShot) {
  auto ctx = B().NewHash(HashAlgorithm::kSha256);
  ctx->Update(AsBytes("a"));
  ctx->Update({});
  ctx->Update(AsBytes("bc"));
  EXPECT_EQ(ctx->Finish().Declassify(), B().Hash(HashAlgorithm::kSha256, AsBytes("abc")));
}

TEST(OpensslBackendTest, HmacKnownAnswers) {
  // RFC 2202 and RFC 4231 test case 2.
  EXPECT_EQ(B().Hmac(HashAlgorithm::kSha1, AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))
                .Declassify(),
            Hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
  EXPECT_EQ(
      B().Hmac(HashAlgorithm::kSha256, AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))
          .Declassify(),
      Hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
  // RFC 4231 test case 6: a key longer than the block is hashed first.
  const Bytes long_key(131, 0xaa);
  EXPECT_EQ(B().Hmac(HashAlgorithm::kSha256, long_key,
                     AsBytes("Test Using Larger Than Block-Size Key - Hash Key First"))
                .Declassify(),
            Hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
}

TEST(OpensslBackendTest, HmacWithEmptyKey) {
  // Python's hmac module: hmac.new(b"", b"", sha1/sha256).
  EXPECT_EQ(B().Hmac(HashAlgorithm::kSha1, {}, {}).Declassify(),
            Hex("fbdb1d1b18aa6c08324b7d64b71fb76370690e1d"));
  EXPECT_EQ(B().Hmac(HashAlgorithm::kSha256, {}, {}).Declassify(),
            Hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
}

TEST(OpensslBackendTest, Shake256) {
  // FIPS 202 SHAKE256 of the empty string, first 32 bytes.
  EXPECT_EQ(B().Shake256({}, 32).Declassify(),
            Hex("46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"));
  // An XOF's shorter output is a prefix of its longer output.
  const Bytes long_out = B().Shake256(AsBytes("otr"), 200).Declassify();
  const Bytes short_out = B().Shake256(AsBytes("otr"), 57).Declassify();
  EXPECT_EQ(Bytes(long_out.begin(), long_out.begin() + 57), short_out);
  EXPECT_TRUE(B().Shake256(AsBytes("otr"), 0).empty());
}

// --- Ciphers ---

TEST(OpensslBackendTest, ChaCha20Rfc7539) {
  // RFC 7539 section 2.4.2.
  const SecretBytes key =
      SecretHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const Bytes nonce = Hex("000000000000004a00000000");
  const std::string_view plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen would be it.";
  Bytes out(plaintext.size());
  ASSERT_TRUE(B().ChaCha20(key, nonce, 1, AsBytes(plaintext), out).ok());
  EXPECT_EQ(out,
            Hex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f"
                "593dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52"
                "bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d"));
  // Decryption in place.
  ASSERT_TRUE(B().ChaCha20(key, nonce, 1, out, out).ok());
  EXPECT_EQ(out, ToBytes(plaintext));
}

TEST(OpensslBackendTest, ChaCha20RejectsBadSizesAndCounterWrap) {
  const SecretBytes key(32);
  const Bytes nonce(12);
  Bytes buf(65);
  EXPECT_EQ(B().ChaCha20(SecretBytes(16), nonce, 0, buf, buf).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().ChaCha20(key, Bytes(8), 0, buf, buf).code(), ErrorCode::kInvalidKey);
  // The last block the 32-bit counter can address is fine; one more wraps.
  EXPECT_TRUE(
      B().ChaCha20(key, nonce, 0xffffffff, ByteView(buf).first(64), MutableByteView(buf).first(64))
          .ok());
  EXPECT_EQ(B().ChaCha20(key, nonce, 0xffffffff, buf, buf).code(), ErrorCode::kOutOfRange);
}

TEST(OpensslBackendTest, Aes128CtrOtrCounterBlock) {
  // pycryptodome: AES.new(key, AES.MODE_CTR, nonce=top, initial_value=0),
  // i.e. counter block = top || 0^64, incremented as a 64-bit bottom half.
  const SecretBytes key = SecretHex("000102030405060708090a0b0c0d0e0f");
  const Bytes top = Hex("0102030405060708");
  const std::string_view plaintext = "Counter mode with OTR's top half!";  // 33 bytes
  Bytes out(plaintext.size());
  ASSERT_TRUE(B().Aes128Ctr(key, top, AsBytes(plaintext), out).ok());
  EXPECT_EQ(out, Hex("5bd51cd532048cc5caa3faa487468b0ca7b1e2ca8fdebd442f3e2e03eab0a4aa41"));
  ASSERT_TRUE(B().Aes128Ctr(key, top, out, out).ok());
  EXPECT_EQ(out, ToBytes(plaintext));
  EXPECT_EQ(B().Aes128Ctr(SecretBytes(15), top, out, out).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().Aes128Ctr(key, Bytes(16), out, out).code(), ErrorCode::kInvalidKey);
  Bytes short_out(3);
  EXPECT_FALSE(B().Aes128Ctr(key, top, out, short_out).ok());
}

// --- Modular arithmetic ---

TEST(OpensslBackendTest, ModExpSmall) {
  auto r = B().ModExp(Hex("02"), SecretHex("05"), Hex("17"));  // 2^5 mod 23
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Declassify(), Hex("09"));
  // Leading zeros on input, a base above m, minimal output.
  r = B().ModExp(Hex("000019"), SecretHex("0005"), Hex("0017"));  // 25 = 2 mod 23
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Declassify(), Hex("09"));
  // x^0 = 1; 0^x = 0 is the empty string.
  EXPECT_EQ(B().ModExp(Hex("05"), SecretBytes(), Hex("17"))->Declassify(), Hex("01"));
  EXPECT_TRUE(B().ModExp(Hex("17"), SecretHex("03"), Hex("17"))->empty());
  auto pub = B().ModExpPublic(Hex("02"), Hex("05"), Hex("17"));
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(*pub, Hex("09"));
}

TEST(OpensslBackendTest, ModExpAgreesWithPublicOnLargeValues) {
  // p = 2^255 - 19 (odd), a few hundred bits of exponent.
  const Bytes p = Hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
  const SecretBytes e =
      SecretHex("0123456789abcdeffedcba98765432100123456789abcdeffedcba98765432100123456789abcdef");
  auto secret = B().ModExp(Hex("09"), e, p);
  auto pub = B().ModExpPublic(Hex("09"), e.Declassify(), p);
  ASSERT_TRUE(secret.ok() && pub.ok());
  EXPECT_EQ(secret->Declassify(), *pub);
}

TEST(OpensslBackendTest, ModulusMustBeOddAndAboveOne) {
  for (const Bytes& m : {Bytes{}, Hex("00"), Hex("01"), Hex("16")}) {
    EXPECT_EQ(B().ModExp(Hex("02"), SecretHex("05"), m).code(), ErrorCode::kOutOfRange);
    EXPECT_EQ(B().ModExpPublic(Hex("02"), Hex("05"), m).code(), ErrorCode::kOutOfRange);
    EXPECT_EQ(B().ModMul(Hex("02"), Hex("05"), m).code(), ErrorCode::kOutOfRange);
    EXPECT_EQ(B().ModInverse(Hex("02"), m).code(), ErrorCode::kOutOfRange);
    EXPECT_EQ(B().Mod(Hex("02"), m).code(), ErrorCode::kOutOfRange);
  }
}

TEST(OpensslBackendTest, ModularOps) {
  const Bytes m = Hex("07");
  EXPECT_EQ(B().ModMul(Hex("03"), Hex("05"), m)->Declassify(), Hex("01"));
  EXPECT_EQ(B().ModAdd(Hex("05"), Hex("05"), m)->Declassify(), Hex("03"));
  EXPECT_EQ(B().ModSub(Hex("02"), Hex("05"), m)->Declassify(), Hex("04"));  // never negative
  EXPECT_TRUE(B().ModSub(Hex("05"), Hex("0c"), m)->empty());                // unreduced input
  EXPECT_EQ(B().ModInverse(Hex("03"), m)->Declassify(), Hex("05"));
  EXPECT_EQ(B().Mod(Hex("0100"), m)->Declassify(), Hex("04"));  // 256 = 36*7 + 4
  EXPECT_TRUE(B().Mod(Hex("0007"), m)->empty());
  EXPECT_EQ(B().ModInverse({}, m).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(B().ModInverse(Hex("07"), Hex("15")).code(), ErrorCode::kOutOfRange);  // gcd 7
}

TEST(OpensslBackendTest, Compare) {
  EXPECT_EQ(B().Compare(Hex("000001"), Hex("01")), 0);
  EXPECT_EQ(B().Compare({}, Hex("00")), 0);
  EXPECT_EQ(B().Compare(Hex("02"), Hex("0100")), -1);
  EXPECT_EQ(B().Compare(Hex("0100"), Hex("00ff")), 1);
  EXPECT_EQ(B().Compare(Hex("0101"), Hex("0102")), -1);
}

// --- DSA ---

class OpensslDsaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto key = OpensslBackend().GenerateDsaKey();
    ASSERT_TRUE(key.ok());
    key_ = new DsaPrivateKey(std::move(*key));
  }
  static void TearDownTestSuite() {
    delete key_;
    key_ = nullptr;
  }
  static DsaPrivateKey* key_;
};

DsaPrivateKey* OpensslDsaTest::key_ = nullptr;

TEST_F(OpensslDsaTest, GeneratedKeyHasOtrShape) {
  const DsaPublicKey& pub = key_->pub;
  EXPECT_EQ(pub.p.size(), 128u);
  EXPECT_EQ(pub.q.size(), 20u);
  // g has order q and y = g^x.
  EXPECT_EQ(*B().ModExpPublic(pub.g, pub.q, pub.p), Hex("01"));
  EXPECT_EQ(B().ModExp(pub.g, key_->x, pub.p)->Declassify(), pub.y);
}

TEST_F(OpensslDsaTest, GenericSignVerifiesAndTamperingFails) {
  testing::DeterministicRandom random(uint64_t{7});
  // A SHA-256 value, as otr v3 signs: larger than q, so it is reduced.
  const Bytes message = B().Hash(HashAlgorithm::kSha256, AsBytes("otr v3 M_B"));
  auto signature = B().DsaSign(*key_, message, random);
  ASSERT_TRUE(signature.ok());
  ASSERT_EQ(signature->size(), kDsaSignatureSize);
  EXPECT_TRUE(B().DsaVerify(key_->pub, message, *signature).ok());

  Bytes flipped = *signature;
  flipped[25] ^= 0x01;
  EXPECT_EQ(B().DsaVerify(key_->pub, message, flipped).code(), ErrorCode::kBadSignature);
  Bytes other = message;
  other[0] ^= 0x80;
  EXPECT_EQ(B().DsaVerify(key_->pub, other, *signature).code(), ErrorCode::kBadSignature);
  EXPECT_EQ(B().DsaVerify(key_->pub, message, ByteView(*signature).first(39)).code(),
            ErrorCode::kBadSignature);
}

TEST_F(OpensslDsaTest, MessageIsTakenModuloQNotTruncated) {
  testing::DeterministicRandom random(uint64_t{8});
  const Bytes message = Hex("05");
  auto signature = B().DsaSign(*key_, message, random);
  ASSERT_TRUE(signature.ok());
  // 5 + q is the same integer mod q, so it verifies too; FIPS 186
  // truncation would not reduce it. (Computed as an addition modulo an odd
  // number far above both.)
  const Bytes big_odd(24, 0xff);
  const Bytes plus_q = B().ModAdd(message, key_->pub.q, big_odd)->Declassify();
  ASSERT_GT(B().Compare(plus_q, key_->pub.q), 0);
  EXPECT_TRUE(B().DsaVerify(key_->pub, plus_q, *signature).ok());
  // A 32-byte message whose value is 5 (leading zeros) also verifies.
  Bytes padded(32, 0);
  padded.back() = 5;
  EXPECT_TRUE(B().DsaVerify(key_->pub, padded, *signature).ok());
}

TEST_F(OpensslDsaTest, RejectsOutOfRangeRAndS) {
  const Bytes message = Hex("05");
  Bytes q_padded(20 - key_->pub.q.size(), 0);
  q_padded.insert(q_padded.end(), key_->pub.q.begin(), key_->pub.q.end());
  Bytes one(20, 0);
  one.back() = 1;
  Bytes zero(20, 0);
  auto join = [](const Bytes& r, const Bytes& s) {
    Bytes out = r;
    out.insert(out.end(), s.begin(), s.end());
    return out;
  };
  EXPECT_EQ(B().DsaVerify(key_->pub, message, join(zero, one)).code(), ErrorCode::kBadSignature);
  EXPECT_EQ(B().DsaVerify(key_->pub, message, join(one, zero)).code(), ErrorCode::kBadSignature);
  EXPECT_EQ(B().DsaVerify(key_->pub, message, join(q_padded, one)).code(),
            ErrorCode::kBadSignature);
  EXPECT_EQ(B().DsaVerify(key_->pub, message, join(one, q_padded)).code(),
            ErrorCode::kBadSignature);
}

// --- Ed448 group ---

TEST(OpensslEd448Test, BaseAndIdentityEncodings) {
  EXPECT_EQ(Of(B().Ed448Base()), Hex(kBase));
  EXPECT_EQ(Of(B().Ed448Identity()), Hex(kIdentity));
}

TEST(OpensslEd448Test, ScalarMultiplesOfTheBaseMatchRfc8032Formulas) {
  // 1·B, 2·B, k·B, (q-1)·B = -B, q·B = O, (q+1)·B = B (scalars taken mod q).
  EXPECT_EQ(Of(B().Ed448MulBase(SecretHex("01"))), Hex(kBase));
  EXPECT_EQ(Of(B().Ed448MulBase(SecretHex("02"))), Hex(kTwoBase));
  EXPECT_EQ(Of(B().Ed448MulBase(SecretHex(kSmallScalar))), Hex(kSmallScalarTimesBase));
  EXPECT_EQ(Of(B().Ed448MulBase(SecretHex(kOrderMinusOne))), Hex(kMinusBase));
  EXPECT_TRUE(Same(B().Ed448MulBase(SecretHex(kOrder)), B().Ed448Identity()));
  SecretBytes q_plus_one = SecretHex(kOrder);
  q_plus_one[0] += 1;
  EXPECT_TRUE(Same(B().Ed448MulBase(q_plus_one), B().Ed448Base()));
}

TEST(OpensslEd448Test, VariableBaseMultiplication) {
  const Ed448Point base = B().Ed448Base();
  const Ed448Point two_base = PointHex(kTwoBase);
  EXPECT_TRUE(Same(B().Ed448Mul(base, SecretHex("01")), base));
  EXPECT_EQ(Of(B().Ed448Mul(base, SecretHex("02"))), Hex(kTwoBase));
  EXPECT_EQ(Of(B().Ed448Mul(two_base, SecretHex(kSmallScalar))), Hex(kSmallScalarTimesTwoBase));
  EXPECT_EQ(Of(B().Ed448Mul(base, SecretHex(kOrderMinusOne))), Hex(kMinusBase));
  EXPECT_TRUE(Same(B().Ed448Mul(base, SecretHex(kOrder)), B().Ed448Identity()));
  EXPECT_TRUE(
      Same(B().Ed448Mul(B().Ed448Identity(), SecretHex(kSmallScalar)), B().Ed448Identity()));
  // The scalar 1/4: a missing or doubled correction would give B or B/16.
  const Ed448Point quarter_of_4b =
      B().Ed448Mul(B().Ed448MulBase(SecretHex("04")), SecretHex(kQuarter));
  EXPECT_TRUE(Same(quarter_of_4b, base));
}

TEST(OpensslEd448Test, AddSubNegate) {
  const Ed448Point base = B().Ed448Base();
  const Ed448Point identity = B().Ed448Identity();
  EXPECT_EQ(Of(B().Ed448Add(base, base)), Hex(kTwoBase));
  EXPECT_TRUE(Same(B().Ed448Sub(PointHex(kTwoBase), base), base));
  EXPECT_EQ(Of(B().Ed448Negate(base)), Hex(kMinusBase));
  EXPECT_TRUE(Same(B().Ed448Negate(identity), identity));
  EXPECT_TRUE(Same(B().Ed448Add(base, B().Ed448Negate(base)), identity));
  EXPECT_TRUE(Same(B().Ed448Sub(base, base), identity));
  EXPECT_TRUE(Same(B().Ed448Add(identity, base), base));
  EXPECT_TRUE(Same(B().Ed448Add(base, identity), base));
  EXPECT_TRUE(Same(B().Ed448Add(identity, identity), identity));
  EXPECT_EQ(Of(B().Ed448Sub(identity, base)), Hex(kMinusBase));
  // k·B + k·B = k·(2B): addition of two arbitrary points.
  const Ed448Point kb = PointHex(kSmallScalarTimesBase);
  EXPECT_EQ(Of(B().Ed448Add(kb, kb)), Hex(kSmallScalarTimesTwoBase));
}

TEST(OpensslEd448Test, GroupLawsOnRandomScalars) {
  // Homomorphism checks that tie scalar and point arithmetic together:
  // a·B + b·B = (a+b)·B, b·(a·B) = (ab)·B, a·B - b·B = a·B + -(b·B), and
  // every result decodes (canonical, in the subgroup).
  testing::DeterministicRandom random(uint64_t{448});
  for (int i = 0; i < 8; ++i) {
    const SecretBytes a = B().Ed448ScalarReduce(random.SecretOfSize(114).view());
    const SecretBytes b = B().Ed448ScalarReduce(random.SecretOfSize(114).view());
    const Ed448Point a_b = B().Ed448MulBase(a);
    const Ed448Point b_b = B().Ed448MulBase(b);
    EXPECT_TRUE(Same(B().Ed448Add(a_b, b_b), B().Ed448MulBase(B().Ed448ScalarAdd(a, b))));
    EXPECT_TRUE(Same(B().Ed448Mul(a_b, b), B().Ed448MulBase(B().Ed448ScalarMul(a, b))));
    EXPECT_TRUE(Same(B().Ed448Sub(a_b, b_b), B().Ed448Add(a_b, B().Ed448Negate(b_b))));
    EXPECT_TRUE(Same(B().Ed448Sub(a_b, b_b), B().Ed448MulBase(B().Ed448ScalarSub(a, b))));
    auto decoded = B().Ed448Decode(Of(a_b));
    ASSERT_TRUE(decoded.ok());
    EXPECT_TRUE(Same(*decoded, a_b));
  }
}

TEST(OpensslEd448Test, DecodeAcceptsValidPoints) {
  for (std::string_view hex : {kBase, kTwoBase, kMinusBase, kSmallScalarTimesBase}) {
    auto decoded = B().Ed448Decode(Hex(hex));
    ASSERT_TRUE(decoded.ok()) << hex;
    EXPECT_EQ(Of(*decoded), Hex(hex));
  }
}

ErrorCode DecodeError(const Bytes& encoded) {
  auto decoded = OpensslBackend().Ed448Decode(encoded);
  return decoded.ok() ? static_cast<ErrorCode>(-1) : decoded.code();
}

Bytes WithSignBit(Bytes encoded) {
  encoded[56] |= 0x80;
  return encoded;
}

TEST(OpensslEd448Test, DecodeRejections) {
  // Wrong sizes.
  EXPECT_EQ(DecodeError(Bytes(56, 0)), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeError(Bytes(58, 0)), ErrorCode::kInvalidEncoding);
  // (a) The identity; with the sign bit set it is also non-canonical.
  EXPECT_EQ(DecodeError(Hex(kIdentity)), ErrorCode::kIdentityPoint);
  EXPECT_EQ(DecodeError(WithSignBit(Hex(kIdentity))), ErrorCode::kNonCanonical);
  // (b) Low-order points: (0, -1) of order 2 (y = p - 1), and (±1, 0) of
  // order 4 (y = 0, both signs).
  const Bytes minus_one =
      Hex("fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffff"
          "ffffff"
          "ffffffffffffffffff00");
  EXPECT_EQ(DecodeError(minus_one), ErrorCode::kNotInSubgroup);
  EXPECT_EQ(DecodeError(WithSignBit(minus_one)), ErrorCode::kNonCanonical);
  EXPECT_EQ(DecodeError(Bytes(57, 0)), ErrorCode::kNotInSubgroup);
  EXPECT_EQ(DecodeError(WithSignBit(Bytes(57, 0))), ErrorCode::kNotInSubgroup);
  // (c) y >= p: y = p, y = p + 1 (which would be the identity), and bits
  // 448..454 set.
  const Bytes p =
      Hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffff"
          "ffffff"
          "ffffffffffffffffff00");
  EXPECT_EQ(DecodeError(p), ErrorCode::kNonCanonical);
  Bytes p_plus_one = p;
  p_plus_one[0] = 0x00;
  p_plus_one[28] = 0xff;
  EXPECT_EQ(DecodeError(p_plus_one), ErrorCode::kNonCanonical);
  Bytes high_bits = Hex(kBase);
  high_bits[56] |= 0x01;
  EXPECT_EQ(DecodeError(high_bits), ErrorCode::kNonCanonical);
  // (d) y = 2 has no x on the curve.
  Bytes off_curve(57, 0);
  off_curve[0] = 2;
  EXPECT_EQ(DecodeError(off_curve), ErrorCode::kNotOnCurve);
  // (e) B plus a point of order 4, and B plus the point of order 2.
  EXPECT_EQ(
      DecodeError(Hex("a13ff338d457d9d9716cff741e7fc4bcee9a49d508e551ed9b5b2c5cda1c921598e8f0b"
                      "88f9aeb6125c940dd59eae2dd12f21294398fe6b000")),
      ErrorCode::kNotInSubgroup);
  EXPECT_EQ(
      DecodeError(Hex("eb05cf0da486f767523728b1d3ec42023bc68319e3002cc5283d5ffae0638778bf675c9"
                      "38c8c15b49d3836a9c8df8977db4349918eb9c09680")),
      ErrorCode::kNotInSubgroup);
}

// --- Ed448 scalars ---

TEST(OpensslEd448Test, ScalarDecode) {
  auto ok = B().Ed448ScalarDecode(Hex(kOrderMinusOne));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->Declassify(), Hex(kOrderMinusOne));
  EXPECT_EQ(B().Ed448ScalarDecode(Hex(kOrder)).code(), ErrorCode::kNonCanonical);
  EXPECT_EQ(B().Ed448ScalarDecode(Bytes(56, 0)).code(), ErrorCode::kNonCanonical);
  Bytes top_byte(57, 0);
  top_byte[56] = 1;
  EXPECT_EQ(B().Ed448ScalarDecode(top_byte).code(), ErrorCode::kNonCanonical);
}

TEST(OpensslEd448Test, ScalarArithmetic) {
  const Bytes zero(57, 0);
  Bytes one(57, 0);
  one[0] = 1;
  EXPECT_EQ(B().Ed448ScalarReduce(Hex(kOrder)).Declassify(), zero);
  EXPECT_EQ(B().Ed448ScalarReduce({}).Declassify(), zero);
  // (2^912 - 1) mod q, the reduction of a 114-byte all-ones hash.
  EXPECT_EQ(B().Ed448ScalarReduce(Bytes(114, 0xff)).Declassify(),
            Hex("81dee731a93f88112e1dad8707160f80293ea637fb19e320c5b624bb85c972cf17ae447cc4a34bc1"
                "9c1aaf70d0e4b7bc522029b723f8392900"));
  EXPECT_EQ(B().Ed448ScalarAdd(SecretHex(kOrderMinusOne), SecretHex("02")).Declassify(), one);
  EXPECT_EQ(B().Ed448ScalarSub(SecretBytes(zero), SecretHex("01")).Declassify(),
            Hex(kOrderMinusOne));
  EXPECT_EQ(B().Ed448ScalarMul(SecretHex(kQuarter), SecretHex("04")).Declassify(), one);
}

// --- EdDSA (RFC 8032 section 7.4) ---

struct EddsaVector {
  std::string_view seed, public_key, message, signature;
};

constexpr EddsaVector kRfc8032Vectors[] = {
    {// -----blank
     "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492"
     "f"
     "8f032e7549a20098f95b",
     "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50"
     "f"
     "6cd1fa1abeafe8256180",
     "",
     "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47"
     "d"
     "7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a"
     "0"
     "f4dbb61149f05a7363268c71d95808ff2e652600"},
    {// -----1 octet
     "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a6599"
     "4"
     "9ef8021e954e0a12274e",
     "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb821"
     "6"
     "9c235160627b4c3a9480",
     "03",
     "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7e18f62de8ccdf"
     "6"
     "33fc1bf037ab7cd779805e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e799f1953"
     "d"
     "2a0ff3348ab21aa4adafd1d234441cf807c03a00"},
};

TEST(OpensslEddsaTest, Rfc8032Vectors) {
  for (const EddsaVector& v : kRfc8032Vectors) {
    const SecretBytes seed = SecretHex(v.seed);
    auto pub = B().Ed448DerivePublicKey(seed);
    ASSERT_TRUE(pub.ok());
    EXPECT_EQ(*pub, Hex(v.public_key));
    auto signature = B().Ed448Sign(seed, Hex(v.message));
    ASSERT_TRUE(signature.ok());
    EXPECT_EQ(*signature, Hex(v.signature));
    EXPECT_TRUE(B().Ed448Verify(*pub, Hex(v.message), *signature).ok());
    Bytes bad = *signature;
    bad[3] ^= 0x10;
    EXPECT_EQ(B().Ed448Verify(*pub, Hex(v.message), bad).code(), ErrorCode::kBadSignature);
    EXPECT_EQ(B().Ed448Verify(*pub, AsBytes("other"), *signature).code(), ErrorCode::kBadSignature);
  }
}

TEST(OpensslEddsaTest, PublicKeyEqualsMulBaseOfTheSecretScalar) {
  // RFC 8032 section 5.2.5: s = clamp(SHAKE256(seed, 114)[0..57]), A = s·B.
  // OpenSSL computes A; libdecaf (through the isogeny helper) computes s·B.
  for (const EddsaVector& v : kRfc8032Vectors) {
    SecretBytes h = B().Shake256(Hex(v.seed), 114);
    SecretBytes s(ByteView(h.data(), 57));
    s[0] &= 0xfc;
    s[55] |= 0x80;
    s[56] = 0;
    EXPECT_EQ(Of(B().Ed448MulBase(s)), Hex(v.public_key));
    EXPECT_EQ(Of(B().Ed448Mul(B().Ed448Base(), s)), Hex(v.public_key));
  }
}

TEST(OpensslEddsaTest, WrongSizes) {
  EXPECT_EQ(B().Ed448DerivePublicKey(SecretBytes(56)).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().Ed448Sign(SecretBytes(58), {}).code(), ErrorCode::kInvalidKey);
  const Bytes pub = Hex(kRfc8032Vectors[0].public_key);
  const Bytes sig = Hex(kRfc8032Vectors[0].signature);
  EXPECT_EQ(B().Ed448Verify(ByteView(pub).first(56), {}, sig).code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(B().Ed448Verify(pub, {}, ByteView(sig).first(113)).code(), ErrorCode::kBadSignature);
}

}  // namespace
}  // namespace otr::crypto

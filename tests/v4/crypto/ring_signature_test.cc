// RSig and RVrf (otrv4.md, Appendix "Ring Signature Authentication") on
// every backend: a signature verifies whichever of the three keys signed
// it, and RVrf rejects any change to sigma, the message, the keys or their
// order, scalars that are not below q, and points that are not valid.
#include "protocol/v4/crypto/ring_signature.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/keys.h"
#include "tests/crypto/test_util.h"

namespace otr::v4 {
namespace {

using crypto::Ed448Encoding;
using crypto::SecretBytes;
using crypto::testing::BackendTest;
using crypto::testing::DeterministicRandom;
using crypto::testing::FromHex;

// Little-endian a + b over 57 bytes (no carry out for the values used).
ScalarBytes AddLittleEndian(const ScalarBytes& a, const ScalarBytes& b) {
  ScalarBytes out{};
  unsigned carry = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const unsigned sum = a[i] + b[i] + carry;
    out[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  return out;
}

class RingSignatureTest : public BackendTest {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      Result<EcdhKeyPair> pair = GenerateEcdh(backend(), random_);
      ASSERT_TRUE(pair.ok());
      secrets_[i] = pair->secret();
      keys_[i] = backend().Ed448Encode(pair->pub());
    }
  }

  Ring ring() const {
    return {*backend().Ed448Decode(keys_[0]), *backend().Ed448Decode(keys_[1]),
            *backend().Ed448Decode(keys_[2])};
  }

  RingSigma Sign(int signer, ByteView m) {
    Result<RingSigma> sigma = RSig(backend(), secrets_[signer], ring(), m, random_);
    EXPECT_TRUE(sigma.ok());
    return sigma.ok() ? *sigma : RingSigma{};
  }

  DeterministicRandom random_{uint64_t{16}};
  std::array<SecretBytes, 3> secrets_;
  RingEncodings keys_{};
  const Bytes m_ = ToBytes("t = 0x00 || KDF(...) || ...");
};

TEST_P(RingSignatureTest, VerifiesForEachSignerPosition) {
  for (int signer = 0; signer < 3; ++signer) {
    const RingSigma sigma = Sign(signer, m_);
    EXPECT_TRUE(RVrf(backend(), keys_, sigma, m_).ok()) << "signer " << signer;
    EXPECT_TRUE(RVrf(backend(), ring(), sigma, m_).ok()) << "signer " << signer;
    // Every scalar is canonical (below q), as RVrf requires.
    for (const ScalarBytes* s :
         {&sigma.c1, &sigma.r1, &sigma.c2, &sigma.r2, &sigma.c3, &sigma.r3}) {
      EXPECT_TRUE(backend().Ed448ScalarDecode(*s).ok());
    }
  }
}

TEST_P(RingSignatureTest, EmptyAndLongMessages) {
  const Bytes empty;
  EXPECT_TRUE(RVrf(backend(), keys_, Sign(0, empty), empty).ok());
  const Bytes long_m(10000, 0xab);
  EXPECT_TRUE(RVrf(backend(), keys_, Sign(2, long_m), long_m).ok());
}

TEST_P(RingSignatureTest, RejectsAnyChangedScalar) {
  const RingSigma sigma = Sign(1, m_);
  for (int which = 0; which < 6; ++which) {
    RingSigma bad = sigma;
    ScalarBytes* fields[] = {&bad.c1, &bad.r1, &bad.c2, &bad.r2, &bad.c3, &bad.r3};
    (*fields[which])[0] ^= 0x01;  // stays below q: q's low byte is 0xf3 and the top byte 0x3f
    if (!backend().Ed448ScalarDecode(*fields[which]).ok()) continue;
    EXPECT_EQ(RVrf(backend(), keys_, bad, m_).code(), ErrorCode::kBadSignature) << which;
  }
}

TEST_P(RingSignatureTest, RejectsScalarsNotBelowQ) {
  const RingSigma sigma = Sign(0, m_);
  // c1 + q is c1 mod q: without the canonical check it would verify.
  for (int which = 0; which < 6; ++which) {
    RingSigma bad = sigma;
    ScalarBytes* fields[] = {&bad.c1, &bad.r1, &bad.c2, &bad.r2, &bad.c3, &bad.r3};
    *fields[which] = AddLittleEndian(*fields[which], kEd448OrderLittleEndian);
    const Status status = RVrf(backend(), keys_, bad, m_);
    ASSERT_FALSE(status.ok()) << which << ": a scalar of q or more was accepted";
    EXPECT_EQ(status.code(), ErrorCode::kNonCanonical) << which;
  }
  RingSigma q = sigma;
  q.r3 = kEd448OrderLittleEndian;
  EXPECT_EQ(RVrf(backend(), keys_, q, m_).code(), ErrorCode::kNonCanonical);
}

TEST_P(RingSignatureTest, RejectsOtherMessageKeysOrOrder) {
  const RingSigma sigma = Sign(2, m_);
  Bytes other = m_;
  other.back() ^= 1;
  EXPECT_EQ(RVrf(backend(), keys_, sigma, other).code(), ErrorCode::kBadSignature);
  RingEncodings swapped = {keys_[1], keys_[0], keys_[2]};
  EXPECT_EQ(RVrf(backend(), swapped, sigma, m_).code(), ErrorCode::kBadSignature);
  RingEncodings replaced = keys_;
  replaced[2] = backend().Ed448Encode(backend().Ed448Base());
  EXPECT_EQ(RVrf(backend(), replaced, sigma, m_).code(), ErrorCode::kBadSignature);
  // The prekey server's domain and usage_auth give another c.
  EXPECT_EQ(RVrf(backend(), keys_, sigma, m_, kPrekeyServerRing).code(), ErrorCode::kBadSignature);
}

TEST_P(RingSignatureTest, PrekeyServerDomain) {
  Result<RingSigma> sigma = RSig(backend(), secrets_[1], ring(), m_, random_, kPrekeyServerRing);
  ASSERT_TRUE(sigma.ok());
  EXPECT_TRUE(RVrf(backend(), keys_, *sigma, m_, kPrekeyServerRing).ok());
  EXPECT_EQ(RVrf(backend(), keys_, *sigma, m_).code(), ErrorCode::kBadSignature);
}

TEST_P(RingSignatureTest, RejectsInvalidPoints) {
  const RingSigma sigma = Sign(0, m_);
  struct Case {
    const char* what;
    std::string hex;
  };
  const std::string zeros(112, '0');
  const Case cases[] = {
      // The identity (0, 1).
      {"identity", "01" + zeros.substr(0, 110) + "00"},
      // (0, -1), of order 2.
      {"order 2",
       "fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffff"
       "ffffffffffffffffffffff00"},
      // y = p: not canonical.
      {"y = p",
       "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffff"
       "ffffffffffffffffffffff00"},
      // Bits set in the final byte besides the sign.
      {"final byte", "01" + zeros.substr(0, 110) + "01"},
      // y = 2 is not on the curve.
      {"not on curve", "02" + zeros.substr(0, 110) + "00"},
  };
  for (const Case& c : cases) {
    const Bytes encoded = FromHex(c.hex);
    ASSERT_EQ(encoded.size(), crypto::kEd448PointSize) << c.what;
    for (int position = 0; position < 3; ++position) {
      RingEncodings bad = keys_;
      std::copy(encoded.begin(), encoded.end(), bad[position].begin());
      const Status status = RVrf(backend(), bad, sigma, m_);
      EXPECT_FALSE(status.ok()) << c.what;
      EXPECT_NE(status.ok() ? ErrorCode::kBadSignature : status.code(), ErrorCode::kBadSignature)
          << c.what << ": must fail at decoding, not at the equation";
    }
  }
  Ring with_identity = ring();
  with_identity[1] = backend().Ed448Identity();
  EXPECT_EQ(RVrf(backend(), with_identity, sigma, m_).code(), ErrorCode::kIdentityPoint);
}

TEST_P(RingSignatureTest, RSigRefusesASecretOutsideTheRingAndBadInputs) {
  Result<EcdhKeyPair> stranger = GenerateEcdh(backend(), random_);
  ASSERT_TRUE(stranger.ok());
  EXPECT_EQ(RSig(backend(), stranger->secret(), ring(), m_, random_).code(),
            ErrorCode::kInvalidKey);
  EXPECT_EQ(RSig(backend(), SecretBytes(56), ring(), m_, random_).code(), ErrorCode::kInvalidKey);
  Ring with_identity = ring();
  with_identity[2] = backend().Ed448Identity();
  EXPECT_EQ(RSig(backend(), secrets_[0], with_identity, m_, random_).code(),
            ErrorCode::kIdentityPoint);
  Result<RingNonces> nonces = DrawRingNonces(backend(), random_);
  ASSERT_TRUE(nonces.ok());
  nonces->r3 = SecretBytes(3);
  EXPECT_EQ(RSigWithNonces(backend(), secrets_[0], ring(), m_, *nonces).code(),
            ErrorCode::kInvalidKey);
}

TEST_P(RingSignatureTest, SignerKeyTwiceInTheRing) {
  // {A, A, B}: the first match signs; the signature is valid.
  const Ring ring_aab = {ring()[0], ring()[0], ring()[1]};
  const RingEncodings keys_aab = {keys_[0], keys_[0], keys_[1]};
  Result<RingSigma> sigma = RSig(backend(), secrets_[0], ring_aab, m_, random_);
  ASSERT_TRUE(sigma.ok());
  EXPECT_TRUE(RVrf(backend(), keys_aab, *sigma, m_).ok());
  const Ring ring_baa = {ring()[1], ring()[0], ring()[0]};
  sigma = RSig(backend(), secrets_[0], ring_baa, m_, random_);
  ASSERT_TRUE(sigma.ok());
  EXPECT_TRUE(RVrf(backend(), ring_baa, *sigma, m_).ok());
}

TEST_P(RingSignatureTest, NoncesAreHashedAndPruned) {
  DeterministicRandom a(uint64_t{7}), b(uint64_t{7});
  Result<RingNonces> nonces = DrawRingNonces(backend(), a);
  ASSERT_TRUE(nonces.ok());
  // t1 is the first 57 bytes drawn, hashed and pruned.
  Result<SecretBytes> t1 = HashAndPrune(backend(), b.SecretOfSize(57));
  ASSERT_TRUE(t1.ok());
  EXPECT_EQ(nonces->t1, *t1);
  for (const SecretBytes* s : {&nonces->t1, &nonces->c2, &nonces->r3}) {
    EXPECT_EQ((*s)[0] & 3, 0);
    EXPECT_EQ((*s)[56], 0);
    EXPECT_EQ((*s)[55] & 0x80, 0x80);
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(RingSignatureTest);

}  // namespace
}  // namespace otr::v4

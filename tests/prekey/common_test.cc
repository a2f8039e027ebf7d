// The pieces the prekey server and its clients share (protocol/prekey/common)
// and the server's rate limiter: the proofs (generate/verify, every way a
// proof can be wrong), the transport (encoding, fragments, reassembly with
// its bounds) and the token buckets, on both crypto backends where crypto is
// involved. Plus a round-trip property of fragmentation (rapidcheck).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/common/dake_crypto.h"
#include "protocol/prekey/common/proofs.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/server/rate_limiter.h"
#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/keys.h"
#include "tests/crypto/test_util.h"

namespace otr::prekey {
namespace {

using crypto::SecretBytes;

// ---- Proofs ----

class ProofTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      auto y = v4::GenerateEcdh(backend(), random_);
      auto b = v4::GenerateDh(backend(), random_);
      ASSERT_TRUE(y.ok() && b.ok());
      ys_.push_back(y->secret());
      y_points_.push_back(y->pub());
      bs_.push_back(b->secret);
      b_pubs_.push_back(b->pub.ToBytes());
    }
  }
  crypto::testing::DeterministicRandom random_{uint64_t{7}};
  const SecretBytes m_{Bytes(64, 0x42)};
  std::vector<SecretBytes> ys_, bs_;
  std::vector<crypto::Ed448Point> y_points_;
  std::vector<Bytes> b_pubs_;
};

TEST_P(ProofTest, EcdhProofVerifiesAndNothingElseDoes) {
  const auto usage = v4::PrekeyUsage::kProofMessageEcdh;
  auto proof = GenerateEcdhProof(backend(), random_, ys_, y_points_, m_.view(), usage);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyEcdhProof(backend(), *proof, y_points_, m_.view(), usage).ok());
  // Another context m, another usage, other or fewer or reordered keys.
  const SecretBytes other_m(Bytes(64, 0x43));
  EXPECT_EQ(VerifyEcdhProof(backend(), *proof, y_points_, other_m.view(), usage).code(),
            ErrorCode::kBadProof);
  EXPECT_EQ(
      VerifyEcdhProof(backend(), *proof, y_points_, m_.view(), v4::PrekeyUsage::kProofSharedEcdh)
          .code(),
      ErrorCode::kBadProof);
  std::vector<crypto::Ed448Point> fewer(y_points_.begin(), y_points_.end() - 1);
  EXPECT_EQ(VerifyEcdhProof(backend(), *proof, fewer, m_.view(), usage).code(),
            ErrorCode::kBadProof);
  std::vector<crypto::Ed448Point> swapped = y_points_;
  std::swap(swapped[0], swapped[1]);
  EXPECT_EQ(VerifyEcdhProof(backend(), *proof, swapped, m_.view(), usage).code(),
            ErrorCode::kBadProof);
  EXPECT_EQ(VerifyEcdhProof(backend(), *proof, {}, m_.view(), usage).code(), ErrorCode::kBadProof);
  // A changed C or V.
  EcdhProof bad = *proof;
  bad.c[10] ^= 1;
  EXPECT_EQ(VerifyEcdhProof(backend(), bad, y_points_, m_.view(), usage).code(),
            ErrorCode::kBadProof);
  bad = *proof;
  bad.v[0] ^= 1;
  EXPECT_EQ(VerifyEcdhProof(backend(), bad, y_points_, m_.view(), usage).code(),
            ErrorCode::kBadProof);
  // V not below q.
  bad = *proof;
  bad.v.fill(0xff);
  EXPECT_EQ(VerifyEcdhProof(backend(), bad, y_points_, m_.view(), usage).code(),
            ErrorCode::kNonCanonical);
  // A proof by someone who does not know one of the secrets.
  std::vector<SecretBytes> wrong = ys_;
  wrong[2] = ys_[0];
  auto forged = GenerateEcdhProof(backend(), random_, wrong, y_points_, m_.view(), usage);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(VerifyEcdhProof(backend(), *forged, y_points_, m_.view(), usage).code(),
            ErrorCode::kBadProof);
}

TEST_P(ProofTest, DhProofVerifiesAndNothingElseDoes) {
  auto proof = GenerateDhProof(backend(), random_, bs_, b_pubs_, m_.view());
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyDhProof(backend(), *proof, b_pubs_, m_.view()).ok());
  const SecretBytes other_m(Bytes(64, 0x43));
  EXPECT_EQ(VerifyDhProof(backend(), *proof, b_pubs_, other_m.view()).code(), ErrorCode::kBadProof);
  std::vector<Bytes> swapped = b_pubs_;
  std::swap(swapped[0], swapped[2]);
  EXPECT_EQ(VerifyDhProof(backend(), *proof, swapped, m_.view()).code(), ErrorCode::kBadProof);
  DhProof bad = *proof;
  bad.c[0] ^= 1;
  EXPECT_EQ(VerifyDhProof(backend(), bad, b_pubs_, m_.view()).code(), ErrorCode::kBadProof);
  bad = *proof;
  bad.v.back() ^= 1;
  EXPECT_EQ(VerifyDhProof(backend(), bad, b_pubs_, m_.view()).code(), ErrorCode::kBadProof);
  bad = *proof;
  bad.v = v4::Dh3072Group().q;  // V = dh_q: not reduced
  EXPECT_EQ(VerifyDhProof(backend(), bad, b_pubs_, m_.view()).code(), ErrorCode::kOutOfRange);
  std::vector<SecretBytes> wrong = bs_;
  wrong[1] = bs_[0];
  auto forged = GenerateDhProof(backend(), random_, wrong, b_pubs_, m_.view());
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(VerifyDhProof(backend(), *forged, b_pubs_, m_.view()).code(), ErrorCode::kBadProof);
}

TEST_P(ProofTest, GivenRMustBeOfItsSizeAndNotZero) {
  const auto usage = v4::PrekeyUsage::kProofMessageEcdh;
  EXPECT_EQ(
      GenerateEcdhProofWithR(backend(), SecretBytes(Bytes(56, 0)), ys_, y_points_, m_.view(), usage)
          .code(),
      ErrorCode::kInvalidKey);
  EXPECT_EQ(
      GenerateEcdhProofWithR(backend(), SecretBytes(Bytes(57, 1)), ys_, y_points_, m_.view(), usage)
          .code(),
      ErrorCode::kInvalidKey);
  EXPECT_EQ(
      GenerateDhProofWithR(backend(), SecretBytes(Bytes(80, 0)), bs_, b_pubs_, m_.view()).code(),
      ErrorCode::kInvalidKey);
  EXPECT_EQ(GenerateEcdhProof(backend(), random_, ys_, {}, m_.view(), usage).code(),
            ErrorCode::kInvalidKey);
  // The same r gives the same proof (the vectors rely on it).
  const SecretBytes r(Bytes(56, 9));
  auto a = GenerateEcdhProofWithR(backend(), r, ys_, y_points_, m_.view(), usage);
  auto b = GenerateEcdhProofWithR(backend(), r, ys_, y_points_, m_.view(), usage);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST_P(ProofTest, SharedSecretIsTheSameOnBothSidesAndRefusesNothing) {
  auto a = v4::GenerateEcdh(backend(), random_);
  auto b = v4::GenerateEcdh(backend(), random_);
  ASSERT_TRUE(a.ok() && b.ok());
  auto ab = ServerDakeSharedSecret(backend(), a->secret(), b->pub());
  auto ba = ServerDakeSharedSecret(backend(), b->secret(), a->pub());
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_TRUE(*ab == *ba);
  EXPECT_EQ(ab->size(), kSharedSecretSize);
  EXPECT_EQ(ServerDakeSharedSecret(backend(), a->secret(), backend().Ed448Identity()).code(),
            ErrorCode::kIdentityPoint);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(ProofTest);

// ---- Transport ----

TEST(TransportTest, EncodingNeedsTheFinalDot) {
  Success s{0x100, {}};
  const std::string text = EncodeForTransport(s);
  EXPECT_EQ(text.back(), '.');
  auto back = DecodeFromTransport(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<Success>(*back), s);
  EXPECT_EQ(DecodeFromTransport(text.substr(0, text.size() - 1)).code(),
            ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeFromTransport(std::string(kMaxEncodedMessageSize + 1, 'A')).code(),
            ErrorCode::kTooLarge);
}

TEST(TransportTest, FragmentsHaveTheSpecsFormat) {
  const std::string message(100, 'A');
  auto pieces = Fragment(message, 60, 0xabc, 0x100, 0x200);
  ASSERT_TRUE(pieces.ok());
  // The longest header is 46 characters: 60 - 46 = 14 characters a piece.
  ASSERT_EQ(pieces->size(), 8u);
  EXPECT_EQ((*pieces)[0], "?OTRP|abc|100|200,1,8,AAAAAAAAAAAAAA,");
  EXPECT_EQ((*pieces)[7], "?OTRP|abc|100|200,8,8,AA,");
  for (const auto& p : *pieces) EXPECT_LE(p.size(), 60u);
  // A message that fits is not cut.
  auto whole = Fragment(message, 100, 1, 2, 3);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(*whole, std::vector<std::string>{message});
  EXPECT_EQ(Fragment(message, 46, 1, 2, 3).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(Fragment(std::string(70000, 'A'), 47, 1, 2, 3).code(), ErrorCode::kTooLarge);
}

TEST(TransportTest, ReassemblyFollowsReceivingFragments) {
  FragmentReassembler r;
  // "index is 0", "total is 0", "index is bigger than total": discarded.
  EXPECT_FALSE(r.Receive("?OTRP|1|100|200,0,2,AB,", 0, 0).ok());
  EXPECT_FALSE(r.Receive("?OTRP|1|100|200,1,0,AB,", 0, 0).ok());
  EXPECT_FALSE(r.Receive("?OTRP|1|100|200,3,2,AB,", 0, 0).ok());
  EXPECT_FALSE(r.Receive("?OTRP|1|100|200,1,2,,", 0, 0).ok());   // empty piece
  EXPECT_FALSE(r.Receive("?OTRP|1|100|200,1,2,AB", 0, 0).ok());  // no final ','
  EXPECT_FALSE(r.Receive("?OTRP|1|100,1,2,AB,", 0, 0).ok());
  EXPECT_FALSE(r.Receive("?OTRP|1|100|200,1,70000,AB,", 0, 0).ok());
  EXPECT_FALSE(r.Receive("?OTRP|1|100|123456789,1,2,AB,", 0, 0).ok());
  EXPECT_TRUE(r.empty());
  // Leading zeros, hex in either case; out of order; a repeated index is
  // refused without counting.
  auto a = r.Receive("?OTRP|0000000A|100|200,00002,2,CD,", 0, 0);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->has_value());
  EXPECT_FALSE(r.Receive("?OTRP|a|100|200,2,2,XX,", 0, 0).ok());
  auto b = r.Receive("?OTRP|a|100|200,1,2,AB,", 0, 0);
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ(**b, "ABCD");
  EXPECT_TRUE(r.empty());
  // Another total for the same identifier forgets the buffer.
  ASSERT_TRUE(r.Receive("?OTRP|5|100|200,1,3,AB,", 0, 0).ok());
  EXPECT_FALSE(r.Receive("?OTRP|5|100|200,2,2,CD,", 0, 0).ok());
  EXPECT_TRUE(r.empty());
  // Addressed to another instance: discarded (0 is anyone's).
  EXPECT_EQ(r.Receive("?OTRP|6|100|300,1,1,AB,", 0x200, 0).code(), ErrorCode::kUnknownInstance);
  EXPECT_TRUE(r.Receive("?OTRP|6|100|0,1,1,AB,", 0x200, 0).ok());
}

TEST(TransportTest, ReassemblyIsBoundedAndExpires) {
  FragmentReassembler r(ReassemblyLimits{2, 10, 60});
  ASSERT_TRUE(r.Receive("?OTRP|1|100|0,1,2,AB,", 0, 0).ok());
  ASSERT_TRUE(r.Receive("?OTRP|2|100|0,1,2,AB,", 0, 1).ok());
  // A third message being reassembled drops the oldest (1).
  ASSERT_TRUE(r.Receive("?OTRP|3|100|0,1,2,AB,", 0, 2).ok());
  auto late = r.Receive("?OTRP|1|100|0,2,2,CD,", 0, 3);  // starts again: incomplete
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->has_value());
  // More bytes than allowed: the buffer is dropped.
  EXPECT_EQ(r.Receive("?OTRP|2|100|0,2,2,CDEFGHIJKL,", 0, 4).code(), ErrorCode::kTooLarge);
  EXPECT_LE(r.buffered_bytes(), 10u);
  // A minute later everything is forgotten.
  r.Expire(63);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.buffered_bytes(), 0u);
}

RC_GTEST_PROP(TransportProperty, FragmentsReassembleInAnyOrder, ()) {
  const auto size = *rc::gen::inRange<size_t>(1, 5000);
  const std::string message =
      *rc::gen::container<std::string>(size, rc::gen::element('A', 'b', '+', '/', '=', '.', '0'));
  const auto max = *rc::gen::inRange<size_t>(47, 6000);
  const auto id = *rc::gen::arbitrary<uint32_t>();
  auto pieces = Fragment(message, max, id, 0x100, 0x200);
  RC_ASSERT(pieces.ok());
  const auto keys =
      *rc::gen::container<std::vector<uint32_t>>(pieces->size(), rc::gen::arbitrary<uint32_t>());
  std::vector<size_t> order(pieces->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<std::string> shuffled;
  for (size_t i : order) shuffled.push_back((*pieces)[i]);
  FragmentReassembler r;
  std::optional<std::string> got;
  if (shuffled.size() == 1 && !IsFragment(shuffled[0])) {
    got = shuffled[0];
  } else {
    for (size_t i = 0; i < shuffled.size(); ++i) {
      RC_ASSERT(shuffled[i].size() <= max);
      auto out = r.Receive(shuffled[i], 0x200, 0);
      RC_ASSERT(out.ok());
      RC_ASSERT(out->has_value() == (i + 1 == shuffled.size()));
      if (out->has_value()) got = **out;
    }
  }
  RC_ASSERT(got.has_value());
  RC_ASSERT(*got == message);
  RC_ASSERT(r.empty());
}

// ---- Rate limiter ----

TEST(RateLimiterTest, BucketsRefillAndAreIndependent) {
  RateLimiter limiter({3, 10}, 100);
  EXPECT_TRUE(limiter.Allow("a", 0));
  EXPECT_TRUE(limiter.Allow("a", 0));
  EXPECT_TRUE(limiter.Allow("a", 0));
  EXPECT_FALSE(limiter.Allow("a", 0));
  EXPECT_FALSE(limiter.WouldAllow("a", 9));
  EXPECT_TRUE(limiter.Allow("b", 0));   // another key, its own bucket
  EXPECT_TRUE(limiter.Allow("a", 10));  // one token back after 10 s
  EXPECT_FALSE(limiter.Allow("a", 19));
  EXPECT_TRUE(limiter.WouldAllow("a", 1000));
  // Never more than the burst, however long the wait.
  EXPECT_TRUE(limiter.Allow("a", 1000));
  EXPECT_TRUE(limiter.Allow("a", 1000));
  EXPECT_TRUE(limiter.Allow("a", 1000));
  EXPECT_FALSE(limiter.Allow("a", 1000));
}

TEST(RateLimiterTest, KeysAreBoundedAndFullBucketsForgotten) {
  RateLimiter limiter({2, 10}, 2);
  EXPECT_TRUE(limiter.Allow("a", 0));
  EXPECT_TRUE(limiter.Allow("b", 0));
  EXPECT_FALSE(limiter.Allow("c", 0));  // no room: refused (fails closed)
  EXPECT_EQ(limiter.tracked(), 2u);
  EXPECT_TRUE(limiter.Allow("c", 10));  // a and b are full again: forgotten
  EXPECT_LE(limiter.tracked(), 2u);
  RateLimiter unlimited({0, 0}, 0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(unlimited.Allow("x", 0));
}

}  // namespace
}  // namespace otr::prekey

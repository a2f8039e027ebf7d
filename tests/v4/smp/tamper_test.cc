// Every field of every v4 SMP message, tampered with, is refused by the step
// that receives it (otrv4.md, "Receiving a SMP Message 1" .. "Receiving a
// SMP Message 4": "Check that ... are on curve Ed448", "Check that c ==
// HashToScalar(...)"), on every backend: a flipped byte; for a POINT the
// identity, points of order 2 and 4, the genuine point plus the point of
// order 2 (on the curve, outside the prime-order subgroup), an off-curve
// and a non-canonical encoding and a valid but wrong point; for a SCALAR a
// wrong value, zero, and the genuine value plus q (the same mod q, so only
// the "below q" check catches it). After every refusal the genuine message
// still passes with the same state: a refusal changes nothing.
#include <gtest/gtest.h>

#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/smp/ed448_group.h"
#include "tests/crypto/test_util.h"

namespace otr::v4::smp {
namespace {

using crypto::testing::CodeName;
using crypto::testing::DeterministicRandom;
using crypto::testing::FromHex;
using ::otr::smp::Finished;
using ::otr::smp::Made;

constexpr size_t kField = 57;

// Encodings from tests/crypto/kat_ed448_test.cc (RFC 8032 and plain Python).
constexpr std::string_view kBase =
    "14fa30f25b790898adc8d74e2c13bdfdc4397ce61cffd33ad7c2a0051e9c78874098a36c7373ea4b62c7c956"
    "3720768824bcb66e71463f6900";
constexpr std::string_view kOrder =
    "f34458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffff3f00";
constexpr std::string_view kIdentity =
    "0100000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000";
constexpr std::string_view kOrder2 =
    "fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffffff00";
constexpr std::string_view kOrder4 =
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000080";

// y = 2 has no x on the curve (kat_ed448_test: kNotOnCurve).
Bytes OffCurve() {
  Bytes b(kField, 0);
  b[0] = 2;
  return b;
}

// p = 2^448 - 2^224 - 1, little-endian, 57 bytes.
Bytes FieldPrime() {
  Bytes p(kField, 0xff);
  p[28] = 0xfe;
  p[56] = 0x00;
  return p;
}

// P + (0, -1) = (-x, -y): y' = p - y and the sign of x flips (x != 0 for a
// point of the prime-order subgroup other than the identity).
Bytes PlusOrder2(ByteView point) {
  const Bytes p = FieldPrime();
  Bytes out(kField, 0);
  int borrow = 0;
  for (size_t i = 0; i < 56; ++i) {
    int d = p[i] - point[i] - borrow;
    borrow = d < 0 ? 1 : 0;
    out[i] = static_cast<uint8_t>(d + (borrow << 8));
  }
  out[56] = static_cast<uint8_t>((point[56] & 0x80) ^ 0x80);
  return out;
}

// value + q, little-endian (fits: value < q < 2^446).
Bytes PlusOrder(ByteView scalar) {
  const Bytes q = FromHex(kOrder);
  Bytes out(kField, 0);
  unsigned carry = 0;
  for (size_t i = 0; i < kField; ++i) {
    const unsigned sum = scalar[i] + q[i] + carry;
    out[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  return out;
}

enum class Kind { kPoint, kScalar };
struct Field {
  const char* name;
  Kind kind;
};

// The fields in body order ("SMP Message 1" .. "SMP Message 4").
const std::vector<Field> kSmp1 = {{"G2a", Kind::kPoint}, {"c2", Kind::kScalar},
                                  {"d2", Kind::kScalar}, {"G3a", Kind::kPoint},
                                  {"c3", Kind::kScalar}, {"d3", Kind::kScalar}};
const std::vector<Field> kSmp2 = {
    {"G2b", Kind::kPoint}, {"c2", Kind::kScalar}, {"d2", Kind::kScalar}, {"G3b", Kind::kPoint},
    {"c3", Kind::kScalar}, {"d3", Kind::kScalar}, {"Pb", Kind::kPoint},  {"Qb", Kind::kPoint},
    {"cp", Kind::kScalar}, {"d5", Kind::kScalar}, {"d6", Kind::kScalar}};
const std::vector<Field> kSmp3 = {
    {"Pa", Kind::kPoint},  {"Qa", Kind::kPoint}, {"cp", Kind::kScalar}, {"d5", Kind::kScalar},
    {"d6", Kind::kScalar}, {"Ra", Kind::kPoint}, {"cr", Kind::kScalar}, {"d7", Kind::kScalar}};
const std::vector<Field> kSmp4 = {
    {"Rb", Kind::kPoint}, {"cr", Kind::kScalar}, {"d7", Kind::kScalar}};

struct Mutation {
  std::string name;
  std::function<Bytes(ByteView genuine)> apply;
  std::optional<ErrorCode> code;  // nullopt: any error
};

std::vector<Mutation> PointMutations() {
  auto constant = [](Bytes b) { return [b](ByteView) { return b; }; };
  return {
      {"flip first byte",
       [](ByteView g) {
         Bytes b(g.begin(), g.end());
         b[0] ^= 0x01;
         return b;
       },
       std::nullopt},
      {"flip sign bit (-P)",
       [](ByteView g) {
         Bytes b(g.begin(), g.end());
         b[56] ^= 0x80;
         return b;
       },
       ErrorCode::kBadProof},
      {"identity", constant(FromHex(kIdentity)), ErrorCode::kIdentityPoint},
      {"order 2", constant(FromHex(kOrder2)), ErrorCode::kNotInSubgroup},
      {"order 4", constant(FromHex(kOrder4)), ErrorCode::kNotInSubgroup},
      {"genuine + order 2", [](ByteView g) { return PlusOrder2(g); }, ErrorCode::kNotInSubgroup},
      {"off curve", constant(OffCurve()), ErrorCode::kNotOnCurve},
      {"y = p", constant(FieldPrime()), ErrorCode::kNonCanonical},
      {"base point", constant(FromHex(kBase)), ErrorCode::kBadProof},
  };
}

std::vector<Mutation> ScalarMutations() {
  return {
      {"flip first byte",
       [](ByteView g) {
         Bytes b(g.begin(), g.end());
         b[0] ^= 0x01;
         return b;
       },
       ErrorCode::kBadProof},
      {"zero", [](ByteView) { return Bytes(kField, 0); }, ErrorCode::kBadProof},
      {"genuine + q", [](ByteView g) { return PlusOrder(g); }, ErrorCode::kNonCanonical},
      {"last byte set",
       [](ByteView g) {
         Bytes b(g.begin(), g.end());
         b[56] = 0x01;
         return b;
       },
       ErrorCode::kNonCanonical},
  };
}

const Fingerprint kAliceFp = [] {
  Fingerprint fp;
  std::iota(fp.begin(), fp.end(), 0x10);
  return fp;
}();
const Fingerprint kBobFp = [] {
  Fingerprint fp;
  std::iota(fp.begin(), fp.end(), 0x80);
  return fp;
}();
const Ssid kSsid = {9, 8, 7, 6, 5, 4, 3, 2};

class SmpTamperTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    DeterministicRandom alice_random(31), bob_random(32);
    auto m1 = alice_.MakeSmp1(alice_random, alice_.Secret(true, AsBytes("s")));
    ASSERT_TRUE(m1.ok());
    m1_ = std::move(m1).value();
    auto m2 = bob_.MakeSmp2(bob_random, m1_.body, bob_.Secret(false, AsBytes("s")));
    ASSERT_TRUE(m2.ok());
    m2_ = std::move(m2).value();
    auto m3 = alice_.ProcessSmp2(alice_random, m1_.state, m2_.body);
    ASSERT_TRUE(m3.ok());
    m3_ = std::move(m3).value();
    auto m4 = bob_.ProcessSmp3(bob_random, m2_.state, m3_.body);
    ASSERT_TRUE(m4.ok());
    m4_ = std::move(m4).value();
  }

  // Applies every mutation to every field of `body` (fields start at
  // `offset`) and expects `step` to refuse each, then to accept `body`.
  void ExpectEveryFieldChecked(const Bytes& body, size_t offset, const std::vector<Field>& fields,
                               const std::function<Status(ByteView)>& step) {
    ASSERT_EQ(body.size(), offset + fields.size() * kField);
    size_t refused = 0;
    for (size_t f = 0; f < fields.size(); ++f) {
      const size_t at = offset + f * kField;
      const ByteView genuine = ByteView(body).subspan(at, kField);
      for (const Mutation& m :
           fields[f].kind == Kind::kPoint ? PointMutations() : ScalarMutations()) {
        SCOPED_TRACE(std::string(fields[f].name) + ": " + m.name);
        Bytes tampered = body;
        const Bytes value = m.apply(genuine);
        ASSERT_EQ(value.size(), kField);
        std::copy(value.begin(), value.end(), tampered.begin() + static_cast<std::ptrdiff_t>(at));
        ASSERT_NE(tampered, body);
        const Status s = step(tampered);
        ASSERT_FALSE(s.ok());
        if (m.code) {
          EXPECT_EQ(CodeName(s.code()), CodeName(*m.code));
        }
        ++refused;
      }
    }
    EXPECT_GT(refused, fields.size());
    // Truncated, extended.
    EXPECT_EQ(step(ByteView(body).first(body.size() - 1)).code(), ErrorCode::kTruncated);
    Bytes longer = body;
    longer.push_back(0);
    EXPECT_EQ(step(longer).code(), ErrorCode::kTrailingBytes);
    // Nothing changed: the genuine message passes with the same state.
    EXPECT_TRUE(step(body).ok());
  }

  const Ed448Group alice_{backend(), kAliceFp, kBobFp, kSsid};
  const Ed448Group bob_{backend(), kBobFp, kAliceFp, kSsid};
  Made m1_, m2_, m3_;
  Finished m4_;
};

TEST_P(SmpTamperTest, Message1VerifyChecksEveryField) {
  ExpectEveryFieldChecked(m1_.body, 4, kSmp1, [&](ByteView b) { return bob_.VerifySmp1(b); });
}

// MakeSmp2 repeats the checks of message 1: it trusts nothing it is handed.
TEST_P(SmpTamperTest, Message1AnswerChecksEveryField) {
  ExpectEveryFieldChecked(m1_.body, 4, kSmp1, [&](ByteView b) -> Status {
    DeterministicRandom random(33);
    auto r = bob_.MakeSmp2(random, b, bob_.Secret(false, AsBytes("s")));
    if (!r.ok()) return r.error();
    return Status::Ok();
  });
}

TEST_P(SmpTamperTest, Message2ChecksEveryField) {
  ExpectEveryFieldChecked(m2_.body, 0, kSmp2, [&](ByteView b) -> Status {
    DeterministicRandom random(34);
    auto r = alice_.ProcessSmp2(random, m1_.state, b);
    if (!r.ok()) return r.error();
    return Status::Ok();
  });
}

TEST_P(SmpTamperTest, Message3ChecksEveryField) {
  ExpectEveryFieldChecked(m3_.body, 0, kSmp3, [&](ByteView b) -> Status {
    DeterministicRandom random(35);
    auto r = bob_.ProcessSmp3(random, m2_.state, b);
    if (!r.ok()) return r.error();
    EXPECT_TRUE(r->secrets_match);
    return Status::Ok();
  });
}

TEST_P(SmpTamperTest, Message4ChecksEveryField) {
  ExpectEveryFieldChecked(m4_.body, 0, kSmp4, [&](ByteView b) -> Status {
    auto r = alice_.ProcessSmp4(m3_.state, b);
    if (!r.ok()) return r.error();
    EXPECT_TRUE(*r);
    return Status::Ok();
  });
}

// A message 1 with a question is checked the same way behind it.
TEST_P(SmpTamperTest, Message1WithQuestionChecksEveryField) {
  auto asked = Ed448Group::WithQuestion(m1_.body, "which colour?");
  ASSERT_TRUE(asked.ok());
  ExpectEveryFieldChecked(*asked, 4 + 13, kSmp1, [&](ByteView b) { return bob_.VerifySmp1(b); });
}

// A message replayed from another SMP run, or to the other party, fails:
// the proofs of each side use their own hash prefixes (0x01/0x02 for Alice's
// message 1, 0x03/0x04 for Bob's message 2, ...).
TEST_P(SmpTamperTest, MessagesAreNotInterchangeable) {
  DeterministicRandom random(36);
  // Bob's G2b/G3b proofs presented as Alice's message 1.
  Bytes as_smp1 = {0, 0, 0, 0};
  as_smp1.insert(as_smp1.end(), m2_.body.begin(), m2_.body.begin() + 6 * kField);
  EXPECT_EQ(bob_.VerifySmp1(as_smp1).code(), ErrorCode::kBadProof);
  // Alice's message 1 proofs presented as the first half of message 2.
  Bytes as_smp2 = m2_.body;
  std::copy(m1_.body.begin() + 4, m1_.body.end(), as_smp2.begin());
  EXPECT_EQ(alice_.ProcessSmp2(random, m1_.state, as_smp2).code(), ErrorCode::kBadProof);
  // Bob's message 4 proof shape is Alice's Ra/cr/d7 of message 3.
  Bytes as_smp4(m3_.body.begin() + 5 * kField, m3_.body.end());
  EXPECT_EQ(alice_.ProcessSmp4(m3_.state, as_smp4).code(), ErrorCode::kBadProof);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SmpTamperTest);

}  // namespace
}  // namespace otr::v4::smp

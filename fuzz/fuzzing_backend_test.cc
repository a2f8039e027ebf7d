// The fuzzing-only stand-in backend (crypto/fuzzing/fuzzing_backend.h) keeps
// the algebra of the groups it replaces, so a protocol check still refuses
// what it refuses with real crypto: a bad signature, a bad proof, a point
// or DH value outside the group. Built with the macro defined in every
// configuration (//crypto/fuzzing:fuzzing_backend_for_test).
#include "crypto/fuzzing/fuzzing_backend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "crypto/backends.h"
#include "crypto/modp_group.h"
#include "crypto/testing/deterministic_random.h"

namespace otr::crypto::fuzzing {
namespace {

class FuzzingBackendTest : public ::testing::Test {
 protected:
  std::unique_ptr<Backend> owned_ = MakeFuzzingBackend(DefaultBackend());
  const Backend& b_ = *owned_;
  testing::DeterministicRandom random_{uint64_t{7}};
};

Bytes Be(uint64_t v) {
  Bytes out;
  for (; v != 0; v >>= 8) out.insert(out.begin(), static_cast<uint8_t>(v));
  return out;
}

TEST_F(FuzzingBackendTest, DhAgreesInBothGroupsAndStaysInTheSubgroup) {
  for (ModpGroupId id : {ModpGroupId::kModp1536, ModpGroupId::kModp3072}) {
    const ModpGroup& group = GetModpGroup(id);
    auto alice = GenerateDhKeyPair(b_, group, random_);
    auto bob = GenerateDhKeyPair(b_, group, random_);
    ASSERT_TRUE(alice.ok() && bob.ok());
    auto k1 = DhSharedSecret(b_, group, alice->secret, bob->pub);
    auto k2 = DhSharedSecret(b_, group, bob->secret, alice->pub);
    ASSERT_TRUE(k1.ok() && k2.ok());
    EXPECT_EQ(*k1, *k2);
    EXPECT_EQ(*b_.JacobiPublic(alice->pub, group.p), 1);
    // g^(a + b mod q) = g^a g^b mod p: exponent arithmetic modulo q stays
    // consistent with the group (SMP proofs depend on it).
    auto sum = b_.ModAdd(alice->secret.view(), bob->secret.view(), group.q);
    auto lhs = b_.ModExp(group.g, *sum, group.p);
    auto rhs = b_.ModMul(alice->pub, bob->pub, group.p);
    ASSERT_TRUE(lhs.ok() && rhs.ok());
    EXPECT_EQ(*lhs, *rhs);
    // Non-elements: -1 (a non-residue) and anything at or above the small
    // prime are refused by the subgroup check.
    EXPECT_EQ(*b_.JacobiPublic(Be(kSmallP - 1), group.p), -1);
    EXPECT_EQ(*b_.JacobiPublic(Be(kSmallP), group.p), -1);
    EXPECT_EQ(*b_.JacobiPublic(group.p_minus_2, group.p), -1);
  }
}

TEST_F(FuzzingBackendTest, OtherModuliGoToTheInnerBackend) {
  const Bytes m = {0x01, 0x00, 0x01};  // 65537
  auto r = b_.ModExpPublic(Bytes{3}, Bytes{0x10, 0x00}, m);
  auto expected = DefaultBackend().ModExpPublic(Bytes{3}, Bytes{0x10, 0x00}, m);
  ASSERT_TRUE(r.ok() && expected.ok());
  EXPECT_EQ(*r, *expected);
}

TEST_F(FuzzingBackendTest, PointDecodingRefusesWhatEd448Refuses) {
  const Ed448Encoding base = b_.Ed448Encode(b_.Ed448Base());
  ASSERT_TRUE(b_.Ed448Decode(base).ok());
  EXPECT_EQ(b_.Ed448Decode(ByteView(base).first(56)).error().code, ErrorCode::kInvalidEncoding);
  Ed448Encoding e = base;
  e[56] = 1;
  EXPECT_EQ(b_.Ed448Decode(e).error().code, ErrorCode::kNonCanonical);
  e = Ed448Encoding{};
  EXPECT_EQ(b_.Ed448Decode(e).error().code, ErrorCode::kNotOnCurve);
  e[0] = 1;
  EXPECT_EQ(b_.Ed448Decode(e).error().code, ErrorCode::kIdentityPoint);
  for (size_t i = 0; i < 8; ++i) e[i] = static_cast<uint8_t>((kSmallP - 1) >> (8 * i));
  EXPECT_EQ(b_.Ed448Decode(e).error().code, ErrorCode::kNotInSubgroup);
  for (size_t i = 0; i < 8; ++i) e[i] = static_cast<uint8_t>(kSmallP >> (8 * i));
  EXPECT_EQ(b_.Ed448Decode(e).error().code, ErrorCode::kNotOnCurve);
}

// Membership of G (Ed448Decode, JacobiPublic) by the Legendre symbol and
// powers of the generators by table agree with plain exponentiation.
uint64_t SlowPow(uint64_t base, uint64_t e) {
  unsigned __int128 result = 1, b = base % kSmallP;
  for (; e != 0; e >>= 1) {
    if (e & 1) result = result * b % kSmallP;
    b = b * b % kSmallP;
  }
  return static_cast<uint64_t>(result);
}

TEST_F(FuzzingBackendTest, GroupMembershipAndGeneratorPowersAreExact) {
  const Bytes p = GetModpGroup(ModpGroupId::kModp3072).p;
  for (int i = 0; i < 2000; ++i) {
    uint8_t r[8];
    random_.Fill(r);
    uint64_t raw = 0;
    for (uint8_t byte : r) raw = raw << 8 | byte;
    raw = raw % (kSmallP - 2) + 2;  // 2 .. p - 1
    Ed448Encoding e{};
    for (size_t k = 0; k < 8; ++k) e[k] = static_cast<uint8_t>(raw >> (8 * k));
    const bool in_g = SlowPow(raw, kSmallQ) == 1;
    const Result<Ed448Point> decoded = b_.Ed448Decode(e);
    EXPECT_EQ(decoded.ok(), in_g) << raw;
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.error().code, ErrorCode::kNotInSubgroup);
    }
    Bytes a(8);
    for (size_t k = 0; k < 8; ++k) a[k] = r[k];
    const Result<int> jacobi = b_.JacobiPublic(ByteView(a).last(8), p);
    const uint64_t big = [&] {
      uint64_t v = 0;
      for (uint8_t byte : r) v = v << 8 | byte;
      return v;
    }();
    if (big > 0 && big < kSmallP) {
      ASSERT_TRUE(jacobi.ok());
      EXPECT_EQ(*jacobi, SlowPow(big, kSmallQ) == 1 ? 1 : -1);
    }
    // g^x for G's generator 4 and the DH generator 2.
    SecretBytes scalar(kEd448ScalarSize);
    for (size_t k = 0; k < 8; ++k) scalar[k] = r[k];
    scalar[7] &= 0x1f;  // below 2^61 > kSmallQ: ScalarValue reduces it
    const uint64_t x = [&] {
      uint64_t v = 0;
      for (size_t k = 0; k < 8; ++k) v |= uint64_t{scalar[k]} << (8 * k);
      return v % kSmallQ;
    }();
    EXPECT_TRUE(b_.Ed448Equal(b_.Ed448MulBase(scalar), b_.Ed448Mul(b_.Ed448Base(), scalar)));
    const Ed448Encoding got = b_.Ed448Encode(b_.Ed448MulBase(scalar));
    uint64_t value = 0;
    for (size_t k = 0; k < 8; ++k) value |= uint64_t{got[k]} << (8 * k);
    EXPECT_EQ(value, SlowPow(4, x));
    if (decoded.ok()) {
      // Another base than the generators: x times the point is exact too.
      const Ed448Encoding product = b_.Ed448Encode(b_.Ed448Mul(*decoded, scalar));
      uint64_t product_value = 0;
      for (size_t k = 0; k < 8; ++k) product_value |= uint64_t{product[k]} << (8 * k);
      EXPECT_EQ(product_value, SlowPow(raw, x)) << raw;
    }
    const SecretBytes exponent{ByteView(a)};
    const Result<SecretBytes> power = b_.ModExp(Bytes{2}, exponent, p);
    ASSERT_TRUE(power.ok());
    uint64_t dh = 0;
    for (uint8_t byte : power->view()) dh = dh << 8 | byte;
    EXPECT_EQ(dh, SlowPow(2, big % (kSmallP - 1)));
  }
}

TEST_F(FuzzingBackendTest, ScalarsAndPointsShareTheAlgebra) {
  const SecretBytes a = b_.Ed448ScalarReduce(random_.SecretOfSize(114).view());
  const SecretBytes c = b_.Ed448ScalarReduce(random_.SecretOfSize(114).view());
  const Ed448Point aG = b_.Ed448MulBase(a), cG = b_.Ed448MulBase(c);
  EXPECT_TRUE(b_.Ed448Equal(b_.Ed448MulBase(b_.Ed448ScalarAdd(a, c)), b_.Ed448Add(aG, cG)));
  EXPECT_TRUE(b_.Ed448Equal(b_.Ed448MulBase(b_.Ed448ScalarSub(a, c)), b_.Ed448Sub(aG, cG)));
  EXPECT_TRUE(b_.Ed448Equal(b_.Ed448Mul(aG, c), b_.Ed448MulBase(b_.Ed448ScalarMul(a, c))));
  EXPECT_TRUE(b_.Ed448Equal(b_.Ed448Add(aG, b_.Ed448Negate(aG)), b_.Ed448Identity()));
  // The two-term operations stay in the stand-in's group (decision 0033).
  EXPECT_TRUE(b_.Ed448Equal(b_.Ed448MulAdd(aG, c, cG, a),
                            b_.Ed448Add(b_.Ed448Mul(aG, c), b_.Ed448Mul(cG, a))));
  EXPECT_TRUE(b_.Ed448Equal(b_.Ed448MulBaseAddPublic(a.view(), c.view(), cG),
                            b_.Ed448Add(aG, b_.Ed448Mul(cG, c))));
  auto decoded = b_.Ed448Decode(b_.Ed448Encode(aG));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(b_.Ed448Equal(*decoded, aG));
  EXPECT_TRUE(b_.Ed448ScalarDecode(a.view()).ok());
  SecretBytes q(kEd448ScalarSize);
  for (size_t i = 0; i < 8; ++i) q[i] = static_cast<uint8_t>(kSmallQ >> (8 * i));
  EXPECT_EQ(b_.Ed448ScalarDecode(q.view()).error().code, ErrorCode::kNonCanonical);
}

TEST_F(FuzzingBackendTest, EdDsaVerifiesOnlyTheRightSignature) {
  const SecretBytes seed = random_.SecretOfSize(kEd448SeedSize);
  const SecretBytes other_seed = random_.SecretOfSize(kEd448SeedSize);
  const Bytes message = {'h', 'i'};
  auto pub = b_.Ed448DerivePublicKey(seed);
  auto other = b_.Ed448DerivePublicKey(other_seed);
  auto sig = b_.Ed448Sign(seed, message);
  ASSERT_TRUE(pub.ok() && other.ok() && sig.ok());
  EXPECT_TRUE(b_.Ed448Verify(*pub, message, *sig).ok());
  EXPECT_EQ(b_.Ed448Verify(*other, message, *sig).error().code, ErrorCode::kBadSignature);
  EXPECT_EQ(b_.Ed448Verify(*pub, Bytes{'h', 'o'}, *sig).error().code, ErrorCode::kBadSignature);
  for (size_t at : {size_t{0}, size_t{57}, size_t{60}}) {
    Bytes bad = *sig;
    bad[at] ^= 1;
    EXPECT_FALSE(b_.Ed448Verify(*pub, message, bad).ok()) << at;
  }
  EXPECT_FALSE(b_.Ed448Verify(*pub, message, ByteView(*sig).first(113)).ok());
}

// The stand-in reduces modulo kSmallP, kSmallQ and kSmallP - 1 by folding
// (2^k - c moduli, decision 0040) instead of dividing: its results must be
// the plain remainders, near the moduli and for long inputs alike.
uint64_t Value(ByteView big_endian) {
  uint64_t v = 0;
  for (uint8_t b : big_endian) v = v << 8 | b;
  return v;
}

uint64_t Remainder(ByteView big_endian, uint64_t m) {
  unsigned __int128 r = 0;
  for (uint8_t b : big_endian) r = (r << 8 | b) % m;
  return static_cast<uint64_t>(r);
}

TEST_F(FuzzingBackendTest, ReductionsAreTheRemainders) {
  const ModpGroup& group = GetModpGroup(ModpGroupId::kModp3072);
  const uint64_t edges[] = {0,       1,           2,           kSmallQ - 1,
                            kSmallQ, kSmallQ + 1, kSmallP - 2, kSmallP - 1,
                            kSmallP, kSmallP + 1, ~uint64_t{0}};
  for (uint64_t a : edges) {
    for (uint64_t b : edges) {
      const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
      auto mod_q = b_.ModMul(Be(a), Be(b), group.q);
      ASSERT_TRUE(mod_q.ok());
      EXPECT_EQ(Value(mod_q->view()), static_cast<uint64_t>(product % kSmallQ)) << a << " " << b;
      // Modulo p, a value of kSmallP or more is a non-element (0).
      const unsigned __int128 ea = a < kSmallP ? a : 0, eb = b < kSmallP ? b : 0;
      auto mod_p = b_.ModMul(Be(a), Be(b), group.p);
      ASSERT_TRUE(mod_p.ok());
      EXPECT_EQ(Value(mod_p->view()), static_cast<uint64_t>(ea * eb % kSmallP)) << a << " " << b;
    }
  }
  // Long values (384 bytes, as DH-3072 exponents) reduce byte by byte.
  for (int i = 0; i < 20; ++i) {
    Bytes long_value(384);
    random_.Fill(long_value);
    auto mod_p = b_.Mod(long_value, group.p);
    auto mod_q = b_.Mod(long_value, group.q);
    ASSERT_TRUE(mod_p.ok() && mod_q.ok());
    EXPECT_EQ(Value(mod_p->view()), Remainder(long_value, kSmallP));
    EXPECT_EQ(Value(mod_q->view()), Remainder(long_value, kSmallQ));
    // g^e with e reduced modulo p - 1, against square-and-multiply with
    // plain remainders.
    const uint64_t e = Remainder(long_value, kSmallP - 1);
    unsigned __int128 expected = 1, base = 2;
    for (uint64_t x = e; x != 0; x >>= 1) {
      if (x & 1) expected = expected * base % kSmallP;
      base = base * base % kSmallP;
    }
    auto power = b_.ModExpPublic(Be(2), long_value, group.p);
    ASSERT_TRUE(power.ok());
    EXPECT_EQ(Value(*power), static_cast<uint64_t>(expected));
  }
}

// The reductions take 7 bytes at a time (session 13): every length, so
// every partial chunk at either end, gives the plain remainder, big-endian
// (Mod) and little-endian (Ed448ScalarReduce, modulo kSmallQ).
TEST_F(FuzzingBackendTest, ReductionsInChunksAreTheRemaindersAtEveryLength) {
  const ModpGroup& group = GetModpGroup(ModpGroupId::kModp1536);
  for (size_t length = 1; length <= 130; ++length) {
    Bytes value(length);
    random_.Fill(value);
    value[0] |= 0x80;  // no leading zero: the length is the length
    auto mod_p = b_.Mod(value, group.p);
    auto mod_q = b_.Mod(value, group.q);
    ASSERT_TRUE(mod_p.ok() && mod_q.ok());
    EXPECT_EQ(Value(mod_p->view()), Remainder(value, kSmallP)) << length;
    EXPECT_EQ(Value(mod_q->view()), Remainder(value, kSmallQ)) << length;
    const Bytes reversed(value.rbegin(), value.rend());
    const SecretBytes scalar = b_.Ed448ScalarReduce(reversed);
    const Bytes scalar_be(scalar.view().rbegin(), scalar.view().rend());
    EXPECT_EQ(Value(scalar_be), Remainder(value, kSmallQ)) << length;
  }
}

// The stand-in SHAKE-256 (decision 0052) reads its input as one string
// however it is split, with several contexts open at once; a longer output
// begins with a shorter one; every input bit, the length and the output
// length's prefix are in every output. Its outputs are not SHAKE-256's.
TEST_F(FuzzingBackendTest, Shake256StandInIsAnXofOfTheWholeInput) {
  const Backend& inner = DefaultBackend();
  std::set<Bytes> seen;
  for (size_t size : {size_t{0}, size_t{1}, size_t{31}, size_t{32}, size_t{33}, size_t{57},
                      size_t{114}, size_t{300}}) {
    Bytes data(size);
    random_.Fill(data);
    const Bytes one_shot = b_.Shake256(data, 64).Declassify();
    EXPECT_NE(one_shot, inner.Shake256(data, 64).Declassify()) << size;
    auto first = b_.NewShake256();
    auto second = b_.NewShake256();
    first->Update(data);
    for (size_t pos = 0; pos < size; pos += 7) {
      second->Update(ByteView(data).subspan(pos, std::min<size_t>(7, size - pos)));
    }
    Bytes a(200), b(200);
    first->Finish(a);
    second->Finish(b);
    EXPECT_EQ(b, a) << size;
    EXPECT_EQ(Bytes(a.begin(), a.begin() + 64), one_shot) << size;
    // The one-shot form over parts, as the KDFs call it.
    const ByteView parts[] = {ByteView(data).first(size / 3), ByteView(data).subspan(size / 3)};
    Bytes c(200);
    b_.Shake256Of(parts, c);
    EXPECT_EQ(c, a) << size;
    EXPECT_TRUE(seen.insert(one_shot).second) << size;
    // Every bit flipped, and a zero byte appended, give other outputs.
    for (size_t bit = 0; bit < 8 * size; ++bit) {
      Bytes flipped = data;
      flipped[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
      EXPECT_TRUE(seen.insert(b_.Shake256(flipped, 64).Declassify()).second) << size << " " << bit;
    }
    Bytes longer = data;
    longer.push_back(0);
    EXPECT_TRUE(seen.insert(b_.Shake256(longer, 64).Declassify()).second) << size;
  }
}

// SHA-1, SHA-256 and their HMACs on pooled handles (decision 0049) answer
// as the inner backend does, several open at once, keys of every length
// (an HMAC handle reused with a new key forgets the old one).
TEST_F(FuzzingBackendTest, HashesAndHmacsAreTheInnerBackends) {
  const Backend& inner = DefaultBackend();
  for (HashAlgorithm alg : {HashAlgorithm::kSha1, HashAlgorithm::kSha256}) {
    for (size_t size : {size_t{0}, size_t{1}, size_t{64}, size_t{65}, size_t{300}}) {
      Bytes data(size);
      random_.Fill(data);
      auto ours = b_.NewHash(alg);
      auto second = b_.NewHash(alg);
      ours->Update(ByteView(data).first(size / 2));
      second->Update(data);
      ours->Update(ByteView(data).subspan(size / 2));
      auto theirs = inner.NewHash(alg);
      theirs->Update(data);
      const Bytes expected = theirs->Finish().Declassify();
      EXPECT_EQ(ours->Finish().Declassify(), expected);
      EXPECT_EQ(second->Finish().Declassify(), expected);

      const Bytes key(size, static_cast<uint8_t>(size));  // 0 to 300 bytes
      auto mac = b_.NewHmac(alg, key);
      mac->Update(data);
      auto their_mac = inner.NewHmac(alg, key);
      their_mac->Update(data);
      EXPECT_EQ(mac->Finish().Declassify(), their_mac->Finish().Declassify());
    }
  }
}

// Arithmetic modulo an odd modulus of at most 64 bits (the small DSA keys'
// p and q, for Backend::DsaSign) is exact: the inner backend's results,
// and its refusals (no inverse; an even modulus goes to it).
TEST_F(FuzzingBackendTest, SmallModuliAreTheInnerBackends) {
  const Backend& inner = DefaultBackend();
  const uint64_t moduli[] = {3,
                             15,
                             255,
                             65537,
                             (uint64_t{1} << 61) - 1,
                             (uint64_t{1} << 63) + 1,
                             0xffffffffffffffc5u,
                             ~uint64_t{0},
                             0x1000000000000001u};
  auto value = [&](size_t size) {
    Bytes v(size);
    random_.Fill(v);
    return v;
  };
  for (uint64_t mod : moduli) {
    const Bytes m = Be(mod);
    for (int i = 0; i < 40; ++i) {
      const Bytes a = value(static_cast<size_t>(i % 13)), b = value(static_cast<size_t>(i % 9));
      const SecretBytes e(value(static_cast<size_t>(i % 11)));
      EXPECT_EQ(b_.Mod(a, m)->Declassify(), inner.Mod(a, m)->Declassify()) << mod;
      EXPECT_EQ(b_.ModMul(a, b, m)->Declassify(), inner.ModMul(a, b, m)->Declassify()) << mod;
      EXPECT_EQ(b_.ModAdd(a, b, m)->Declassify(), inner.ModAdd(a, b, m)->Declassify()) << mod;
      EXPECT_EQ(b_.ModSub(a, b, m)->Declassify(), inner.ModSub(a, b, m)->Declassify()) << mod;
      EXPECT_EQ(b_.ModExp(a, e, m)->Declassify(), inner.ModExp(a, e, m)->Declassify()) << mod;
      EXPECT_EQ(*b_.ModExpPublic(a, e.view(), m), *inner.ModExpPublic(a, e.view(), m)) << mod;
      const auto ours = b_.ModInverse(a, m), theirs = inner.ModInverse(a, m);
      ASSERT_EQ(ours.ok(), theirs.ok()) << mod;
      if (ours.ok()) {
        EXPECT_EQ(ours->Declassify(), theirs->Declassify()) << mod;
      } else {
        EXPECT_EQ(ours.error().code, theirs.error().code) << mod;
      }
    }
    // No inverse: a multiple of a factor of the modulus, or zero.
    EXPECT_EQ(b_.ModInverse(Bytes{}, m).ok(), inner.ModInverse(Bytes{}, m).ok());
  }
  EXPECT_EQ(b_.ModInverse(Be(5), Be(15)).ok(), false);
  EXPECT_EQ(b_.Mod(Be(7), Be(10)).ok(), inner.Mod(Be(7), Be(10)).ok());  // even: the inner's
  // DsaSign over the arithmetic above signs with a small key as over the
  // inner backend's (the same nonces), and the signature verifies.
  const DsaPrivateKey key = FuzzingDsaKey(12345);
  const Bytes message = value(20);
  testing::DeterministicRandom nonces(uint64_t{9}), same_nonces(uint64_t{9});
  auto signature = b_.DsaSign(key, message, nonces);
  auto inner_signature = inner.DsaSign(key, message, same_nonces);
  ASSERT_TRUE(signature.ok());
  ASSERT_TRUE(inner_signature.ok());
  EXPECT_EQ(*signature, *inner_signature);
  EXPECT_TRUE(b_.DsaVerify(key.pub, message, *signature).ok());
}

// ChaCha20 on the pooled handle answers as the inner backend does: lengths
// across block boundaries, counters up to the last block, in place and
// apart; what the contract refuses gets the inner backend's error.
TEST_F(FuzzingBackendTest, ChaCha20IsTheInnerBackends) {
  const Backend& inner = DefaultBackend();
  for (size_t size : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{300}}) {
    for (uint32_t counter : {0u, 1u, 0xfffffff0u, 0xffffffffu}) {
      SecretBytes key(kChaCha20KeySize);
      random_.Fill(key.mutable_view());
      Bytes nonce(kChaCha20NonceSize), in(size);
      random_.Fill(nonce);
      random_.Fill(in);
      Bytes ours(size), theirs(size);
      const Status a = b_.ChaCha20(key, nonce, counter, in, ours);
      const Status b = inner.ChaCha20(key, nonce, counter, in, theirs);
      ASSERT_EQ(a.ok(), b.ok()) << size << " " << counter;
      if (!a.ok()) {
        EXPECT_EQ(a.error().code, b.error().code);
        continue;
      }
      EXPECT_EQ(ours, theirs);
      Bytes in_place = in;
      ASSERT_TRUE(b_.ChaCha20(key, nonce, counter, in_place, in_place).ok());
      EXPECT_EQ(in_place, theirs);
    }
  }
  SecretBytes key(kChaCha20KeySize);
  Bytes nonce(kChaCha20NonceSize), buffer(100);
  for (const auto& [k, n, in, out] :
       {std::tuple{SecretBytes(31), ByteView(nonce), ByteView(buffer).first(10),
                   MutableByteView(buffer).subspan(50, 10)},
        std::tuple{SecretBytes(kChaCha20KeySize), ByteView(nonce).first(8),
                   ByteView(buffer).first(10), MutableByteView(buffer).subspan(50, 10)},
        std::tuple{SecretBytes(kChaCha20KeySize), ByteView(nonce), ByteView(buffer).first(10),
                   MutableByteView(buffer).subspan(50, 11)},
        std::tuple{SecretBytes(kChaCha20KeySize), ByteView(nonce), ByteView(buffer).first(20),
                   MutableByteView(buffer).subspan(10, 20)}}) {
    const Status a = b_.ChaCha20(k, n, 0, in, out);
    const Status b = inner.ChaCha20(k, n, 0, in, out);
    ASSERT_FALSE(a.ok());
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(a.error().code, b.error().code);
  }
}

TEST_F(FuzzingBackendTest, DsaVerifiesOnlyTheRightSignature) {
  const DsaPrivateKey key = FuzzingDsaKey(12345);
  const DsaPrivateKey other = FuzzingDsaKey(54321);
  const Bytes message(20, 0xab);
  auto sig = b_.DsaSign(key, message, random_);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(b_.DsaVerify(key.pub, message, *sig).ok());
  EXPECT_FALSE(b_.DsaVerify(other.pub, message, *sig).ok());
  EXPECT_FALSE(b_.DsaVerify(key.pub, Bytes(20, 0xac), *sig).ok());
  Bytes bad = *sig;
  bad[19] ^= 1;
  EXPECT_FALSE(b_.DsaVerify(key.pub, message, bad).ok());
  EXPECT_FALSE(b_.DsaVerify(key.pub, message, Bytes(40, 0)).ok());
}

}  // namespace
}  // namespace otr::crypto::fuzzing

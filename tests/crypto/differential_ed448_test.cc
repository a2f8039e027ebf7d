// Differential tests of Ed448: group and scalar arithmetic, EdDSA, and the
// rejection of invalid point and scalar encodings (same ErrorCode on every
// backend).
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "crypto/backend.h"
#include "crypto/backends.h"
#include "tests/crypto/differential_util.h"

namespace otr::crypto::testing {
namespace {

// The group order L of RFC 8032 section 5.2, 57 bytes little-endian.
constexpr std::string_view kOrder =
    "f34458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffff3f00";
// p = 2^448 - 2^224 - 1, 57 bytes little-endian.
constexpr std::string_view kFieldPrime =
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffffff00";

// Points of order 1, 2 and 4, and the same y with the other sign bit (x = 0
// with the sign bit set is a non-canonical encoding, RFC 8032 5.2.3 step 4).
const std::vector<std::string_view> kLowOrderPoints = {
    "010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000",
    "010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000080",
    "fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffff00",
    "fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffff80",
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000",
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000080",
};

// k*B + T for k in {1, 2, 3, 0x1234567, L-1} and T in {(0,-1), (1,0), (-1,0)},
// then three of them with the sign bit flipped. Computed with the affine
// formulas of RFC 8032 section 5.2.4 in Python big-integer arithmetic; each
// was checked to satisfy L*P != identity (not in the prime-order subgroup).
const std::vector<std::string_view> kMixedOrderPoints = {
    "eb05cf0da486f767523728b1d3ec42023bc68319e3002cc5283d5ffae0638778bf675c938c8c15b49d3836a9c8"
    "df8977db4349918eb9c09680",
    "a13ff338d457d9d9716cff741e7fc4bcee9a49d508e551ed9b5b2c5cda1c921598e8f0b88f9aeb6125c940dd59"
    "eae2dd12f21294398fe6b000",
    "5ec00cc72ba826268e93008be1803b431165b62af71aae1264a4d3a324e36dea67170f477065149eda36bf22a6"
    "151d22ed0ded6bc670194f80",
    "12796c1532041525945f322e414d434467cfd5c57c9a9af2473b27758c921c4828b277ca5f2891fc4f3d79afdf"
    "29a64c72fb28b59c16fa5100",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa5555555555555555555555555555555555"
    "555555555555555555555580",
    "55555555555555555555555555555555555555555555555555555555a9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaa00",
    "032971a7ec53dd4750d22f01976505400f989824e4ccc544a7e2b1137cc31b03463ca9dc6a72b565bb59c52b85"
    "2534f908a3ed2a2457fa1f00",
    "70d00079cde8d7a8a857a2b996489d1729e0d809083456251730c0b584f8451d387d257374e4dbcdcc6b4993ce"
    "9b42aa9b50f76e94779af700",
    "8f2fff863217285757a85d4669b762e8d61f27f6f7cba9dae8cf3f4a7a07bae2c782da8c8b1b24323394b66c31"
    "64bd5564af08916b88650880",
    "db4baa46045dfb510bbe4083a39d10f6b59a350ea38147ff8235230a98fb0dfa10599cdaa4495d254d96f82d49"
    "c7669efad12b53ac6ba2fe80",
    "a344996fc5956331b56f59e4633550ef22ca6a37bcef6de890b271de07dac3c8ae41704cae38159765ee5efc8d"
    "18f8a01478852420980a0100",
    "5cbb66903a6a9cce4a90a61b9ccaaf10dd3595c8431092176f4d8e21f7253c3751be8fb351c7ea689a11a10372"
    "e7075feb877adbdf67f5fe80",
    "eb05cf0da486f767523728b1d3ec42023bc68319e3002cc5283d5ffae0638778bf675c938c8c15b49d3836a9c8"
    "df8977db4349918eb9c09600",
    "5ec00cc72ba826268e93008be1803b431165b62af71aae1264a4d3a324e36dea67170f477065149eda36bf22a6"
    "151d22ed0ded6bc670194f00",
    "a13ff338d457d9d9716cff741e7fc4bcee9a49d508e551ed9b5b2c5cda1c921598e8f0b88f9aeb6125c940dd59"
    "eae2dd12f21294398fe6b080",
};

// Little-endian a + b over `a.size()` bytes (carry out dropped).
Bytes AddLittleEndian(Bytes a, const Bytes& b) {
  unsigned carry = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned sum = a[i] + (i < b.size() ? b[i] : 0) + carry;
    a[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  return a;
}

// A random valid point: the encoding of a random multiple of B (from the
// first backend; the MulBase property checks that all backends agree on it).
// Points belong to the backend that made them, so each backend decodes it.
Ed448Encoding RandomPoint() {
  const Backend& first = FirstBackend();
  return first.Ed448Encode(first.Ed448MulBase(SecretBytes(RandomBytes(kEd448ScalarSize))));
}

// `encoded`, a valid point, decoded by `k`.
Ed448Point On(const Backend& k, const Ed448Encoding& encoded) {
  Result<Ed448Point> point = k.Ed448Decode(encoded);
  RC_ASSERT(point.ok());
  return *point;
}

TEST(DifferentialEd448Test, MulBase) {
  CheckProperty(80, [] {
    // 57 random bytes: not reduced mod L (up to 2^456).
    const SecretBytes scalar(RandomBytes(kEd448ScalarSize));
    ExpectAllAgree("Ed448MulBase", [&](const Backend& k) {
      Ed448Point p = k.Ed448MulBase(scalar);
      RC_ASSERT(k.Ed448Equal(p, k.Ed448MulBase(k.Ed448ScalarReduce(scalar.view()))));
      return k.Ed448Encode(p);
    });
  });
}

TEST(DifferentialEd448Test, MulOfRandomPoints) {
  CheckProperty(80, [] {
    const Ed448Encoding point = RandomPoint();
    const SecretBytes scalar(RandomBytes(kEd448ScalarSize));
    ExpectAllAgree("Ed448Mul", [&](const Backend& k) {
      return k.Ed448Encode(k.Ed448Mul(On(k, point), scalar));
    });
  });
}

// A scalar for the two-term combinations: random 57 bytes (often >= q),
// or an edge case: 0, q (0 mod q), 1, q - 1, 2^456 - 1.
SecretBytes ComboScalar() {
  switch (Uniform(0, 8)) {
    case 0:
      return SecretBytes(kEd448ScalarSize);
    case 1:
      return SecretBytes(FromHex(kOrder));
    case 2: {
      SecretBytes one(kEd448ScalarSize);
      one[0] = 1;
      return one;
    }
    case 3: {
      Bytes q_minus_1 = FromHex(kOrder);
      q_minus_1[0] -= 1;
      return SecretBytes(q_minus_1);
    }
    case 4:
      return SecretBytes(Bytes(kEd448ScalarSize, 0xff));
    default:
      return SecretBytes(RandomBytes(kEd448ScalarSize));
  }
}

// A point for them: random, B, the identity (only from arithmetic), or a
// relation to `other` (the same point, its negative).
Ed448Point ComboPoint(const Backend& k, int kind, const Ed448Encoding& random,
                      const Ed448Point& other) {
  switch (kind) {
    case 0:
      return k.Ed448Identity();
    case 1:
      return k.Ed448Base();
    case 2:
      return other;
    case 3:
      return k.Ed448Negate(other);
    default:
      return On(k, random);
  }
}

// Ed448MulAdd and Ed448MulBaseAddPublic (decision 0033) equal the single
// multiplications and an addition on every backend, the encoding they carry
// included, and all backends agree.
TEST(DifferentialEd448Test, TwoTermCombinations) {
  CheckProperty(150, [] {
    const Ed448Encoding pe = RandomPoint(), qe = RandomPoint();
    const int p_kind = Uniform(0, 8), q_kind = Uniform(0, 8);
    const SecretBytes a = ComboScalar(), b = ComboScalar();
    ExpectAllAgree("Ed448MulAdd", [&](const Backend& k) {
      const Ed448Point p =
          ComboPoint(k, p_kind == 2 || p_kind == 3 ? 4 : p_kind, pe, k.Ed448Base());
      const Ed448Point q = ComboPoint(k, q_kind, qe, p);
      const Ed448Point got = k.Ed448MulAdd(p, a, q, b);
      const Ed448Point want = k.Ed448Add(k.Ed448Mul(p, a), k.Ed448Mul(q, b));
      RC_ASSERT(k.Ed448Equal(got, want));
      const Ed448Encoding encoded = k.Ed448Encode(got);
      RC_ASSERT(encoded == k.Ed448Encode(want));
      // The encoding carried is the point's: decoding it gives the point back.
      Result<Ed448Point> decoded = k.Ed448Decode(encoded);
      if (decoded.ok()) RC_ASSERT(k.Ed448Equal(*decoded, got));
      return encoded;
    });
    ExpectAllAgree("Ed448MulBaseAddPublic", [&](const Backend& k) {
      const Ed448Point p = ComboPoint(k, q_kind, pe, k.Ed448Base());
      const Ed448Point got = k.Ed448MulBaseAddPublic(a.view(), b.view(), p);
      const Ed448Point want = k.Ed448Add(k.Ed448MulBase(a), k.Ed448Mul(p, b));
      RC_ASSERT(k.Ed448Equal(got, want));
      const Ed448Encoding encoded = k.Ed448Encode(got);
      RC_ASSERT(encoded == k.Ed448Encode(want));
      return encoded;
    });
  });
}

TEST(DifferentialEd448Test, AddSubNegate) {
  CheckProperty(80, [] {
    const Ed448Encoding a = RandomPoint();
    // Sometimes the same point twice (doubling) or its negation.
    const int relation = Uniform(0, 4);
    const Backend& first = FirstBackend();
    const Ed448Encoding b = relation == 0   ? a
                            : relation == 1 ? first.Ed448Encode(first.Ed448Negate(On(first, a)))
                                            : RandomPoint();
    ExpectAllAgree("Ed448Add",
                   [&](const Backend& k) { return k.Ed448Encode(k.Ed448Add(On(k, a), On(k, b))); });
    ExpectAllAgree("Ed448Sub",
                   [&](const Backend& k) { return k.Ed448Encode(k.Ed448Sub(On(k, a), On(k, b))); });
    ExpectAllAgree("Ed448Negate",
                   [&](const Backend& k) { return k.Ed448Encode(k.Ed448Negate(On(k, a))); });
    // Results decode back to themselves (or are the identity), and equality
    // in the internal form agrees with equality of the encodings.
    ExpectAllAgree("Ed448Decode(a + b)", [&](const Backend& k) {
      const Ed448Point sum = k.Ed448Add(On(k, a), On(k, b));
      Result<Ed448Point> decoded = k.Ed448Decode(k.Ed448Encode(sum));
      if (decoded.ok()) RC_ASSERT(k.Ed448Equal(*decoded, sum));
      RC_ASSERT(k.Ed448Equal(sum, k.Ed448Add(On(k, b), On(k, a))));
      RC_ASSERT(k.Ed448Equal(k.Ed448Sub(sum, On(k, b)), On(k, a)));
      RC_ASSERT(k.Ed448Equal(On(k, a), On(k, b)) == (a == b));
      return DecodeOutcome(k, k.Ed448Encode(sum));
    });
  });
}

TEST(DifferentialEd448Test, ScalarArithmetic) {
  CheckProperty(200, [] {
    const Bytes wide = RandomBytes(0, 150);
    const std::string reduced = ExpectAllAgree("Ed448ScalarReduce", [&](const Backend& k) {
      SecretBytes s = k.Ed448ScalarReduce(wide);
      RC_ASSERT(s.size() == kEd448ScalarSize);
      return s;
    });
    const SecretBytes a(FromHex(reduced));
    const SecretBytes b = FirstBackend().Ed448ScalarReduce(RandomBytes(kEd448ScalarSize));
    ExpectAllAgree("Ed448ScalarAdd", [&](const Backend& k) { return k.Ed448ScalarAdd(a, b); });
    ExpectAllAgree("Ed448ScalarSub", [&](const Backend& k) { return k.Ed448ScalarSub(a, b); });
    ExpectAllAgree("Ed448ScalarMul", [&](const Backend& k) { return k.Ed448ScalarMul(a, b); });
    ExpectAllAgree("Ed448ScalarDecode", [&](const Backend& k) {
      Result<SecretBytes> s = k.Ed448ScalarDecode(a.view());
      RC_ASSERT(s.ok());
      return s;
    });
  });
}

TEST(DifferentialEd448Test, EddsaDeriveSignVerify) {
  CheckProperty(80, [] {
    const SecretBytes seed(RandomBytes(kEd448SeedSize));
    const Bytes message = RandomBytes(0, 300);
    const std::string pub_hex = ExpectAllAgree(
        "Ed448DerivePublicKey", [&](const Backend& k) { return k.Ed448DerivePublicKey(seed); });
    const std::string sig_hex =
        ExpectAllAgree("Ed448Sign", [&](const Backend& k) { return k.Ed448Sign(seed, message); });
    RC_ASSERT(pub_hex.rfind("ok:", 0) == 0 && sig_hex.rfind("ok:", 0) == 0);
    const Bytes pub = FromHex(pub_hex.substr(3));
    const Bytes sig = FromHex(sig_hex.substr(3));
    Bytes other_message = message;
    other_message.push_back(static_cast<uint8_t>(Uniform(0, 256)));
    Bytes other_sig = sig;
    other_sig[Uniform<size_t>(0, sig.size())] ^= static_cast<uint8_t>(1 << Uniform(0, 8));
    for (const Backend* k : AllBackends()) {
      RC_ASSERT(k->Ed448Verify(pub, message, sig).ok());
      RC_ASSERT(!k->Ed448Verify(pub, other_message, sig).ok());
      RC_ASSERT(!k->Ed448Verify(pub, message, other_sig).ok());
    }
  });
}

TEST(DifferentialEd448Test, EddsaRejectsBadSeedSizesAlike) {
  CheckProperty(20, [] {
    size_t size = Uniform<size_t>(0, 120);
    if (size == kEd448SeedSize) size = 0;
    const SecretBytes seed(RandomBytes(size));
    ExpectAllAgree("Ed448DerivePublicKey(bad seed)",
                   [&](const Backend& k) { return k.Ed448DerivePublicKey(seed); });
    ExpectAllAgree("Ed448Sign(bad seed)", [&](const Backend& k) {
      return k.Ed448Sign(seed, Bytes{1, 2, 3});
    });
  });
}

// Random 57-byte strings: mostly not on the curve; all backends must decode
// or reject them alike.
TEST(DifferentialEd448Test, DecodeRandomStrings) {
  CheckProperty(100, [] {
    const Bytes encoded = RandomBytes(kEd448PointSize);
    ExpectAllAgree("Ed448Decode(random)",
                   [&](const Backend& k) { return DecodeOutcome(k, encoded); });
  });
}

// Encodings with y >= p: p + small, p + up to 2^224, or bits 448..454 set;
// either sign bit. All non-canonical.
TEST(DifferentialEd448Test, DecodeNonCanonicalY) {
  CheckProperty(100, [] {
    Bytes encoded;
    switch (Uniform(0, 3)) {
      case 0:
        encoded =
            AddLittleEndian(FromHex(kFieldPrime), Bytes{static_cast<uint8_t>(Uniform(0, 256))});
        break;
      case 1:
        encoded = AddLittleEndian(FromHex(kFieldPrime), RandomBytes(28));
        break;
      default:
        encoded = RandomBytes(kEd448PointSize);
        encoded[56] = static_cast<uint8_t>(Uniform(1, 128));
        break;
    }
    if (Uniform(0, 2) == 1) encoded[56] |= 0x80;
    const std::string outcome = ExpectAllAgree(
        "Ed448Decode(y >= p)", [&](const Backend& k) { return DecodeOutcome(k, encoded); });
    RC_ASSERT(outcome.rfind("error:", 0) == 0);
  });
}

// The identity, low-order points and points with a low-order component are
// all rejected, with the same code on every backend.
TEST(DifferentialEd448Test, DecodeLowOrderAndMixedOrderPoints) {
  for (const auto* list : {&kLowOrderPoints, &kMixedOrderPoints}) {
    for (std::string_view hex : *list) {
      const Bytes encoded = FromHex(hex);
      std::vector<std::string> outcomes;
      for (const Backend* k : AllBackends()) {
        outcomes.push_back(DecodeOutcome(*k, encoded));
        EXPECT_EQ(outcomes.back().rfind("error:", 0), 0u)
            << k->name() << " accepted " << hex << " as " << outcomes.back();
      }
      for (size_t i = 1; i < outcomes.size(); ++i) {
        EXPECT_EQ(outcomes[i], outcomes[0])
            << hex << ": " << AllBackends()[0]->name() << " vs " << AllBackends()[i]->name();
      }
    }
  }
}

// Scalars >= L (L + random, random with the top byte set) are non-canonical
// on every backend; random 57-byte strings are decoded alike.
TEST(DifferentialEd448Test, ScalarDecodeRejectsAlike) {
  CheckProperty(100, [] {
    Bytes encoded;
    bool must_fail = true;
    switch (Uniform(0, 4)) {
      case 0: {
        // L + r with r < 2^440, which stays below 2^456.
        Bytes r = RandomBytes(55);
        encoded = AddLittleEndian(FromHex(kOrder), r);
        break;
      }
      case 1:
        encoded = RandomBytes(kEd448ScalarSize);
        encoded[56] = static_cast<uint8_t>(Uniform(1, 256));
        break;
      case 2:
        encoded = RandomBytes(Uniform<size_t>(0, 120));
        must_fail = encoded.size() != kEd448ScalarSize;
        break;
      default:
        encoded = RandomBytes(kEd448ScalarSize);
        must_fail = false;
        break;
    }
    const std::string outcome = ExpectAllAgree(
        "Ed448ScalarDecode", [&](const Backend& k) { return k.Ed448ScalarDecode(encoded); });
    if (must_fail) RC_ASSERT(outcome == "error:" + CodeName(ErrorCode::kNonCanonical));
  });
}

// Garbage signatures and keys: every backend rejects them (verification
// results agree; error codes of Verify are not part of the contract).
TEST(DifferentialEd448Test, VerifyGarbageAlike) {
  CheckProperty(50, [] {
    Bytes pub = RandomBytes(kEd448PointSize);
    if (Uniform(0, 2) == 0) {
      const Ed448Encoding point = RandomPoint();
      pub.assign(point.begin(), point.end());
    }
    const Bytes sig = RandomBytes(kEd448SignatureSize);
    const Bytes message = RandomBytes(0, 64);
    ExpectAllAgree("Ed448Verify(garbage)", [&](const Backend& k) {
      return std::string(k.Ed448Verify(pub, message, sig).ok() ? "accepted" : "rejected");
    });
  });
}

}  // namespace
}  // namespace otr::crypto::testing

// Differential tests of the modular arithmetic, the group-element check and
// DSA: for random inputs every backend gives the same value or the same
// error code.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <utility>

#include "crypto/backend.h"
#include "crypto/backends.h"
#include "crypto/modp_group.h"
#include "crypto/testing/deterministic_random.h"
#include "tests/crypto/differential_util.h"

namespace otr::crypto::testing {
namespace {

const ModpGroup& Group() { return GetModpGroup(ModpGroupId::kModp1536); }

// A random odd modulus of 1..80 bytes, greater than 1.
Bytes RandomOddModulus() {
  Bytes m = RandomBytes(1, 80);
  m.back() |= 1;
  if (std::all_of(m.begin(), m.end() - 1, [](uint8_t b) { return b == 0; }) && m.back() == 1) {
    m.back() = 3;
  }
  return m;
}

// Moduli outside the interface's contract (odd, > 1): both backends must
// reject them with the same error.
Bytes RandomBadModulus() {
  switch (Uniform(0, 4)) {
    case 0:
      return Bytes();
    case 1:
      return Bytes{0, 1};
    case 2:
      return Bytes{0};
    default: {
      Bytes m = RandomBytes(1, 80);
      m.back() &= 0xfe;
      return m;
    }
  }
}

// The 1536-bit p, q = (p-1)/2, a random odd modulus, or (if allowed) an
// invalid one.
Bytes RandomModulus(bool allow_invalid) {
  switch (Uniform(0, allow_invalid ? 7 : 6)) {
    case 0:
    case 1:
      return Group().p;
    case 2:
    case 3:
      return Group().q;
    case 4:
    case 5:
      return RandomOddModulus();
    default:
      return RandomBadModulus();
  }
}

// Operands: random up to a little longer than the modulus, up to three times
// as long, zero, the modulus itself, or with leading zero bytes.
Bytes RandomOperand(const Bytes& m) {
  switch (Uniform(0, 9)) {
    case 0:
      return Bytes();
    case 1:
      return m;
    case 2: {
      Bytes padded(Uniform(1, 4), 0);
      Bytes value = RandomBytes(0, m.size());
      padded.insert(padded.end(), value.begin(), value.end());
      return padded;
    }
    case 3:
      return RandomBytes(0, 3 * m.size() + 1);
    default:
      return RandomBytes(0, m.size() + 8);
  }
}

TEST(DifferentialTest, CheapModularArithmetic) {
  CheckProperty(200, [] {
    const Bytes m = RandomModulus(/*allow_invalid=*/true);
    const Bytes a = RandomOperand(m);
    const Bytes b = RandomOperand(m);
    ExpectAllAgree("ModMul", [&](const Backend& k) { return k.ModMul(a, b, m); });
    ExpectAllAgree("ModAdd", [&](const Backend& k) { return k.ModAdd(a, b, m); });
    ExpectAllAgree("ModSub", [&](const Backend& k) { return k.ModSub(a, b, m); });
    ExpectAllAgree("Mod", [&](const Backend& k) { return k.Mod(a, m); });
    ExpectAllAgree("Compare", [&](const Backend& k) { return std::to_string(k.Compare(a, b)); });
    ExpectAllAgree("ModInverse", [&](const Backend& k) {
      Result<SecretBytes> inverse = k.ModInverse(a, m);
      if (inverse.ok()) {
        // a * a^-1 = 1 (mod m).
        Result<SecretBytes> one = k.ModMul(a, inverse->view(), m);
        RC_ASSERT(one.ok());
        RC_ASSERT(ToHex(one->view()) == "01");
      }
      return inverse;
    });
  });
}

TEST(DifferentialTest, ModularExponentiation) {
  CheckProperty(60, [] {
    const Bytes m = RandomModulus(/*allow_invalid=*/true);
    const Bytes base = RandomOperand(m);
    const Bytes exponent = RandomBytes(0, 200);
    const std::string secret_result = ExpectAllAgree(
        "ModExp", [&](const Backend& k) { return k.ModExp(base, SecretBytes(exponent), m); });
    const std::string public_result = ExpectAllAgree(
        "ModExpPublic", [&](const Backend& k) { return k.ModExpPublic(base, exponent, m); });
    RC_ASSERT(secret_result == public_result);
  });
}

// Exponents for the products of two powers: random lengths 0..200, some
// all zeros or all ones.
Bytes RandomExponent() {
  switch (Uniform(0, 6)) {
    case 0:
      return Bytes(Uniform<size_t>(0, 200), 0);
    case 1:
      return Bytes(Uniform<size_t>(0, 200), 0xff);
    default:
      return RandomBytes(0, 200);
  }
}

// Backend::ModExp2 and ModExp2Public (the backends' simultaneous
// exponentiation) against the plain computation, Backend's default: both
// powers, then their product.
TEST(DifferentialTest, ProductsOfTwoPowers) {
  CheckProperty(25, [] {
    const Bytes m = Uniform(0, 3) == 0 ? Group().p : RandomModulus(/*allow_invalid=*/true);
    const Bytes base1 = RandomOperand(m);
    const Bytes base2 = RandomOperand(m);
    const Bytes e1 = RandomExponent();
    const Bytes e2 = RandomExponent();
    const std::string plain = ExpectAllAgree("plain b1^e1 b2^e2", [&](const Backend& k) {
      return k.Backend::ModExp2(base1, SecretBytes(e1), base2, SecretBytes(e2), m);
    });
    const std::string secret_result = ExpectAllAgree("ModExp2", [&](const Backend& k) {
      return k.ModExp2(base1, SecretBytes(e1), base2, SecretBytes(e2), m);
    });
    const std::string public_result = ExpectAllAgree("ModExp2Public", [&](const Backend& k) {
      return k.ModExp2Public(base1, e1, base2, e2, m);
    });
    RC_ASSERT(secret_result == plain);
    RC_ASSERT(public_result == plain);
  });
}

// Every one of the 16 table entries of the 2-bit-window product is used:
// e1's windows run 0,0,0,0, 1,1,1,1, 2,2,2,2, 3,3,3,3 while e2's run
// 0,1,2,3 four times, so a look-up that returned a wrong entry for any
// (i, j) would change the result.
TEST(DifferentialTest, ProductsOfTwoPowersUseEveryWindowPair) {
  const Bytes& p = Group().p;
  const Bytes base1 = AddSmall(p, -5);
  const Bytes base2 = Bytes{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf1};
  const Bytes e1 = {0x00, 0x55, 0xaa, 0xff};
  const Bytes e2 = {0x1b, 0x1b, 0x1b, 0x1b};
  for (const Backend* backend : AllBackends()) {
    for (const auto& [x, y] : {std::pair{e1, e2}, std::pair{e2, e1}}) {
      Result<SecretBytes> fast = backend->ModExp2(base1, SecretBytes(x), base2, SecretBytes(y), p);
      Result<SecretBytes> plain =
          backend->Backend::ModExp2(base1, SecretBytes(x), base2, SecretBytes(y), p);
      ASSERT_TRUE(fast.ok() && plain.ok()) << backend->name();
      EXPECT_EQ(ToHex(fast->view()), ToHex(plain->view())) << backend->name();
      Result<Bytes> pub = backend->ModExp2Public(base1, x, base2, y, p);
      ASSERT_TRUE(pub.ok()) << backend->name();
      EXPECT_EQ(ToHex(*pub), ToHex(plain->view())) << backend->name();
    }
  }
}

// (a | n) by its definition, for the reference: the product of the Legendre
// symbols (a | p) over n's prime factors, each by Euler's criterion.
int ReferenceJacobi(uint64_t a, uint64_t n) {
  const auto power = [](uint64_t base, uint64_t exponent, uint64_t m) {
    unsigned __int128 result = 1, b = base % m;
    for (; exponent > 0; exponent >>= 1, b = b * b % m) {
      if (exponent & 1) result = result * b % m;
    }
    return static_cast<uint64_t>(result);
  };
  int symbol = 1;
  for (uint64_t p = 3; n > 1; p += 2) {
    while (n % p == 0) {
      n /= p;
      const uint64_t euler = power(a, (p - 1) / 2, p);
      symbol *= euler == 0 ? 0 : (euler == 1 ? 1 : -1);
    }
  }
  return symbol;
}

Bytes BigEndian(uint64_t value) {
  Bytes out;
  for (; value > 0; value >>= 8) out.insert(out.begin(), static_cast<uint8_t>(value));
  return out;
}

TEST(DifferentialTest, JacobiSymbolOfSmallValuesByItsDefinition) {
  for (uint64_t n = 3; n < 160; n += 2) {
    for (uint64_t a = 0; a < 2 * n + 3; ++a) {
      const int expected = ReferenceJacobi(a, n);
      for (const Backend* backend : AllBackends()) {
        Result<int> symbol = backend->JacobiPublic(BigEndian(a), BigEndian(n));
        ASSERT_TRUE(symbol.ok()) << backend->name();
        ASSERT_EQ(*symbol, expected) << backend->name() << " (" << a << " | " << n << ")";
      }
    }
  }
}

TEST(DifferentialTest, JacobiSymbol) {
  CheckProperty(200, [] {
    const Bytes n = RandomModulus(/*allow_invalid=*/true);
    const Bytes a = RandomOperand(n);
    ExpectAllAgree("JacobiPublic", [&](const Backend& k) {
      Result<int> symbol = k.JacobiPublic(a, n);
      return symbol.ok() ? "ok:" + std::to_string(*symbol) : "error:" + CodeName(symbol.code());
    });
  });
}

// Euler's criterion in both safe-prime groups (dh_p = 2 dh_q + 1), which the
// v4 group-element check relies on (docs/decisions/0022): x ^ q mod p is 1
// exactly when (x | p) is 1.
TEST(DifferentialTest, JacobiSymbolIsEulersCriterionInTheSafePrimeGroups) {
  CheckProperty(20, [] {
    const ModpGroup& group =
        GetModpGroup(Uniform(0, 2) == 0 ? ModpGroupId::kModp1536 : ModpGroupId::kModp3072);
    Bytes x = RandomBytes(group.p.size());
    if (Uniform(0, 2) == 0) {
      // A square (x^2), in the subgroup.
      Result<SecretBytes> square = AllBackends().front()->ModMul(x, x, group.p);
      RC_ASSERT(square.ok());
      x = square->Declassify();
    }
    for (const Backend* backend : AllBackends()) {
      Result<Bytes> power = backend->ModExpPublic(x, group.q, group.p);
      Result<int> symbol = backend->JacobiPublic(x, group.p);
      RC_ASSERT(power.ok() && symbol.ok());
      const bool in_subgroup = ToHex(*power) == "01";
      RC_ASSERT(in_subgroup == (*symbol == 1));
    }
  });
}

// 2^x mod p for an exponent of `size` bytes (all zeros, all ones or random),
// the base written with or without leading zeros: every backend agrees, and
// the secret-exponent path (the fixed-base tables) equals the public one.
void CheckGeneratorPower(const Bytes& p, size_t size) {
  Bytes base = Bytes(Uniform(0, 3), 0);
  base.push_back(2);
  Bytes exponent;
  switch (Uniform(0, 4)) {
    case 0:
      exponent = Bytes(size, 0);
      break;
    case 1:
      exponent = Bytes(size, 0xff);
      break;
    default:
      exponent = RandomBytes(size);
  }
  const std::string secret_result = ExpectAllAgree(
      "ModExp g^x", [&](const Backend& k) { return k.ModExp(base, SecretBytes(exponent), p); });
  const std::string public_result = ExpectAllAgree(
      "ModExpPublic g^x", [&](const Backend& k) { return k.ModExpPublic(base, exponent, p); });
  RC_ASSERT(secret_result == public_result);
}

// The backends' fixed-base tables (crypto/{openssl,gcrypt}/fixed_base.h):
// g = 2 in the 1536-bit group with exponents of 0..40 bytes (the D-H table),
// 41..192 bytes (the SMP table) (leading zeros, all zeros, all ones, random),
// the base written with or without leading zeros; and 193-byte exponents just
// past the tables' reach. Every backend agrees and equals the public-exponent
// path.
TEST(DifferentialTest, GeneratorPowersInTheV3Group) {
  CheckProperty(150, [] {
    size_t size = 0;
    switch (Uniform(0, 6)) {
      case 0:
        size = Uniform<size_t>(40, 42);  // either side of the D-H table's reach
        break;
      case 1:
        size = Uniform<size_t>(192, 194);  // either side of the SMP table's reach
        break;
      case 2:
        size = Uniform<size_t>(42, 192);
        break;
      default:
        size = Uniform<size_t>(0, 41);
    }
    CheckGeneratorPower(Group().p, size);
  });
}

// The openssl backend's table for OTRv4's generateDH (decision 0033): g = 2
// in the 3072-bit group, exponents of 0..80 bytes (the table) and 81..82
// (past it), all zeros, all ones or random. Every backend agrees and equals
// the public-exponent path.
TEST(DifferentialTest, GeneratorPowersInTheV4Group) {
  CheckProperty(40, [] {
    const size_t size = Uniform(0, 4) == 0 ? Uniform<size_t>(79, 83) : Uniform<size_t>(0, 81);
    CheckGeneratorPower(GetModpGroup(ModpGroupId::kModp3072).p, size);
  });
}

// Values around the bounds 2 and p - 2, and random ones.
Bytes RandomGroupCandidate() {
  const Bytes& p = Group().p;
  switch (Uniform(0, 5)) {
    case 0:
      return AddSmall(p, Uniform(-4, 4));  // p - 4 .. p + 3
    case 1:
      return Bytes(Uniform(0, 3), 0);  // zero with 0..2 bytes
    case 2: {
      Bytes v(Uniform(0, 3), 0);
      v.push_back(static_cast<uint8_t>(Uniform(0, 4)));  // 0..3
      return v;
    }
    default:
      return RandomBytes(0, p.size() + 4);
  }
}

TEST(DifferentialTest, CheckGroupElement) {
  CheckProperty(100, [] {
    const Bytes x = RandomGroupCandidate();
    ExpectAllAgree("CheckGroupElement",
                   [&](const Backend& k) { return CheckGroupElement(k, Group(), x); });
  });
}

// One DSA key per backend, made once per test run (generation is slow).
const std::vector<DsaPrivateKey>& DsaKeys() {
  static const auto* keys = [] {
    auto* out = new std::vector<DsaPrivateKey>;
    for (const Backend* backend : AllBackends()) {
      const auto start = std::chrono::steady_clock::now();
      Result<DsaPrivateKey> key = backend->GenerateDsaKey();
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      std::cout << "[dsa] " << backend->name()
                << " GenerateDsaKey: " << (key.ok() ? "ok" : "error " + CodeName(key.code()))
                << " in " << ms << " ms" << std::endl;
      if (key.ok()) out->push_back(std::move(key).value());
    }
    return out;
  }();
  return *keys;
}

TEST(DifferentialTest, DsaKeysHaveTheSpecSizes) {
  ASSERT_EQ(DsaKeys().size(), AllBackends().size()) << "GenerateDsaKey failed on a backend";
  for (const DsaPrivateKey& key : DsaKeys()) {
    // otr v3 "Public keys, signatures": 1024-bit p, 160-bit q.
    EXPECT_EQ(key.pub.p.size(), 128u);
    EXPECT_EQ(key.pub.q.size(), 20u);
    EXPECT_GE(key.pub.p.front(), 0x80);
    EXPECT_GE(key.pub.q.front(), 0x80);
    EXPECT_FALSE(key.x.empty());
    for (const Backend* backend : AllBackends()) {
      // y = g^x mod p, g^q = 1, and p - 1 is a multiple of q.
      Result<Bytes> y = backend->ModExpPublic(key.pub.g, key.x.view(), key.pub.p);
      ASSERT_TRUE(y.ok());
      EXPECT_EQ(ToHex(*y), ToHex(key.pub.y));
      Result<Bytes> gq = backend->ModExpPublic(key.pub.g, key.pub.q, key.pub.p);
      ASSERT_TRUE(gq.ok());
      EXPECT_EQ(ToHex(*gq), "01");
      Bytes p_minus_1 = key.pub.p;
      p_minus_1.back() -= 1;  // p is odd
      Result<SecretBytes> rem = backend->Mod(p_minus_1, key.pub.q);
      ASSERT_TRUE(rem.ok());
      EXPECT_TRUE(rem->empty());
    }
  }
}

TEST(DifferentialTest, DsaSignatureInteroperability) {
  ASSERT_EQ(DsaKeys().size(), AllBackends().size());
  CheckProperty(50, [] {
    const DsaPrivateKey& key = DsaKeys()[Uniform<size_t>(0, DsaKeys().size())];
    const Bytes message = RandomBytes(0, 40);
    const uint64_t nonce_seed = Uniform<uint64_t>(0, UINT64_MAX);
    // Backend::DsaSign runs over each backend's own arithmetic with the nonce
    // from the injected generator: the same stream gives the same signature.
    const std::string signed_hex = ExpectAllAgree("DsaSign", [&](const Backend& k) {
      DeterministicRandom random(nonce_seed);
      return k.DsaSign(key, message, random);
    });
    RC_ASSERT(signed_hex.rfind("ok:", 0) == 0);
    const Bytes signature = FromHex(signed_hex.substr(3));
    RC_ASSERT(signature.size() == kDsaSignatureSize);

    Bytes other_message = message;
    if (other_message.empty()) {
      other_message.push_back(1);
    } else {
      other_message[Uniform<size_t>(0, other_message.size())] ^=
          static_cast<uint8_t>(1 << Uniform(0, 8));
    }
    Bytes other_signature = signature;
    other_signature[Uniform<size_t>(0, other_signature.size())] ^=
        static_cast<uint8_t>(1 << Uniform(0, 8));

    for (const Backend* verifier : AllBackends()) {
      Status good = verifier->DsaVerify(key.pub, message, signature);
      RC_ASSERT(good.ok());
      RC_ASSERT(!verifier->DsaVerify(key.pub, other_message, signature).ok());
      RC_ASSERT(!verifier->DsaVerify(key.pub, message, other_signature).ok());
      // Signatures under another backend's key do not verify.
      for (const DsaPrivateKey& other_key : DsaKeys()) {
        if (other_key.pub == key.pub) continue;
        RC_ASSERT(!verifier->DsaVerify(other_key.pub, message, signature).ok());
      }
    }
  });
}

// r and s must lie in [1, q-1]; 0 and q itself are rejected by both.
TEST(DifferentialTest, DsaRejectsOutOfRangeSignatureHalves) {
  ASSERT_FALSE(DsaKeys().empty());
  const DsaPrivateKey& key = DsaKeys().front();
  const Bytes message = ToBytes("out of range");
  DeterministicRandom random(uint64_t{186});
  Result<Bytes> signature = FirstBackend().DsaSign(key, message, random);
  ASSERT_TRUE(signature.ok());
  auto with_half = [&](size_t offset, const Bytes& value) {
    Bytes sig = *signature;
    std::fill(sig.begin() + static_cast<std::ptrdiff_t>(offset),
              sig.begin() + static_cast<std::ptrdiff_t>(offset + 20), 0);
    std::copy(value.begin(), value.end(),
              sig.begin() + static_cast<std::ptrdiff_t>(offset + 20 - value.size()));
    return sig;
  };
  const std::vector<std::pair<const char*, Bytes>> cases = {
      {"r = 0", with_half(0, {})},
      {"s = 0", with_half(20, {})},
      {"r = q", with_half(0, key.pub.q)},
      {"s = q", with_half(20, key.pub.q)},
      {"short", Bytes(signature->begin(), signature->end() - 1)},
      {"long",
       [&] {
         Bytes sig = *signature;
         sig.push_back(0);
         return sig;
       }()},
  };
  for (const auto& [name, sig] : cases) {
    for (const Backend* backend : AllBackends()) {
      EXPECT_FALSE(backend->DsaVerify(key.pub, message, sig).ok())
          << name << " accepted by " << backend->name();
    }
  }
}

// Malformed public keys (the peer's PUBKEY is attacker-chosen): every backend
// returns an error, none crashes.
TEST(DifferentialTest, DsaVerifyMalformedKeys) {
  ASSERT_FALSE(DsaKeys().empty());
  const DsaPrivateKey& key = DsaKeys().front();
  const Bytes message = ToBytes("malformed");
  DeterministicRandom random(uint64_t{187});
  Result<Bytes> signature = FirstBackend().DsaSign(key, message, random);
  ASSERT_TRUE(signature.ok());
  std::vector<std::pair<const char*, DsaPublicKey>> cases;
  auto add = [&](const char* name, auto mutate) {
    DsaPublicKey pub = key.pub;
    mutate(pub);
    cases.emplace_back(name, pub);
  };
  add("empty p", [](DsaPublicKey& k) { k.p.clear(); });
  add("empty q", [](DsaPublicKey& k) { k.q.clear(); });
  add("q = 1", [](DsaPublicKey& k) { k.q = {1}; });
  add("even p", [](DsaPublicKey& k) { k.p.back() &= 0xfe; });
  add("empty g", [](DsaPublicKey& k) { k.g.clear(); });
  add("empty y", [](DsaPublicKey& k) { k.y.clear(); });
  add("other y", [](DsaPublicKey& k) { k.y.back() ^= 1; });
  for (const auto& [name, pub] : cases) {
    for (const Backend* backend : AllBackends()) {
      EXPECT_FALSE(backend->DsaVerify(pub, message, *signature).ok())
          << name << " accepted by " << backend->name();
    }
  }
}

}  // namespace
}  // namespace otr::crypto::testing

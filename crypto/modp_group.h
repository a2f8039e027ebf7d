// The Diffie-Hellman groups of OTR: RFC 3526's 1536-bit group (v2/v3, and
// SMP) and 3072-bit group (v4), both with generator 2 and q = (p-1)/2.
#ifndef OTR_CRYPTO_MODP_GROUP_H_
#define OTR_CRYPTO_MODP_GROUP_H_

#include "base/bytes.h"
#include "base/inline_bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto {

enum class ModpGroupId { kModp1536, kModp3072 };

struct ModpGroup {
  ModpGroupId id;
  Bytes p;                      // the prime modulus
  Bytes q;                      // (p - 1) / 2, the order of g
  Bytes g;                      // the generator, 2
  Bytes p_minus_2;              // upper bound of the membership check
  size_t secret_exponent_size;  // bytes of a freshly generated DH secret
};

// v2/v3: "choose a random value x (at least 320 bits)": 40 bytes, as libotr.
// v4 (otrv4.md "Generating ECDH and DH keys"): 80 bytes.
const ModpGroup& GetModpGroup(ModpGroupId id);

// Fixed-base g^x: both backends keep a table of powers of g = 2 in the
// 1536-bit group (crypto/openssl/fixed_base.h, crypto/gcrypt/fixed_base.h)
// for the v2/v3 D-H key generation (exponents of at most
// kFixedBaseMaxExponentBytes) and a larger one for SMP's 1536-bit exponents
// (v3 "SMP": "The random exponents are 1536-bit numbers"; g1 = 2), built on
// first use. True when Backend::ModExp(base, exponent, m) is that case: base 2
// (leading zeros allowed), m the 1536-bit prime, an exponent of at most
// kFixedBaseMaxLongExponentBytes (public length).
inline constexpr size_t kFixedBaseMaxExponentBytes = 40;       // 320 bits
inline constexpr size_t kFixedBaseMaxLongExponentBytes = 192;  // 1536 bits
bool IsModp1536GeneratorPower(ByteView base, size_t exponent_size, ByteView m);
// The `openssl` backend also keeps one for OTRv4's generateDH in the 3072-bit
// group ("Generating ECDH and DH keys": r of 80 bytes, g3 = 2); decision
// 0033. True when ModExp(base, exponent, m) is that case: base 2, m the
// 3072-bit prime, an exponent of at most kFixedBaseMaxV4ExponentBytes.
inline constexpr size_t kFixedBaseMaxV4ExponentBytes = 80;  // 640 bits
bool IsModp3072GeneratorPower(ByteView base, size_t exponent_size, ByteView m);

// The membership check of the specs: 2 <= x <= p - 2 (kOutOfRange otherwise).
Status CheckGroupElement(const Backend& backend, const ModpGroup& group, ByteView x);

// A DH public value of either group: below p, so at most 384 bytes
// (minimal big-endian), held inline (decision 0055).
inline constexpr size_t kMaxDhPublicSize = 384;
using DhPublic = InlineBytes<kMaxDhPublicSize>;

struct DhKeyPair {
  SecretBytes secret;  // x
  DhPublic pub;        // g^x mod p, minimal big-endian
};

Result<DhKeyPair> GenerateDhKeyPair(const Backend& backend, const ModpGroup& group, Random& random);

// Checks the peer's value, then returns peer^secret mod p (minimal big-endian).
Result<SecretBytes> DhSharedSecret(const Backend& backend, const ModpGroup& group,
                                   const SecretBytes& secret, ByteView peer_public);

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_MODP_GROUP_H_

// A crypto::Backend for fuzzing only (issue 21, docs/decisions/0027): the
// expensive group operations replaced by the same algebra in a small group,
// so that a stateful fuzzer pays microseconds, not milliseconds, per public-
// key operation, while every protocol check keeps its meaning.
//
// It exists only when FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION is defined
// (OSS-Fuzz's CFLAGS, .bazelrc's --config=fuzz): without the macro this
// header declares nothing and fuzzing_backend.cc compiles to nothing
// (fuzzing_backend_absent_test checks that the symbol is absent). It is not in
// the registry (crypto/backends.h), and its Bazel target is testonly.
//
// The stand-ins, all in G = the subgroup of prime order kSmallQ of Z_p^* for
// the 62-bit safe prime p = kSmallP = 2 kSmallQ + 1 (p = 7 mod 8, so 2 is in
// G, as in RFC 3526's groups):
// - DH-1536 and DH-3072 (and SMP v3): every operation modulo one of those
//   primes is done modulo kSmallP, every operation modulo their q modulo
//   kSmallQ. A value of kSmallP or more stands for a non-element: ModExp
//   and ModMul give 0 for it and JacobiPublic -1, so the v4 subgroup check
//   refuses it; below kSmallP the Legendre symbol is exact.
// - Ed448: a point is an element of G (generator 4), encoded as its value
//   in the first 8 bytes (little-endian) of the 57, the rest zero. Decode
//   refuses what Ed448 would: a wrong size (kInvalidEncoding), non-zero
//   high bytes (kNonCanonical), 0 or >= p (kNotOnCurve), outside G
//   (kNotInSubgroup), 1 (kIdentityPoint). Scalars are modulo kSmallQ
//   (ScalarDecode refuses kSmallQ or more, kNonCanonical).
// - EdDSA: Schnorr over G with RFC 8032's shape (seed hashed with SHAKE-256
//   into a secret scalar and a nonce prefix; S = r + H(R, A, M) a); a
//   signature verifies only when g^S = R A^H(R, A, M).
// - DSA: keys whose p, q, g and y fit in 64 bits (FuzzingDsaKey: p =
//   kSmallP, q = kSmallQ, g = 4) are verified here; signing is
//   Backend::DsaSign over this backend's exact arithmetic modulo odd moduli
//   of at most 64 bits. Other keys go to the inner backend.
// - SHAKE-256: a cheap stand-in XOF built from xxHash64's rounds (decision
//   0052). It reads its input as one string however it is split, and a
//   longer output begins with a shorter one, as SHAKE-256; its outputs are
//   not SHAKE-256's.
// AES, XSalsa20, keyed MACs and comparison go to the inner backend; SHA-1,
// SHA-256, one-shot HMACs and ChaCha20 are libgcrypt's, on handles pooled per
// thread (decisions 0040, 0049).
//
// Nothing here is constant time or wiped: it must never hold a real secret.
#ifndef OTR_CRYPTO_FUZZING_FUZZING_BACKEND_H_
#define OTR_CRYPTO_FUZZING_FUZZING_BACKEND_H_

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION

#include <cstdint>
#include <memory>

#include "crypto/backend.h"

namespace otr::crypto::fuzzing {

inline constexpr uint64_t kSmallP = 0x3fffffffffffd2bfULL;
inline constexpr uint64_t kSmallQ = 0x1fffffffffffe95fULL;  // (kSmallP - 1) / 2, prime

// The stand-in backend, handing what it does not replace to `inner` (which
// must outlive it).
std::unique_ptr<Backend> MakeFuzzingBackend(const Backend& inner);

// A DSA key in G: x reduced into [1, kSmallQ - 1], y = 4^x mod kSmallP.
DsaPrivateKey FuzzingDsaKey(uint64_t x);

}  // namespace otr::crypto::fuzzing

#endif  // FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION

#endif  // OTR_CRYPTO_FUZZING_FUZZING_BACKEND_H_

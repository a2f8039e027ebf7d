// The one interface through which protocol code reaches cryptography
// (DESIGN.md principle 4). Two implementations exist, `openssl` (OpenSSL 3 and
// libdecaf) and `gcrypt` (libgcrypt 1.10); both are linked into every binary
// and chosen at run time by name (crypto/backends.h).
//
// Conventions:
// - Big integers cross this interface as unsigned big-endian byte strings.
//   Inputs may carry leading zeros; outputs never do (zero is the empty
//   string), which is exactly the MPI value encoding of the OTR specs.
// - Ed448 points are opaque values in the backend's own form (Ed448Point);
//   their wire form is the 57-byte RFC 8032 encoding, produced by
//   Ed448Encode and validated by Ed448Decode. Scalars are 57-byte
//   little-endian integers below q (otrv4.md, "Encoding and Decoding").
// - Every operation that handles a secret takes and returns SecretBytes.
//   Operations on secrets are constant time in the secret values.
// - All functions are thread-safe; a Backend has no mutable state.
// - Both backends agree on every error code (tests/crypto/differential_test):
//   kOutOfRange for a modulus that is even, 0 or 1, for an output buffer of
//   the wrong size or partly overlapping the input, and for a ChaCha20 stream
//   that would run past block 2^32-1; kInvalidKey for keys and nonces of the
//   wrong size.
// - Constant time: exponentiation, scalar multiplication and ModInverse are
//   constant time in their secret inputs (up to the lengths of the minimal
//   encodings); ModMul/ModAdd/ModSub/Mod are only as constant time as the
//   library's generic arithmetic (see docs/decisions/0003).
#ifndef OTR_CRYPTO_BACKEND_H_
#define OTR_CRYPTO_BACKEND_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto {

enum class HashAlgorithm { kSha1, kSha256 };

constexpr size_t DigestSize(HashAlgorithm alg) { return alg == HashAlgorithm::kSha1 ? 20 : 32; }

// An incremental hash or HMAC. Finish() may be called once.
class HashContext {
 public:
  virtual ~HashContext() = default;
  virtual void Update(ByteView data) = 0;
  virtual SecretBytes Finish() = 0;
};

// SHAKE-256: absorb incrementally, then squeeze any length once.
class XofContext {
 public:
  virtual ~XofContext() = default;
  virtual void Update(ByteView data) = 0;
  virtual void Finish(MutableByteView out) = 0;
};

// A MAC key set up once for many messages: HMAC (RFC 2104) whose padded
// key has been absorbed ahead of time, so each Mac() pays only for hashing
// its data (plus the outer hash). For keys used many times, such as the
// per-key-pair MAC keys of v3 Data Messages. Mac() keeps no state from one
// call to the next. Unlike a Backend, an object is not thread-safe: one
// caller at a time. Destruction wipes the keyed state.
class KeyedHmac {
 public:
  virtual ~KeyedHmac() = default;
  // HMAC(key, data) into `out`, which must have DigestSize(alg) bytes
  // (kOutOfRange otherwise).
  virtual Status Mac(ByteView data, MutableByteView out) = 0;
  // A copy with the same key (each copy used by one caller at a time).
  virtual std::unique_ptr<KeyedHmac> Clone() const = 0;
};

// An AES-128 key schedule set up once: each Crypt() is Backend::Aes128Ctr
// with this key, paying only for the counter blocks. Same rules as
// KeyedHmac (no state between calls, one caller at a time, wiped when
// destroyed).
class KeyedAes128Ctr {
 public:
  virtual ~KeyedAes128Ctr() = default;
  // As Backend::Aes128Ctr: kInvalidKey for a top half that is not 8 bytes,
  // kOutOfRange for a bad output buffer.
  virtual Status Crypt(ByteView top_half, ByteView in, MutableByteView out) = 0;
  virtual std::unique_ptr<KeyedAes128Ctr> Clone() const = 0;
};

inline constexpr size_t kAes128KeySize = 16;
inline constexpr size_t kAesCtrTopHalfSize = 8;
inline constexpr size_t kChaCha20KeySize = 32;
inline constexpr size_t kChaCha20NonceSize = 12;

inline constexpr size_t kEd448PointSize = 57;
inline constexpr size_t kEd448ScalarSize = 57;
inline constexpr size_t kEd448SignatureSize = 114;
inline constexpr size_t kEd448SeedSize = 57;

using Ed448Encoding = std::array<uint8_t, kEd448PointSize>;

// An Ed448 point in the prime-order subgroup (otrv4.md "Elliptic Curve
// Operations"), held in the internal form of the backend that made it: for
// `openssl` a libdecaf point, for `gcrypt` projective coordinates (see each
// backend's ed448 files and docs/decisions/0004-decaf-isogeny.md). It may be
// the identity when it results from arithmetic.
//
// The form is opaque. Values come only from a backend: Ed448Decode (which
// validates), Ed448Base/Ed448Identity and the arithmetic. They are read only
// through Backend::Ed448Encode (the 57-byte wire form, computed at the wire)
// and Backend::Ed448Equal. A point may carry its encoding, remembered when
// it was known for free (decoded from it, or produced with it).
//
// A point belongs to the backend that made it: handing it to another backend
// (both are linked into every binary) is a programming error, as is using a
// default-constructed point (no backend made it). Both are detected and
// abort the process with a message naming the backends; neither can be
// caused by input from a peer. ForwardingBackend and its test doubles pass
// points through to the backend they wrap, which owns them.
//
// A copyable value. It is wiped when destroyed, because a point can be a
// secret (an ECDH shared point before it is hashed).
class Ed448Point {
 public:
  Ed448Point() = default;
  Ed448Point(const Ed448Point&) = default;
  Ed448Point& operator=(const Ed448Point&) = default;
  ~Ed448Point();

  // Bytes of the largest internal form (libdecaf's point, 4 x 64 bytes).
  static constexpr size_t kInternalSize = 256;

 private:
  friend class Ed448PointAccess;  // crypto/ed448_point_access.h, backends only

  alignas(32) std::array<uint8_t, kInternalSize> internal_{};
  Ed448Encoding encoding_{};
  const void* owner_ = nullptr;  // the making backend's tag; null: unset
  bool has_encoding_ = false;
};

// A DSA public key as in the PUBKEY type of the v2/v3 specs (type 0x0000).
struct DsaPublicKey {
  Bytes p, q, g, y;  // minimal big-endian
  friend bool operator==(const DsaPublicKey&, const DsaPublicKey&) = default;
};

struct DsaPrivateKey {
  DsaPublicKey pub;
  SecretBytes x;
};

inline constexpr size_t kDsaSignatureSize = 40;  // r || s, 20 bytes each

// The buffers of a stream cipher call (Aes128Ctr, ChaCha20, XSalsa20, a
// keyed AES): `out` has the size of `in`, and is `in` itself or apart from
// it; kOutOfRange otherwise (a partial overlap would make the output depend
// on how the library walks the buffer). Every backend checks with this.
Status CheckStreamBuffers(ByteView in, MutableByteView out);

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;

  // --- Hashes, XOF, MACs ---
  virtual std::unique_ptr<HashContext> NewHash(HashAlgorithm alg) const = 0;
  virtual std::unique_ptr<HashContext> NewHmac(HashAlgorithm alg, ByteView key) const = 0;
  virtual std::unique_ptr<XofContext> NewShake256() const = 0;
  // SHAKE-256 of the concatenation of `inputs`, squeezed into `out`. The
  // default streams them through NewShake256(); a backend may override it
  // to keep the context off the heap (the fuzzing stand-in does).
  virtual void Shake256Of(std::span<const ByteView> inputs, MutableByteView out) const;

  // HMAC with `key` (any length, including zero) set up for many messages.
  virtual std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg,
                                                  const SecretBytes& key) const = 0;

  // One-shot forms.
  Bytes Hash(HashAlgorithm alg, ByteView data) const;
  SecretBytes Hmac(HashAlgorithm alg, ByteView key, ByteView data) const;
  SecretBytes Shake256(ByteView data, size_t out_size) const;

  // --- Ciphers (encryption and decryption are the same operation) ---
  // AES-128 in counter mode with OTR's counter block: the 8-byte top half
  // given, the bottom half starting at zero (otr v3 spec, "Data Message").
  // `out` must have the size of `in`; in == out is allowed.
  virtual Status Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                           MutableByteView out) const = 0;
  // The same with the key schedule set up once; kInvalidKey unless the key
  // has 16 bytes.
  virtual Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(
      const SecretBytes& key) const = 0;
  // ChaCha20 of RFC 7539 (32-bit block counter, 96-bit nonce).
  virtual Status ChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter, ByteView in,
                          MutableByteView out) const = 0;
  // XSalsa20 (32-byte key, 24-byte nonce, keystream from block 0): not in
  // OTRv4; libotr-ng encrypts its Data Messages with it (libsodium's
  // crypto_stream_xor), so the `libotr-ng` compatibility profile needs it.
  // Both backends use libsodium (crypto/sodium), neither library having it.
  virtual Status XSalsa20(const SecretBytes& key, ByteView nonce, ByteView in,
                          MutableByteView out) const = 0;

  // --- Modular arithmetic (odd modulus m > 1; inputs need not be reduced) ---
  // base^exponent mod m, constant time in the exponent and base.
  virtual Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent,
                                     ByteView m) const = 0;
  // base^exponent mod m for a public exponent (may be variable time).
  virtual Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m) const = 0;
  // base1^exponent1 * base2^exponent2 mod m, a product of two powers (SMP's
  // proofs, otr v3 spec "Socialist Millionaires' Protocol (SMP)"), constant
  // time in the exponents and bases. The default computes both powers and
  // their product; the backends use a simultaneous (Straus/Shamir)
  // exponentiation, about one exponentiation and a half.
  virtual Result<SecretBytes> ModExp2(ByteView base1, const SecretBytes& exponent1, ByteView base2,
                                      const SecretBytes& exponent2, ByteView m) const;
  // The same for public exponents and bases (may be variable time).
  virtual Result<Bytes> ModExp2Public(ByteView base1, ByteView exponent1, ByteView base2,
                                      ByteView exponent2, ByteView m) const;
  // The Jacobi symbol (a | n) of public values: -1, 0 or 1 (variable time).
  // kOutOfRange unless n is odd and greater than 1.
  virtual Result<int> JacobiPublic(ByteView a, ByteView n) const = 0;
  virtual Result<SecretBytes> ModMul(ByteView a, ByteView b, ByteView m) const = 0;
  virtual Result<SecretBytes> ModAdd(ByteView a, ByteView b, ByteView m) const = 0;
  virtual Result<SecretBytes> ModSub(ByteView a, ByteView b, ByteView m) const = 0;
  // a^-1 mod m; kOutOfRange when a has no inverse.
  virtual Result<SecretBytes> ModInverse(ByteView a, ByteView m) const = 0;
  // a mod m.
  virtual Result<SecretBytes> Mod(ByteView a, ByteView m) const = 0;
  // -1, 0, 1 as a <, ==, > b (public values only).
  virtual int Compare(ByteView a, ByteView b) const = 0;

  // --- DSA (1024-bit p, 160-bit q), otr v2/v3 spec "Public keys, signatures" ---
  // Generates domain parameters and a key with the library's own generator.
  virtual Result<DsaPrivateKey> GenerateDsaKey() const = 0;
  // Signs `message` taken as a big-endian integer modulo q (not truncated as
  // in FIPS 186, and not hashed again), with the nonce k drawn from `random`.
  // Returns r || s, each 20 bytes big-endian. g^k is computed as g^(k + q)
  // or g^(k + 2q), whichever has bitlen(q) + 1 bits, on a fixed number of
  // bytes: the exponentiation's length does not depend on k.
  Result<Bytes> DsaSign(const DsaPrivateKey& key, ByteView message, Random& random) const;
  // Verifies r || s over `message` taken modulo q.
  virtual Status DsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature) const = 0;

  // --- Ed448-Goldilocks (RFC 8032; otrv4.md "Elliptic Curve Operations") ---
  // Decodes and validates (otrv4.md "Verifying that a point is on the
  // curve"): 57 bytes (kInvalidEncoding), canonical (kNonCanonical), on the
  // curve (kNotOnCurve), in the prime-order subgroup (kNotInSubgroup) and not
  // the identity (kIdentityPoint). The subgroup check is exact but costs no
  // scalar multiplication (docs/decisions/0004-decaf-isogeny.md). Decode,
  // Add, Sub, Negate, Encode and Equal work on public values and need not be
  // constant time.
  virtual Result<Ed448Point> Ed448Decode(ByteView encoded) const = 0;
  virtual Ed448Point Ed448Base() const = 0;
  virtual Ed448Point Ed448Identity() const = 0;
  // Group law in the internal form: no scalar multiplication.
  virtual Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b) const = 0;
  virtual Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b) const = 0;
  virtual Ed448Point Ed448Negate(const Ed448Point& a) const = 0;
  // scalar * point and scalar * B, constant time in the scalar. The scalar is
  // a 57-byte little-endian integer, taken mod q (it need not be reduced).
  virtual Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const = 0;
  virtual Ed448Point Ed448MulBase(const SecretBytes& scalar) const = 0;
  // a * P + b * Q, constant time in the scalars and the points (the two-term
  // combinations of the ring signature, otrv4.md "Ring Signature
  // Authentication", and of SMP, "Socialist Millionaires Protocol (SMP)").
  // The default is two Ed448Mul and an Ed448Add; `openssl` computes both
  // products in one pass and returns the sum with its encoding (decision
  // 0033). Scalars as for Ed448Mul: 57 bytes, taken mod q.
  virtual Ed448Point Ed448MulAdd(const Ed448Point& p, const SecretBytes& a, const Ed448Point& q,
                                 const SecretBytes& b) const;
  // a * B + b * P for PUBLIC scalars only (a proof's check, RVrf): may take
  // time that depends on a and b. The default is Ed448MulBase, Ed448Mul and
  // Ed448Add; `openssl` uses libdecaf's variable-time double multiplication.
  virtual Ed448Point Ed448MulBaseAddPublic(ByteView a, ByteView b, const Ed448Point& p) const;
  // The wire form of a point (otrv4.md "Encoding and Decoding", POINT).
  // Protocol code reads points only through this and Ed448Equal. Free when
  // the point carries its encoding; otherwise the backend converts (on
  // `openssl`, a scalar multiplication by 1/4 after Add or Sub).
  virtual Ed448Encoding Ed448Encode(const Ed448Point& point) const = 0;
  // Equality of the points, in the internal form (no encoding).
  virtual bool Ed448Equal(const Ed448Point& a, const Ed448Point& b) const = 0;

  // Scalars mod q, 57 bytes little-endian.
  // kNonCanonical unless 57 bytes encoding a value < q.
  virtual Result<SecretBytes> Ed448ScalarDecode(ByteView encoded) const = 0;
  // Any little-endian byte string reduced mod q (e.g. a 114-byte hash).
  virtual SecretBytes Ed448ScalarReduce(ByteView little_endian) const = 0;
  virtual SecretBytes Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const = 0;
  virtual SecretBytes Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const = 0;
  virtual SecretBytes Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const = 0;

  // EdDSA Ed448 with an empty context (RFC 8032 section 5.2).
  virtual Result<Bytes> Ed448DerivePublicKey(const SecretBytes& seed) const = 0;
  virtual Result<Bytes> Ed448Sign(const SecretBytes& seed, ByteView message) const = 0;
  virtual Status Ed448Verify(ByteView public_key, ByteView message, ByteView signature) const = 0;
};

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_BACKEND_H_

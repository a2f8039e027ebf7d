// The fuzzing-only stand-in backend; see fuzzing_backend.h for the design.
#include "crypto/fuzzing/fuzzing_backend.h"

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION

#include <gcrypt.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "base/no_coverage.h"
#include "crypto/ed448_point_access.h"
#include "crypto/gcrypt/init.h"
#include "crypto/modp_group.h"
#include "crypto/testing/forwarding_backend.h"

namespace otr::crypto::fuzzing {
namespace {

constexpr uint64_t kEd448Generator = 4;
constexpr uint64_t kDsaGenerator = 4;
const Ed448PointOwner kOwner{"fuzzing"};

struct SmallPoint {
  uint64_t value;
};

// The arithmetic below is the stand-in's machinery, not code under test: a
// fuzzing build does not instrument it for coverage (its loops run over the
// bits of random exponents and would only feed libFuzzer noise; decision
// 0040). What the protocol decides (Ed448Decode's refusals, a signature that
// does not verify) stays instrumented.
// Not inlined either (OTR_NO_COVERAGE, base/no_coverage.h): clang
// instruments an inlined body as part of its caller (the profiles showed
// PowMod's loop traced inside Ed448Mul).

// x mod m. Every modulus the protocol reaches here is 2^k - c with a small
// c (kSmallP = 2^62 - 11585, kSmallQ = 2^61 - 5793, kSmallP - 1): folding
// the bits above k back in as c times their value replaces the 128-bit
// division (__umodti3, 2-3% of the v4 targets' time); other moduli (a
// fuzzed DSA key's) divide.
// Called only from the helpers below, which are not instrumented either.
OTR_NO_COVERAGE_INLINE inline uint64_t Reduce(unsigned __int128 x, uint64_t m) {
  const int k = 64 - __builtin_clzll(m | 1);
  const uint64_t c = k == 64 ? uint64_t{0} - m : (uint64_t{1} << k) - m;
  if (k < 48 || c >= (uint64_t{1} << 16)) return static_cast<uint64_t>(x % m);
  const unsigned __int128 mask = (static_cast<unsigned __int128>(1) << k) - 1;
  while ((x >> k) != 0) x = (x & mask) + (x >> k) * c;
  uint64_t r = static_cast<uint64_t>(x);  // below 2^k = m + c < 2m
  if (r >= m) r -= m;
  return r;
}

OTR_NO_COVERAGE uint64_t MulMod(uint64_t a, uint64_t b, uint64_t m) {
  return Reduce(static_cast<unsigned __int128>(a) * b, m);
}

// base^exponent mod M, M known when compiled (kSmallP, kSmallQ): Reduce's
// shift and constant fold, where MulMod works them out on every call.
template <uint64_t M>
OTR_NO_COVERAGE_INLINE inline uint64_t PowModConstant(uint64_t base, uint64_t exponent) {
  uint64_t result = 1;
  base %= M;
  for (; exponent != 0; exponent >>= 1) {
    if (exponent & 1) result = Reduce(static_cast<unsigned __int128>(result) * base, M);
    base = Reduce(static_cast<unsigned __int128>(base) * base, M);
  }
  return result;
}

// 2^e mod kSmallP from a table of 2^(j 256^i) (8 windows of 8 bits, 16
// KiB, made on first use): 8 multiplications instead of about 90. The
// generators the stand-in meets are 2 (the DH groups' g) and 4 = 2^2 (G's).
OTR_NO_COVERAGE uint64_t PowerOfTwo(uint64_t e) {
  using Table = std::array<std::array<uint64_t, 256>, 8>;
  static const Table* const table = [] {
    auto* t = new Table;
    uint64_t window_base = 2;  // 2^(256^i)
    for (auto& row : *t) {
      row[0] = 1;
      for (size_t j = 1; j < 256; ++j) row[j] = MulMod(row[j - 1], window_base, kSmallP);
      window_base = MulMod(row[255], window_base, kSmallP);
    }
    return t;
  }();
  e %= kSmallP - 1;  // 2^(p-1) = 1 (Fermat); e < 2^62 fits 8 windows
  uint64_t result = 1;
  for (size_t i = 0; i < 8; ++i) {
    result = Reduce(static_cast<unsigned __int128>(result) * (*table)[i][(e >> (8 * i)) & 0xff],
                    kSmallP);
  }
  return result;
}

OTR_NO_COVERAGE uint64_t PowMod(uint64_t base, uint64_t exponent, uint64_t m) {
  if (m == kSmallP && base == 2) return PowerOfTwo(exponent);
  if (m == kSmallP && base == 4) {
    // 4^e = 2^(2e mod (p - 1)).
    return PowerOfTwo(MulMod(exponent % (kSmallP - 1), 2, kSmallP - 1));
  }
  if (m == kSmallP) return PowModConstant<kSmallP>(base, exponent);
  if (m == kSmallQ) return PowModConstant<kSmallQ>(base, exponent);
  uint64_t result = 1 % m;
  base %= m;
  for (; exponent != 0; exponent >>= 1) {
    if (exponent & 1) result = MulMod(result, base, m);
    base = MulMod(base, base, m);
  }
  return result;
}

// Whether x (0 < x < kSmallP) is a square mod kSmallP, that is, in G (the
// squares are the subgroup of order kSmallQ of Z_p^*, p a safe prime), by
// the Jacobi symbol's reciprocity (a few dozen shifts and divisions instead
// of x^q's modular exponentiation).
OTR_NO_COVERAGE bool IsSquare(uint64_t x) {
  uint64_t a = x % kSmallP, n = kSmallP;
  bool positive = true;
  while (a != 0) {
    const int twos = __builtin_ctzll(a);
    a >>= twos;
    // (2/n) = -1 when n = 3 or 5 mod 8.
    if ((twos & 1) != 0 && (n % 8 == 3 || n % 8 == 5)) positive = !positive;
    // Reciprocity: (a/n) = -(n/a) when both are 3 mod 4.
    if (a % 4 == 3 && n % 4 == 3) positive = !positive;
    const uint64_t r = n % a;
    n = a;
    a = r;
  }
  return n == 1 && positive;
}

// a^-1 mod m by extended Euclid; nullopt when gcd(a, m) != 1.
OTR_NO_COVERAGE std::optional<uint64_t> InvMod(uint64_t a, uint64_t m) {
  // The remainders fit 64 bits (64-bit divisions, no __divti3); the
  // coefficients are bounded by m in absolute value.
  __int128 t = 0, new_t = 1;
  uint64_t r = m, new_r = a % m;
  while (new_r != 0) {
    const uint64_t quotient = r / new_r;
    t = std::exchange(new_t, t - static_cast<__int128>(quotient) * new_t);
    r = std::exchange(new_r, r - quotient * new_r);
  }
  if (r != 1) return std::nullopt;
  if (t < 0) t += m;
  return static_cast<uint64_t>(t);
}

// base^exponent mod m, the exponent big-endian of any length (square and
// multiply from its top bit).
OTR_NO_COVERAGE uint64_t PowModBytes(uint64_t base, ByteView exponent, uint64_t m) {
  uint64_t result = 1 % m;
  base %= m;
  for (uint8_t byte : exponent) {
    for (int bit = 7; bit >= 0; --bit) {
      result = MulMod(result, result, m);
      if (((byte >> bit) & 1) != 0) result = MulMod(result, base, m);
    }
  }
  return result;
}

OTR_NO_COVERAGE ByteView StripZeros(ByteView v) {
  size_t i = 0;
  while (i < v.size() && v[i] == 0) ++i;
  return v.subspan(i);
}

// Compares a modulus the engine passes with the group constants (IsBigP,
// IsBigQ: on every DH and SMP call), never input: not instrumented (the
// profiles showed std::equal's traced comparisons over 192-384 bytes).
OTR_NO_COVERAGE bool SameNumber(ByteView a, ByteView b) {
  // The engine passes GetModpGroup's own bytes, which big_p_ and big_q_
  // view: the same bytes are the same number.
  if (a.data() == b.data() && a.size() == b.size()) return true;
  const ByteView x = StripZeros(a), y = StripZeros(b);
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

// A big-endian value that fits 64 bits.
OTR_NO_COVERAGE std::optional<uint64_t> Small(ByteView big_endian) {
  const ByteView v = StripZeros(big_endian);
  if (v.size() > 8) return std::nullopt;
  uint64_t out = 0;
  for (uint8_t b : v) out = out << 8 | b;
  return out;
}

// An odd modulus above 1 that fits 64 bits: the stand-in's small DSA keys
// (FuzzingDsaKey) sign with q and p of this size. Backend::DsaSign's
// arithmetic modulo them is exact here (the inner backend would convert
// every operand to a BIGNUM and allocate a context per call); the results
// are the inner backend's, minimal big-endian (//fuzz:fuzzing_backend_test).
OTR_NO_COVERAGE std::optional<uint64_t> SmallOddModulus(ByteView m) {
  const std::optional<uint64_t> small = Small(m);
  if (!small.has_value() || *small % 2 == 0 || *small == 1) return std::nullopt;
  return small;
}

// Horner's rule over up to 7 bytes at a time: out < m < 2^64, so
// out * 2^56 + chunk < 2^120 fits the 128-bit Reduce (one reduction per 7
// bytes instead of one per byte: DH and SMP exponents are 192-384 bytes).
inline constexpr size_t kChunk = 7;

OTR_NO_COVERAGE uint64_t ReduceBigEndian(ByteView v, uint64_t m) {
  uint64_t out = 0;
  for (size_t i = 0; i < v.size();) {
    const size_t n = std::min(kChunk, v.size() - i);
    uint64_t chunk = 0;
    for (size_t j = 0; j < n; ++j) chunk = chunk << 8 | v[i + j];
    out = Reduce(static_cast<unsigned __int128>(out) << (8 * n) | chunk, m);
    i += n;
  }
  return out;
}

OTR_NO_COVERAGE uint64_t ReduceLittleEndian(ByteView v, uint64_t m) {
  // High zero bytes change nothing (a canonical scalar has 49 of them).
  size_t top = v.size();
  while (top > 0 && v[top - 1] == 0) --top;
  uint64_t out = 0;
  while (top > 0) {
    const size_t n = std::min(kChunk, top);
    uint64_t chunk = 0;
    for (size_t j = 0; j < n; ++j) chunk = chunk << 8 | v[top - 1 - j];
    out = Reduce(static_cast<unsigned __int128>(out) << (8 * n) | chunk, m);
    top -= n;
  }
  return out;
}

// v big-endian without leading zero bytes, at the end of `bytes`: the view.
OTR_NO_COVERAGE ByteView MinimalBigEndianIn(uint64_t v, uint8_t (&bytes)[8]) {
  size_t n = 0;
  for (; v != 0; v >>= 8) bytes[7 - n++] = static_cast<uint8_t>(v);
  return ByteView(bytes + 8 - n, n);
}

// Built in place, then one allocation (not an insert at the front per byte,
// whose vector code is instrumented).
Bytes MinimalBigEndian(uint64_t v) {
  uint8_t bytes[8];
  const ByteView view = MinimalBigEndianIn(v, bytes);
  return Bytes(view.begin(), view.end());
}

SecretBytes SecretBigEndian(uint64_t v) {
  uint8_t bytes[8];
  return SecretBytes(MinimalBigEndianIn(v, bytes));
}

OTR_NO_COVERAGE SecretBytes Scalar(uint64_t v) {
  SecretBytes out(kEd448ScalarSize);
  for (size_t i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

// Whether every byte after the first 8 is zero: the stand-in's encodings
// hold their value there. One answer the caller branches on (its refusal
// stays instrumented), not a traced comparison per byte.
OTR_NO_COVERAGE bool HighBytesZero(ByteView v) {
  uint8_t any = 0;
  for (size_t i = 8; i < v.size(); ++i) any |= v[i];
  return any == 0;
}

// The first 8 bytes, little-endian.
OTR_NO_COVERAGE uint64_t LittleEndian64(ByteView v) {
  uint64_t out = 0;
  for (size_t i = 0; i < 8; ++i) out |= uint64_t{v[i]} << (8 * i);
  return out;
}

uint64_t ScalarValue(ByteView little_endian) { return ReduceLittleEndian(little_endian, kSmallQ); }

OTR_NO_COVERAGE Ed448Encoding Encode(uint64_t v) {
  Ed448Encoding out{};
  for (size_t i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

Ed448Point MakePoint(uint64_t v) {
  const Ed448Encoding encoding = Encode(v);
  return Ed448PointAccess::Make(kOwner, SmallPoint{v}, &encoding);
}

uint64_t ValueOf(const Ed448Point& point) {
  SmallPoint p{};
  Ed448PointAccess::Read(kOwner, point, p);
  return p.value;
}

// The DH element a value stands for: itself below kSmallP, else 0 (a
// non-element that no exponent or product brings back into G).
uint64_t Element(ByteView v) {
  const std::optional<uint64_t> small = Small(v);
  return small.has_value() && *small < kSmallP ? *small : 0;
}

// SHA-1, SHA-256 and their HMACs on libgcrypt handles kept per thread and
// reset between uses: the v3 key derivation calls them about 170 times per
// input, and under ASan every allocation pays for a stack trace. OpenSSL 3.0
// allocates a provider context on every EVP_DigestInit_ex2; gcry_md_reset
// allocates nothing (decisions 0040, 0049). The functions are the standard
// ones: //fuzz:fuzzing_backend_test checks them against the inner backend's.
enum class Kind { kSha1, kSha256, kHmacSha1, kHmacSha256, kCount };

class PooledHandle {
 public:
  explicit PooledHandle(Kind kind) : kind_(kind), handle_(Take(kind)) {}
  ~PooledHandle() {
    // The state goes (a reset zeroes it; an HMAC handle keeps its key's
    // pads until its next user sets a key: a fuzzing build's stand-in).
    gcry_md_reset(handle_);
    Pool().free[static_cast<size_t>(kind_)].push_back(handle_);
  }
  PooledHandle(const PooledHandle&) = delete;
  PooledHandle& operator=(const PooledHandle&) = delete;

  gcry_md_hd_t get() const { return handle_; }

 private:
  struct Handles {
    Handles() = default;
    ~Handles() {
      for (const std::vector<gcry_md_hd_t>& list : free) {
        for (gcry_md_hd_t h : list) gcry_md_close(h);
      }
    }
    Handles(const Handles&) = delete;
    Handles& operator=(const Handles&) = delete;
    std::array<std::vector<gcry_md_hd_t>, static_cast<size_t>(Kind::kCount)> free;
  };
  static Handles& Pool() {
    thread_local Handles handles;
    return handles;
  }
  static gcry_md_hd_t Take(Kind kind) {
    std::vector<gcry_md_hd_t>& free = Pool().free[static_cast<size_t>(kind)];
    if (!free.empty()) {
      gcry_md_hd_t h = free.back();
      free.pop_back();
      return h;  // reset when it was given back
    }
    if (!gcrypt_internal::EnsureInitialized()) std::abort();
    gcry_md_hd_t h = nullptr;
    if (gcry_md_open(&h, Algorithm(kind), IsHmac(kind) ? GCRY_MD_FLAG_HMAC : 0) != 0) {
      std::abort();
    }
    return h;
  }
  static bool IsHmac(Kind kind) { return kind == Kind::kHmacSha1 || kind == Kind::kHmacSha256; }
  static int Algorithm(Kind kind) {
    switch (kind) {
      case Kind::kSha1:
      case Kind::kHmacSha1:
        return GCRY_MD_SHA1;
      default:
        return GCRY_MD_SHA256;
    }
  }

  Kind kind_;
  gcry_md_hd_t handle_;
};

// The stand-in for SHAKE-256 (decision 0052): xxHash64's lane round over
// 32-byte blocks, its merge and avalanche, then output words from the
// merged state and their index. Like SHAKE-256 it reads its input as one
// string however it is split (Update(a), Update(b) is Update(a || b)), and
// a longer output begins with the shorter one. Its outputs are not SHAKE-
// 256's: it is much cheaper (libgcrypt's Keccak was about 11% of the
// offline fuzzer's time), and nothing a fuzzer meets tells the two apart
// (keys, MACs and nonces stay functions of every input byte; no fuzzer
// inverts either one). Not instrumented, like the arithmetic.
class StandInXof final : public XofContext {
  static_assert(std::endian::native == std::endian::little, "words are read little-endian");

 public:
  OTR_NO_COVERAGE_INLINE void Update(ByteView data) override {
    if (finished_) std::abort();
    length_ += data.size();
    size_t pos = 0;
    if (fill_ != 0) {
      pos = std::min(data.size(), kBlock - fill_);
      std::copy_n(data.data(), pos, block_.data() + fill_);
      fill_ += pos;
      if (fill_ < kBlock) return;
      Absorb(block_.data());
      fill_ = 0;
    }
    for (; data.size() - pos >= kBlock; pos += kBlock) Absorb(data.data() + pos);
    std::copy(data.begin() + pos, data.end(), block_.begin());
    fill_ = data.size() - pos;
  }
  OTR_NO_COVERAGE_INLINE void Finish(MutableByteView out) override {
    if (finished_) std::abort();
    finished_ = true;
    // The last block, padded with zeros (the length below tells paddings
    // apart), then the lanes merged as xxHash64 merges them.
    std::fill(block_.begin() + fill_, block_.end(), uint8_t{0});
    Absorb(block_.data());
    uint64_t h = Rotl(lane_[0], 1) + Rotl(lane_[1], 7) + Rotl(lane_[2], 12) + Rotl(lane_[3], 18);
    for (uint64_t lane : lane_) h = (h ^ Round(0, lane)) * kP1 + kP4;
    h = Avalanche(h ^ length_);
    for (size_t i = 0; i < out.size(); i += 8) {
      const uint64_t word = Avalanche(h + (i / 8 + 1) * kP5 + lane_[i / 8 % 4]);
      if (out.size() - i >= 8) {
        std::memcpy(out.data() + i, &word, 8);  // one store (little-endian)
      } else {
        for (size_t j = 0; i + j < out.size(); ++j)
          out[i + j] = static_cast<uint8_t>(word >> (8 * j));
      }
    }
  }

 private:
  static constexpr size_t kBlock = 32;
  static constexpr uint64_t kP1 = 0x9e3779b185ebca87ULL, kP2 = 0xc2b2ae3d27d4eb4fULL,
                            kP3 = 0x165667b19e3779f9ULL, kP4 = 0x85ebca77c2b2ae63ULL,
                            kP5 = 0x27d4eb2f165667c5ULL;
  static uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
  static uint64_t Round(uint64_t acc, uint64_t input) { return Rotl(acc + input * kP2, 31) * kP1; }
  static uint64_t Avalanche(uint64_t h) {
    h = (h ^ (h >> 33)) * kP2;
    h = (h ^ (h >> 29)) * kP3;
    return h ^ (h >> 32);
  }
  OTR_NO_COVERAGE_INLINE void Absorb(const uint8_t* block) {
    for (size_t i = 0; i < 4; ++i) {
      uint64_t word;
      std::memcpy(&word, block + 8 * i, 8);  // one load (little-endian)
      lane_[i] = Round(lane_[i], word);
    }
  }

  std::array<uint64_t, 4> lane_{kP1 + kP2, kP2, 0, uint64_t{0} - kP1};
  std::array<uint8_t, kBlock> block_{};
  size_t fill_ = 0;
  uint64_t length_ = 0;
  bool finished_ = false;
};

// SHA-1 or SHA-256, or (with a key) their HMAC.
class PooledHash final : public HashContext {
 public:
  PooledHash(HashAlgorithm alg, const ByteView* hmac_key)
      : alg_(alg), handle_(KindOf(alg, hmac_key != nullptr)) {
    if (hmac_key != nullptr &&
        gcry_md_setkey(handle_.get(), hmac_key->data(), hmac_key->size()) != 0) {
      std::abort();
    }
  }

  void Update(ByteView data) override {
    if (finished_) std::abort();
    if (!data.empty()) gcry_md_write(handle_.get(), data.data(), data.size());
  }
  SecretBytes Finish() override {
    if (finished_) std::abort();
    finished_ = true;
    const int algorithm = alg_ == HashAlgorithm::kSha1 ? GCRY_MD_SHA1 : GCRY_MD_SHA256;
    const uint8_t* digest = gcry_md_read(handle_.get(), algorithm);
    if (digest == nullptr) std::abort();
    return SecretBytes(ByteView(digest, DigestSize(alg_)));
  }

 private:
  static Kind KindOf(HashAlgorithm alg, bool hmac) {
    if (alg == HashAlgorithm::kSha1) return hmac ? Kind::kHmacSha1 : Kind::kSha1;
    return hmac ? Kind::kHmacSha256 : Kind::kSha256;
  }

  HashAlgorithm alg_;
  PooledHandle handle_;
  bool finished_ = false;
};

// ChaCha20 (RFC 7539) on one libgcrypt handle per thread, keyed for each
// call: the v4 ratchet encrypts and decrypts every Data Message with it, and
// the inner (OpenSSL) backend allocates a cipher context and a provider
// context per call, each paying ASan's stack trace (decision 0049). Only a
// call the Backend contract accepts comes here (Fuzzing::ChaCha20); the
// state words 12..15 are the 32-bit little-endian block counter and the
// nonce, as in crypto/gcrypt.
bool PooledChaCha20(ByteView key, ByteView nonce, uint32_t counter, ByteView in,
                    MutableByteView out) {
  struct Handle {
    Handle() {
      if (!gcrypt_internal::EnsureInitialized() ||
          gcry_cipher_open(&h, GCRY_CIPHER_CHACHA20, GCRY_CIPHER_MODE_STREAM, 0) != 0) {
        std::abort();
      }
    }
    ~Handle() { gcry_cipher_close(h); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    gcry_cipher_hd_t h = nullptr;
  };
  thread_local Handle handle;
  std::array<uint8_t, 16> iv{};
  for (size_t i = 0; i < 4; ++i) iv[i] = static_cast<uint8_t>(counter >> (8 * i));
  std::copy(nonce.begin(), nonce.end(), iv.begin() + 4);
  const bool ok =
      gcry_cipher_setkey(handle.h, key.data(), key.size()) == 0 &&
      gcry_cipher_setiv(handle.h, iv.data(), iv.size()) == 0 &&
      (in.empty() ||
       (in.data() == out.data()
            ? gcry_cipher_encrypt(handle.h, out.data(), out.size(), nullptr, 0)
            : gcry_cipher_encrypt(handle.h, out.data(), out.size(), in.data(), in.size())) == 0);
  // The key schedule goes with the next call's key; the IV is on the stack.
  std::fill(iv.begin(), iv.end(), uint8_t{0});
  return ok;
}

class Fuzzing final : public testing::ForwardingBackend {
 public:
  explicit Fuzzing(const Backend& inner) : ForwardingBackend(inner) {
    for (ModpGroupId id : {ModpGroupId::kModp1536, ModpGroupId::kModp3072}) {
      // Views of the static groups (not copies), for SameNumber's fast path.
      big_p_.push_back(GetModpGroup(id).p);
      big_q_.push_back(GetModpGroup(id).q);
    }
  }

  std::string_view name() const override { return "fuzzing"; }

  std::unique_ptr<XofContext> NewShake256() const override {
    return std::make_unique<StandInXof>();
  }
  void Shake256Of(std::span<const ByteView> inputs, MutableByteView out) const override {
    StandInXof xof;  // on the stack: no allocation at all
    for (ByteView input : inputs) xof.Update(input);
    xof.Finish(out);
  }
  std::unique_ptr<HashContext> NewHash(HashAlgorithm alg) const override {
    return std::make_unique<PooledHash>(alg, nullptr);
  }
  std::unique_ptr<HashContext> NewHmac(HashAlgorithm alg, ByteView key) const override {
    return std::make_unique<PooledHash>(alg, &key);
  }

  Status ChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter, ByteView in,
                  MutableByteView out) const override {
    // What the contract refuses (sizes, overlap, a counter past 2^32 - 1
    // blocks) is refused by the inner backend, with its errors.
    const uint64_t blocks = (uint64_t{in.size()} + 63) / 64;
    if (key.size() != kChaCha20KeySize || nonce.size() != kChaCha20NonceSize ||
        !CheckStreamBuffers(in, out).ok() || uint64_t{counter} + blocks > (uint64_t{1} << 32)) {
      return inner().ChaCha20(key, nonce, counter, in, out);
    }
    if (!PooledChaCha20(key.view(), nonce, counter, in, out)) std::abort();
    return Status::Ok();
  }

  // --- DH groups ---
  Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent,
                             ByteView m) const override {
    if (IsBigP(m)) return SecretBigEndian(Power(Element(base), exponent.view()));
    if (const auto mod = SmallOddModulus(m)) {
      return SecretBigEndian(PowModBytes(ReduceBigEndian(base, *mod), exponent.view(), *mod));
    }
    return inner().ModExp(base, exponent, m);
  }
  Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m) const override {
    if (IsBigP(m)) return MinimalBigEndian(Power(Element(base), exponent));
    if (const auto mod = SmallOddModulus(m)) {
      return MinimalBigEndian(PowModBytes(ReduceBigEndian(base, *mod), exponent, *mod));
    }
    return inner().ModExpPublic(base, exponent, m);
  }
  Result<int> JacobiPublic(ByteView a, ByteView n) const override {
    if (!IsBigP(n)) return inner().JacobiPublic(a, n);
    const uint64_t x = Element(a);
    if (x == 0) return Small(a) == uint64_t{0} ? 0 : -1;
    return IsSquare(x) ? 1 : -1;
  }
  Result<SecretBytes> ModMul(ByteView a, ByteView b, ByteView m) const override {
    const std::optional<uint64_t> mod = StandInModulus(m);
    if (!mod.has_value()) return inner().ModMul(a, b, m);
    return SecretBigEndian(MulMod(Factor(a, m, *mod), Factor(b, m, *mod), *mod));
  }
  Result<SecretBytes> ModAdd(ByteView a, ByteView b, ByteView m) const override {
    const std::optional<uint64_t> mod = StandInModulus(m);
    if (!mod.has_value()) return inner().ModAdd(a, b, m);
    const unsigned __int128 sum =
        static_cast<unsigned __int128>(ReduceBigEndian(a, *mod)) + ReduceBigEndian(b, *mod);
    return SecretBigEndian(static_cast<uint64_t>(sum % *mod));
  }
  Result<SecretBytes> ModSub(ByteView a, ByteView b, ByteView m) const override {
    const std::optional<uint64_t> mod = StandInModulus(m);
    if (!mod.has_value()) return inner().ModSub(a, b, m);
    const unsigned __int128 difference =
        static_cast<unsigned __int128>(ReduceBigEndian(a, *mod)) + *mod - ReduceBigEndian(b, *mod);
    return SecretBigEndian(static_cast<uint64_t>(difference % *mod));
  }
  Result<SecretBytes> ModInverse(ByteView a, ByteView m) const override {
    const std::optional<uint64_t> mod = StandInModulus(m);
    if (!mod.has_value()) return inner().ModInverse(a, m);
    const std::optional<uint64_t> inverse = InvMod(Factor(a, m, *mod), *mod);
    if (!inverse.has_value()) return MakeError(ErrorCode::kOutOfRange, "ModInverse: no inverse");
    return SecretBigEndian(*inverse);
  }
  Result<SecretBytes> Mod(ByteView a, ByteView m) const override {
    const std::optional<uint64_t> mod = StandInModulus(m);
    if (!mod.has_value()) return inner().Mod(a, m);
    return SecretBigEndian(ReduceBigEndian(a, *mod));
  }

  // --- DSA ---
  Status DsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature) const override {
    const std::optional<uint64_t> p = Small(key.p), q = Small(key.q), g = Small(key.g),
                                  y = Small(key.y);
    if (!p || !q || !g || !y) return inner().DsaVerify(key, message, signature);
    if (signature.size() != kDsaSignatureSize) {
      return MakeError(ErrorCode::kBadSignature, "DsaVerify: signature must be 40 bytes");
    }
    if (*p < 3 || *q < 2 || *g == 0 || *y == 0) {
      return MakeError(ErrorCode::kInvalidKey, "DsaVerify: malformed public key");
    }
    const std::optional<uint64_t> r = Small(signature.first(20)), s = Small(signature.last(20));
    if (!r || !s || *r == 0 || *r >= *q || *s == 0 || *s >= *q) {
      return MakeError(ErrorCode::kBadSignature, "DsaVerify: r or s outside [1, q-1]");
    }
    const std::optional<uint64_t> w = InvMod(*s, *q);
    if (!w) return MakeError(ErrorCode::kBadSignature, "DsaVerify: s has no inverse");
    const uint64_t m = ReduceBigEndian(message, *q);
    const uint64_t u1 = MulMod(m, *w, *q), u2 = MulMod(*r, *w, *q);
    const uint64_t v = MulMod(PowMod(*g, u1, *p), PowMod(*y, u2, *p), *p) % *q;
    if (v != *r) return MakeError(ErrorCode::kBadSignature, "DsaVerify: signature does not verify");
    return Status::Ok();
  }

  // --- Ed448 ---
  Result<Ed448Point> Ed448Decode(ByteView encoded) const override {
    if (encoded.size() != kEd448PointSize) {
      return MakeError(ErrorCode::kInvalidEncoding, "Ed448Decode: points are 57 bytes");
    }
    if (!HighBytesZero(encoded)) {
      return MakeError(ErrorCode::kNonCanonical, "Ed448Decode (fuzzing): high bytes set");
    }
    const uint64_t raw = LittleEndian64(encoded);
    if (raw == 0 || raw >= kSmallP) {
      return MakeError(ErrorCode::kNotOnCurve, "Ed448Decode (fuzzing): not in Z_p^*");
    }
    if (raw == 1) return MakeError(ErrorCode::kIdentityPoint, "Ed448Decode: the identity");
    if (!IsSquare(raw)) {
      return MakeError(ErrorCode::kNotInSubgroup, "Ed448Decode (fuzzing): outside the subgroup");
    }
    return MakePoint(raw);
  }
  Ed448Point Ed448Base() const override { return MakePoint(kEd448Generator); }
  Ed448Point Ed448Identity() const override { return MakePoint(1); }
  Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b) const override {
    return MakePoint(MulMod(ValueOf(a), ValueOf(b), kSmallP));
  }
  Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b) const override {
    return MakePoint(MulMod(ValueOf(a), *InvMod(ValueOf(b), kSmallP), kSmallP));
  }
  Ed448Point Ed448Negate(const Ed448Point& a) const override {
    return MakePoint(*InvMod(ValueOf(a), kSmallP));
  }
  Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const override {
    return MakePoint(PowMod(ValueOf(point), ScalarValue(scalar.view()), kSmallP));
  }
  Ed448Point Ed448MulBase(const SecretBytes& scalar) const override {
    return MakePoint(PowMod(kEd448Generator, ScalarValue(scalar.view()), kSmallP));
  }
  // The two-term operations (decision 0033) on the stand-in's values
  // (ForwardingBackend would hand its points to the inner backend), without
  // Backend's defaults' copies of the scalars.
  Ed448Point Ed448MulAdd(const Ed448Point& p, const SecretBytes& a, const Ed448Point& q,
                         const SecretBytes& b) const override {
    return MakePoint(MulMod(PowMod(ValueOf(p), ScalarValue(a.view()), kSmallP),
                            PowMod(ValueOf(q), ScalarValue(b.view()), kSmallP), kSmallP));
  }
  Ed448Point Ed448MulBaseAddPublic(ByteView a, ByteView b, const Ed448Point& p) const override {
    return MakePoint(MulMod(PowMod(kEd448Generator, ScalarValue(a), kSmallP),
                            PowMod(ValueOf(p), ScalarValue(b), kSmallP), kSmallP));
  }
  Ed448Encoding Ed448Encode(const Ed448Point& point) const override {
    return Encode(ValueOf(point));
  }
  bool Ed448Equal(const Ed448Point& a, const Ed448Point& b) const override {
    return ValueOf(a) == ValueOf(b);
  }

  Result<SecretBytes> Ed448ScalarDecode(ByteView encoded) const override {
    const bool high_zero = encoded.size() == kEd448ScalarSize && HighBytesZero(encoded);
    if (!high_zero || LittleEndian64(encoded) >= kSmallQ) {
      return MakeError(ErrorCode::kNonCanonical, "Ed448ScalarDecode (fuzzing): not below q");
    }
    return SecretBytes(encoded);
  }
  SecretBytes Ed448ScalarReduce(ByteView little_endian) const override {
    return Scalar(ScalarValue(little_endian));
  }
  SecretBytes Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const override {
    return Scalar((ScalarValue(a.view()) + ScalarValue(b.view())) % kSmallQ);
  }
  SecretBytes Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const override {
    return Scalar((ScalarValue(a.view()) + kSmallQ - ScalarValue(b.view())) % kSmallQ);
  }
  SecretBytes Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const override {
    return Scalar(MulMod(ScalarValue(a.view()), ScalarValue(b.view()), kSmallQ));
  }

  // --- EdDSA stand-in ---
  Result<Bytes> Ed448DerivePublicKey(const SecretBytes& seed) const override {
    OTR_ASSIGN_OR_RETURN(Expanded e, Expand(seed));
    const Ed448Encoding a = Encode(PowMod(kEd448Generator, e.a, kSmallP));
    return Bytes(a.begin(), a.end());
  }
  Result<Bytes> Ed448Sign(const SecretBytes& seed, ByteView message) const override {
    OTR_ASSIGN_OR_RETURN(Expanded e, Expand(seed));
    const Ed448Encoding a = Encode(PowMod(kEd448Generator, e.a, kSmallP));
    const uint64_t r = HashToScalar(e.prefix.view(), {}, message);
    const Ed448Encoding big_r = Encode(PowMod(kEd448Generator, r, kSmallP));
    const uint64_t k = HashToScalar(big_r, a, message);
    const SecretBytes s = Scalar((r + MulMod(k, e.a, kSmallQ)) % kSmallQ);
    Bytes signature(big_r.begin(), big_r.end());
    signature.insert(signature.end(), s.view().begin(), s.view().end());
    return signature;
  }
  Status Ed448Verify(ByteView public_key, ByteView message, ByteView signature) const override {
    if (public_key.size() != kEd448PointSize) {
      return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: public keys are 57 bytes");
    }
    if (signature.size() != kEd448SignatureSize) {
      return MakeError(ErrorCode::kBadSignature, "Ed448Verify: signatures are 114 bytes");
    }
    Result<Ed448Point> a = Ed448Decode(public_key);
    if (!a.ok()) return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: unusable public key");
    Result<Ed448Point> big_r = Ed448Decode(signature.first(kEd448PointSize));
    Result<SecretBytes> s = Ed448ScalarDecode(signature.last(kEd448ScalarSize));
    if (!big_r.ok() || !s.ok()) {
      return MakeError(ErrorCode::kBadSignature, "Ed448Verify: malformed signature");
    }
    const uint64_t k = HashToScalar(signature.first(kEd448PointSize), public_key, message);
    const uint64_t lhs = PowMod(kEd448Generator, ScalarValue(s->view()), kSmallP);
    const uint64_t rhs = MulMod(ValueOf(*big_r), PowMod(ValueOf(*a), k, kSmallP), kSmallP);
    if (lhs != rhs) {
      return MakeError(ErrorCode::kBadSignature, "Ed448Verify: signature does not verify");
    }
    return Status::Ok();
  }

 private:
  struct Expanded {
    uint64_t a;
    SecretBytes prefix;
  };

  Result<Expanded> Expand(const SecretBytes& seed) const {
    if (seed.size() != kEd448SeedSize) {
      return MakeError(ErrorCode::kInvalidKey, "Ed448: private keys are 57-byte seeds");
    }
    // RFC 8032 section 5.2.5, as protocol/v4/crypto/keys.h derives the
    // public key itself (HashAndPrune, then Ed448MulBase): the pruned first
    // half of SHAKE-256(seed, 114) (the stand-in's) is the secret scalar.
    SecretBytes h = Shake256(seed.view(), 2 * kEd448ScalarSize);
    h[0] &= 0xfc;
    h[kEd448ScalarSize - 1] = 0;
    h[kEd448ScalarSize - 2] |= 0x80;
    return Expanded{ScalarValue(h.view().first(kEd448ScalarSize)),
                    SecretBytes(h.view().last(kEd448ScalarSize))};
  }

  uint64_t HashToScalar(ByteView first, ByteView second, ByteView message) const {
    StandInXof xof;
    xof.Update(first);
    xof.Update(second);
    xof.Update(message);
    uint8_t out[2 * kEd448ScalarSize];
    xof.Finish(MutableByteView(out));
    return ScalarValue(ByteView(out));
  }

  uint64_t Power(uint64_t base, ByteView exponent) const {
    // Exponents modulo p - 1: exact for every element of Z_p^*.
    return base == 0 ? 0 : PowMod(base, ReduceBigEndian(exponent, kSmallP - 1), kSmallP);
  }
  bool IsBigP(ByteView m) const {
    return std::any_of(big_p_.begin(), big_p_.end(), [&](ByteView p) { return SameNumber(p, m); });
  }
  bool IsBigQ(ByteView m) const {
    return std::any_of(big_q_.begin(), big_q_.end(), [&](ByteView q) { return SameNumber(q, m); });
  }
  bool IsBig(ByteView m) const { return IsBigP(m) || IsBigQ(m); }
  uint64_t Stand(ByteView m) const { return IsBigP(m) ? kSmallP : kSmallQ; }
  // What the stand-in computes modulo for `m`: kSmallP or kSmallQ for the big
  // groups' p and q, an odd modulus of at most 64 bits itself; else nothing
  // (the inner backend's).
  std::optional<uint64_t> StandInModulus(ByteView m) const {
    if (IsBig(m)) return Stand(m);
    return SmallOddModulus(m);
  }
  // A factor of a product or inverse modulo `mod` (StandInModulus(m)): the
  // element of G it stands for modulo the big groups' p, else its remainder.
  uint64_t Factor(ByteView v, ByteView m, uint64_t mod) const {
    return IsBigP(m) ? Element(v) : ReduceBigEndian(v, mod);
  }

  std::vector<ByteView> big_p_, big_q_;
};

}  // namespace

std::unique_ptr<Backend> MakeFuzzingBackend(const Backend& inner) {
  return std::make_unique<Fuzzing>(inner);
}

DsaPrivateKey FuzzingDsaKey(uint64_t x) {
  x = x % (kSmallQ - 1) + 1;
  DsaPrivateKey key;
  key.pub.p = MinimalBigEndian(kSmallP);
  key.pub.q = MinimalBigEndian(kSmallQ);
  key.pub.g = MinimalBigEndian(kDsaGenerator);
  key.pub.y = MinimalBigEndian(PowMod(kDsaGenerator, x, kSmallP));
  key.x = SecretBigEndian(x);
  return key;
}

}  // namespace otr::crypto::fuzzing

#endif  // FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION

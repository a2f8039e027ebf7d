// Straus/Shamir in a blinded Montgomery representation (the method of
// crypto/gcrypt/modexp.cc, with two bases):
//   acc = R                                  R: a random unit mod m
//   T[4i + j] = b1^i * b2^j * R^-3           for i, j in 0..3
//   per 2-bit window (i of e1, j of e2):  acc = acc^4 * T[4i + j]
//                                            (invariant: acc = b1^e1' b2^e2' R)
//   result = acc * R^-1
// Why blinded: BN_mod_mul_montgomery takes bn_mul_mont only when both
// operands have the modulus' full word count; an unblinded T[0] (the
// Montgomery form of 1, R mod p, 1473 bits for the 1536-bit prime) or a small
// base (g1 = 2) would send every zero window down the other, faster path
// (issue 14, finding 2). With R random every operand is a random-looking
// residue whatever the exponents are. Residual (as in fixed_base.h): a value
// whose top word is zero, probability about 2^-64 per operand.
#include "crypto/openssl/multi_exp.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <algorithm>
#include <vector>

#include "crypto/openssl/bignum.h"
#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {
namespace {

using MontCtxPtr = Owned<BN_MONT_CTX, BN_MONT_CTX_free>;

constexpr size_t kWindowBits = 2;  // per exponent
constexpr size_t kEntries = size_t{1} << (2 * kWindowBits);
constexpr int kBlindingAttempts = 64;

BnPtr NewSecret() {
  BnPtr n(BN_secure_new());
  FatalUnless(n != nullptr, "BN_secure_new");
  BN_set_flags(n.get(), BN_FLG_CONSTTIME);
  return n;
}

// Byte k of `e` left-padded with zeros to `length` bytes (length is public).
uint8_t PaddedByte(const SecretBytes& e, size_t length, size_t k) {
  const size_t pad = length - e.size();
  return k < pad ? 0 : e[k - pad];
}

class Montgomery {
 public:
  Montgomery(const BIGNUM* m, BN_CTX* ctx) : mont_(BN_MONT_CTX_new()), ctx_(ctx) {
    FatalUnless(mont_ && BN_MONT_CTX_set(mont_.get(), m, ctx) == 1, "BN_MONT_CTX_set");
    words_ = static_cast<size_t>((BN_num_bits(m) + 63) / 64);
  }
  size_t words() const { return words_; }
  void Mul(BIGNUM* r, const BIGNUM* a, const BIGNUM* b) const {
    FatalUnless(BN_mod_mul_montgomery(r, a, b, mont_.get(), ctx_) == 1, "BN_mod_mul_montgomery");
  }
  void To(BIGNUM* r, const BIGNUM* a) const {
    FatalUnless(BN_to_montgomery(r, a, mont_.get(), ctx_) == 1, "BN_to_montgomery");
  }
  void From(BIGNUM* r, const BIGNUM* a) const {
    FatalUnless(BN_from_montgomery(r, a, mont_.get(), ctx_) == 1, "BN_from_montgomery");
  }
  // Fixed-width little-endian words, so that SelectWords works a word at a time.
  void Store(const BIGNUM* n, std::span<uint64_t> out) const {
    FatalUnless(
        BN_bn2lebinpad(n, reinterpret_cast<unsigned char*>(out.data()),
                       static_cast<int>(out.size_bytes())) == static_cast<int>(out.size_bytes()),
        "BN_bn2lebinpad");
  }
  void Load(std::span<const uint64_t> in, BIGNUM* out) const {
    FatalUnless(BN_lebin2bn(reinterpret_cast<const unsigned char*>(in.data()),
                            static_cast<int>(in.size_bytes()), out) != nullptr,
                "BN_lebin2bn");
  }

 private:
  MontCtxPtr mont_;
  BN_CTX* ctx_;
  size_t words_ = 0;
};

// A random unit R mod m and R^-1 (BN_FLG_CONSTTIME: the branch-free inverse).
bool MakeBlinding(const BIGNUM* m, BN_CTX* ctx, BIGNUM* r, BIGNUM* r_inv) {
  for (int attempt = 0; attempt < kBlindingAttempts; ++attempt) {
    FatalUnless(BN_priv_rand_range(r, m) == 1, "BN_priv_rand_range");
    if (BN_is_zero(r)) continue;
    if (BN_mod_inverse(r_inv, r, m, ctx) != nullptr) return true;
    ERR_clear_error();
  }
  return false;
}

}  // namespace

void SelectWords(std::span<const uint64_t> table, size_t count, size_t index,
                 std::span<uint64_t> out) {
  const size_t width = out.size();
  std::fill(out.begin(), out.end(), uint64_t{0});
  for (size_t j = 0; j < count; ++j) {
    const uint64_t diff = static_cast<uint64_t>(j ^ index);
    const uint64_t mask = 0 - (((diff | (0 - diff)) >> 63) ^ 1);  // all ones iff j == index
    const uint64_t* entry = table.data() + j * width;
    for (size_t w = 0; w < width; ++w) out[w] |= entry[w] & mask;
  }
}

Result<SecretBytes> ModExp2(ByteView base1, const SecretBytes& exponent1, ByteView base2,
                            const SecretBytes& exponent2, ByteView m) {
  OTR_ASSIGN_OR_RETURN(BnPtr bm, BnFromBytes(m, /*secret=*/false));
  OTR_RETURN_IF_ERROR(CheckModulus(bm.get()));
  OTR_ASSIGN_OR_RETURN(BnPtr b1, BnFromBytes(base1, /*secret=*/true));
  OTR_ASSIGN_OR_RETURN(BnPtr b2, BnFromBytes(base2, /*secret=*/true));
  BnCtxPtr ctx(BN_CTX_secure_new());
  FatalUnless(ctx != nullptr, "BN_CTX_secure_new");
  FatalUnless(BN_nnmod(b1.get(), b1.get(), bm.get(), ctx.get()) == 1 &&
                  BN_nnmod(b2.get(), b2.get(), bm.get(), ctx.get()) == 1,
              "BN_nnmod");
  BnPtr r = NewSecret(), r_inv = NewSecret();
  if (!MakeBlinding(bm.get(), ctx.get(), r.get(), r_inv.get())) {
    return MakeError(ErrorCode::kBackendFailure, "ModExp2: no blinding unit found");
  }
  const Montgomery mont(bm.get(), ctx.get());
  const size_t words = mont.words();
  for (BIGNUM* n : {b1.get(), b2.get(), r.get(), r_inv.get()}) mont.To(n, n);

  // T[4i + j] = b1^i b2^j R^-3, fixed width (wiped below).
  std::vector<uint64_t> table(kEntries * words);
  {
    BnPtr row = NewSecret(), entry = NewSecret();
    mont.Mul(row.get(), r_inv.get(), r_inv.get());
    mont.Mul(row.get(), row.get(), r_inv.get());  // R^-3
    for (size_t i = 0; i < 4; ++i) {
      if (i > 0) mont.Mul(row.get(), row.get(), b1.get());
      FatalUnless(BN_copy(entry.get(), row.get()) != nullptr, "BN_copy");
      for (size_t j = 0; j < 4; ++j) {
        if (j > 0) mont.Mul(entry.get(), entry.get(), b2.get());
        mont.Store(entry.get(), std::span(table).subspan((4 * i + j) * words, words));
      }
    }
  }

  BnPtr acc = NewSecret(), factor = NewSecret();
  FatalUnless(BN_copy(acc.get(), r.get()) != nullptr, "BN_copy");
  std::vector<uint64_t> chosen(words);
  const size_t length = std::max(exponent1.size(), exponent2.size());
  for (size_t k = 0; k < length; ++k) {
    const unsigned byte1 = PaddedByte(exponent1, length, k);
    const unsigned byte2 = PaddedByte(exponent2, length, k);
    for (int shift = 6; shift >= 0; shift -= static_cast<int>(kWindowBits)) {
      mont.Mul(acc.get(), acc.get(), acc.get());
      mont.Mul(acc.get(), acc.get(), acc.get());
      const size_t index = 4 * ((byte1 >> shift) & 3u) + ((byte2 >> shift) & 3u);
      SelectWords(table, kEntries, index, chosen);
      mont.Load(chosen, factor.get());
      mont.Mul(acc.get(), acc.get(), factor.get());
    }
  }
  OPENSSL_cleanse(table.data(), table.size() * sizeof(uint64_t));
  OPENSSL_cleanse(chosen.data(), chosen.size() * sizeof(uint64_t));
  mont.Mul(acc.get(), acc.get(), r_inv.get());
  BnPtr out = NewSecret();
  mont.From(out.get(), acc.get());
  return BnToSecret(out.get());
}

Result<Bytes> ModExp2Public(ByteView base1, ByteView exponent1, ByteView base2, ByteView exponent2,
                            ByteView m) {
  OTR_ASSIGN_OR_RETURN(BnPtr bm, BnFromBytes(m, /*secret=*/false));
  OTR_RETURN_IF_ERROR(CheckModulus(bm.get()));
  OTR_ASSIGN_OR_RETURN(BnPtr b1, BnFromBytes(base1, /*secret=*/false));
  OTR_ASSIGN_OR_RETURN(BnPtr e1, BnFromBytes(exponent1, /*secret=*/false));
  OTR_ASSIGN_OR_RETURN(BnPtr b2, BnFromBytes(base2, /*secret=*/false));
  OTR_ASSIGN_OR_RETURN(BnPtr e2, BnFromBytes(exponent2, /*secret=*/false));
  BnCtxPtr ctx(BN_CTX_new());
  BnPtr r(BN_new());
  FatalUnless(ctx && r, "BN_new");
  FatalUnless(BN_nnmod(b1.get(), b1.get(), bm.get(), ctx.get()) == 1 &&
                  BN_nnmod(b2.get(), b2.get(), bm.get(), ctx.get()) == 1,
              "BN_nnmod");
  // BN_mod_exp2_mont answers 0 when a base is 0 mod m, even for a zero
  // exponent (0^0 is 1 here, as in ModExpPublic): the plain computation.
  if (BN_is_zero(b1.get()) || BN_is_zero(b2.get())) {
    OTR_ASSIGN_OR_RETURN(Bytes first, ModExpPublic(base1, exponent1, m));
    OTR_ASSIGN_OR_RETURN(Bytes second, ModExpPublic(base2, exponent2, m));
    OTR_ASSIGN_OR_RETURN(SecretBytes product, ModMul(first, second, m));
    return product.Declassify();
  }
  FatalUnless(BN_mod_exp2_mont(r.get(), b1.get(), e1.get(), b2.get(), e2.get(), bm.get(), ctx.get(),
                               nullptr) == 1,
              "BN_mod_exp2_mont");
  return BnToBytes(r.get());
}

}  // namespace otr::crypto::openssl

#include "crypto/openssl/bignum.h"

#include <openssl/err.h>

#include <climits>

#include "crypto/modp_group.h"
#include "crypto/openssl/fixed_base.h"

namespace otr::crypto::openssl {
namespace {

BnCtxPtr NewCtx() {
  BnCtxPtr ctx(BN_CTX_secure_new());
  FatalUnless(ctx != nullptr, "BN_CTX_secure_new");
  return ctx;
}

BnPtr NewResult() {
  BnPtr r(BN_secure_new());
  FatalUnless(r != nullptr, "BN_secure_new");
  return r;
}

// The operands of a binary operation modulo m, converted and checked.
struct Operands {
  BnPtr a, b, m;
};

Result<Operands> Convert(ByteView a, ByteView b, ByteView m) {
  Operands ops;
  OTR_ASSIGN_OR_RETURN(ops.m, BnFromBytes(m, /*secret=*/false));
  OTR_RETURN_IF_ERROR(CheckModulus(ops.m.get()));
  OTR_ASSIGN_OR_RETURN(ops.a, BnFromBytes(a, /*secret=*/true));
  OTR_ASSIGN_OR_RETURN(ops.b, BnFromBytes(b, /*secret=*/true));
  return ops;
}

// BN_mod_add, BN_mod_sub and BN_mod_mul share this shape.
using BinaryOp = int (*)(BIGNUM*, const BIGNUM*, const BIGNUM*, const BIGNUM*, BN_CTX*);

Result<SecretBytes> Binary(BinaryOp op, const char* what, ByteView a, ByteView b, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Operands ops, Convert(a, b, m));
  BnCtxPtr ctx = NewCtx();
  BnPtr r = NewResult();
  FatalUnless(op(r.get(), ops.a.get(), ops.b.get(), ops.m.get(), ctx.get()) == 1, what);
  return BnToSecret(r.get());
}

}  // namespace

Result<BnPtr> BnFromBytes(ByteView big_endian, bool secret) {
  if (big_endian.size() > static_cast<size_t>(INT_MAX)) {
    return MakeError(ErrorCode::kTooLarge, "BnFromBytes: integer above INT_MAX bytes");
  }
  BnPtr n(secret ? BN_secure_new() : BN_new());
  FatalUnless(n != nullptr, "BN_new");
  static const unsigned char kEmpty = 0;
  const unsigned char* data = big_endian.empty() ? &kEmpty : big_endian.data();
  FatalUnless(BN_bin2bn(data, static_cast<int>(big_endian.size()), n.get()) != nullptr,
              "BN_bin2bn");
  if (secret) BN_set_flags(n.get(), BN_FLG_CONSTTIME);
  return n;
}

SecretBytes BnToSecret(const BIGNUM* n) {
  SecretBytes out(static_cast<size_t>(BN_num_bytes(n)));
  if (!out.empty()) BN_bn2bin(n, out.data());
  return out;
}

Bytes BnToBytes(const BIGNUM* n) {
  Bytes out(static_cast<size_t>(BN_num_bytes(n)));
  if (!out.empty()) BN_bn2bin(n, out.data());
  return out;
}

Status CheckModulus(const BIGNUM* m) {
  if (!BN_is_odd(m) || BN_is_one(m)) {
    return MakeError(ErrorCode::kOutOfRange, "modular arithmetic: modulus must be odd and > 1");
  }
  return Status::Ok();
}

// Fixed-window Montgomery exponentiation whose table accesses and branches do
// not depend on the exponent (BN_mod_exp_mont_consttime, which needs an odd
// modulus; CheckModulus guarantees one).
Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent, ByteView m) {
  // D-H key generation in the v2/v3 group: a precomputed table of g's powers.
  if (IsModp1536GeneratorPower(base, exponent.size(), m)) return Modp1536GeneratorPower(exponent);
  // OTRv4's generateDH in the 3072-bit group (decision 0033).
  if (IsModp3072GeneratorPower(base, exponent.size(), m)) return Modp3072GeneratorPower(exponent);
  OTR_ASSIGN_OR_RETURN(Operands ops, Convert(base, exponent.view(), m));
  BnCtxPtr ctx = NewCtx();
  BnPtr r = NewResult();
  FatalUnless(BN_nnmod(ops.a.get(), ops.a.get(), ops.m.get(), ctx.get()) == 1, "BN_nnmod");
  FatalUnless(BN_mod_exp_mont_consttime(r.get(), ops.a.get(), ops.b.get(), ops.m.get(), ctx.get(),
                                        nullptr) == 1,
              "BN_mod_exp_mont_consttime");
  return BnToSecret(r.get());
}

Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m) {
  // g1 powers of SMP's proof checks (public exponents up to 1536 bits): the
  // fixed-base table is faster than a sliding window, and constant time.
  if (IsModp1536GeneratorPower(base, exponent.size(), m)) {
    return Modp1536GeneratorPower(SecretBytes(exponent)).Declassify();
  }
  OTR_ASSIGN_OR_RETURN(BnPtr bm, BnFromBytes(m, /*secret=*/false));
  OTR_RETURN_IF_ERROR(CheckModulus(bm.get()));
  OTR_ASSIGN_OR_RETURN(BnPtr bb, BnFromBytes(base, /*secret=*/false));
  OTR_ASSIGN_OR_RETURN(BnPtr be, BnFromBytes(exponent, /*secret=*/false));
  BnCtxPtr ctx = NewCtx();
  BnPtr r = NewResult();
  FatalUnless(BN_mod_exp(r.get(), bb.get(), be.get(), bm.get(), ctx.get()) == 1, "BN_mod_exp");
  return BnToBytes(r.get());
}

Result<int> JacobiPublic(ByteView a, ByteView n) {
  OTR_ASSIGN_OR_RETURN(BnPtr bn, BnFromBytes(n, /*secret=*/false));
  OTR_RETURN_IF_ERROR(CheckModulus(bn.get()));
  OTR_ASSIGN_OR_RETURN(BnPtr ba, BnFromBytes(a, /*secret=*/false));
  BnCtxPtr ctx = NewCtx();
  const int symbol = BN_kronecker(ba.get(), bn.get(), ctx.get());
  FatalUnless(symbol != -2, "BN_kronecker");
  return symbol;
}

Result<SecretBytes> ModMul(ByteView a, ByteView b, ByteView m) {
  return Binary(BN_mod_mul, "BN_mod_mul", a, b, m);
}

Result<SecretBytes> ModAdd(ByteView a, ByteView b, ByteView m) {
  return Binary(BN_mod_add, "BN_mod_add", a, b, m);
}

Result<SecretBytes> ModSub(ByteView a, ByteView b, ByteView m) {
  return Binary(BN_mod_sub, "BN_mod_sub", a, b, m);
}

Result<SecretBytes> ModInverse(ByteView a, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Operands ops, Convert(a, {}, m));
  BnCtxPtr ctx = NewCtx();
  BnPtr r = NewResult();
  // BN_FLG_CONSTTIME on `a` selects OpenSSL's branch-free inversion.
  if (BN_mod_inverse(r.get(), ops.a.get(), ops.m.get(), ctx.get()) == nullptr) {
    const unsigned long err = ERR_peek_last_error();
    ERR_clear_error();
    if (ERR_GET_LIB(err) == ERR_LIB_BN && ERR_GET_REASON(err) == BN_R_NO_INVERSE) {
      return MakeError(ErrorCode::kOutOfRange, "ModInverse: a and m are not coprime");
    }
    return MakeError(ErrorCode::kBackendFailure, "ModInverse: BN_mod_inverse failed");
  }
  return BnToSecret(r.get());
}

Result<SecretBytes> Mod(ByteView a, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Operands ops, Convert(a, {}, m));
  BnCtxPtr ctx = NewCtx();
  BnPtr r = NewResult();
  FatalUnless(BN_nnmod(r.get(), ops.a.get(), ops.m.get(), ctx.get()) == 1, "BN_nnmod");
  return BnToSecret(r.get());
}

int Compare(ByteView a, ByteView b) {
  while (!a.empty() && a.front() == 0) a = a.subspan(1);
  while (!b.empty() && b.front() == 0) b = b.subspan(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

}  // namespace otr::crypto::openssl

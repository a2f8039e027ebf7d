#include "crypto/openssl/ed448_subgroup.h"

#include <openssl/bn.h>

#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {
namespace {

// RFC 8032 section 5.2: d = -39081, so 1 - d = 39082.
constexpr BN_ULONG kMinusD = 39081;
constexpr BN_ULONG kOneMinusD = 39082;

// p = 2^448 - 2^224 - 1, (p + 1) / 4 and a Montgomery context for p, made
// once and then only read (BN_mod_exp_mont takes them as const).
struct Field {
  BnPtr p{BN_new()};
  BnPtr sqrt_exponent{BN_new()};
  Owned<BN_MONT_CTX, BN_MONT_CTX_free> mont{BN_MONT_CTX_new()};

  Field() {
    BnCtxPtr ctx(BN_CTX_new());
    bool ok =
        p && sqrt_exponent && mont && ctx && BN_set_bit(p.get(), 448) && BN_sub_word(p.get(), 1);
    BnPtr two_224(BN_new());
    ok = ok && two_224 && BN_set_bit(two_224.get(), 224) &&
         BN_sub(p.get(), p.get(), two_224.get()) && BN_copy(sqrt_exponent.get(), p.get()) &&
         BN_add_word(sqrt_exponent.get(), 1) &&
         BN_rshift(sqrt_exponent.get(), sqrt_exponent.get(), 2) &&
         BN_MONT_CTX_set(mont.get(), p.get(), ctx.get());
    FatalUnless(ok, "setting up the Ed448 field for the subgroup check");
  }
};

const Field& TheField() {
  static const Field* const field = new Field;
  return *field;
}

}  // namespace

// docs/decisions/0004-decaf-isogeny.md, "The subgroup check": with
// a = (1 - d)(1 - d y^2), P is in 2·E iff a is a square, and then P is in
// 4·E iff (s + d - 1)(1 - y) is a non-square for a square root s of a
// (either one).
bool InPrimeOrderSubgroup(const Ed448Encoding& encoded) {
  const Field& field = TheField();
  Ed448Encoding y_bytes = encoded;
  y_bytes[kEd448PointSize - 1] &= 0x7f;  // RFC 8032 5.2.2: the sign of x
  BnCtxPtr ctx(BN_CTX_new());
  BnPtr y(BN_lebin2bn(y_bytes.data(), static_cast<int>(y_bytes.size()), nullptr));
  BnPtr a(BN_new()), s(BN_new()), check(BN_new()), b(BN_new()), c(BN_new());
  const BIGNUM* p = field.p.get();
  // a = (1 - d)(1 - d y^2) = 39082 (1 + 39081 y^2).
  bool ok = ctx && y && a && s && check && b && c && BN_mod_sqr(a.get(), y.get(), p, ctx.get()) &&
            BN_mul_word(a.get(), kMinusD) && BN_add_word(a.get(), 1) &&
            BN_mul_word(a.get(), kOneMinusD) && BN_nnmod(a.get(), a.get(), p, ctx.get()) &&
            BN_mod_exp_mont(s.get(), a.get(), field.sqrt_exponent.get(), p, ctx.get(),
                            field.mont.get()) &&
            BN_mod_sqr(check.get(), s.get(), p, ctx.get());
  FatalUnless(ok, "BIGNUM arithmetic in the Ed448 subgroup check");
  // p = 3 mod 4: a^((p+1)/4) is a square root of a iff a is a square.
  if (BN_cmp(check.get(), a.get()) != 0) return false;  // not in 2·E
  // b = (s + d - 1)(1 - y) = (s - 39082)(1 - y).
  ok = BN_copy(b.get(), s.get()) && BN_sub_word(b.get(), kOneMinusD) && BN_one(c.get()) &&
       BN_sub(c.get(), c.get(), y.get()) && BN_mod_mul(b.get(), b.get(), c.get(), p, ctx.get());
  FatalUnless(ok, "BIGNUM arithmetic in the Ed448 subgroup check");
  const int legendre = BN_kronecker(b.get(), p, ctx.get());
  FatalUnless(legendre != -2, "BN_kronecker in the Ed448 subgroup check");
  return legendre == -1;
}

}  // namespace otr::crypto::openssl

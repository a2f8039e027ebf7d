#include "crypto/openssl/dsa.h"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include "crypto/openssl/bignum.h"
#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {
namespace {

constexpr int kDsaPBits = 1024;
constexpr int kDsaQBits = 160;
constexpr size_t kDsaHalfSignature = kDsaSignatureSize / 2;

PkeyPtr GenerateParameters() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr));
  EVP_PKEY* params = nullptr;
  if (ctx == nullptr || EVP_PKEY_paramgen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_dsa_paramgen_bits(ctx.get(), kDsaPBits) != 1 ||
      EVP_PKEY_CTX_set_dsa_paramgen_q_bits(ctx.get(), kDsaQBits) != 1 ||
      EVP_PKEY_paramgen(ctx.get(), &params) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return PkeyPtr(params);
}

PkeyPtr GenerateKey(EVP_PKEY* params) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, params, nullptr));
  EVP_PKEY* key = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &key) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return PkeyPtr(key);
}

// One BIGNUM component of a key (OSSL_PKEY_PARAM_*), or null.
BnPtr GetParam(const EVP_PKEY* key, const char* name) {
  BIGNUM* value = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &value) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return BnPtr(value);
}

// An EVP_PKEY holding the public key, for EVP_PKEY_verify.
PkeyPtr ImportPublicKey(const BIGNUM* p, const BIGNUM* q, const BIGNUM* g, const BIGNUM* y) {
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_FFC_P, p) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_FFC_Q, q) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_FFC_G, g) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, y) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return PkeyPtr(key);
}

// r || s as the DER DSA-Sig-Value that EVP_PKEY_verify expects.
Bytes EncodeDer(BnPtr r, BnPtr s) {
  DsaSigPtr sig(DSA_SIG_new());
  FatalUnless(sig != nullptr && DSA_SIG_set0(sig.get(), r.get(), s.get()) == 1, "DSA_SIG_set0");
  r.release();  // now owned by sig
  s.release();
  unsigned char* der = nullptr;
  const int size = i2d_DSA_SIG(sig.get(), &der);
  FatalUnless(size > 0, "i2d_DSA_SIG");
  OpensslBytesPtr owned(der);
  return Bytes(der, der + size);
}

bool InSignatureRange(const BIGNUM* v, const BIGNUM* q) {
  return !BN_is_zero(v) && BN_cmp(v, q) < 0;
}

}  // namespace

Result<DsaPrivateKey> GenerateDsaKey() {
  PkeyPtr params = GenerateParameters();
  if (params == nullptr) {
    return MakeError(ErrorCode::kBackendFailure, "GenerateDsaKey: parameter generation failed");
  }
  PkeyPtr key = GenerateKey(params.get());
  if (key == nullptr) {
    return MakeError(ErrorCode::kBackendFailure, "GenerateDsaKey: key generation failed");
  }
  BnPtr p = GetParam(key.get(), OSSL_PKEY_PARAM_FFC_P);
  BnPtr q = GetParam(key.get(), OSSL_PKEY_PARAM_FFC_Q);
  BnPtr g = GetParam(key.get(), OSSL_PKEY_PARAM_FFC_G);
  BnPtr y = GetParam(key.get(), OSSL_PKEY_PARAM_PUB_KEY);
  BnPtr x = GetParam(key.get(), OSSL_PKEY_PARAM_PRIV_KEY);
  if (!p || !q || !g || !y || !x) {
    return MakeError(ErrorCode::kBackendFailure, "GenerateDsaKey: cannot read key components");
  }
  DsaPrivateKey out;
  out.pub.p = BnToBytes(p.get());
  out.pub.q = BnToBytes(q.get());
  out.pub.g = BnToBytes(g.get());
  out.pub.y = BnToBytes(y.get());
  out.x = BnToSecret(x.get());
  return out;
}

Status DsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature) {
  if (signature.size() != kDsaSignatureSize) {
    return MakeError(ErrorCode::kBadSignature, "DsaVerify: signature must be 40 bytes");
  }
  OTR_ASSIGN_OR_RETURN(BnPtr p, BnFromBytes(key.p, /*secret=*/false));
  OTR_ASSIGN_OR_RETURN(BnPtr q, BnFromBytes(key.q, /*secret=*/false));
  OTR_ASSIGN_OR_RETURN(BnPtr g, BnFromBytes(key.g, /*secret=*/false));
  OTR_ASSIGN_OR_RETURN(BnPtr y, BnFromBytes(key.y, /*secret=*/false));
  if (BN_is_zero(p.get()) || BN_is_zero(g.get()) || BN_is_zero(y.get()) ||
      !CheckModulus(q.get()).ok()) {
    return MakeError(ErrorCode::kInvalidKey, "DsaVerify: malformed public key");
  }
  OTR_ASSIGN_OR_RETURN(BnPtr r, BnFromBytes(signature.first(kDsaHalfSignature), false));
  OTR_ASSIGN_OR_RETURN(BnPtr s, BnFromBytes(signature.last(kDsaHalfSignature), false));
  // FIPS 186-4 section 4.7: reject unless 0 < r < q and 0 < s < q.
  if (!InSignatureRange(r.get(), q.get()) || !InSignatureRange(s.get(), q.get())) {
    return MakeError(ErrorCode::kBadSignature, "DsaVerify: r or s outside [1, q-1]");
  }
  // otr v3 spec: the message is "taken modulo q instead of being truncated".
  // Reduced, it is below q, so OpenSSL's truncation to q's length is a no-op.
  OTR_ASSIGN_OR_RETURN(BnPtr m, BnFromBytes(message, /*secret=*/false));
  BnCtxPtr bn_ctx(BN_CTX_new());
  FatalUnless(bn_ctx != nullptr && BN_nnmod(m.get(), m.get(), q.get(), bn_ctx.get()) == 1,
              "BN_nnmod");
  Bytes digest(static_cast<size_t>(BN_num_bytes(q.get())));
  FatalUnless(BN_bn2binpad(m.get(), digest.data(), static_cast<int>(digest.size())) >= 0,
              "BN_bn2binpad");

  PkeyPtr pkey = ImportPublicKey(p.get(), q.get(), g.get(), y.get());
  if (pkey == nullptr) return MakeError(ErrorCode::kInvalidKey, "DsaVerify: key import failed");
  const Bytes der = EncodeDer(std::move(r), std::move(s));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  FatalUnless(ctx != nullptr, "EVP_PKEY_CTX_new_from_pkey");
  const bool ok =
      EVP_PKEY_verify_init(ctx.get()) == 1 &&
      EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest.data(), digest.size()) == 1;
  ERR_clear_error();
  if (!ok) return MakeError(ErrorCode::kBadSignature, "DsaVerify: signature does not verify");
  return Status::Ok();
}

}  // namespace otr::crypto::openssl

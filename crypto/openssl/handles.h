// RAII owners for every OpenSSL handle the backend uses (BoringSSL's
// UniquePtr style), and the one place that handles library failures that no
// input can cause.
#ifndef OTR_CRYPTO_OPENSSL_HANDLES_H_
#define OTR_CRYPTO_OPENSSL_HANDLES_H_

#include <openssl/bn.h>
#include <openssl/core.h>
#include <openssl/dsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace otr::crypto::openssl {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* handle) const { Free(handle); }
};

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using MdCtxPtr = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using MdPtr = Owned<EVP_MD, EVP_MD_free>;
using MacPtr = Owned<EVP_MAC, EVP_MAC_free>;
using MacCtxPtr = Owned<EVP_MAC_CTX, EVP_MAC_CTX_free>;
using CipherPtr = Owned<EVP_CIPHER, EVP_CIPHER_free>;
using CipherCtxPtr = Owned<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using PkeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using ParamBldPtr = Owned<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamPtr = Owned<OSSL_PARAM, OSSL_PARAM_free>;
using DsaSigPtr = Owned<DSA_SIG, DSA_SIG_free>;
using BnCtxPtr = Owned<BN_CTX, BN_CTX_free>;
// Every BIGNUM may hold a secret, so every one is wiped when freed.
using BnPtr = Owned<BIGNUM, BN_clear_free>;

// Memory from OPENSSL_malloc (e.g. the output of i2d_*).
struct OpensslFree {
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
using OpensslBytesPtr = std::unique_ptr<unsigned char, OpensslFree>;

// For failures the interface has no error channel for, none of them caused
// by input: a library failure that no argument can cause (allocation, a
// missing default provider), or a caller breaking a documented precondition
// (a hash context used after Finish(), an Ed448Point not made by a backend).
// Reports `what` on stderr and aborts. Bad input never reaches this; it is a
// typed error wherever the interface can return one.
void FatalUnless(bool ok, const char* what);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_HANDLES_H_

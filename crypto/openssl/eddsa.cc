#include "crypto/openssl/eddsa.h"

#include <openssl/err.h>

#include "crypto/backend.h"
#include "crypto/ed448_small_order.h"
#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {
namespace {

// EVP functions read an empty message from a null pointer with length zero
// only on some paths; always hand them a valid pointer.
const unsigned char* DataOrEmpty(ByteView v) {
  static const unsigned char kEmpty = 0;
  return v.empty() ? &kEmpty : v.data();
}

Result<PkeyPtr> PrivateKey(const SecretBytes& seed) {
  if (seed.size() != kEd448SeedSize) {
    return MakeError(ErrorCode::kInvalidKey, "Ed448: private keys are 57-byte seeds");
  }
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED448, nullptr, seed.data(), seed.size()));
  FatalUnless(key != nullptr, "EVP_PKEY_new_raw_private_key");
  return key;
}

}  // namespace

Result<Bytes> Ed448DerivePublicKey(const SecretBytes& seed) {
  OTR_ASSIGN_OR_RETURN(PkeyPtr key, PrivateKey(seed));
  Bytes out(kEd448PointSize);
  size_t size = out.size();
  FatalUnless(EVP_PKEY_get_raw_public_key(key.get(), out.data(), &size) == 1 && size == out.size(),
              "EVP_PKEY_get_raw_public_key");
  return out;
}

// Ed448 with the null digest is PureEdDSA; no context parameter means the
// empty context.
Result<Bytes> Ed448Sign(const SecretBytes& seed, ByteView message) {
  OTR_ASSIGN_OR_RETURN(PkeyPtr key, PrivateKey(seed));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  Bytes signature(kEd448SignatureSize);
  size_t size = signature.size();
  FatalUnless(ctx != nullptr &&
                  EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, key.get(),
                                        nullptr) == 1 &&
                  EVP_DigestSign(ctx.get(), signature.data(), &size, DataOrEmpty(message),
                                 message.size()) == 1 &&
                  size == signature.size(),
              "EVP_DigestSign (Ed448)");
  return signature;
}

Status Ed448Verify(ByteView public_key, ByteView message, ByteView signature) {
  if (public_key.size() != kEd448PointSize) {
    return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: public keys are 57 bytes");
  }
  if (signature.size() != kEd448SignatureSize) {
    return MakeError(ErrorCode::kBadSignature, "Ed448Verify: signatures are 114 bytes");
  }
  if (IsEd448SmallOrderEncoding(public_key)) {
    return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: public key of small order");
  }
  PkeyPtr key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED448, nullptr, public_key.data(), public_key.size()));
  if (key == nullptr) {
    ERR_clear_error();
    return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: unusable public key");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  FatalUnless(ctx != nullptr, "EVP_MD_CTX_new");
  const bool ok = EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, key.get(),
                                          nullptr) == 1 &&
                  EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                   DataOrEmpty(message), message.size()) == 1;
  ERR_clear_error();
  if (!ok) return MakeError(ErrorCode::kBadSignature, "Ed448Verify: signature does not verify");
  return Status::Ok();
}

}  // namespace otr::crypto::openssl

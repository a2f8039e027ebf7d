#include "crypto/openssl/hash.h"

#include <openssl/core_names.h>

namespace otr::crypto::openssl {
namespace {

// Using a context after Finish() breaks the interface's contract; the caller
// is wrong, not its input.
void CheckNotFinished(bool finished) { FatalUnless(!finished, "use of a finished hash context"); }

class DigestContext final : public HashContext {
 public:
  explicit DigestContext(const EVP_MD* md) : ctx_(EVP_MD_CTX_new()) {
    FatalUnless(ctx_ != nullptr && EVP_DigestInit_ex2(ctx_.get(), md, nullptr) == 1,
                "EVP_DigestInit_ex2");
  }

  void Update(ByteView data) override {
    CheckNotFinished(finished_);
    if (data.empty()) return;
    FatalUnless(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) == 1, "EVP_DigestUpdate");
  }

  SecretBytes Finish() override {
    CheckNotFinished(finished_);
    finished_ = true;
    SecretBytes out(static_cast<size_t>(EVP_MD_CTX_get_size(ctx_.get())));
    unsigned int size = 0;
    FatalUnless(EVP_DigestFinal_ex(ctx_.get(), out.data(), &size) == 1 && size == out.size(),
                "EVP_DigestFinal_ex");
    return out;
  }

 private:
  MdCtxPtr ctx_;
  bool finished_ = false;
};

class HmacContext final : public HashContext {
 public:
  HmacContext(const EVP_MAC* hmac, const EVP_MD* md, ByteView key)
      : ctx_(EVP_MAC_CTX_new(const_cast<EVP_MAC*>(hmac))) {
    FatalUnless(ctx_ != nullptr, "EVP_MAC_CTX_new");
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                         const_cast<char*>(EVP_MD_get0_name(md)), 0),
        OSSL_PARAM_construct_end(),
    };
    // An empty span may have a null data pointer, which EVP_MAC_init reads as
    // "no key given" and then fails for lack of one; point at a valid byte so
    // that an empty key is set (RFC 2104 allows any key length).
    static const unsigned char kEmpty = 0;
    const unsigned char* key_data = key.empty() ? &kEmpty : key.data();
    FatalUnless(EVP_MAC_init(ctx_.get(), key_data, key.size(), params) == 1, "EVP_MAC_init");
  }

  void Update(ByteView data) override {
    CheckNotFinished(finished_);
    if (data.empty()) return;
    FatalUnless(EVP_MAC_update(ctx_.get(), data.data(), data.size()) == 1, "EVP_MAC_update");
  }

  SecretBytes Finish() override {
    CheckNotFinished(finished_);
    finished_ = true;
    SecretBytes out(EVP_MAC_CTX_get_mac_size(ctx_.get()));
    size_t size = 0;
    FatalUnless(EVP_MAC_final(ctx_.get(), out.data(), &size, out.size()) == 1 && size == out.size(),
                "EVP_MAC_final");
    return out;
  }

 private:
  MacCtxPtr ctx_;
  bool finished_ = false;
};

class ShakeContext final : public XofContext {
 public:
  explicit ShakeContext(const EVP_MD* xof) : ctx_(EVP_MD_CTX_new()) {
    FatalUnless(ctx_ != nullptr && EVP_DigestInit_ex2(ctx_.get(), xof, nullptr) == 1,
                "EVP_DigestInit_ex2 (XOF)");
  }

  void Update(ByteView data) override {
    CheckNotFinished(finished_);
    if (data.empty()) return;
    FatalUnless(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) == 1, "EVP_DigestUpdate");
  }

  void Finish(MutableByteView out) override {
    CheckNotFinished(finished_);
    finished_ = true;
    if (out.empty()) return;
    FatalUnless(EVP_DigestFinalXOF(ctx_.get(), out.data(), out.size()) == 1, "EVP_DigestFinalXOF");
  }

 private:
  MdCtxPtr ctx_;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<HashContext> NewDigest(const EVP_MD* md) {
  return std::make_unique<DigestContext>(md);
}

std::unique_ptr<HashContext> NewHmac(const EVP_MAC* hmac, const EVP_MD* md, ByteView key) {
  return std::make_unique<HmacContext>(hmac, md, key);
}

std::unique_ptr<XofContext> NewXof(const EVP_MD* xof) {
  return std::make_unique<ShakeContext>(xof);
}

}  // namespace otr::crypto::openssl

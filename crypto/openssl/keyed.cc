// HMAC here uses OpenSSL's low-level SHA1_*/SHA256_* functions (deprecated
// in OpenSSL 3 but present): their state is a plain struct, so "the key's
// padded blocks already absorbed" is a struct copy. Through EVP, the same
// copy (EVP_MD_CTX_copy_ex) allocates a provider context on every message,
// and EVP_MAC_init with a NULL key does that twice.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "crypto/openssl/keyed.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

#include "crypto/openssl/cipher.h"

namespace otr::crypto::openssl {
namespace {

constexpr size_t kHmacBlockSize = 64;  // SHA-1 and SHA-256 (RFC 2104 "B")

struct Sha1 {
  using Ctx = SHA_CTX;
  static constexpr size_t kDigestSize = SHA_DIGEST_LENGTH;
  static void Init(Ctx* c) { SHA1_Init(c); }
  static void Update(Ctx* c, const void* p, size_t n) { SHA1_Update(c, p, n); }
  static void Final(uint8_t* out, Ctx* c) { SHA1_Final(out, c); }
};

struct Sha256 {
  using Ctx = SHA256_CTX;
  static constexpr size_t kDigestSize = SHA256_DIGEST_LENGTH;
  static void Init(Ctx* c) { SHA256_Init(c); }
  static void Update(Ctx* c, const void* p, size_t n) { SHA256_Update(c, p, n); }
  static void Final(uint8_t* out, Ctx* c) { SHA256_Final(out, c); }
};

// RFC 2104: H(K ^ opad, H(K ^ ipad, text)); inner_ and outer_ hold the
// states after the first block of each.
template <typename H>
class PrecomputedHmac final : public KeyedHmac {
 public:
  explicit PrecomputedHmac(ByteView key) {
    std::array<uint8_t, kHmacBlockSize> block{};
    if (key.size() > kHmacBlockSize) {
      // "Applications that use keys longer than B bytes will first hash the
      // key using H".
      typename H::Ctx c;
      H::Init(&c);
      H::Update(&c, key.data(), key.size());
      H::Final(block.data(), &c);
      OPENSSL_cleanse(&c, sizeof(c));
    } else if (!key.empty()) {
      std::memcpy(block.data(), key.data(), key.size());
    }
    for (uint8_t& b : block) b ^= 0x36;
    H::Init(&inner_);
    H::Update(&inner_, block.data(), block.size());
    for (uint8_t& b : block) b ^= 0x36 ^ 0x5c;
    H::Init(&outer_);
    H::Update(&outer_, block.data(), block.size());
    OPENSSL_cleanse(block.data(), block.size());
  }
  PrecomputedHmac(const PrecomputedHmac&) = default;
  PrecomputedHmac& operator=(const PrecomputedHmac&) = delete;
  ~PrecomputedHmac() override {
    OPENSSL_cleanse(&inner_, sizeof(inner_));
    OPENSSL_cleanse(&outer_, sizeof(outer_));
  }

  Status Mac(ByteView data, MutableByteView out) override {
    if (out.size() != H::kDigestSize) {
      return MakeError(ErrorCode::kOutOfRange, "KeyedHmac: output must be one digest");
    }
    uint8_t inner_digest[H::kDigestSize];
    typename H::Ctx c = inner_;
    if (!data.empty()) H::Update(&c, data.data(), data.size());
    H::Final(inner_digest, &c);
    c = outer_;
    H::Update(&c, inner_digest, sizeof(inner_digest));
    H::Final(out.data(), &c);
    OPENSSL_cleanse(&c, sizeof(c));
    OPENSSL_cleanse(inner_digest, sizeof(inner_digest));
    return Status::Ok();
  }

  std::unique_ptr<KeyedHmac> Clone() const override {
    return std::make_unique<PrecomputedHmac>(*this);
  }

 private:
  typename H::Ctx inner_;
  typename H::Ctx outer_;
};

// EVP_CIPHER_CTX_free cleanses the key schedule.
class KeyedCtr final : public KeyedAes128Ctr {
 public:
  explicit KeyedCtr(CipherCtxPtr ctx) : ctx_(std::move(ctx)) {}

  Status Crypt(ByteView top_half, ByteView in, MutableByteView out) override {
    if (top_half.size() != kAesCtrTopHalfSize) {
      return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: top half 8 bytes");
    }
    OTR_RETURN_IF_ERROR(CheckStreamBuffers(in, out));
    // otr v3 spec, "Data Message": the counter block is top half || 0^64.
    std::array<uint8_t, 16> counter_block{};
    std::memcpy(counter_block.data(), top_half.data(), top_half.size());
    // A NULL cipher and key keep both; only the IV (and the stream
    // position) is reset.
    FatalUnless(
        EVP_EncryptInit_ex2(ctx_.get(), nullptr, nullptr, counter_block.data(), nullptr) == 1,
        "EVP_EncryptInit_ex2 (IV)");
    UpdateStream(ctx_.get(), in, out);
    return Status::Ok();
  }

  std::unique_ptr<KeyedAes128Ctr> Clone() const override {
    CipherCtxPtr copy(EVP_CIPHER_CTX_new());
    FatalUnless(copy != nullptr && EVP_CIPHER_CTX_copy(copy.get(), ctx_.get()) == 1,
                "EVP_CIPHER_CTX_copy");
    return std::make_unique<KeyedCtr>(std::move(copy));
  }

 private:
  CipherCtxPtr ctx_;
};

}  // namespace

std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg, const SecretBytes& key) {
  if (alg == HashAlgorithm::kSha1) return std::make_unique<PrecomputedHmac<Sha1>>(key.view());
  return std::make_unique<PrecomputedHmac<Sha256>>(key.view());
}

Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(const EVP_CIPHER* cipher,
                                                          const SecretBytes& key) {
  if (key.size() != kAes128KeySize) {
    return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: key 16 bytes");
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  FatalUnless(
      ctx != nullptr && EVP_EncryptInit_ex2(ctx.get(), cipher, key.data(), nullptr, nullptr) == 1,
      "EVP_EncryptInit_ex2 (key)");
  return std::unique_ptr<KeyedAes128Ctr>(std::make_unique<KeyedCtr>(std::move(ctx)));
}

}  // namespace otr::crypto::openssl

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

// Messages up to this size take their key stream from one AES-128-ECB call
// over the counter blocks; longer ones use AES-128-CTR, whose IV reset
// costs more than the ECB call at small sizes (decision 0035).
constexpr size_t kKeystreamBytes = 256;
constexpr size_t kAesBlockSize = 16;

// AES-128-CTR (otr v3 spec, "Data Message": the counter block is top half
// || 0^64, so block i of a message is top half || i as 64 bits big-endian).
// Short messages: the counter blocks are encrypted in ECB mode by a context
// keyed once, and XORed in, so a message needs no re-initialisation (in
// OpenSSL 3 an IV reset through EVP_EncryptInit_ex2 walks the provider's
// parameters, about as long as the AES work of a short message). Long
// messages: a CTR context, made from `key_` by the first long message and
// re-initialised with the IV only. EVP_CIPHER_CTX_free cleanses the key
// schedules; the key stream on the stack is cleansed after use.
class KeyedCtr final : public KeyedAes128Ctr {
 public:
  KeyedCtr(const EVP_CIPHER* ctr, CipherCtxPtr ecb_ctx, SecretBytes key)
      : ctr_(Referenced(ctr)), ecb_ctx_(std::move(ecb_ctx)), key_(std::move(key)) {}

  Status Crypt(ByteView top_half, ByteView in, MutableByteView out) override {
    if (top_half.size() != kAesCtrTopHalfSize) {
      return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: top half 8 bytes");
    }
    OTR_RETURN_IF_ERROR(CheckStreamBuffers(in, out));
    if (in.size() <= kKeystreamBytes) {
      CryptShort(top_half, in, out);
      return Status::Ok();
    }
    std::array<uint8_t, kAesBlockSize> counter_block{};
    std::memcpy(counter_block.data(), top_half.data(), top_half.size());
    if (ctr_ctx_ == nullptr) {
      CipherCtxPtr made(EVP_CIPHER_CTX_new());
      FatalUnless(made != nullptr && EVP_EncryptInit_ex2(made.get(), ctr_.get(), key_.data(),
                                                         counter_block.data(), nullptr) == 1,
                  "EVP_EncryptInit_ex2 (CTR key)");
      ctr_ctx_ = std::move(made);
    } else {
      // A NULL cipher and key keep both; only the IV (and the stream
      // position) is reset.
      FatalUnless(
          EVP_EncryptInit_ex2(ctr_ctx_.get(), nullptr, nullptr, counter_block.data(), nullptr) == 1,
          "EVP_EncryptInit_ex2 (IV)");
    }
    UpdateStream(ctr_ctx_.get(), in, out);
    return Status::Ok();
  }

  std::unique_ptr<KeyedAes128Ctr> Clone() const override {
    auto copy = std::make_unique<KeyedCtr>(ctr_.get(), CopyOf(ecb_ctx_), key_);
    if (ctr_ctx_ != nullptr) copy->ctr_ctx_ = CopyOf(ctr_ctx_);
    return copy;
  }

 private:
  // A reference of our own: the context may outlive the backend's fetch.
  static CipherPtr Referenced(const EVP_CIPHER* cipher) {
    FatalUnless(EVP_CIPHER_up_ref(const_cast<EVP_CIPHER*>(cipher)) == 1, "EVP_CIPHER_up_ref");
    return CipherPtr(const_cast<EVP_CIPHER*>(cipher));
  }

  static CipherCtxPtr CopyOf(const CipherCtxPtr& ctx) {
    CipherCtxPtr copy(EVP_CIPHER_CTX_new());
    FatalUnless(copy != nullptr && EVP_CIPHER_CTX_copy(copy.get(), ctx.get()) == 1,
                "EVP_CIPHER_CTX_copy");
    return copy;
  }

  // in.size() <= kKeystreamBytes; `out` may alias `in` exactly (each byte
  // is read before it is written).
  void CryptShort(ByteView top_half, ByteView in, MutableByteView out) {
    if (in.empty()) return;
    const size_t blocks = (in.size() + kAesBlockSize - 1) / kAesBlockSize;
    alignas(16) uint8_t stream[kKeystreamBytes];
    for (size_t i = 0; i < blocks; ++i) {
      uint8_t* block = stream + i * kAesBlockSize;
      std::memcpy(block, top_half.data(), kAesCtrTopHalfSize);
      const uint64_t counter = i;
      for (size_t j = 0; j < 8; ++j) block[15 - j] = static_cast<uint8_t>(counter >> (8 * j));
    }
    int written = 0;
    const int length = static_cast<int>(blocks * kAesBlockSize);
    FatalUnless(EVP_EncryptUpdate(ecb_ctx_.get(), stream, &written, stream, length) == 1 &&
                    written == length,
                "EVP_EncryptUpdate (ECB)");
    // Eight bytes at a time (memcpy: no alignment or aliasing assumed).
    size_t i = 0;
    for (; i + 8 <= in.size(); i += 8) {
      uint64_t word, key_word;
      std::memcpy(&word, in.data() + i, 8);
      std::memcpy(&key_word, stream + i, 8);
      word ^= key_word;
      std::memcpy(out.data() + i, &word, 8);
    }
    for (; i < in.size(); ++i) out[i] = in[i] ^ stream[i];
    OPENSSL_cleanse(stream, blocks * kAesBlockSize);
  }

  CipherPtr ctr_;
  CipherCtxPtr ecb_ctx_;
  CipherCtxPtr ctr_ctx_;  // made by the first message above kKeystreamBytes
  SecretBytes key_;       // for that context
};

}  // namespace

std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg, const SecretBytes& key) {
  if (alg == HashAlgorithm::kSha1) return std::make_unique<PrecomputedHmac<Sha1>>(key.view());
  return std::make_unique<PrecomputedHmac<Sha256>>(key.view());
}

Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(const EVP_CIPHER* ctr,
                                                          const EVP_CIPHER* ecb,
                                                          const SecretBytes& key) {
  if (key.size() != kAes128KeySize) {
    return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: key 16 bytes");
  }
  CipherCtxPtr ecb_ctx(EVP_CIPHER_CTX_new());
  FatalUnless(ecb_ctx != nullptr &&
                  EVP_EncryptInit_ex2(ecb_ctx.get(), ecb, key.data(), nullptr, nullptr) == 1,
              "EVP_EncryptInit_ex2 (ECB key)");
  // Whole blocks only: no padding.
  FatalUnless(EVP_CIPHER_CTX_set_padding(ecb_ctx.get(), 0) == 1, "EVP_CIPHER_CTX_set_padding");
  return std::unique_ptr<KeyedAes128Ctr>(std::make_unique<KeyedCtr>(ctr, std::move(ecb_ctx), key));
}

}  // namespace otr::crypto::openssl

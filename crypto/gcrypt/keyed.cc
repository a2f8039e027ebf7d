#include "crypto/gcrypt/keyed.h"

#include <gcrypt.h>

#include <array>
#include <cstring>

#include "crypto/gcrypt/cipher.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/gcrypt/init.h"

namespace otr::crypto::gcrypt_internal {
namespace {

// Keyed handles live as long as a session's key pair, and a process may
// hold thousands of sessions: they are opened in ordinary memory, not in
// libgcrypt's fixed secure pool (64 KiB, see init.cc), which they would
// exhaust (gcry_cipher_open then fails). Closing a handle still wipes its
// key schedule or padded-key states; what is lost is only mlock(2).

int MdAlgorithm(HashAlgorithm alg) {
  return alg == HashAlgorithm::kSha1 ? GCRY_MD_SHA1 : GCRY_MD_SHA256;
}

// An HMAC handle keyed once: gcry_md_reset returns it to "key absorbed"
// (libgcrypt keeps the padded key's states). gcry_md_close wipes them.
class GcryptKeyedHmac final : public KeyedHmac {
 public:
  GcryptKeyedHmac(HashAlgorithm alg, Md md) : alg_(alg), md_(std::move(md)) {}

  Status Mac(ByteView data, MutableByteView out) override {
    if (out.size() != DigestSize(alg_)) {
      return MakeError(ErrorCode::kOutOfRange, "KeyedHmac: output must be one digest");
    }
    gcry_md_reset(md_.get());
    if (!data.empty()) gcry_md_write(md_.get(), data.data(), data.size());
    const unsigned char* digest = gcry_md_read(md_.get(), MdAlgorithm(alg_));
    if (digest == nullptr) LibraryInvariantFailed("gcry_md_read");
    std::memcpy(out.data(), digest, out.size());
    gcry_md_reset(md_.get());  // the digest is not left in the handle
    return Status::Ok();
  }

  std::unique_ptr<KeyedHmac> Clone() const override {
    gcry_md_hd_t copy = nullptr;
    if (gcry_md_copy(&copy, md_.get()) != 0) LibraryInvariantFailed("gcry_md_copy");
    return std::make_unique<GcryptKeyedHmac>(alg_, Md(copy));
  }

 private:
  HashAlgorithm alg_;
  Md md_;
};

// libgcrypt has no cipher handle copy, so the object keeps its key (wiped
// with it) for Clone().
class GcryptKeyedCtr final : public KeyedAes128Ctr {
 public:
  GcryptKeyedCtr(Cipher cipher, SecretBytes key)
      : cipher_(std::move(cipher)), key_(std::move(key)) {}

  Status Crypt(ByteView top_half, ByteView in, MutableByteView out) override {
    if (top_half.size() != kAesCtrTopHalfSize) {
      return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: counter top half size");
    }
    OTR_RETURN_IF_ERROR(CheckStreamBuffers(in, out));
    // otr v3 spec, "Data Message": top half || 0^64.
    std::array<uint8_t, 16> counter{};
    std::memcpy(counter.data(), top_half.data(), top_half.size());
    if (gcry_cipher_setctr(cipher_.get(), counter.data(), counter.size()) != 0) {
      return MakeError(ErrorCode::kBackendFailure, "Aes128Ctr: gcry_cipher_setctr");
    }
    return RunCipher(cipher_.get(), in, out);
  }

  std::unique_ptr<KeyedAes128Ctr> Clone() const override {
    auto copy = NewGcryptKeyedAes128Ctr(key_);
    if (!copy.ok()) LibraryInvariantFailed("KeyedAes128Ctr clone");
    return std::move(copy).value();
  }

 private:
  Cipher cipher_;
  SecretBytes key_;
};

}  // namespace

std::unique_ptr<KeyedHmac> NewGcryptKeyedHmac(HashAlgorithm alg, const SecretBytes& key) {
  EnsureInitialized();
  gcry_md_hd_t md = nullptr;
  if (gcry_md_open(&md, MdAlgorithm(alg), GCRY_MD_FLAG_HMAC) != 0) {
    LibraryInvariantFailed("gcry_md_open");
  }
  Md owned(md);
  if (gcry_md_setkey(md, key.data(), key.size()) != 0) LibraryInvariantFailed("gcry_md_setkey");
  return std::make_unique<GcryptKeyedHmac>(alg, std::move(owned));
}

Result<std::unique_ptr<KeyedAes128Ctr>> NewGcryptKeyedAes128Ctr(const SecretBytes& key) {
  if (key.size() != kAes128KeySize) return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: key size");
  Cipher cipher = OpenCipher(GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CTR, /*secure=*/false);
  if (gcry_cipher_setkey(cipher.get(), key.data(), key.size()) != 0) {
    return MakeError(ErrorCode::kBackendFailure, "Aes128Ctr: gcry_cipher_setkey");
  }
  return std::unique_ptr<KeyedAes128Ctr>(std::make_unique<GcryptKeyedCtr>(std::move(cipher), key));
}

}  // namespace otr::crypto::gcrypt_internal

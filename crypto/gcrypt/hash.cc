#include "crypto/gcrypt/hash.h"

#include <gcrypt.h>

#include <algorithm>
#include <cstring>

#include "crypto/gcrypt/handles.h"
#include "crypto/gcrypt/init.h"

namespace otr::crypto::gcrypt_internal {
namespace {

int MdAlgorithm(HashAlgorithm alg) {
  return alg == HashAlgorithm::kSha1 ? GCRY_MD_SHA1 : GCRY_MD_SHA256;
}

// Opens a digest handle. libgcrypt 1.10 always provides these algorithms.
Md OpenMd(int algo, unsigned int flags) {
  EnsureInitialized();
  gcry_md_hd_t md = nullptr;
  if (gcry_md_open(&md, algo, flags) != 0) LibraryInvariantFailed("gcry_md_open");
  return Md(md);
}

// A hash or an HMAC: gcry_md with or without GCRY_MD_FLAG_HMAC. The handle
// is closed (and its state, for HMAC the padded key, wiped) by Finish().
class GcryptHashContext final : public HashContext {
 public:
  GcryptHashContext(HashAlgorithm alg, Md md) : alg_(alg), md_(std::move(md)) {}

  void Update(ByteView data) override {
    if (md_ && !data.empty()) gcry_md_write(md_.get(), data.data(), data.size());
  }

  SecretBytes Finish() override {
    SecretBytes out(DigestSize(alg_));
    if (!md_) return out;  // Finish() may be called once
    const unsigned char* digest = gcry_md_read(md_.get(), MdAlgorithm(alg_));
    if (digest != nullptr) std::memcpy(out.data(), digest, out.size());
    md_.reset();
    return out;
  }

 private:
  HashAlgorithm alg_;
  Md md_;  // null once finished
};

class GcryptShake256Context final : public XofContext {
 public:
  explicit GcryptShake256Context(Md md) : md_(std::move(md)) {}

  void Update(ByteView data) override {
    if (md_ && !data.empty()) gcry_md_write(md_.get(), data.data(), data.size());
  }

  void Finish(MutableByteView out) override {
    std::fill(out.begin(), out.end(), 0);
    if (!md_) return;  // Finish() may be called once
    if (!out.empty()) gcry_md_extract(md_.get(), GCRY_MD_SHAKE256, out.data(), out.size());
    md_.reset();
  }

 private:
  Md md_;  // null once finished
};

}  // namespace

std::unique_ptr<HashContext> NewGcryptHash(HashAlgorithm alg) {
  return std::make_unique<GcryptHashContext>(alg, OpenMd(MdAlgorithm(alg), 0));
}

std::unique_ptr<HashContext> NewGcryptHmac(HashAlgorithm alg, ByteView key) {
  Md md = OpenMd(MdAlgorithm(alg), GCRY_MD_FLAG_HMAC | GCRY_MD_FLAG_SECURE);
  // RFC 2104: keys longer than the block are hashed, shorter ones padded
  // with zeros; libgcrypt does both, and accepts the empty key.
  if (gcry_md_setkey(md.get(), key.data(), key.size()) != 0) {
    LibraryInvariantFailed("gcry_md_setkey");
  }
  return std::make_unique<GcryptHashContext>(alg, std::move(md));
}

std::unique_ptr<XofContext> NewGcryptShake256() {
  return std::make_unique<GcryptShake256Context>(OpenMd(GCRY_MD_SHAKE256, 0));
}

}  // namespace otr::crypto::gcrypt_internal

#include "protocol/v3/keys/secbytes.h"

#include <cstring>

namespace otr::v3 {

using crypto::SecretBytes;

SecretBytes SecBytes(const SecretBytes& s) {
  size_t skip = 0;
  while (skip < s.size() && s[skip] == 0) ++skip;
  const size_t len = s.size() - skip;
  SecretBytes out(4 + len);
  out[0] = static_cast<uint8_t>(len >> 24);
  out[1] = static_cast<uint8_t>(len >> 16);
  out[2] = static_cast<uint8_t>(len >> 8);
  out[3] = static_cast<uint8_t>(len);
  if (len != 0) std::memcpy(out.data() + 4, s.data() + skip, len);
  return out;
}

namespace {

SecretBytes PrefixedHash(const crypto::Backend& backend, crypto::HashAlgorithm alg, uint8_t b,
                         const SecretBytes& secbytes) {
  auto ctx = backend.NewHash(alg);
  const uint8_t prefix[1] = {b};
  ctx->Update(prefix);
  ctx->Update(secbytes.view());
  return ctx->Finish();
}

}  // namespace

SecretBytes H1(const crypto::Backend& backend, uint8_t b, const SecretBytes& secbytes) {
  return PrefixedHash(backend, crypto::HashAlgorithm::kSha1, b, secbytes);
}

SecretBytes H2(const crypto::Backend& backend, uint8_t b, const SecretBytes& secbytes) {
  return PrefixedHash(backend, crypto::HashAlgorithm::kSha256, b, secbytes);
}

SecretBytes ExtraSymmetricKey(const crypto::Backend& backend, const SecretBytes& secbytes) {
  return H2(backend, 0xFF, secbytes);
}

}  // namespace otr::v3

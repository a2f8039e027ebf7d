#include "crypto/sodium/xsalsa20.h"

#include <sodium.h>

#include <cstdint>

#include "crypto/backend.h"

namespace otr::crypto::sodium {

Status XSalsa20(const SecretBytes& key, ByteView nonce, ByteView in, MutableByteView out) {
  static_assert(crypto_stream_xsalsa20_KEYBYTES == kXSalsa20KeySize);
  static_assert(crypto_stream_xsalsa20_NONCEBYTES == kXSalsa20NonceSize);
  if (key.size() != kXSalsa20KeySize || nonce.size() != kXSalsa20NonceSize) {
    return MakeError(ErrorCode::kInvalidKey, "XSalsa20: key 32 bytes, nonce 24 bytes");
  }
  OTR_RETURN_IF_ERROR(CheckStreamBuffers(in, out));
  if (in.empty()) return Status::Ok();
  // The crypto_stream functions need no sodium_init (they use no random
  // source and no CPU dispatch state).
  if (crypto_stream_xsalsa20_xor(out.data(), in.data(), in.size(), nonce.data(), key.data()) != 0) {
    return MakeError(ErrorCode::kInvalidKey, "XSalsa20: libsodium refused");
  }
  return Status::Ok();
}

}  // namespace otr::crypto::sodium

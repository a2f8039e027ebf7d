#include "crypto/gcrypt/cipher.h"

#include <gcrypt.h>

#include <array>
#include <cstring>

#include "crypto/backend.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/gcrypt/init.h"

namespace otr::crypto::gcrypt_internal {
namespace {

constexpr size_t kBlockSize = 16;
constexpr uint64_t kChaCha20BlockSize = 64;
constexpr uint64_t kChaCha20Blocks = uint64_t{1} << 32;  // a 32-bit block counter

}  // namespace

Cipher OpenCipher(int algo, int mode, bool secure) {
  EnsureInitialized();
  gcry_cipher_hd_t cipher = nullptr;
  if (gcry_cipher_open(&cipher, algo, mode, secure ? GCRY_CIPHER_SECURE : 0) != 0) {
    LibraryInvariantFailed("gcry_cipher_open");
  }
  return Cipher(cipher);
}

// Encrypts `in` into `out` (the same buffer allowed; libgcrypt works in place
// when given no separate input).
Status RunCipher(gcry_cipher_hd_t cipher, ByteView in, MutableByteView out) {
  if (in.empty()) return Status::Ok();
  gcry_error_t err =
      in.data() == out.data()
          ? gcry_cipher_encrypt(cipher, out.data(), out.size(), nullptr, 0)
          : gcry_cipher_encrypt(cipher, out.data(), out.size(), in.data(), in.size());
  if (err != 0) return MakeError(ErrorCode::kBackendFailure, "cipher: gcry_cipher_encrypt");
  return Status::Ok();
}

// otr v3 spec, "Data Message": AES-128 in counter mode, with the counter
// block being the 8-byte top half followed by 8 bytes of zeros.
Status GcryptAes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                       MutableByteView out) {
  if (key.size() != kAes128KeySize) return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: key size");
  if (top_half.size() != kAesCtrTopHalfSize) {
    return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: counter top half size");
  }
  OTR_RETURN_IF_ERROR(CheckStreamBuffers(in, out));
  Cipher cipher = OpenCipher(GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CTR);
  if (gcry_cipher_setkey(cipher.get(), key.data(), key.size()) != 0) {
    return MakeError(ErrorCode::kBackendFailure, "Aes128Ctr: gcry_cipher_setkey");
  }
  std::array<uint8_t, kBlockSize> counter{};
  std::memcpy(counter.data(), top_half.data(), top_half.size());
  if (gcry_cipher_setctr(cipher.get(), counter.data(), counter.size()) != 0) {
    return MakeError(ErrorCode::kBackendFailure, "Aes128Ctr: gcry_cipher_setctr");
  }
  return RunCipher(cipher.get(), in, out);
}

// RFC 7539 section 2.4. libgcrypt's ChaCha20 (STREAM mode) takes a 12-byte IV
// with the block counter at 0, or a 16-byte IV that sets state words 12..15
// directly: the 32-bit little-endian counter, then the 96-bit nonce. We use
// the latter. libgcrypt would carry a counter overflow into the nonce; RFC
// 7539's counter has 32 bits, so a stream that would pass block 2^32 - 1 is
// refused (as the openssl backend does).
Status GcryptChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter, ByteView in,
                      MutableByteView out) {
  if (key.size() != kChaCha20KeySize)
    return MakeError(ErrorCode::kInvalidKey, "ChaCha20: key size");
  if (nonce.size() != kChaCha20NonceSize) {
    return MakeError(ErrorCode::kInvalidKey, "ChaCha20: nonce size");
  }
  OTR_RETURN_IF_ERROR(CheckStreamBuffers(in, out));
  const uint64_t blocks = (uint64_t{in.size()} + kChaCha20BlockSize - 1) / kChaCha20BlockSize;
  if (uint64_t{counter} + blocks > kChaCha20Blocks) {
    return MakeError(ErrorCode::kOutOfRange, "ChaCha20: the block counter would pass 2^32 - 1");
  }
  Cipher cipher = OpenCipher(GCRY_CIPHER_CHACHA20, GCRY_CIPHER_MODE_STREAM);
  if (gcry_cipher_setkey(cipher.get(), key.data(), key.size()) != 0) {
    return MakeError(ErrorCode::kBackendFailure, "ChaCha20: gcry_cipher_setkey");
  }
  std::array<uint8_t, kBlockSize> iv{};
  for (size_t i = 0; i < 4; ++i) iv[i] = static_cast<uint8_t>(counter >> (8 * i));
  std::memcpy(iv.data() + 4, nonce.data(), nonce.size());
  if (gcry_cipher_setiv(cipher.get(), iv.data(), iv.size()) != 0) {
    return MakeError(ErrorCode::kBackendFailure, "ChaCha20: gcry_cipher_setiv");
  }
  return RunCipher(cipher.get(), in, out);
}

}  // namespace otr::crypto::gcrypt_internal

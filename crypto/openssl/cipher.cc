#include "crypto/openssl/cipher.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "crypto/backend.h"

namespace otr::crypto::openssl {
namespace {

// Runs a stream cipher over `in` into `out` (which may alias `in` exactly).
void RunStream(const EVP_CIPHER* cipher, const uint8_t* key, const uint8_t* iv, ByteView in,
               MutableByteView out) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  FatalUnless(ctx != nullptr && EVP_EncryptInit_ex2(ctx.get(), cipher, key, iv, nullptr) == 1,
              "EVP_EncryptInit_ex2");
  UpdateStream(ctx.get(), in, out);
}

}  // namespace

// EVP_EncryptUpdate takes an int length, so long inputs go in chunks.
void UpdateStream(EVP_CIPHER_CTX* ctx, ByteView in, MutableByteView out) {
  constexpr size_t kChunk = size_t{1} << 30;
  for (size_t done = 0; done < in.size();) {
    const size_t n = std::min(kChunk, in.size() - done);
    int written = 0;
    FatalUnless(EVP_EncryptUpdate(ctx, out.data() + done, &written, in.data() + done,
                                  static_cast<int>(n)) == 1 &&
                    static_cast<size_t>(written) == n,
                "EVP_EncryptUpdate");
    done += n;
  }
}

Status Aes128Ctr(const EVP_CIPHER* cipher, const SecretBytes& key, ByteView top_half, ByteView in,
                 MutableByteView out) {
  if (key.size() != kAes128KeySize || top_half.size() != kAesCtrTopHalfSize) {
    return MakeError(ErrorCode::kInvalidKey, "Aes128Ctr: key 16 bytes, top half 8 bytes");
  }
  OTR_RETURN_IF_ERROR(CheckStreamBuffers(in, out));
  std::array<uint8_t, 16> counter_block{};
  std::copy(top_half.begin(), top_half.end(), counter_block.begin());
  RunStream(cipher, key.data(), counter_block.data(), in, out);
  return Status::Ok();
}

Status ChaCha20(const EVP_CIPHER* cipher, const SecretBytes& key, ByteView nonce, uint32_t counter,
                ByteView in, MutableByteView out) {
  if (key.size() != kChaCha20KeySize || nonce.size() != kChaCha20NonceSize) {
    return MakeError(ErrorCode::kInvalidKey, "ChaCha20: key 32 bytes, nonce 12 bytes");
  }
  OTR_RETURN_IF_ERROR(CheckStreamBuffers(in, out));
  // RFC 7539 has a 32-bit block counter; OpenSSL would carry into the nonce.
  const uint64_t blocks = (static_cast<uint64_t>(in.size()) + 63) / 64;
  if (static_cast<uint64_t>(counter) + blocks > (uint64_t{1} << 32)) {
    return MakeError(ErrorCode::kOutOfRange, "ChaCha20: block counter would wrap");
  }
  // OpenSSL's IV: the block counter (32-bit little-endian) || the nonce.
  std::array<uint8_t, 16> iv{};
  for (int i = 0; i < 4; ++i) iv[i] = static_cast<uint8_t>(counter >> (8 * i));
  std::copy(nonce.begin(), nonce.end(), iv.begin() + 4);
  RunStream(cipher, key.data(), iv.data(), in, out);
  return Status::Ok();
}

}  // namespace otr::crypto::openssl

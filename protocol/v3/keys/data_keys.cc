#include "protocol/v3/keys/data_keys.h"

#include "protocol/v3/keys/secbytes.h"

namespace otr::v3 {

using crypto::HashAlgorithm;
using crypto::SecretBytes;

DataKeys DeriveDataKeys(const crypto::Backend& backend, ByteView our_public, ByteView their_public,
                        const SecretBytes& s) {
  const bool high = backend.Compare(our_public, their_public) > 0;
  const uint8_t sendbyte = high ? 0x01 : 0x02;
  const uint8_t recvbyte = high ? 0x02 : 0x01;
  DataKeys keys;
  keys.secbytes = SecBytes(s);
  keys.send_aes = SecretBytes(H1(backend, sendbyte, keys.secbytes).view().first(16));
  keys.recv_aes = SecretBytes(H1(backend, recvbyte, keys.secbytes).view().first(16));
  auto mac = [&](const SecretBytes& aes) {
    auto ctx = backend.NewHash(HashAlgorithm::kSha1);
    ctx->Update(aes.view());
    return ctx->Finish();
  };
  keys.send_mac = mac(keys.send_aes);
  keys.recv_mac = mac(keys.recv_aes);
  return keys;
}

}  // namespace otr::v3

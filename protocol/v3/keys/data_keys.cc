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

Result<DataCiphers> DataCiphers::Make(const crypto::Backend& backend, const DataKeys& keys) {
  DataCiphers c;
  OTR_ASSIGN_OR_RETURN(c.send_aes_, backend.NewKeyedAes128Ctr(keys.send_aes));
  OTR_ASSIGN_OR_RETURN(c.recv_aes_, backend.NewKeyedAes128Ctr(keys.recv_aes));
  c.send_mac_ = backend.NewKeyedHmac(HashAlgorithm::kSha1, keys.send_mac);
  c.recv_mac_ = backend.NewKeyedHmac(HashAlgorithm::kSha1, keys.recv_mac);
  return c;
}

DataCiphers::DataCiphers(const DataCiphers& other)
    : send_aes_(other.send_aes_->Clone()),
      recv_aes_(other.recv_aes_->Clone()),
      send_mac_(other.send_mac_->Clone()),
      recv_mac_(other.recv_mac_->Clone()) {}

DataCiphers& DataCiphers::operator=(const DataCiphers& other) {
  if (this != &other) *this = DataCiphers(other);
  return *this;
}

}  // namespace otr::v3

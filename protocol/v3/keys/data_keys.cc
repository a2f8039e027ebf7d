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

namespace {

// The context in `slot`, set up from `key` first if there is none. Nothing
// is stored unless the backend made one.
Result<crypto::KeyedAes128Ctr*> PreparedAes(const crypto::Backend& backend, const SecretBytes& key,
                                            std::unique_ptr<crypto::KeyedAes128Ctr>& slot) {
  if (!slot) {
    OTR_ASSIGN_OR_RETURN(std::unique_ptr<crypto::KeyedAes128Ctr> made,
                         backend.NewKeyedAes128Ctr(key));
    if (!made) return MakeError(ErrorCode::kBackendFailure, "AES-CTR context not set up");
    slot = std::move(made);
  }
  return slot.get();
}

Result<crypto::KeyedHmac*> PreparedMac(const crypto::Backend& backend, const SecretBytes& key,
                                       std::unique_ptr<crypto::KeyedHmac>& slot) {
  if (!slot) {
    std::unique_ptr<crypto::KeyedHmac> made = backend.NewKeyedHmac(HashAlgorithm::kSha1, key);
    if (!made) return MakeError(ErrorCode::kBackendFailure, "HMAC context not set up");
    slot = std::move(made);
  }
  return slot.get();
}

template <typename T>
std::unique_ptr<T> CloneOf(const std::unique_ptr<T>& context) {
  return context ? context->Clone() : nullptr;
}

}  // namespace

Result<crypto::KeyedAes128Ctr*> DataCiphers::SendAes(const crypto::Backend& backend,
                                                     const DataKeys& keys) {
  return PreparedAes(backend, keys.send_aes, send_aes_);
}

Result<crypto::KeyedHmac*> DataCiphers::SendMac(const crypto::Backend& backend,
                                                const DataKeys& keys) {
  return PreparedMac(backend, keys.send_mac, send_mac_);
}

Result<crypto::KeyedAes128Ctr*> DataCiphers::RecvAes(const crypto::Backend& backend,
                                                     const DataKeys& keys) {
  return PreparedAes(backend, keys.recv_aes, recv_aes_);
}

Result<crypto::KeyedHmac*> DataCiphers::RecvMac(const crypto::Backend& backend,
                                                const DataKeys& keys) {
  return PreparedMac(backend, keys.recv_mac, recv_mac_);
}

int DataCiphers::prepared() const {
  return (send_aes_ ? 1 : 0) + (recv_aes_ ? 1 : 0) + (send_mac_ ? 1 : 0) + (recv_mac_ ? 1 : 0);
}

DataCiphers::DataCiphers(const DataCiphers& other)
    : send_aes_(CloneOf(other.send_aes_)),
      recv_aes_(CloneOf(other.recv_aes_)),
      send_mac_(CloneOf(other.send_mac_)),
      recv_mac_(CloneOf(other.recv_mac_)) {}

DataCiphers& DataCiphers::operator=(const DataCiphers& other) {
  if (this != &other) *this = DataCiphers(other);
  return *this;
}

}  // namespace otr::v3

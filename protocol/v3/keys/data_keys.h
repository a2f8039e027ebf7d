// Per-key-pair data message keys (otr v3 spec, "Computing AES keys, MAC
// keys, and the secure session id", second half).
#ifndef OTR_PROTOCOL_V3_KEYS_DATA_KEYS_H_
#define OTR_PROTOCOL_V3_KEYS_DATA_KEYS_H_

#include <memory>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::v3 {

struct DataKeys {
  crypto::SecretBytes send_aes;  // first 16 bytes of h1(sendbyte)
  crypto::SecretBytes send_mac;  // SHA-1(send_aes)
  crypto::SecretBytes recv_aes;  // first 16 bytes of h1(recvbyte)
  crypto::SecretBytes recv_mac;  // SHA-1(recv_aes)
  crypto::SecretBytes secbytes;  // kept for the extra symmetric key
};

// `s` is the D-H secret of our key pair with their public key. We are the
// "high" end when our public key is numerically greater than theirs.
DataKeys DeriveDataKeys(const crypto::Backend& backend, ByteView our_public, ByteView their_public,
                        const crypto::SecretBytes& s);

// The four data keys of a pair set up once in the backend (keyed contexts),
// so that each Data Message pays only for its AES-CTR and HMAC-SHA1 work.
// Copies clone the contexts. A context is used by one caller at a time.
class DataCiphers {
 public:
  static Result<DataCiphers> Make(const crypto::Backend& backend, const DataKeys& keys);

  DataCiphers(const DataCiphers& other);
  DataCiphers& operator=(const DataCiphers& other);
  DataCiphers(DataCiphers&&) = default;
  DataCiphers& operator=(DataCiphers&&) = default;

  crypto::KeyedAes128Ctr& send_aes() const { return *send_aes_; }
  crypto::KeyedHmac& send_mac() const { return *send_mac_; }
  crypto::KeyedAes128Ctr& recv_aes() const { return *recv_aes_; }
  crypto::KeyedHmac& recv_mac() const { return *recv_mac_; }

 private:
  DataCiphers() = default;

  std::unique_ptr<crypto::KeyedAes128Ctr> send_aes_, recv_aes_;
  std::unique_ptr<crypto::KeyedHmac> send_mac_, recv_mac_;
};

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_KEYS_DATA_KEYS_H_

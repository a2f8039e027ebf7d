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

// The four data keys of a pair as keyed contexts in the backend, each set
// up on its first use and kept, so that each Data Message pays only for its
// AES-CTR and HMAC-SHA1 work (docs/decisions/0007). On first use, not when
// the pair is derived (docs/decisions/0032): most pairs never carry a
// message in one of the two directions (a pair with our previous key only
// receives, the receiving side of a one-way stream never sends), and an
// established session that has not spoken yet holds none. A setup that
// fails returns the error and caches nothing: the next use tries again.
// Copies clone the contexts set up so far. A context is used by one caller
// at a time.
class DataCiphers {
 public:
  DataCiphers() = default;
  DataCiphers(const DataCiphers& other);
  DataCiphers& operator=(const DataCiphers& other);
  DataCiphers(DataCiphers&&) = default;
  DataCiphers& operator=(DataCiphers&&) = default;

  // The context of one of `keys` (the pair's DataKeys), set up if needed.
  Result<crypto::KeyedAes128Ctr*> SendAes(const crypto::Backend& backend, const DataKeys& keys);
  Result<crypto::KeyedHmac*> SendMac(const crypto::Backend& backend, const DataKeys& keys);
  Result<crypto::KeyedAes128Ctr*> RecvAes(const crypto::Backend& backend, const DataKeys& keys);
  Result<crypto::KeyedHmac*> RecvMac(const crypto::Backend& backend, const DataKeys& keys);

  // How many of the four are set up (for tests).
  int prepared() const;

 private:
  std::unique_ptr<crypto::KeyedAes128Ctr> send_aes_, recv_aes_;
  std::unique_ptr<crypto::KeyedHmac> send_mac_, recv_mac_;
};

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_KEYS_DATA_KEYS_H_

// Per-key-pair data message keys (otr v3 spec, "Computing AES keys, MAC
// keys, and the secure session id", second half).
#ifndef OTR_PROTOCOL_V3_KEYS_DATA_KEYS_H_
#define OTR_PROTOCOL_V3_KEYS_DATA_KEYS_H_

#include "base/bytes.h"
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

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_KEYS_DATA_KEYS_H_

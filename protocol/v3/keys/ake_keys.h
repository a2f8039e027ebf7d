// The seven values computed from the AKE's shared secret (otr v3 spec,
// "Computing AES keys, MAC keys, and the secure session id").
#ifndef OTR_PROTOCOL_V3_KEYS_AKE_KEYS_H_
#define OTR_PROTOCOL_V3_KEYS_AKE_KEYS_H_

#include <array>
#include <cstdint>

#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::v3 {

struct AkeKeys {
  std::array<uint8_t, 8> ssid{};  // first 64 bits of h2(0x00)
  crypto::SecretBytes c;          // first 128 bits of h2(0x01)
  crypto::SecretBytes c_prime;    // second 128 bits of h2(0x01)
  crypto::SecretBytes m1;         // h2(0x02)
  crypto::SecretBytes m2;         // h2(0x03)
  crypto::SecretBytes m1_prime;   // h2(0x04)
  crypto::SecretBytes m2_prime;   // h2(0x05)
};

AkeKeys DeriveAkeKeys(const crypto::Backend& backend, const crypto::SecretBytes& s);

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_KEYS_AKE_KEYS_H_

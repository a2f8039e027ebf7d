#include "protocol/v3/keys/ake_keys.h"

#include <algorithm>

#include "protocol/v3/keys/secbytes.h"

namespace otr::v3 {

AkeKeys DeriveAkeKeys(const crypto::Backend& backend, const crypto::SecretBytes& s) {
  const crypto::SecretBytes secbytes = SecBytes(s);
  AkeKeys keys;
  const crypto::SecretBytes h0 = H2(backend, 0x00, secbytes);
  std::copy_n(h0.data(), keys.ssid.size(), keys.ssid.begin());
  const crypto::SecretBytes h1 = H2(backend, 0x01, secbytes);
  keys.c = crypto::SecretBytes(h1.view().first(16));
  keys.c_prime = crypto::SecretBytes(h1.view().subspan(16, 16));
  keys.m1 = H2(backend, 0x02, secbytes);
  keys.m2 = H2(backend, 0x03, secbytes);
  keys.m1_prime = H2(backend, 0x04, secbytes);
  keys.m2_prime = H2(backend, 0x05, secbytes);
  return keys;
}

}  // namespace otr::v3

// otrv4.md, "3072-bit Diffie-Hellman Parameters": RFC 3526's 3072-bit MODP
// group (group 15), dh_p as the spec writes it, generator g3 = 2, cofactor
// 2, subprime dh_q = (dh_p - 1) / 2. The parameters are crypto's
// (crypto/modp_group.h, kModp3072); tests/v4/crypto checks them against the
// hex of the spec.
//
// The brace key derived from k_dh belongs to the double ratchet, not here.
#ifndef OTR_PROTOCOL_V4_CRYPTO_DH3072_H_
#define OTR_PROTOCOL_V4_CRYPTO_DH3072_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/secret_bytes.h"

namespace otr::v4 {

// dh_p, dh_q, g3 = 2.
const crypto::ModpGroup& Dh3072Group();

// otrv4.md, "Verifying that an integer is in the DH group":
//   1. Check that x is >= g3 and <= dh_p - g3.
//   2. Compute x ^ dh_q mod dh_p. If result == 1, the integer is a valid element.
// `x` is big-endian (leading zeros allowed). kOutOfRange for either failure.
Status CheckDhGroupElement(const crypto::Backend& backend, ByteView x);

// k_dh (otrv4.md, "Shared Secrets": "The 3072-bit DH shared secret computed
// from a DH exchange, serialized as a big-endian unsigned integer"):
// peer_public ^ secret mod dh_p after the check above, minimal big-endian
// (no leading zero bytes).
Result<crypto::SecretBytes> DhSharedSecret(const crypto::Backend& backend,
                                           const crypto::SecretBytes& secret, ByteView peer_public);
// The same for a peer value that already passed CheckDhGroupElement when it
// was received (the interactive DAKE's B, A and first DH keys): the spec
// checks a received value once; the check (a 3072-bit Jacobi symbol) is not
// repeated for every k_dh made with it (decision 0033).
Result<crypto::SecretBytes> DhSharedSecretOfChecked(const crypto::Backend& backend,
                                                    const crypto::SecretBytes& secret,
                                                    ByteView checked_peer_public);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_CRYPTO_DH3072_H_

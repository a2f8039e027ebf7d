// The long-term Ed448 key pair, the forging key and the shared prekey as the
// profiles use them (otrv4.md, "Public keys, Shared Prekeys, Forging keys and
// Fingerprints"): a 57-byte symmetric key (sym_h, sym_d) is the RFC 8032
// seed; the public key is derived from it as RFC 8032 does, and the profiles
// are signed with it as the EdDSA private key ("Create a Client Profile
// Signature": "The inputs are the symmetric key").
#ifndef OTR_PROTOCOL_V4_PROFILE_KEYS_H_
#define OTR_PROTOCOL_V4_PROFILE_KEYS_H_

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/messages/data_types.h"

namespace otr::v4::profile {

struct Ed448KeyPair {
  crypto::SecretBytes sym_key;  // the 57-byte seed (sym_h or sym_d)
  crypto::Ed448Point point;     // H, F or D, validated
  Point encoded{};              // its POINT encoding
};

// From a 57-byte seed (kInvalidKey for another size).
Result<Ed448KeyPair> Ed448KeyPairFromSymKey(const crypto::Backend& backend,
                                            crypto::SecretBytes sym_key);
// "The symmetric key (sym_key) is 57 bytes of cryptographically secure
// random data." Used for the long-term key (sym_h), the forging key (its
// secret may then be discarded: "either by generating the key as detailed
// above ... or by directly generating a point") and the shared prekey (sym_d).
Result<Ed448KeyPair> GenerateEd448KeyPair(const crypto::Backend& backend, crypto::Random& random);

}  // namespace otr::v4::profile

#endif  // OTR_PROTOCOL_V4_PROFILE_KEYS_H_

// The computations of the v2/v3 AKE messages (otr v3 spec, "Authenticated
// Key Exchange (AKE)" and the field descriptions of the D-H Commit, Reveal
// Signature and Signature Messages). Pure functions; the state machine that
// calls them is ake.h.
#ifndef OTR_PROTOCOL_V3_AKE_AKE_CRYPTO_H_
#define OTR_PROTOCOL_V3_AKE_AKE_CRYPTO_H_

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "protocol/v3/data_types.h"
#include "protocol/v3/messages.h"

namespace otr::v3 {

// What the committing side (Bob) keeps: r and x, and the fields sent.
struct Commitment {
  crypto::SecretBytes r;  // 128-bit AES key, revealed in the Reveal Signature
  crypto::DhKeyPair x;    // x and g^x
  Bytes encrypted_gx;     // AES_r(MPI(g^x)), initial counter 0
  std::array<uint8_t, kHashedGxSize> hashed_gx{};  // SHA256(MPI(g^x))
};

Result<Commitment> MakeCommitment(const crypto::Backend& backend, crypto::Random& random);

// Alice, on the Reveal Signature: decrypts g^x with r, checks it against the
// hash (kBadMac on mismatch), decodes the MPI and checks 2 <= g^x <= p-2.
Result<Bytes> OpenCommitment(const crypto::Backend& backend, ByteView revealed_r,
                             ByteView encrypted_gx, ByteView hashed_gx);

// The keys of one signed half: (c, m1, m2) for the Reveal Signature Message,
// (c', m1', m2') for the Signature Message.
struct SigningKeys {
  const crypto::SecretBytes& aes;
  const crypto::SecretBytes& mac_m;    // m1 or m1': keys M
  const crypto::SecretBytes& mac_enc;  // m2 or m2': MACs the encrypted X
};

struct SignedPart {
  Bytes encrypted_signature;  // AES_c(X), initial counter 0
  Mac mac{};                  // SHA256-HMAC-160 of DATA(encrypted signature)
};

// M = HMAC-SHA256_m(MPI(ours) || MPI(theirs) || PUBKEY || keyid);
// X = PUBKEY || keyid || sig(M).
Result<SignedPart> MakeSignedPart(const crypto::Backend& backend, crypto::Random& random,
                                  const SigningKeys& keys, ByteView our_dh_public,
                                  ByteView their_dh_public, const crypto::DsaPrivateKey& our_key,
                                  uint32_t our_keyid);

// Verifies the MAC (kBadMac), decrypts and decodes X, recomputes M from the
// signer's point of view and verifies the signature (kBadSignature).
// Returns X: the signer's long-term public key and D-H keyid.
Result<SignedKeyId> VerifySignedPart(const crypto::Backend& backend, const SigningKeys& keys,
                                     ByteView signer_dh_public, ByteView verifier_dh_public,
                                     ByteView encrypted_signature, const Mac& mac);

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_AKE_AKE_CRYPTO_H_

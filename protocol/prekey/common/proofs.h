// The zero-knowledge proofs of a Prekey Publication (otr-v4-prekey-server.md,
// "Proofs"): batch Schnorr proofs of knowledge of the secrets behind the
// Public Shared Prekey D ("Prekey Profile proof"), the Prekey Messages' ECDH
// keys Y_i and their DH keys B_i ("Prekey Messages proofs"), made
// non-interactive with m = KDF(usage_proof_context, SK, 64).
//
// The byte-level readings (docs/decisions/0012-prekey-server-readings.md):
//   - lambda = 352 bits: p = KDF(usage_proof_c_lambda, c, N * 44) and t_i is
//     the i-th 44-byte piece;
//   - for the ECDH proofs t_i is read little-endian and reduced mod q, A and
//     the Y_i (or D) are hashed as POINTs, v is a SCALAR;
//   - for the DH proof t_i is read big-endian, A and the B_i are hashed as
//     MPIs (4-byte length, minimal value), v is (r + sum t_i * b_i) mod dh_q;
//   - r is 56 random bytes (ECDH, read little-endian, reduced mod q) or 80
//     (DH, big-endian), drawn again while zero.
// libotr-ng's prekey_proofs.c reads them the same way.
#ifndef OTR_PROTOCOL_PREKEY_COMMON_PROOFS_H_
#define OTR_PROTOCOL_PREKEY_COMMON_PROOFS_H_

#include <cstddef>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/messages/data_types.h"
#include "protocol/v4/crypto/kdf.h"

namespace otr::prekey {

inline constexpr size_t kProofLambdaBits = 352;
inline constexpr size_t kProofLambdaBytes = kProofLambdaBits / 8;  // 44
inline constexpr size_t kProofContextSize = 64;                    // m
inline constexpr size_t kEcdhProofRandomSize = 56;
inline constexpr size_t kDhProofRandomSize = 80;

// m = KDF(usage_proof_context, SK, 64).
crypto::SecretBytes ProofContext(const crypto::Backend& backend, const crypto::SecretBytes& sk);

// The ECDH batch proof for the points publics[i] = G * secrets[i], with
// usage_proof_message_ecdh (the Y_i) or usage_proof_shared_ecdh (D).
// kInvalidKey when the vectors differ in size or are empty. `generator` is
// G (the base point B when null); libotr-ng's proofs are over its G = 4B
// with its held scalars (protocol/v4/libotr_ng/curve.h).
Result<EcdhProof> GenerateEcdhProof(const crypto::Backend& backend, crypto::Random& random,
                                    const std::vector<crypto::SecretBytes>& secrets,
                                    const std::vector<crypto::Ed448Point>& publics, ByteView m,
                                    v4::PrekeyUsage usage,
                                    const crypto::Ed448Point* generator = nullptr);
// The same with r given: the 56 random bytes (read little-endian, reduced
// mod q), not all zero (kInvalidKey otherwise). For vectors and tests.
Result<EcdhProof> GenerateEcdhProofWithR(const crypto::Backend& backend,
                                         const crypto::SecretBytes& r,
                                         const std::vector<crypto::SecretBytes>& secrets,
                                         const std::vector<crypto::Ed448Point>& publics, ByteView m,
                                         v4::PrekeyUsage usage,
                                         const crypto::Ed448Point* generator = nullptr);
// kBadProof unless the proof verifies; kNonCanonical for a V not below q.
// `generator` is G (the base point B when null); libotr-ng's proofs are over
// its G = 4B with its held scalars (protocol/v4/libotr_ng/curve.h).
Status VerifyEcdhProof(const crypto::Backend& backend, const EcdhProof& proof,
                       const std::vector<crypto::Ed448Point>& publics, ByteView m,
                       v4::PrekeyUsage usage, const crypto::Ed448Point* generator = nullptr);

// The DH batch proof for publics[i] = g3 ^ secrets[i] mod dh_p (secrets
// big-endian, publics minimal big-endian), usage_proof_message_dh.
Result<DhProof> GenerateDhProof(const crypto::Backend& backend, crypto::Random& random,
                                const std::vector<crypto::SecretBytes>& secrets,
                                const std::vector<Bytes>& publics, ByteView m);
// The same with r given: 80 bytes, big-endian, not all zero (kInvalidKey
// otherwise).
Result<DhProof> GenerateDhProofWithR(const crypto::Backend& backend, const crypto::SecretBytes& r,
                                     const std::vector<crypto::SecretBytes>& secrets,
                                     const std::vector<Bytes>& publics, ByteView m);
// kBadProof unless it verifies; kOutOfRange for a V not below dh_q. The
// publics must have passed the group check ("Verifying that an integer is
// in the DH group") before.
Status VerifyDhProof(const crypto::Backend& backend, const DhProof& proof,
                     const std::vector<Bytes>& publics, ByteView m);

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_COMMON_PROOFS_H_

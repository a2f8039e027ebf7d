// The composite data types of the v2/v3 specs ("Public keys, signatures, and
// fingerprints"): PUBKEY and SIG, and the X structure that the AKE signs and
// encrypts ("Reveal Signature Message", X_B = pubB, keyidB, sigB(M_B)).
#ifndef OTR_PROTOCOL_V3_DATA_TYPES_H_
#define OTR_PROTOCOL_V3_DATA_TYPES_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::v3 {

// "DSA public keys have type 0x0000"; no other type is defined.
inline constexpr uint16_t kPubkeyTypeDsa = 0x0000;

// Bounds on the DSA parameters we decode. FIPS 186-4 allows L (bits of p) up to
// 3072 and N (bits of q) up to 256; libotr only makes 1024/160 keys. Larger
// values are refused before they reach any arithmetic.
inline constexpr size_t kMaxDsaPSize = 3072 / 8;  // p, and g and y, which are below p
inline constexpr size_t kMaxDsaQSize = 256 / 8;

// SIG for DSA: r || s, each as long as q, which "in current implementations
// must be 20 bytes" (otr v3 spec).
inline constexpr size_t kSigSize = crypto::kDsaSignatureSize;
using Sig = std::array<uint8_t, kSigSize>;

// The longest PUBKEY encoding we accept: type, then four MPIs.
inline constexpr size_t kMaxPubkeySize = 2 + 4 * 4 + 3 * kMaxDsaPSize + kMaxDsaQSize;

// PUBKEY. Decoding checks the shape only (type, minimal MPIs within bounds);
// whether the numbers form a usable DSA key is the engine's question.
Result<crypto::DsaPublicKey> ReadPubkey(wire::Reader& reader);
void WritePubkey(wire::Writer& writer, const crypto::DsaPublicKey& key);
Result<crypto::DsaPublicKey> DecodePubkey(ByteView bytes);  // whole input
Bytes EncodePubkey(const crypto::DsaPublicKey& key);

// SIG: exactly kSigSize bytes.
Result<Sig> ReadSig(wire::Reader& reader);

// X_B / X_A of the AKE: the plaintext of the "Encrypted signature" field.
struct SignedKeyId {
  crypto::DsaPublicKey pub;
  uint32_t keyid = 0;  // the spec requires > 0; see DecodeSignedKeyId
  Sig sig{};
  friend bool operator==(const SignedKeyId&, const SignedKeyId&) = default;
};

inline constexpr size_t kMaxSignedKeyIdSize = kMaxPubkeySize + 4 + kSigSize;

// Decode rule: keyid must be nonzero ("It is an INT, and must be greater
// than 0"), since the structure is meaningless otherwise. Trailing bytes are
// an error.
Result<SignedKeyId> DecodeSignedKeyId(ByteView bytes);
Bytes EncodeSignedKeyId(const SignedKeyId& x);

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_DATA_TYPES_H_

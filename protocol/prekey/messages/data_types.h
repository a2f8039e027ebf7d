// The data types the prekey-server specification adds to OTRv4's
// (otr-v4-prekey-server.md, "Data Types" and "Prekey Server Composite
// Identity"). Crypto-free: points are their 57 encoded bytes, the layer above
// validates them.
#ifndef OTR_PROTOCOL_PREKEY_MESSAGES_DATA_TYPES_H_
#define OTR_PROTOCOL_PREKEY_MESSAGES_DATA_TYPES_H_

#include <array>
#include <cstddef>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::prekey {

// "C: 64 bytes" of both proofs.
inline constexpr size_t kProofChallengeSize = 64;
using ProofChallenge = std::array<uint8_t, kProofChallengeSize>;

// ECDH Proof (PROOF-ECDH): C (64 bytes), V (SCALAR).
struct EcdhProof {
  ProofChallenge c{};
  v4::Scalar v{};
  friend bool operator==(const EcdhProof&, const EcdhProof&) = default;
};

// DH Proof (PROOF-DH): C (64 bytes), V (MPI). V is reduced mod dh_q
// ("Prekey Messages proofs", DH), so it is at most 384 bytes.
struct DhProof {
  ProofChallenge c{};
  Bytes v;  // minimal big-endian
  friend bool operator==(const DhProof&, const DhProof&) = default;
};

// Prekey Server Composite Identity (PREKEY-SERVER-COMP-ID):
//   Prekey Server Identity (DATA), Ed448 public key (ED448-PUBKEY).
// For XMPP: DATA("prekey.xmpp.org") || ED448-PUBKEY of the server.
struct CompositeIdentity {
  Bytes identity;          // UTF-8, at most kMaxIdentitySize bytes
  v4::Point public_key{};  // H_s, undecoded
  friend bool operator==(const CompositeIdentity&, const CompositeIdentity&) = default;
};

Result<EcdhProof> ReadEcdhProof(wire::Reader& reader);
void WriteEcdhProof(wire::Writer& writer, const EcdhProof& proof);
Result<DhProof> ReadDhProof(wire::Reader& reader);
void WriteDhProof(wire::Writer& writer, const DhProof& proof);

Result<CompositeIdentity> ReadCompositeIdentity(wire::Reader& reader);
void WriteCompositeIdentity(wire::Writer& writer, const CompositeIdentity& id);
// The whole input is one PREKEY-SERVER-COMP-ID (kTrailingBytes otherwise).
// Its encoding is also what the DAKE's KDF(usage_..._composite_identity, ..)
// hashes ("DAKE-2 Message").
Result<CompositeIdentity> DecodeCompositeIdentity(ByteView bytes);
Bytes EncodeCompositeIdentity(const CompositeIdentity& id);

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_MESSAGES_DATA_TYPES_H_

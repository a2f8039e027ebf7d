// libotr-ng's variant of the DAKE between a publisher and the prekey server
// (prekey_client_dake.c, prekey_manager.c; issue 20,
// docs/libotr-ng-deviations.md rows 21-24), for a prekey server that opts in
// to serving libotr-ng's prekey client (ServerConfig::accept_libotr_ng,
// decision 0034). It is otr-v4-prekey-server.md's "Key Exchange" with these
// differences, and only these:
//   - DAKE-1 carries the Client Profile in libotr-ng's bytes (big-endian key
//     types, row 1; protocol/v4/libotr_ng/client_profile.h), and t hashes
//     those bytes;
//   - the Prekey Server Composite Identity's public key has a big-endian
//     type (00 10), in DAKE-2 and in t;
//   - sigma of DAKE-2 and DAKE-3 is libotr-ng's ring signature (G = 4B, the
//     held scalar, q big-endian, a 64-byte hash, 56-byte scalars: rows 2, 14)
//     over the spec's domain "OTR-Prekey-Server" and usage_auth 0x11;
//   - SK_ecdh is libotr-ng's ECDH: (i / 4) * S on its side, so (s / 4) * I on
//     the server's (row 11), where the spec multiplies by the cofactor first;
//   - the Prekey Publication carries the profiles in libotr-ng's bytes (the
//     Prekey Profile's shared prekey type 00 11, signed over those bytes) and
//     its ECDH proofs are over G = 4B with V in 56 bytes (row 24);
//   - the Prekey Ensemble Retrieval message's L is a BYTE and each ensemble
//     is in libotr-ng's bytes (row 25).
// Phi, t's layout and usage IDs, SK, prekey_mac_k, the Storage Information
// Request, the Prekey MAC, the DH proof and the Storage Status, Success and
// Failure messages and their MACs are the spec's (LibotrNgPrekeyTest shows
// each against libotr-ng).
#ifndef OTR_PROTOCOL_PREKEY_COMMON_LIBOTR_NG_H_
#define OTR_PROTOCOL_PREKEY_COMMON_LIBOTR_NG_H_

#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/messages/data_types.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/wire/instance_tag.h"

namespace otr::prekey::libotr_ng {

// "DAKE-1 Message" as libotr-ng writes it (otrng_prekey_dake1_message_serialize).
struct Dake1 {
  wire::InstanceTag sender_instance_tag = wire::kMinInstanceTag;
  Bytes client_profile;  // libotr-ng's bytes, signature included (unchecked here)
  v4::Point i{};
};

// "DAKE-2 Message" as libotr-ng reads it (otrng_prekey_dake2_message_deserialize).
struct Dake2 {
  wire::InstanceTag receiver_instance_tag = wire::kMinInstanceTag;
  CompositeIdentity server_identity;
  v4::Point s{};
  v4::RingSigma sigma;
};

// "DAKE-3 Message" as libotr-ng writes it (otrng_prekey_dake3_message_serialize).
struct Dake3 {
  wire::InstanceTag sender_instance_tag = wire::kMinInstanceTag;
  v4::RingSigma sigma;
  Bytes message;  // the attached message, the spec's layout
};

Bytes EncodeDake1(const Dake1& m);
Bytes EncodeDake2(const Dake2& m);
Bytes EncodeDake3(const Dake3& m);
// The whole input is one message: the spec's header (version 4, type 0x35 or
// 0x37), a sender tag >= 0x100; typed errors as protocol/prekey/messages.
// DecodeDake3 also refuses a sigma scalar >= q (kNonCanonical).
Result<Dake1> DecodeDake1(ByteView bytes);
// The whole input is one DAKE-2 (type 0x36) as our server writes it for
// libotr-ng's client: a receiver tag >= 0x100, the composite identity with
// the key type big-endian (00 10, kUnknownType otherwise), S a point, and
// libotr-ng's RING-SIG (a scalar >= q: kNonCanonical).
Result<Dake2> DecodeDake2(const crypto::Backend& backend, ByteView bytes);
Result<Dake3> DecodeDake3(const crypto::Backend& backend, ByteView bytes);

// The composite identity's encoding with libotr-ng's big-endian key type,
// what DAKE-2 carries and t hashes.
Bytes CompositeIdentityBytes(const CompositeIdentity& id);

// SK = KDF(usage_SK, SK_ecdh, 64) with libotr-ng's SK_ecdh: (our / 4) * their
// (otrng_ecdh_shared_secret; no cofactor); kIdentityPoint for the identity.
Result<crypto::SecretBytes> SharedSecret(const crypto::Backend& backend,
                                         const crypto::SecretBytes& our_secret,
                                         const crypto::Ed448Point& their_public);

// "Prekey Publication Message" as libotr-ng writes it (prekey_manager.c,
// dake3_message_append_prekey_publication_message): the spec's layout and
// MAC, with the profiles in libotr-ng's bytes and each ECDH proof's V in 56
// bytes (otrng_ecdh_proof_serialize → otrng_serialize_ec_scalar).
struct Publication {
  std::vector<v4::PrekeyMessage> prekey_messages;            // the spec's layout
  std::optional<Bytes> client_profile;                       // libotr-ng's bytes
  std::optional<Bytes> prekey_profile;                       // libotr-ng's bytes
  std::optional<PrekeyMessageProofs> prekey_message_proofs;  // when N > 0
  std::optional<EcdhProof> prekey_profile_proof;             // when J = 1
  v4::Mac prekey_mac{};
};
Bytes EncodePublication(const Publication& m);
// The whole input; the proofs present are those N and J call for.
Result<Publication> DecodePublication(ByteView bytes);
// The Prekey MAC's parts over the bytes as sent.
PrekeyPublicationMacParts PublicationMacParts(const Publication& m);

// One stored Prekey Ensemble in libotr-ng's bytes (its Client Profile and
// Prekey Profile, the spec's Prekey Message), as published by it.
struct Ensemble {
  Bytes client_profile;
  Bytes prekey_profile;
  Bytes prekey_message;
};
// Whether the three byte strings have libotr-ng's layouts (its Client
// Profile and Prekey Profile, the spec's Prekey Message); no signature is
// checked (the server checked them when they were published).
bool IsLibotrNgEnsemble(const Ensemble& e);

// "Prekey Ensemble Retrieval Message" as libotr-ng reads it
// (prekey_client_messages.c, otrng_prekey_ensemble_retrieval_message_deserialize):
// the spec's fields with L, the number of ensembles, a BYTE (the spec's is
// an INT), and each ensemble in libotr-ng's bytes.
struct EnsembleRetrieval {
  wire::InstanceTag receiver_instance_tag = wire::kMinInstanceTag;
  Bytes participant_identity;
  std::vector<Ensemble> ensembles;  // 1..255
};
Bytes EncodeEnsembleRetrieval(const EnsembleRetrieval& m);
// The whole input is one such message (what libotr-ng's deserializer reads):
// L from 1 to 255, each ensemble's three parts kept as sent, their layouts
// checked (IsLibotrNgEnsemble's), no signature checked (the receiver checks
// them, DecodeAndVerifyPrekeyProfile, v4::libotr_ng::DecodeAndVerifyClientProfile).
Result<EnsembleRetrieval> DecodeEnsembleRetrieval(ByteView bytes);

// libotr-ng's Prekey Profile (prekey_profile.c): the spec's fields with the
// shared prekey's type big-endian (00 11), its signature over those bytes.
// Decode checks the signature under `h` (kBadSignature) and returns the
// fields (the signature field holds libotr-ng's signature).
Result<v4::PrekeyProfile> DecodeAndVerifyPrekeyProfile(const crypto::Backend& backend,
                                                       ByteView bytes, const v4::Point& h);
// Our Prekey Profile (its tag, expiration and D; the signature field is
// ignored) in libotr-ng's bytes, signed with sym_h over them: what a
// libotr-ng client accepts and DecodeAndVerifyPrekeyProfile reads.
Result<Bytes> EncodeAndSignPrekeyProfile(const crypto::Backend& backend,
                                         const crypto::SecretBytes& sym_h,
                                         const v4::PrekeyProfile& profile);

}  // namespace otr::prekey::libotr_ng

#endif  // OTR_PROTOCOL_PREKEY_COMMON_LIBOTR_NG_H_

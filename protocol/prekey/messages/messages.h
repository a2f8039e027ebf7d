// Every message of the prekey-server protocol (otr-v4-prekey-server.md):
// the DAKEZ between a publisher and the server (DAKE-1, DAKE-2, DAKE-3), the
// messages attached to DAKE-3 (Prekey Publication, Storage Information
// Request), the server's answers (Storage Status, Success, Failure), and
// retrieval (Prekey Ensemble Query Retrieval, Prekey Ensemble Retrieval, No
// Prekey Ensembles in Storage).
//
// This layer is crypto-free and total: every input decodes to a message or a
// typed error, and a decoded message re-encodes to exactly its bytes. Points
// travel undecoded (v4::Point); MACs, proofs and ring signatures are checked
// by the layer above. Nested Client Profiles, Prekey Profiles and Prekey
// Messages use protocol/v4/messages and its decode rules.
//
// Decode rules (stateless, from the spec; the value form is
// ValidateMessage):
//   - protocol version 4 (kUnsupportedVersion), a known type (kUnknownType);
//   - sender instance tags >= 0x100, receiver tags 0 or >= 0x100
//     (kInvalidInstanceTag; otrv4.md "Instance Tags");
//   - Prekey Publication: K and J are 0 or 1 (kInvalidEncoding); the proofs
//     present are exactly those N and J call for ("If `J` is zero, the
//     Prekey Profile ECDH proof will be missing. If `N` is zero, the two
//     Prekey Message proofs will be missing."); all Prekey Messages and
//     profiles carry one instance tag ("All Prekey Messages included in the
//     Prekey Publication message must have the same instance tag. They must
//     also have the same instance tag as the one stated in the Client and
//     Prekey profiles", kInvalidInstanceTag);
//   - Prekey Ensemble Retrieval: 0 < L <= kMaxEnsembles ("It must be greater
//     than 0": kInvalidEncoding; kTooLarge above the bound);
//   - the size bounds of header.h (kTooLarge).
// What needs keys or state is the layer above: MACs, ring signatures, proofs,
// profile validation, points on the curve, the receiver tag being ours.
#ifndef OTR_PROTOCOL_PREKEY_MESSAGES_MESSAGES_H_
#define OTR_PROTOCOL_PREKEY_MESSAGES_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/prekey/messages/data_types.h"
#include "protocol/prekey/messages/header.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/messages/ring_sig.h"
#include "protocol/wire/instance_tag.h"

namespace otr::prekey {

// "DAKE-1 Message" (0x35): sent by the publisher to commit to its ECDH key.
struct Dake1 {
  wire::InstanceTag sender_instance_tag = wire::kMinInstanceTag;
  v4::ClientProfile client_profile;  // Sender Client Profile
  v4::Point i{};                     // I, the ephemeral public ECDH key
  friend bool operator==(const Dake1&, const Dake1&) = default;
};

// "DAKE-2 Message" (0x36): the server's commitment and ring signature.
struct Dake2 {
  wire::InstanceTag receiver_instance_tag = wire::kMinInstanceTag;
  CompositeIdentity server_identity;  // Prekey Server Composite Identity
  v4::Point s{};                      // S, the ephemeral public ECDH key
  v4::RingSig sigma;
  friend bool operator==(const Dake2&, const Dake2&) = default;
};

// "DAKE-3 Message" (0x37): the publisher's ring signature and the message
// for the server (a Prekey Publication or a Storage Information Request),
// kept as its bytes: they are what the server MACs and stores, and
// DecodeAttachedMessage reads them.
struct Dake3 {
  wire::InstanceTag sender_instance_tag = wire::kMinInstanceTag;
  v4::RingSig sigma;
  Bytes message;  // DATA, at most kMaxAttachedMessageSize
  friend bool operator==(const Dake3&, const Dake3&) = default;
};

// The proofs of the Prekey Messages' keys ("Prekey Messages proofs"): one
// batch proof for the N ECDH keys Y_i and one for the N DH keys B_i.
struct PrekeyMessageProofs {
  EcdhProof ecdh;
  DhProof dh;
  friend bool operator==(const PrekeyMessageProofs&, const PrekeyMessageProofs&) = default;
};

// "Prekey Publication Message" (0x08), attached to DAKE-3. On the wire: N,
// the N Prekey Messages, K, the optional Client Profile, J, the optional
// Prekey Profile, the proofs ("Prekey Message ECDH proof, Prekey Message DH
// proof, Prekey Profile ECDH proof"), the Prekey MAC. N, K and J are implied
// by the vector and the optionals.
struct PrekeyPublication {
  std::vector<v4::PrekeyMessage> prekey_messages;   // N <= 255
  std::optional<v4::ClientProfile> client_profile;  // K = 1 when present
  std::optional<v4::PrekeyProfile> prekey_profile;  // J = 1 when present
  // Present exactly when N > 0.
  std::optional<PrekeyMessageProofs> prekey_message_proofs;
  // Present exactly when J = 1 (the proof of D).
  std::optional<EcdhProof> prekey_profile_proof;
  v4::Mac prekey_mac{};
  friend bool operator==(const PrekeyPublication&, const PrekeyPublication&) = default;
};
inline constexpr size_t kMaxPrekeyMessagesPerPublication = 255;  // N is a BYTE

// "Storage Information Request Message" (0x09), attached to DAKE-3.
struct StorageInformationRequest {
  v4::Mac storage_information_mac{};
  friend bool operator==(const StorageInformationRequest&,
                         const StorageInformationRequest&) = default;
};

// "Storage Status Message" (0x0B), the server's answer to the request.
struct StorageStatus {
  wire::InstanceTag receiver_instance_tag = wire::kMinInstanceTag;
  uint32_t stored_prekey_messages = 0;
  v4::Mac status_mac{};
  friend bool operator==(const StorageStatus&, const StorageStatus&) = default;
};

// "Success Message" (0x06).
struct Success {
  wire::InstanceTag receiver_instance_tag = wire::kMinInstanceTag;
  v4::Mac success_mac{};
  friend bool operator==(const Success&, const Success&) = default;
};

// "Failure Message" (0x05).
struct Failure {
  wire::InstanceTag receiver_instance_tag = wire::kMinInstanceTag;
  v4::Mac failure_mac{};
  friend bool operator==(const Failure&, const Failure&) = default;
};

// "Prekey Ensemble Query Retrieval Message" (0x10).
struct PrekeyEnsembleQueryRetrieval {
  wire::InstanceTag sender_instance_tag = wire::kMinInstanceTag;
  Bytes participant_identity;  // DATA, e.g. a bare JID
  Bytes versions;              // DATA, e.g. "45"; unknown versions ignored
  friend bool operator==(const PrekeyEnsembleQueryRetrieval&,
                         const PrekeyEnsembleQueryRetrieval&) = default;
};

// One Prekey Ensemble as the retrieval message carries it.
struct PrekeyEnsemble {
  v4::ClientProfile client_profile;
  v4::PrekeyProfile prekey_profile;
  v4::PrekeyMessage prekey_message;
  friend bool operator==(const PrekeyEnsemble&, const PrekeyEnsemble&) = default;
};

// "Prekey Ensemble Retrieval Message" (0x13).
struct PrekeyEnsembleRetrieval {
  wire::InstanceTag receiver_instance_tag = wire::kMinInstanceTag;
  Bytes participant_identity;
  std::vector<PrekeyEnsemble> ensembles;  // L, 1..kMaxEnsembles
  friend bool operator==(const PrekeyEnsembleRetrieval&, const PrekeyEnsembleRetrieval&) = default;
};

// "No Prekey Ensembles in Storage Message" (0x0E).
inline constexpr std::string_view kNoPrekeyMessagesText =
    "No Prekey Messages available for this identity";
struct NoPrekeyEnsemblesInStorage {
  wire::InstanceTag receiver_instance_tag = wire::kMinInstanceTag;
  Bytes participant_identity;
  Bytes text;  // "No Prekey-Messages message", human-readable; escape before showing
  friend bool operator==(const NoPrekeyEnsemblesInStorage&,
                         const NoPrekeyEnsemblesInStorage&) = default;
};

using Message = std::variant<Dake1, Dake2, Dake3, PrekeyPublication, StorageInformationRequest,
                             StorageStatus, Success, Failure, PrekeyEnsembleQueryRetrieval,
                             PrekeyEnsembleRetrieval, NoPrekeyEnsemblesInStorage>;

// The dispatcher: any prekey-server message, by its type byte.
Result<Message> DecodeMessage(ByteView bytes);
// Precondition for a round trip: ValidateMessage(m) is ok (and MPIs minimal);
// otherwise the bytes are written but DecodeMessage refuses them.
Bytes EncodeMessage(const Message& m);
// The decode rules listed above, on a value (nested profiles and Prekey
// Messages are checked by their own decoders, not here).
Status ValidateMessage(const Message& m);
MessageType TypeOf(const Message& m);

// One message of a known type: kUnknownType for any other.
Result<Dake1> DecodeDake1(ByteView bytes);
Result<Dake2> DecodeDake2(ByteView bytes);
Result<Dake3> DecodeDake3(ByteView bytes);
Result<PrekeyPublication> DecodePrekeyPublication(ByteView bytes);
Result<StorageInformationRequest> DecodeStorageInformationRequest(ByteView bytes);
Result<StorageStatus> DecodeStorageStatus(ByteView bytes);
Result<Success> DecodeSuccess(ByteView bytes);
Result<Failure> DecodeFailure(ByteView bytes);
Result<PrekeyEnsembleQueryRetrieval> DecodePrekeyEnsembleQueryRetrieval(ByteView bytes);
Result<PrekeyEnsembleRetrieval> DecodePrekeyEnsembleRetrieval(ByteView bytes);
Result<NoPrekeyEnsemblesInStorage> DecodeNoPrekeyEnsemblesInStorage(ByteView bytes);

// The message attached to DAKE-3: "Verifies that the message type is either
// 0x08 or 0x09" (section "Key Exchange", Prekey Server); kUnknownType for
// any other message.
using AttachedMessage = std::variant<PrekeyPublication, StorageInformationRequest>;
Result<AttachedMessage> DecodeAttachedMessage(ByteView bytes);
Bytes EncodeAttachedMessage(const AttachedMessage& m);

// The pieces the MACs of section "Key Exchange" cover, for the layer that
// computes them (the KDFs are protocol/v4/crypto's):
//   Prekey MAC: KDF(usage_preMAC, prekey_mac_k || message type || N ||
//     KDF(usage_prekey_message, Prekey Messages, 64) || K ||
//     [KDF(usage_client_profile, Client Profile, 64)] || J ||
//     [KDF(usage_prekey_profile, Prekey Profile, 64)] ||
//     KDF(usage_mac_proofs, Proofs, 64), 64).
// (For "only Prekey Messages present" the spec's formula closes a
// parenthesis after J and appends the proofs' KDF outside the MAC; the other
// three cases and the server's side put it inside, which is what the layer
// above should do; a note for the engine, not a wire question.)
struct PrekeyPublicationMacParts {
  uint8_t message_type = static_cast<uint8_t>(MessageType::kPrekeyPublication);
  uint8_t n = 0;
  Bytes prekey_messages;  // the N encoded Prekey Messages, concatenated
  uint8_t k = 0;
  Bytes client_profile;  // its encoding, empty when K = 0
  uint8_t j = 0;
  Bytes prekey_profile;  // its encoding, empty when J = 0
  Bytes proofs;          // the encoded proofs, concatenated
};
PrekeyPublicationMacParts PublicationMacParts(const PrekeyPublication& m);
// Storage Information MAC input after prekey_mac_k: "message type".
// Status MAC: "message type || receiver instance tag || Stored Prekey
// Messages Number". Success and Failure MACs: "message type || receiver
// instance tag". (Integers as on the wire: BYTE, INT, INT.)
Bytes StorageInformationMacInput();
Bytes StatusMacInput(const StorageStatus& m);
Bytes SuccessMacInput(const Success& m);
Bytes FailureMacInput(const Failure& m);

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_MESSAGES_MESSAGES_H_

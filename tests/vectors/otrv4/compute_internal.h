// The per-kind functions behind Compute() (compute.h), one file per group of
// vector files.
#ifndef OTR_TESTS_VECTORS_OTRV4_COMPUTE_INTERNAL_H_
#define OTR_TESTS_VECTORS_OTRV4_COMPUTE_INTERNAL_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "crypto/backend.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/tlv.h"
#include "tests/vectors/otrv4/compute.h"

namespace otr::v4::vectors {

using KindFunction = void (*)(const crypto::Backend&, const Json& input, Computed& out);

// Points from the files: decoded and validated (VectorError otherwise).
crypto::Ed448Point DecodePoint(const crypto::Backend& backend, ByteView encoding);
std::string PointHex(const crypto::Backend& backend, const crypto::Ed448Point& point);

// compute_constructs.cc: kdf.json, hash_to_scalar.json, keygen.json,
// fingerprint.json, dh3072.json, points.json, eddsa.json, ring_signature.json.
void ComputeKdf(const crypto::Backend&, const Json&, Computed&);
void ComputeDataMessageKeys(const crypto::Backend&, const Json&, Computed&);
void ComputeHashToScalar(const crypto::Backend&, const Json&, Computed&);
void ComputeEcdh(const crypto::Backend&, const Json&, Computed&);
void ComputeDh(const crypto::Backend&, const Json&, Computed&);
void ComputeLongTerm(const crypto::Backend&, const Json&, Computed&);
void ComputeEcdhSharedSecret(const crypto::Backend&, const Json&, Computed&);
void ComputeFingerprint(const crypto::Backend&, const Json&, Computed&);
void ComputePrekeyServerFingerprint(const crypto::Backend&, const Json&, Computed&);
void ComputeDhConstants(const crypto::Backend&, const Json&, Computed&);
void ComputeDhMembership(const crypto::Backend&, const Json&, Computed&);
void ComputePointDecode(const crypto::Backend&, const Json&, Computed&);
void ComputePointBaseMul(const crypto::Backend&, const Json&, Computed&);
void ComputePointAdd(const crypto::Backend&, const Json&, Computed&);
void ComputePointMul(const crypto::Backend&, const Json&, Computed&);
void ComputeEddsaSign(const crypto::Backend&, const Json&, Computed&);
void ComputeEddsaVerify(const crypto::Backend&, const Json&, Computed&);
void ComputeRsig(const crypto::Backend&, const Json&, Computed&);
void ComputeRvrf(const crypto::Backend&, const Json&, Computed&);

// compute_profiles.cc: client_profile.json, prekey_profile.json,
// prekey_server.json.
void ComputeClientProfile(const crypto::Backend&, const Json&, Computed&);
void ComputePrekeyProfile(const crypto::Backend&, const Json&, Computed&);
void ComputeProfileSignatureVerify(const crypto::Backend&, const Json&, Computed&);
void ComputePrekeyServerMacs(const crypto::Backend&, const Json&, Computed&);
void ComputePrekeyProofs(const crypto::Backend&, const Json&, Computed&);
void ComputePrekeyServerDake(const crypto::Backend&, const Json&, Computed&);

// compute_xzdh.cc: xzdh.json (the non-interactive DAKE, protocol/v4/dake/xzdh.h).
void ComputeXzdh(const crypto::Backend&, const Json&, Computed&);

// compute_messages.cc: messages.json.
void ComputeMessage(const crypto::Backend&, const Json&, Computed&);
void ComputeTlv(const crypto::Backend&, const Json&, Computed&);

// The messages of messages.json (README.md, "Messages"): an OTRv4 message or
// a prekey-server message, built from a vector's "fields" with our structs
// (nested profiles and Prekey Messages decoded with our decoders), encoded
// and decoded with our encoders and decoders, chosen by the schema's name.
using AnyMessage = std::variant<Message, prekey::Message>;
AnyMessage MessageFromFields(const std::string& name, const Json& fields);
Bytes EncodeAnyMessage(const AnyMessage& message);
Result<AnyMessage> DecodeAnyMessage(const std::string& name, ByteView bytes);

// A Prekey Publication from its parts as the files give them (README.md:
// prekey_messages, client_profile and prekey_profile encoded, absent as
// null or "", the proofs concatenated in the spec's order).
prekey::PrekeyPublication PublicationFromParts(const Json& prekey_messages,
                                               const Json& client_profile,
                                               const Json& prekey_profile, ByteView proofs,
                                               const Mac& prekey_mac);

// TLVs (messages.json "tlv"): the typed record of a vector's input, and one
// record's encoding Type || Length || Value as EncodeDataPayload writes it.
Tlv TlvFromInput(const Json& input);
Bytes EncodeTlvRecord(const TlvRecord& record);
// The inverse: one whole record (DecodeDataPayload), typed (DecodeTlv).
Result<Tlv> DecodeTlvRecord(ByteView encoding);

// compute_wycheproof.cc: Wycheproof's Ed448 public keys and signature R
// values (each once) as "point_decode" vectors with our verdicts, in a
// vector file of this schema named kWycheproofPointsFile.
inline constexpr const char* kWycheproofPointsFile = "wycheproof_ed448_points.json";
Json WycheproofPointVectors(const crypto::Backend& backend, const Json& wycheproof);

}  // namespace otr::v4::vectors

#endif  // OTR_TESTS_VECTORS_OTRV4_COMPUTE_INTERNAL_H_

// libotr-ng's variant of the prekey server's DAKE (libotr_ng.h has the list).
#include "protocol/prekey/common/libotr_ng.h"

#include <algorithm>
#include <utility>

#include "protocol/prekey/messages/header.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace otr::prekey::libotr_ng {
namespace {

using internal::ReadHeader;
using internal::ReadSenderTag;
using internal::WriteHeader;

constexpr size_t kSharedSecretBytes = 64;  // SK
constexpr size_t kPrekeyProfileBodyBytes = 4 + 8 + 2 + crypto::kEd448PointSize;

// PROOF-ECDH with libotr-ng's 56-byte V (its 57th byte zero in memory).
void WriteEcdhProof56(wire::Writer& w, const EcdhProof& p) {
  w.WriteBytes(p.c);
  w.WriteBytes(ByteView(p.v).first(v4::libotr_ng::kScalarWireSize));
}

Result<EcdhProof> ReadEcdhProof56(wire::Reader& r) {
  EcdhProof p;
  OTR_ASSIGN_OR_RETURN(const ByteView c, r.ReadBytes(p.c.size()));
  std::copy(c.begin(), c.end(), p.c.begin());
  OTR_ASSIGN_OR_RETURN(const ByteView v, r.ReadBytes(v4::libotr_ng::kScalarWireSize));
  std::copy(v.begin(), v.end(), p.v.begin());
  return p;
}

Bytes ConcatPrekeyMessages(const std::vector<v4::PrekeyMessage>& messages) {
  wire::Writer w;
  for (const auto& pm : messages) v4::WritePrekeyMessage(w, pm);
  return std::move(w).Finish();
}

Bytes ProofBytes(const Publication& m) {
  wire::Writer w;
  if (m.prekey_message_proofs) {
    WriteEcdhProof56(w, m.prekey_message_proofs->ecdh);
    WriteDhProof(w, m.prekey_message_proofs->dh);
  }
  if (m.prekey_profile_proof) WriteEcdhProof56(w, *m.prekey_profile_proof);
  return std::move(w).Finish();
}

}  // namespace

Bytes EncodeDake1(const Dake1& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kDake1);
  w.WriteU32(m.sender_instance_tag);
  w.WriteBytes(m.client_profile);
  v4::WritePoint(w, m.i);
  return std::move(w).Finish();
}

Bytes EncodeDake2(const Dake2& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kDake2);
  w.WriteU32(m.receiver_instance_tag);
  w.WriteBytes(CompositeIdentityBytes(m.server_identity));
  v4::WritePoint(w, m.s);
  w.WriteBytes(v4::libotr_ng::EncodeRingSig(m.sigma));
  return std::move(w).Finish();
}

Bytes EncodeDake3(const Dake3& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kDake3);
  w.WriteU32(m.sender_instance_tag);
  w.WriteBytes(v4::libotr_ng::EncodeRingSig(m.sigma));
  v4::WriteData(w, m.message);
  return std::move(w).Finish();
}

Result<Dake1> DecodeDake1(ByteView bytes) {
  wire::Reader r(bytes);
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kDake1));
  Dake1 m;
  OTR_ASSIGN_OR_RETURN(m.sender_instance_tag, ReadSenderTag(r));
  OTR_ASSIGN_OR_RETURN(m.client_profile, v4::libotr_ng::ReadClientProfileBytes(r));
  OTR_ASSIGN_OR_RETURN(m.i, v4::ReadPoint(r));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<Dake2> DecodeDake2(const crypto::Backend& backend, ByteView bytes) {
  wire::Reader r(bytes);
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kDake2));
  Dake2 m;
  OTR_ASSIGN_OR_RETURN(m.receiver_instance_tag, internal::ReadReceiverTag(r));
  // prekey_client_messages.c, otrng_prekey_dake2_message_deserialize: the
  // identity as DATA, then otrng_deserialize_public_key (its type read
  // big-endian, row 1), then S and the RING-SIG.
  OTR_ASSIGN_OR_RETURN(m.server_identity.identity, v4::ReadData(r, kMaxIdentitySize));
  OTR_ASSIGN_OR_RETURN(const uint16_t key_type, r.ReadU16());
  if (key_type != v4::kPubkeyTypeEd448) {
    return MakeError(ErrorCode::kUnknownType, "libotr-ng DAKE-2: server key type not 00 10");
  }
  OTR_ASSIGN_OR_RETURN(m.server_identity.public_key, v4::ReadPoint(r));
  OTR_ASSIGN_OR_RETURN(m.s, v4::ReadPoint(r));
  OTR_ASSIGN_OR_RETURN(const ByteView sigma, r.ReadBytes(v4::libotr_ng::kRingSigWireSize));
  OTR_ASSIGN_OR_RETURN(m.sigma, v4::libotr_ng::DecodeRingSig(backend, sigma));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<Dake3> DecodeDake3(const crypto::Backend& backend, ByteView bytes) {
  wire::Reader r(bytes);
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kDake3));
  Dake3 m;
  OTR_ASSIGN_OR_RETURN(m.sender_instance_tag, ReadSenderTag(r));
  OTR_ASSIGN_OR_RETURN(const ByteView sigma, r.ReadBytes(v4::libotr_ng::kRingSigWireSize));
  OTR_ASSIGN_OR_RETURN(m.sigma, v4::libotr_ng::DecodeRingSig(backend, sigma));
  OTR_ASSIGN_OR_RETURN(m.message, v4::ReadData(r, kMaxAttachedMessageSize));
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Bytes CompositeIdentityBytes(const CompositeIdentity& id) {
  // serialize.c, otrng_serialize_public_key: the type through
  // otrng_serialize_uint16, big-endian (row 1).
  wire::Writer w;
  v4::WriteData(w, id.identity);
  w.WriteU16(v4::kPubkeyTypeEd448);
  v4::WritePoint(w, id.public_key);
  return std::move(w).Finish();
}

Bytes EncodePublication(const Publication& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kPrekeyPublication);
  w.WriteU8(static_cast<uint8_t>(m.prekey_messages.size()));
  w.WriteBytes(ConcatPrekeyMessages(m.prekey_messages));
  w.WriteU8(m.client_profile ? 1 : 0);
  if (m.client_profile) w.WriteBytes(*m.client_profile);
  w.WriteU8(m.prekey_profile ? 1 : 0);
  if (m.prekey_profile) w.WriteBytes(*m.prekey_profile);
  w.WriteBytes(ProofBytes(m));
  w.WriteBytes(m.prekey_mac);
  return std::move(w).Finish();
}

Result<Publication> DecodePublication(ByteView bytes) {
  wire::Reader r(bytes);
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kPrekeyPublication));
  Publication m;
  OTR_ASSIGN_OR_RETURN(const uint8_t n, r.ReadU8());
  for (uint8_t i = 0; i < n; ++i) {
    OTR_ASSIGN_OR_RETURN(v4::PrekeyMessage pm, v4::ReadPrekeyMessage(r));
    m.prekey_messages.push_back(std::move(pm));
  }
  OTR_ASSIGN_OR_RETURN(const uint8_t k, r.ReadU8());
  if (k > 1) return MakeError(ErrorCode::kInvalidEncoding, "libotr-ng publication: K not 0 or 1");
  if (k == 1) {
    OTR_ASSIGN_OR_RETURN(m.client_profile, v4::libotr_ng::ReadClientProfileBytes(r));
  }
  OTR_ASSIGN_OR_RETURN(const uint8_t j, r.ReadU8());
  if (j > 1) return MakeError(ErrorCode::kInvalidEncoding, "libotr-ng publication: J not 0 or 1");
  if (j == 1) {
    OTR_ASSIGN_OR_RETURN(const ByteView pp,
                         r.ReadBytes(kPrekeyProfileBodyBytes + crypto::kEd448SignatureSize));
    m.prekey_profile = Bytes(pp.begin(), pp.end());
  }
  if (n > 0) {
    PrekeyMessageProofs proofs;
    OTR_ASSIGN_OR_RETURN(proofs.ecdh, ReadEcdhProof56(r));
    OTR_ASSIGN_OR_RETURN(proofs.dh, ReadDhProof(r));
    m.prekey_message_proofs = std::move(proofs);
  }
  if (j == 1) {
    OTR_ASSIGN_OR_RETURN(m.prekey_profile_proof, ReadEcdhProof56(r));
  }
  OTR_ASSIGN_OR_RETURN(const ByteView mac, r.ReadBytes(m.prekey_mac.size()));
  std::copy(mac.begin(), mac.end(), m.prekey_mac.begin());
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

PrekeyPublicationMacParts PublicationMacParts(const Publication& m) {
  // prekey_manager.c: KDF(usage_preMAC, prekey_mac_k || type || N ||
  // KDF(usage_prekey_message, Prekey Messages, 64) || K [|| KDF(.., Client
  // Profile, 64)] || J [|| KDF(.., Prekey Profile, 64)] || KDF(usage_mac_proofs,
  // Proofs, 64), 64): the spec's, over libotr-ng's bytes.
  PrekeyPublicationMacParts parts;
  parts.n = static_cast<uint8_t>(m.prekey_messages.size());
  parts.prekey_messages = ConcatPrekeyMessages(m.prekey_messages);
  parts.k = m.client_profile ? 1 : 0;
  if (m.client_profile) parts.client_profile = *m.client_profile;
  parts.j = m.prekey_profile ? 1 : 0;
  if (m.prekey_profile) parts.prekey_profile = *m.prekey_profile;
  parts.proofs = ProofBytes(m);
  return parts;
}

bool IsLibotrNgEnsemble(const Ensemble& e) {
  wire::Reader cp(e.client_profile);
  if (!v4::libotr_ng::ReadClientProfileBytes(cp).ok() || !cp.empty()) return false;
  wire::Reader pp(e.prekey_profile);
  if (e.prekey_profile.size() != kPrekeyProfileBodyBytes + crypto::kEd448SignatureSize ||
      !pp.ReadBytes(12).ok()) {
    return false;
  }
  auto type = pp.ReadU16();
  return type.ok() && *type == v4::kSharedPrekeyTypeEd448 &&
         v4::DecodePrekeyMessage(e.prekey_message).ok();
}

Bytes EncodeEnsembleRetrieval(const EnsembleRetrieval& m) {
  wire::Writer w;
  WriteHeader(w, MessageType::kPrekeyEnsembleRetrieval);
  w.WriteU32(m.receiver_instance_tag);
  v4::WriteData(w, m.participant_identity);
  w.WriteU8(static_cast<uint8_t>(m.ensembles.size()));
  for (const Ensemble& e : m.ensembles) {
    w.WriteBytes(e.client_profile);
    w.WriteBytes(e.prekey_profile);
    w.WriteBytes(e.prekey_message);
  }
  return std::move(w).Finish();
}

Result<EnsembleRetrieval> DecodeEnsembleRetrieval(ByteView bytes) {
  wire::Reader r(bytes);
  OTR_RETURN_IF_ERROR(ReadHeader(r, MessageType::kPrekeyEnsembleRetrieval));
  EnsembleRetrieval m;
  OTR_ASSIGN_OR_RETURN(m.receiver_instance_tag, internal::ReadReceiverTag(r));
  OTR_ASSIGN_OR_RETURN(m.participant_identity, v4::ReadData(r, kMaxIdentitySize));
  // otrng_deserialize_uint8: L is a BYTE (row 25).
  OTR_ASSIGN_OR_RETURN(const uint8_t l, r.ReadU8());
  if (l == 0) return MakeError(ErrorCode::kInvalidEncoding, "L, the ensemble count, is 0");
  for (uint8_t i = 0; i < l; ++i) {
    Ensemble e;
    OTR_ASSIGN_OR_RETURN(e.client_profile, v4::libotr_ng::ReadClientProfileBytes(r));
    OTR_ASSIGN_OR_RETURN(const ByteView pp,
                         r.ReadBytes(kPrekeyProfileBodyBytes + crypto::kEd448SignatureSize));
    e.prekey_profile = Bytes(pp.begin(), pp.end());
    const ByteView before = r.rest();
    OTR_ASSIGN_OR_RETURN(const v4::PrekeyMessage read, v4::ReadPrekeyMessage(r));
    (void)read;
    const ByteView message = before.first(before.size() - r.remaining());
    e.prekey_message = Bytes(message.begin(), message.end());
    if (!IsLibotrNgEnsemble(e)) {
      return MakeError(ErrorCode::kInvalidEncoding, "not libotr-ng's Prekey Ensemble layout");
    }
    m.ensembles.push_back(std::move(e));
  }
  OTR_RETURN_IF_ERROR(r.ExpectEnd());
  return m;
}

Result<v4::PrekeyProfile> DecodeAndVerifyPrekeyProfile(const crypto::Backend& backend,
                                                       ByteView bytes, const v4::Point& h) {
  if (bytes.size() != kPrekeyProfileBodyBytes + crypto::kEd448SignatureSize) {
    return MakeError(ErrorCode::kTruncated, "libotr-ng Prekey Profile: not 185 bytes");
  }
  wire::Reader r(bytes);
  v4::PrekeyProfile p;
  OTR_ASSIGN_OR_RETURN(p.owner_instance_tag, r.ReadU32());
  OTR_ASSIGN_OR_RETURN(const uint64_t expiration, r.ReadU64());
  p.expiration = static_cast<int64_t>(expiration);
  // serialize.c, otrng_serialize_shared_prekey: the type big-endian (row 1).
  OTR_ASSIGN_OR_RETURN(const uint16_t type, r.ReadU16());
  if (type != v4::kSharedPrekeyTypeEd448) {
    return MakeError(ErrorCode::kUnknownType, "libotr-ng Prekey Profile: not 00 11");
  }
  OTR_ASSIGN_OR_RETURN(p.shared_prekey, v4::ReadPoint(r));
  OTR_ASSIGN_OR_RETURN(const ByteView signature, r.ReadBytes(crypto::kEd448SignatureSize));
  std::copy(signature.begin(), signature.end(), p.signature.begin());
  // prekey_profile.c, otrng_prekey_profile_verify_signature: EdDSA over the
  // body as libotr-ng serialises it.
  OTR_RETURN_IF_ERROR(backend.Ed448Verify(h, bytes.first(kPrekeyProfileBodyBytes), signature));
  return p;
}

Result<Bytes> EncodeAndSignPrekeyProfile(const crypto::Backend& backend,
                                         const crypto::SecretBytes& sym_h,
                                         const v4::PrekeyProfile& profile) {
  // prekey_profile.c, otrng_prekey_profile_sign: owner tag, expiration,
  // the shared prekey with its type big-endian (00 11), then EdDSA over
  // those bytes.
  wire::Writer w;
  w.WriteU32(profile.owner_instance_tag);
  w.WriteU64(static_cast<uint64_t>(profile.expiration));
  w.WriteU16(v4::kSharedPrekeyTypeEd448);
  v4::WritePoint(w, profile.shared_prekey);
  Bytes bytes = std::move(w).Finish();
  OTR_ASSIGN_OR_RETURN(const Bytes signature, backend.Ed448Sign(sym_h, bytes));
  bytes.insert(bytes.end(), signature.begin(), signature.end());
  return bytes;
}

Result<crypto::SecretBytes> SharedSecret(const crypto::Backend& backend,
                                         const crypto::SecretBytes& our_secret,
                                         const crypto::Ed448Point& their_public) {
  // prekey_manager.c, create_mac_keys: "ECDH(i, S)" through
  // otrng_ecdh_shared_secret, the peer's point times the held scalar, no
  // cofactor; the spec's all-zero check.
  OTR_ASSIGN_OR_RETURN(
      const crypto::SecretBytes sk_ecdh,
      v4::ratchet::Ecdh(backend, v4::libotr_ng::HeldScalar(backend, our_secret), their_public));
  return v4::PrekeyKdf(backend, v4::PrekeyUsage::kSk, {sk_ecdh.view()}, kSharedSecretBytes);
}

}  // namespace otr::prekey::libotr_ng

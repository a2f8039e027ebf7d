// otr-v4-prekey-server.md, "Key Exchange" (Prekey Server: "If this is a
// Prekey Publication message"), "Publishing Prekey Values", "Proofs".
#include "protocol/prekey/server/publication_check.h"

#include <optional>
#include <set>
#include <vector>

#include "protocol/prekey/common/dake_crypto.h"
#include "protocol/prekey/common/proofs.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_ensemble.h"
#include "protocol/v4/profile/prekey_profile.h"

namespace otr::prekey {

namespace {

// Steps 5 and 6 of a publication: the Prekey Messages (identifiers distinct,
// Y on the curve, B in the DH group), then the proofs (the decoder has
// checked that exactly the right ones are present): the Prekey Messages'
// ECDH and DH proofs and the Prekey Profile's proof over its shared prekey
// (`shared_prekey` empty: no Prekey Profile). `g` is the ECDH proofs'
// generator (nullptr: the spec's B). Adds the messages to `p`.
Status CheckPrekeyMessagesAndProofs(const crypto::Backend& backend,
                                    const std::vector<v4::PrekeyMessage>& messages,
                                    const std::optional<PrekeyMessageProofs>& message_proofs,
                                    const std::optional<EcdhProof>& profile_proof,
                                    const std::vector<crypto::Ed448Point>& shared_prekey,
                                    const PublisherContext& ctx, const crypto::Ed448Point* g,
                                    Publication& p) {
  std::vector<crypto::Ed448Point> ys;
  std::vector<Bytes> bs;
  std::set<uint32_t> ids;
  for (const auto& pm : messages) {
    if (!ids.insert(pm.identifier).second) {
      return MakeError(ErrorCode::kInvalidEncoding, "publication: prekey message id repeated");
    }
    OTR_ASSIGN_OR_RETURN(auto y, backend.Ed448Decode(pm.y));
    OTR_RETURN_IF_ERROR(v4::profile::CheckDh3072Element(backend, pm.b));
    ys.push_back(y);
    bs.push_back(pm.b.ToBytes());
    p.prekey_messages.emplace_back(pm.identifier, v4::EncodePrekeyMessage(pm));
  }
  const ByteView proof_m = ctx.proof_context->view();
  if (!messages.empty()) {
    if (!message_proofs) return MakeError(ErrorCode::kBadProof, "proofs missing");
    OTR_RETURN_IF_ERROR(VerifyEcdhProof(backend, message_proofs->ecdh, ys, proof_m,
                                        v4::PrekeyUsage::kProofMessageEcdh, g));
    OTR_RETURN_IF_ERROR(VerifyDhProof(backend, message_proofs->dh, bs, proof_m));
  }
  if (!shared_prekey.empty()) {
    if (!profile_proof) return MakeError(ErrorCode::kBadProof, "proof missing");
    OTR_RETURN_IF_ERROR(VerifyEcdhProof(backend, *profile_proof, shared_prekey, proof_m,
                                        v4::PrekeyUsage::kProofSharedEcdh, g));
  }
  return Status::Ok();
}

}  // namespace

Result<Publication> CheckPublication(const crypto::Backend& backend, const PrekeyPublication& m,
                                     const PublisherContext& ctx, int64_t now) {
  // 1. The Prekey MAC.
  const v4::Mac expected =
      PrekeyPublicationMac(backend, *ctx.prekey_mac_key, PublicationMacParts(m));
  if (!MacEqual(expected, m.prekey_mac)) {
    return MakeError(ErrorCode::kBadMac, "Prekey MAC does not verify");
  }
  // 2. One instance tag, the DAKE's.
  const wire::InstanceTag tag = ctx.instance_tag;
  bool tags_ok = !m.client_profile || m.client_profile->owner_instance_tag == tag;
  tags_ok = tags_ok && (!m.prekey_profile || m.prekey_profile->owner_instance_tag == tag);
  for (const auto& pm : m.prekey_messages) tags_ok = tags_ok && pm.owner_instance_tag == tag;
  if (!tags_ok) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "publication: not the DAKE's instance tag");
  }
  Publication p;
  p.owner = ctx.identity;
  p.instance_tag = tag;
  // 3. The Client Profile.
  if (m.client_profile) {
    const auto ps = v4::profile::ValidateClientProfile(backend, *m.client_profile, tag, now);
    if (!ps.ok()) return ps.ToStatus().error();
    if (m.client_profile->public_key != ctx.long_term_key) {
      return MakeError(ErrorCode::kInvalidKey, "publication: Client Profile of another key");
    }
    p.client_profile = v4::EncodeClientProfile(*m.client_profile);
    p.client_profile_expires = m.client_profile->expiration;
  }
  // 4. The Prekey Profile, under H_a.
  std::vector<crypto::Ed448Point> shared_prekey;
  if (m.prekey_profile) {
    const auto ps =
        v4::profile::ValidatePrekeyProfile(backend, *m.prekey_profile, ctx.long_term_key, tag, now);
    if (!ps.ok()) return ps.ToStatus().error();
    OTR_ASSIGN_OR_RETURN(auto d, backend.Ed448Decode(m.prekey_profile->shared_prekey));
    shared_prekey.push_back(d);
    p.prekey_profile = v4::EncodePrekeyProfile(*m.prekey_profile);
    p.prekey_profile_expires = m.prekey_profile->expiration;
  }
  // 5, 6.
  OTR_RETURN_IF_ERROR(CheckPrekeyMessagesAndProofs(backend, m.prekey_messages,
                                                   m.prekey_message_proofs, m.prekey_profile_proof,
                                                   shared_prekey, ctx, nullptr, p));
  return p;
}

Result<Publication> CheckLibotrNgPublication(const crypto::Backend& backend,
                                             const libotr_ng::Publication& m,
                                             const PublisherContext& ctx, int64_t now) {
  // 1. The Prekey MAC, over the bytes as sent.
  const v4::Mac expected =
      PrekeyPublicationMac(backend, *ctx.prekey_mac_key, libotr_ng::PublicationMacParts(m));
  if (!MacEqual(expected, m.prekey_mac)) {
    return MakeError(ErrorCode::kBadMac, "Prekey MAC does not verify");
  }
  // 3, 4 (decoded first: their tags are inside the signed bytes).
  std::optional<v4::ClientProfile> cp;
  if (m.client_profile) {
    OTR_ASSIGN_OR_RETURN(cp,
                         v4::libotr_ng::DecodeAndVerifyClientProfile(backend, *m.client_profile));
  }
  std::optional<v4::PrekeyProfile> pp;
  if (m.prekey_profile) {
    OTR_ASSIGN_OR_RETURN(
        pp, libotr_ng::DecodeAndVerifyPrekeyProfile(backend, *m.prekey_profile, ctx.long_term_key));
  }
  // 2. One instance tag, the DAKE's.
  const wire::InstanceTag tag = ctx.instance_tag;
  bool tags_ok = !cp || cp->owner_instance_tag == tag;
  tags_ok = tags_ok && (!pp || pp->owner_instance_tag == tag);
  for (const auto& pm : m.prekey_messages) tags_ok = tags_ok && pm.owner_instance_tag == tag;
  if (!tags_ok) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "publication: not the DAKE's instance tag");
  }
  Publication p;
  p.owner = ctx.identity;
  p.instance_tag = tag;
  // 3. The Client Profile: unexpired, version 4, under the DAKE's key.
  if (cp) {
    if (v4::profile::IsExpired(cp->expiration, now) ||
        !v4::profile::OffersVersion(cp->versions, '4')) {
      return MakeError(ErrorCode::kOutOfRange, "publication: Client Profile expired or not v4");
    }
    if (cp->public_key != ctx.long_term_key) {
      return MakeError(ErrorCode::kInvalidKey, "publication: Client Profile of another key");
    }
    p.client_profile = *m.client_profile;
    p.client_profile_expires = cp->expiration;
  }
  // 4. The Prekey Profile: unexpired, D on the curve.
  std::vector<crypto::Ed448Point> shared_prekey;
  if (pp) {
    if (v4::profile::IsExpired(pp->expiration, now)) {
      return MakeError(ErrorCode::kOutOfRange, "publication: Prekey Profile expired");
    }
    OTR_ASSIGN_OR_RETURN(auto d, backend.Ed448Decode(pp->shared_prekey));
    shared_prekey.push_back(d);
    p.prekey_profile = *m.prekey_profile;
    p.prekey_profile_expires = pp->expiration;
  }
  // 5, 6: the Prekey Messages in the spec's layout; the ECDH proofs over
  // libotr-ng's G = 4B, the DH one the spec's.
  const crypto::Ed448Point g = v4::libotr_ng::Generator(backend);
  OTR_RETURN_IF_ERROR(CheckPrekeyMessagesAndProofs(backend, m.prekey_messages,
                                                   m.prekey_message_proofs, m.prekey_profile_proof,
                                                   shared_prekey, ctx, &g, p));
  return p;
}

}  // namespace otr::prekey

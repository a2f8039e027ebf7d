// otr-v4-prekey-server.md, "Key Exchange" (Alice), "DAKE-1 Message",
// "DAKE-2 Message" (To verify), "DAKE-3 Message", "Prekey Publication
// Message", "Storage Information Request Message", "Retrieving Prekey
// Ensembles", "Fragmentation of some Messages".
#include "protocol/prekey/client/client.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "protocol/prekey/common/dake_crypto.h"
#include "protocol/prekey/common/proofs.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/prekey_ensemble.h"
#include "protocol/v4/profile/prekey_profile.h"

namespace otr::prekey {

using crypto::SecretBytes;

std::string_view ClientEventName(ClientEventKind kind) {
  switch (kind) {
    case ClientEventKind::kPublished:
      return "published";
    case ClientEventKind::kPublicationFailed:
      return "publication_failed";
    case ClientEventKind::kStorageStatus:
      return "storage_status";
    case ClientEventKind::kEnsembles:
      return "ensembles";
    case ClientEventKind::kNoEnsembles:
      return "no_ensembles";
    case ClientEventKind::kRequestFailed:
      return "request_failed";
    case ClientEventKind::kIgnored:
      return "ignored";
    case ClientEventKind::kProfilesRenewed:
      return "profiles_renewed";
  }
  return "unknown";
}

// The request in flight.
struct PrekeyClient::Request {
  enum class Kind : uint8_t { kPublication, kStorageQuery, kRetrieval } kind;
  enum class Stage : uint8_t { kDake1Sent, kDake3Sent, kQuerySent } stage;
  int64_t started = 0;
  // The DAKE: i and I until DAKE-2, then prekey_mac_k until the answer.
  v4::EcdhKeyPair ephemeral;
  v4::Point i{};
  SecretBytes prekey_mac_key;
  SecretBytes proof_context;  // m, until the publication is built
  // A publication: what to send, with the secrets for the proofs.
  PublicationRequest what;
  std::vector<PrekeySecrets> prekeys;
  // A retrieval: who for.
  std::string participant;
};

namespace {

v4::RingSig ToRingSig(const v4::RingSigma& s) {
  return v4::RingSig{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3};
}
v4::RingSigma ToSigma(const v4::RingSig& s) {
  return v4::RingSigma{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3};
}

wire::InstanceTag ReceiverOf(const Message& m) {
  if (auto* s = std::get_if<Success>(&m)) return s->receiver_instance_tag;
  if (auto* f = std::get_if<Failure>(&m)) return f->receiver_instance_tag;
  if (auto* st = std::get_if<StorageStatus>(&m)) return st->receiver_instance_tag;
  return wire::kNoInstanceTag;
}

}  // namespace

PrekeyClient::PrekeyClient(const crypto::Backend& backend, crypto::Random& random,
                           ClientConfig config, ClientKeys keys)
    : backend_(backend),
      random_(random),
      config_(std::move(config)),
      keys_(std::move(keys)),
      reassembler_(config_.reassembly) {}

PrekeyClient::~PrekeyClient() = default;

bool PrekeyClient::busy() const { return request_ != nullptr; }

void PrekeyClient::SendToServer(const Message& m, ClientOutput& out) {
  std::string text = EncodeForTransport(m);
  if (config_.max_message_size == 0 || text.size() <= config_.max_message_size) {
    out.to_server.push_back(std::move(text));
    return;
  }
  uint32_t identifier = 0;
  random_.Fill(MutableByteView(reinterpret_cast<uint8_t*>(&identifier), sizeof identifier));
  auto pieces = Fragment(text, config_.max_message_size, identifier, config_.instance_tag, 0);
  if (!pieces.ok()) {
    out.to_server.push_back(std::move(text));
    return;
  }
  for (auto& p : *pieces) out.to_server.push_back(std::move(p));
}

void PrekeyClient::Finish(ClientOutput& out, ClientEvent event) {
  request_.reset();  // prekey_mac_k and any secrets are wiped
  out.events.push_back(std::move(event));
}

PublicationRequest PrekeyClient::PlanMaintenance(uint32_t stored, int64_t now) const {
  PublicationRequest r;
  r.client_profile =
      published_client_expiry_ == 0 ||
      v4::profile::ShouldRenew(published_client_expiry_, now, config_.renewal_margin);
  r.prekey_profile =
      published_prekey_expiry_ == 0 ||
      v4::profile::ShouldRenew(published_prekey_expiry_, now, config_.renewal_margin);
  if (stored < config_.low_water && config_.target > stored) {
    r.prekey_messages = std::min<uint32_t>(config_.target - stored,
                                           static_cast<uint32_t>(kMaxPrekeyMessagesPerPublication));
  }
  return r;
}

Result<PrekeyClient::Prepared> PrekeyClient::Prepare(const PublicationRequest& what, int64_t now) {
  if (busy()) return MakeError(ErrorCode::kBadState, "a prekey request is in flight");
  if (what.empty()) return MakeError(ErrorCode::kInvalidPolicy, "nothing to publish");
  if (what.prekey_messages > kMaxPrekeyMessagesPerPublication) {
    return MakeError(ErrorCode::kTooLarge, "at most 255 prekey messages per publication");
  }
  Prepared prepared;
  // Renew the profiles that are due before publishing them ("upload a new
  // Client Profile and a new Prekey Profile before they expire").
  const int64_t new_expiration = v4::profile::ExpirationFrom(now);
  if (what.client_profile &&
      v4::profile::ShouldRenew(keys_.client_profile.expiration, now, config_.renewal_margin)) {
    OTR_ASSIGN_OR_RETURN(
        keys_.client_profile,
        v4::profile::RenewClientProfile(backend_, keys_.long_term.sym_key, keys_.client_profile,
                                        new_expiration, nullptr, random_));
    prepared.renewed = true;
  }
  if (what.prekey_profile &&
      v4::profile::ShouldRenew(keys_.prekey_profile.expiration, now, config_.renewal_margin)) {
    OTR_ASSIGN_OR_RETURN(keys_.prekey_profile,
                         v4::profile::RenewPrekeyProfile(backend_, keys_.long_term.sym_key,
                                                         keys_.prekey_profile, new_expiration));
    prepared.renewed = true;
  }
  // The Prekey Messages ("Prekey Message" of otrv4.md): a fresh identifier,
  // our instance tag, Y = G * y, B = g3 ^ b.
  std::set<uint32_t> ids;
  while (prepared.prekeys.size() < what.prekey_messages) {
    PrekeySecrets s;
    random_.Fill(MutableByteView(reinterpret_cast<uint8_t*>(&s.prekey_message_id),
                                 sizeof s.prekey_message_id));
    if (!ids.insert(s.prekey_message_id).second) continue;
    OTR_ASSIGN_OR_RETURN(v4::EcdhKeyPair y, v4::GenerateEcdh(backend_, random_));
    OTR_ASSIGN_OR_RETURN(crypto::DhKeyPair b, v4::GenerateDh(backend_, random_));
    s.instance_tag = config_.instance_tag;
    s.message.identifier = s.prekey_message_id;
    s.message.owner_instance_tag = config_.instance_tag;
    s.message.y = y.pub_encoded();
    s.message.b = b.pub;
    s.y = y.secret();
    s.b = std::move(b.secret);
    prepared.prekeys.push_back(std::move(s));
  }
  return prepared;
}

void PrekeyClient::Published(const PublicationRequest& what) {
  if (what.client_profile) published_client_expiry_ = keys_.client_profile.expiration;
  if (what.prekey_profile) published_prekey_expiry_ = keys_.prekey_profile.expiration;
}

Result<PrekeyClient::Started> PrekeyClient::Publish(const PublicationRequest& what, int64_t now) {
  OTR_ASSIGN_OR_RETURN(Prepared prepared, Prepare(what, now));
  Started started;
  if (prepared.renewed)
    started.output.events.push_back(MakeClientEvent(ClientEventKind::kProfilesRenewed));
  auto request = std::make_unique<Request>();
  request->kind = Request::Kind::kPublication;
  request->what = what;
  for (const auto& p : prepared.prekeys) {
    PrekeySecrets copy;
    copy.prekey_message_id = p.prekey_message_id;
    copy.instance_tag = p.instance_tag;
    copy.y = p.y;
    copy.b = p.b;
    copy.message = p.message;
    started.secrets.push_back(std::move(copy));
  }
  request->prekeys = std::move(prepared.prekeys);
  OTR_ASSIGN_OR_RETURN(ClientOutput dake1, StartDake(std::move(request), now));
  for (auto& t : dake1.to_server) started.output.to_server.push_back(std::move(t));
  return started;
}

Result<ClientOutput> PrekeyClient::QueryStorage(int64_t now) {
  if (busy()) return MakeError(ErrorCode::kBadState, "a prekey request is in flight");
  auto request = std::make_unique<Request>();
  request->kind = Request::Kind::kStorageQuery;
  return StartDake(std::move(request), now);
}

Result<ClientOutput> PrekeyClient::StartDake(std::unique_ptr<Request> request, int64_t now) {
  // "DAKE-1 Message": an ephemeral ECDH key pair (i, I), our instance tag,
  // our Client Profile.
  OTR_ASSIGN_OR_RETURN(request->ephemeral, v4::GenerateEcdh(backend_, random_));
  request->i = request->ephemeral.pub_encoded();
  request->stage = Request::Stage::kDake1Sent;
  request->started = now;
  Dake1 m;
  m.sender_instance_tag = config_.instance_tag;
  m.client_profile = keys_.client_profile;
  m.i = request->i;
  ClientOutput out;
  SendToServer(m, out);
  request_ = std::move(request);
  return out;
}

Result<ClientOutput> PrekeyClient::RetrieveEnsembles(std::string_view participant, int64_t now) {
  if (busy()) return MakeError(ErrorCode::kBadState, "a prekey request is in flight");
  if (participant.size() > kMaxIdentitySize) {
    return MakeError(ErrorCode::kTooLarge, "participant identity too long");
  }
  auto request = std::make_unique<Request>();
  request->kind = Request::Kind::kRetrieval;
  request->stage = Request::Stage::kQuerySent;
  request->started = now;
  request->participant = std::string(participant);
  PrekeyEnsembleQueryRetrieval q;
  q.sender_instance_tag = config_.instance_tag;
  q.participant_identity = ToBytes(participant);
  q.versions = ToBytes("4");
  ClientOutput out;
  SendToServer(q, out);
  request_ = std::move(request);
  return out;
}

ClientOutput PrekeyClient::Expire(int64_t now) {
  ClientOutput out;
  reassembler_.Expire(now);
  if (request_ && now - request_->started >= config_.request_timeout_seconds) {
    Finish(out,
           MakeClientEvent(ClientEventKind::kRequestFailed,
                           MakeError(ErrorCode::kBadState, "the prekey server did not answer")));
  }
  return out;
}

std::optional<std::string_view> ReassembleFromServer(FragmentReassembler& reassembler,
                                                     std::string_view text,
                                                     wire::InstanceTag our_tag, int64_t now,
                                                     std::string& whole, ClientOutput& out) {
  if (!IsFragment(text)) return text;
  auto r = reassembler.Receive(text, our_tag, now);
  if (!r.ok()) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored, r.error()));
    return std::nullopt;
  }
  if (!r->has_value()) return std::nullopt;
  whole = std::move(**r);
  return std::string_view(whole);
}

ClientOutput PrekeyClient::Receive(std::string_view text_in, int64_t now) {
  ClientOutput out = Expire(now);
  std::string whole;
  const auto maybe_text =
      ReassembleFromServer(reassembler_, text_in, config_.instance_tag, now, whole, out);
  if (!maybe_text) return out;
  const std::string_view text = *maybe_text;
  auto decoded = DecodeFromTransport(text);
  if (!decoded.ok()) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored, decoded.error()));
    return out;
  }
  const Message& m = *decoded;
  if (!request_) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                         MakeError(ErrorCode::kBadState, "no request in flight")));
    return out;
  }
  if (auto* d2 = std::get_if<Dake2>(&m)) {
    // "Receiving a DAKE-2 message": only in IN_DAKE; otherwise ignored.
    if (request_->stage != Request::Stage::kDake1Sent) {
      out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                           MakeError(ErrorCode::kBadState, "DAKE-2 not awaited")));
      return out;
    }
    OnDake2(*d2, now, out);
  } else if (std::holds_alternative<Success>(m) || std::holds_alternative<Failure>(m) ||
             std::holds_alternative<StorageStatus>(m)) {
    if (request_->stage != Request::Stage::kDake3Sent) {
      out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                           MakeError(ErrorCode::kBadState, "answer not awaited")));
      return out;
    }
    OnAnswer(m, out);
  } else if (auto* e = std::get_if<PrekeyEnsembleRetrieval>(&m)) {
    if (request_->kind != Request::Kind::kRetrieval) {
      out.events.push_back(MakeClientEvent(
          ClientEventKind::kIgnored, MakeError(ErrorCode::kBadState, "ensembles not awaited")));
      return out;
    }
    OnEnsembles(*e, now, out);
  } else if (auto* n = std::get_if<NoPrekeyEnsemblesInStorage>(&m)) {
    if (request_->kind != Request::Kind::kRetrieval) {
      out.events.push_back(MakeClientEvent(
          ClientEventKind::kIgnored, MakeError(ErrorCode::kBadState, "ensembles not awaited")));
      return out;
    }
    OnNoEnsembles(*n, out);
  } else {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored,
                        MakeError(ErrorCode::kUnknownType, "not a message for a client")));
  }
  return out;
}

void PrekeyClient::OnDake2(const Dake2& m, int64_t now, ClientOutput& out) {
  (void)now;
  Request& r = *request_;
  auto fail = [&](Error e) { Finish(out, MakeClientEvent(ClientEventKind::kRequestFailed, e)); };
  // "Checks that the receiver instance tag from the message matches their
  // instance tag. If it is not, rejects the message".
  if (m.receiver_instance_tag != config_.instance_tag) {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored,
                        MakeError(ErrorCode::kUnknownInstance, "DAKE-2 for another instance")));
    return;
  }
  // "Validate the Prekey Server Composite Identity": the identity we asked,
  // its key valid, its fingerprint the one we know (when we know one).
  if (m.server_identity.identity != ToBytes(config_.server_identity)) {
    return fail(MakeError(ErrorCode::kInvalidKey, "DAKE-2 from another prekey server"));
  }
  auto h_s = backend_.Ed448Decode(m.server_identity.public_key);
  if (!h_s.ok()) return fail(h_s.error());
  if (config_.server_fingerprint &&
      v4::ComputePrekeyServerFingerprint(backend_, *h_s) != *config_.server_fingerprint) {
    return fail(MakeError(ErrorCode::kInvalidKey, "prekey server fingerprint differs"));
  }
  // "Validates that the received ECDH ephemeral public key S is on curve".
  auto s = backend_.Ed448Decode(m.s);
  if (!s.ok()) return fail(s.error());
  // "Verify the sigma: RVrf({H_a, H_s, I}, sigma, t)".
  const Bytes cp_encoding = v4::EncodeClientProfile(keys_.client_profile);
  const Bytes composite = EncodeCompositeIdentity(m.server_identity);
  const Bytes phi = ServerDakePhi(config_.identity, config_.server_identity);
  const Bytes t2 =
      ServerDakeT(backend_, DakeTranscript::kDake2, cp_encoding, composite, r.i, m.s, phi);
  const Status v = v4::RVrf(backend_, v4::Ring{keys_.long_term.pub, *h_s, r.ephemeral.pub()},
                            ToSigma(m.sigma), t2, v4::kPrekeyServerRing);
  if (!v.ok()) return fail(v.error());
  // DAKE-3: sigma = RSig(H_a, sk_ha, {H_a, H_s, S}, t).
  const Bytes t3 =
      ServerDakeT(backend_, DakeTranscript::kDake3, cp_encoding, composite, r.i, m.s, phi);
  auto sigma = v4::RSig(backend_, keys_.long_term.secret, v4::Ring{keys_.long_term.pub, *h_s, *s},
                        t3, random_, v4::kPrekeyServerRing);
  if (!sigma.ok()) return fail(sigma.error());
  // "SK_ecdh = ECDH(i, S)", "SK = KDF(usage_SK, SK_ecdh, 64)", "Securely
  // erases i"; "prekey_mac_k = KDF(usage_preMAC_key, SK, 64)".
  auto sk = ServerDakeSharedSecret(backend_, r.ephemeral.secret(), *s);
  r.ephemeral = v4::EcdhKeyPair();  // "Securely erases i"
  if (!sk.ok()) return fail(sk.error());
  r.prekey_mac_key = PrekeyMacKey(backend_, *sk);
  Dake3 d3;
  d3.sender_instance_tag = config_.instance_tag;
  d3.sigma = ToRingSig(*sigma);
  if (r.kind == Request::Kind::kPublication) {
    r.proof_context = ProofContext(backend_, *sk);
    auto built = BuildPublication(r);
    r.proof_context.Clear();
    if (!built.ok()) return fail(built.error());
    d3.message = std::move(*built);
  } else {
    StorageInformationRequest q;
    q.storage_information_mac = StorageInformationMac(backend_, r.prekey_mac_key);
    d3.message = EncodeAttachedMessage(q);
  }
  r.stage = Request::Stage::kDake3Sent;
  SendToServer(d3, out);
}

Result<Bytes> PrekeyClient::BuildPublication(Request& r) {
  const ByteView m = r.proof_context.view();
  PrekeyPublication pub;
  for (const auto& p : r.prekeys) pub.prekey_messages.push_back(p.message);
  if (r.what.client_profile) pub.client_profile = keys_.client_profile;
  if (r.what.prekey_profile) pub.prekey_profile = keys_.prekey_profile;
  // "Calculate the proofs necessary for the values that will be published":
  // Prekey Message ECDH and DH proofs, Prekey Profile ECDH proof.
  if (!r.prekeys.empty()) {
    std::vector<SecretBytes> ys, bs;
    std::vector<crypto::Ed448Point> y_pubs;
    std::vector<Bytes> b_pubs;
    for (const auto& p : r.prekeys) {
      ys.push_back(p.y);
      bs.push_back(p.b);
      OTR_ASSIGN_OR_RETURN(auto y, backend_.Ed448Decode(p.message.y));
      y_pubs.push_back(y);
      b_pubs.push_back(p.message.b.ToBytes());
    }
    PrekeyMessageProofs proofs;
    OTR_ASSIGN_OR_RETURN(proofs.ecdh, GenerateEcdhProof(backend_, random_, ys, y_pubs, m,
                                                        v4::PrekeyUsage::kProofMessageEcdh));
    OTR_ASSIGN_OR_RETURN(proofs.dh, GenerateDhProof(backend_, random_, bs, b_pubs, m));
    pub.prekey_message_proofs = std::move(proofs);
  }
  if (r.what.prekey_profile) {
    OTR_ASSIGN_OR_RETURN(auto d, backend_.Ed448Decode(keys_.prekey_profile.shared_prekey));
    OTR_ASSIGN_OR_RETURN(pub.prekey_profile_proof,
                         GenerateEcdhProof(backend_, random_, {keys_.shared_prekey_secret}, {d}, m,
                                           v4::PrekeyUsage::kProofSharedEcdh));
  }
  pub.prekey_mac = PrekeyPublicationMac(backend_, r.prekey_mac_key, PublicationMacParts(pub));
  return EncodeAttachedMessage(pub);
}

void PrekeyClient::OnAnswer(const Message& m, ClientOutput& out) {
  Request& r = *request_;
  if (ReceiverOf(m) != config_.instance_tag) {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored,
                        MakeError(ErrorCode::kUnknownInstance, "answer for another instance")));
    return;
  }
  // Each answer's MAC; "If it is not, ignores the message."
  auto ignore_bad_mac = [&] {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored, MakeError(ErrorCode::kBadMac, "answer MAC")));
  };
  if (auto* f = std::get_if<Failure>(&m)) {
    if (!MacEqual(FailureMac(backend_, r.prekey_mac_key, *f), f->failure_mac)) {
      return ignore_bad_mac();
    }
    return Finish(out,
                  MakeClientEvent(ClientEventKind::kPublicationFailed,
                                  MakeError(ErrorCode::kBadState, "the prekey server refused")));
  }
  if (auto* st = std::get_if<StorageStatus>(&m)) {
    if (r.kind != Request::Kind::kStorageQuery) {
      out.events.push_back(MakeClientEvent(
          ClientEventKind::kIgnored, MakeError(ErrorCode::kBadState, "status not asked for")));
      return;
    }
    if (!MacEqual(StorageStatusMac(backend_, r.prekey_mac_key, *st), st->status_mac)) {
      return ignore_bad_mac();
    }
    ClientEvent e = MakeClientEvent(ClientEventKind::kStorageStatus);
    e.count = st->stored_prekey_messages;
    return Finish(out, std::move(e));
  }
  const auto& s = std::get<Success>(m);
  if (r.kind != Request::Kind::kPublication) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                         MakeError(ErrorCode::kBadState, "success not awaited")));
    return;
  }
  if (!MacEqual(SuccessMac(backend_, r.prekey_mac_key, s), s.success_mac)) return ignore_bad_mac();
  Published(r.what);
  ClientEvent e = MakeClientEvent(ClientEventKind::kPublished);
  e.count = static_cast<uint32_t>(r.prekeys.size());
  Finish(out, std::move(e));
}

void PrekeyClient::OnNoEnsembles(const NoPrekeyEnsemblesInStorage& m, ClientOutput& out) {
  if (m.receiver_instance_tag != config_.instance_tag ||
      m.participant_identity != ToBytes(request_->participant)) {
    out.events.push_back(MakeClientEvent(
        ClientEventKind::kIgnored, MakeError(ErrorCode::kUnknownInstance, "not our retrieval")));
    return;
  }
  ClientEvent e = MakeClientEvent(ClientEventKind::kNoEnsembles);
  e.text = m.text;
  e.participant = request_->participant;
  Finish(out, std::move(e));
}

void PrekeyClient::OnEnsembles(const PrekeyEnsembleRetrieval& m, int64_t now, ClientOutput& out) {
  // "Verifies that the receiver instance tag of it is equal to its sender
  // instance tag"; and that it is for the participant we asked for (a
  // server answering with someone else's ensembles is refused).
  if (m.receiver_instance_tag != config_.instance_tag) {
    out.events.push_back(MakeClientEvent(
        ClientEventKind::kIgnored, MakeError(ErrorCode::kUnknownInstance, "not our retrieval")));
    return;
  }
  if (m.participant_identity != ToBytes(request_->participant)) {
    return Finish(
        out, MakeClientEvent(ClientEventKind::kRequestFailed,
                             MakeError(ErrorCode::kInvalidKey, "ensembles of another identity")));
  }
  // "Validates all Prekey Ensembles", "Groups all Prekey Messages by
  // instance tag", "Chooses the Prekey Ensemble with the latest expiry time
  // from each group", "Discards any invalid or duplicated Prekey Ensembles".
  std::map<wire::InstanceTag, ValidatedEnsemble> chosen;
  std::set<Bytes> seen;
  uint32_t refused = 0;
  auto expiry = [](const PrekeyEnsemble& e) {
    return std::min(e.client_profile.expiration, e.prekey_profile.expiration);
  };
  for (const PrekeyEnsemble& e : m.ensembles) {
    if (!v4::profile::ValidatePrekeyEnsemble(backend_, e.client_profile, e.prekey_profile,
                                             e.prekey_message, now)
             .ok()) {
      ++refused;
      continue;
    }
    // A prekey message handed out twice (the same Y) is used once at most.
    const Bytes y(e.prekey_message.y.begin(), e.prekey_message.y.end());
    if (!seen.insert(y).second) {
      ++refused;
      continue;
    }
    auto h = backend_.Ed448Decode(e.client_profile.public_key);
    auto f = backend_.Ed448Decode(e.client_profile.forging_key);
    if (!h.ok() || !f.ok()) {
      ++refused;
      continue;
    }
    const wire::InstanceTag tag = e.prekey_message.owner_instance_tag;
    auto it = chosen.find(tag);
    if (it != chosen.end()) {
      ++refused;  // one per instance tag: the later expiry wins
      if (expiry(it->second.ensemble) >= expiry(e)) continue;
    }
    chosen[tag] = ValidatedEnsemble{e, v4::ComputeFingerprint(backend_, *h, *f)};
  }
  ClientEvent ev = MakeClientEvent(ClientEventKind::kEnsembles);
  ev.participant = request_->participant;
  ev.count = refused;
  for (auto& [tag, v] : chosen) ev.ensembles.push_back(std::move(v));
  if (ev.ensembles.empty()) {
    ev.kind = ClientEventKind::kRequestFailed;
    ev.cause = MakeError(ErrorCode::kBadSignature, "no valid prekey ensemble");
  }
  Finish(out, std::move(ev));
}

}  // namespace otr::prekey

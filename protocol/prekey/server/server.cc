// otr-v4-prekey-server.md, "Key Exchange" (the Prekey Server's side), "State
// Machine", "Retrieving Prekey Ensembles", "Query the Prekey Server for its
// Storage Status", "Fragmentation of some Messages".
#include "protocol/prekey/server/server.h"

#include <algorithm>
#include <limits>

#include "protocol/prekey/common/dake_crypto.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/common/proofs.h"
#include "protocol/prekey/server/publication_check.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/wire/base64.h"

namespace otr::prekey {

using crypto::SecretBytes;

// IN_DAKE, for one client: what DAKE-3 and the attached message need.
struct Server::PendingDake {
  wire::InstanceTag client_tag = 0;  // "Stores the sender instance tag ... as the receiver tag"
  Bytes client_profile_encoding;
  v4::Point h_a{};
  crypto::Ed448Point h_a_point;
  v4::Point i{};
  v4::Point s{};
  crypto::Ed448Point s_point;
  SecretBytes prekey_mac_key;  // prekey_mac_k
  SecretBytes proof_context;   // m
  int64_t started = 0;
  bool libotr_ng = false;  // libotr-ng's variant of the DAKE (DAKE-3's form)
};

// What a valid DAKE-1 of either variant gives the DAKE.
struct Server::DakeStart {
  wire::InstanceTag client_tag = 0;
  Bytes client_profile_encoding;  // the bytes t hashes
  v4::Point h_a{};
  v4::Point i{};
  bool libotr_ng = false;
};

std::string_view ServerEventName(ServerEventKind kind) {
  switch (kind) {
    case ServerEventKind::kMalformed:
      return "malformed";
    case ServerEventKind::kUnexpected:
      return "unexpected";
    case ServerEventKind::kDakeStarted:
      return "dake_started";
    case ServerEventKind::kDakeRefused:
      return "dake_refused";
    case ServerEventKind::kDakeFailed:
      return "dake_failed";
    case ServerEventKind::kPublished:
      return "published";
    case ServerEventKind::kPublicationRefused:
      return "publication_refused";
    case ServerEventKind::kStorageStatusSent:
      return "storage_status_sent";
    case ServerEventKind::kEnsemblesSent:
      return "ensembles_sent";
    case ServerEventKind::kNoEnsembles:
      return "no_ensembles";
    case ServerEventKind::kRateLimited:
      return "rate_limited";
    case ServerEventKind::kStorageError:
      return "storage_error";
  }
  return "unknown";
}

namespace {

v4::RingSig ToRingSig(const v4::RingSigma& s) {
  return v4::RingSig{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3};
}
v4::RingSigma ToSigma(const v4::RingSig& s) {
  return v4::RingSigma{s.c1, s.r1, s.c2, s.r2, s.c3, s.r3};
}

ServerEvent Event(ServerEventKind kind, std::string_view identity, uint32_t count = 0,
                  Error cause = Error{ErrorCode::kBadState, ""}) {
  return ServerEvent{kind, std::string(identity), std::string(), count, cause};
}

}  // namespace

Server::Server(const crypto::Backend& backend, crypto::Random& random, Storage& storage,
               const v4::Ed448KeyPair& long_term, ServerConfig config)
    : backend_(backend),
      random_(random),
      storage_(storage),
      long_term_(long_term),
      config_(std::move(config)),
      per_requester_(config_.per_requester, config_.max_rate_limited_keys),
      per_target_(config_.per_target, config_.max_rate_limited_keys) {
  composite_.identity = ToBytes(config_.identity);
  composite_.public_key = backend_.Ed448Encode(long_term_.pub);
  composite_encoding_ = EncodeCompositeIdentity(composite_);
  composite_encoding_libotr_ng_ = libotr_ng::CompositeIdentityBytes(composite_);
}

Server::~Server() = default;

void Server::Expire(int64_t now) {
  last_expire_ = now;
  expired_once_ = true;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now - it->second->started >= config_.dake_timeout_seconds) {
      it = pending_.erase(it);  // the secrets are SecretBytes: wiped
    } else {
      ++it;
    }
  }
  for (auto it = reassemblers_.begin(); it != reassemblers_.end();) {
    it->second.Expire(now);
    it = it->second.empty() ? reassemblers_.erase(it) : std::next(it);
  }
  per_requester_.Prune(now);
  per_target_.Prune(now);
}

size_t Server::PendingFor(std::string_view identity) const {
  size_t n = 0;
  for (auto it = pending_.lower_bound(ClientKey{std::string(identity), std::string()});
       it != pending_.end() && it->first.first == identity; ++it) {
    ++n;
  }
  return n;
}

void Server::Send(const Message& m, uint32_t receiver_instance, ServerOutput& out) {
  SendText(EncodeForTransport(m), receiver_instance, out);
}

void Server::SendText(std::string text, uint32_t receiver_instance, ServerOutput& out) {
  if (config_.max_message_size == 0 || text.size() <= config_.max_message_size) {
    out.replies.push_back(std::move(text));
    return;
  }
  uint32_t identifier = 0;
  random_.Fill(MutableByteView(reinterpret_cast<uint8_t*>(&identifier), sizeof identifier));
  // The server has no instance tag: 0 as the sender's.
  auto pieces = prekey::Fragment(text, config_.max_message_size, identifier, 0, receiver_instance);
  if (!pieces.ok()) {
    out.replies.push_back(std::move(text));  // cannot be cut that small: whole
    return;
  }
  for (auto& p : *pieces) out.replies.push_back(std::move(p));
}

ServerOutput Server::Receive(std::string_view identity, std::string_view address,
                             std::string_view text, int64_t now) {
  if (!expired_once_ || now != last_expire_) Expire(now);
  ServerOutput out;
  const ClientKey key{std::string(identity), std::string(address)};
  std::string whole;
  if (IsFragment(text)) {
    auto it = reassemblers_.find(key);
    if (it == reassemblers_.end()) {
      if (reassemblers_.size() >= config_.max_reassemblers) {
        out.events.push_back(Event(ServerEventKind::kMalformed, identity, 0,
                                   MakeError(ErrorCode::kTooLarge, "too many reassemblies")));
        return out;
      }
      it = reassemblers_.emplace(key, FragmentReassembler(config_.reassembly)).first;
    }
    auto r = it->second.Receive(text, 0, now);
    if (it->second.empty()) reassemblers_.erase(it);
    if (!r.ok()) {
      out.events.push_back(Event(ServerEventKind::kMalformed, identity, 0, r.error()));
      return out;
    }
    if (!r->has_value()) return out;
    whole = std::move(**r);
    text = whole;
  }
  if (ReceiveLibotrNg(key, text, now, out)) return out;
  auto decoded = DecodeFromTransport(text);
  if (!decoded.ok()) {
    out.events.push_back(Event(ServerEventKind::kMalformed, identity, 0, decoded.error()));
    return out;
  }
  if (auto* m = std::get_if<Dake1>(&*decoded)) {
    OnDake1(key, *m, now, out);
  } else if (auto* m3 = std::get_if<Dake3>(&*decoded)) {
    OnDake3(key, m3->sender_instance_tag, ToSigma(m3->sigma), m3->message, now, out);
  } else if (auto* q = std::get_if<PrekeyEnsembleQueryRetrieval>(&*decoded)) {
    OnRetrieval(key, *q, now, out);
  } else {
    // "Receiving a DAKE-2 message" and the server's own messages: not ours.
    out.events.push_back(Event(ServerEventKind::kUnexpected, identity, 0,
                               MakeError(ErrorCode::kUnknownType, "not a message for the server")));
  }
  return out;
}

void Server::OnDake1(const ClientKey& key, const Dake1& m, int64_t now, ServerOutput& out) {
  // "Verifies the DAKE-1 message ... If the verification fails ..., rejects
  // the message and does not send anything further": the Client Profile
  // (its owner tag the sender's), then I on the curve (StartDake).
  const auto ps =
      v4::profile::ValidateClientProfile(backend_, m.client_profile, m.sender_instance_tag, now);
  if (!ps.ok()) {
    out.events.push_back(Event(ServerEventKind::kDakeRefused, key.first, 0, ps.ToStatus().error()));
    return;
  }
  DakeStart start;
  start.client_tag = m.sender_instance_tag;
  start.client_profile_encoding = v4::EncodeClientProfile(m.client_profile);
  start.h_a = m.client_profile.public_key;
  start.i = m.i;
  StartDake(key, std::move(start), now, out);
}

bool Server::ReceiveLibotrNg(const ClientKey& key, std::string_view text, int64_t now,
                             ServerOutput& out) {
  const std::string& identity = key.first;
  if (text.empty() || text.back() != '.' || text.size() > kMaxEncodedMessageSize) return false;
  auto bytes = wire::DecodeBase64(text.substr(0, text.size() - 1));
  if (!bytes.ok() || bytes->size() < 3) return false;
  const uint8_t type = (*bytes)[2];
  if (type == static_cast<uint8_t>(MessageType::kDake3)) {
    // Only the DAKE that a libotr-ng DAKE-1 started reads its DAKE-3 this way.
    auto it = pending_.find(key);
    if (it == pending_.end() || !it->second->libotr_ng) return false;
    auto m = libotr_ng::DecodeDake3(backend_, *bytes);
    if (!m.ok()) {
      pending_.erase(it);
      out.events.push_back(Event(ServerEventKind::kDakeFailed, identity, 0, m.error()));
      return true;
    }
    OnDake3(key, m->sender_instance_tag, m->sigma, m->message, now, out);
    return true;
  }
  // A DAKE-1 the spec's decoder reads is the spec's.
  if (type != static_cast<uint8_t>(MessageType::kDake1) || DecodeDake1(*bytes).ok()) return false;
  auto m = libotr_ng::DecodeDake1(*bytes);
  if (!m.ok()) return false;
  auto refuse = [&](Error e) {
    out.events.push_back(Event(ServerEventKind::kDakeRefused, identity, 0, e));
  };
  if (!config_.accept_libotr_ng) {
    refuse(MakeError(ErrorCode::kUnknownType,
                     "libotr-ng's variant of DAKE-1 (its Client Profile's key types "
                     "big-endian); this server is spec-exact (ServerConfig::accept_libotr_ng "
                     "serves libotr-ng's prekey client)"));
    return true;
  }
  // The Client Profile verified over libotr-ng's bytes, its owner tag the
  // sender's, unexpired and offering version 4 (what ValidateClientProfile
  // checks of a spec profile).
  auto profile = v4::libotr_ng::DecodeAndVerifyClientProfile(backend_, m->client_profile);
  if (!profile.ok()) {
    refuse(profile.error());
    return true;
  }
  if (profile->owner_instance_tag != m->sender_instance_tag) {
    refuse(MakeError(ErrorCode::kUnknownInstance, "Client Profile of another instance"));
    return true;
  }
  if (v4::profile::IsExpired(profile->expiration, now) ||
      !v4::profile::OffersVersion(profile->versions, '4')) {
    refuse(MakeError(ErrorCode::kOutOfRange, "Client Profile expired or without version 4"));
    return true;
  }
  DakeStart start;
  start.client_tag = m->sender_instance_tag;
  start.client_profile_encoding = std::move(m->client_profile);
  start.h_a = profile->public_key;
  start.i = m->i;
  start.libotr_ng = true;
  StartDake(key, std::move(start), now, out);
  return true;
}

void Server::StartDake(const ClientKey& key, DakeStart start, int64_t now, ServerOutput& out) {
  const std::string& identity = key.first;
  auto refuse = [&](Error e) {
    out.events.push_back(Event(ServerEventKind::kDakeRefused, identity, 0, e));
  };
  auto i_point = backend_.Ed448Decode(start.i);
  if (!i_point.ok()) return refuse(i_point.error());
  auto h_a = backend_.Ed448Decode(start.h_a);
  if (!h_a.ok()) return refuse(h_a.error());
  // Bounded state: a new DAKE-1 from the same client replaces its pending
  // DAKE; otherwise there must be room.
  if (pending_.count(key) == 0 &&
      (pending_.size() >= config_.max_pending_dakes ||
       PendingFor(identity) >= config_.max_pending_dakes_per_identity)) {
    return refuse(MakeError(ErrorCode::kTooLarge, "too many DAKEs in progress"));
  }
  // DAKE-2: S, t, sigma = RSig(H_s, sk_s, {H_a, H_s, I}, t).
  auto s = v4::GenerateEcdh(backend_, random_);
  if (!s.ok()) return refuse(s.error());
  auto pending = std::make_unique<PendingDake>();
  pending->client_tag = start.client_tag;
  pending->client_profile_encoding = std::move(start.client_profile_encoding);
  pending->h_a = start.h_a;
  pending->h_a_point = *h_a;
  pending->i = start.i;
  pending->s = s->pub_encoded();
  pending->s_point = s->pub();
  pending->started = now;
  pending->libotr_ng = start.libotr_ng;
  const Bytes phi = ServerDakePhi(identity, config_.identity);
  const Bytes t = ServerDakeT(backend_, DakeTranscript::kDake2, pending->client_profile_encoding,
                              start.libotr_ng ? composite_encoding_libotr_ng_ : composite_encoding_,
                              pending->i, pending->s, phi);
  const v4::Ring ring{*h_a, long_term_.pub, *i_point};
  auto sigma = start.libotr_ng
                   ? v4::libotr_ng::RSig(backend_, long_term_.secret, ring, t, random_,
                                         v4::libotr_ng::kLibotrNgPrekeyServerRing)
                   : v4::RSig(backend_, long_term_.secret, ring, t, random_, v4::kPrekeyServerRing);
  if (!sigma.ok()) return refuse(sigma.error());
  // "SK_ecdh = ECDH(s, I)", "SK = KDF(usage_SK, SK_ecdh, 64)", "Securely
  // erases s" (s goes out of scope; SecretBytes wipes it).
  auto sk = start.libotr_ng ? libotr_ng::SharedSecret(backend_, s->secret(), *i_point)
                            : ServerDakeSharedSecret(backend_, s->secret(), *i_point);
  if (!sk.ok()) return refuse(sk.error());
  pending->prekey_mac_key = PrekeyMacKey(backend_, *sk);
  pending->proof_context = ProofContext(backend_, *sk);
  pending_[key] = std::move(pending);
  out.events.push_back(Event(ServerEventKind::kDakeStarted, identity));
  if (start.libotr_ng) {
    libotr_ng::Dake2 reply;
    reply.receiver_instance_tag = start.client_tag;
    reply.server_identity = composite_;
    reply.s = s->pub_encoded();
    reply.sigma = *sigma;
    const Bytes encoded = libotr_ng::EncodeDake2(reply);
    return SendText(wire::EncodeBase64(encoded) + ".", start.client_tag, out);
  }
  Dake2 reply;
  reply.receiver_instance_tag = start.client_tag;
  reply.server_identity = composite_;
  reply.s = s->pub_encoded();
  reply.sigma = ToRingSig(*sigma);
  Send(reply, start.client_tag, out);
}

void Server::OnDake3(const ClientKey& key, wire::InstanceTag sender, const v4::RingSigma& sigma,
                     ByteView message, int64_t now, ServerOutput& out) {
  const std::string& identity = key.first;
  auto it = pending_.find(key);
  // "Receiving a DAKE-3 message": "If the Prekey Server is in state IN_DAKE
  // ... Otherwise: Ignores the message."
  if (it == pending_.end()) {
    out.events.push_back(Event(ServerEventKind::kDakeFailed, identity, 0,
                               MakeError(ErrorCode::kBadState, "DAKE-3 without a DAKE")));
    return;
  }
  // Leaving IN_DAKE whatever happens next: the DAKE is used once.
  std::unique_ptr<PendingDake> dake = std::move(it->second);
  pending_.erase(it);
  auto fail = [&](Error e) {
    out.events.push_back(Event(ServerEventKind::kDakeFailed, identity, 0, e));
  };
  // "Checks that the sender instance tag from the message matches the
  // already stored receiver instance tag."
  if (sender != dake->client_tag) {
    return fail(MakeError(ErrorCode::kUnknownInstance, "DAKE-3 from another instance"));
  }
  // "Verify the sigma: RVrf({H_a, H_s, S}, sigma, t)".
  const Bytes phi = ServerDakePhi(identity, config_.identity);
  const Bytes t = ServerDakeT(backend_, DakeTranscript::kDake3, dake->client_profile_encoding,
                              dake->libotr_ng ? composite_encoding_libotr_ng_ : composite_encoding_,
                              dake->i, dake->s, phi);
  const v4::Ring ring{dake->h_a_point, long_term_.pub, dake->s_point};
  const Status verified =
      dake->libotr_ng
          ? v4::libotr_ng::RVrf(backend_, ring, sigma, t, v4::libotr_ng::kLibotrNgPrekeyServerRing)
          : v4::RVrf(backend_, ring, sigma, t, v4::kPrekeyServerRing);
  if (!verified.ok()) return fail(verified.error());
  // "Retrieves the msg attached": type 0x08 or 0x09 and version 4, else
  // "Aborts". The DAKE has succeeded, so the abort is told with a Failure
  // (as for every other refusal of the attached message; decision 0012).
  if (dake->libotr_ng && message.size() > 2 &&
      message[2] == static_cast<uint8_t>(MessageType::kPrekeyPublication)) {
    // libotr-ng's Prekey Publication (its profiles' bytes, 56-byte V).
    auto pub = libotr_ng::DecodePublication(message);
    if (!pub.ok()) return SendFailure(key, *dake, pub.error(), out);
    return OnPublication(key, *dake, *pub, now, out);
  }
  auto attached = DecodeAttachedMessage(message);
  if (!attached.ok()) return SendFailure(key, *dake, attached.error(), out);
  if (auto* pub = std::get_if<PrekeyPublication>(&*attached)) {
    OnPublication(key, *dake, *pub, now, out);
  } else {
    OnStorageRequest(key, *dake, std::get<StorageInformationRequest>(*attached), now, out);
  }
}

void Server::SendFailure(const ClientKey& key, const PendingDake& dake, Error cause,
                         ServerOutput& out) {
  Failure f;
  f.receiver_instance_tag = dake.client_tag;
  f.failure_mac = FailureMac(backend_, dake.prekey_mac_key, f);
  out.events.push_back(Event(ServerEventKind::kPublicationRefused, key.first, 0, cause));
  Send(f, dake.client_tag, out);
}

void Server::OnPublication(const ClientKey& key, PendingDake& dake, const PrekeyPublication& m,
                           int64_t now, ServerOutput& out) {
  auto checked = CheckPublication(backend_, m, Publisher(key, dake), now);
  if (!checked.ok()) return SendFailure(key, dake, checked.error(), out);
  Store(key, dake, *checked, now, out);
}

void Server::OnPublication(const ClientKey& key, PendingDake& dake, const libotr_ng::Publication& m,
                           int64_t now, ServerOutput& out) {
  auto checked = CheckLibotrNgPublication(backend_, m, Publisher(key, dake), now);
  if (!checked.ok()) return SendFailure(key, dake, checked.error(), out);
  Store(key, dake, *checked, now, out);
}

PublisherContext Server::Publisher(const ClientKey& key, const PendingDake& dake) const {
  PublisherContext ctx;
  ctx.identity = key.first;
  ctx.instance_tag = dake.client_tag;
  ctx.long_term_key = dake.h_a;
  ctx.prekey_mac_key = &dake.prekey_mac_key;
  ctx.proof_context = &dake.proof_context;
  return ctx;
}

void Server::Store(const ClientKey& key, PendingDake& dake, const Publication& checked, int64_t now,
                   ServerOutput& out) {
  // Bounded storage per identity. Counted whatever their expiry: messages
  // hidden by an expired profile are still stored until purged, and a new
  // profile makes them usable again (storage.h), so counting only the
  // unexpired ones would let them come back above the bound (the
  // prekey_server_fuzzer finding of session 19). No profile expires before
  // the earliest time there is.
  if (!checked.prekey_messages.empty()) {
    auto stored = storage_.CountPrekeyMessages(key.first, std::numeric_limits<int64_t>::min());
    if (!stored.ok()) return SendFailure(key, dake, stored.error(), out);
    if (uint64_t{*stored} + checked.prekey_messages.size() > config_.max_stored_prekey_messages) {
      return SendFailure(key, dake, MakeError(ErrorCode::kTooLarge, "storage full for identity"),
                         out);
    }
  }
  // "Stores ... If not, aborts the DAKE and sends a Failure message".
  const Status stored = storage_.Publish(checked, now);
  if (!stored.ok()) {
    out.events.push_back(Event(ServerEventKind::kStorageError, key.first, 0, stored.error()));
    return SendFailure(key, dake, stored.error(), out);
  }
  Success s;
  s.receiver_instance_tag = dake.client_tag;
  s.success_mac = SuccessMac(backend_, dake.prekey_mac_key, s);
  out.events.push_back(Event(ServerEventKind::kPublished, key.first,
                             static_cast<uint32_t>(checked.prekey_messages.size())));
  Send(s, dake.client_tag, out);
}

void Server::OnStorageRequest(const ClientKey& key, PendingDake& dake,
                              const StorageInformationRequest& m, int64_t now, ServerOutput& out) {
  if (!MacEqual(StorageInformationMac(backend_, dake.prekey_mac_key), m.storage_information_mac)) {
    return SendFailure(key, dake, MakeError(ErrorCode::kBadMac, "Storage Information MAC"), out);
  }
  // "the number of Prekey Messages stored for the long-term public key,
  // identity and instance tag used during the DAKEZ".
  auto count = storage_.CountPrekeyMessagesOf(key.first, dake.client_tag, now);
  if (!count.ok()) {
    out.events.push_back(Event(ServerEventKind::kStorageError, key.first, 0, count.error()));
    return SendFailure(key, dake, count.error(), out);
  }
  StorageStatus status;
  status.receiver_instance_tag = dake.client_tag;
  status.stored_prekey_messages = *count;
  status.status_mac = StorageStatusMac(backend_, dake.prekey_mac_key, status);
  out.events.push_back(Event(ServerEventKind::kStorageStatusSent, key.first, *count));
  Send(status, dake.client_tag, out);
}

void Server::OnRetrieval(const ClientKey& key, const PrekeyEnsembleQueryRetrieval& m, int64_t now,
                         ServerOutput& out) {
  const std::string target(m.participant_identity.begin(), m.participant_identity.end());
  NoPrekeyEnsemblesInStorage none;
  none.receiver_instance_tag = m.sender_instance_tag;
  none.participant_identity = m.participant_identity;
  none.text = ToBytes(kNoPrekeyMessagesText);
  auto event = [&](ServerEventKind kind, uint32_t count, Error cause = {ErrorCode::kBadState, ""}) {
    ServerEvent e = Event(kind, key.first, count, cause);
    e.target = target;
    out.events.push_back(std::move(e));
  };
  // Rate limits: both buckets must have a token; only then is one taken
  // from each (a refused request costs the target nothing).
  if (!per_requester_.WouldAllow(key.first, now) || !per_target_.WouldAllow(target, now)) {
    event(ServerEventKind::kRateLimited, 0);
    none.text = ToBytes(std::string(kNoPrekeyMessagesText) + " (rate limited; try again later)");
    return Send(none, m.sender_instance_tag, out);
  }
  (void)per_requester_.Allow(key.first, now);
  (void)per_target_.Allow(target, now);
  // "Unrecognized versions should be ignored": only "4" is served.
  const bool wants_v4 = std::find(m.versions.begin(), m.versions.end(), '4') != m.versions.end();
  if (!wants_v4) {
    event(ServerEventKind::kNoEnsembles, 0);
    return Send(none, m.sender_instance_tag, out);
  }
  auto taken = storage_.TakeEnsembles(target, now);
  if (!taken.ok()) {
    event(ServerEventKind::kStorageError, 0, taken.error());
    return Send(none, m.sender_instance_tag, out);
  }
  PrekeyEnsembleRetrieval reply;
  reply.receiver_instance_tag = m.sender_instance_tag;
  reply.participant_identity = m.participant_identity;
  // libotr-ng's ensembles (accept_libotr_ng), sent in its variant of the
  // message only when the target has no spec ones (decision 0034).
  libotr_ng::EnsembleRetrieval ng_reply;
  ng_reply.receiver_instance_tag = m.sender_instance_tag;
  ng_reply.participant_identity = m.participant_identity;
  for (const StoredEnsemble& s : *taken) {
    // What was stored was validated when published; what does not decode
    // now (a damaged store) is left out rather than handed on.
    auto cp = v4::DecodeClientProfile(s.client_profile);
    auto pp = v4::DecodePrekeyProfile(s.prekey_profile);
    auto pm = v4::DecodePrekeyMessage(s.prekey_message);
    if (!cp.ok() || !pp.ok() || !pm.ok()) {
      libotr_ng::Ensemble e{s.client_profile, s.prekey_profile, s.prekey_message};
      if (config_.accept_libotr_ng && ng_reply.ensembles.size() < kMaxEnsembles &&
          libotr_ng::IsLibotrNgEnsemble(e)) {
        ng_reply.ensembles.push_back(std::move(e));
      }
      continue;
    }
    if (reply.ensembles.size() == kMaxEnsembles) break;
    reply.ensembles.push_back(PrekeyEnsemble{*cp, *pp, *pm});
  }
  if (reply.ensembles.empty() && !ng_reply.ensembles.empty()) {
    event(ServerEventKind::kEnsemblesSent, static_cast<uint32_t>(ng_reply.ensembles.size()));
    return SendText(wire::EncodeBase64(libotr_ng::EncodeEnsembleRetrieval(ng_reply)) + ".",
                    m.sender_instance_tag, out);
  }
  if (reply.ensembles.empty()) {
    event(ServerEventKind::kNoEnsembles, 0);
    return Send(none, m.sender_instance_tag, out);
  }
  event(ServerEventKind::kEnsemblesSent, static_cast<uint32_t>(reply.ensembles.size()));
  Send(reply, m.sender_instance_tag, out);
}

}  // namespace otr::prekey

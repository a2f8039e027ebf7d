#include "protocol/session/offline_maintenance.h"

#include <algorithm>
#include <utility>

#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"

namespace otr {

std::string_view MaintenanceEventName(MaintenanceEventKind kind) {
  switch (kind) {
    case MaintenanceEventKind::kStorageStatus:
      return "storage_status";
    case MaintenanceEventKind::kPublished:
      return "published";
    case MaintenanceEventKind::kProfilesRenewed:
      return "profiles_renewed";
    case MaintenanceEventKind::kFailed:
      return "failed";
    case MaintenanceEventKind::kErased:
      return "erased";
  }
  return "unknown";
}

Result<OfflineMaintenance> OfflineMaintenance::Create(OfflineMaintenanceConfig config,
                                                      crypto::Random& random, uint64_t now) {
  if (!config.policy.allow_v4) {
    return MakeError(ErrorCode::kInvalidPolicy, "OfflineMaintenance: OTR version 4 is not allowed");
  }
  // otr-v4-modes: "OTRv4-interactive-only" publishes no prekey material.
  if (config.policy.v4_mode == V4Mode::kV4InteractiveOnly) {
    return MakeError(ErrorCode::kInvalidPolicy, "OfflineMaintenance: interactive-only mode");
  }
  if (config.backend == nullptr || config.identity == nullptr || config.store == nullptr) {
    return MakeError(ErrorCode::kInvalidKey,
                     "OfflineMaintenance: a backend, a v4 identity and a prekey store are needed");
  }
  const crypto::Backend& backend = *config.backend;
  const wire::InstanceTag tag = config.identity->client_profile.owner_instance_tag;
  const auto t = static_cast<int64_t>(now);
  prekey::ClientKeys keys;
  if (const v4::OurPrekeyProfile* ours = config.store->FindPrekeyProfile(tag, t)) {
    keys.prekey_profile = ours->profile;
    keys.shared_prekey_secret = ours->shared_prekey_secret;
  } else {
    // "Publishing Prekey Ensembles": a shared prekey D and its Prekey Profile.
    OTR_ASSIGN_OR_RETURN(v4::Ed448KeyPair d, v4::GenerateSharedPrekeyPair(backend, random));
    v4::profile::PrekeyProfileParams params;
    params.owner_instance_tag = tag;
    params.expiration = v4::profile::ExpirationFrom(t);
    params.shared_prekey = d.pub;
    OTR_ASSIGN_OR_RETURN(
        keys.prekey_profile,
        v4::profile::CreatePrekeyProfile(backend, config.identity->long_term.sym_key, params));
    keys.shared_prekey_secret = d.secret;
    config.store->AddPrekeyProfile(v4::OurPrekeyProfile{keys.prekey_profile, d.secret},
                                   params.expiration + v4::profile::kRecommendedExtraValidity);
  }
  keys.long_term = config.identity->long_term;
  keys.client_profile = config.identity->client_profile;
  const int64_t expiration = keys.prekey_profile.expiration;
  auto client = std::make_unique<prekey::PrekeyClient>(backend, random, ClientConfigOf(config),
                                                       std::move(keys));
  return OfflineMaintenance(std::move(config), std::move(client), random, expiration);
}

prekey::ClientConfig OfflineMaintenance::ClientConfigOf(const OfflineMaintenanceConfig& config) {
  prekey::ClientConfig c;
  c.identity = config.our_identity;
  c.server_identity = config.server;
  c.server_fingerprint = config.server_fingerprint;
  c.instance_tag = config.identity->client_profile.owner_instance_tag;
  c.request_timeout_seconds = config.request_timeout_seconds;
  c.max_message_size = config.max_message_size;
  c.low_water = config.low_water;
  c.target = config.target;
  c.renewal_margin = config.renewal_margin;
  return c;
}

OfflineMaintenance::OfflineMaintenance(OfflineMaintenanceConfig config,
                                       std::unique_ptr<prekey::PrekeyClient> client,
                                       crypto::Random& random, int64_t prekey_profile_expiration)
    : config_(std::move(config)),
      client_(std::move(client)),
      random_(&random),
      prekey_profile_expiration_(prekey_profile_expiration) {}

OfflineMaintenance::OfflineMaintenance(OfflineMaintenance&&) noexcept = default;
OfflineMaintenance& OfflineMaintenance::operator=(OfflineMaintenance&&) noexcept = default;
OfflineMaintenance::~OfflineMaintenance() = default;

MaintenanceOutput OfflineMaintenance::Start(uint64_t now) {
  MaintenanceOutput out;
  Query(now, out);
  return out;
}

void OfflineMaintenance::Query(uint64_t now, MaintenanceOutput& out) {
  if (libotr_ng()) {
    // libotr-ng's DAKE carrying the spec's Storage Information Request.
    const Status made = NewPublisher();
    if (!made.ok()) return Failed(now, std::string(made.error().context), out);
  }
  auto sent = libotr_ng() ? ng_->QueryStorage(static_cast<int64_t>(now))
                          : client_->QueryStorage(static_cast<int64_t>(now));
  if (!sent.ok()) return Failed(now, std::string(sent.error().context), out);
  request_started_ = now;
  Take(now, std::move(*sent), out);
}

Result<MaintenanceOutput> OfflineMaintenance::Publish(const prekey::PublicationRequest& what,
                                                      uint64_t now) {
  if (libotr_ng()) return PublishLibotrNg(what, now);
  OTR_ASSIGN_OR_RETURN(prekey::PrekeyClient::Started started,
                       client_->Publish(what, static_cast<int64_t>(now)));
  // The private values are kept before the publication leaves: a Prekey
  // Message the server hands out must find its secrets here.
  OTR_RETURN_IF_ERROR(Keep(std::move(started.secrets)));
  MaintenanceOutput out;
  request_started_ = now;
  Take(now, std::move(started.output), out);
  return out;
}

Status OfflineMaintenance::NewPublisher() {
  if (busy()) return MakeError(ErrorCode::kBadState, "a prekey request is in flight");
  const v4::Identity& identity = *config_.identity;
  OTR_ASSIGN_OR_RETURN(Bytes profile,
                       v4::libotr_ng::EncodeAndSignClientProfile(
                           *config_.backend, identity.long_term.sym_key, identity.client_profile));
  ng_ = std::make_unique<prekey::LibotrNgPublisher>(
      *config_.backend, *random_, ClientConfigOf(config_), identity.long_term, std::move(profile));
  return Status::Ok();
}

// The same plan, renewal and Prekey Messages as the spec's path
// (PrekeyClient::Prepare), sent in libotr-ng's variant: our profiles
// re-signed over libotr-ng's bytes (row 1), the proofs over G = 4B (row 24).
Result<MaintenanceOutput> OfflineMaintenance::PublishLibotrNg(
    const prekey::PublicationRequest& what, uint64_t now) {
  if (busy()) return MakeError(ErrorCode::kBadState, "a prekey request is in flight");
  const auto t = static_cast<int64_t>(now);
  OTR_ASSIGN_OR_RETURN(prekey::PrekeyClient::Prepared prepared, client_->Prepare(what, t));
  prekey::ClientOutput renewed;
  if (prepared.renewed) {
    prekey::ClientEvent e;
    e.kind = prekey::ClientEventKind::kProfilesRenewed;
    renewed.events.push_back(std::move(e));
  }
  MaintenanceOutput out;
  // The renewed Client Profile goes into our identity before it is encoded.
  Take(now, std::move(renewed), out);
  const prekey::ClientKeys& keys = client_->keys();
  prekey::LibotrNgPublicationRequest request;
  request.client_profile = what.client_profile;
  if (what.prekey_profile) {
    OTR_ASSIGN_OR_RETURN(Bytes profile,
                         prekey::libotr_ng::EncodeAndSignPrekeyProfile(
                             *config_.backend, keys.long_term.sym_key, keys.prekey_profile));
    request.prekey_profile = std::move(profile);
    request.shared_prekey_secret = keys.shared_prekey_secret;
  }
  std::vector<prekey::PrekeySecrets> kept;
  for (const prekey::PrekeySecrets& p : prepared.prekeys) {
    prekey::PrekeySecrets copy;
    copy.prekey_message_id = p.prekey_message_id;
    copy.instance_tag = p.instance_tag;
    copy.y = p.y;
    copy.b = p.b;
    copy.message = p.message;
    kept.push_back(std::move(copy));
  }
  request.prekeys = std::move(prepared.prekeys);
  OTR_RETURN_IF_ERROR(NewPublisher());
  // Kept before the publication leaves, as on the spec's path.
  OTR_RETURN_IF_ERROR(Keep(std::move(kept)));
  OTR_ASSIGN_OR_RETURN(prekey::ClientOutput sent, ng_->Publish(std::move(request), t));
  ng_publishing_ = what;
  request_started_ = now;
  Take(now, std::move(sent), out);
  return out;
}

// "Prekey Message": y and b kept by (identifier, instance tag) until the
// Prekey Profile they are published under expires, plus its extra validity.
Status OfflineMaintenance::Keep(std::vector<prekey::PrekeySecrets> secrets) {
  const crypto::Backend& backend = *config_.backend;
  const int64_t expires = prekey_profile_expiration_ + v4::profile::kRecommendedExtraValidity;
  for (prekey::PrekeySecrets& s : secrets) {
    v4::dake::PrekeySecrets kept;
    kept.identifier = s.prekey_message_id;
    kept.owner_instance_tag = s.instance_tag;
    OTR_ASSIGN_OR_RETURN(kept.ecdh,
                         v4::EcdhKeyPair::FromSecretAndWire(backend, std::move(s.y), s.message.y));
    kept.dh.pub = s.message.b;
    kept.dh.secret = std::move(s.b);
    config_.store->AddPrekey(std::move(kept), expires);
  }
  return Status::Ok();
}

// The client's events as ours; a renewal is carried to the store and the
// identity the Sessions read.
void OfflineMaintenance::Take(uint64_t now, prekey::ClientOutput in, MaintenanceOutput& out) {
  for (std::string& text : in.to_server) {
    out.to_prekey_server.push_back(PrekeyServerMessage{config_.server, std::move(text)});
  }
  for (const prekey::ClientEvent& e : in.events) {
    switch (e.kind) {
      case prekey::ClientEventKind::kStorageStatus:
        out.events.push_back({MaintenanceEventKind::kStorageStatus, e.count, ""});
        OnStatus(now, e.count, out);
        break;
      case prekey::ClientEventKind::kPublished:
        // PrekeyClient saw its own Success; LibotrNgPublisher's is told here.
        if (libotr_ng()) client_->Published(ng_publishing_);
        out.events.push_back({MaintenanceEventKind::kPublished, e.count, ""});
        next_check_ = now + config_.check_interval_seconds;
        break;
      case prekey::ClientEventKind::kProfilesRenewed: {
        const prekey::ClientKeys& keys = client_->keys();
        config_.identity->client_profile = keys.client_profile;
        if (keys.prekey_profile.expiration != prekey_profile_expiration_) {
          prekey_profile_expiration_ = keys.prekey_profile.expiration;
          const int64_t keep = prekey_profile_expiration_ + v4::profile::kRecommendedExtraValidity;
          config_.store->AddPrekeyProfile(
              v4::OurPrekeyProfile{keys.prekey_profile, keys.shared_prekey_secret}, keep);
          config_.store->KeepPrekeysUntil(keys.prekey_profile.owner_instance_tag, keep);
        }
        out.events.push_back({MaintenanceEventKind::kProfilesRenewed, 0, ""});
        break;
      }
      case prekey::ClientEventKind::kPublicationFailed:
        Failed(now, "the prekey server sent a Failure", out);
        break;
      case prekey::ClientEventKind::kRequestFailed:
        Failed(now, std::string(e.cause.context), out);
        break;
      default:
        break;  // ignored text, or a retrieval's answer (a Session's)
    }
  }
}

void OfflineMaintenance::OnStatus(uint64_t now, uint32_t stored, MaintenanceOutput& out) {
  const prekey::PublicationRequest plan =
      client_->PlanMaintenance(stored, static_cast<int64_t>(now));
  if (plan.empty()) {
    next_check_ = now + config_.check_interval_seconds;
    return;
  }
  auto published = Publish(plan, now);
  if (!published.ok()) return Failed(now, std::string(published.error().context), out);
  for (auto& m : published->to_prekey_server) out.to_prekey_server.push_back(std::move(m));
  for (auto& e : published->events) out.events.push_back(std::move(e));
}

void OfflineMaintenance::Failed(uint64_t now, std::string what, MaintenanceOutput& out) {
  out.events.push_back({MaintenanceEventKind::kFailed, 0, std::move(what)});
  next_check_ = now + config_.retry_seconds;
}

MaintenanceOutput OfflineMaintenance::Receive(uint64_t now, std::string_view text) {
  MaintenanceOutput out;
  if (!busy()) return out;
  const auto t = static_cast<int64_t>(now);
  Take(now, libotr_ng() ? ng_->Receive(text, t) : client_->Receive(text, t), out);
  return out;
}

MaintenanceOutput OfflineMaintenance::HandleTimeout(uint64_t now) {
  MaintenanceOutput out;
  Take(now, client_->Expire(static_cast<int64_t>(now)), out);
  if (ng_ != nullptr) Take(now, ng_->Expire(static_cast<int64_t>(now)), out);
  // "After this extra validity time ends, they must be securely deleted."
  if (const size_t erased = config_.store->DeleteExpired(static_cast<int64_t>(now))) {
    out.events.push_back({MaintenanceEventKind::kErased, static_cast<uint32_t>(erased), ""});
  }
  if (!busy() && now >= next_check_) Query(now, out);
  return out;
}

std::optional<uint64_t> OfflineMaintenance::NextTimeout() const {
  if (busy()) {
    return request_started_ + static_cast<uint64_t>(config_.request_timeout_seconds);
  }
  return std::max(next_check_, request_started_);
}

}  // namespace otr

// The account's upkeep on a prekey server (otr-v4-prekey-server.md,
// "Publishing Prekey Values", "Query the Prekey Server for its Storage
// Status"; otrv4.md "Publishing Prekey Ensembles"; issue 18,
// docs/decisions/0016). Publishing is the account's (one Client Profile, one
// Prekey Profile, Prekey Messages of our instance tag), not a peer's, so it
// lives next to the Sessions rather than in one.
//
// Sans-I/O, the time as an argument: Start asks the server for its Storage
// Status; the answer decides what to publish (prekey::PrekeyClient::
// PlanMaintenance: the profiles never published this run or due for
// renewal, and Prekey Messages up to `target` when fewer than `low_water`
// are stored). The private values of every Prekey Message, and our Prekey
// Profile with its shared prekey secret, go into the PrekeyStore the
// Sessions read (SessionConfig::prekey_store) before the publication leaves;
// HandleTimeout asks again every check_interval_seconds and erases what
// expired from the store. A renewed Client Profile replaces the one in our
// v4::Identity, which the Sessions point at.
//
// Traffic goes to MaintenanceOutput::to_prekey_server (addressed to the
// server, never to a peer); what the server sends back comes in through
// Receive. The v4-interactive-only mode refuses all of it (Create fails).
//
// Under the libotr-ng profile (Policy::v4_variant, issue 20, decision 0042)
// the same upkeep runs in libotr-ng's variant, for Sessions that libotr-ng
// peers must find: PrekeyClient still plans, renews and generates
// (PrekeyClient::Prepare), and prekey::LibotrNgPublisher carries the
// Storage Status query and the publication (libotr-ng's DAKE with the
// server, the profiles in its bytes, its proofs: deviation rows 21-24),
// which only a server that serves libotr-ng's variant takes
// (ServerConfig::accept_libotr_ng).
#ifndef OTR_PROTOCOL_SESSION_OFFLINE_MAINTENANCE_H_
#define OTR_PROTOCOL_SESSION_OFFLINE_MAINTENANCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/prekey/client/client.h"
#include "protocol/prekey/client/libotr_ng_publisher.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/v4/engine/prekey_store.h"

namespace otr {

struct OfflineMaintenanceConfig {
  const crypto::Backend* backend = nullptr;
  Policy policy = Policy::V4Standalone();
  std::string our_identity;  // ours as the network knows it (XMPP: bare JID): phi
  std::string server;        // the Prekey Server Identity (XMPP: its JID)
  // The server's fingerprint learned out of band (XMPP: disco "fingerprint");
  // a DAKE-2 with another key is refused.
  std::optional<v4::Fingerprint> server_fingerprint;
  // Our account: its Client Profile names our instance tag (Prekey Messages
  // and the Storage Status are per instance tag); replaced when renewed.
  // Must outlive this object, as must the store.
  v4::Identity* identity = nullptr;
  v4::PrekeyStore* store = nullptr;
  uint32_t low_water = 20;
  uint32_t target = 100;
  int64_t renewal_margin = v4::profile::kDefaultRenewalMargin;
  uint64_t check_interval_seconds = 60 * 60;  // Storage Status every hour
  uint64_t retry_seconds = 5 * 60;            // after a failure
  int64_t request_timeout_seconds = 60;
  size_t max_message_size = 0;  // the publication is fragmented above this; 0: never
};

enum class MaintenanceEventKind : uint8_t {
  kStorageStatus,    // count: prekey messages the server stores for our instance tag
  kPublished,        // count: prekey messages the server took (a Success)
  kProfilesRenewed,  // new Client and/or Prekey Profile, published now
  kFailed,           // a Failure, a DAKE that failed, no answer; what says why
  kErased,           // count: expired prekey values and profiles erased from the store
};
std::string_view MaintenanceEventName(MaintenanceEventKind kind);

struct MaintenanceEvent {
  MaintenanceEventKind kind = MaintenanceEventKind::kFailed;
  uint32_t count = 0;
  std::string what;  // no key material; the server's text is never copied here
};

struct MaintenanceOutput {
  std::vector<PrekeyServerMessage> to_prekey_server;
  std::vector<MaintenanceEvent> events;
};

class OfflineMaintenance {
 public:
  // kInvalidPolicy without v4 or in the interactive-only mode; kInvalidKey
  // without a backend, identity or store. Our Prekey Profile is the store's
  // newest for our instance tag, or a new one (shared prekey D made now,
  // the recommended lifetime) added to the store.
  static Result<OfflineMaintenance> Create(OfflineMaintenanceConfig config, crypto::Random& random,
                                           uint64_t now);
  OfflineMaintenance(OfflineMaintenance&&) noexcept;
  OfflineMaintenance& operator=(OfflineMaintenance&&) noexcept;
  ~OfflineMaintenance();

  // At login: the Storage Status query, then what it calls for is published.
  MaintenanceOutput Start(uint64_t now);
  // Publishes now, without asking first (e.g. a forced refill); kBadState
  // while a request is in flight.
  Result<MaintenanceOutput> Publish(const prekey::PublicationRequest& what, uint64_t now);
  // A message from the prekey server (whole or a fragment). Text that is not
  // an answer to our request (e.g. a Session's retrieval) is ignored silently.
  MaintenanceOutput Receive(uint64_t now, std::string_view text);
  // A request without answer, the periodic Storage Status, erasure of expired
  // prekey values. NextTimeout: when it is next due.
  MaintenanceOutput HandleTimeout(uint64_t now);
  std::optional<uint64_t> NextTimeout() const;

  bool busy() const { return client_->busy() || (ng_ != nullptr && ng_->busy()); }
  const prekey::PrekeyClient& client() const { return *client_; }

 private:
  OfflineMaintenance(OfflineMaintenanceConfig config, std::unique_ptr<prekey::PrekeyClient> client,
                     crypto::Random& random, int64_t prekey_profile_expiration);
  static prekey::ClientConfig ClientConfigOf(const OfflineMaintenanceConfig& config);
  void Query(uint64_t now, MaintenanceOutput& out);
  void Take(uint64_t now, prekey::ClientOutput in, MaintenanceOutput& out);
  void OnStatus(uint64_t now, uint32_t stored, MaintenanceOutput& out);
  void Failed(uint64_t now, std::string what, MaintenanceOutput& out);
  Status Keep(std::vector<prekey::PrekeySecrets> secrets);
  bool libotr_ng() const { return config_.policy.v4_variant == V4Variant::kLibotrNg; }
  // Under the libotr-ng profile: a publisher for the next request, with our
  // Client Profile (as it is now) in libotr-ng's bytes.
  Status NewPublisher();
  Result<MaintenanceOutput> PublishLibotrNg(const prekey::PublicationRequest& what, uint64_t now);

  OfflineMaintenanceConfig config_;
  std::unique_ptr<prekey::PrekeyClient> client_;
  crypto::Random* random_;
  std::unique_ptr<prekey::LibotrNgPublisher> ng_;  // the libotr-ng profile's request
  prekey::PublicationRequest ng_publishing_;       // what ng_ publishes
  int64_t prekey_profile_expiration_ = 0;          // of the profile last added to the store
  uint64_t next_check_ = 0;
  uint64_t request_started_ = 0;
};

}  // namespace otr

#endif  // OTR_PROTOCOL_SESSION_OFFLINE_MAINTENANCE_H_

// The prekey server's protocol core (otr-v4-prekey-server.md, "Key
// Exchange", "State Machine", "Publishing Prekey Values", "Retrieving Prekey
// Ensembles", "Query the Prekey Server for its Storage Status",
// "Fragmentation of some Messages"), sans-I/O: text in, text and events out,
// the time as an argument, storage behind the Storage interface. The
// transport (an XMPP component) and the process around it are elsewhere.
//
// Per client the core keeps at most one half-done DAKE (IN_DAKE after it
// sent DAKE-2) and one fragment reassembler, keyed by (identity, address);
// both expire with time and their number is bounded (ServerConfig).
//
// It never trusts a client: everything in a DAKE-1 and a Prekey Publication
// is validated before anything is stored (CheckPublication,
// publication_check.h), and a publication is stored whole or not at all.
#ifndef OTR_PROTOCOL_PREKEY_SERVER_SERVER_H_
#define OTR_PROTOCOL_PREKEY_SERVER_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/prekey/server/publication_check.h"
#include "protocol/prekey/server/rate_limiter.h"
#include "protocol/prekey/server/storage.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"

namespace otr::prekey {

// The defaults, documented in docs/prekey-server.md ("Limits").
struct ServerConfig {
  // The Prekey Server Identity of the composite identity and phi (for XMPP
  // its bare JID, e.g. "prekey.localhost").
  std::string identity;
  // A half-done DAKE (DAKE-2 sent, DAKE-3 awaited) is forgotten after this.
  int64_t dake_timeout_seconds = 60;
  // Half-done DAKEs at once: all clients, and per identity.
  size_t max_pending_dakes = 10'000;
  size_t max_pending_dakes_per_identity = 8;
  // Clients with fragments being reassembled, and the limits of each.
  size_t max_reassemblers = 10'000;
  ReassemblyLimits reassembly{4, 1u << 20, 120};
  // The most prekey messages kept for one identity (all its instance tags),
  // those hidden by an expired profile included until purged (a new profile
  // brings them back); a publication above it gets a Failure.
  uint32_t max_stored_prekey_messages = 1'000;
  // Ensemble retrieval: per requester (the identity asking) and per target
  // (the identity asked for), token buckets.
  TokenBucketLimit per_requester{20, 30};  // 20 at once, then 2 a minute
  TokenBucketLimit per_target{10, 360};    // 10 at once, then 10 an hour
  size_t max_rate_limited_keys = 100'000;
  // Replies longer than this (characters) are fragmented; 0: never.
  size_t max_message_size = 0;
  // Also serve libotr-ng's prekey client: its variant of the DAKE
  // (protocol/prekey/common/libotr_ng.h) beside the spec's, chosen per DAKE
  // by its DAKE-1. Never the default (decision 0034): off, the server is
  // spec-exact and refuses libotr-ng's DAKE-1 with a kDakeRefused event that
  // names the variant.
  bool accept_libotr_ng = false;
};

// What the core reports for logs and metrics. `identity` is the client's
// (the requester's for a retrieval); `target` the identity asked for.
enum class ServerEventKind : uint8_t {
  kMalformed,           // undecodable text or fragment (dropped)
  kUnexpected,          // a message the server does not take (ignored)
  kDakeStarted,         // DAKE-1 valid, DAKE-2 sent
  kDakeRefused,         // DAKE-1 invalid, or no room for another DAKE (dropped)
  kDakeFailed,          // DAKE-3 without a DAKE, wrong tag or signature (dropped)
  kPublished,           // Success sent; count = prekey messages stored
  kPublicationRefused,  // Failure sent; cause says why
  kStorageStatusSent,   // count = prekey messages
  kEnsemblesSent,       // count = ensembles
  kNoEnsembles,         // No Prekey Ensembles sent
  kRateLimited,         // retrieval refused by the rate limits
  kStorageError,        // the storage failed (Failure or No Prekey Ensembles sent)
};
std::string_view ServerEventName(ServerEventKind kind);

struct ServerEvent {
  ServerEventKind kind;
  std::string identity;
  std::string target;
  uint32_t count = 0;
  Error cause{ErrorCode::kBadState, ""};  // for the refusals and failures
};

struct ServerOutput {
  std::vector<std::string> replies;  // to the sender, in order
  std::vector<ServerEvent> events;
};

class Server {
 public:
  // `long_term` is (sk_s, H_s). The references must outlive the server.
  Server(const crypto::Backend& backend, crypto::Random& random, Storage& storage,
         const v4::Ed448KeyPair& long_term, ServerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // One message from a client. `identity` is who the transport says sent it
  // (the bare JID for XMPP: the owner of what is published and the first
  // string of phi), `address` the connection within it (the full JID), so
  // that two devices of one identity run separate DAKEs.
  ServerOutput Receive(std::string_view identity, std::string_view address, std::string_view text,
                       int64_t now);

  // Forgets half-done DAKEs, reassembly buffers and full rate-limit buckets
  // that have timed out. Receive calls it too, at most once per second of
  // `now` (it walks all the state).
  void Expire(int64_t now);

  // The encoded Prekey Server Composite Identity (what clients check).
  const CompositeIdentity& composite_identity() const { return composite_; }
  size_t pending_dakes() const { return pending_.size(); }

 private:
  using ClientKey = std::pair<std::string, std::string>;  // (identity, address)
  struct PendingDake;

  struct DakeStart;

  void OnDake1(const ClientKey& key, const Dake1& m, int64_t now, ServerOutput& out);
  // libotr-ng's DAKE-1 and DAKE-3 (true when `text` was one of them).
  bool ReceiveLibotrNg(const ClientKey& key, std::string_view text, int64_t now, ServerOutput& out);
  void StartDake(const ClientKey& key, DakeStart start, int64_t now, ServerOutput& out);
  void OnDake3(const ClientKey& key, wire::InstanceTag sender, const v4::RingSigma& sigma,
               ByteView message, int64_t now, ServerOutput& out);
  void OnPublication(const ClientKey& key, PendingDake& dake, const PrekeyPublication& m,
                     int64_t now, ServerOutput& out);
  void OnPublication(const ClientKey& key, PendingDake& dake, const libotr_ng::Publication& m,
                     int64_t now, ServerOutput& out);
  PublisherContext Publisher(const ClientKey& key, const PendingDake& dake) const;
  void Store(const ClientKey& key, PendingDake& dake, const Publication& checked, int64_t now,
             ServerOutput& out);
  void OnStorageRequest(const ClientKey& key, PendingDake& dake, const StorageInformationRequest& m,
                        int64_t now, ServerOutput& out);
  void OnRetrieval(const ClientKey& key, const PrekeyEnsembleQueryRetrieval& m, int64_t now,
                   ServerOutput& out);
  void SendFailure(const ClientKey& key, const PendingDake& dake, Error cause, ServerOutput& out);
  void Send(const Message& m, uint32_t receiver_instance, ServerOutput& out);
  void SendText(std::string text, uint32_t receiver_instance, ServerOutput& out);
  size_t PendingFor(std::string_view identity) const;

  const crypto::Backend& backend_;
  crypto::Random& random_;
  Storage& storage_;
  const v4::Ed448KeyPair& long_term_;
  ServerConfig config_;
  CompositeIdentity composite_;
  Bytes composite_encoding_;
  Bytes composite_encoding_libotr_ng_;  // its key type big-endian
  std::map<ClientKey, std::unique_ptr<PendingDake>> pending_;
  std::map<ClientKey, FragmentReassembler> reassemblers_;
  RateLimiter per_requester_;
  RateLimiter per_target_;
  int64_t last_expire_ = 0;
  bool expired_once_ = false;
};

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_SERVER_SERVER_H_

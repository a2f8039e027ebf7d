// The client side of the prekey-server protocol (otr-v4-prekey-server.md,
// "Key Exchange" (Alice's side), "Publishing Prekey Values", "Retrieving
// Prekey Ensembles", "Query the Prekey Server for its Storage Status",
// "Fragmentation of some Messages"), sans-I/O: calls and received text in,
// text for the server and events out, the time as an argument.
//
// One request is in flight at a time ("there can only be one request in
// flight at the same time from the same party while using an specific
// device"): a publication or a storage query (each a DAKEZ with the server
// whose DAKE-3 carries the request), or an ensemble retrieval (no DAKE).
// A request that gets no answer is dropped after request_timeout_seconds.
//
// The client never trusts the server: DAKE-2 must come from the configured
// server identity (and fingerprint, when configured) and verify; every
// answer's MAC is checked (a bad one is ignored, as the spec says); every
// retrieved ensemble is validated ("Validating Prekey Ensembles").
#ifndef OTR_PROTOCOL_PREKEY_CLIENT_CLIENT_H_
#define OTR_PROTOCOL_PREKEY_CLIENT_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/wire/instance_tag.h"

namespace otr::prekey {

struct ClientConfig {
  std::string identity;         // ours as the network knows it (bare JID): phi
  std::string server_identity;  // the Prekey Server Identity (e.g. "prekey.localhost")
  // The server's fingerprint (KDF_1(usage_fingerprint, H_s, 56)) as learned
  // out of band (XMPP: disco#items node "fingerprint"). When set, a DAKE-2
  // with another key is refused.
  std::optional<v4::Fingerprint> server_fingerprint;
  wire::InstanceTag instance_tag = wire::kMinInstanceTag;
  int64_t request_timeout_seconds = 60;
  size_t max_message_size = 0;  // DAKE-3 longer than this is fragmented; 0: never
  ReassemblyLimits reassembly{4, 1u << 20, 120};
  // Maintenance (PlanMaintenance): publish more prekey messages when fewer
  // than low_water are stored, up to `target`; renew profiles this long
  // before they expire.
  uint32_t low_water = 20;
  uint32_t target = 100;
  int64_t renewal_margin = v4::profile::kDefaultRenewalMargin;
};

// Our long-lived material. The profiles are ours and valid; the shared
// prekey secret is sk_d of the Prekey Profile's D (for its proof).
struct ClientKeys {
  v4::Ed448KeyPair long_term;  // (sk_a, H_a) and sym_h to sign renewed profiles
  v4::ClientProfile client_profile;
  v4::PrekeyProfile prekey_profile;
  crypto::SecretBytes shared_prekey_secret;  // d
};

// The secrets of one generated Prekey Message, for the caller's store of
// private prekey values (the Session's PrekeyStore): y for Y, b for B.
struct PrekeySecrets {
  uint32_t prekey_message_id = 0;
  wire::InstanceTag instance_tag = 0;
  crypto::SecretBytes y;      // ECDH secret (57 bytes, as v4::EcdhKeyPair)
  crypto::SecretBytes b;      // DH secret (80 bytes, big-endian, as crypto::DhKeyPair)
  v4::PrekeyMessage message;  // its public form, as published
};

// What to publish in one Prekey Publication.
struct PublicationRequest {
  bool client_profile = false;
  bool prekey_profile = false;
  uint32_t prekey_messages = 0;  // at most 255 (kMaxPrekeyMessagesPerPublication)
  bool empty() const { return !client_profile && !prekey_profile && prekey_messages == 0; }
};

// One retrieved ensemble that passed "Validating Prekey Ensembles", with
// its owner's fingerprint (to check against trusted keys).
struct ValidatedEnsemble {
  PrekeyEnsemble ensemble;
  v4::Fingerprint fingerprint{};
};

enum class ClientEventKind : uint8_t {
  kPublished,          // a valid Success
  kPublicationFailed,  // a valid Failure (for a publication or a storage query)
  kStorageStatus,      // count = stored prekey messages
  kEnsembles,          // ensembles valid (one per instance tag); count = refused ones
  kNoEnsembles,        // text = the server's human-readable text (escape before showing)
  kRequestFailed,      // the DAKE or the answer failed (cause); the request is over
  kIgnored,            // a message ignored (bad MAC, not ours, no request) (cause)
  kProfilesRenewed,    // the client renewed its profiles for a publication
};
std::string_view ClientEventName(ClientEventKind kind);

struct ClientEvent {
  ClientEventKind kind = ClientEventKind::kIgnored;
  uint32_t count = 0;
  std::vector<ValidatedEnsemble> ensembles;
  Bytes text;
  std::string participant;
  Error cause{ErrorCode::kBadState, ""};
};

// An event of `kind` and its cause (by default an empty kBadState), for the
// client and its libotr-ng sibling (LibotrNgPublisher).
inline ClientEvent MakeClientEvent(ClientEventKind kind,
                                   Error cause = Error{ErrorCode::kBadState, ""}) {
  ClientEvent e;
  e.kind = kind;
  e.cause = std::move(cause);
  return e;
}

struct ClientOutput {
  std::vector<std::string> to_server;  // in order
  std::vector<ClientEvent> events;
};

// "Fragmentation of some Messages": the server may cut what it sends. A
// fragment goes to `reassembler`; once the message is whole it is moved into
// `whole` and returned. Returns nullopt while the message is incomplete, or
// when the fragment is refused (reported in `out` as kIgnored). Text that is
// not a fragment is returned as it is. Both clients (PrekeyClient,
// LibotrNgPublisher) read the server's answers through this.
std::optional<std::string_view> ReassembleFromServer(FragmentReassembler& reassembler,
                                                     std::string_view text,
                                                     wire::InstanceTag our_tag, int64_t now,
                                                     std::string& whole, ClientOutput& out);

class PrekeyClient {
 public:
  PrekeyClient(const crypto::Backend& backend, crypto::Random& random, ClientConfig config,
               ClientKeys keys);
  ~PrekeyClient();
  PrekeyClient(const PrekeyClient&) = delete;
  PrekeyClient& operator=(const PrekeyClient&) = delete;

  struct Started {
    ClientOutput output;                 // DAKE-1
    std::vector<PrekeySecrets> secrets;  // of the prekey messages to publish
  };
  // Starts a publication: generates the prekey messages (their secrets are
  // returned now, before the server has them: keep them until they are
  // used or expire), renews the profiles first if they are due, and sends
  // DAKE-1. kBadState while another request is in flight; kTooLarge above
  // 255 prekey messages; kInvalidPolicy for an empty request.
  Result<Started> Publish(const PublicationRequest& request, int64_t now);
  // Publish's first half, without a request: the due profiles renewed
  // (keys()), the prekey messages generated. For a publication sent in
  // another variant (OfflineMaintenance under the libotr-ng profile sends it
  // with LibotrNgPublisher), which then reports its Success with Published.
  struct Prepared {
    std::vector<PrekeySecrets> prekeys;
    bool renewed = false;  // keys() holds new profiles
  };
  Result<Prepared> Prepare(const PublicationRequest& request, int64_t now);
  // A Success for `what` sent another way: its profiles count as published
  // (PlanMaintenance).
  void Published(const PublicationRequest& what);
  // Starts a storage query (DAKE-1; the DAKE-3 carries the request).
  Result<ClientOutput> QueryStorage(int64_t now);
  // Asks for the ensembles of `participant` for version 4 (no DAKE).
  Result<ClientOutput> RetrieveEnsembles(std::string_view participant, int64_t now);

  // A message from the server (whole or a fragment).
  ClientOutput Receive(std::string_view text, int64_t now);
  // Drops a request that has timed out (kRequestFailed) and old fragments.
  ClientOutput Expire(int64_t now);

  // "Clients working with a Prekey Server are expected to upload a new
  // Client Profile and a new Prekey Profile before they expire": what to
  // publish given the count of a Storage Status and what this client has
  // published (profiles never published, or due for renewal, are included;
  // prekey messages up to config.target when below config.low_water).
  PublicationRequest PlanMaintenance(uint32_t stored_prekey_messages, int64_t now) const;

  bool busy() const;
  const ClientKeys& keys() const { return keys_; }
  // Expirations of the profiles last published with a Success (0: none).
  int64_t published_client_profile_expiration() const { return published_client_expiry_; }
  int64_t published_prekey_profile_expiration() const { return published_prekey_expiry_; }

 private:
  struct Request;

  Result<ClientOutput> StartDake(std::unique_ptr<Request> request, int64_t now);
  void OnDake2(const Dake2& m, int64_t now, ClientOutput& out);
  void OnAnswer(const Message& m, ClientOutput& out);
  void OnEnsembles(const PrekeyEnsembleRetrieval& m, int64_t now, ClientOutput& out);
  void OnNoEnsembles(const NoPrekeyEnsemblesInStorage& m, ClientOutput& out);
  Result<Bytes> BuildPublication(Request& r);
  void SendToServer(const Message& m, ClientOutput& out);
  void Finish(ClientOutput& out, ClientEvent event);

  const crypto::Backend& backend_;
  crypto::Random& random_;
  ClientConfig config_;
  ClientKeys keys_;
  std::unique_ptr<Request> request_;
  FragmentReassembler reassembler_;
  int64_t published_client_expiry_ = 0;
  int64_t published_prekey_expiry_ = 0;
};

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_CLIENT_CLIENT_H_

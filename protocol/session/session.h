// The version-independent Session API: one local account talking to one
// peer account over one transport. Sans-I/O (DESIGN.md principle 1): it
// takes inbound transport text and user actions and returns Output
// (transport messages to send, already fragmented; text to display; typed
// events). It never touches sockets, files, clocks or globals: randomness is
// injected, and the time is an argument of every call (`now`, in seconds),
// as quinn-proto does: HandleTimeout(now) runs what is due, NextTimeout()
// says when to call it next.
//
// One driver, per-version machines (docs/decisions/0008): each instance of
// the peer has one conversation, a variant over the versions' engines
// (v3::Conversation for v2/v3, v4::Conversation for v4). Instances (otr v3
// spec and otrv4.md, "Instance Tags"): the conversation for tag 0 (the
// "master") sends queries, starts AKEs and DAKEs before the peer's tag is
// known and carries v2; a new instance of the peer gets a fresh conversation
// of its own, made only for a D-H Commit or a D-H Key (which copies the
// master's exchange, as libotr's otrl_auth_copy_on_key) or an Identity
// message; the master's v4 DAKE, once an Auth-R names the peer's instance,
// moves to that instance. Their number is bounded (kMaxPeerInstances).
// Messages addressed to another instance of ours are ignored.
//
// Version choice (version_choice.h, docs/decisions/0011): an offer of 4 when
// we allow 4 gets the v4 engine; v3 only without 4 and in the v3-compatible
// mode; the v4-only modes refuse every v3 request (UnsupportedVersion). A
// v2/v3 conversation that goes secure while we allow v4 is reported
// (events::FellBackToV3), never silent.
#ifndef OTR_PROTOCOL_SESSION_SESSION_H_
#define OTR_PROTOCOL_SESSION_SESSION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/box.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/session/prekey_retrieval.h"
#include "protocol/session/view.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v3/engine/conversation.h"
#include "protocol/v4/engine/conversation.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/wire/classify.h"
#include "protocol/wire/reassembler.h"
#include "protocol/wire/reassembler_v4.h"

namespace otr {

// Peer instances one session keeps besides the master. An account is logged
// in at a few places at once; 8 is well above that (as the reassembler's
// kMaxTrackedSenders). A new instance beyond it evicts the least recently
// used instance that is not ENCRYPTED, or is refused (kInstanceRefused).
inline constexpr size_t kMaxPeerInstances = 8;

// The local account: its long-term keys for every version.
struct Identity {
  const crypto::DsaPrivateKey* dsa = nullptr;  // v2/v3; must outlive the session
  // v4: the long-term Ed448 key H, the forging key F and our signed Client
  // Profile (its owner instance tag must be our_tag); must outlive the
  // session. Required when the policy allows v4.
  const v4::Identity* v4 = nullptr;
};

struct SessionConfig {
  const crypto::Backend* backend = nullptr;
  Identity identity;
  Policy policy = Policy::Manual();
  wire::InstanceTag our_tag = wire::kNoInstanceTag;  // 0: choose one at random
  size_t max_message_size = 0;                       // 0: never fragment
  uint64_t heartbeat_seconds = 60;
  // How long a message held back by REQUIRE_ENCRYPTION (or stored for
  // retransmission) may still be sent.
  uint64_t stored_message_seconds = 60;
  size_t max_instances = kMaxPeerInstances;
  // The application's trust records for this peer (e.g. libotr's
  // fingerprints file): kWentSecure reports the peer key's trust, and an
  // unknown key also produces kNewFingerprint. One record per fingerprint,
  // of either kind (v3 or v4). A v4 fingerprint here also tells the session
  // that this peer spoke v4 before (docs/decisions/0011).
  struct KnownFingerprint {
    store::PeerFingerprint fingerprint;
    bool trusted = false;
  };
  std::vector<KnownFingerprint> known_fingerprints;
  // v4: max_skip and the stored-key bounds, and "Session Expiration".
  v4::ratchet::Limits ratchet_limits;
  uint64_t session_expiry_seconds = 2 * 60 * 60;
  // v4 offline conversations (issue 18): our Prekey Profiles and the
  // secrets of the Prekey Messages we published (the application persists
  // them; v4::InMemoryPrekeyStore keeps them in memory). Without it a
  // Non-Interactive-Auth message is refused. Must outlive the session.
  v4::PrekeyStore* prekey_store = nullptr;
  // v4 "Shared Session State" phi': the higher-level context both sides
  // bind the DAKE to, e.g. both accounts. The libotr-ng profile
  // (Policy::v4_variant) needs exactly the two accounts: libotr-ng's phi
  // holds them (docs/libotr-ng-deviations.md #15).
  std::vector<std::string> phi_context;
  // Where RequestPrekeyEnsembles fetches the peer's ensembles (issue 18,
  // docs/decisions/0016); none: it is refused. Publishing ours is the
  // account's, not a peer's: OfflineMaintenance (offline_maintenance.h).
  std::optional<PrekeyServerConfig> prekey_server;
};

class Session {
 public:
  // kInvalidPolicy / kUnsupportedVersion for a policy Validate refuses;
  // kInvalidKey without a backend, without a DSA key when v2/v3 may be
  // spoken, or without a v4 identity when v4 is allowed;
  // kInvalidInstanceTag for a tag in 1..0xff, or a v4 Client Profile whose
  // owner instance tag is not our tag.
  static Result<Session> Create(SessionConfig config, crypto::Random& random);

  Output Receive(uint64_t now, std::string_view inbound);
  Output Send(uint64_t now, std::string_view text);
  Output StartOtr(uint64_t now);
  Output EndOtr(uint64_t now);
  // "Sending a Data Message to an offline participant" (otrv4.md), from the
  // Prekey Ensembles a prekey server returned for this peer ("Receiving
  // Prekey Ensembles"): each is validated ("Validating Prekey Ensembles";
  // each invalid one is reported with events::OfflineRefused and
  // discarded), duplicates are dropped, and one is chosen: the instance we
  // are talking to if it is among them, else the newest Client Profile.
  // That instance's conversation sends a Non-Interactive-Auth message and
  // goes to ENCRYPTED_MESSAGES (kWentSecure); Send() then encrypts to it.
  // The interactive-only mode refuses (events::OfflineRefused), as does an
  // empty or all-invalid list ("the non-interactive DAKE must wait").
  Output StartOffline(uint64_t now, const std::vector<v4::dake::PrekeyEnsembleValues>& ensembles);
  // "Retrieving Prekey Ensembles" for this peer from SessionConfig's prekey
  // server: the query goes to Output::to_prekey_server (not to the peer).
  // The server's answer comes back through ReceiveFromPrekeyServer, which
  // runs StartOffline on the ensembles that validate. Refused
  // (events::OfflineRefused, nothing sent) in the interactive-only mode,
  // without v4, without a prekey server, or while a retrieval is in flight.
  Output RequestPrekeyEnsembles(uint64_t now);
  // A message from the prekey server (whole or a fragment). Text that is not
  // the answer to this session's retrieval is ignored silently. Under the
  // libotr-ng profile (Policy::v4_variant) libotr-ng's Ensemble Retrieval
  // (our server's answer for ensembles libotr-ng published) is read too:
  // its ensembles are validated in libotr-ng's bytes and the offline start
  // sends libotr-ng's Non-Interactive-Auth and a first Data Message.
  Output ReceiveFromPrekeyServer(uint64_t now, std::string_view text);
  bool awaiting_prekey_server() const { return retrieval_ && retrieval_->in_flight(); }
  // (A copy of a Session has no retrieval in flight: PrekeyRetrieval's copy.)
  Output StartSmp(uint64_t now, std::string_view secret,
                  std::optional<std::string_view> question = {});
  Output RespondSmp(uint64_t now, std::string_view secret);
  Output AbortSmp(uint64_t now);
  Result<Output> UseExtraSymmetricKey(uint64_t now, uint32_t use, ByteView use_data);
  // v4: several TLV 7 in one Data Message, one key each (chained, "Extra
  // Symmetric Key"); a v2/v3 conversation takes exactly one.
  Result<Output> UseExtraSymmetricKeys(uint64_t now, const std::vector<v4::ExtraKeyUse>& uses);
  // The message REQUIRE_ENCRYPTION held back goes to a peer whose key is
  // trusted as soon as that conversation is secure; to any other peer only
  // when the user, having seen the fingerprint (kHeldMessagePending), sends
  // it to the selected instance with this. kBadState if the selected
  // instance is not ENCRYPTED or nothing is held.
  Result<Output> SendHeldMessage(uint64_t now);
  void DiscardHeldMessage();
  bool has_held_message() const { return held_.has_value(); }

  // Time: runs what is due at `now` (a held message that expired), and the
  // time at which the next call is due (none: nothing is pending).
  Output HandleTimeout(uint64_t now);
  std::optional<uint64_t> NextTimeout() const;

  wire::InstanceTag our_tag() const { return config_.our_tag; }
  // Peer instances with a conversation (0 is the master).
  std::vector<wire::InstanceTag> Instances() const;
  // The instance user actions go to (kUnknownInstance if there is none).
  // Without a choice of the application, the instance that went secure
  // last is selected.
  Status SelectInstance(wire::InstanceTag tag);
  wire::InstanceTag selected_instance() const { return selected_; }

  // What the application may know of a conversation, whatever its version.
  ConversationView view() const { return ViewOf(selected_); }
  std::optional<ConversationView> view(wire::InstanceTag tag) const;

  // view().state, without building the view (its vectors and fingerprint).
  ConversationState state() const;
  int version() const { return view().version; }
  // The peer's v3 fingerprint (nullopt for v4: see view().their_fingerprint).
  std::optional<store::Fingerprint> their_fingerprint() const;
  // Our v3 (DSA) fingerprint; all zero without a DSA key (v4-only modes).
  store::Fingerprint our_fingerprint() const;
  // Our v4 fingerprint (kV4Ed448), without a v4 identity nullopt; under the
  // libotr-ng profile in libotr-ng's form, which its users compare.
  std::optional<store::PeerFingerprint> our_v4_fingerprint() const;
  // The secure session id as the v3 spec displays it: two %08x halves.
  std::string ssid_text() const;
  // Records the user's verdict on a fingerprint (e.g. after SMP succeeded).
  void SetTrust(const store::PeerFingerprint& fingerprint, bool trusted);

 private:
  using Machine = std::variant<v3::Conversation, v4::Conversation>;
  struct Instance {
    Machine machine;
    uint64_t last_used = 0;  // a tick of this session, for eviction
    // A v4 DAKE run beside this instance's ENCRYPTED v2/v3 conversation,
    // which stays usable until the DAKE completes and replaces it: in the
    // master, the one our Identity message (to every instance) started
    // (decision 0048); in a peer instance, the one the peer's Identity or
    // Non-Interactive-Auth message started (decision 0053). It is ended (and
    // wiped) in the call that takes the conversation out of ENCRYPTED, by
    // the user's end (EndOtr), or when it expires (HandleTimeout).
    Box<v4::Conversation> v4_beside;
  };
  friend const v3::Conversation* V3ConversationForTesting(const Session&, wire::InstanceTag);
  friend const v4::Conversation* V4ConversationForTesting(const Session&, wire::InstanceTag);
  friend const v4::Conversation* V4BesideEncryptedForTesting(const Session&, wire::InstanceTag);
  template <typename Visit>
  friend void ForEachConversationForTesting(const Session&, Visit&&);

  Session(SessionConfig config, crypto::Random& random);

  ConversationView ViewOf(wire::InstanceTag tag) const;
  Machine& Selected();
  Instance& MasterInstance() { return instances_.at(wire::kNoInstanceTag); }
  Machine& MasterMachine() { return MasterInstance().machine; }
  // The master as a v2/v3 (v4) conversation: an idle master of the other
  // version is replaced by a fresh one; nullptr when the master is busy in
  // the other version (otrv4.md: v3 messages count only in START). A v2
  // master in MSGSTATE_FINISHED becomes a v4 one in FINISHED (decision
  // 0045; `out` hears if that row fails); beside an ENCRYPTED v2/v3
  // master, the v4 conversation is the master's v4_beside (decision 0048).
  v3::Conversation* MasterV3();
  v4::Conversation* MasterV4(uint64_t now, Output& out);
  // The v4 conversation whose DAKE answers our Identity message sent to
  // every instance (receiver 0): a v4 master, or the one beside an
  // ENCRYPTED v2/v3 master; nullptr if neither.
  v4::Conversation* MastersV4Dake();
  // Ends and drops `instance`'s v4_beside, if any (decisions 0048, 0053).
  void EndDakeBeside(Instance& instance, uint64_t now, Output& out);
  // Decision 0053: a DAKE message from the peer instance whose v2/v3
  // conversation is ENCRYPTED goes to the v4 DAKE beside it (made for an
  // Identity or Non-Interactive-Auth message), which replaces the
  // conversation once it completes.
  void ReceiveBeside(uint64_t now, Instance& instance, wire::InstanceTag sender,
                     const v4::Message& message, Output& out, ByteView encoded);
  // A Non-Interactive-Auth from an instance with no conversation, or with a
  // v2/v3 one that is not ENCRYPTED: tried on a new v4 conversation that
  // takes the instance's place only if the message established it.
  void ReceiveNewNonInteractiveAuth(uint64_t now, Instance* instance, wire::InstanceTag sender,
                                    const v4::Message& message, Output& out, ByteView encoded);
  // The instance NewInstance evicts when the session is full: the least
  // recently used that holds no session, never the master or the selected
  // one (end() if there is none).
  std::map<wire::InstanceTag, Instance>::iterator FindVictim();
  // Peer instances (the master aside) at config_.max_instances.
  bool AtInstanceLimit() const { return instances_.size() - 1 >= config_.max_instances; }
  bool HasRoomForInstance() { return !AtInstanceLimit() || FindVictim() != instances_.end(); }
  v3::Conversation MakeV3(wire::InstanceTag their_tag) const;
  v4::Conversation MakeV4(wire::InstanceTag their_tag) const;
  // The conversation for a new peer instance, or nullptr when refused.
  Instance* NewInstance(wire::InstanceTag their_tag, Machine machine, Output& out);
  v4::Conversation* OfflineConversation(uint64_t now, wire::InstanceTag tag, Output& out);
  // StartOffline under the libotr-ng profile, from libotr-ng's ensembles
  // (each invalid one reported with events::OfflineRefused naming the check).
  Output StartOfflineLibotrNg(uint64_t now,
                              const std::vector<prekey::libotr_ng::Ensemble>& ensembles);
  void Dispatch(uint64_t now, wire::InboundMessage message, Output& out);
  void ReceiveOffer(uint64_t now, const wire::QueryMessage* query,
                    const wire::TaggedPlaintext* tagged, Output& out);
  // `encoded`: the bytes `message` was decoded from (v3::Conversation::ReceiveMessage).
  void Route(uint64_t now, const v3::Message& message, Output& out, ByteView encoded = ByteView());
  // `encoded`: the bytes `message` was decoded from, if the spec's
  // (v4::Conversation::ReceiveMessage).
  void RouteV4(uint64_t now, const v4::Message& message, Output& out,
               ByteView encoded = ByteView());
  // The master's DAKE (in WAITING_AUTH_R) takes `auth_r` from `sender`; once
  // it no longer waits for an Auth-R its conversation is handed back for
  // `sender`'s instance, the master starts afresh, and the events and text
  // it produced name `sender`. nullopt while the master still waits.
  std::optional<Machine> ContinueMastersDake(uint64_t now, v4::Conversation& master,
                                             const v4::Message& auth_r, wire::InstanceTag sender,
                                             Output& out);
  void Finish(uint64_t now, Output& out);
  void ReportUnspokenOffer(wire::VersionSet offered, Output& out) const;
  void Touch(Instance& instance) { instance.last_used = ++tick_; }

  // The parts a v3-only session never uses are boxed (docs/decisions/0032):
  // v4_config_ exists with a v4 identity (no v4 conversation is made
  // without one), reassembler_v4_ from the first v4 fragment, retrieval_
  // from the first retrieval.
  SessionConfig config_;
  v3::ConversationConfig conversation_config_;
  Box<v4::ConversationConfig> v4_config_;
  crypto::Random* random_;
  std::map<wire::InstanceTag, Instance> instances_;
  wire::InstanceTag selected_ = wire::kNoInstanceTag;
  bool pinned_ = false;                      // the application chose selected_ (SelectInstance)
  wire::Reassembler reassembler_;            // v2/v3: in order
  Box<wire::ReassemblerV4> reassembler_v4_;  // v4: any order, bounded in age
  std::map<store::PeerFingerprint, bool> known_fingerprints_;  // -> trusted
  std::optional<v3::HeldMessage> held_;
  uint64_t tick_ = 0;
  // Evidence that the peer speaks v4 (docs/decisions/0011): an offer of 4, a
  // v4 message, a v4 conversation, or a v4 fingerprint in the trust records.
  bool peer_showed_v4_ = false;
  // The retrieval of the peer's Prekey Ensembles, made on first use.
  Box<PrekeyRetrieval> retrieval_;
};

}  // namespace otr

#endif  // OTR_PROTOCOL_SESSION_SESSION_H_

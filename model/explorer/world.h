// The explorer's world (issue 6, "The explorer"): two real Sessions, Alice
// (0) and Bob (1), and optionally a third legitimate participant, Mallory (2,
// with her own identity key and instance tag), each with its own seeded
// randomness; an adversarial network between them (one FIFO inbox per party,
// the attacker's memory of what was sent, and a pool of stale messages from a
// previous session of Alice and Bob), and the ledger the invariants are
// judged against.
// Worlds are copied to branch; a Session keeps a pointer to its Random, so
// both parties' Sessions use a RoutedRandom that the explorer points at the
// world being stepped. The time is the world's (`now`): every call gets it,
// and the "time passes" action advances it (issue 15, "Time is an input").
#ifndef OTR_MODEL_EXPLORER_WORLD_H_
#define OTR_MODEL_EXPLORER_WORLD_H_

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/session/session.h"
#include "protocol/session/testing.h"
#include "protocol/smp/smp_table.h"
#include "protocol/v3/state/auth_table.h"
#include "protocol/v3/state/message_table.h"
#include "protocol/v4/engine/prekey_store.h"

namespace otr::model {

inline constexpr int kMallory = 2;
inline constexpr const char* kPartyName[3] = {"Alice", "Bob", "Mallory"};

// A transport message on the network, with an abstract label ("who sent
// what") used for display and for deduplicating states.
struct Wire {
  std::string text;
  std::string label;
  int sender = 0;
};

enum class ActionKind {
  kDeliver,     // deliver inbox[index] (0: in order; > 0: reordered)
  kDrop,        // drop the head of the inbox
  kDuplicate,   // deliver the head and keep it
  kReplay,      // deliver memory[index]: an old message (either direction)
  kStale,       // deliver stale[index]: from a previous session
  kStart,       // the user starts OTR
  kEnd,         // the user ends OTR
  kSend,        // the user types a (unique) message
  kSmpStart,    // the user starts SMP with her secret
  kSmpRespond,  // the user answers SMP with her secret
  kSmpAbort,    // the user aborts SMP
  kForge,       // PLANTED (tests only): a Data Message built with the
                // sender's own session keys, text the sender never typed
  kRedirect,    // deliver inbox[index] of `party` to the third party (the one
                // that is neither its sender nor `party`): needs Mallory
  kTimePasses,  // `index` seconds pass for everyone; then each party's session
                // runs HandleTimeout(now)
  kTimeout,     // (inside kTimePasses only) `party`'s session runs
                // HandleTimeout(now); never enabled on its own
  // The offline start (v4 explorer, World::offline): `party` (Alice) asks
  // the prekey server for Bob's ensembles, the server core answers, and her
  // session starts offline from the answer (Non-Interactive-Auth to Bob).
  kFetch,
  // The same request answered by the attacker with the server's answer
  // `index` of an earlier fetch (OfflineWorld::server_replies).
  kServerReplay,
};

struct Action {
  ActionKind kind = ActionKind::kDeliver;
  // The receiver (network actions; for kRedirect the inbox taken from) or
  // the user (user actions).
  int party = 0;
  // The queue position or remembered message; for Mallory's kStart, kSend
  // and SMP actions the party she addresses; for kTimePasses the seconds that pass.
  int index = 0;
  friend bool operator==(const Action&, const Action&) = default;
};

// How many of each action one path may contain.
struct Budgets {
  int drop = 1;
  int duplicate = 1;
  int replay = 1;
  int stale = 1;
  int start = 2;
  int end = 1;
  int send = 2;
  int smp = 0;
  int forge = 0;
  int redirect = 0;       // kRedirect (Mallory only)
  int mstart = 0;         // Mallory starts OTR
  int msend = 0;          // Mallory types a message
  int time = 1;           // kTimePasses (ExplorerConfig::time_step seconds each)
  int msmp = 0;           // Mallory's SMP actions (start, answer, abort)
  int mend = 0;           // Mallory ends OTR
  int fetch = 0;          // kFetch (World::offline only)
  int server_replay = 0;  // kServerReplay (World::offline only)
};

// No action used yet (Budgets' defaults are the limits).
inline constexpr Budgets kNoneUsed{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

struct PartyState {
  explicit PartyState(uint64_t seed) : random(seed) {}
  std::optional<Session> session;
  crypto::testing::DeterministicRandom random;
  std::deque<Wire> inbox;               // sent to this party, not yet delivered
  std::map<std::string, int> ordinals;  // per label stem, for unique labels
  // What the party had sent each time time passed (its ordinals then): a
  // conversation's heartbeat is due, and its stored message too old to be
  // resent, according to when it last sent, so states that differ in what
  // was sent before and after the time passed are not the same state.
  std::string sent_by_time;
  int typed = 0;  // user messages typed so far
  int peer = 0;   // Mallory: whom her last message came from (her SMP and end go there)
  // The ledger. (text, party the sending conversation believed it talks
  // to) -> Data Messages carrying it.
  std::map<std::pair<std::string, int>, int> sent_encrypted;
  std::map<std::string, int> displayed_encrypted;  // text -> times shown as encrypted
  std::vector<std::string> texts;                  // every text the user typed
  bool asked_secret = false;                       // kSmpAskSecret not yet answered
  int smp_succeeded = 0;                           // kSmpSucceeded reported
  int smp_failed = 0;                              // kSmpFailed reported
  // The v4 explorer: typed text -> the SSID of the conversation that sent it
  // encrypted (exactly-once delivery within max_skip).
  std::map<std::string, Bytes> sent_ssid;
  // The v4 explorer: every SSID a conversation of this party went
  // ENCRYPTED on (a session is established at most once), and the texts
  // whose Data Message reached this party before it held their session
  // (lost by the spec: model/README.md, "Offline start").
  std::vector<Bytes> secured;
  std::vector<std::string> lost_before_auth;
};

// The prekey server's side of the v4 explorer's offline configurations
// (decision 0031): what the server core stores (it runs over a copy of this
// storage at each fetch), Bob's private prekey values (his session reads
// them through the explorer), and the server's answers the attacker saw.
struct OfflineWorld {
  prekey::MemoryStorage storage;
  v4::InMemoryPrekeyStore bob_store;
  std::vector<std::string> server_replies;
  crypto::testing::DeterministicRandom server_random{0};
};

struct World {
  // Mallory's session is empty unless the configuration has her.
  std::array<PartyState, 3> party{PartyState(0), PartyState(0), PartyState(0)};
  int parties = 2;           // 3 with Mallory
  std::vector<Wire> memory;  // the attacker's memory: the last messages sent
  Budgets used = kNoneUsed;
  uint64_t now = 1000;                  // the time every party's session is given (seconds)
  std::optional<OfflineWorld> offline;  // the v4 explorer's offline configurations
};

// The observable state of one conversation.
struct ConversationView {
  wire::InstanceTag tag = 0;
  v3::MessageState message = v3::MessageState::kPlaintext;
  v3::AuthState auth = v3::AuthState::kNone;
  smp::SmpState smp = smp::SmpState::kExpect1;
  std::optional<store::Fingerprint> their_fingerprint;
  std::array<uint8_t, 8> ssid{};
  bool has_keys = false;
  uint32_t our_keyid = 0;
  uint32_t their_keyid = 0;
  int version = 3;
  bool sent_reveal = false;
};

struct PartyView {
  std::vector<ConversationView> conversations;  // by tag, master (0) first
  wire::InstanceTag selected = 0;
  ConversationState state = ConversationState::kPlaintext;
};

// Reads every conversation of `session` (selects each in turn, then restores
// the selection).
PartyView ViewOf(Session& session);

// "deliver to Bob", "Alice types a message", ...
std::string ActionName(const Action& action);

}  // namespace otr::model

#endif  // OTR_MODEL_EXPLORER_WORLD_H_

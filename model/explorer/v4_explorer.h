// The explorer on real OTRv4 Sessions (issue 21, "Explorer (real v4
// sessions)"): the v3 explorer's design (explorer.h) with v4 parties. Two
// Sessions that allow v4 (Alice, Bob) and optionally Mallory, a third
// participant with her own v4 identity, each with seeded randomness, are
// driven through every interleaving of the actions of world.h (deliver,
// reorder, drop, duplicate, replay, stale messages of a previous session,
// redirect to Mallory, start/end/send/SMP, time passing) up to a depth
// bound; the worlds are copied to branch (Session is copyable). After every
// step the model's invariants (model/v4/otr4.pml) are checked on the real
// states, through the version-neutral ConversationView:
//   - agreement: every ENCRYPTED conversation of an honest party knows the
//     peer's fingerprint, and any conversation of another party on the same
//     SSID is the party it believes, holding the first party's fingerprint;
//   - integrity and exactly once: text shown as encrypted was typed by the
//     party whose fingerprint the receiving conversation holds, and is shown
//     at most once; a message delivered in any order within the window (<=
//     max_skip) while both keep the conversation it was sent in is shown
//     exactly once once its queue is empty and nothing was dropped;
//   - established once: a session (SSID) is established at most once at
//     each party, also on a conversation already holding it (a replayed
//     Non-Interactive-Auth whose Prekey Message was not used up);
//   - offline (World::offline): Bob publishes through the real prekey
//     server core, Alice fetches and starts offline (decision 0031); with
//     check_offline_liveness, a fair network ends with Bob holding Alice's
//     session; Data Messages that reach Bob before their session are
//     recorded (lost by the spec) and excused from exactly once;
//   - mode rules: a v4-only party never holds a v3 conversation; two
//     v4-capable parties never fall back to v3 unless the network rewrote
//     a query (not done here: the fallback configuration has a v3-only Bob);
//   - SMP: success only with equal secrets; no SMP progress outside
//     ENCRYPTED_MESSAGES;
//   - bounds: stored message keys and MAC keys to reveal within the
//     ratchet's limits;
//   - time: HandleTimeout acts only when NextTimeout said so (CheckTimeout);
//   - conformance: every row the engine reports (v4 protocol table, SMP
//     table) is a row of its table for the state and event, rows of one
//     machine chain, the conversation holds the last row's next state, and
//     no state changes without a row.
// A violation is shrunk (the runs are deterministic) and formatted.
#ifndef OTR_MODEL_EXPLORER_V4_EXPLORER_H_
#define OTR_MODEL_EXPLORER_V4_EXPLORER_H_

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "model/explorer/explorer.h"
#include "model/explorer/world.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/v4/engine/prekey_store.h"

namespace otr::model {

struct V4ExplorerConfig : ExplorerConfigBase {
  // Alice v4 standalone, Bob v3-compatible opportunistic with v4, Mallory
  // v4-interactive-only (V4NamedConfig changes them).
  std::array<Policy, 3> policy = {Policy::V4Standalone(), Policy::Opportunistic().WithV4(),
                                  Policy::V4InteractiveOnly()};
  int prefix_sends = 0;    // then Alice types this many messages (in the prefix)
  bool v3_prefix = false;  // the prefix is a v3 AKE (Query, D-H Commit, ..., Signature)
  // The prefix also runs a DAKE between Mallory and Alice, in order.
  bool mallory_prefix = false;
  // Mallory's SMP secret: she does not know Alice's and Bob's.
  std::string mallory_smp_secret = "a guess";
  // The offline start (decision 0031): in the setup Bob publishes
  // `offline_prekeys` Prekey Messages (OfflineMaintenance to the real
  // prekey server core over MemoryStorage) and goes offline; kFetch is
  // Alice's retrieval answered by that server core (over the world's copy
  // of its storage), kServerReplay her retrieval answered by the attacker
  // with a server answer it saw. The prefix is `offline_prefix_fetches`
  // fetches, then Alice's `prefix_sends` texts.
  bool offline = false;
  uint32_t offline_prekeys = 2;
  int offline_prefix_fetches = 0;
  // Users type only in ENCRYPTED_MESSAGES (the offline start's Alice types
  // after it, not into a held message).
  bool send_when_secure = false;
  // Liveness at a small bound (fair network): once Alice fetched and every
  // queue is empty, Bob holds her session, so (exactly once) her texts
  // were read.
  bool check_offline_liveness = false;
  // PLANTED (tests only): Bob's prekey store never forgets a used Prekey
  // Message, so a replayed Non-Interactive-Auth is accepted again.
  bool planted_keep_used_prekeys = false;
};

class V4Explorer {
 public:
  static Result<std::unique_ptr<V4Explorer>> Create(V4ExplorerConfig config);

  std::optional<Violation> Run();
  const Stats& stats() const { return stats_; }
  // Whether the last Run ran `row` of the v4 protocol table (smp: the SMP
  // table), and whether some step reported `type`.
  bool Covered(bool smp, size_t row) const { return covered_.count({smp ? 1 : 0, row}) > 0; }
  bool Reported(EventType type) const { return reported_.count(type) > 0; }
  // Offline: Data Messages that reached Bob before he held their session
  // (lost, as the spec says: model/README.md, "Offline start"), the first
  // trace that did it, and the states the liveness check judged.
  uint64_t lost_before_auth() const { return lost_before_auth_; }
  const std::vector<Action>& lost_example() const { return lost_example_; }
  uint64_t liveness_checked() const { return liveness_checked_; }

  std::optional<Violation> Replay(const std::vector<Action>& trace, std::string* log = nullptr);
  std::vector<Action> Shrink(const Violation& violation);
  std::string Format(const std::vector<Action>& trace);

 private:
  class RoutedRandom : public crypto::Random {
   public:
    void Fill(MutableByteView out) override { target->Fill(out); }
    crypto::Random* target = nullptr;
  };
  // Bob's private prekey values as his Session sees them: the world being
  // stepped (World::offline), as RoutedRandom.
  class RoutedPrekeyStore : public v4::PrekeyStore {
   public:
    const v4::OurPrekeyProfile* FindPrekeyProfile(wire::InstanceTag tag,
                                                  int64_t now) const override {
      return target->FindPrekeyProfile(tag, now);
    }
    const v4::dake::PrekeySecrets* FindPrekey(uint32_t id, wire::InstanceTag tag,
                                              int64_t now) const override {
      return target->FindPrekey(id, tag, now);
    }
    void ErasePrekey(uint32_t id, wire::InstanceTag tag) override {
      if (!keep_used) target->ErasePrekey(id, tag);
    }
    void AddPrekey(v4::dake::PrekeySecrets secrets, int64_t expires) override {
      target->AddPrekey(std::move(secrets), expires);
    }
    void AddPrekeyProfile(v4::OurPrekeyProfile profile, int64_t expires) override {
      target->AddPrekeyProfile(std::move(profile), expires);
    }
    size_t DeleteExpired(int64_t now) override { return target->DeleteExpired(now); }
    void KeepPrekeysUntil(wire::InstanceTag tag, int64_t expires) override {
      target->KeepPrekeysUntil(tag, expires);
    }
    v4::PrekeyStore* target = nullptr;
    bool keep_used = false;  // PLANTED (config.planted_keep_used_prekeys)
  };
  struct Failure {
    std::string invariant, detail;
  };
  explicit V4Explorer(V4ExplorerConfig config) : config_(std::move(config)) {}
  Status Init();
  // Bob's publication through the prekey server core (the offline setup).
  Status Publish();
  // Alice's retrieval: answered by the server core over the world's
  // storage (`replayed` < 0) or by the attacker with a remembered answer.
  Output Fetch(World& w, Session& alice, int replayed);
  Result<Session> MakeSession(int who, crypto::Random& random) const;
  World Fresh(uint64_t seed);
  std::vector<Action> Prefix() const;
  bool Applies(World& w, const Action& a) const;
  std::vector<Action> Enabled(World& w) const;
  std::optional<Failure> Step(World& w, const Action& a, std::string* log);
  std::optional<Failure> CheckWorld(World& w);
  // `ended`: the step was the user's EndOtr.
  std::string CheckRows(World& w, int actor, bool ended, const std::vector<table::RowTaken>& rows,
                        const std::vector<otr::ConversationView>& before);
  int IdentityOf(const std::optional<store::PeerFingerprint>& fp) const;
  const std::string& SmpSecret(int who) const;
  int SmpPeer(const std::vector<otr::ConversationView>& before,
              const std::vector<otr::ConversationView>& after) const;
  std::string Fingerprint(World& w) const;
  void Dfs(World& w, std::vector<Action>& trace, int remaining);

  V4ExplorerConfig config_;
  std::array<std::unique_ptr<v4::Identity>, 3> v4_ids_;
  std::array<std::optional<crypto::DsaPrivateKey>, 3> dsa_;
  std::array<std::vector<store::PeerFingerprint>, 3> identity_;  // each party's keys
  std::array<RoutedRandom, 3> routed_;
  mutable RoutedPrekeyStore routed_store_;  // sessions hold a non-const pointer
  std::optional<v4::Ed448KeyPair> server_key_;
  std::optional<OfflineWorld> offline_template_;  // after Bob's publication
  uint64_t lost_before_auth_ = 0;
  std::vector<Action> lost_example_;
  uint64_t liveness_checked_ = 0;
  std::array<std::vector<Wire>, 2> stale_;  // by receiver
  std::unordered_map<std::string, int> visited_;
  std::set<std::pair<int, size_t>> covered_;
  std::set<EventType> reported_;
  Stats stats_;
  std::optional<Violation> found_;
};

// "ake" (two fresh parties), "established" (send, SMP, end, time),
// "reorder" (Alice types three messages, Bob takes them in any order, no
// drops), "smp-differ", "v3-fallback" (Alice v3-compatible v4, Bob v3 only),
// each optionally with "-mallory"; "mallory-smp" (Mallory and Alice also
// established: Mallory's SMP with her own guess, and her end); the offline
// start: "offline" (Alice fetched once in the prefix; a second fetch, a
// replayed server answer, typing, the adversarial network), "offline-reorder"
// (Alice's Non-Interactive-Auth and two texts queued, any order, one
// duplicate), "offline-live" (a fair network: fetch, type, deliver in order).
V4ExplorerConfig V4NamedConfig(const std::string& name, const crypto::Backend& backend, int depth);

}  // namespace otr::model

#endif  // OTR_MODEL_EXPLORER_V4_EXPLORER_H_

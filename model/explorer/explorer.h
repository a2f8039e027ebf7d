// The explorer (issue 6): model-based testing of the real engine. Two real
// Sessions with deterministic randomness and an adversarial network are
// driven through every interleaving of actions up to a depth bound (bounded
// DFS; states are deduplicated by a fingerprint of the observable abstract
// state). After each step the invariants of model/otr.pml are checked on the
// real states, and each row the engine ran is checked against its table
// (conformance.h). A violation is shrunk (delta debugging over the action
// sequence, which reproduces because every run is deterministic) and printed
// as a readable trace.
#ifndef OTR_MODEL_EXPLORER_EXPLORER_H_
#define OTR_MODEL_EXPLORER_EXPLORER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "model/explorer/conformance.h"
#include "model/explorer/search.h"
#include "model/explorer/world.h"

namespace otr::model {

struct ExplorerConfig : ExplorerConfigBase {
  // Alice never sends plaintext; Bob advertises and starts opportunistically;
  // Mallory speaks OTR when asked or when she starts it.
  std::array<Policy, 3> policy = {Policy::Always(), Policy::Opportunistic(), Policy::Manual()};
  // PLANTED (tests only): Mallory's Session uses the identity key of this
  // party (a stolen key), while the invariants still know her as Mallory.
  int planted_mallory_key = -1;
  // Sleep-set partial-order reduction: an action independent of one already
  // explored from the same state is not explored again after it.
  bool por = true;
};

struct Stats {
  uint64_t states = 0;       // distinct abstract states reached
  uint64_t transitions = 0;  // actions executed during the search
  uint64_t rows_checked = 0;
  size_t rows_covered = 0;  // distinct table rows the engine ran
  size_t rows_total = 0;
  size_t max_depth = 0;
  uint64_t slept = 0;      // transitions skipped by the sleep sets
  bool truncated = false;  // max_states was reached
  double seconds = 0;
};

class Explorer {
 public:
  // Generates the two DSA keys and records the stale pool (a whole previous
  // session of the same two clients: AKE, messages, SMP, ending).
  static Result<std::unique_ptr<Explorer>> Create(ExplorerConfig config);

  // Explores; the first violation found, already shrunk.
  std::optional<Violation> Run();
  const Stats& stats() const { return stats_; }
  // Whether the last Run ran `row` of `machine`'s table, and whether some
  // step reported `type` (only the events in kReportedEvents are tracked).
  bool Covered(Machine machine, size_t row) const {
    return covered_.count({static_cast<int>(machine), row}) > 0;
  }
  bool Reported(EventType type) const { return reported_.count(type) > 0; }

  // Replays `trace` from the two fresh sessions (actions that do not apply,
  // such as delivering from an empty queue, are skipped). The first
  // violation, with the trace of the actions applied up to it.
  std::optional<Violation> Replay(const std::vector<Action>& trace, std::string* log = nullptr);
  // A shorter trace that still violates the same invariant.
  std::vector<Action> Shrink(const Violation& violation);
  // The trace replayed step by step, with what each step did.
  std::string Format(const std::vector<Action>& trace);
  // Tests: the cache key (Fingerprint) of the state `trace` reaches from the
  // fresh sessions (actions that do not apply are skipped).
  std::string FingerprintAfter(const std::vector<Action>& trace);

 private:
  class RoutedRandom : public crypto::Random {
   public:
    void Fill(MutableByteView out) override { target->Fill(out); }
    crypto::Random* target = nullptr;
  };
  struct Failure {
    std::string invariant, detail;
  };
  // What an executed action touched, to judge independence (sleep sets).
  struct Footprint {
    int actor = -1;
    int taken_from = -1;    // the inbox it removed a message from
    unsigned appended = 0;  // bit i: appended to party i's inbox
    int budget = -1;        // the budget kind it used
    bool special = false;   // reads or rewrites shared memory: replay, forge
  };
  struct Sleeping {
    Action action;
    Footprint footprint;
  };
  struct Seen {
    int depth = 0;                 // depth left when explored
    std::vector<Action> sleeping;  // actions not explored from it then
  };

  explicit Explorer(ExplorerConfig config) : config_(std::move(config)) {}
  Status Init();
  World Fresh(uint64_t seed);
  std::vector<Action> Prefix() const;
  bool Applies(World& w, const Action& a) const;
  std::vector<Action> Enabled(World& w);
  // Runs `a` on `w` and checks every invariant. `log`: a line per step.
  std::optional<Failure> Step(World& w, const Action& a, std::string* log,
                              Footprint* footprint = nullptr);
  // kTimePasses: the clock moves, then each party's session handles the
  // timeout (a kTimeout step each, judged as any other step).
  std::optional<Failure> PassTime(World& w, const Action& a, std::string* log,
                                  Footprint* footprint);
  bool Independent(const World& w, const Footprint& x, const Footprint& y) const;
  int IdentityOf(const std::optional<store::Fingerprint>& fp, int parties) const;
  int RouteOf(int actor, const std::string& text, int cause) const;
  std::optional<Failure> CheckWorld(World& w);
  std::string Label(int sender, const std::string& text, const Action& a,
                    const std::vector<table::RowTaken>& rows, const std::string& typed,
                    PartyState& p);
  std::string Fingerprint(World& w);
  void Dfs(World& w, std::vector<Action>& trace, int remaining, std::vector<Sleeping> sleep,
           const std::vector<Action>* only);

  ExplorerConfig config_;
  std::array<crypto::DsaPrivateKey, 3> keys_;
  std::array<store::Fingerprint, 3> identity_;  // each party's true key
  std::array<RoutedRandom, 3> routed_;
  std::array<std::vector<Wire>, 2> stale_;         // by receiver
  std::unordered_map<std::string, Seen> visited_;  // by fingerprint
  std::set<std::pair<int, size_t>> covered_;
  std::set<EventType> reported_;
  Stats stats_;
  std::optional<Violation> found_;
};

// Agreement on the parties' views (`identity`: each party's true key; the
// first two are the honest parties): an ENCRYPTED conversation of an honest
// party holds keys and the key of another party, and every conversation of
// another party holding keys of the same session id is the party it
// believes, itself ENCRYPTED with the first party's key (no identity
// misbinding, and no third party knows the session). Empty when it holds.
std::string CheckAgreement(const std::vector<PartyView>& views,
                           const std::vector<store::Fingerprint>& identity);

// The contract of Session::HandleTimeout / NextTimeout (issue 15, "Time is
// an input"), judged around one HandleTimeout(now) call: `due_before` and
// `due_after` are NextTimeout() before and after it, `out` what it returned.
// It acts only when NextTimeout() said something was due by `now`, and
// leaves nothing due by `now` (a caller looping on NextTimeout would spin).
// Empty when it holds.
std::string CheckTimeout(uint64_t now, std::optional<uint64_t> due_before, const Output& out,
                         std::optional<uint64_t> due_after);

// The usual test configurations; `name` is "ake", "established" or
// "smp-differ" (SMP with different secrets), optionally followed by "-v2"
// (both parties allow only version 2) and/or "-mallory" (a third
// participant, Mallory, who may start OTR once towards Alice or Bob, type
// once, and have two messages redirected).
ExplorerConfig NamedConfig(const std::string& name, const crypto::Backend& backend, int depth);

}  // namespace otr::model

#endif  // OTR_MODEL_EXPLORER_EXPLORER_H_

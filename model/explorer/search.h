// Pieces of the search shared by the v2/v3 explorer (explorer.h) and the v4
// one (v4_explorer.h): whether a recorded action still applies to a world,
// delta debugging of a violating trace, and the previous session whose
// messages become the stale pool.
#ifndef OTR_MODEL_EXPLORER_SEARCH_H_
#define OTR_MODEL_EXPLORER_SEARCH_H_

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/backend.h"
#include "model/explorer/world.h"

namespace otr::model {

struct Violation {
  std::string invariant;  // "integrity", "agreement", ...
  std::string detail;
  std::vector<Action> trace;  // from the two fresh sessions
};

using StalePool = std::array<std::vector<Wire>, 2>;  // by receiver

// What the v2/v3 explorer's and the v4 explorer's configurations share
// (ExplorerConfig, V4ExplorerConfig add their parties' policies and their own
// switches).
struct ExplorerConfigBase {
  const crypto::Backend* backend = nullptr;
  // A third legitimate participant, Mallory, with her own identity key and
  // instance tag, whose messages the network can deliver to Alice or Bob and
  // who receives what is addressed to her (or redirected to her).
  bool mallory = false;
  std::array<std::string, 2> smp_secret = {"the blue whale", "the blue whale"};
  // Start from an established session (the AKE or DAKE run in order is the
  // trace's prefix) rather than from fresh sessions.
  bool established = false;
  int depth = 4;  // actions explored after the start
  Budgets budgets;
  uint64_t max_states = 0;  // stop after this many distinct states (0: no limit)
  size_t window = 2;        // deliveries may take any of the first `window` queued
  size_t memory = 4;        // the attacker remembers the last `memory` messages
  // The seconds one kTimePasses action advances the clock (budgets.time of
  // them per path). The sessions keep SessionConfig's defaults, a heartbeat
  // after 60 s without sending and a held message kept 60 s: 61 s makes a
  // heartbeat due (now >= last sent + 60) and a held message expire (now >
  // typed + 60) in one step.
  int time_step = 61;
  uint64_t seed = 1;
  // A planted invariant (tests): a non-empty answer is a violation.
  std::function<std::string(World&)> extra_invariant;
};

// Takes `suffix` out of `name`; whether it was there.
bool StripSuffix(std::string& name, std::string_view suffix);

// The named configurations both explorers share. `name` without its
// "-mallory" (Mallory with one start, one send and `redirects` redirects):
// "ake" starts from fresh sessions; every other name starts established
// with one restart and two SMP steps, "smp-differ" with different secrets,
// no typing and four SMP steps. Returns `name` without the suffix.
std::string ApplySharedNamedConfig(const std::string& full_name, const crypto::Backend& backend,
                                   int depth, int redirects, ExplorerConfigBase& c);

// Whether `a` can run on `w` (a delivery needs its queued message, a replay
// its remembered one, ...); replays skip those that cannot.
bool ActionApplies(const World& w, const Action& a, const StalePool& stale);

// Every action enabled in `w` within the budgets `b` (`b.used` in w):
// deliveries of the first `window` queued messages, drops, duplicates,
// redirects to the third party, replays of the attacker's memory, stale
// messages, the users' actions (SMP only in ENCRYPTED, an answer only when
// asked), Mallory's, and time passing by `time_step` seconds.
std::vector<Action> EnabledActions(const World& w, const Budgets& b, size_t window, int time_step,
                                   const StalePool& stale);

// ddmin over `violation.trace`: a shorter trace for which `replay` still
// reports the same invariant (`replay` answers with the actions it applied).
std::vector<Action> ShrinkTrace(
    const Violation& violation,
    const std::function<std::optional<Violation>(const std::vector<Action>&)>& replay);

// The previous session of the same two clients: Alice starts, both type,
// SMP, Bob ends; every message delivered in order. `step` runs one action
// on `old` (false: an invariant broke); `keep` says which delivered
// messages join the stale pool. False if a step broke an invariant.
bool RunPreviousSession(World& old, const std::function<bool(World&, const Action&)>& step,
                        const std::function<bool(const Wire&)>& keep, StalePool& stale);

}  // namespace otr::model

#endif  // OTR_MODEL_EXPLORER_SEARCH_H_

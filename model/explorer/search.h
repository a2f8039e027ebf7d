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
#include <vector>

#include "model/explorer/world.h"

namespace otr::model {

struct Violation {
  std::string invariant;  // "integrity", "agreement", ...
  std::string detail;
  std::vector<Action> trace;  // from the two fresh sessions
};

using StalePool = std::array<std::vector<Wire>, 2>;  // by receiver

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

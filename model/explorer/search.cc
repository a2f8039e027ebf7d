#include "model/explorer/search.h"

#include <algorithm>

namespace otr::model {

bool ActionApplies(const World& w, const Action& a, const StalePool& stale) {
  if (a.party >= w.parties) return false;
  const PartyState& p = w.party[static_cast<size_t>(a.party)];
  switch (a.kind) {
    case ActionKind::kDeliver:
    case ActionKind::kRedirect:
      return static_cast<size_t>(a.index) < p.inbox.size();
    case ActionKind::kDrop:
    case ActionKind::kDuplicate:
      return !p.inbox.empty();
    case ActionKind::kReplay:
      return static_cast<size_t>(a.index) < w.memory.size();
    case ActionKind::kStale:
      return a.party < 2 &&
             static_cast<size_t>(a.index) < stale[static_cast<size_t>(a.party)].size();
    case ActionKind::kFetch:
      return w.offline.has_value();
    case ActionKind::kServerReplay:
      return w.offline && static_cast<size_t>(a.index) < w.offline->server_replies.size();
    default:
      return true;
  }
}

std::vector<Action> EnabledActions(const World& w, const Budgets& b, size_t window, int time_step,
                                   const StalePool& stale) {
  const Budgets& u = w.used;
  std::vector<Action> actions;
  for (int r = 0; r < w.parties; ++r) {
    const PartyState& p = w.party[static_cast<size_t>(r)];
    for (size_t i = 0; i < p.inbox.size() && i < window; ++i) {
      actions.push_back({ActionKind::kDeliver, r, static_cast<int>(i)});
    }
    if (!p.inbox.empty() && u.drop < b.drop) actions.push_back({ActionKind::kDrop, r});
    if (!p.inbox.empty() && u.duplicate < b.duplicate) {
      actions.push_back({ActionKind::kDuplicate, r});
    }
    if (w.parties == 3 && u.redirect < b.redirect) {
      for (size_t i = 0; i < p.inbox.size() && i < window; ++i) {
        actions.push_back({ActionKind::kRedirect, r, static_cast<int>(i)});
      }
    }
    if (u.replay < b.replay) {
      for (size_t j = 0; j < w.memory.size(); ++j) {
        actions.push_back({ActionKind::kReplay, r, static_cast<int>(j)});
      }
    }
    if (r < 2 && u.stale < b.stale) {
      for (size_t k = 0; k < stale[static_cast<size_t>(r)].size(); ++k) {
        actions.push_back({ActionKind::kStale, r, static_cast<int>(k)});
      }
    }
    if (r < 2 && u.forge < b.forge) actions.push_back({ActionKind::kForge, r});
  }
  for (int who = 0; who < 2; ++who) {
    if (u.start < b.start) actions.push_back({ActionKind::kStart, who});
    if (u.end < b.end) actions.push_back({ActionKind::kEnd, who});
    if (u.send < b.send) actions.push_back({ActionKind::kSend, who});
    // SMP user actions do nothing outside ENCRYPTED; a user answers only
    // when asked.
    if (u.smp < b.smp &&
        w.party[static_cast<size_t>(who)].session->state() == ConversationState::kEncrypted) {
      actions.push_back({ActionKind::kSmpStart, who});
      if (w.party[static_cast<size_t>(who)].asked_secret)
        actions.push_back({ActionKind::kSmpRespond, who});
      if (w.party[static_cast<size_t>(who)].session->view().smp == SmpProgress::kInProgress) {
        actions.push_back({ActionKind::kSmpAbort, who});
      }
    }
  }
  // Mallory addresses Alice or Bob.
  if (w.parties == 3) {
    for (int target = 0; target < 2; ++target) {
      if (u.mstart < b.mstart) actions.push_back({ActionKind::kStart, kMallory, target});
      if (u.msend < b.msend) actions.push_back({ActionKind::kSend, kMallory, target});
    }
    // Her SMP, as a user's (in ENCRYPTED, an answer only when asked), to
    // the peer of her conversation, and her ending it.
    const PartyState& m = w.party[kMallory];
    if (u.mend < b.mend) actions.push_back({ActionKind::kEnd, kMallory, m.peer});
    if (u.msmp < b.msmp && m.session->state() == ConversationState::kEncrypted) {
      actions.push_back({ActionKind::kSmpStart, kMallory, m.peer});
      if (m.asked_secret) actions.push_back({ActionKind::kSmpRespond, kMallory, m.peer});
      if (m.session->view().smp == SmpProgress::kInProgress) {
        actions.push_back({ActionKind::kSmpAbort, kMallory, m.peer});
      }
    }
  }
  // Alice's offline start, and the attacker answering her request with a
  // server answer it saw.
  if (w.offline) {
    if (u.fetch < b.fetch) actions.push_back({ActionKind::kFetch, 0});
    if (u.server_replay < b.server_replay) {
      for (size_t j = 0; j < w.offline->server_replies.size(); ++j) {
        actions.push_back({ActionKind::kServerReplay, 0, static_cast<int>(j)});
      }
    }
  }
  if (u.time < b.time) actions.push_back({ActionKind::kTimePasses, 0, time_step});
  return actions;
}

std::vector<Action> ShrinkTrace(
    const Violation& violation,
    const std::function<std::optional<Violation>(const std::vector<Action>&)>& replay) {
  std::vector<Action> best = violation.trace;
  auto still_fails = [&](const std::vector<Action>& candidate) -> std::optional<Violation> {
    auto v = replay(candidate);
    if (v && v->invariant == violation.invariant) return v;
    return std::nullopt;
  };
  if (auto v = still_fails(best)) best = v->trace;
  // ddmin: remove chunks, halving their size down to single actions.
  size_t chunks = 2;
  while (best.size() >= 2) {
    const size_t size = (best.size() + chunks - 1) / chunks;
    bool reduced = false;
    for (size_t start = 0; start < best.size(); start += size) {
      std::vector<Action> candidate(best.begin(), best.begin() + static_cast<long>(start));
      candidate.insert(candidate.end(),
                       best.begin() + static_cast<long>(std::min(best.size(), start + size)),
                       best.end());
      if (auto v = still_fails(candidate)) {
        best = v->trace;
        chunks = std::max<size_t>(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunks >= best.size()) break;
      chunks = std::min(best.size(), chunks * 2);
    }
  }
  return best;
}

bool RunPreviousSession(World& old, const std::function<bool(World&, const Action&)>& step,
                        const std::function<bool(const Wire&)>& keep, StalePool& stale) {
  const std::vector<Action> script = {
      {ActionKind::kStart, 0},    {ActionKind::kSend, 0},       {ActionKind::kSend, 1},
      {ActionKind::kSmpStart, 0}, {ActionKind::kSmpRespond, 1}, {ActionKind::kEnd, 1},
  };
  for (const Action& user : script) {
    if (!step(old, user)) return false;
    for (int quiet = 0; quiet < 2;) {
      quiet = 0;
      for (int r = 0; r < 2; ++r) {
        if (old.party[static_cast<size_t>(r)].inbox.empty()) {
          ++quiet;
          continue;
        }
        const Wire m = old.party[static_cast<size_t>(r)].inbox.front();
        if (keep(m)) stale[static_cast<size_t>(r)].push_back({m.text, "old " + m.label, m.sender});
        if (!step(old, {ActionKind::kDeliver, r, 0})) return false;
      }
    }
  }
  return true;
}

bool StripSuffix(std::string& name, std::string_view suffix) {
  const size_t at = name.find(suffix);
  if (at == std::string::npos) return false;
  name.erase(at, suffix.size());
  return true;
}

std::string ApplySharedNamedConfig(const std::string& full_name, const crypto::Backend& backend,
                                   int depth, int redirects, ExplorerConfigBase& c) {
  c.backend = &backend;
  c.depth = depth;
  std::string name = full_name;
  if (StripSuffix(name, "-mallory")) {
    c.mallory = true;
    c.budgets.mstart = 1;
    c.budgets.msend = 1;
    c.budgets.redirect = redirects;
  }
  if (name == "ake") return name;
  c.established = true;
  c.budgets.start = 1;
  c.budgets.smp = 2;
  if (name == "smp-differ") {
    c.smp_secret = {"the blue whale", "the red herring"};
    c.budgets.send = 0;
    c.budgets.smp = 4;
  }
  return name;
}

}  // namespace otr::model

#include "model/explorer/conformance.h"

#include <map>
#include <optional>

namespace otr::model {
namespace {

std::string_view MachineName(Machine m) {
  switch (m) {
    case Machine::kMessage:
      return "message";
    case Machine::kAuth:
      return "auth";
    case Machine::kSmp:
      return "smp";
  }
  return "?";
}

// The row's (from, event, to), its guard as "is it a policy flag, and does it
// hold", and the index of the first row of its (from, event) pair.
struct RowFacts {
  size_t from = 0, event = 0, to = 0;
  std::string state_name, event_name, to_name;
};

template <typename RowT>
RowFacts Facts(std::span<const RowT> rows, size_t i) {
  const RowT& row = rows[i];
  return RowFacts{static_cast<size_t>(row.from), static_cast<size_t>(row.event),
                  static_cast<size_t>(row.to),   std::string(Name(row.from)),
                  std::string(Name(row.event)),  std::string(Name(row.to))};
}

RowFacts FactsOf(Machine m, size_t i) {
  switch (m) {
    case Machine::kMessage:
      return Facts(v3::kMessageTable, i);
    case Machine::kAuth:
      return Facts(v3::kAuthTable, i);
    case Machine::kSmp:
      return Facts(smp::kSmpTable, i);
  }
  return {};
}

// Message-table guards that depend only on the policy: whether they hold.
std::optional<bool> PolicyGuard(v3::MessageGuard g, const Policy& policy) {
  switch (g) {
    case v3::MessageGuard::kRequireEncryption:
      return policy.require_encryption;
    case v3::MessageGuard::kErrorStartAke:
      return policy.error_start_ake;
    default:
      return std::nullopt;
  }
}

size_t StateOf(const ConversationView& c, Machine m) {
  switch (m) {
    case Machine::kMessage:
      return static_cast<size_t>(c.message);
    case Machine::kAuth:
      return static_cast<size_t>(c.auth);
    case Machine::kSmp:
      return static_cast<size_t>(c.smp);
  }
  return 0;
}

std::string StateName(Machine m, size_t s) {
  switch (m) {
    case Machine::kMessage:
      return std::string(Name(static_cast<v3::MessageState>(s)));
    case Machine::kAuth:
      return std::string(Name(static_cast<v3::AuthState>(s)));
    case Machine::kSmp:
      return std::string(Name(static_cast<smp::SmpState>(s)));
  }
  return "?";
}

}  // namespace

Machine MachineOf(const table::Machine* machine) {
  if (machine == &v3::kAuthMachine) return Machine::kAuth;
  if (machine == &smp::kSmpMachine) return Machine::kSmp;
  return Machine::kMessage;
}

size_t TableSize(Machine machine) {
  switch (machine) {
    case Machine::kMessage:
      return v3::kMessageTable.size();
    case Machine::kAuth:
      return v3::kAuthTable.size();
    case Machine::kSmp:
      return smp::kSmpTable.size();
  }
  return 0;
}

std::string RowText(const table::RowTaken& t) {
  std::string text =
      std::string(MachineName(MachineOf(t.machine))) + " row " + std::to_string(t.row);
  if (t.row >= TableSize(MachineOf(t.machine))) return text + " (not in the table)";
  const RowFacts f = FactsOf(MachineOf(t.machine), t.row);
  return text + " (" + f.state_name + ", " + f.event_name + ") -> " + f.to_name;
}

std::string CheckConformance(const std::vector<table::RowTaken>& rows, const PartyView& before,
                             const PartyView& after, const Policy& policy) {
  // Each reported row is the table's row for what the engine did.
  for (const table::RowTaken& t : rows) {
    if (t.row >= TableSize(MachineOf(t.machine))) return RowText(t) + ": no such row";
    const RowFacts f = FactsOf(MachineOf(t.machine), t.row);
    if (f.from != t.from || f.event != t.event) {
      return RowText(t) + ": selected for (" + StateName(MachineOf(t.machine), t.from) +
             ", event " + std::to_string(t.event) + "), not its pair";
    }
    if (f.to != t.to) {
      return RowText(t) + ": the engine holds " + StateName(MachineOf(t.machine), t.to) +
             " afterwards";
    }
    if (MachineOf(t.machine) == Machine::kMessage) {
      // The first row of the pair whose guard holds: policy guards can be
      // judged here; a row skipped although its policy guard held, or taken
      // although it did not hold, is a divergence.
      for (size_t i = 0; i <= t.row; ++i) {
        const v3::MessageRow& r = v3::kMessageTable[i];
        if (static_cast<size_t>(r.from) != t.from || static_cast<size_t>(r.event) != t.event) {
          continue;
        }
        const std::optional<bool> holds = PolicyGuard(r.guard, policy);
        if (!holds) continue;
        if (i < t.row && *holds) {
          return RowText(t) + ": row " + std::to_string(i) + " comes first and its guard " +
                 std::string(Name(r.guard)) + " holds";
        }
        if (i == t.row && !*holds) {
          return RowText(t) + ": its guard " + std::string(Name(r.guard)) + " does not hold";
        }
      }
    }
  }
  // Rows of one machine instance chain: each starts where the previous ended.
  std::map<std::pair<Machine, const void*>, std::pair<size_t, size_t>> chains;  // first, last
  for (const table::RowTaken& t : rows) {
    auto key = std::make_pair(MachineOf(t.machine), t.owner);
    auto it = chains.find(key);
    if (it == chains.end()) {
      chains.emplace(key, std::make_pair(t.from, t.to));
      continue;
    }
    if (it->second.second != t.from) {
      return RowText(t) + ": the machine was in " +
             StateName(MachineOf(t.machine), it->second.second) +
             " after its previous row (a state change outside the table)";
    }
    it->second.second = t.to;
  }
  // Every state change is explained by a chain of rows.
  auto find_before = [&](wire::InstanceTag tag) -> const ConversationView* {
    for (const ConversationView& c : before.conversations) {
      if (c.tag == tag) return &c;
    }
    return nullptr;
  };
  const ConversationView* master = find_before(wire::kNoInstanceTag);
  for (const ConversationView& now : after.conversations) {
    const ConversationView* old = find_before(now.tag);
    // A conversation made in this step starts fresh (decision 0006); a D-H
    // Key may then copy the master's exchange.
    const ConversationView fresh{};
    if (old == nullptr) old = &fresh;
    for (Machine m : {Machine::kMessage, Machine::kAuth, Machine::kSmp}) {
      const size_t from = StateOf(*old, m), to = StateOf(now, m);
      if (from == to) continue;
      bool explained = false;
      for (const auto& [key, ends] : chains) {
        if (key.first != m || ends.second != to) continue;
        if (ends.first == from) explained = true;
        // docs/decisions/0006: an instance takes over the master's exchange
        // (AKE state copied) before a D-H Key runs a row.
        if (m == Machine::kAuth && master != nullptr &&
            master->auth == v3::AuthState::kAwaitingDhKey &&
            ends.first == static_cast<size_t>(v3::AuthState::kAwaitingDhKey)) {
          explained = true;
        }
      }
      if (!explained) {
        return "conversation " + std::to_string(now.tag) + ": " + std::string(MachineName(m)) +
               " state " + StateName(m, from) + " -> " + StateName(m, to) + " without a row";
      }
    }
  }
  return {};
}

}  // namespace otr::model

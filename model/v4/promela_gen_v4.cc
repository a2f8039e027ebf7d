// Emits the Promela transition relation of the OTRv4 engine from its own
// constexpr table (protocol/v4/state/conversation_table.h), so that the
// model SPIN checks is the machine the code runs (issue 21), as
// model/promela_gen.cc does for v2/v3. It writes
//   - the states and events as #defines (PS_*, PE_*),
//   - proto_run(p, ev) and one proto_run_<state>(p, ev) per state: one
//     option per (state, event) pair whose rows form an if/else chain in
//     table order (table::Select), the row's actions in order, then its next
//     state; a pair without a row that fires leaves prow 0 and the model
//     asserts it.
// Guards and actions become G_P_<id>(p) and A_P_<id>(p); their symbolic
// meaning is in model/v4/otr4.pml. Every row of the table is emitted, so rows
// added later (the non-interactive DAKE, issue 18) flow in; a guard or action
// without a meaning in otr4.pml makes `spin -a` fail.
//
// --spec-identity emits a VARIANT of the table that follows otrv4.md
// "Receiving an Identity Message" literally for ENCRYPTED_MESSAGES ("Reply
// with an Auth-R message. Transition to the WAITING_AUTH_I state") instead
// of decision 0010's ENCRYPTED_MESSAGES-with-a-new-DAKE state. It exists only
// for the model (spin_test_v4.sh finds the replay it allows).
// --legend prints one line per row instead of Promela (for reading trails).
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/smp/smp_table.h"
#include "protocol/v4/state/conversation_table.h"

namespace otr::model {
namespace {

#define OTR_MODEL_ID_(id, label) #id,
constexpr std::string_view kStateIds[] = {OTR_V4_PROTOCOL_STATES(OTR_MODEL_ID_)};
constexpr std::string_view kEventIds[] = {OTR_V4_PROTOCOL_EVENTS(OTR_MODEL_ID_)};
constexpr std::string_view kGuardIds[] = {OTR_V4_PROTOCOL_GUARDS(OTR_MODEL_ID_)};
constexpr std::string_view kActionIds[] = {OTR_V4_PROTOCOL_ACTIONS(OTR_MODEL_ID_)};
constexpr std::string_view kSmpStateIds[] = {OTR_SMP_STATES(OTR_MODEL_ID_)};
constexpr std::string_view kSmpEventIds[] = {OTR_SMP_EVENTS(OTR_MODEL_ID_)};
constexpr std::string_view kSmpGuardIds[] = {OTR_SMP_GUARDS(OTR_MODEL_ID_)};
constexpr std::string_view kSmpActionIds[] = {OTR_SMP_ACTIONS(OTR_MODEL_ID_)};
#undef OTR_MODEL_ID_

using v4::ProtocolAction;
using v4::ProtocolEvent;
using v4::ProtocolGuard;
using v4::ProtocolRow;
using v4::ProtocolState;

template <typename E, size_t N>
std::string Id(const std::string_view (&ids)[N], E value) {
  static_assert(N == static_cast<size_t>(E::kCount));
  return std::string(ids[static_cast<size_t>(value)]);
}

constexpr char kSpecIdentity[] =
    "MODEL VARIANT: otrv4.md Receiving an Identity Message, ENCRYPTED_MESSAGES, read literally "
    "(reply with Auth-R, WAITING_AUTH_I: the conversation is gone)";

// The engine's rows, or the variant: the row that keeps the conversation on a
// valid Identity message in ENCRYPTED_MESSAGES goes to WAITING_AUTH_I.
std::vector<ProtocolRow> Rows(bool spec_identity, bool* replaced) {
  std::vector<ProtocolRow> rows(v4::kProtocolTable.begin(), v4::kProtocolTable.end());
  *replaced = false;
  if (!spec_identity) return rows;
  for (ProtocolRow& row : rows) {
    if (row.from == ProtocolState::kEncrypted && row.event == ProtocolEvent::kIdentity &&
        row.guard == ProtocolGuard::kIdentityValid) {
      // WAITING_AUTH_I holds no conversation: only ENCRYPTED_MESSAGES has a
      // ratchet to send and read with ("Sending a Data Message").
      row.actions = {};
      row.actions[0] = ProtocolAction::kForgetConversation;
      row.actions[1] = ProtocolAction::kSendAuthR;
      row.to = ProtocolState::kWaitingAuthI;
      row.spec = kSpecIdentity;
      *replaced = true;
    }
  }
  return rows;
}

template <size_t N>
void EmitDefines(std::string_view prefix, const std::string_view (&ids)[N]) {
  for (size_t i = 0; i < N; ++i) {
    std::printf("#define %.*s%.*s %zu\n", int(prefix.size()), prefix.data(), int(ids[i].size()),
                ids[i].data(), i);
  }
  std::printf("#define %.*sCOUNT %zu\n\n", int(prefix.size()), prefix.data(), N);
}

// The names one table's Promela uses: the protocol table's proto_run,
// prow, pstate, PS_/PE_, G_P_/A_P_; the SMP table's smp_run, srow,
// smpstate, SS_/SE_, G_SMP_/A_SMP_.
struct Names {
  const char* run;
  const char* row;
  const char* state;
  const char* state_prefix;
  const char* event_prefix;
  const char* guard_prefix;
  const char* action_prefix;
};
constexpr Names kProtocolNames{"proto_run", "prow", "pstate", "PS_", "PE_", "G_P_", "A_P_"};
constexpr Names kSmpNames{"smp_run", "srow", "smpstate", "SS_", "SE_", "G_SMP_", "A_SMP_"};

template <typename Row, size_t NS, size_t NA>
std::string Branch(const Names& n, int number, const Row& row,
                   const std::string_view (&state_ids)[NS],
                   const std::string_view (&action_ids)[NA]) {
  std::string b = std::string(n.row) + " = " + std::to_string(number);
  for (auto action : row.actions) {
    if (static_cast<size_t>(action) == 0) continue;  // kNone
    b += "; " + std::string(n.action_prefix) + Id(action_ids, action) + "(p)";
  }
  return b + "; " + n.state + "[p] = " + n.state_prefix + Id(state_ids, row.to);
}

std::string Legend(int number, const ProtocolRow& row) {
  std::string acts;
  for (auto action : row.actions) {
    if (action == ProtocolAction::kNone) continue;
    if (!acts.empty()) acts += ", ";
    acts += v4::Name(action);
  }
  return "proto " + std::to_string(number) + ": " + std::string(v4::Name(row.from)) + " | " +
         std::string(v4::Name(row.event)) + " | " + std::string(v4::Name(row.guard)) + " | " +
         (acts.empty() ? "-" : acts) + " | " + std::string(v4::Name(row.to)) + " | " +
         std::string(row.spec);
}

std::string SmpLegend(int number, const smp::SmpRow& row) {
  std::string acts;
  for (auto action : row.actions) {
    if (action == smp::SmpAction::kNone) continue;
    if (!acts.empty()) acts += ", ";
    acts += smp::Name(action);
  }
  return "smp " + std::to_string(number) + ": " + std::string(smp::Name(row.from)) + " | " +
         std::string(smp::Name(row.event)) + " | " + std::string(smp::Name(row.guard)) + " | " +
         (acts.empty() ? "-" : acts) + " | " + std::string(smp::Name(row.to)) + " | " +
         std::string(row.spec);
}

// <run>_<state>(p, ev): one option per event of that state; inside it
// the pair's rows in table order as an if/else chain, so the first row whose
// guard holds runs (table::Select), its actions in order, then its next
// state. <run>(p, ev) picks the state's inline, each in its own d_step
// (SPIN bounds the length of one d_step sequence). A pair without a row that
// fires leaves the row variable 0, which the assertion reports.
template <typename Row, size_t NS, size_t NE, size_t NG, size_t NA>
void EmitRun(const Names& n, const std::vector<Row>& rows, const std::string_view (&state_ids)[NS],
             const std::string_view (&event_ids)[NE], const std::string_view (&guard_ids)[NG],
             const std::string_view (&action_ids)[NA]) {
  const std::string run = n.run;
  for (size_t s = 0; s < NS; ++s) {
    std::string out = "inline " + run + "_" + std::string(state_ids[s]) + "(p, ev) {\n  if\n";
    for (size_t e = 0; e < NE; ++e) {
      std::vector<int> chain;  // row numbers (1-based) of the pair, in order
      for (size_t i = 0; i < rows.size(); ++i) {
        if (static_cast<size_t>(rows[i].from) == s && static_cast<size_t>(rows[i].event) == e) {
          chain.push_back(static_cast<int>(i) + 1);
        }
      }
      if (chain.empty()) continue;
      out += "  :: ev == " + std::string(n.event_prefix) + std::string(event_ids[e]) + " ->\n";
      std::string indent = "     ";
      int open = 0;
      for (size_t i = 0; i < chain.size(); ++i) {
        const Row& r = rows[chain[i] - 1];
        if (static_cast<size_t>(r.guard) == 0) {  // kAlways
          out += indent + Branch(n, chain[i], r, state_ids, action_ids) + "\n";
          break;
        }
        out += indent + "if\n" + indent + ":: " + n.guard_prefix + Id(guard_ids, r.guard) +
               "(p) -> " + Branch(n, chain[i], r, state_ids, action_ids) + "\n" + indent +
               ":: else ->\n";
        ++open;
        indent += "   ";
        if (i + 1 == chain.size()) out += indent + "skip /* no row: unhandled */\n";
      }
      for (; open > 0; --open) {
        indent.resize(indent.size() - 3);
        out += indent + "fi\n";
      }
    }
    out += "  :: else -> skip /* no row: unhandled */\n  fi\n}\n\n";
    std::fputs(out.c_str(), stdout);
  }
  std::string all = "inline " + run + "(p, ev) {\n  " + n.row + " = 0;\n  if\n";
  for (size_t s = 0; s < NS; ++s) {
    all += "  :: " + std::string(n.state) + "[p] == " + n.state_prefix + std::string(state_ids[s]) +
           " -> d_step { " + run + "_" + std::string(state_ids[s]) + "(p, ev) }\n";
  }
  all +=
      "  fi;\n  assert(" + std::string(n.row) + " != 0) /* unhandled (state, event) pair */\n}\n\n";
  std::fputs(all.c_str(), stdout);
}

int Main(bool legend, bool spec_identity) {
  bool replaced = false;
  const std::vector<ProtocolRow> rows = Rows(spec_identity, &replaced);
  if (spec_identity && !replaced) {
    std::fprintf(stderr,
                 "promela_gen_v4: no (ENCRYPTED_MESSAGES, Identity, kIdentityValid) row to vary\n");
    return 1;
  }
  if (legend) {
    for (size_t i = 0; i < rows.size(); ++i) {
      std::printf("%s\n", Legend(static_cast<int>(i) + 1, rows[i]).c_str());
    }
    for (size_t i = 0; i < smp::kSmpTable.size(); ++i) {
      std::printf("%s\n", SmpLegend(static_cast<int>(i) + 1, smp::kSmpTable[i]).c_str());
    }
    return 0;
  }
  std::printf(
      "/* Generated by //model/v4:promela_gen_v4 from\n"
      " * protocol/v4/state/conversation_table.h%s. Do not edit: change the table.\n"
      " * Included twice by otr4.pml: first the names, then (with\n"
      " * OTR_TABLE_INLINES) the transition relation. */\n\n"
      "#ifndef OTR_TABLE_INLINES\n",
      spec_identity ? " (VARIANT --spec-identity)" : "");
  EmitDefines("PS_", kStateIds);
  EmitDefines("PE_", kEventIds);
  EmitDefines("SS_", kSmpStateIds);
  EmitDefines("SE_", kSmpEventIds);
  std::printf(
      "#define PROTOCOL_ROWS %zu\n#define SMP_ROWS %zu\n#define SPEC_IDENTITY_VARIANT %d\n\n",
      rows.size(), smp::kSmpTable.size(), spec_identity ? 1 : 0);
  std::printf("#define G_P_kAlways(p) 1\n#define G_SMP_kAlways(p) 1\n\n#else\n\n");
  EmitRun(kProtocolNames, rows, kStateIds, kEventIds, kGuardIds, kActionIds);
  // The version-neutral SMP table (protocol/smp/smp_table.h: "OTRv4 does
  // not change the state machine for SMP").
  const std::vector<smp::SmpRow> smp_rows(smp::kSmpTable.begin(), smp::kSmpTable.end());
  EmitRun(kSmpNames, smp_rows, kSmpStateIds, kSmpEventIds, kSmpGuardIds, kSmpActionIds);
  std::printf("#endif /* OTR_TABLE_INLINES */\n");
  return 0;
}

}  // namespace
}  // namespace otr::model

int main(int argc, char** argv) {
  bool legend = false;
  bool spec_identity = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg == "--legend") {
      legend = true;
    } else if (arg == "--spec-identity") {
      spec_identity = true;
    } else {
      std::fprintf(stderr, "usage: promela_gen_v4 [--legend] [--spec-identity]\n");
      return 2;
    }
  }
  return otr::model::Main(legend, spec_identity);
}

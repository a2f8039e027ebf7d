// Emits the Promela transition relation of the v2/v3 engine from its own
// constexpr tables (protocol/v3/state/*_table.h), so that the model SPIN
// checks is the machine the code runs (issue 6). For each table it writes
//   - the states and events as #defines,
//   - <machine>_select(p, ev): the first row for (state, event) whose guard
//     holds, exactly as table::Select picks it, into a row variable,
//   - <machine>_run(p, ev): asserts a row was found (no unhandled pair),
//     performs the row's actions in order and moves to its next state.
// Guards and actions become macros G_<MACHINE>_<id>(p) and inlines
// A_<MACHINE>_<id>(p); their symbolic meaning is in model/otr.pml. The spec's
// v1 rows (model/v1_spec_table.h) come first under #ifdef SPEC_ALLOW_V1.
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/v1_spec_table.h"
#include "protocol/smp/smp_table.h"
#include "protocol/v3/state/auth_table.h"
#include "protocol/v3/state/message_table.h"

namespace otr::model {
namespace {

// The enum identifiers (kAwaitingDhKey, ...) from the same X-macro lists the
// tables are declared with.
#define OTR_MODEL_ID_(id, label) #id,
constexpr std::string_view kMessageStateIds[] = {OTR_V3_MESSAGE_STATES(OTR_MODEL_ID_)};
constexpr std::string_view kMessageEventIds[] = {OTR_V3_MESSAGE_EVENTS(OTR_MODEL_ID_)};
constexpr std::string_view kMessageGuardIds[] = {OTR_V3_MESSAGE_GUARDS(OTR_MODEL_ID_)};
constexpr std::string_view kMessageActionIds[] = {OTR_V3_MESSAGE_ACTIONS(OTR_MODEL_ID_)};
constexpr std::string_view kAuthStateIds[] = {OTR_V3_AUTH_STATES(OTR_MODEL_ID_)};
constexpr std::string_view kAuthEventIds[] = {OTR_V3_AUTH_EVENTS(OTR_MODEL_ID_)};
constexpr std::string_view kAuthGuardIds[] = {OTR_V3_AUTH_GUARDS(OTR_MODEL_ID_)};
constexpr std::string_view kAuthActionIds[] = {OTR_V3_AUTH_ACTIONS(OTR_MODEL_ID_)};
constexpr std::string_view kSmpStateIds[] = {OTR_SMP_STATES(OTR_MODEL_ID_)};
constexpr std::string_view kSmpEventIds[] = {OTR_SMP_EVENTS(OTR_MODEL_ID_)};
constexpr std::string_view kSmpGuardIds[] = {OTR_SMP_GUARDS(OTR_MODEL_ID_)};
constexpr std::string_view kSmpActionIds[] = {OTR_SMP_ACTIONS(OTR_MODEL_ID_)};
constexpr std::string_view kV1GuardIds[] = {OTR_MODEL_V1_GUARDS(OTR_MODEL_ID_)};
constexpr std::string_view kV1ActionIds[] = {OTR_MODEL_V1_ACTIONS(OTR_MODEL_ID_)};
#undef OTR_MODEL_ID_

// How one machine is spelled in Promela.
struct Machine {
  std::string_view name;          // "msg": msg_select, msg_run, mrow
  std::string_view row_var;       // the caller's row variable
  std::string_view state_var;     // the global array indexed by party
  std::string_view state_prefix;  // "MS_"
  std::string_view event_prefix;  // "ME_"
  std::string_view macro;         // "MSG": G_MSG_x, A_MSG_x
};

constexpr Machine kMessage{"msg", "mrow", "msgstate", "MS_", "ME_", "MSG"};
constexpr Machine kAuth{"auth", "arow", "authstate", "AS_", "AE_", "AUTH"};
constexpr Machine kSmp{"smp", "srow", "smpstate", "SS_", "SE_", "SMP"};

template <typename E, size_t N>
std::string_view Id(const std::string_view (&ids)[N], E value) {
  static_assert(N == static_cast<size_t>(E::kCount));
  return ids[static_cast<size_t>(value)];
}

template <size_t N>
void EmitDefines(std::string_view prefix, const std::string_view (&ids)[N]) {
  for (size_t i = 0; i < N; ++i) {
    std::printf("#define %.*s%.*s %zu\n", int(prefix.size()), prefix.data(), int(ids[i].size()),
                ids[i].data(), i);
  }
  std::printf("#define %.*sCOUNT %zu\n\n", int(prefix.size()), prefix.data(), N);
}

// One row: its (state, event), its guard and its actions in Promela.
struct RowText {
  int number;
  size_t from;
  size_t event;
  std::string guard;   // a Promela expression
  std::string branch;  // row number, actions and next state
  std::string legend;  // the row in words, for reading trails
};

template <typename RowT, size_t NS, size_t NG, size_t NA>
RowText Render(const Machine& m, std::string_view macro, int number, const RowT& row,
               const std::string_view (&states)[NS], const std::string_view (&guards)[NG],
               const std::string_view (&actions)[NA]) {
  RowText t;
  t.number = number;
  t.from = static_cast<size_t>(row.from);
  t.event = static_cast<size_t>(row.event);
  t.guard = "G_" + std::string(macro) + "_" + std::string(Id(guards, row.guard)) + "(p)";
  t.branch = std::string(m.row_var) + " = " + std::to_string(number);
  for (auto action : row.actions) {
    if (static_cast<int>(action) == 0) continue;  // kNone padding
    t.branch += "; A_" + std::string(macro) + "_" + std::string(Id(actions, action)) + "(p)";
  }
  t.branch += "; " + std::string(m.state_var) + "[p] = " + std::string(m.state_prefix) +
              std::string(Id(states, row.to));
  std::string acts;
  for (auto action : row.actions) {
    if (static_cast<int>(action) == 0) continue;
    if (!acts.empty()) acts += ", ";
    acts += Name(action);
  }
  t.legend = std::string(m.name) + " " + std::to_string(number) + ": " +
             std::string(Name(row.from)) + " | " + std::string(Name(row.event)) + " | " +
             std::string(Name(row.guard)) + " | " + (acts.empty() ? "-" : acts) + " | " +
             std::string(Name(row.to)) + " | " + std::string(row.spec);
  return t;
}

// <machine>_run(p, ev): one option per (state, event) pair; inside it the
// pair's rows in table order as an if/else chain, so the first row whose
// guard holds runs (table::Select), its actions in order, then its next
// state. A pair without an unguarded last row leaves the row variable 0,
// which the assertion reports as an unhandled (state, event) pair.
template <size_t NS, size_t NE>
void EmitRun(const Machine& m, const std::string_view (&states)[NS],
             const std::string_view (&events)[NE], std::span<const RowText> v1,
             std::span<const RowText> rows) {
  std::string out = "inline " + std::string(m.name) + "_run(p, ev) {\n  " + std::string(m.row_var) +
                    " = 0;\n  if\n";
  for (size_t s = 0; s < NS; ++s) {
    for (size_t e = 0; e < NE; ++e) {
      std::vector<std::pair<const RowText*, bool>> chain;  // row, is a v1 row
      for (const RowText& r : v1) {
        if (r.from == s && r.event == e) chain.push_back({&r, true});
      }
      for (const RowText& r : rows) {
        if (r.from == s && r.event == e) chain.push_back({&r, false});
      }
      if (chain.empty()) continue;
      out += "  :: " + std::string(m.state_var) + "[p] == " + std::string(m.state_prefix) +
             std::string(states[s]) + " && ev == " + std::string(m.event_prefix) +
             std::string(events[e]) + " ->\n";
      std::string indent = "     ";
      int open = 0;
      for (size_t i = 0; i < chain.size(); ++i) {
        const RowText& r = *chain[i].first;
        const std::string guard = chain[i].second ? "SPEC_V1 && " + r.guard : r.guard;
        const bool unguarded = !chain[i].second && r.guard.find("_kAlways(") != std::string::npos;
        if (unguarded) {
          out += indent + r.branch + "\n";
          break;
        }
        out += indent + "if\n" + indent + ":: " + guard + " -> " + r.branch + "\n" + indent +
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
  }
  out += "  :: else -> skip /* no row: unhandled */\n  fi;\n";
  out += "  assert(" + std::string(m.row_var) + " != 0) /* unhandled (state, event) pair */\n}\n\n";
  std::fputs(out.c_str(), stdout);
}

template <typename RowT, size_t NS, size_t NG, size_t NA>
std::vector<RowText> RenderAll(const Machine& m, std::span<const RowT> table,
                               const std::string_view (&states)[NS],
                               const std::string_view (&guards)[NG],
                               const std::string_view (&actions)[NA]) {
  std::vector<RowText> rows;
  int number = 1;
  for (const RowT& row : table) {
    rows.push_back(Render(m, m.macro, number++, row, states, guards, actions));
  }
  return rows;
}

// The model runs a row's call into the AKE (kStartAke) after the row's
// other actions; that is the engine's order only while kStartAke is the
// last action of every message row.
bool StartAkeIsLast() {
  for (const v3::MessageRow& row : v3::kMessageTable) {
    bool seen = false;
    for (auto action : row.actions) {
      if (seen && action != v3::MessageAction::kNone) return false;
      if (action == v3::MessageAction::kStartAke) seen = true;
    }
  }
  return true;
}

int Main(bool legend) {
  if (!StartAkeIsLast()) {
    std::fprintf(stderr, "promela_gen: a message row has an action after kStartAke\n");
    return 1;
  }
  const auto msg =
      RenderAll(kMessage, v3::kMessageTable, kMessageStateIds, kMessageGuardIds, kMessageActionIds);
  const auto auth = RenderAll(kAuth, v3::kAuthTable, kAuthStateIds, kAuthGuardIds, kAuthActionIds);
  const auto smp = RenderAll(kSmp, smp::kSmpTable, kSmpStateIds, kSmpGuardIds, kSmpActionIds);
  std::vector<RowText> v1;
  int number = 101;  // v1 rows are numbered apart from the engine's rows
  for (const V1Row& row : kV1Table) {
    v1.push_back(Render(kAuth, "V1", number++, row, kAuthStateIds, kV1GuardIds, kV1ActionIds));
  }
  if (legend) {
    const std::vector<RowText>* all[] = {&msg, &auth, &v1, &smp};
    for (const auto* rows : all) {
      for (const RowText& r : *rows) std::printf("%s\n", r.legend.c_str());
    }
    return 0;
  }

  std::printf(
      "/* Generated by //model:promela_gen from protocol/v3/state/*_table.h and\n"
      " * model/v1_spec_table.h. Do not edit: change the tables.\n"
      " * Included twice by otr.pml: first the names, then (with\n"
      " * OTR_TABLE_INLINES) the transition relation. */\n\n"
      "#ifndef OTR_TABLE_INLINES\n");
  EmitDefines("MS_", kMessageStateIds);
  EmitDefines("ME_", kMessageEventIds);
  EmitDefines("AS_", kAuthStateIds);
  EmitDefines("AE_", kAuthEventIds);
  EmitDefines("SS_", kSmpStateIds);
  EmitDefines("SE_", kSmpEventIds);
  std::printf("#define MESSAGE_ROWS %zu\n#define AUTH_ROWS %zu\n#define SMP_ROWS %zu\n\n",
              v3::kMessageTable.size(), v3::kAuthTable.size(), smp::kSmpTable.size());
  // Guard 0 is kAlways in every table (CheckTable's convention).
  std::printf(
      "#define G_MSG_kAlways(p) 1\n#define G_AUTH_kAlways(p) 1\n#define G_SMP_kAlways(p) 1\n"
      "#define G_V1_kAlways(p) 1\n\n"
      "#ifdef SPEC_ALLOW_V1\n#define SPEC_V1 1\n#else\n#define SPEC_V1 0\n#endif\n\n");
  std::printf("#else\n\n");
  EmitRun(kMessage, kMessageStateIds, kMessageEventIds, {}, msg);
  EmitRun(kAuth, kAuthStateIds, kAuthEventIds, v1, auth);
  EmitRun(kSmp, kSmpStateIds, kSmpEventIds, {}, smp);
  std::printf("#endif /* OTR_TABLE_INLINES */\n");
  return 0;
}

}  // namespace
}  // namespace otr::model

// With --legend, prints one line per row (machine, number, row in words)
// instead of Promela: model/trail.sh uses it to make trails readable.
int main(int argc, char** argv) {
  const bool legend = argc > 1 && std::string_view(argv[1]) == "--legend";
  return otr::model::Main(legend);
}

// Typed transition tables (DESIGN.md principle 2, "The table is the machine").
//
// A protocol state machine is a constexpr array of rows
//   (state, event) -> guard, actions, next state
// each citing the spec section it mirrors. The engine only executes rows: it
// finds the first row for the current (state, event) whose guard holds, runs
// its actions in order and moves to its next state. The same arrays are
// exported to markdown (docs/) and to Promela (model/).
//
// Enumerations used in a table follow two conventions, checked at compile
// time by CheckTable: Guard::kAlways and Action::kNone are the value 0, and
// every enum has a kCount sentinel after its last value.
#ifndef OTR_PROTOCOL_TABLE_TABLE_H_
#define OTR_PROTOCOL_TABLE_TABLE_H_

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace otr::table {

// kMaxActions is each table's own: the longest row of that machine.
template <typename State, typename Event, typename Guard, typename Action, size_t kMaxActions>
struct Row {
  using StateType = State;
  using EventType = Event;
  using GuardType = Guard;
  using ActionType = Action;
  State from;
  Event event;
  Guard guard;
  std::array<Action, kMaxActions> actions;  // padded with Action::kNone
  State to;
  std::string_view spec;  // the section of the specification this row mirrors
};

template <typename E>
constexpr size_t EnumCount() {
  return static_cast<size_t>(E::kCount);
}

// The first row for (state, event) whose guard holds, or nullptr. `holds` is
// called with each candidate guard in table order, so guards later in the
// table are not evaluated once an earlier one holds.
template <typename RowT, typename State, typename Event, typename GuardFn>
constexpr const RowT* Select(std::span<const RowT> table, State state, Event event,
                             GuardFn&& holds) {
  for (const RowT& row : table) {
    if (row.from == state && row.event == event && holds(row.guard)) return &row;
  }
  return nullptr;
}

// Structural checks every table must pass (static_assert'ed next to each
// table): every (state, event) pair has rows, and the last row of each pair
// is unguarded, so Select never returns nullptr; no row follows an
// unguarded row of the same pair (it could never fire).
template <typename RowT, typename State, typename Event, typename Guard>
constexpr bool IsTotal(std::span<const RowT> table) {
  for (size_t s = 0; s < EnumCount<State>(); ++s) {
    for (size_t e = 0; e < EnumCount<Event>(); ++e) {
      bool seen = false;
      bool closed = false;
      for (const RowT& row : table) {
        if (static_cast<size_t>(row.from) != s || static_cast<size_t>(row.event) != e) continue;
        if (closed) return false;  // unreachable row
        seen = true;
        if (row.guard == Guard::kAlways) closed = true;
      }
      if (!seen || !closed) return false;
    }
  }
  return true;
}

}  // namespace otr::table

#endif  // OTR_PROTOCOL_TABLE_TABLE_H_

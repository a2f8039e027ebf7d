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
#include <vector>

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

// Select over an index of the table by (state, event): the same row, without
// reading the rows of other pairs (the v4 engine selects a row per message;
// a scan of its table cost more than its data message's own work beside the
// crypto, issue 20). Build it once per table (a function-local static).
template <typename RowT>
class RowIndex {
 public:
  using State = typename RowT::StateType;
  using Event = typename RowT::EventType;

  explicit RowIndex(std::span<const RowT> table)
      : first_(EnumCount<State>() * EnumCount<Event>() + 1, 0), rows_(table.size()) {
    // A counting sort by pair, stable: each pair's rows stay in table order.
    for (const RowT& row : table) ++first_[PairOf(row.from, row.event) + 1];
    for (size_t p = 1; p < first_.size(); ++p) first_[p] += first_[p - 1];
    std::vector<size_t> next(first_.begin(), first_.end() - 1);
    for (const RowT& row : table) rows_[next[PairOf(row.from, row.event)]++] = &row;
  }

  // As table::Select(table, state, event, holds).
  template <typename GuardFn>
  const RowT* Select(State state, Event event, GuardFn&& holds) const {
    const size_t pair = PairOf(state, event);
    for (size_t i = first_[pair]; i < first_[pair + 1]; ++i) {
      if (holds(rows_[i]->guard)) return rows_[i];
    }
    return nullptr;
  }

 private:
  static constexpr size_t PairOf(State state, Event event) {
    return static_cast<size_t>(state) * EnumCount<Event>() + static_cast<size_t>(event);
  }
  std::vector<size_t> first_;      // pair p's rows: rows_[first_[p]] to rows_[first_[p + 1]]
  std::vector<const RowT*> rows_;  // by pair, in table order within a pair
};

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

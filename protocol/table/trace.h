// An optional observer of the rows the engines execute, for trace
// conformance (model/explorer): after each table::Select and the row's
// actions, the engine reports which row of which table it ran, the state it
// ran it from and the state it holds afterwards. Zero cost when unused: the
// engine tests one thread_local pointer, which nothing sets outside tests.
#ifndef OTR_PROTOCOL_TABLE_TRACE_H_
#define OTR_PROTOCOL_TABLE_TRACE_H_

#include <cstddef>
#include <span>
#include <string_view>

namespace otr::table {

// Names one state machine of one version (each table header defines its
// own, e.g. v3::kMessageMachine); observers compare addresses.
struct Machine {
  std::string_view name;
};

struct RowTaken {
  const Machine* machine;
  size_t row;         // index into the machine's table
  size_t from;        // the state the engine held when it selected the row
  size_t event;       // the event it selected the row for
  size_t to;          // the state the engine holds after the row's actions
  const void* owner;  // the machine instance (for grouping rows of one step)
};

class RowObserver {
 public:
  virtual ~RowObserver() = default;
  virtual void OnRow(const RowTaken& taken) = 0;
};

inline thread_local RowObserver* current_row_observer = nullptr;

// Installs `observer` for this thread for the lifetime of the scope.
class ScopedRowObserver {
 public:
  explicit ScopedRowObserver(RowObserver* observer) : previous_(current_row_observer) {
    current_row_observer = observer;
  }
  ~ScopedRowObserver() { current_row_observer = previous_; }
  ScopedRowObserver(const ScopedRowObserver&) = delete;
  ScopedRowObserver& operator=(const ScopedRowObserver&) = delete;

 private:
  RowObserver* previous_;
};

// Called by an engine right after it moved to `to` by `row` of `rows`.
template <typename RowT, typename State, typename Event>
inline void NotifyRow(const Machine& machine, std::span<const RowT> rows, const RowT* row,
                      State from, Event event, State to, const void* owner) {
  if (current_row_observer == nullptr) return;
  current_row_observer->OnRow(RowTaken{&machine, static_cast<size_t>(row - rows.data()),
                                       static_cast<size_t>(from), static_cast<size_t>(event),
                                       static_cast<size_t>(to), owner});
}

}  // namespace otr::table

#endif  // OTR_PROTOCOL_TABLE_TRACE_H_

// Trace conformance between the engine and its tables (issue 6): every row
// the engine reports (protocol/table/trace.h) must be a row of its table for
// the state and event it was selected for, the engine must hold the row's
// next state afterwards, rows of one machine must chain (no state change
// between rows), rows whose guard is a policy flag must agree with the
// policy, and every state change of a conversation must be the end of a
// chain of rows.
#ifndef OTR_MODEL_EXPLORER_CONFORMANCE_H_
#define OTR_MODEL_EXPLORER_CONFORMANCE_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/explorer/world.h"
#include "protocol/api/policy.h"
#include "protocol/table/trace.h"

namespace otr::model {

class RowRecorder : public table::RowObserver {
 public:
  void OnRow(const table::RowTaken& taken) override { rows.push_back(taken); }
  std::vector<table::RowTaken> rows;
};

// The machines of a v2/v3 conversation, by the tables' machine ids.
enum class Machine { kMessage, kAuth, kSmp };
Machine MachineOf(const table::Machine* machine);

// The number of rows of each machine's table.
size_t TableSize(Machine machine);

// "message row 27 (MSGSTATE_ENCRYPTED, receive Data Message) -> MSGSTATE_ENCRYPTED"
std::string RowText(const table::RowTaken& taken);

// An empty string when the step conforms, otherwise what does not. `before`
// and `after` are the acting party's conversations around the step.
std::string CheckConformance(const std::vector<table::RowTaken>& rows, const PartyView& before,
                             const PartyView& after, const Policy& policy);

}  // namespace otr::model

#endif  // OTR_MODEL_EXPLORER_CONFORMANCE_H_

// Runs the SMP table (smp_table.h) over any Group (group.h): the state
// machine every version shares. Sans-I/O and transactional: Prepare selects
// the row for (smpstate, event) and runs its actions against a copy of the
// state, returning the messages to send and the events to report; nothing
// changes until the caller, having sent those messages, calls Commit. A
// failed action (a backend failure) leaves the SMP state exactly as it was.
#ifndef OTR_PROTOCOL_SMP_EXECUTOR_H_
#define OTR_PROTOCOL_SMP_EXECUTOR_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/smp/group.h"
#include "protocol/smp/smp_table.h"

namespace otr::smp {

// The SMP messages (v3 TLV types 2-7; v4 keeps the types), version-neutral.
enum class Kind { kSmp1, kSmp2, kSmp3, kSmp4, kAbort };

struct Message {
  Kind kind = Kind::kAbort;
  Bytes body;                           // the TLV body; empty for kAbort
  std::optional<std::string> question;  // kSmp1 with a question (v3: TLV 7)
};

// What one event of the SMP table carries.
struct Input {
  const Message* received = nullptr;         // kSmp1 .. kSmp4, kAbort
  std::string_view secret;                   // kUserStart, kUserRespond
  std::optional<std::string_view> question;  // kUserStart
};

class Executor;

// A prepared row: the messages to send (each in its own Data Message, in
// order) and the events to report (instance 0: the caller sets it).
class Step {
 public:
  std::vector<Message> to_send;
  std::vector<Event> events;

 private:
  friend class Executor;
  struct Fields {
    std::optional<Message> received1;  // an SMP message 1 awaiting the user's secret
    bool answering_question = false;   // that message 1 asked a question
    StepState alice1, alice3, bob2;    // empty when not held
  };
  const SmpRow* row = nullptr;
  SmpEvent event = SmpEvent::kReset;
  Fields fields;
};

class Executor {
 public:
  SmpState state() const { return state_; }
  // An SMP message 1 is waiting for the user's secret.
  bool awaiting_secret() const { return fields_.received1.has_value(); }

  Result<Step> Prepare(SmpEvent event, const Input& in, const Group& group,
                       crypto::Random& random) const;
  // Applies a prepared step; `owner` names the conversation to row observers.
  void Commit(Step step, const void* owner);

 private:
  struct Computed;  // what kProofsVerify computed for the actions

  bool Holds(SmpGuard guard, const Input& in, const Group& group, crypto::Random& random,
             Computed& computed) const;
  Status Perform(SmpAction action, const Input& in, const Group& group, crypto::Random& random,
                 Computed& computed, Step& step) const;

  SmpState state_ = SmpState::kExpect1;
  Step::Fields fields_;
};

}  // namespace otr::smp

#endif  // OTR_PROTOCOL_SMP_EXECUTOR_H_

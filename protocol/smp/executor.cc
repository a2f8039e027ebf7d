#include "protocol/smp/executor.h"

#include <utility>

#include "protocol/table/trace.h"

namespace otr::smp {

struct Executor::Computed {
  std::optional<Made> smp3;      // Alice, from a verified message 2
  std::optional<Finished> smp4;  // Bob, from a verified message 3
  std::optional<bool> result;    // Alice, from a verified message 4
};

Result<Step> Executor::Prepare(SmpEvent event, const Input& in, const Group& group,
                               crypto::Random& random) const {
  Computed computed;
  const SmpRow* row = table::Select(
      kSmpTable, state_, event, [&](SmpGuard g) { return Holds(g, in, group, random, computed); });
  // IsTotal (static_assert in smp_table.h) guarantees a row.
  Step step;
  step.row = row;
  step.event = event;
  step.fields = fields_;
  for (SmpAction action : row->actions) {
    if (action == SmpAction::kNone) continue;
    OTR_RETURN_IF_ERROR(Perform(action, in, group, random, computed, step));
  }
  return step;
}

void Executor::Commit(Step step, const void* owner) {
  const SmpState from = state_;
  state_ = step.row->to;
  fields_ = std::move(step.fields);
  table::NotifyRow(kSmpMachine, kSmpTable, step.row, from, step.event, state_, owner);
}

bool Executor::Holds(SmpGuard guard, const Input& in, const Group& group, crypto::Random& random,
                     Computed& computed) const {
  switch (guard) {
    case SmpGuard::kAlways:
      return true;
    case SmpGuard::kSmp1Stored:
      return fields_.received1.has_value();
    case SmpGuard::kProofsVerify: {
      if (in.received == nullptr) return false;
      const ByteView body = in.received->body;
      switch (in.received->kind) {
        case Kind::kSmp1:
          return group.VerifySmp1(body).ok();
        case Kind::kSmp2: {
          if (!fields_.alice1.has_value()) return false;
          auto made = group.ProcessSmp2(random, fields_.alice1, body);
          if (!made.ok()) return false;
          computed.smp3 = std::move(made).value();
          return true;
        }
        case Kind::kSmp3: {
          if (!fields_.bob2.has_value()) return false;
          auto finished = group.ProcessSmp3(random, fields_.bob2, body);
          if (!finished.ok()) return false;
          computed.smp4 = std::move(finished).value();
          return true;
        }
        case Kind::kSmp4: {
          if (!fields_.alice3.has_value()) return false;
          auto result = group.ProcessSmp4(fields_.alice3, body);
          if (!result.ok()) return false;
          computed.result = *result;
          return true;
        }
        case Kind::kAbort:
          return false;
      }
      return false;
    }
    case SmpGuard::kCount:
      break;
  }
  return false;
}

Status Executor::Perform(SmpAction action, const Input& in, const Group& group,
                         crypto::Random& random, Computed& computed, Step& step) const {
  Step::Fields& f = step.fields;
  switch (action) {
    case SmpAction::kNone:
    case SmpAction::kIgnore:
    case SmpAction::kCount:
      return Status::Ok();
    case SmpAction::kSendAbort:
      step.to_send.push_back(Message{Kind::kAbort, {}, std::nullopt});
      return Status::Ok();
    case SmpAction::kStoreSmp1AskSecret: {
      f.received1 = *in.received;
      f.answering_question = in.received->question.has_value();
      step.events.push_back(Event(events::SmpAskSecret{in.received->question}));
      return Status::Ok();
    }
    case SmpAction::kSendSmp1: {
      const crypto::SecretBytes x = group.Secret(/*we_initiated=*/true, AsBytes(in.secret));
      OTR_ASSIGN_OR_RETURN(Made made, group.MakeSmp1(random, x));
      f.alice1 = std::move(made.state);
      f.answering_question = false;
      Message m{Kind::kSmp1, std::move(made.body), std::nullopt};
      if (in.question) m.question = std::string(*in.question);
      step.to_send.push_back(std::move(m));
      return Status::Ok();
    }
    case SmpAction::kSendSmp2: {
      const crypto::SecretBytes y = group.Secret(/*we_initiated=*/false, AsBytes(in.secret));
      OTR_ASSIGN_OR_RETURN(Made made, group.MakeSmp2(random, f.received1->body, y));
      f.received1.reset();
      f.bob2 = std::move(made.state);
      step.to_send.push_back(Message{Kind::kSmp2, std::move(made.body), std::nullopt});
      return Status::Ok();
    }
    case SmpAction::kSendSmp3:
      f.alice3 = std::move(computed.smp3->state);
      f.alice1.reset();
      step.to_send.push_back(Message{Kind::kSmp3, std::move(computed.smp3->body), std::nullopt});
      return Status::Ok();
    case SmpAction::kSendSmp4:
      step.to_send.push_back(Message{Kind::kSmp4, computed.smp4->body, std::nullopt});
      return Status::Ok();
    case SmpAction::kReportResult: {
      const bool match =
          computed.smp4 ? computed.smp4->secrets_match : computed.result.value_or(false);
      // Trust (issue 14): the side that answered a question the other
      // chose learns nothing about who asked it.
      if (match) {
        step.events.push_back(Event(events::SmpSucceeded{!f.answering_question}));
      } else {
        step.events.push_back(Event(events::SmpFailed{}));
      }
      return Status::Ok();
    }
    case SmpAction::kReportCheated:
      step.events.push_back(Event(events::SmpCheated{}));
      return Status::Ok();
    case SmpAction::kReportAborted:
      step.events.push_back(Event(events::SmpAborted{}));
      return Status::Ok();
    case SmpAction::kForget:
      f = Step::Fields{};
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace otr::smp

// White-box access for tests, fuzzers and the model only (testonly target):
// the v2/v3 conversation behind an instance, for checks the version-neutral
// view cannot express (the keys a property test inspects, a fuzzer sealing
// as the peer). Applications use Session::view().
#ifndef OTR_PROTOCOL_SESSION_TESTING_H_
#define OTR_PROTOCOL_SESSION_TESTING_H_

#include "protocol/session/session.h"

namespace otr {

// The v2/v3 conversation with `tag`, or nullptr if there is none (or it is
// not a v2/v3 conversation).
const v3::Conversation* V3ConversationForTesting(const Session& session, wire::InstanceTag tag);

// The v4 conversation with `tag`, or nullptr.
const v4::Conversation* V4ConversationForTesting(const Session& session, wire::InstanceTag tag);

// The v4 DAKE kept beside the ENCRYPTED v2/v3 conversation with `tag`
// (decisions 0048, 0053), or nullptr.
const v4::Conversation* V4BesideEncryptedForTesting(const Session& session,
                                                    wire::InstanceTag tag = wire::kNoInstanceTag);

// Calls visit(tag, v3, v4, beside) for every instance of `session` in tag
// order, exactly one of v3 and v4 not null, and `beside` the v4 DAKE kept
// beside it or null (decisions 0048, 0053); nothing is copied (the fuzzers
// check every instance after every input).
template <typename Visit>
void ForEachConversationForTesting(const Session& session, Visit&& visit) {
  for (const auto& [tag, instance] : session.instances_) {
    visit(tag, std::get_if<v3::Conversation>(&instance.machine),
          std::get_if<v4::Conversation>(&instance.machine), instance.v4_beside.get());
  }
}

inline const v4::Conversation* SelectedV4ForTesting(const Session& session) {
  return V4ConversationForTesting(session, session.selected_instance());
}

inline const v3::Conversation* SelectedV3ForTesting(const Session& session) {
  return V3ConversationForTesting(session, session.selected_instance());
}

}  // namespace otr

#endif  // OTR_PROTOCOL_SESSION_TESTING_H_

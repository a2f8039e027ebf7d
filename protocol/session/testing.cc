#include "protocol/session/testing.h"

namespace otr {

const v3::Conversation* V3ConversationForTesting(const Session& session, wire::InstanceTag tag) {
  auto it = session.instances_.find(tag);
  if (it == session.instances_.end()) return nullptr;
  return std::get_if<v3::Conversation>(&it->second.machine);
}

const v4::Conversation* V4ConversationForTesting(const Session& session, wire::InstanceTag tag) {
  auto it = session.instances_.find(tag);
  if (it == session.instances_.end()) return nullptr;
  return std::get_if<v4::Conversation>(&it->second.machine);
}

const v4::Conversation* V4BesideEncryptedForTesting(const Session& session, wire::InstanceTag tag) {
  auto it = session.instances_.find(tag);
  if (it == session.instances_.end()) return nullptr;
  return it->second.v4_beside.get();
}

}  // namespace otr

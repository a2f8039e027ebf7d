// The version-neutral view (view.h) of each version's conversation: what the
// session's view() shows. Internal to protocol/session.
#ifndef OTR_PROTOCOL_SESSION_VIEWS_H_
#define OTR_PROTOCOL_SESSION_VIEWS_H_

#include <optional>

#include "protocol/session/view.h"
#include "protocol/v3/engine/conversation.h"
#include "protocol/v4/engine/conversation.h"

namespace otr {

ConversationView ViewOfConversation(const v3::Conversation& c, wire::InstanceTag tag);
ConversationView ViewOfConversation(const v4::Conversation& c, wire::InstanceTag tag);
// The view's version and their_fingerprint alone, once an AKE or DAKE
// completed (Session::Finish on every WentSecure, without building a view).
struct PeerOfConversation {
  int version = 0;
  store::PeerFingerprint fingerprint;
};
std::optional<PeerOfConversation> PeerOf(const v3::Conversation& c);
std::optional<PeerOfConversation> PeerOf(const v4::Conversation& c);
// The view's state alone (Session::state() without building a view).
ConversationState StateOfConversation(const v3::Conversation& c);
ConversationState StateOfConversation(const v4::Conversation& c);

// ENCRYPTED (v3 MSGSTATE_ENCRYPTED, v4 ENCRYPTED_MESSAGES).
bool IsEncrypted(const v3::Conversation& c);
bool IsEncrypted(const v4::Conversation& c);
// Nothing under way: plaintext, no AKE/DAKE in flight (the master may then
// be replaced by the other version's engine).
bool IsIdle(const v3::Conversation& c);
bool IsIdle(const v4::Conversation& c);

}  // namespace otr

#endif  // OTR_PROTOCOL_SESSION_VIEWS_H_

#include "model/explorer/world.h"

namespace otr::model {

PartyView ViewOf(Session& session) {
  PartyView view;
  view.selected = session.selected_instance();
  view.state = session.state();
  for (wire::InstanceTag tag : session.Instances()) {
    const v3::Conversation* conversation = V3ConversationForTesting(session, tag);
    if (conversation == nullptr) continue;
    const v3::Conversation& c = *conversation;
    ConversationView v;
    v.tag = tag;
    v.message = c.message_state();
    v.auth = c.auth_state();
    v.smp = c.smp_state();
    v.their_fingerprint = c.their_fingerprint();
    v.ssid = c.ssid();
    if (const v3::KeyState* keys = c.keys()) {
      v.has_keys = true;
      v.our_keyid = keys->our_keyid();
      v.their_keyid = keys->their_keyid();
    }
    v.version = c.version() == v3::Version::kV2 ? 2 : 3;
    v.sent_reveal = c.we_sent_reveal_signature();
    view.conversations.push_back(v);
  }
  return view;
}

std::string ActionName(const Action& action) {
  const std::string who = kPartyName[action.party];
  const std::string i = std::to_string(action.index);
  switch (action.kind) {
    case ActionKind::kDeliver:
      return action.index == 0
                 ? "network delivers the next message to " + who
                 : "network delivers message " + i + " of the queue (reordered) to " + who;
    case ActionKind::kDrop:
      return "network drops the next message to " + who;
    case ActionKind::kDuplicate:
      return "network delivers the next message to " + who + " and keeps a copy";
    case ActionKind::kReplay:
      return "attacker replays remembered message " + i + " to " + who;
    case ActionKind::kStale:
      return "attacker injects stale message " + i + " (previous session) to " + who;
    case ActionKind::kStart:
      if (action.party == kMallory) return who + " starts OTR towards " + kPartyName[action.index];
      return who + " starts OTR";
    case ActionKind::kEnd:
      return who + " ends OTR";
    case ActionKind::kSend:
      if (action.party == kMallory) return who + " types a message to " + kPartyName[action.index];
      return who + " types a message";
    case ActionKind::kSmpStart:
      return who + " starts SMP";
    case ActionKind::kSmpRespond:
      return who + " answers SMP";
    case ActionKind::kSmpAbort:
      return who + " aborts SMP";
    case ActionKind::kForge:
      return "PLANTED: attacker forges a Data Message with the peer's keys to " + who;
    case ActionKind::kRedirect:
      return "network redirects message " + i + " of " + who + "'s queue to the third party";
    case ActionKind::kTimePasses:
      return i + " seconds pass";
    case ActionKind::kTimeout:
      return who + "'s session handles the timeout";
    case ActionKind::kFetch:
      return who + " fetches the peer's prekey ensembles and starts offline";
    case ActionKind::kServerReplay:
      return who + " asks for ensembles; attacker answers with the server's answer " + i +
             " (replayed)";
  }
  return "?";
}

}  // namespace otr::model

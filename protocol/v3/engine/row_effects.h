// What each message-table action may do, for atomic rows (decision 0005),
// and the checks the table must pass for the engine's staging to hold.
#ifndef OTR_PROTOCOL_V3_ENGINE_ROW_EFFECTS_H_
#define OTR_PROTOCOL_V3_ENGINE_ROW_EFFECTS_H_

#include "protocol/v3/state/message_table.h"

namespace otr::v3 {

// An action is fallible when it can fail (a backend failure: randomness, a
// cipher); it touches a machine when it changes the keys or the AKE in place
// (each such change is atomic in itself). Everything else a row changes is
// staged. A row needs a snapshot of the keys and the AKE only if a change in
// place could be followed by a failure; no row of today's table does
// (tables_test checks the classification is used), but the engine stays
// correct if one is added.
constexpr bool Fallible(MessageAction a) {
  switch (a) {
    case MessageAction::kStartAke:
    case MessageAction::kSendEncrypted:
    case MessageAction::kDeliverData:
    case MessageAction::kSendHeartbeat:
    case MessageAction::kInstallSessionKeys:
    case MessageAction::kSendStoredMessage:
    case MessageAction::kSendDisconnect:
      return true;
    default:
      return false;
  }
}

constexpr bool ChangesMachineInPlace(MessageAction a) {
  switch (a) {
    case MessageAction::kStartAke:
    case MessageAction::kSendEncrypted:
    case MessageAction::kDeliverData:
    case MessageAction::kSendHeartbeat:
    case MessageAction::kSendDisconnect:
    case MessageAction::kForgetSessionKeys:
    case MessageAction::kAbandonAke:
      return true;
    default:
      return false;
  }
}

constexpr bool NeedsSnapshot(const MessageRow& row) {
  bool changed = false;
  for (MessageAction a : row.actions) {
    if (changed && Fallible(a)) return true;
    if (ChangesMachineInPlace(a)) changed = true;
  }
  return false;
}

constexpr bool NoRowNeedsSnapshot() {
  for (const MessageRow& row : kMessageTable) {
    if (NeedsSnapshot(row)) return false;
  }
  return true;
}
// Not required for correctness; a reminder that a new row would pay for a
// copy of the key state on every execution.
static_assert(NoRowNeedsSnapshot(), "a message-table row now snapshots the keys: intended?");

// kSendStoredMessage seals with the keys kInstallSessionKeys staged.
constexpr bool StoredMessageFollowsInstall() {
  for (const MessageRow& row : kMessageTable) {
    bool installed = false;
    for (MessageAction a : row.actions) {
      if (a == MessageAction::kInstallSessionKeys) installed = true;
      if (a == MessageAction::kSendStoredMessage && !installed) return false;
    }
  }
  return true;
}
static_assert(StoredMessageFollowsInstall());

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_ENGINE_ROW_EFFECTS_H_

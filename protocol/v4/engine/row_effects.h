// What each protocol-table action may do, for atomic rows (decision 0005),
// and the checks the table must pass for the engine's staging to hold.
//
// The engine stages what a row changes: the conversation's small fields
// (a copy), a new established conversation (built aside) and forgetting the
// old one (a flag). Only a few actions change the established double
// ratchet in place, each atomically (Ratchet::Send, Commit of the plan its
// guard prepared, Expire, DeleteExpiredKeys). A row stays atomic as long as
// no fallible action follows one of them, and no row changes the ratchet in
// place twice: checked below at compile time.
#ifndef OTR_PROTOCOL_V4_ENGINE_ROW_EFFECTS_H_
#define OTR_PROTOCOL_V4_ENGINE_ROW_EFFECTS_H_

#include "protocol/v4/state/conversation_table.h"

namespace otr::v4 {

// Can fail (randomness, the backend, a stale plan).
constexpr bool Fallible(ProtocolAction a) {
  switch (a) {
    case ProtocolAction::kSendIdentity:
    case ProtocolAction::kResendIdentity:
    case ProtocolAction::kSendAuthR:
    case ProtocolAction::kResendAuthR:
    case ProtocolAction::kSendAuthI:
    case ProtocolAction::kEstablish:
    case ProtocolAction::kSendStoredMessage:
    case ProtocolAction::kDeliverData:
    case ProtocolAction::kSendHeartbeat:
    case ProtocolAction::kSendEncrypted:
    case ProtocolAction::kSendDisconnect:
    case ProtocolAction::kExpireSession:
    case ProtocolAction::kStartOfflineDake:
    case ProtocolAction::kEstablishOffline:
      return true;
    default:
      return false;
  }
}

// Changes the established ratchet in place.
constexpr bool ChangesRatchetInPlace(ProtocolAction a) {
  switch (a) {
    case ProtocolAction::kDeliverData:
    case ProtocolAction::kSendHeartbeat:
    case ProtocolAction::kSendEncrypted:
    case ProtocolAction::kSendDisconnect:
    case ProtocolAction::kExpireSession:
    case ProtocolAction::kDeleteStoredKeys:
      return true;
    default:
      return false;
  }
}

constexpr bool RowIsAtomic(const ProtocolRow& row) {
  bool changed = false;
  for (ProtocolAction a : row.actions) {
    if (changed && (Fallible(a) || ChangesRatchetInPlace(a))) return false;
    if (ChangesRatchetInPlace(a)) changed = true;
  }
  return true;
}

constexpr bool EveryRowIsAtomic() {
  for (const ProtocolRow& row : kProtocolTable) {
    if (!RowIsAtomic(row)) return false;
  }
  return true;
}
static_assert(EveryRowIsAtomic(),
              "a row changes the ratchet in place and then may fail, or changes it twice");

// The order of a completing DAKE: kSendAuthI makes the result kEstablish
// installs, and kSendStoredMessage encrypts with the ratchet kEstablish made.
constexpr bool DakeActionsInOrder() {
  for (const ProtocolRow& row : kProtocolTable) {
    bool established = false;
    bool auth_i_sent = false;
    for (ProtocolAction a : row.actions) {
      if (a == ProtocolAction::kSendAuthI) {
        if (established) return false;
        auth_i_sent = true;
      }
      if (a == ProtocolAction::kEstablish) established = true;
      if (a == ProtocolAction::kSendStoredMessage && !established) return false;
    }
    (void)auth_i_sent;
  }
  return true;
}
static_assert(DakeActionsInOrder());

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_ENGINE_ROW_EFFECTS_H_

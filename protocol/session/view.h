// What an application (or a test, a fuzzer, the model) may read of one
// conversation, whatever its protocol version: a read-only snapshot.
#ifndef OTR_PROTOCOL_SESSION_VIEW_H_
#define OTR_PROTOCOL_SESSION_VIEW_H_

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "protocol/store/fingerprint.h"
#include "protocol/table/trace.h"
#include "protocol/wire/instance_tag.h"

namespace otr {

enum class ConversationState { kPlaintext, kEncrypted, kFinished };

// Where SMP stands, in the terms a user sees.
enum class SmpProgress {
  kIdle,            // no SMP running
  kAwaitingSecret,  // the peer started one: the user is asked for the secret
  kInProgress,      // our SMP or our answer is on its way
};

// The current state of one of the conversation's table machines (v3:
// msgstate, authstate, smpstate), by the table's own machine id and state
// index: what the model's trace conformance compares.
struct MachineState {
  const table::Machine* machine = nullptr;
  size_t state = 0;
  std::string_view name;  // the spec's name, e.g. "MSGSTATE_ENCRYPTED"
};

struct ConversationView {
  wire::InstanceTag instance = wire::kNoInstanceTag;
  ConversationState state = ConversationState::kPlaintext;
  // The protocol version of the established (or last) session: 2, 3 (4
  // later); 0 before any AKE completed.
  int version = 0;
  std::optional<store::PeerFingerprint> their_fingerprint;
  Bytes ssid;                    // the secure session id, once an AKE completed
  bool ssid_first_half = false;  // the half shown in bold is the first one (v3, v4)
  SmpProgress smp = SmpProgress::kIdle;
  bool ake_in_progress = false;
  std::vector<MachineState> machines;

  // The state of `machine`, or nullopt if this conversation has no such
  // machine (e.g. a v4 conversation has no v3 authstate).
  std::optional<size_t> StateOf(const table::Machine& machine) const {
    for (const MachineState& m : machines) {
      if (m.machine == &machine) return m.state;
    }
    return std::nullopt;
  }
};

}  // namespace otr

#endif  // OTR_PROTOCOL_SESSION_VIEW_H_

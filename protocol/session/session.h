// The version-independent Session API: one local account talking to one
// peer account over one transport. Sans-I/O (DESIGN.md principle 1): it
// takes inbound transport text and user actions and returns Output
// (transport messages to send, already fragmented; text to display; typed
// events). It never touches sockets, files, clocks or globals; randomness and
// time are injected. v4 will add its own engine behind the same API.
//
// Instances (otr v3 spec, "Instance Tags"): each instance of the peer
// account gets its own conversation, keyed by its instance tag. The
// conversation for tag 0 (the "master") starts AKEs before the peer's tag is
// known and carries v2; a v3 message from a new instance gets a conversation
// that inherits the master's AKE in progress. Messages addressed to another
// instance of ours are ignored.
#ifndef OTR_PROTOCOL_SESSION_SESSION_H_
#define OTR_PROTOCOL_SESSION_SESSION_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v3/engine/conversation.h"
#include "protocol/wire/reassembler.h"

namespace otr {

struct SessionConfig {
  const crypto::Backend* backend = nullptr;
  const crypto::DsaPrivateKey* our_key = nullptr;  // must outlive the session
  Policy policy = Policy::Manual();
  wire::InstanceTag our_tag = wire::kNoInstanceTag;  // 0: choose one at random
  size_t max_message_size = 0;                       // 0: never fragment
  uint64_t heartbeat_seconds = 60;
  uint64_t stored_message_seconds = 60;
  // The application's fingerprint store for this peer (e.g. read from
  // libotr's fingerprints file): kWentSecure reports the peer key's trust,
  // and an unknown key also produces kNewFingerprint.
  struct KnownFingerprint {
    store::Fingerprint fingerprint;
    bool trusted = false;
  };
  std::vector<KnownFingerprint> known_fingerprints;
};

enum class ConversationState { kPlaintext, kEncrypted, kFinished };

class Session {
 public:
  // kUnsupportedVersion when the policy allows v1; kInvalidKey without a key
  // or backend; kInvalidInstanceTag for a tag in 1..0xff.
  static Result<Session> Create(SessionConfig config, crypto::Random& random, Clock& clock);

  Output Receive(std::string_view inbound);
  Output Send(std::string_view text);
  Output StartOtr();
  Output EndOtr();
  Output StartSmp(std::string_view secret, std::optional<std::string_view> question = {});
  Output RespondSmp(std::string_view secret);
  Output AbortSmp();
  Result<Output> UseExtraSymmetricKey(uint32_t use, ByteView use_data);

  wire::InstanceTag our_tag() const { return config_.our_tag; }
  // Peer instances with a conversation (0 is the master).
  std::vector<wire::InstanceTag> Instances() const;
  // The instance user actions go to (kUnknownInstance if there is none).
  Status SelectInstance(wire::InstanceTag tag);
  wire::InstanceTag selected_instance() const { return selected_; }

  ConversationState state() const;
  int version() const;  // of the selected conversation's session: 2 or 3
  std::optional<store::Fingerprint> their_fingerprint() const;
  store::Fingerprint our_fingerprint() const;
  // The secure session id as the v3 spec displays it: two %08x halves.
  std::string ssid_text() const;
  const v3::Conversation& selected() const;
  // Records the user's verdict on a fingerprint (e.g. after SMP succeeded).
  void SetTrust(const store::Fingerprint& fingerprint, bool trusted);

 private:
  Session(SessionConfig config, crypto::Random& random, Clock& clock);

  v3::Conversation& Selected();
  v3::Conversation& ForInstance(wire::InstanceTag their_tag);
  void Route(const v3::Message& message, Output& out);
  void Finish(Output& out);

  SessionConfig config_;
  v3::ConversationConfig conversation_config_;
  crypto::Random* random_;
  Clock* clock_;
  std::map<wire::InstanceTag, v3::Conversation> conversations_;
  wire::InstanceTag selected_ = wire::kNoInstanceTag;
  wire::Reassembler reassembler_;
  std::map<store::Fingerprint, bool> known_fingerprints_;  // -> trusted
};

}  // namespace otr

#endif  // OTR_PROTOCOL_SESSION_SESSION_H_

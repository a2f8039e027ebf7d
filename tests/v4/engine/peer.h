// Two v4::Conversations in a test, without a Session: each peer has its own
// backend, identity (H, F, Client Profile), instance tag, deterministic
// randomness and v4 reassembler; transport text from one is classified and
// handed to the other as the session would (query, tag, error, plaintext,
// v4 message, v4 fragments).
#ifndef OTR_TESTS_V4_ENGINE_PEER_H_
#define OTR_TESTS_V4_ENGINE_PEER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crypto/backend.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/api/output.h"
#include "protocol/v4/engine/conversation.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/wire/reassembler_v4.h"

namespace otr::v4::testing {

inline constexpr uint64_t kStartTime = 1'700'000'000;

struct Peer {
  const crypto::Backend* backend = nullptr;
  std::unique_ptr<crypto::testing::DeterministicRandom> random;
  std::unique_ptr<Identity> identity;
  wire::InstanceTag tag = wire::kMinInstanceTag;
  std::unique_ptr<Conversation> conversation;
  std::unique_ptr<wire::ReassemblerV4> reassembler;

  // Hands one transport message to the conversation as the session would.
  // Text that does not parse as anything the v4 engine takes is reported as
  // events::MalformedMessage.
  void Deliver(const std::string& text, Output& out, uint64_t now);
};

// Fails the current test when a key or the profile cannot be made.
Peer MakePeer(const crypto::Backend& backend, uint64_t seed, wire::InstanceTag tag,
              wire::InstanceTag their_tag, const Policy& policy,
              const ConversationConfig& base = {});

// Policy with ALLOW_V4 in `mode` (v3-compatible also allows v3).
Policy V4Policy(V4Mode mode);

}  // namespace otr::v4::testing

#endif  // OTR_TESTS_V4_ENGINE_PEER_H_

// Our Session against libotr 4.1.1 (the C reference for v2/v3), on both
// crypto backends: AKE started by either side, v3 and v2, messages both ways
// with key rotation, SMP started by either side, fragmentation both ways,
// and the peer ending the conversation.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>

#include "crypto/testing/deterministic_random.h"
#include "protocol/session/session.h"
#include "protocol/store/fingerprint.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_peer.h"

namespace otr {
namespace {

using crypto::testing::DeterministicRandom;
using testing::LibotrPeer;

class FakeClock : public Clock {
 public:
  uint64_t NowSeconds() override { return 1000; }
};

const crypto::DsaPrivateKey& OurKey(const crypto::Backend& backend) {
  static std::map<std::string_view, crypto::DsaPrivateKey> keys;
  auto it = keys.find(backend.name());
  if (it == keys.end()) {
    auto key = backend.GenerateDsaKey();
    EXPECT_TRUE(key.ok());
    it = keys.emplace(backend.name(), std::move(key).value()).first;
  }
  return it->second;
}

class LibotrInteropTest : public crypto::testing::BackendTest {
 protected:
  void Make(LibotrPeer::Policy policy, Policy ours = Policy::Manual(), size_t our_max = 0,
            int their_max = 0) {
    peer_ = std::make_unique<LibotrPeer>("alice", "bob", policy, their_max);
    SessionConfig config;
    config.backend = &backend();
    config.our_key = &OurKey(backend());
    config.policy = ours;
    config.max_message_size = our_max;
    auto s = Session::Create(config, random_, clock_);
    ASSERT_TRUE(s.ok());
    session_.emplace(std::move(s).value());
  }

  // Carries messages both ways until both sides are quiet.
  void Pump(std::vector<std::string> to_libotr, std::vector<std::string> to_us = {}) {
    std::deque<std::pair<bool, std::string>> queue;  // (for libotr?, text)
    for (auto& s : to_libotr) queue.emplace_back(true, std::move(s));
    for (auto& s : to_us) queue.emplace_back(false, std::move(s));
    for (int steps = 0; !queue.empty() && steps < 500; ++steps) {
      auto [for_libotr, text] = std::move(queue.front());
      queue.pop_front();
      wire_.push_back(text);
      if (for_libotr) {
        for (auto& s : peer_->Receive(text)) queue.emplace_back(false, std::move(s));
      } else {
        Output out = session_->Receive(text);
        for (auto& s : out.to_send) queue.emplace_back(true, std::move(s));
        for (auto& d : out.display) seen_.push_back(d);
        for (auto& e : out.events) events_.push_back(e.type);
      }
    }
  }

  bool Saw(EventType type) const {
    return std::find(events_.begin(), events_.end(), type) != events_.end();
  }

  void ExpectEstablished(int version) {
    ASSERT_EQ(session_->state(), ConversationState::kEncrypted);
    ASSERT_TRUE(peer_->encrypted());
    EXPECT_EQ(session_->version(), version);
    EXPECT_EQ(peer_->protocol_version(), version);
    // Both ends agree on the session id and on who the other is.
    std::string ours = session_->ssid_text();
    ours.erase(ours.find(' '), 1);
    EXPECT_EQ(ours, peer_->ssid_hex());
    EXPECT_EQ(peer_->their_fingerprint_hex(), store::FingerprintToHex(session_->our_fingerprint()));
  }

  void Chat(int rounds) {
    for (int i = 0; i < rounds; ++i) {
      const std::string ours = "from our engine " + std::to_string(i);
      const std::string theirs = "from libotr " + std::to_string(i);
      Pump(session_->Send(ours).to_send);
      ASSERT_FALSE(peer_->displayed().empty());
      EXPECT_EQ(peer_->displayed().back(), ours);
      Pump({}, peer_->Send(theirs));
      ASSERT_FALSE(seen_.empty());
      EXPECT_EQ(seen_.back().text, theirs);
      EXPECT_TRUE(seen_.back().encrypted);
    }
  }

  DeterministicRandom random_{2024};
  FakeClock clock_;
  std::unique_ptr<LibotrPeer> peer_;
  std::optional<Session> session_;
  std::vector<std::string> wire_;
  std::vector<Displayed> seen_;
  std::vector<EventType> events_;
};

TEST_P(LibotrInteropTest, WeStartV3AndChat) {
  Make(LibotrPeer::Policy::kManual);
  Pump(session_->StartOtr().to_send);
  ExpectEstablished(3);
  Chat(4);
}

TEST_P(LibotrInteropTest, LibotrStartsV3AndChats) {
  Make(LibotrPeer::Policy::kAlways);
  // libotr under REQUIRE_ENCRYPTION holds the message back and sends a Query
  // instead. (Observed: libotr 4.1.1 keeps the held message on its master
  // context and does not resend it once the AKE completes on the instance
  // context, so only the AKE and later messages are checked here.)
  std::vector<std::string> first = peer_->Send("held until encrypted");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].rfind("?OTRv23?", 0), 0u);
  Pump({}, first);
  ExpectEstablished(3);
  Chat(3);
}

TEST_P(LibotrInteropTest, VersionTwoWithAV2OnlyPeer) {
  Make(LibotrPeer::Policy::kV2Only);
  Pump(session_->StartOtr().to_send);
  ExpectEstablished(2);
  Chat(3);
}

TEST_P(LibotrInteropTest, SmpStartedByLibotrWithAQuestion) {
  Make(LibotrPeer::Policy::kManual);
  Pump(session_->StartOtr().to_send);
  ExpectEstablished(3);
  Pump({}, peer_->StartSmp("shared secret", "what do we share?"));
  ASSERT_TRUE(Saw(EventType::kSmpAskSecret));
  Pump(session_->RespondSmp("shared secret").to_send);
  EXPECT_TRUE(Saw(EventType::kSmpSucceeded));
  EXPECT_EQ(peer_->smp_successes(), 1);
}

TEST_P(LibotrInteropTest, SmpStartedByUsSucceedsAndFails) {
  Make(LibotrPeer::Policy::kManual);
  Pump(session_->StartOtr().to_send);
  ExpectEstablished(3);
  peer_->set_smp_answer("blue");
  Pump(session_->StartSmp("blue", "colour?").to_send);
  EXPECT_EQ(peer_->last_smp_question(), "colour?");
  EXPECT_TRUE(Saw(EventType::kSmpSucceeded));
  EXPECT_EQ(peer_->smp_successes(), 1);
  events_.clear();
  peer_->set_smp_answer("green");
  Pump(session_->StartSmp("blue").to_send);
  EXPECT_TRUE(Saw(EventType::kSmpFailed));
  EXPECT_EQ(peer_->smp_failures(), 1);
  Chat(1);
}

TEST_P(LibotrInteropTest, FragmentsBothWaysAtIrcSize) {
  Make(LibotrPeer::Policy::kManual, Policy::Manual(), 400, 400);
  Pump(session_->StartOtr().to_send);
  ExpectEstablished(3);
  const std::string long_text(2500, 'y');
  wire_.clear();
  Pump(session_->Send(long_text).to_send);
  EXPECT_EQ(peer_->displayed().back(), long_text);
  Pump({}, peer_->Send(long_text + "z"));
  EXPECT_EQ(seen_.back().text, long_text + "z");
  for (const std::string& s : wire_) EXPECT_LE(s.size(), 400u);
}

TEST_P(LibotrInteropTest, LibotrEndsTheConversation) {
  Make(LibotrPeer::Policy::kManual);
  Pump(session_->StartOtr().to_send);
  ExpectEstablished(3);
  Pump({}, peer_->Disconnect());
  EXPECT_EQ(session_->state(), ConversationState::kFinished);
  EXPECT_TRUE(Saw(EventType::kPeerEnded));
}

TEST_P(LibotrInteropTest, WeEndTheConversation) {
  Make(LibotrPeer::Policy::kManual);
  Pump(session_->StartOtr().to_send);
  ExpectEstablished(3);
  Pump(session_->EndOtr().to_send);
  EXPECT_EQ(session_->state(), ConversationState::kPlaintext);
  EXPECT_TRUE(peer_->finished());
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrInteropTest);

}  // namespace
}  // namespace otr

// Data Messages that arrive before the DAKE completes, and a DAKE that
// never completes (docs/decisions/0014-v4-early-data-messages.md):
// "Receiving a Data Message" ("If this is the first DH ratchet after a
// DAKE, store this message for a configurable, short amount of time"),
// "Receiving an Auth-I Message" ("If there are stored received Data
// Messages, remove them from storage"), "Session Expiration".
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "protocol/v4/engine/conversation.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/classify.h"
#include "tests/v4/engine/helpers.h"
#include "tests/v4/engine/net.h"
#include "tests/v4/engine/peer.h"

namespace otr::v4 {
namespace {

using testing::AllBackendPairs;
using testing::BackendPair;
using testing::Count;
using testing::MakePeer;
using testing::Net;
using testing::Peer;
using testing::Texts;
using testing::V4Policy;

constexpr wire::InstanceTag kAliceTag = 0x1111'0001;
constexpr wire::InstanceTag kBobTag = 0x2222'0002;
constexpr int kAlice = 0;
constexpr int kBob = 1;

class V4EarlyDataTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  V4EarlyDataTest()
      : alice_(MakePeer(*GetParam().first, 1, kAliceTag, kBobTag, V4Policy(V4Mode::kV4Standalone))),
        bob_(MakePeer(*GetParam().second, 2, kBobTag, kAliceTag, V4Policy(V4Mode::kV4Standalone))),
        net_(alice_, bob_) {}

  Conversation& alice() { return *alice_.conversation; }
  Conversation& bob() { return *bob_.conversation; }

  std::string Pop() {
    std::string text = std::move(net_.wire.front().second);
    net_.wire.pop_front();
    return text;
  }
  void Send(int who, const std::string& text) {
    net_.Act(who, [&](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
      c.Send(text, o, r, now);
    });
  }
  void Timeout(int who) {
    net_.Act(who, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
      c.HandleTimeout(o, r, now);
    });
  }
  // Alice starts; Bob answers with Auth-R; Alice sends Auth-I and is
  // ENCRYPTED_MESSAGES. Returns the Auth-I, not yet delivered: Bob is in
  // WAITING_AUTH_I.
  std::string AuthIInFlight() {
    net_.Act(kAlice, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
      c.Start(o, r, now);
    });
    net_.DeliverTo(kBob, Pop());    // Identity -> Auth-R
    net_.DeliverTo(kAlice, Pop());  // Auth-R -> Auth-I
    EXPECT_EQ(alice().state(), ProtocolState::kEncrypted);
    EXPECT_EQ(bob().state(), ProtocolState::kWaitingAuthI);
    std::string auth_i = Pop();
    EXPECT_TRUE(net_.wire.empty());
    net_.Clear();
    return auth_i;
  }

  Peer alice_;
  Peer bob_;
  Net net_;
};

// The network reorders Auth-I and the first Data Message after it: the
// message is stored, not answered with ERROR_2, and read once the Auth-I
// arrives (before this change: ERROR_2 and the message lost).
TEST_P(V4EarlyDataTest, DataMessageBeforeAuthIIsReadAfterIt) {
  const std::string auth_i = AuthIInFlight();
  Send(kAlice, "first");
  Send(kAlice, "second");
  const std::string first = Pop();
  const std::string second = Pop();
  net_.DeliverTo(kBob, second);
  net_.DeliverTo(kBob, first);
  EXPECT_TRUE(net_.wire.empty()) << "answered: " << net_.wire.front().second;
  EXPECT_EQ(Count(net_.seen[kBob], EventType::kUndecryptable), 0u);
  EXPECT_TRUE(net_.seen[kBob].display.empty());
  EXPECT_EQ(bob().state(), ProtocolState::kWaitingAuthI);
  net_.DeliverTo(kBob, auth_i);
  EXPECT_EQ(bob().state(), ProtocolState::kEncrypted);
  EXPECT_EQ(Texts(net_.seen[kBob]), (std::vector<std::string>{"second", "first"}));
  for (const Displayed& d : net_.seen[kBob].display) EXPECT_TRUE(d.encrypted);
  // Each is read once: a replay now is a duplicate.
  net_.Clear();
  net_.DeliverTo(kBob, first);
  EXPECT_TRUE(net_.seen[kBob].display.empty());
  EXPECT_EQ(Count(net_.seen[kBob], EventType::kUndecryptable), 1u);
  // And the conversation goes on both ways.
  net_.wire.clear();
  net_.Clear();
  Send(kBob, "reply");
  net_.Run();
  EXPECT_EQ(Texts(net_.seen[kAlice]), (std::vector<std::string>{"reply"}));
}

// "never deliver anything that does not verify": a forged message of the
// first ratchet is stored like the real one, then dropped silently.
TEST_P(V4EarlyDataTest, StoredMessageThatDoesNotVerifyIsDropped) {
  const std::string auth_i = AuthIInFlight();
  Send(kAlice, "real");
  const std::string real = Pop();
  const std::string forged =
      testing::Corrupt<DataMessage>(real, [](DataMessage& m) { m.encrypted_message.back() ^= 1; });
  ASSERT_FALSE(forged.empty());
  net_.DeliverTo(kBob, forged);
  net_.DeliverTo(kBob, auth_i);
  EXPECT_EQ(bob().state(), ProtocolState::kEncrypted);
  EXPECT_TRUE(net_.seen[kBob].display.empty());
  EXPECT_TRUE(net_.wire.empty());  // no ERROR_1 for a stored message
  // The real one, arriving after, is still read.
  net_.DeliverTo(kBob, real);
  EXPECT_EQ(Texts(net_.seen[kBob]), (std::vector<std::string>{"real"}));
}

// A message of a later ratchet before the DAKE completed is not "the first
// DH ratchet after a DAKE": ERROR_2, as before.
TEST_P(V4EarlyDataTest, OtherDataMessagesStillGetError2) {
  const std::string auth_i = AuthIInFlight();
  Send(kAlice, "x");
  const std::string later =
      testing::Corrupt<DataMessage>(Pop(), [](DataMessage& m) { m.ratchet_id = 3; });
  net_.DeliverTo(kBob, later);
  ASSERT_EQ(net_.wire.size(), 1u);
  EXPECT_NE(net_.wire.front().second.find("ERROR_2"), std::string::npos);
}

// Bounded: at most max_early_data_messages are kept, the oldest go first.
TEST_P(V4EarlyDataTest, StoreKeepsTheNewestWithinItsBound) {
  const std::string auth_i = AuthIInFlight();
  const size_t limit = ConversationConfig{}.max_early_data_messages;
  std::vector<std::string> all;
  for (size_t n = 0; n < limit + 4; ++n) {
    Send(kAlice, "m" + std::to_string(n));
    all.push_back("m" + std::to_string(n));
  }
  while (!net_.wire.empty()) net_.DeliverTo(kBob, Pop());
  net_.DeliverTo(kBob, auth_i);
  EXPECT_EQ(Texts(net_.seen[kBob]), std::vector<std::string>(all.end() - limit, all.end()));
}

// Stored "for a configurable, short amount of time": gone after it.
TEST_P(V4EarlyDataTest, StoredMessageExpires) {
  const std::string auth_i = AuthIInFlight();
  Send(kAlice, "late");
  net_.DeliverTo(kBob, Pop());
  const uint64_t lifetime = ConversationConfig{}.early_data_seconds;
  ASSERT_EQ(bob().NextTimeout(), std::optional<uint64_t>(net_.now + lifetime));
  net_.now += lifetime - 1;
  Timeout(kBob);
  net_.now += 1;
  Timeout(kBob);
  EXPECT_EQ(bob().state(), ProtocolState::kWaitingAuthI);
  net_.DeliverTo(kBob, auth_i);
  EXPECT_EQ(bob().state(), ProtocolState::kEncrypted);
  EXPECT_TRUE(net_.seen[kBob].display.empty());
}

// A DAKE that never completes is abandoned after the session expiration
// time, its keys forgotten: a late Auth-R or Auth-I is then ignored.
TEST_P(V4EarlyDataTest, StaleDakeIsAbandoned) {
  net_.Act(kAlice,
           [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) { c.Start(o, r, now); });
  net_.DeliverTo(kBob, Pop());
  const std::string auth_r = Pop();
  const uint64_t expiry = ConversationConfig{}.session_expiry_seconds;
  ASSERT_EQ(alice().NextTimeout(), std::optional<uint64_t>(net_.now + expiry));
  ASSERT_EQ(bob().NextTimeout(), std::optional<uint64_t>(net_.now + expiry));
  net_.now += expiry - 1;
  Timeout(kAlice);
  Timeout(kBob);
  EXPECT_EQ(alice().state(), ProtocolState::kWaitingAuthR);
  EXPECT_EQ(bob().state(), ProtocolState::kWaitingAuthI);
  net_.now += 1;
  Timeout(kAlice);
  Timeout(kBob);
  EXPECT_EQ(alice().state(), ProtocolState::kStart);
  EXPECT_EQ(bob().state(), ProtocolState::kStart);
  EXPECT_FALSE(alice().NextTimeout().has_value());
  EXPECT_FALSE(bob().NextTimeout().has_value());
  EXPECT_TRUE(net_.wire.empty());
  net_.DeliverTo(kAlice, auth_r);
  EXPECT_EQ(alice().state(), ProtocolState::kStart);
  EXPECT_TRUE(net_.wire.empty());
}

// A new DAKE beside an established conversation (decision 0010) that never
// completes is dropped; the conversation stays.
TEST_P(V4EarlyDataTest, StaleRefreshLeavesTheConversation) {
  net_.Act(kAlice,
           [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) { c.Start(o, r, now); });
  net_.Run();
  ASSERT_EQ(bob().state(), ProtocolState::kEncrypted);
  const uint64_t expiry = ConversationConfig{}.session_expiry_seconds;
  net_.now += expiry / 2;
  net_.Act(kAlice, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.StartInteractive(o, r, now);
  });
  Pop();  // the Identity message is lost
  ASSERT_EQ(alice().state(), ProtocolState::kEncryptedWaitingAuthR);
  // The conversation's keys are renewed meanwhile (new ECDH keys both ways).
  net_.now += expiry / 2;
  Send(kBob, "ping");
  net_.Run();
  Send(kAlice, "pong");
  net_.Run();
  net_.now += expiry / 2;
  Timeout(kAlice);
  EXPECT_EQ(alice().state(), ProtocolState::kEncrypted);
  net_.Clear();
  Send(kAlice, "still here");
  net_.Run();
  EXPECT_EQ(Texts(net_.seen[kBob]), (std::vector<std::string>{"still here"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, V4EarlyDataTest, ::testing::ValuesIn(AllBackendPairs()),
                         testing::BackendPairName);

}  // namespace
}  // namespace otr::v4

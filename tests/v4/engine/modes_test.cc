// The mode-dependent rows of the v4 table ("OTRv4 Modes",
// shared/specs/otr-v4-modes/), the engine's part: the v4-only modes never
// answer a query or a tag and never send plaintext; the v3-compatible mode
// offers 3 and 4 and starts the DAKE on a query or tag offering 4; a query
// offering only 3 is left to the session's v3 engine; the interactive-only
// mode refuses offline conversations. Also the replies outside
// ENCRYPTED_MESSAGES (ERROR_2) and the Error Message rules. On each backend.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "crypto/backends.h"
#include "protocol/v4/engine/conversation.h"
#include "protocol/wire/classify.h"
#include "protocol/wire/error_message.h"
#include "tests/v4/engine/peer.h"

namespace otr::v4 {
namespace {

using testing::kStartTime;
using testing::MakePeer;
using testing::Peer;
using testing::V4Policy;

constexpr wire::InstanceTag kOurTag = 0x1111'0001;
constexpr wire::InstanceTag kTheirTag = 0x2222'0002;

class V4ModesTest : public ::testing::TestWithParam<const crypto::Backend*> {
 protected:
  Peer Make(V4Mode mode, Policy policy) {
    policy.v4_mode = mode;
    return MakePeer(*GetParam(), 7, kOurTag, kTheirTag, policy);
  }
  Peer Make(V4Mode mode) { return Make(mode, V4Policy(mode)); }
};

wire::QueryMessage Query(std::initializer_list<int> versions) {
  wire::QueryMessage q;
  for (int v : versions) q.versions.Add(v);
  return q;
}

wire::TaggedPlaintext Tagged(std::initializer_list<int> versions) {
  wire::TaggedPlaintext t;
  for (int v : versions) t.versions.Add(v);
  t.text = "hi";
  return t;
}

// The message type of a v4 transport message (0 if it is not one).
int V4TypeOf(const std::string& text) {
  auto inbound = wire::Classify(text);
  const auto* m = std::get_if<wire::UnsupportedMessage>(&inbound);
  return m != nullptr && m->protocol_version == 4 ? m->message_type : 0;
}

TEST_P(V4ModesTest, V4OnlyModesStartWithAnIdentityMessage) {
  for (V4Mode mode : {V4Mode::kV4Standalone, V4Mode::kV4InteractiveOnly}) {
    Peer p = Make(mode);
    Output out;
    p.conversation->Start(out, *p.random, kStartTime);
    ASSERT_EQ(out.to_send.size(), 1u);
    EXPECT_EQ(V4TypeOf(out.to_send[0]), 0x35);  // Identity
    EXPECT_EQ(p.conversation->state(), ProtocolState::kWaitingAuthR);
  }
}

TEST_P(V4ModesTest, V3CompatibleStartSendsAQueryOffering3And4) {
  Peer p = Make(V4Mode::kV3Compatible);
  Output out;
  p.conversation->Start(out, *p.random, kStartTime);
  ASSERT_EQ(out.to_send.size(), 1u);
  EXPECT_EQ(out.to_send[0].rfind("?OTRv34?", 0), 0u) << out.to_send[0];
  EXPECT_EQ(p.conversation->state(), ProtocolState::kStart);
}

// "If a client implements OTRv4-standalone mode or OTRv4-interactive-only
// mode and a request for an OTRv3 conversation arrives, reject this
// request"; those modes do not handle query messages or tags at all.
TEST_P(V4ModesTest, V4OnlyModesAnswerNoQueryAndNoTag) {
  for (V4Mode mode : {V4Mode::kV4Standalone, V4Mode::kV4InteractiveOnly}) {
    Peer p = Make(mode, [] {
      Policy policy = V4Policy(V4Mode::kV4Standalone);
      policy.whitespace_start_ake = true;
      return policy;
    }());
    for (const auto& q : {Query({3}), Query({3, 4}), Query({4})}) {
      Output out;
      p.conversation->ReceiveQuery(q, out, *p.random, kStartTime);
      EXPECT_TRUE(out.to_send.empty());
      EXPECT_EQ(p.conversation->state(), ProtocolState::kStart);
    }
    Output out;
    p.conversation->ReceiveTagged(Tagged({3, 4}), out, *p.random, kStartTime);
    EXPECT_TRUE(out.to_send.empty());
    ASSERT_EQ(out.display.size(), 1u);
    EXPECT_FALSE(out.display[0].encrypted);
    EXPECT_TRUE(out.HasEvent(EventType::kUnencryptedReceived));
    EXPECT_EQ(p.conversation->state(), ProtocolState::kStart);
  }
}

TEST_P(V4ModesTest, V3CompatibleQueryOffering4StartsTheDake) {
  Peer p = Make(V4Mode::kV3Compatible);
  Output out;
  p.conversation->ReceiveQuery(Query({3, 4}), out, *p.random, kStartTime);
  ASSERT_EQ(out.to_send.size(), 1u);
  EXPECT_EQ(V4TypeOf(out.to_send[0]), 0x35);
  EXPECT_EQ(p.conversation->state(), ProtocolState::kWaitingAuthR);
}

// A query offering only 3 is the v3 engine's (the session routes it).
TEST_P(V4ModesTest, V3CompatibleQueryWithout4IsNotTheV4Engines) {
  Peer p = Make(V4Mode::kV3Compatible);
  Output out;
  p.conversation->ReceiveQuery(Query({3}), out, *p.random, kStartTime);
  EXPECT_TRUE(out.to_send.empty());
  EXPECT_EQ(p.conversation->state(), ProtocolState::kStart);
}

TEST_P(V4ModesTest, V3CompatibleTagOffering4StartsTheDakeWithWhitespaceStartAke) {
  Policy policy = V4Policy(V4Mode::kV3Compatible);
  policy.whitespace_start_ake = true;
  Peer p = Make(V4Mode::kV3Compatible, policy);
  Output out;
  p.conversation->ReceiveTagged(Tagged({3, 4}), out, *p.random, kStartTime);
  ASSERT_EQ(out.to_send.size(), 1u);
  EXPECT_EQ(V4TypeOf(out.to_send[0]), 0x35);
  ASSERT_EQ(out.display.size(), 1u);
  EXPECT_EQ(out.display[0].text, "hi");
  EXPECT_FALSE(out.HasEvent(EventType::kUnencryptedReceived));
}

// "the START and FINISHED states ... should not allow any plaintext message
// to be sent": the message waits and the DAKE starts.
TEST_P(V4ModesTest, StandaloneHoldsTheMessageAndStartsTheDake) {
  Peer p = Make(V4Mode::kV4Standalone);
  Output out;
  p.conversation->Send("secret plans", out, *p.random, kStartTime);
  ASSERT_EQ(out.to_send.size(), 1u);
  EXPECT_EQ(V4TypeOf(out.to_send[0]), 0x35);
  EXPECT_TRUE(out.HasEvent(EventType::kEncryptionRequired));
  auto held = p.conversation->TakeHeldMessage();
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(std::string(held->text.view().begin(), held->text.view().end()), "secret plans");
}

TEST_P(V4ModesTest, V3CompatibleSendsPlaintextWithoutRequireEncryption) {
  Peer p = Make(V4Mode::kV3Compatible);
  Output out;
  p.conversation->Send("hello", out, *p.random, kStartTime);
  ASSERT_EQ(out.to_send.size(), 1u);
  EXPECT_EQ(out.to_send[0], "hello");
}

// "If a client implements OTRv4-interactive-only mode and a request for an
// offline conversation arrives, reject this request"; in the other modes a
// Non-Interactive-Auth that does not validate is ignored ("does not send
// anything further"). Both are reported to the user only (issue 18).
TEST_P(V4ModesTest, NonInteractiveAuthChangesNothing) {
  for (V4Mode mode : {V4Mode::kV4InteractiveOnly, V4Mode::kV4Standalone}) {
    Peer p = Make(mode);
    NonInteractiveAuth m;
    m.header = Header{kTheirTag, kOurTag};
    Output out;
    p.conversation->ReceiveMessage(Message{m}, out, *p.random, kStartTime);
    EXPECT_TRUE(out.to_send.empty());
    ASSERT_EQ(out.events.size(), 1u);
    const auto* refused = out.events[0].As<events::OfflineRefused>();
    ASSERT_NE(refused, nullptr);
    EXPECT_EQ(refused->what == "interactive-only mode", mode == V4Mode::kV4InteractiveOnly)
        << refused->what;
    EXPECT_EQ(p.conversation->state(), ProtocolState::kStart);
  }
}

// "If the state is not ENCRYPTED_MESSAGES ... replying with an Error
// Message: ERROR_2"; with IGNORE_UNREADABLE, nothing.
TEST_P(V4ModesTest, DataOutsideEncryptedMessagesGetsError2) {
  Peer p = Make(V4Mode::kV4Standalone);
  DataMessage m;
  m.header = Header{kTheirTag, kOurTag};
  Output out;
  p.conversation->ReceiveMessage(Message{m}, out, *p.random, kStartTime);
  ASSERT_EQ(out.to_send.size(), 1u);
  auto error = wire::DecodeErrorMessage(out.to_send[0]);
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(wire::ErrorMessageCodeOf(*error), wire::ErrorMessageCode::kNotInPrivateStateMessage);
  EXPECT_TRUE(out.HasEvent(EventType::kUndecryptable));
  m.flags = kFlagIgnoreUnreadable;
  Output quiet;
  p.conversation->ReceiveMessage(Message{m}, quiet, *p.random, kStartTime);
  EXPECT_TRUE(quiet.to_send.empty());
  EXPECT_TRUE(quiet.events.empty());
}

// "If the error code exists in the spec: Display ... Otherwise: Ignore".
TEST_P(V4ModesTest, ErrorMessagesWithAKnownCodeAreShown) {
  Peer p = Make(V4Mode::kV4Standalone);
  Output out;
  p.conversation->ReceiveError(wire::MakeErrorMessage(wire::ErrorMessageCode::kUnreadableMessage),
                               out, *p.random, kStartTime);
  EXPECT_TRUE(out.HasEvent(EventType::kErrorReceived));
  Output ignored;
  p.conversation->ReceiveError(wire::MakeErrorMessage("something else"), ignored, *p.random,
                               kStartTime);
  EXPECT_TRUE(ignored.events.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, V4ModesTest, ::testing::ValuesIn(crypto::AllBackends()),
                         [](const auto& info) { return std::string(info.param->name()); });

}  // namespace
}  // namespace otr::v4

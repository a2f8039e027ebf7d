// OTRv4 Sessions under attack (issue 17, "Errors, unreadable and garbage
// input", "A replayed Identity message", "Version rollback"), every backend
// pair (both sides on one backend, and one side on each):
//   - the v3 "session survives a garbage and replay storm" test for v4,
//     with reordering: replays of every message seen (DAKE and data),
//     changed bytes, truncations, armoured and fragment-shaped noise and raw
//     bytes, while real messages held back by the network arrive out of
//     order in between. Never a crash, never garbage shown as encrypted,
//     never a change to the established keys (both ratchets compared after
//     every input), and each real message is read exactly once;
//   - the spec's response to an unreadable Data Message: ERROR_1, or
//     nothing when IGNORE_UNREADABLE is set ("When you receive a Data
//     Message", "Receiving a Data Message"), and no change;
//   - a replayed Identity message (and the whole old DAKE replayed) neither
//     ends nor disturbs the conversation (docs/decisions/0010): messages and
//     SMP go on under the same SSID and keys;
//   - version rollback (docs/decisions/0011): a network attacker who
//     rewrites queries and whitespace tags to drop "4" never makes two
//     v4-capable sessions settle on v3 silently: v3-compatible sessions end
//     in v4, or in v3 with FellBackToV3 reported on both sides; v4-only
//     sessions never run v3.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "crypto/backends.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/session/testing.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/whitespace_tag.h"
#include "tests/properties/v4_sessions.h"

namespace otr {
namespace {

using properties::v4s::HasEvent;
using properties::v4s::Options;
using properties::v4s::Packet;
using properties::v4s::Sessions;
using properties::v4s::V4Policy;

using BackendPair = std::tuple<const crypto::Backend*, const crypto::Backend*>;

class V4HardeningTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  std::unique_ptr<Sessions> Make(uint64_t seed, const Options& options = {}) {
    auto s = Sessions::Create(*std::get<0>(GetParam()), *std::get<1>(GetParam()), seed, options);
    EXPECT_TRUE(s.ok());
    return s.ok() ? std::move(s).value() : nullptr;
  }
};

// Plain copies of every secret both established ratchets hold, in order.
std::vector<Bytes> Keys(Sessions& s) {
  std::vector<Bytes> out;
  for (int who = 0; who < 2; ++who) {
    const v4::Conversation* c = SelectedV4ForTesting(s.session(who));
    if (c == nullptr || c->ratchet() == nullptr) continue;
    for (const crypto::SecretBytes* k : c->ratchet()->HeldSecrets()) out.push_back(k->Declassify());
  }
  return out;
}

std::optional<v4::Message> Dearmor(const std::string& text) {
  auto bytes = wire::DecodeArmor(text);
  if (!bytes.ok()) return std::nullopt;
  auto m = v4::DecodeMessage(*bytes);
  if (!m.ok()) return std::nullopt;
  return *m;
}

void Say(Sessions& s, int who, const std::string& text) {
  s.Act(who, [&](Session& session, uint64_t now) { return session.Send(now, text); });
}

TEST_P(V4HardeningTest, EstablishedSessionSurvivesAGarbageAndReplayStormWithReordering) {
  auto s = Make(41);
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->Establish().ok());
  const std::string ssid = s->session(0).ssid_text();
  for (int i = 0; i < 3; ++i) {
    Say(*s, 0, "a" + std::to_string(i));
    s->Flush();
    Say(*s, 1, "b" + std::to_string(i));
    s->Flush();
  }
  // Alice's next messages are held back by the network, to arrive out of
  // order in the middle of the storm.
  std::vector<Packet> held;
  for (int i = 0; i < 6; ++i) Say(*s, 0, "held " + std::to_string(i));
  held.swap(s->mutable_in_flight());
  const std::vector<Packet> seen = s->delivered();  // replays, mutations of what was read
  const size_t shown_before = s->party(1).shown.size();
  crypto::testing::DeterministicRandom noise(99);
  auto byte = [&] {
    uint8_t b;
    noise.Fill(MutableByteView(&b, 1));
    return b;
  };
  std::vector<std::string> released;
  size_t garbage = 0;
  for (int i = 0; i < 400; ++i) {
    if (i % 40 == 39 && !held.empty()) {
      // A real message arrives, out of order: read once, keys move on.
      const size_t k = byte() % held.size();
      released.push_back(held[k].text);
      s->Inject(1, held[k].text);
      held.erase(held.begin() + static_cast<std::ptrdiff_t>(k));
      s->Flush();
      continue;
    }
    const Packet& source = seen[byte() % seen.size()];
    std::string input = source.text;
    switch (byte() % 7) {
      case 0:  // replay anything read so far (DAKE and data messages)
        break;
      case 1:  // a real message with one character changed
        if (!input.empty()) input[byte() % input.size()] = static_cast<char>(byte());
        break;
      case 2: {  // a real message with one decoded byte changed
        auto bytes = wire::DecodeArmor(input);
        if (bytes.ok() && !bytes->empty()) {
          (*bytes)[byte() % bytes->size()] ^= static_cast<uint8_t>(1 + byte() % 255);
          input = wire::EncodeArmor(*bytes);
        }
        break;
      }
      case 3:  // a truncated real message
        input.resize(byte() % (input.size() + 1));
        break;
      case 4:  // random bytes behind the armour marker
        input = "?OTR:";
        for (int n = byte(); n > 0; --n) {
          input += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="[byte() % 65];
        }
        input += ".";
        break;
      case 5:  // v4 fragment-shaped noise
        input = "?OTR|" + std::to_string(byte()) + "|" + std::to_string(byte()) + "|" +
                std::to_string(byte()) + "," + std::to_string(byte() % 3) + "," +
                std::to_string(byte() % 3) + ",x,";
        break;
      default:  // raw bytes
        input.clear();
        for (int n = byte(); n > 0; --n) input += static_cast<char>(byte());
    }
    const std::vector<Bytes> keys = Keys(*s);
    const size_t shown = s->party(1).shown.size();
    s->Inject(1, input);
    s->Flush();  // Bob's answers (errors, an Auth-R to a replayed Identity) reach Alice
    ++garbage;
    ASSERT_EQ(s->party(1).shown.size(), shown) << "garbage shown as encrypted, input " << i;
    ASSERT_EQ(s->session(1).state(), ConversationState::kEncrypted) << "input " << i;
    ASSERT_EQ(s->session(0).state(), ConversationState::kEncrypted) << "input " << i;
    ASSERT_EQ(s->session(1).ssid_text(), ssid);
    ASSERT_TRUE(Keys(*s) == keys) << "the established keys changed, input " << i;
  }
  for (const Packet& p : held) {
    released.push_back(p.text);
    s->Inject(1, p.text);
  }
  s->Flush();
  // Each held message read exactly once, whatever the order.
  std::vector<std::string> got(
      s->party(1).shown.begin() + static_cast<std::ptrdiff_t>(shown_before),
      s->party(1).shown.end());
  std::sort(got.begin(), got.end());
  std::vector<std::string> want;
  for (int i = 0; i < 6; ++i) want.push_back("held " + std::to_string(i));
  EXPECT_EQ(got, want);
  // The conversation goes on both ways.
  Say(*s, 0, "after");
  s->Flush();
  EXPECT_EQ(s->party(1).shown.back(), "after");
  Say(*s, 1, "reply");
  s->Flush();
  EXPECT_EQ(s->party(0).shown.back(), "reply");
  EXPECT_EQ(s->session(0).ssid_text(), ssid);
  EXPECT_GT(garbage, 300u);
}

// "If the message cannot be decrypted ... and the IGNORE_UNREADABLE flag is
// not set: ... replying with an Error Message: ERROR_1"; with the flag set,
// "Ignore it". Either way nothing changes.
TEST_P(V4HardeningTest, UnreadableDataMessageGetsError1OrIsIgnoredAndChangesNothing) {
  auto s = Make(43);
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->Establish().ok());
  Say(*s, 0, "a message");
  ASSERT_EQ(s->in_flight().size(), 1u);
  auto m = Dearmor(s->in_flight()[0].text);
  ASSERT_TRUE(m && std::holds_alternative<v4::DataMessage>(*m));
  for (bool ignore_unreadable : {false, true}) {
    v4::DataMessage bad = std::get<v4::DataMessage>(*m);
    bad.authenticator[0] ^= 1;
    bad.flags = ignore_unreadable ? 0x01 : 0x00;
    const std::vector<Bytes> keys = Keys(*s);
    const Output out =
        s->session(1).Receive(s->now, wire::EncodeArmor(v4::EncodeMessage(v4::Message(bad))));
    EXPECT_TRUE(out.display.empty() ||
                std::none_of(out.display.begin(), out.display.end(),
                             [](const Displayed& d) { return d.encrypted; }));
    if (ignore_unreadable) {
      EXPECT_TRUE(out.to_send.empty());
    } else {
      ASSERT_EQ(out.to_send.size(), 1u);
      EXPECT_EQ(out.to_send[0].rfind("?OTR Error: ERROR_1", 0), 0u) << out.to_send[0];
    }
    EXPECT_TRUE(Keys(*s) == keys);
    EXPECT_EQ(s->session(1).state(), ConversationState::kEncrypted);
  }
  s->Flush();  // the real one still reads
  EXPECT_EQ(s->party(1).shown.back(), "a message");
}

// docs/decisions/0010: "a replayed Identity message neither ends nor
// disturbs a conversation". The attacker replays the Identity message of
// the DAKE that set the conversation up (and then the whole old DAKE) to
// both sides; the answers it provokes reach their destination.
TEST_P(V4HardeningTest, ReplayedIdentityNeitherEndsNorDisturbsTheConversation) {
  auto s = Make(45);
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->Establish().ok());
  const std::string ssid = s->session(0).ssid_text();
  std::vector<Packet> dake;
  for (const Packet& p : s->delivered()) {
    auto m = Dearmor(p.text);
    if (m && !std::holds_alternative<v4::DataMessage>(*m)) dake.push_back(p);
  }
  ASSERT_GE(dake.size(), 3u);  // Identity, Auth-R, Auth-I
  std::vector<Packet> identities;
  for (const Packet& p : dake) {
    auto m = Dearmor(p.text);
    if (std::holds_alternative<v4::IdentityMessage>(*m)) identities.push_back(p);
  }
  ASSERT_FALSE(identities.empty());
  int round = 0;
  auto converse = [&] {
    const std::string a = "from alice " + std::to_string(round);
    const std::string b = "from bob " + std::to_string(round++);
    Say(*s, 0, a);
    s->Flush();
    EXPECT_EQ(s->party(1).shown.back(), a);
    Say(*s, 1, b);
    s->Flush();
    EXPECT_EQ(s->party(0).shown.back(), b);
  };
  converse();
  for (const Packet& identity : identities) {
    for (int to = 0; to < 2; ++to) {
      const std::vector<Bytes> keys = Keys(*s);
      s->Inject(to, identity.text);
      s->Flush();
      EXPECT_EQ(s->session(0).state(), ConversationState::kEncrypted);
      EXPECT_EQ(s->session(1).state(), ConversationState::kEncrypted);
      EXPECT_EQ(s->session(0).ssid_text(), ssid);
      EXPECT_EQ(s->session(1).ssid_text(), ssid);
      EXPECT_TRUE(Keys(*s) == keys) << "a replayed Identity message changed the keys";
      EXPECT_FALSE(HasEvent(s->party(0), EventType::kWentInsecure));
      EXPECT_FALSE(HasEvent(s->party(1), EventType::kWentInsecure));
      converse();
    }
  }
  // The whole old DAKE, in every order, to both.
  for (int to = 0; to < 2; ++to) {
    std::vector<Packet> order = dake;
    std::reverse(order.begin(), order.end());
    for (const Packet& p : order) s->Inject(to, p.text);
    s->Flush();
    for (const Packet& p : dake) s->Inject(to, p.text);
    s->Flush();
    EXPECT_EQ(s->session(0).ssid_text(), ssid);
    EXPECT_EQ(s->session(1).ssid_text(), ssid);
    converse();
  }
  // SMP still runs over the same conversation.
  s->Act(0, [](Session& session, uint64_t now) { return session.StartSmp(now, "same"); });
  s->Flush();
  s->Act(1, [](Session& session, uint64_t now) { return session.RespondSmp(now, "same"); });
  s->Flush();
  EXPECT_TRUE(HasEvent(s->party(0), EventType::kSmpSucceeded));
  EXPECT_TRUE(HasEvent(s->party(1), EventType::kSmpSucceeded));
}

// The network attacker's rewrites of what crosses in plaintext.
enum class Rewrite {
  kNone,           // the control: no attacker
  kQueryTo3,       // "?OTRv34?" becomes "?OTRv3?"
  kQueryTo23,      // ... "?OTRv23?"
  kTagTo3,         // the whitespace tag loses its v4 tag
  kDropV4Message,  // every v4 DAKE message is dropped (a v3 query is sent instead)
};

std::string RewriteText(Rewrite r, std::string text) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  switch (r) {
    case Rewrite::kNone:
      break;
    case Rewrite::kQueryTo3:
      replace_all("?OTRv34?", "?OTRv3?");
      replace_all("?OTRv43?", "?OTRv3?");
      break;
    case Rewrite::kQueryTo23:
      replace_all("?OTRv34?", "?OTRv23?");
      replace_all("?OTRv43?", "?OTRv23?");
      break;
    case Rewrite::kTagTo3:
      replace_all(std::string(wire::kWhitespaceTagV4), "");
      break;
    case Rewrite::kDropV4Message: {
      if (Dearmor(text)) return "?OTRv3?";
      replace_all("?OTRv34?", "?OTRv3?");
      replace_all("?OTRv43?", "?OTRv3?");
      break;
    }
  }
  return text;
}

TEST_P(V4HardeningTest, NetworkAttackerCannotMakeV4PeersSettleOnV3Silently) {
  uint64_t seed = 50;
  for (V4Mode mode : {V4Mode::kV3Compatible, V4Mode::kV4Standalone, V4Mode::kV4InteractiveOnly}) {
    for (Rewrite rewrite : {Rewrite::kNone, Rewrite::kQueryTo3, Rewrite::kQueryTo23,
                            Rewrite::kTagTo3, Rewrite::kDropV4Message}) {
      for (bool by_tag : {false, true}) {
        Options options;
        options.policy[0] = options.policy[1] = V4Policy(mode);
        if (mode == V4Mode::kV3Compatible) options.policy[0].allow_v2 = true;
        if (by_tag) {
          options.policy[0].send_whitespace_tag = true;
          options.policy[1].whitespace_start_ake = true;
        }
        auto s = Make(++seed, options);
        ASSERT_NE(s, nullptr);
        SCOPED_TRACE(::testing::Message() << "mode " << static_cast<int>(mode) << ", rewrite "
                                          << static_cast<int>(rewrite) << ", by tag " << by_tag);
        if (by_tag) {
          Say(*s, 0, "hello");
        } else {
          s->Act(0, [](Session& session, uint64_t now) { return session.StartOtr(now); });
        }
        // The attacker rewrites everything in flight until the network is quiet.
        for (int n = 0; n < 200 && !s->in_flight().empty(); ++n) {
          Packet p = s->in_flight()[0];
          s->mutable_in_flight().erase(s->mutable_in_flight().begin());
          s->Inject(p.to, RewriteText(rewrite, p.text));
        }
        for (int who = 0; who < 2; ++who) {
          const Session& session = s->session(who);
          const bool secure = session.state() == ConversationState::kEncrypted;
          const bool v3_secure = secure && session.version() != 4;
          if (rewrite == Rewrite::kNone) {
            EXPECT_TRUE(secure && session.version() == 4) << "no attacker: v4";
          }
          if (mode != V4Mode::kV3Compatible) {
            EXPECT_FALSE(v3_secure) << "a v4-only session runs v" << session.version();
            EXPECT_FALSE(HasEvent(s->party(who), EventType::kFellBackToV3));
          } else {
            // The v3-compatible mode falls back as the spec requires; the
            // attacker gets a conversation, never a silent one.
            EXPECT_TRUE(secure) << "side " << who << " ended with no conversation";
          }
          if (v3_secure) {
            EXPECT_TRUE(HasEvent(s->party(who), EventType::kFellBackToV3))
                << "side " << who << " settled on v" << session.version() << " silently";
          }
        }
      }
    }
  }
}

std::string PairName(const ::testing::TestParamInfo<BackendPair>& info) {
  return std::string(std::get<0>(info.param)->name()) + "_" +
         std::string(std::get<1>(info.param)->name());
}

INSTANTIATE_TEST_SUITE_P(AllBackendPairs, V4HardeningTest,
                         ::testing::Combine(::testing::ValuesIn(crypto::AllBackends().begin(),
                                                                crypto::AllBackends().end()),
                                            ::testing::ValuesIn(crypto::AllBackends().begin(),
                                                                crypto::AllBackends().end())),
                         PairName);

}  // namespace
}  // namespace otr

// The issue 20 scenarios over V4Endpoint (libotr_ng_scenarios.h), and the
// libotr-ng client as an endpoint.
#include "tests/interop/libotr_ng_scenarios.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/interop/libotr_ng_peer.h"

namespace otr::testing {

namespace {

class NgEndpoint : public V4Endpoint {
 public:
  NgEndpoint(const std::string& account, const std::string& buddy, uint32_t tag)
      : peer_(account, buddy, tag), name_("libotr-ng " + account) {}
  std::string name() const override { return name_; }
  std::vector<std::string> Start() override { return {peer_.Query()}; }
  std::vector<std::string> Send(const std::string& text, int max_size) override {
    return peer_.Send(text, max_size);
  }
  std::vector<std::string> Receive(const std::string& message) override {
    return peer_.Receive(message);
  }
  std::vector<std::string> StartSmp(const std::string& secret,
                                    const std::string& question) override {
    return peer_.StartSmp(secret, question);
  }
  std::vector<std::string> RespondSmp(const std::string& secret) override {
    return peer_.RespondSmp(secret);
  }
  std::vector<std::string> AbortSmp() override { return peer_.AbortSmp(); }
  std::vector<std::string> Disconnect() override { return peer_.Disconnect(); }
  std::vector<std::string> UseSymmetricKey(uint32_t use, const std::string& data,
                                           std::string* key) override {
    return peer_.UseSymmetricKey(use, data, key);
  }
  std::vector<std::string> ExpireSession() override { return peer_.ExpireSession(); }
  bool encrypted() const override { return peer_.encrypted(); }
  bool finished() const override { return peer_.finished(); }
  std::vector<std::string> displayed() const override { return peer_.displayed(); }
  int smp_successes() const override { return peer_.smp_successes(); }
  int smp_failures() const override { return peer_.smp_failures(); }
  int smp_aborts() const override { return peer_.smp_aborts(); }
  bool smp_asked() const override { return peer_.smp_asked(); }
  std::string last_smp_question() const override { return peer_.last_smp_question(); }
  std::string received_symkey() const override { return peer_.received_symkey(); }
  std::string our_fingerprint_hex() const override { return peer_.our_fingerprint_hex(); }
  std::string their_fingerprint_hex() const override { return peer_.their_fingerprint_hex(); }

  LibotrNgPeer& peer() { return peer_; }

 private:
  LibotrNgPeer peer_;
  std::string name_;
};

}  // namespace

std::unique_ptr<V4Endpoint> MakeNgEndpoint(const std::string& account, const std::string& buddy,
                                           uint32_t tag) {
  return std::make_unique<NgEndpoint>(account, buddy, tag);
}

LibotrNgPeer& NgPeerOf(V4Endpoint& ng_endpoint) {
  return static_cast<NgEndpoint&>(ng_endpoint).peer();
}

// --- the network ---------------------------------------------------------

// Delivers `out` (sent by `from`) and every reply, both ways, in order,
// until quiet. Returns how many messages were delivered.
int Pump(V4Endpoint& from, V4Endpoint& to, std::vector<std::string> out) {
  std::vector<std::pair<std::string, V4Endpoint*>> queue;
  for (auto& m : out) queue.emplace_back(std::move(m), &to);
  size_t i = 0;
  for (; i < queue.size() && i < 2000; ++i) {
    V4Endpoint* receiver = queue[i].second;
    V4Endpoint* other = receiver == &from ? &to : &from;
    for (auto& reply : receiver->Receive(queue[i].first)) queue.emplace_back(reply, other);
  }
  return static_cast<int>(i);
}

// --- the scenarios (a starts; otrv4.md sections cited) ---------------------

// "Interactive DAKE Overview": Query, Identity, Auth-R, Auth-I, then the
// first Data Message.
void ScenarioDake(V4Endpoint& a, V4Endpoint& b) {
  Pump(a, b, a.Start());
  ASSERT_TRUE(a.encrypted()) << a.name();
  ASSERT_TRUE(b.encrypted()) << b.name();
  // Both users compare the same fingerprints ("Fingerprints"; libotr-ng's
  // form under the profile, docs/libotr-ng-deviations.md #7).
  EXPECT_EQ(a.their_fingerprint_hex(), b.our_fingerprint_hex()) << a.name();
  EXPECT_EQ(b.their_fingerprint_hex(), a.our_fingerprint_hex()) << b.name();
}

// "The Double Ratchet Algorithm": each change of direction turns the ECDH
// ratchet, every third the DH ratchet too.
void ScenarioPingPong(V4Endpoint& a, V4Endpoint& b, int count) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  for (int i = 0; i < count; ++i) {
    V4Endpoint& from = i % 2 == 0 ? a : b;
    V4Endpoint& to = i % 2 == 0 ? b : a;
    const std::string text = "ping-pong " + std::to_string(i);
    Pump(from, to, from.Send(text));
    ASSERT_FALSE(to.displayed().empty()) << "message " << i << " to " << to.name();
    ASSERT_EQ(to.displayed().back(), text) << to.name();
  }
}

// Many messages in one direction (one chain), then a reply burst.
void ScenarioBurst(V4Endpoint& a, V4Endpoint& b, int count) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  for (int round = 0; round < 2; ++round) {
    V4Endpoint& from = round == 0 ? a : b;
    V4Endpoint& to = round == 0 ? b : a;
    const size_t before = to.displayed().size();
    for (int i = 0; i < count; ++i) Pump(from, to, from.Send("burst " + std::to_string(i)));
    const auto shown = to.displayed();
    ASSERT_EQ(shown.size(), before + count) << to.name();
    EXPECT_EQ(shown.back(), "burst " + std::to_string(count - 1));
  }
}

// "Receiving Data Messages": stored message keys for skipped messages.
// Messages of one chain and of the next are delivered in a shuffled order.
void ScenarioOutOfOrder(V4Endpoint& a, V4Endpoint& b) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  std::vector<std::pair<std::string, std::string>> sent;  // (wire, text)
  for (int i = 0; i < 10; ++i) {
    const std::string text = "late " + std::to_string(i);
    auto out = a.Send(text);
    ASSERT_EQ(out.size(), 1u);
    sent.emplace_back(out[0], text);
  }
  // Reverse order: every message but the last skips keys.
  std::reverse(sent.begin(), sent.end());
  const size_t before = b.displayed().size();
  for (size_t i = 0; i < sent.size(); ++i) {
    b.Receive(sent[i].first);
    ASSERT_EQ(b.displayed().size(), before + i + 1) << sent[i].second;
  }
  const std::vector<std::string> all = b.displayed();
  const std::vector<std::string> shown(all.begin() + before, all.end());
  for (size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(shown[i], sent[i].second);
  // And the conversation goes on afterwards, both ways.
  Pump(b, a, b.Send("after"));
  EXPECT_EQ(a.displayed().back(), "after");
  Pump(a, b, a.Send("after too"));
  EXPECT_EQ(b.displayed().back(), "after too");
}

// "Fragmentation": a long message in pieces, delivered in order and reversed.
void ScenarioFragments(V4Endpoint& a, V4Endpoint& b) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  const std::string text(1500, 'f');
  auto pieces = a.Send(text, 200);
  ASSERT_GT(pieces.size(), 2u);
  Pump(a, b, pieces);
  EXPECT_EQ(b.displayed().back(), text);
  auto back = b.Send(text + "g", 300);
  ASSERT_GT(back.size(), 2u);
  std::reverse(back.begin(), back.end());
  Pump(b, a, back);
  EXPECT_EQ(a.displayed().back(), text + "g");
}

// "Socialist Millionaires' Protocol (SMP)", with and without a question.
void ScenarioSmp(V4Endpoint& a, V4Endpoint& b, const std::string& question, bool right) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  Pump(a, b, a.StartSmp("the lighthouse", question));
  ASSERT_TRUE(b.smp_asked()) << b.name();
  EXPECT_EQ(b.last_smp_question(), question);
  Pump(b, a, b.RespondSmp(right ? "the lighthouse" : "the harbour"));
  if (right) {
    EXPECT_EQ(a.smp_successes(), 1) << a.name();
    EXPECT_EQ(b.smp_successes(), 1) << b.name();
    EXPECT_EQ(a.smp_failures() + b.smp_failures(), 0);
  } else {
    EXPECT_EQ(a.smp_successes() + b.smp_successes(), 0);
    EXPECT_EQ(a.smp_failures(), 1) << a.name();
    EXPECT_EQ(b.smp_failures(), 1) << b.name();
  }
  // The conversation survives either outcome.
  Pump(a, b, a.Send("still here"));
  EXPECT_EQ(b.displayed().back(), "still here");
}

// "SMP Abort Message" (TLV 6): a aborts after b was asked; b is told.
void ScenarioSmpAbort(V4Endpoint& a, V4Endpoint& b) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  Pump(a, b, a.StartSmp("secret", ""));
  ASSERT_TRUE(b.smp_asked());
  Pump(a, b, a.AbortSmp());
  EXPECT_EQ(b.smp_aborts(), 1) << b.name();
  // A new SMP after the abort runs to success.
  Pump(b, a, b.StartSmp("again", "q"));
  ASSERT_TRUE(a.smp_asked());
  Pump(a, b, a.RespondSmp("again"));
  EXPECT_EQ(a.smp_successes(), 1);
  EXPECT_EQ(b.smp_successes(), 1);
}

// "Extra Symmetric Key" (TLV 7): both parties derive the same key.
// `expect_same` is false only between two libotr-ng clients, whose keys
// differ (docs/libotr-ng-deviations.md, "libotr-ng defects").
void ScenarioExtraKey(V4Endpoint& a, V4Endpoint& b, bool expect_same) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  Pump(b, a, b.Send("turn the ratchet"));
  std::string key;
  Pump(a, b, a.UseSymmetricKey(0x00010002, "file.txt", &key));
  ASSERT_FALSE(key.empty());
  ASSERT_EQ(b.received_symkey().size(), key.size());
  if (expect_same) {
    EXPECT_EQ(b.received_symkey(), key) << "the extra symmetric keys differ";
  } else {
    EXPECT_NE(b.received_symkey(), key) << "libotr-ng's extra symmetric keys now agree";
  }
}

// "Disconnected" (TLV 1): a ends; b is in FINISHED and sends nothing in
// plaintext.
void ScenarioDisconnect(V4Endpoint& a, V4Endpoint& b) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  Pump(a, b, a.Disconnect());
  EXPECT_FALSE(a.encrypted());
  EXPECT_TRUE(b.finished()) << b.name();
}

// "Session Expiration": a's session expires; it tears down and tells b
// (TLV 1), so b is in FINISHED.
void ScenarioExpiry(V4Endpoint& a, V4Endpoint& b) {
  ScenarioDake(a, b);
  if (::testing::Test::HasFatalFailure()) return;
  Pump(a, b, a.ExpireSession());
  EXPECT_FALSE(a.encrypted()) << a.name();
  EXPECT_TRUE(b.finished()) << b.name();
}

}  // namespace otr::testing

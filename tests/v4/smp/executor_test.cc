// The version-neutral SMP executor (protocol/smp/executor.h) running the
// shared SMP table over two v4 Ed448 groups (otrv4.md, "The SMP State
// Machine": "OTRv4 does not change the state machine for SMP from OTRv3"):
// right and wrong secrets, a question, aborts, tampered messages, on every
// backend and with one side on each.
#include "protocol/smp/executor.h"

#include <gtest/gtest.h>

#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/smp/records.h"
#include "protocol/v4/smp/ed448_group.h"
#include "tests/crypto/test_util.h"

namespace otr::v4::smp {
namespace {

using crypto::testing::DeterministicRandom;
using ::otr::smp::Executor;
using ::otr::smp::Input;
using ::otr::smp::Kind;
using ::otr::smp::Message;
using ::otr::smp::SmpEvent;
using ::otr::smp::SmpState;

Fingerprint Fp(uint8_t first) {
  Fingerprint fp;
  std::iota(fp.begin(), fp.end(), first);
  return fp;
}

const Ssid kSsid = {1, 1, 2, 3, 5, 8, 13, 21};

// What crosses the wire: an SMP message as its v4 TLV would carry it
// (message 1's question inside its body, "SMP Message 1": "Question (DATA)").
struct Wire {
  Kind kind;
  Bytes value;
};

// One party: the executor, its Ed448 group and its random stream. Sends and
// receives SMP messages the way a v4 conversation maps them to TLVs.
class Party {
 public:
  Party(const crypto::Backend& backend, const Fingerprint& ours, const Fingerprint& theirs,
        uint64_t seed)
      : group_(backend, ours, theirs, kSsid), random_(seed) {}

  std::vector<Wire> Start(std::string_view secret, std::optional<std::string_view> question = {}) {
    return Run(SmpEvent::kUserStart, Input{nullptr, secret, question});
  }
  std::vector<Wire> Respond(std::string_view secret) {
    return Run(SmpEvent::kUserRespond, Input{nullptr, secret, std::nullopt});
  }
  std::vector<Wire> Abort() { return Run(SmpEvent::kUserAbort, Input{}); }
  std::vector<Wire> Receive(const Wire& w) {
    Message m{w.kind, w.value, std::nullopt};
    if (w.kind == Kind::kSmp1) m.question = Ed448Group::QuestionOf(w.value);
    return Run(EventOf(w.kind), Input{&m, {}, std::nullopt});
  }
  std::vector<Wire> Receive(const std::vector<Wire>& ws) {
    std::vector<Wire> out;
    for (const Wire& w : ws) {
      for (Wire& reply : Receive(w)) out.push_back(std::move(reply));
    }
    return out;
  }

  SmpState state() const { return executor_.state(); }
  bool awaiting_secret() const { return executor_.awaiting_secret(); }
  const std::vector<Event>& events() const { return events_; }
  bool Has(EventType t) const {
    for (const Event& e : events_) {
      if (e.type() == t) return true;
    }
    return false;
  }
  void ClearEvents() { events_.clear(); }

 private:
  static SmpEvent EventOf(Kind k) { return otr::smp::SmpEventOf(k); }

  std::vector<Wire> Run(SmpEvent event, const Input& in) {
    auto step = executor_.Prepare(event, in, group_, random_);
    EXPECT_TRUE(step.ok());
    if (!step.ok()) return {};
    std::vector<Wire> out;
    for (const Message& m : step->to_send) {
      Bytes value = m.body;
      if (m.kind == Kind::kSmp1) {
        auto with = Ed448Group::WithQuestion(m.body, m.question);
        EXPECT_TRUE(with.ok());
        if (with.ok()) value = *with;
      }
      out.push_back(Wire{m.kind, std::move(value)});
    }
    for (const Event& e : step->events) events_.push_back(e);
    executor_.Commit(std::move(step).value(), this);
    return out;
  }

  Ed448Group group_;
  DeterministicRandom random_;
  Executor executor_;
  std::vector<Event> events_;
};

struct Pair {
  Party alice, bob;
  Pair(const crypto::Backend& a, const crypto::Backend& b, uint64_t seed)
      : alice(a, Fp(0x20), Fp(0x60), seed), bob(b, Fp(0x60), Fp(0x20), seed + 1000) {}

  // The whole exchange; returns nothing, the events tell.
  void Run(std::string_view alice_secret, std::string_view bob_secret,
           std::optional<std::string_view> question = {}) {
    const auto m1 = alice.Start(alice_secret, question);
    EXPECT_EQ(m1.size(), 1u);
    EXPECT_TRUE(bob.Receive(m1).empty());
    EXPECT_TRUE(bob.awaiting_secret());
    const auto m2 = bob.Respond(bob_secret);
    const auto m3 = alice.Receive(m2);
    const auto m4 = bob.Receive(m3);
    EXPECT_TRUE(alice.Receive(m4).empty());
    EXPECT_EQ(alice.state(), SmpState::kExpect1);
    EXPECT_EQ(bob.state(), SmpState::kExpect1);
  }
};

const Event* Find(const Party& p, EventType t) {
  for (const Event& e : p.events()) {
    if (e.type() == t) return &e;
  }
  return nullptr;
}

class SmpExecutorTest : public crypto::testing::BackendTest {};

TEST_P(SmpExecutorTest, RightSecretBothLearnSuccess) {
  Pair p(backend(), backend(), 1);
  p.Run("correct horse", "correct horse");
  const Event* a = Find(p.alice, EventType::kSmpSucceeded);
  const Event* b = Find(p.bob, EventType::kSmpSucceeded);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  // Without a question both sides authenticate the other.
  EXPECT_TRUE(a->As<events::SmpSucceeded>()->authenticates_peer);
  EXPECT_TRUE(b->As<events::SmpSucceeded>()->authenticates_peer);
  const Event* ask = Find(p.bob, EventType::kSmpAskSecret);
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(ask->As<events::SmpAskSecret>()->question, std::nullopt);
  EXPECT_FALSE(p.alice.Has(EventType::kSmpFailed) || p.bob.Has(EventType::kSmpFailed));
}

TEST_P(SmpExecutorTest, WrongSecretBothLearnFailure) {
  Pair p(backend(), backend(), 2);
  p.Run("correct horse", "battery staple");
  EXPECT_TRUE(p.alice.Has(EventType::kSmpFailed));
  EXPECT_TRUE(p.bob.Has(EventType::kSmpFailed));
  EXPECT_FALSE(p.alice.Has(EventType::kSmpSucceeded) || p.bob.Has(EventType::kSmpSucceeded));
  EXPECT_FALSE(p.alice.Has(EventType::kSmpCheated) || p.bob.Has(EventType::kSmpCheated));
}

TEST_P(SmpExecutorTest, QuestionReachesThePeer) {
  Pair p(backend(), backend(), 3);
  p.Run("Lisbon", "Lisbon", "Where did we meet?");
  const Event* ask = Find(p.bob, EventType::kSmpAskSecret);
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(ask->As<events::SmpAskSecret>()->question, "Where did we meet?");
  // The asker gains trust; the side that answered does not (issue 14).
  const Event* a = Find(p.alice, EventType::kSmpSucceeded);
  const Event* b = Find(p.bob, EventType::kSmpSucceeded);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(a->As<events::SmpSucceeded>()->authenticates_peer);
  EXPECT_FALSE(b->As<events::SmpSucceeded>()->authenticates_peer);
}

// "User requests to abort SMP": send a type 6 TLV and go back to EXPECT1;
// the peer reports the abort and forgets its values.
TEST_P(SmpExecutorTest, AbortMidway) {
  for (int cut = 1; cut <= 3; ++cut) {
    SCOPED_TRACE(cut);
    Pair p(backend(), backend(), 10 + static_cast<uint64_t>(cut));
    const auto m1 = p.alice.Start("s");
    p.bob.Receive(m1);
    const auto m2 = p.bob.Respond("s");
    std::vector<Wire> abort;
    if (cut == 1) {
      abort = p.alice.Abort();  // Alice in EXPECT2, message 2 in flight
      EXPECT_EQ(p.alice.state(), SmpState::kExpect1);
      ASSERT_EQ(abort.size(), 1u);
      EXPECT_EQ(abort[0].kind, Kind::kAbort);
      EXPECT_TRUE(p.bob.Receive(abort).empty());
      EXPECT_TRUE(p.bob.Has(EventType::kSmpAborted));
      // The late message 2 is out of turn now: Alice answers with an abort.
      const auto late = p.alice.Receive(m2);
      ASSERT_EQ(late.size(), 1u);
      EXPECT_EQ(late[0].kind, Kind::kAbort);
    } else {
      const auto m3 = p.alice.Receive(m2);
      if (cut == 2) {
        abort = p.bob.Abort();  // Bob in EXPECT3, message 3 in flight
      } else {
        p.bob.Receive(m3);
        abort = p.alice.Abort();  // Alice in EXPECT4 before message 4
      }
      ASSERT_EQ(abort.size(), 1u);
      Party& other = cut == 2 ? p.alice : p.bob;
      other.Receive(abort);
      EXPECT_TRUE(other.Has(EventType::kSmpAborted));
    }
    EXPECT_EQ(p.alice.state(), SmpState::kExpect1);
    EXPECT_EQ(p.bob.state(), SmpState::kExpect1);
    EXPECT_FALSE(p.alice.Has(EventType::kSmpSucceeded));
    // Bob learns his result from message 3, before Alice's abort (cut 3).
    EXPECT_EQ(p.bob.Has(EventType::kSmpSucceeded), cut == 3);
    // A new SMP after the abort runs to the end.
    p.alice.ClearEvents();
    p.bob.ClearEvents();
    p.Run("again", "again");
    EXPECT_TRUE(p.alice.Has(EventType::kSmpSucceeded));
    EXPECT_TRUE(p.bob.Has(EventType::kSmpSucceeded));
  }
}

// A tampered message fails its proofs: the table's kProofsVerify guard is
// false, so the receiver reports cheating, sends an abort and returns to
// EXPECT1 (v3 table, which v4 keeps). Checked for one field of each message.
TEST_P(SmpExecutorTest, TamperedMessageIsReportedAsCheating) {
  for (int which = 1; which <= 4; ++which) {
    SCOPED_TRACE(which);
    Pair p(backend(), backend(), 20 + static_cast<uint64_t>(which));
    auto tamper = [](std::vector<Wire> ws) {
      EXPECT_EQ(ws.size(), 1u);
      ws[0].value[ws[0].value.size() - 60] ^= 0x01;  // a byte of the last-but-one field
      return ws;
    };
    std::vector<Wire> m = p.alice.Start("s");
    Party* receiver = &p.bob;
    if (which == 1) {
      m = tamper(m);
    } else {
      p.bob.Receive(m);
      m = p.bob.Respond("s");
      receiver = &p.alice;
      if (which == 2) {
        m = tamper(m);
      } else {
        m = p.alice.Receive(m);
        receiver = &p.bob;
        if (which == 3) {
          m = tamper(m);
        } else {
          m = tamper(p.bob.Receive(m));
          receiver = &p.alice;
        }
      }
    }
    const auto reply = receiver->Receive(m);
    EXPECT_TRUE(receiver->Has(EventType::kSmpCheated));
    ASSERT_EQ(reply.size(), 1u);
    EXPECT_EQ(reply[0].kind, Kind::kAbort);
    EXPECT_EQ(receiver->state(), SmpState::kExpect1);
    EXPECT_FALSE(receiver->awaiting_secret());
    EXPECT_FALSE(receiver->Has(EventType::kSmpSucceeded));
  }
}

// Prepare alone changes nothing: a tampered message prepared and not
// committed leaves the executor where it was, and the genuine message then
// completes the run.
TEST_P(SmpExecutorTest, PreparedRefusalChangesNothingUntilCommitted) {
  const Ed448Group alice(backend(), Fp(0x20), Fp(0x60), kSsid);
  const Ed448Group bob(backend(), Fp(0x60), Fp(0x20), kSsid);
  DeterministicRandom ra(40), rb(41);
  Executor a, b;
  auto s1 = a.Prepare(SmpEvent::kUserStart, Input{nullptr, "s", std::nullopt}, alice, ra);
  ASSERT_TRUE(s1.ok());
  const Message m1 = s1->to_send.at(0);
  a.Commit(std::move(s1).value(), &a);
  auto r1 = b.Prepare(SmpEvent::kSmp1, Input{&m1, {}, std::nullopt}, bob, rb);
  ASSERT_TRUE(r1.ok());
  b.Commit(std::move(r1).value(), &b);
  auto s2 = b.Prepare(SmpEvent::kUserRespond, Input{nullptr, "s", std::nullopt}, bob, rb);
  ASSERT_TRUE(s2.ok());
  const Message m2 = s2->to_send.at(0);
  b.Commit(std::move(s2).value(), &b);
  ASSERT_EQ(a.state(), SmpState::kExpect2);

  Message bad = m2;
  bad.body[0] ^= 0x01;
  auto refused = a.Prepare(SmpEvent::kSmp2, Input{&bad, {}, std::nullopt}, alice, ra);
  ASSERT_TRUE(refused.ok());
  ASSERT_EQ(refused->to_send.size(), 1u);
  EXPECT_EQ(refused->to_send[0].kind, Kind::kAbort);
  ASSERT_EQ(refused->events.size(), 1u);
  EXPECT_EQ(refused->events[0].type(), EventType::kSmpCheated);
  EXPECT_EQ(a.state(), SmpState::kExpect2);  // not committed

  auto s3 = a.Prepare(SmpEvent::kSmp2, Input{&m2, {}, std::nullopt}, alice, ra);
  ASSERT_TRUE(s3.ok());
  ASSERT_EQ(s3->to_send.size(), 1u);
  EXPECT_EQ(s3->to_send[0].kind, Kind::kSmp3);
}

TEST(SmpExecutorCrossBackendTest, OneSideOnEachBackend) {
  const auto backends = crypto::AllBackends();
  ASSERT_GE(backends.size(), 2u);
  for (const crypto::Backend* a : backends) {
    for (const crypto::Backend* b : backends) {
      if (a == b) continue;
      SCOPED_TRACE(std::string(a->name()) + " / " + std::string(b->name()));
      Pair same(*a, *b, 50);
      same.Run("s", "s", "q?");
      EXPECT_TRUE(same.alice.Has(EventType::kSmpSucceeded));
      EXPECT_TRUE(same.bob.Has(EventType::kSmpSucceeded));
      Pair differ(*a, *b, 51);
      differ.Run("s", "t");
      EXPECT_TRUE(differ.alice.Has(EventType::kSmpFailed));
      EXPECT_TRUE(differ.bob.Has(EventType::kSmpFailed));
    }
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SmpExecutorTest);

}  // namespace
}  // namespace otr::v4::smp

// PairTemplate (fuzz/support/harness.h, decision 0037): a copy of two
// parties kept after their AKE runs exactly as the originals would have
// gone on, because the Sessions are copied deeply and both parties'
// randomness is put back as it was when the template was taken.
#include <string>
#include <vector>

#include "fuzz/support/harness.h"
#include "gtest/gtest.h"

namespace otr::fuzzing {
namespace {

// What the two parties send and show through a conversation and an SMP run
// after the AKE: every byte depends on both Sessions' keys and on the draws
// of both parties' randomness.
std::vector<std::string> Continue(Party& alice, Party& bob) {
  std::vector<std::string> trace;
  auto record = [&](const Output& out) {
    for (const std::string& s : out.to_send) trace.push_back(s);
    for (const Displayed& d : out.display) trace.push_back("shown: " + d.text);
  };
  auto deliver = [&](Output out, bool from_alice) {
    record(out);
    Party& to = from_alice ? bob : alice;
    for (const std::string& s : out.to_send) {
      Output reply = to.session->Receive(to.clock.NowSeconds(), s);
      record(reply);
      Party& back = from_alice ? alice : bob;
      for (const std::string& r : reply.to_send) {
        record(back.session->Receive(back.clock.NowSeconds(), r));
      }
    }
  };
  deliver(alice.session->Send(alice.clock.NowSeconds(), "hello"), true);
  deliver(bob.session->Send(bob.clock.NowSeconds(), "hi"), false);
  deliver(alice.session->StartSmp(alice.clock.NowSeconds(), "secret", std::nullopt), true);
  deliver(bob.session->RespondSmp(bob.clock.NowSeconds(), "secret"), false);
  deliver(alice.session->Send(alice.clock.NowSeconds(), "bye"), true);
  return trace;
}

TEST(PairTemplateTest, ACopyGoesOnAsTheOriginalWould) {
  Party alice(0, Policy::Manual(), 5);
  Party bob(1, Policy::Manual(), 6);
  Pump(alice, bob, bob.session->StartOtr(bob.clock.NowSeconds()), false);
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  const PairTemplate saved(alice, bob);

  const std::vector<std::string> original = Continue(alice, bob);
  ASSERT_GT(original.size(), 8u);
  // Twice: the first copy's run must not change the template either.
  for (int i = 0; i < 2; ++i) {
    PairTemplate::Pair copy = saved.Copy();
    EXPECT_EQ(Continue(copy.alice, copy.bob), original) << "copy " << i;
  }
}

}  // namespace
}  // namespace otr::fuzzing

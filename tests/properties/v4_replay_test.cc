// Replay and reorder through two Sessions speaking OTRv4 (issue 17: "any
// permutation and duplication of delivered messages, within max_skip,
// yields each plaintext exactly once"; otrv4.md "When you receive a Data
// Message": "It also checks for duplicated messages and discards them",
// "Once used, that key is deleted from the storage"). A random script sends
// both ways, delivers what is in flight in any order, delivers copies of
// messages still in flight and replays delivered ones; at the end the rest
// arrives in a random order, and every message delivered (DAKE and data) is
// replayed once more. Each side displays each text the other sent
// exactly once, encrypted, and nothing else encrypted; both stay ENCRYPTED
// in version 4 with the same SSID. Both backends and one side on each.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "protocol/session/testing.h"
#include "tests/properties/property_check.h"
#include "tests/properties/v4_fixture.h"
#include "tests/properties/v4_sessions.h"

namespace otr::properties {
namespace {

using v4s::Sessions;

using V4ReplayTest = V4PropertyTest;

TEST_P(V4ReplayTest, AnyPermutationAndDuplicationShowsEachPlaintextOnce) {
  const crypto::Backend& alice = alice_backend();
  const crypto::Backend& bob = bob_backend();
  size_t duplicates = 0, replays = 0, shown = 0;
  const bool ok = CheckProperty(Name("replay and reorder"), 5, [&] {
    const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
    auto created = Sessions::Create(alice, bob, seed);
    RC_ASSERT(created.ok());
    Sessions& s = **created;
    RC_ASSERT(s.Establish().ok());
    const std::string ssid = s.session(0).ssid_text();
    std::vector<std::string> typed[2];
    const size_t shown_before[2] = {s.party(0).shown.size(), s.party(1).shown.size()};
    const int steps = *rc::gen::inRange(4, 40);
    int n = 0;
    for (int step = 0; step < steps; ++step) {
      const int action = *rc::gen::inRange(0, 10);
      if (action < 4) {
        const int who = *rc::gen::inRange(0, 2);
        const std::string text = (who == 0 ? "alice " : "bob ") + std::to_string(n++);
        typed[who].push_back(text);
        s.Act(who, [&](Session& session, uint64_t now) { return session.Send(now, text); });
      } else if (action < 8) {
        if (s.in_flight().empty()) continue;
        s.Deliver(*rc::gen::inRange<size_t>(0, s.in_flight().size()));
      } else if (action == 8) {
        if (s.in_flight().empty()) continue;
        const v4s::Packet copy = s.in_flight()[*rc::gen::inRange<size_t>(0, s.in_flight().size())];
        s.Inject(copy.to, copy.text);  // a copy now, the original later
        ++duplicates;
      } else {
        if (s.delivered().empty()) continue;
        const v4s::Packet again = s.delivered()[*rc::gen::inRange<size_t>(0, s.delivered().size())];
        s.Inject(again.to, again.text);
        ++replays;
      }
    }
    // The network delivers the rest in a random order, then the answers;
    // then the attacker replays everything delivered once more, and the
    // answers to that cross too.
    while (!s.in_flight().empty()) s.Deliver(*rc::gen::inRange<size_t>(0, s.in_flight().size()));
    const std::vector<v4s::Packet> all = s.delivered();
    for (const v4s::Packet& p : all) {
      s.Inject(p.to, p.text);
      ++replays;
    }
    s.Flush();
    for (int who = 0; who < 2; ++who) {
      std::vector<std::string> got(s.party(who).shown.begin() + shown_before[who],
                                   s.party(who).shown.end());
      std::vector<std::string> want = typed[1 - who];
      std::sort(got.begin(), got.end());
      std::sort(want.begin(), want.end());
      RC_ASSERT(got == want);
      shown += got.size();
      RC_ASSERT(s.session(who).state() == ConversationState::kEncrypted);
      RC_ASSERT(s.session(who).version() == 4);
      RC_ASSERT(s.session(who).ssid_text() == ssid);
    }
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "v4 replay and reorder: %zu texts shown once each, %zu copies of messages in "
               "flight and %zu replays of delivered ones refused\n",
               shown, duplicates, replays);
  EXPECT_GT(shown, 0u);
  EXPECT_GT(duplicates + replays, 0u);
}

OTR_INSTANTIATE_V4_PROPERTY(V4ReplayTest);

}  // namespace
}  // namespace otr::properties

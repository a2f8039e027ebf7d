// The engines leave no copy of a message's plaintext in freed memory, on the
// sending side (the encoded payload) or the receiving side (the decrypted
// payload, its decoded message and records), for v2, v3 and v4. Checked by
// scanning every heap block as it is freed (tests/crypto/freed_memory_scan.h)
// while one message is sent and received through the Session API. What the
// sessions hand the application (Displayed) stays alive until the scan ends:
// it is the application's copy.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/session/session.h"
#include "tests/crypto/freed_memory_scan.h"
#include "tests/crypto/test_util.h"
#include "tests/session/v4_fixture.h"
#include "tests/support/fixtures.h"

namespace otr {
namespace {

using crypto::testing::DeterministicRandom;
using otr::testing::FreedMemoryScan;

// Longer than any short-string buffer, so every copy of it is on the heap.
constexpr std::string_view kText = "plaintext that must not outlive its message: 7f3a9c";

struct Party {
  Party(const crypto::Backend& backend, int who, Policy policy, uint64_t seed) : random(seed) {
    const wire::InstanceTag tag = 0x1000 + static_cast<wire::InstanceTag>(seed);
    SessionConfig config;
    config.backend = &backend;
    config.policy = policy;
    config.our_tag = tag;
    if (policy.SpeaksV3()) config.identity.dsa = &otr::testing::CachedDsaKey(backend, who);
    if (policy.allow_v4) {
      identity = otr::testing::MakeV4Identity(backend, 100 + seed, tag, clock.NowSeconds(),
                                              policy.SpeaksV3() ? "43" : "4");
      config.identity.v4 = identity.get();
    }
    auto s = Session::Create(config, random);
    EXPECT_TRUE(s.ok());
    if (s.ok()) session.emplace(std::move(s).value());
  }
  uint64_t now() const { return clock.NowSeconds(); }

  DeterministicRandom random;
  otr::testing::FakeClock clock;
  std::unique_ptr<v4::Identity> identity;
  std::optional<Session> session;
};

// Delivers `out` and every reply until quiet; keeps every Output in `kept`.
void Pump(Party& from, Party& to, Output out, std::vector<Output>& kept) {
  std::vector<std::pair<std::string, Party*>> queue;
  auto take = [&](Output&& o, Party& receiver) {
    for (const std::string& s : o.to_send) queue.emplace_back(s, &receiver);
    kept.push_back(std::move(o));
  };
  take(std::move(out), to);
  for (size_t i = 0; i < queue.size() && i < 400; ++i) {
    Party* receiver = queue[i].second;
    Party* other = receiver == &from ? &to : &from;
    take(receiver->session->Receive(receiver->now(), queue[i].first), *other);
  }
}

bool Shown(const std::vector<Output>& kept, std::string_view text) {
  for (const Output& o : kept) {
    for (const Displayed& d : o.display) {
      if (d.text == text) return true;
    }
  }
  return false;
}

class PlaintextWipeTest : public crypto::testing::BackendTest {
 protected:
  void SendUnderScan(Policy policy, int version) {
    Party alice(backend(), 0, policy, 1);
    Party bob(backend(), 1, policy, 2);
    ASSERT_TRUE(alice.session && bob.session);
    std::vector<Output> setup;
    Pump(alice, bob, alice.session->StartOtr(alice.now()), setup);
    ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
    ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
    ASSERT_EQ(alice.session->version(), version);

    const std::string text(kText);
    std::vector<Output> kept;  // outlives the scan: the application's copies
    {
      FreedMemoryScan scan(AsBytes(kText).first(32));
      Pump(alice, bob, alice.session->Send(alice.now(), text), kept);
      EXPECT_GT(scan.blocks_scanned(), 0u);
      EXPECT_EQ(scan.hits(), 0u) << "a copy of the plaintext was freed unwiped";
    }
    EXPECT_TRUE(Shown(kept, kText));
  }
};

TEST_P(PlaintextWipeTest, V2) {
  Policy v2 = Policy::Manual();
  v2.allow_v3 = false;
  SendUnderScan(v2, 2);
}

TEST_P(PlaintextWipeTest, V3) { SendUnderScan(Policy::Manual(), 3); }

TEST_P(PlaintextWipeTest, V4) { SendUnderScan(Policy::Manual().WithV4(), 4); }

OTR_INSTANTIATE_FOR_ALL_BACKENDS(PlaintextWipeTest);

}  // namespace
}  // namespace otr

// Issue 20: our spec-exact Session (the default; no compatibility profile)
// and libotr-ng. libotr-ng's DAKE messages follow its own variant of OTRv4
// (docs/libotr-ng-deviations.md), so neither side may go secure, and our
// Session must refuse libotr-ng's messages with an event that says what they
// are, never misread them. Both directions, both backends.
#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/session/session.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_ng_peer.h"
#include "tests/session/v4_fixture.h"
#include "tests/support/fixtures.h"

namespace otr {
namespace {

using testing::LibotrNgPeer;

// Our side, with a Client Profile valid at the wall clock (libotr-ng checks
// expiry against time(NULL)). v4-standalone (otrv4.md "OTRv4 Modes") starts
// with an Identity Message and ignores Query Messages; v3-compatible
// (Manual with v4) answers libotr-ng's "?OTRv4?" with one.
struct Ours {
  Ours(const crypto::Backend& backend, uint64_t seed, Policy policy = Policy::V4Standalone())
      : random(seed) {
    now = static_cast<uint64_t>(std::time(nullptr));
    const wire::InstanceTag tag = 0x2000 + static_cast<wire::InstanceTag>(seed);
    identity = testing::MakeV4Identity(backend, seed, tag, now, "4");
    SessionConfig config;
    config.backend = &backend;
    config.policy = policy;
    if (policy.SpeaksV3()) config.identity.dsa = &testing::CachedDsaKey(backend, 0);
    config.our_tag = tag;
    config.identity.v4 = identity.get();
    auto s = Session::Create(config, random);
    EXPECT_TRUE(s.ok());
    if (s.ok()) session.emplace(std::move(s).value());
  }
  void Take(Output out, std::vector<std::string>& to_send) {
    for (auto& m : out.to_send) to_send.push_back(std::move(m));
    for (auto& e : out.events) events.push_back(std::move(e));
  }
  const events::MalformedMessage* Malformed() const {
    for (const Event& e : events)
      if (const auto* m = e.As<events::MalformedMessage>()) return m;
    return nullptr;
  }

  crypto::testing::DeterministicRandom random;
  uint64_t now = 0;
  std::unique_ptr<v4::Identity> identity;
  std::optional<Session> session;
  std::vector<Event> events;
};

// Delivers between the two until quiet; counts what each received.
struct Wire {
  int to_ours = 0, to_ng = 0;
  std::vector<std::string> ng_sent;
};
Wire Pump(Ours& ours, LibotrNgPeer& ng, std::vector<std::string> to_ng,
          std::vector<std::string> to_ours) {
  Wire w;
  for (int round = 0; round < 20 && (!to_ng.empty() || !to_ours.empty()); ++round) {
    std::vector<std::string> next_ng, next_ours;
    for (const auto& m : to_ng) {
      ++w.to_ng;
      for (auto& r : ng.Receive(m)) {
        w.ng_sent.push_back(r);
        next_ours.push_back(std::move(r));
      }
    }
    for (const auto& m : to_ours) {
      ++w.to_ours;
      ours.Take(ours.session->Receive(ours.now, m), next_ng);
    }
    to_ng = std::move(next_ng);
    to_ours = std::move(next_ours);
  }
  return w;
}

class LibotrNgSpecExactTest : public crypto::testing::BackendTest {};

// We start with a Query Message; libotr-ng answers with its Identity
// Message, whose Client Profile carries big-endian key types (deviation
// #1): our Session refuses it with an event naming libotr-ng's variant and
// sends no Auth-R; neither side goes secure.
TEST_P(LibotrNgSpecExactTest, WeQueryAndRefuseLibotrNgsIdentityWithAClearEvent) {
  Ours ours(backend(), 1, Policy::Manual().WithV4());
  ASSERT_TRUE(ours.session);
  LibotrNgPeer ng("bob@example.org", "alice@example.org", 0x10000b0b);
  std::vector<std::string> to_ng;
  ours.Take(ours.session->StartOtr(ours.now), to_ng);
  ASSERT_EQ(to_ng.size(), 1u);
  ASSERT_EQ(to_ng[0].rfind("?OTRv", 0), 0u) << to_ng[0];
  Wire w = Pump(ours, ng, to_ng, {});
  ASSERT_FALSE(w.ng_sent.empty());
  EXPECT_EQ(w.ng_sent[0].rfind("?OTR:AAQ1", 0), 0u) << "libotr-ng's Identity Message";
  const auto* refused = ours.Malformed();
  ASSERT_NE(refused, nullptr) << "no MalformedMessage event";
  EXPECT_NE(refused->detail.find("libotr-ng"), std::string::npos) << refused->detail;
  EXPECT_NE(ours.session->state(), ConversationState::kEncrypted);
  EXPECT_FALSE(ng.encrypted());
}

// libotr-ng starts with an Identity Message (otrng_client_identity_message):
// refused the same way.
TEST_P(LibotrNgSpecExactTest, LibotrNgStartsWithIdentityAndIsRefusedWithAClearEvent) {
  Ours ours(backend(), 2);
  ASSERT_TRUE(ours.session);
  LibotrNgPeer ng("bob@example.org", "alice@example.org", 0x10000b0b);
  Wire w = Pump(ours, ng, {}, {ng.IdentityMessage()});
  EXPECT_EQ(w.to_ng, 0) << "we answered libotr-ng's Identity Message";
  const auto* refused = ours.Malformed();
  ASSERT_NE(refused, nullptr) << "no MalformedMessage event";
  EXPECT_NE(refused->detail.find("Client Profile"), std::string::npos) << refused->detail;
  EXPECT_NE(ours.session->state(), ConversationState::kEncrypted);
}

// libotr-ng starts with a Query Message; our Identity Message is one
// libotr-ng cannot read (it expects its own key-type byte order): it sends
// nothing back and neither side goes secure. And when we start with an
// Identity Message (v4-standalone), the same.
TEST_P(LibotrNgSpecExactTest, LibotrNgRefusesOurIdentityEitherWay) {
  {
    Ours ours(backend(), 3, Policy::Manual().WithV4());
    ASSERT_TRUE(ours.session);
    LibotrNgPeer ng("bob@example.org", "alice@example.org", 0x10000b0b);
    Wire w = Pump(ours, ng, {}, {ng.Query()});
    EXPECT_EQ(w.to_ng, 1) << "our Identity Message";
    EXPECT_TRUE(w.ng_sent.empty()) << w.ng_sent[0];
    EXPECT_FALSE(ng.encrypted());
    EXPECT_NE(ours.session->state(), ConversationState::kEncrypted);
  }
  Ours ours(backend(), 4);
  ASSERT_TRUE(ours.session);
  LibotrNgPeer ng("bob@example.org", "alice@example.org", 0x10000b0b);
  std::vector<std::string> to_ng;
  ours.Take(ours.session->StartOtr(ours.now), to_ng);
  ASSERT_EQ(to_ng.size(), 1u);
  EXPECT_EQ(to_ng[0].rfind("?OTR:AAQ1", 0), 0u) << "our Identity Message";
  Wire w = Pump(ours, ng, to_ng, {});
  EXPECT_TRUE(w.ng_sent.empty()) << w.ng_sent[0];
  EXPECT_FALSE(ng.encrypted());
  EXPECT_NE(ours.session->state(), ConversationState::kEncrypted);
}

// Every kind of libotr-ng message, captured from a conversation between
// two libotr-ng clients, is refused by our Session with the deviation named
// (Identity and Auth-R: #1; Auth-I: #2; Data Message: #5).
TEST_P(LibotrNgSpecExactTest, EveryLibotrNgMessageKindIsNamed) {
  LibotrNgPeer alice("alice@example.org", "bob@example.org", 0x1000a11c);
  LibotrNgPeer bob("bob@example.org", "alice@example.org", 0x10000b0b);
  auto identity = bob.Receive(alice.Query());
  ASSERT_EQ(identity.size(), 1u);
  auto auth_r = alice.Receive(identity[0]);
  ASSERT_EQ(auth_r.size(), 1u);
  auto auth_i = bob.Receive(auth_r[0]);
  ASSERT_EQ(auth_i.size(), 1u);
  auto first_data = alice.Receive(auth_i[0]);
  ASSERT_EQ(first_data.size(), 1u);
  bob.Receive(first_data[0]);
  auto data = alice.Send("hi");
  ASSERT_EQ(data.size(), 1u);
  const struct {
    std::string message;
    const char* named;
  } kCases[] = {{identity[0], "Client Profile"},
                {auth_r[0], "Client Profile"},
                {auth_i[0], "56-byte scalars"},
                {first_data[0], "XSalsa20"},
                {data[0], "XSalsa20"}};
  for (const auto& c : kCases) {
    Ours ours(backend(), 5);
    ASSERT_TRUE(ours.session);
    auto out = ours.session->Receive(ours.now, c.message);
    EXPECT_TRUE(out.to_send.empty()) << c.named;
    ours.Take(std::move(out), identity);
    const auto* refused = ours.Malformed();
    ASSERT_NE(refused, nullptr) << c.named;
    EXPECT_NE(refused->detail.find(c.named), std::string::npos) << refused->detail;
  }
}

// Our two variants (Policy::v4_variant) never misread each other: a
// libotr-ng-profile Session refuses a spec Identity Message and says so,
// and a spec Session names the profile's Identity Message as libotr-ng's
// (its Client Profile bytes are libotr-ng's, #1).
TEST_P(LibotrNgSpecExactTest, OurTwoVariantsRefuseEachOtherWithTheVariantNamed) {
  Policy ng_policy = Policy::V4Standalone();
  ng_policy.v4_variant = V4Variant::kLibotrNg;
  Ours spec(backend(), 7);
  Ours ng(backend(), 8, ng_policy);
  ASSERT_TRUE(spec.session && ng.session);
  std::vector<std::string> from_spec, from_ng;
  spec.Take(spec.session->StartOtr(spec.now), from_spec);
  ng.Take(ng.session->StartOtr(ng.now), from_ng);
  ASSERT_EQ(from_spec.size(), 1u);
  ASSERT_EQ(from_ng.size(), 1u);
  std::vector<std::string> replies;
  ng.Take(ng.session->Receive(ng.now, from_spec[0]), replies);
  spec.Take(spec.session->Receive(spec.now, from_ng[0]), replies);
  EXPECT_TRUE(replies.empty()) << replies[0];
  ASSERT_NE(ng.Malformed(), nullptr);
  EXPECT_NE(ng.Malformed()->detail.find("a specification OTRv4 message"), std::string::npos)
      << ng.Malformed()->detail;
  ASSERT_NE(spec.Malformed(), nullptr);
  EXPECT_NE(spec.Malformed()->detail.find("libotr-ng"), std::string::npos)
      << spec.Malformed()->detail;
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgSpecExactTest);

}  // namespace
}  // namespace otr

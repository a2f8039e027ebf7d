// Replay and reorder (issue 17, "Out-of-order delivery"): two ratchets send
// in both directions in a random interleaving; the network delivers any
// permutation of the messages in flight and duplicates delivered ones.
// Within max_skip, every plaintext is read exactly once, every duplicate is
// refused (kReplayedCounter) without changing the state, and nothing else
// fails. Both DAKEs, every backend, and one side on each backend.
// `bazel test` runs a few cases with a fixed seed (RC_PARAMS in BUILD);
// OTR_PROPERTY_CASES=<n> runs n.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdlib>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "crypto/backends.h"
#include "tests/v4/ratchet/pair.h"

namespace otr::v4::ratchet {
namespace {

using testing::Dake;
using testing::Pair;
using testing::SameState;
using testing::SendText;
using testing::Side;
using testing::StartPair;

int Cases(int default_cases) {
  const char* env = std::getenv("OTR_PROPERTY_CASES");
  const int n = env == nullptr ? 0 : std::atoi(env);
  return n > 0 ? n : default_cases;
}

struct InFlight {
  DataMessage message;
  std::string text;
};

// One random conversation; RC_ASSERTs the property.
void DeliverEachOnce(const crypto::Backend& alice_backend, const crypto::Backend& bob_backend,
                     Dake dake) {
  const uint64_t seed = *rc::gen::inRange<uint64_t>(0, 1u << 30);
  Pair p = StartPair(alice_backend, bob_backend, dake, seed);
  Side* sides[2] = {&p.alice, &p.bob};
  std::vector<InFlight> in_flight[2];  // to side n
  std::vector<InFlight> delivered[2];
  std::map<std::string, int> reads;
  int sent = 0;
  auto deliver = [&](int to, size_t index) {
    InFlight m = in_flight[to][index];
    in_flight[to].erase(in_flight[to].begin() + static_cast<long>(index));
    auto got = sides[to]->ratchet->Receive(1000, m.message);
    RC_ASSERT(got.ok());
    RC_ASSERT(std::string(got->plaintext.view().begin(), got->plaintext.view().end()) == m.text);
    ++reads[m.text];
    delivered[to].push_back(std::move(m));
  };
  const int steps = *rc::gen::inRange(5, 40);
  for (int step = 0; step < steps; ++step) {
    const int action = *rc::gen::inRange(0, 6);
    const int side = action % 2;
    if (action < 2) {
      const std::string text = (side == 0 ? "A" : "B") + std::to_string(sent++);
      auto out = SendText(*sides[side], text);
      RC_ASSERT(out.ok());
      in_flight[1 - side].push_back(InFlight{out->message, text});
    } else if (action < 4) {
      if (in_flight[side].empty()) continue;
      deliver(side, *rc::gen::inRange<size_t>(0, in_flight[side].size()));
    } else {
      if (delivered[side].empty()) continue;
      const InFlight& again = delivered[side][*rc::gen::inRange<size_t>(0, delivered[side].size())];
      const Ratchet before = *sides[side]->ratchet;
      auto got = sides[side]->ratchet->Receive(1000, again.message);
      RC_ASSERT(!got.ok());
      RC_ASSERT(got.code() == ErrorCode::kReplayedCounter);
      RC_ASSERT(SameState(*sides[side]->backend, before, *sides[side]->ratchet));
    }
  }
  // The network delivers the rest in a random order.
  for (int to = 0; to < 2; ++to) {
    while (!in_flight[to].empty()) deliver(to, *rc::gen::inRange<size_t>(0, in_flight[to].size()));
  }
  RC_ASSERT(static_cast<int>(reads.size()) == sent);
  for (const auto& [text, count] : reads) RC_ASSERT(count == 1);
  RC_ASSERT(p.alice.ratchet->stored_key_count() == 0u);
  RC_ASSERT(p.bob.ratchet->stored_key_count() == 0u);
}

using Param = std::tuple<const crypto::Backend*, const crypto::Backend*, Dake>;
class DeliveryProperty : public ::testing::TestWithParam<Param> {};

TEST_P(DeliveryProperty, AnyPermutationAndDuplicationReadsEachPlaintextOnce) {
  const auto& [alice, bob, dake] = GetParam();
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = Cases(10);
  rc::detail::TestMetadata metadata;
  metadata.id = metadata.description = "each plaintext once";
  const auto result = rc::detail::checkTestable(
      [&, alice = alice, bob = bob, dake = dake] { DeliverEachOnce(*alice, *bob, dake); }, metadata,
      params);
  rc::detail::printResultMessage(result, std::cerr);
  EXPECT_TRUE(result.template is<rc::detail::SuccessResult>());
}

std::string Name(const ::testing::TestParamInfo<Param>& info) {
  return std::string(std::get<0>(info.param)->name()) + "_" +
         std::string(std::get<1>(info.param)->name()) + "_" +
         (std::get<2>(info.param) == Dake::kInteractive ? "interactive" : "noninteractive");
}

INSTANTIATE_TEST_SUITE_P(AllBackendPairs, DeliveryProperty,
                         ::testing::Combine(::testing::ValuesIn(crypto::AllBackends().begin(),
                                                                crypto::AllBackends().end()),
                                            ::testing::ValuesIn(crypto::AllBackends().begin(),
                                                                crypto::AllBackends().end()),
                                            ::testing::Values(Dake::kInteractive,
                                                              Dake::kNonInteractive)),
                         Name);

}  // namespace
}  // namespace otr::v4::ratchet

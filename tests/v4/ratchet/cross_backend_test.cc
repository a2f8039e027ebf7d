// One scripted conversation (both DAKEs, DH ratchets, out-of-order delivery)
// with a deterministic random source gives bit-identical Data Messages on
// every backend, and with one side on each backend: the ratchet's output
// depends on the spec, not on the library.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/backends.h"
#include "protocol/v4/messages/messages.h"
#include "tests/crypto/test_util.h"
#include "tests/v4/ratchet/pair.h"

namespace otr::v4::ratchet {
namespace {

using testing::Dake;
using testing::Pair;
using testing::ReceiveText;
using testing::SendText;
using testing::Side;
using testing::StartPair;

// The encoded messages of the script, or a description of the first failure.
std::vector<std::string> Script(const crypto::Backend& alice, const crypto::Backend& bob,
                                Dake dake) {
  Pair p = StartPair(alice, bob, dake, 77);
  std::vector<std::string> out;
  auto send = [&](Side& from, const std::string& text) {
    auto sent = SendText(from, text);
    if (!sent.ok()) {
      out.push_back("send error " + std::string(ErrorCodeName(sent.code())));
      return DataMessage{};
    }
    out.push_back(crypto::testing::ToHex(EncodeDataMessage(sent->message)));
    return sent->message;
  };
  auto receive = [&](Side& to, const DataMessage& m, const std::string& text) {
    auto got = ReceiveText(to, m);
    if (!got.ok() || *got != text) out.push_back("receive failed: " + text);
  };
  for (int round = 0; round < 4; ++round) {
    const std::string r = std::to_string(round);
    DataMessage a1 = send(p.alice, "a1 " + r);
    DataMessage a2 = send(p.alice, "a2 " + r);
    receive(p.bob, a2, "a2 " + r);
    receive(p.bob, a1, "a1 " + r);
    DataMessage b1 = send(p.bob, "b1 " + r);
    receive(p.alice, b1, "b1 " + r);
  }
  return out;
}

class CrossBackendTest : public ::testing::TestWithParam<Dake> {};

TEST_P(CrossBackendTest, BitIdenticalMessagesOnEveryBackendAndAcrossThem) {
  const auto backends = crypto::AllBackends();
  ASSERT_GE(backends.size(), 2u) << "both backends must be linked";
  const std::vector<std::string> reference = Script(*backends[0], *backends[0], GetParam());
  ASSERT_EQ(reference.size(), 4u * 3u);
  for (const std::string& line : reference) {
    ASSERT_EQ(line.find("error"), std::string::npos) << line;
    ASSERT_EQ(line.find("failed"), std::string::npos) << line;
  }
  for (const crypto::Backend* a : backends) {
    for (const crypto::Backend* b : backends) {
      EXPECT_EQ(Script(*a, *b, GetParam()), reference) << a->name() << " / " << b->name();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothDakes, CrossBackendTest,
                         ::testing::Values(Dake::kInteractive, Dake::kNonInteractive),
                         [](const ::testing::TestParamInfo<Dake>& info) {
                           return info.param == Dake::kInteractive ? "Interactive"
                                                                   : "NonInteractive";
                         });

}  // namespace
}  // namespace otr::v4::ratchet

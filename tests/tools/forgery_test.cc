// The forgery toolkit's arithmetic (tools/forgery.h, issue 7) on real
// transcripts made by our engine and by libotr 4.1.1, v2 and v3, on both
// crypto backends. The judge is a libotr receiver: a message forged with the
// keys it will use (readforge: new text under the AES key; modify + remac:
// the keyless edit re-MACed) is displayed with the forged text; one forged
// without those keys is refused. The MAC keys revealed later in the
// transcript (by libotr and by our engine) authenticate the forgeries.
#include "tools/forgery.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/session/session.h"
#include "protocol/v3/tlv.h"
#include "tests/interop/libotr_peer.h"
#include "tests/support/fixtures.h"

namespace otr::tools {
namespace {

using testing::LibotrPeer;

TEST(ForgeryArithmetic, MacKeyIsSha1OfTheAesKey) {
  // SHA-1(00112233445566778899aabbccddeeff), computed independently.
  auto aes = ParseHex("00112233445566778899AABBCCDDEEFF");
  ASSERT_TRUE(aes.ok());
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    EXPECT_EQ(Hex(MacKeyFromAesKey(*backend, crypto::SecretBytes(*aes)).Declassify()),
              "739e0e8490eacbcb2ea11d4a5dbefbae888b092e")
        << backend->name();
  }
}

TEST(ForgeryArithmetic, HexRefusesBadInput) {
  EXPECT_FALSE(ParseHex("abc").ok());
  EXPECT_FALSE(ParseHex("0g").ok());
  auto spaced = ParseHex("01:02 03");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(Hex(*spaced), "010203");
}

TEST(ForgeryArithmetic, ModifyStaysInsideThePayload) {
  v3::DataMessage m;
  m.encrypted_message = Bytes{1, 2, 3, 4};
  EXPECT_FALSE(ModifyAtOffset(m, 0, AsBytes(std::string("ab")), AsBytes(std::string("c"))).ok());
  EXPECT_FALSE(ModifyAtOffset(m, 3, AsBytes(std::string("ab")), AsBytes(std::string("cd"))).ok());
  EXPECT_FALSE(ModifyAtOffset(m, 5, AsBytes(std::string("")), AsBytes(std::string(""))).ok());
  ASSERT_TRUE(ModifyAtOffset(m, 2, AsBytes(std::string("ab")), AsBytes(std::string("ab"))).ok());
  EXPECT_EQ(m.encrypted_message, (Bytes{1, 2, 3, 4}));
  ASSERT_TRUE(ModifyAtOffset(m, 1, Bytes{0x00}, Bytes{0xff}).ok());
  EXPECT_EQ(m.encrypted_message, (Bytes{1, 0xfd, 3, 4}));
}

TEST(ForgeryArithmetic, DecodeRefusesWhatIsNotADataMessage) {
  EXPECT_FALSE(DecodeArmoredDataMessage("?OTRv3?").ok());
  EXPECT_FALSE(DecodeArmoredDataMessage("?OTR:AAMC.").ok());
}

// (backend, sender is libotr, protocol version)
using Param = std::tuple<const crypto::Backend*, bool, int>;

class ForgeryTranscriptTest : public ::testing::TestWithParam<Param> {
 protected:
  const crypto::Backend& backend() const { return *std::get<0>(GetParam()); }
  bool libotr_sender() const { return std::get<1>(GetParam()); }
  int version() const { return std::get<2>(GetParam()); }

  void SetUp() override {
    const auto policy = version() == 2 ? LibotrPeer::Policy::kV2Only : LibotrPeer::Policy::kManual;
    bob_ = std::make_unique<LibotrPeer>("bob", "alice", policy);
    if (libotr_sender()) {
      libotr_alice_ = std::make_unique<LibotrPeer>("alice", "bob", policy);
    } else {
      SessionConfig config;
      config.backend = &backend();
      config.identity.dsa = &otr::testing::CachedDsaKey(backend(), 0);
      config.policy = Policy::Manual();
      config.policy.allow_v3 = version() == 3;
      auto s = Session::Create(config, random_);
      ASSERT_TRUE(s.ok());
      our_alice_.emplace(std::move(s).value());
    }
    // Alice's Query Message starts the AKE at Bob.
    Pump({version() == 3 ? "?OTRv3?" : "?OTRv2?"});
    ASSERT_TRUE(bob_->encrypted());
    ASSERT_EQ(bob_->protocol_version(), version());
  }

  std::vector<std::string> AliceSends(const std::string& text) {
    if (libotr_alice_) return libotr_alice_->Send(text);
    return our_alice_->Send(clock_.NowSeconds(), text).to_send;
  }

  // Delivers both ways until quiet; records the transcript (sender, text).
  void Pump(std::vector<std::string> from_alice, std::vector<std::string> from_bob = {}) {
    std::deque<std::pair<bool, std::string>> queue;  // (from alice?, text)
    for (auto& s : from_alice) queue.emplace_back(true, std::move(s));
    for (auto& s : from_bob) queue.emplace_back(false, std::move(s));
    for (int steps = 0; !queue.empty() && steps < 200; ++steps) {
      auto [from_alice_now, text] = std::move(queue.front());
      queue.pop_front();
      wire_.emplace_back(from_alice_now, text);
      std::vector<std::string> replies;
      if (from_alice_now) {
        replies = bob_->Receive(text);
      } else if (libotr_alice_) {
        replies = libotr_alice_->Receive(text);
        if (!libotr_alice_->displayed().empty()) alice_saw_ = libotr_alice_->displayed().back();
      } else {
        Output out = our_alice_->Receive(clock_.NowSeconds(), text);
        replies = std::move(out.to_send);
        if (!out.display.empty()) alice_saw_ = out.display.back().text;
      }
      for (auto& s : replies) queue.emplace_back(!from_alice_now, std::move(s));
    }
  }

  void Chat(int rounds) {
    for (int i = 0; i < rounds; ++i) {
      const std::string a = "alice says " + std::to_string(i);
      const std::string b = "bob says " + std::to_string(i);
      Pump(AliceSends(a));
      ASSERT_EQ(bob_->displayed().back(), a);
      Pump({}, bob_->Send(b));
      ASSERT_EQ(alice_saw_, b);
    }
  }

  // Alice's Data Message for `text`, kept from Bob (an eavesdropper still
  // records it).
  v3::DataMessage Undelivered(const std::string& text) {
    std::vector<std::string> out = AliceSends(text);
    EXPECT_FALSE(out.empty());
    for (const std::string& m : out) wire_.emplace_back(true, m);  // seen on the wire
    auto m = DecodeArmoredDataMessage(out.empty() ? "" : out.back());
    EXPECT_TRUE(m.ok());
    return m.ok() ? *m : v3::DataMessage{};
  }

  // True if Bob displays `m` with exactly `text`.
  bool BobDisplays(const v3::DataMessage& m, const std::string& text) {
    const size_t before = bob_->displayed().size();
    Pump({EncodeArmoredDataMessage(m)});
    return bob_->displayed().size() == before + 1 && bob_->displayed().back() == text;
  }
  bool BobRefuses(const v3::DataMessage& m) {
    const size_t before = bob_->displayed().size();
    Pump({EncodeArmoredDataMessage(m)});
    return bob_->displayed().size() == before;
  }

  // What `otr sesskeys` derives from Bob's D-H secret for `m`'s recipient
  // keyid and Alice's public value for its sender keyid.
  std::optional<SessionKeys> BobKeysFor(const v3::DataMessage& m) {
    const LibotrPeer::DhState st = bob_->dh_state();
    const int i = st.our_keyid - m.recipient_keyid;
    const int j = st.their_keyid - m.sender_keyid;
    if (i < 0 || i > 1 || j < 0 || j > 1) return std::nullopt;
    auto ours = ParseHex(i == 0 ? st.our_private : st.our_old_private);
    auto theirs = ParseHex(j == 0 ? st.their_public : st.their_old_public);
    if (!ours.ok() || !theirs.ok()) return std::nullopt;
    auto keys = DeriveSessionKeys(backend(), crypto::SecretBytes(*ours), *theirs);
    if (!keys.ok()) return std::nullopt;
    // libotr derived the same receiving MAC key.
    EXPECT_EQ(Hex(keys->recv_mac.view()), st.receiving_mac_key[i][j]);
    return std::move(keys).value();
  }

  // The first key revealed in the transcript that authenticates `m`.
  std::optional<v3::MacKey> RevealedKeyFor(const v3::DataMessage& m) const {
    for (const auto& [from_alice, text] : wire_) {
      auto d = DecodeArmoredDataMessage(text);
      if (!d.ok()) continue;
      for (const v3::MacKey& key : d->old_mac_keys) {
        if (Authenticates(backend(), key, m)) return key;
      }
    }
    return std::nullopt;
  }

  crypto::testing::DeterministicRandom random_{7};
  otr::testing::FakeClock clock_;
  std::unique_ptr<LibotrPeer> bob_;
  std::unique_ptr<LibotrPeer> libotr_alice_;
  std::optional<Session> our_alice_;
  std::vector<std::pair<bool, std::string>> wire_;
  std::string alice_saw_;
};

TEST_P(ForgeryTranscriptTest, LibotrAcceptsWhatIsForgedWithItsKeysOnly) {
  Chat(2);  // both sides have rotated keys
  const std::string known = "attack at dawn";

  // readforge: decrypt with the AES key from sesskeys, check the MAC key.
  const v3::DataMessage original = Undelivered(known);
  std::optional<SessionKeys> keys = BobKeysFor(original);
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(MacKeyFromAesKey(backend(), keys->recv_aes).Declassify(), keys->recv_mac.Declassify());
  ASSERT_TRUE(Authenticates(backend(), keys->recv_mac.view(), original));
  auto payload = DecryptPayload(backend(), keys->recv_aes, original);
  ASSERT_TRUE(payload.ok());
  auto decoded = v3::DecodeDataPayload(*payload);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::string(decoded->message.begin(), decoded->message.end()), known);

  // Without the right keys: the keyless edit alone, the edit re-MACed with
  // the other direction's key, new text under the wrong AES key.
  v3::DataMessage unmaced = original;
  ASSERT_TRUE(
      ModifyAtOffset(unmaced, 0, AsBytes(known), AsBytes(std::string("retreat at six"))).ok());
  EXPECT_TRUE(BobRefuses(unmaced));
  v3::DataMessage wrong_mac = unmaced;
  Remac(backend(), keys->send_mac.view(), wrong_mac);
  EXPECT_TRUE(BobRefuses(wrong_mac));
  v3::DataMessage wrong_aes = original;
  ASSERT_TRUE(ReplacePayload(backend(), keys->send_aes, AsBytes(std::string("x")), wrong_aes).ok());
  Remac(backend(), MacKeyFromAesKey(backend(), keys->send_aes).view(), wrong_aes);
  EXPECT_TRUE(BobRefuses(wrong_aes));

  // readforge with Bob's keys: any text, any length.
  const std::string chosen = "retreat at six, and bring the whole army";
  v3::DataMessage forged = original;
  ASSERT_TRUE(ReplacePayload(backend(), keys->recv_aes, AsBytes(chosen), forged).ok());
  Remac(backend(), MacKeyFromAesKey(backend(), keys->recv_aes).view(), forged);
  EXPECT_TRUE(BobDisplays(forged, chosen));
  // Bob cannot take the original as well: its counter is used.
  EXPECT_TRUE(BobRefuses(original));

  // modify + remac: the keyless edit of a new message, re-MACed with the
  // receiving MAC key.
  const v3::DataMessage second = Undelivered(known);
  std::optional<SessionKeys> keys2 = BobKeysFor(second);
  ASSERT_TRUE(keys2.has_value());
  v3::DataMessage edited = second;
  ASSERT_TRUE(
      ModifyAtOffset(edited, 0, AsBytes(known), AsBytes(std::string("retreat at six"))).ok());
  EXPECT_TRUE(BobRefuses(edited));
  Remac(backend(), keys2->recv_mac.view(), edited);
  EXPECT_TRUE(BobDisplays(edited, "retreat at six"));

  // Later both sides reveal the MAC keys they used: Bob (libotr) the key of
  // Alice's message, Alice (our engine or libotr) the key of Bob's. Each
  // revealed key authenticates the forgery as well as the original.
  Chat(3);
  std::optional<v3::MacKey> revealed = RevealedKeyFor(second);
  ASSERT_TRUE(revealed.has_value());
  EXPECT_EQ(Hex(*revealed), Hex(keys2->recv_mac.view()));
  EXPECT_TRUE(Authenticates(backend(), *revealed, edited));

  // Bob's first Data Message is his first chat line, "bob says 0" (libotr
  // may follow it with a NUL and TLVs): forged keyless, re-MACed with the
  // key Alice revealed.
  const std::string bobs = "bob says 0";
  for (const auto& [from_alice, text] : wire_) {
    if (from_alice) continue;
    auto m = DecodeArmoredDataMessage(text);
    if (!m.ok()) continue;
    std::optional<v3::MacKey> key = RevealedKeyFor(*m);
    ASSERT_TRUE(key.has_value()) << "Alice revealed no key for Bob's first message";
    ASSERT_GE(m->encrypted_message.size(), bobs.size());
    v3::DataMessage edit = *m;
    ASSERT_TRUE(ModifyAtOffset(edit, 0, AsBytes(bobs), AsBytes(std::string("bob says 9"))).ok());
    EXPECT_FALSE(Authenticates(backend(), *key, edit));
    Remac(backend(), *key, edit);
    EXPECT_TRUE(Authenticates(backend(), *key, edit));
    return;
  }
  ADD_FAILURE() << "no Data Message from Bob";
}

std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return std::string(std::get<0>(info.param)->name()) +
         (std::get<1>(info.param) ? "_libotrSender" : "_ourSender") + "_v" +
         std::to_string(std::get<2>(info.param));
}

INSTANTIATE_TEST_SUITE_P(All, ForgeryTranscriptTest,
                         ::testing::Combine(::testing::ValuesIn(crypto::AllBackends().begin(),
                                                                crypto::AllBackends().end()),
                                            ::testing::Bool(), ::testing::Values(2, 3)),
                         ParamName);

}  // namespace
}  // namespace otr::tools

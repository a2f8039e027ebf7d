// v3 key management between two KeyStates (otr v3 spec, "Key Management",
// "Revealing MAC keys"): messages decrypt both ways, keys rotate, used MAC
// keys are revealed, and every rejected message leaves the state unchanged.
#include "protocol/v3/keys/key_state.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/backends.h"
#include "crypto/modp_group.h"
#include "crypto/testing/counting_backend.h"
#include "crypto/testing/deterministic_random.h"
#include "crypto/testing/failing_backend.h"
#include "tests/crypto/test_util.h"

namespace otr::v3 {
namespace {

using crypto::testing::DeterministicRandom;

class KeyStateTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
    auto a = crypto::GenerateDhKeyPair(backend(), group, random_);
    auto b = crypto::GenerateDhKeyPair(backend(), group, random_);
    ASSERT_TRUE(a.ok() && b.ok());
    Bytes a_pub = a->pub.ToBytes(), b_pub = b->pub.ToBytes();
    auto alice = KeyState::Start(backend(), std::move(a).value(), 1, b_pub, 1);
    auto bob = KeyState::Start(backend(), std::move(b).value(), 1, a_pub, 1);
    ASSERT_TRUE(alice.ok() && bob.ok());
    alice_.emplace(std::move(alice).value());
    bob_.emplace(std::move(bob).value());
  }

  DataMessage Seal(KeyState& from, std::string_view text) {
    auto sealed = from.Seal(Header{}, 0, AsBytes(text), random_);
    EXPECT_TRUE(sealed.ok());
    return sealed->message;
  }

  std::string Open(KeyState& to, const DataMessage& m) {
    auto opened = to.Open(m, random_);
    if (!opened.ok()) return "error:" + std::string(ErrorCodeName(opened.code()));
    return std::string(opened->plaintext.view().begin(), opened->plaintext.view().end());
  }

  DeterministicRandom random_{42};
  std::optional<KeyState> alice_, bob_;
};

TEST_P(KeyStateTest, PingPongRotatesKeys) {
  for (int round = 0; round < 4; ++round) {
    const std::string a = "from alice " + std::to_string(round);
    const std::string b = "from bob " + std::to_string(round);
    EXPECT_EQ(Open(*bob_, Seal(*alice_, a)), a);
    EXPECT_EQ(Open(*alice_, Seal(*bob_, b)), b);
  }
  // Each received message that names our newest key rotates ours.
  EXPECT_GT(alice_->our_keyid(), 2u);
  EXPECT_GT(bob_->their_keyid(), 1u);
}

TEST_P(KeyStateTest, OneWayBurstUsesIncreasingCounters) {
  DataMessage first = Seal(*alice_, "one");
  DataMessage second = Seal(*alice_, "two");
  EXPECT_LT(first.ctr, second.ctr);
  EXPECT_EQ(Open(*bob_, first), "one");
  EXPECT_EQ(Open(*bob_, second), "two");
  // Replaying the first is refused.
  EXPECT_EQ(Open(*bob_, first), "error:kReplayedCounter");
}

TEST_P(KeyStateTest, RejectedMessagesChangeNothing) {
  DataMessage good = Seal(*alice_, "hello");
  const uint32_t our = bob_->our_keyid(), theirs = bob_->their_keyid();

  DataMessage bad_mac = good;
  bad_mac.mac[0] ^= 1;
  EXPECT_EQ(Open(*bob_, bad_mac), "error:kBadMac");
  DataMessage bad_text = good;
  bad_text.encrypted_message[0] ^= 1;
  EXPECT_EQ(Open(*bob_, bad_text), "error:kBadMac");
  DataMessage bad_keyid = good;
  bad_keyid.sender_keyid = 7;
  EXPECT_EQ(Open(*bob_, bad_keyid), "error:kUnknownKeyId");
  DataMessage bad_next = good;
  bad_next.next_dh = {1};  // would become their key: must be in [2, p-2]
  EXPECT_EQ(Open(*bob_, bad_next), "error:kOutOfRange");

  EXPECT_EQ(bob_->our_keyid(), our);
  EXPECT_EQ(bob_->their_keyid(), theirs);
  EXPECT_EQ(Open(*bob_, good), "hello");
}

TEST_P(KeyStateTest, UsedMacKeysAreRevealedAfterRotation) {
  // Bob receives from Alice under (bob 1, alice 1), then both rotate.
  EXPECT_EQ(Open(*bob_, Seal(*alice_, "a1")), "a1");
  EXPECT_EQ(Open(*alice_, Seal(*bob_, "b1")), "b1");
  EXPECT_EQ(Open(*bob_, Seal(*alice_, "a2")), "a2");
  EXPECT_EQ(Open(*alice_, Seal(*bob_, "b2")), "b2");
  EXPECT_EQ(Open(*bob_, Seal(*alice_, "a3")), "a3");
  // Bob has forgotten keys whose receiving MAC keys he used: he reveals them
  // in his next message, and only once.
  ASSERT_FALSE(bob_->pending_reveal().empty());
  DataMessage reveal = Seal(*bob_, "b3");
  EXPECT_FALSE(reveal.old_mac_keys.empty());
  EXPECT_TRUE(bob_->pending_reveal().empty());
  EXPECT_EQ(Open(*alice_, reveal), "b3");
}

// Seal encodes the message once (the MAC over its prefix, then the MAC and
// the revealed keys appended): the bytes are EncodeMessage's, with and
// without revealed MAC keys.
TEST_P(KeyStateTest, SealedBytesAreTheMessageEncoding) {
  bool revealed = false;
  for (int round = 0; round < 4; ++round) {
    for (bool from_alice : {true, false}) {
      KeyState& from = from_alice ? *alice_ : *bob_;
      KeyState& to = from_alice ? *bob_ : *alice_;
      const std::string text = "round " + std::to_string(round);
      auto sealed = from.Seal(Header{Version::kV3, 0x100, 0x200}, 0, AsBytes(text), random_);
      ASSERT_TRUE(sealed.ok());
      EXPECT_EQ(sealed->encoded, EncodeMessage(Message(sealed->message)));
      revealed = revealed || !sealed->message.old_mac_keys.empty();
      EXPECT_EQ(Open(to, sealed->message), text);
    }
  }
  EXPECT_TRUE(revealed);
}

// The receiver MACs the bytes it was given (the message as sent): bytes
// that differ from the decoded fields are refused with no state change; the
// sender's own bytes verify.
TEST_P(KeyStateTest, TheMacCoversTheBytesAsSent) {
  auto sealed = alice_->Seal(Header{Version::kV3, 0x100, 0x200}, 0, AsBytes("as sent"), random_);
  ASSERT_TRUE(sealed.ok());
  const ByteView mac_input = DataMessageMacInputOf(sealed->encoded, sealed->message);
  EXPECT_EQ(Bytes(mac_input.begin(), mac_input.end()), EncodeDataMessageMacInput(sealed->message));
  Bytes tampered(mac_input.begin(), mac_input.end());
  tampered.back() ^= 0x01;
  const uint32_t our = bob_->our_keyid(), theirs = bob_->their_keyid();
  auto refused = bob_->Open(sealed->message, random_, tampered);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kBadMac);
  EXPECT_EQ(bob_->our_keyid(), our);
  EXPECT_EQ(bob_->their_keyid(), theirs);
  auto opened = bob_->Open(sealed->message, random_, mac_input);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(std::string(opened->plaintext.view().begin(), opened->plaintext.view().end()),
            "as sent");
}

// Verify keeps the next D-H key only when the sender's keyid is their
// newest; an Accept that would install it without one fails closed.
TEST_P(KeyStateTest, AcceptWithoutTheNextKeyFailsClosed) {
  DataMessage m = Seal(*alice_, "hello");
  auto verified = bob_->Verify(m);
  ASSERT_TRUE(verified.ok());
  ASSERT_FALSE(verified->next_dh.empty());
  verified->next_dh.clear();
  const uint32_t theirs = bob_->their_keyid();
  auto accepted = bob_->Accept(std::move(verified).value(), random_);
  EXPECT_EQ(accepted.code(), ErrorCode::kUnknownKeyId);
  EXPECT_EQ(bob_->their_keyid(), theirs);
  EXPECT_EQ(Open(*bob_, m), "hello");
}

TEST_P(KeyStateTest, MessageUnderPreviousKeyStillOpens) {
  // Alice sends two messages; Bob answers the first (rotating), then the
  // second (sent under Alice's previous key pairing) still opens.
  DataMessage first = Seal(*alice_, "first");
  DataMessage second = Seal(*alice_, "second");
  EXPECT_EQ(Open(*bob_, first), "first");
  EXPECT_EQ(Open(*alice_, Seal(*bob_, "reply")), "reply");
  EXPECT_EQ(Open(*bob_, second), "second");
}

// Issue 14, finding 3: the keys of every (our keyid, their keyid) pair are
// derived when the pair becomes known, so a forged Data Message (any keyids
// we hold, a bad MAC) is rejected without public-key work. It used to cost
// the D-H modexp of a pair not yet used, before the MAC was checked.
TEST_P(KeyStateTest, ForgedMessagesRunNoModExp) {
  crypto::testing::CountingBackend counting(backend());
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  auto a = crypto::GenerateDhKeyPair(backend(), group, random_);
  auto b = crypto::GenerateDhKeyPair(backend(), group, random_);
  ASSERT_TRUE(a.ok() && b.ok());
  Bytes a_pub = a->pub.ToBytes(), b_pub = b->pub.ToBytes();
  auto alice = KeyState::Start(backend(), std::move(a).value(), 1, b_pub, 1);
  auto bob = KeyState::Start(counting, std::move(b).value(), 1, a_pub, 1);
  ASSERT_TRUE(alice.ok() && bob.ok());

  // Forgeries of `genuine` under every pair of keyids Bob holds.
  auto forge_all = [&](const DataMessage& genuine) {
    counting.Reset();
    int forged = 0;
    for (uint32_t ours : {bob->our_keyid() - 1, bob->our_keyid()}) {
      for (uint32_t theirs : {bob->their_keyid() - 1, bob->their_keyid()}) {
        DataMessage m = genuine;
        m.recipient_keyid = ours;
        m.sender_keyid = theirs;
        m.mac[3] ^= 0x40;
        auto opened = bob->Open(m, random_);
        ASSERT_FALSE(opened.ok());
        if (opened.code() == ErrorCode::kUnknownKeyId) continue;  // a keyid not held
        EXPECT_EQ(opened.code(), ErrorCode::kBadMac) << ours << "," << theirs;
        ++forged;
      }
    }
    EXPECT_GT(forged, 0);
    EXPECT_EQ(counting.modexps(), 0u) << "public-key work before the MAC check";
  };

  // Just established, nothing received yet.
  DataMessage first = Seal(*alice, "first");
  forge_all(first);
  EXPECT_EQ(Open(*bob, first), "first");
  // After rotations both ways, all four pairs held.
  for (int round = 0; round < 3; ++round) {
    forge_all(Seal(*alice, "a"));
    EXPECT_EQ(Open(*alice, Seal(*bob, "b")), "b");
    DataMessage next = Seal(*alice, "c");
    forge_all(next);
    EXPECT_EQ(Open(*bob, next), "c");
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(KeyStateTest);

}  // namespace
}  // namespace otr::v3

namespace otr::v3 {
namespace {

// A Seal that fails (here its AES-CTR) changes nothing: no next key pair is
// kept, no counter moves, and the next Seal announces the same key pair it
// would have announced.
TEST(KeyStateFailure, FailedSealKeepsNoNewKeyPair) {
  const crypto::Backend& real = crypto::DefaultBackend();
  crypto::testing::FailingBackend failing(real);
  DeterministicRandom random(7);
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  auto a = crypto::GenerateDhKeyPair(real, group, random);
  auto b = crypto::GenerateDhKeyPair(real, group, random);
  ASSERT_TRUE(a.ok() && b.ok());
  const Bytes b_pub = b->pub.ToBytes();
  auto alice = KeyState::Start(failing, std::move(a).value(), 1, b_pub, 1);
  ASSERT_TRUE(alice.ok());
  const size_t held = alice->HeldSecrets().size();
  failing.Fail(crypto::testing::FailingOperation::kKeyedAes128CtrCrypt);
  EXPECT_FALSE(alice->Seal(Header{}, 0, AsBytes("lost"), random).ok());
  EXPECT_EQ(alice->HeldSecrets().size(), held);
  failing.Clear();
  auto sealed = alice->Seal(Header{}, 0, AsBytes("sent"), random);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->message.ctr[7], 1);  // the first counter of the pair
  EXPECT_GT(alice->HeldSecrets().size(), held);
}

// Decision 0032: a pair's keyed contexts (AES-CTR, HMAC) are set up by the
// first Seal or Verify that needs them, not when the pair is derived. A
// setup that fails fails that Seal or Open and changes nothing: no next key
// pair is kept, no counter is used, and the same message opens once the
// backend works again.
TEST(KeyStateFailure, FailedCipherSetupChangesNothing) {
  const crypto::Backend& real = crypto::DefaultBackend();
  crypto::testing::FailingBackend failing_a(real), failing_b(real);
  DeterministicRandom random(11);
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  auto a = crypto::GenerateDhKeyPair(real, group, random);
  auto b = crypto::GenerateDhKeyPair(real, group, random);
  ASSERT_TRUE(a.ok() && b.ok());
  const Bytes a_pub = a->pub.ToBytes(), b_pub = b->pub.ToBytes();
  auto alice = KeyState::Start(failing_a, std::move(a).value(), 1, b_pub, 1);
  auto bob = KeyState::Start(failing_b, std::move(b).value(), 1, a_pub, 1);
  ASSERT_TRUE(alice.ok() && bob.ok());
  // Starting set up no context: nothing to fail yet.
  EXPECT_EQ(failing_a.calls(crypto::testing::FailingOperation::kNewKeyedAes128Ctr), 0u);

  // Sealing: the sending AES-CTR context cannot be set up.
  const size_t held = alice->HeldSecrets().size();
  failing_a.Fail(crypto::testing::FailingOperation::kNewKeyedAes128Ctr);
  auto lost = alice->Seal(Header{}, 0, AsBytes("lost"), random);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.code(), ErrorCode::kBackendFailure);
  EXPECT_GT(failing_a.failures(crypto::testing::FailingOperation::kNewKeyedAes128Ctr), 0u);
  EXPECT_EQ(alice->HeldSecrets().size(), held);  // no next key pair kept
  failing_a.Clear();
  auto sealed = alice->Seal(Header{}, 0, AsBytes("sent"), random);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->message.ctr[7], 1);  // the first counter of the pair

  // Opening: the receiving AES-CTR context cannot be set up (after the MAC
  // verified): refused, and the counter is not used up.
  const uint32_t ours = bob->our_keyid(), theirs = bob->their_keyid();
  const size_t bob_held = bob->HeldSecrets().size();
  failing_b.Fail(crypto::testing::FailingOperation::kNewKeyedAes128Ctr);
  auto refused = bob->Open(sealed->message, random);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kBackendFailure);
  EXPECT_EQ(bob->our_keyid(), ours);
  EXPECT_EQ(bob->their_keyid(), theirs);
  EXPECT_EQ(bob->HeldSecrets().size(), bob_held);
  failing_b.Clear();
  auto opened = bob->Open(sealed->message, random);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(std::string(opened->plaintext.view().begin(), opened->plaintext.view().end()), "sent");
  EXPECT_GT(bob->their_keyid(), theirs);  // Alice's next key accepted
}

}  // namespace
}  // namespace otr::v3

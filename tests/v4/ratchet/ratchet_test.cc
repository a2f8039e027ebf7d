// The OTRv4 double ratchet between two Ratchets (otrv4.md, "Key Management",
// "Data Exchange", "When you send/receive a Data Message"), on every backend:
// messages both ways, an ECDH ratchet on every change of direction, a DH
// ratchet every third, out-of-order delivery through stored keys, duplicates,
// max_skip and the total bound, tampering, stale plans, deletion of stored
// keys and session expiration. Every refusal leaves the state unchanged.
#include "protocol/v4/ratchet/ratchet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/backends.h"
#include "protocol/v4/ratchet/derive.h"
#include "tests/crypto/test_util.h"
#include "tests/v4/ratchet/pair.h"

namespace otr::v4::ratchet {
namespace {

using testing::Dake;
using testing::Pair;
using testing::ReceiveText;
using testing::SameState;
using testing::SendText;
using testing::Side;
using testing::StartPair;

using RatchetTest = crypto::testing::BackendTest;

DataMessage MustSend(Side& side, const std::string& text, uint64_t now = 1000) {
  auto sent = SendText(side, text, now);
  EXPECT_TRUE(sent.ok()) << (sent.ok() ? "" : ErrorCodeName(sent.code()));
  return sent.ok() ? sent->message : DataMessage{};
}

std::string Open(Side& side, const DataMessage& m, uint64_t now = 1000) {
  auto r = ReceiveText(side, m, now);
  if (!r.ok()) return "error:" + std::string(ErrorCodeName(r.code()));
  return *r;
}

// A refused message changes nothing, and the error is the one expected.
void ExpectRefused(Side& side, const DataMessage& m, ErrorCode code, uint64_t now = 1000) {
  const Ratchet before = *side.ratchet;
  auto r = side.ratchet->Receive(now, m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), code) << ErrorCodeName(r.code());
  EXPECT_TRUE(SameState(*side.backend, before, *side.ratchet));
}

TEST_P(RatchetTest, InteractivePingPongTurnsTheRatchetOnEveryChangeOfDirection) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 1);
  // Alice's first chain and Bob's first chain are both ratchet 0 (README.md).
  DataMessage a0 = MustSend(p.alice, "a0");
  DataMessage b0 = MustSend(p.bob, "b0");
  EXPECT_EQ(a0.ratchet_id, 0u);
  EXPECT_EQ(b0.ratchet_id, 0u);
  EXPECT_FALSE(a0.dh.empty());
  EXPECT_FALSE(b0.dh.empty());
  EXPECT_EQ(Open(p.bob, a0), "a0");
  EXPECT_EQ(Open(p.alice, b0), "b0");
  // Then the ratchets alternate: 1 (Alice), 2 (Bob), 3 (Alice, DH), ...
  std::vector<uint32_t> ids;
  std::vector<bool> has_dh;
  crypto::Ed448Encoding last_alice = a0.ecdh, last_bob = b0.ecdh;
  for (int round = 0; round < 4; ++round) {
    DataMessage a = MustSend(p.alice, "a" + std::to_string(round));
    EXPECT_NE(a.ecdh, last_alice) << "a new ECDH key on each change of direction";
    last_alice = a.ecdh;
    ids.push_back(a.ratchet_id);
    has_dh.push_back(!a.dh.empty());
    EXPECT_EQ(Open(p.bob, a), "a" + std::to_string(round));
    DataMessage b = MustSend(p.bob, "b" + std::to_string(round));
    EXPECT_NE(b.ecdh, last_bob);
    last_bob = b.ecdh;
    ids.push_back(b.ratchet_id);
    has_dh.push_back(!b.dh.empty());
    EXPECT_EQ(Open(p.alice, b), "b" + std::to_string(round));
  }
  EXPECT_EQ(ids, (std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  // The Public DH Key is present in DH ratchets only: every third.
  EXPECT_EQ(has_dh, (std::vector<bool>{false, false, true, false, false, true, false, false}));
  EXPECT_EQ(p.alice.ratchet->state().i, 9u);
  EXPECT_EQ(p.bob.ratchet->state().i, 9u);
}

TEST_P(RatchetTest, NonInteractiveStartBobTurnsTheRatchetFirst) {
  Pair p = StartPair(backend(), backend(), Dake::kNonInteractive, 2);
  DataMessage a0 = MustSend(p.alice, "attached to Non-Interactive-Auth");
  DataMessage a1 = MustSend(p.alice, "second");
  EXPECT_EQ(a0.ratchet_id, 0u);
  EXPECT_EQ(a1.message_id, 1u);
  EXPECT_FALSE(a0.dh.empty()) << "ratchet 0 carries our_dh_first";
  EXPECT_EQ(Open(p.bob, a1), "second");
  EXPECT_EQ(Open(p.bob, a0), "attached to Non-Interactive-Auth");
  for (int round = 0; round < 3; ++round) {
    DataMessage b = MustSend(p.bob, "b");
    EXPECT_EQ(b.ratchet_id, 1u + 2 * round);
    EXPECT_EQ(!b.dh.empty(), b.ratchet_id % 3 == 0);
    EXPECT_EQ(Open(p.alice, b), "b");
    DataMessage a = MustSend(p.alice, "a");
    EXPECT_EQ(a.ratchet_id, 2u + 2 * round);
    EXPECT_EQ(!a.dh.empty(), a.ratchet_id % 3 == 0);
    EXPECT_EQ(Open(p.bob, a), "a");
  }
}

TEST_P(RatchetTest, DhRatchetChangesTheBraceKeyFromTheDhExchange) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 3);
  ASSERT_EQ(Open(p.alice, MustSend(p.bob, "b0")), "b0");  // ratchet 0 received
  crypto::SecretBytes brace = p.alice.ratchet->state().brace_key;
  for (uint32_t id = 1; id <= 4; ++id) {
    Side& from = id % 2 == 1 ? p.alice : p.bob;
    Side& to = id % 2 == 1 ? p.bob : p.alice;
    DataMessage m = MustSend(from, "x");
    ASSERT_EQ(m.ratchet_id, id);
    const crypto::SecretBytes next = from.ratchet->state().brace_key;
    if (id % 3 != 0) {
      // "brace_key = KDF(usage_brace_key || brace_key, 32)".
      EXPECT_TRUE(next == NextBraceKey(backend(), brace)) << id;
    } else {
      EXPECT_FALSE(next == NextBraceKey(backend(), brace)) << id;
    }
    ASSERT_EQ(Open(to, m), "x");
    EXPECT_TRUE(to.ratchet->state().brace_key == next);
    brace = next;
  }
}

TEST_P(RatchetTest, OutOfOrderWithinAChainAndAcrossRatchets) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 4);
  std::vector<DataMessage> first;
  for (int n = 0; n < 4; ++n) first.push_back(MustSend(p.alice, "A" + std::to_string(n)));
  EXPECT_EQ(Open(p.bob, first[2]), "A2");  // stores the keys of 0 and 1
  EXPECT_EQ(p.bob.ratchet->stored_key_count(), 2u);
  ASSERT_EQ(Open(p.alice, MustSend(p.bob, "B")), "B");
  DataMessage next = MustSend(p.alice, "C");  // a new ratchet, pn = 4
  EXPECT_EQ(next.previous_chain_length, 4u);
  EXPECT_EQ(Open(p.bob, next), "C");  // stores the key of 3 too
  EXPECT_EQ(p.bob.ratchet->stored_key_count(), 3u);
  EXPECT_EQ(Open(p.bob, first[3]), "A3");
  EXPECT_EQ(Open(p.bob, first[0]), "A0");
  EXPECT_EQ(Open(p.bob, first[1]), "A1");
  EXPECT_EQ(p.bob.ratchet->stored_key_count(), 0u);
  // Each stored key was used once, then deleted.
  ExpectRefused(p.bob, first[1], ErrorCode::kReplayedCounter);
  ExpectRefused(p.bob, first[2], ErrorCode::kReplayedCounter);
  ExpectRefused(p.bob, next, ErrorCode::kReplayedCounter);
}

TEST_P(RatchetTest, BeyondMaxSkipIsRefusedWithoutStateChange) {
  Limits limits;
  limits.max_skip = 3;
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 5, limits);
  std::vector<DataMessage> sent;
  for (int n = 0; n < 6; ++n) sent.push_back(MustSend(p.alice, "m" + std::to_string(n)));
  // Message 4 would store 4 keys in this chain.
  ExpectRefused(p.bob, sent[4], ErrorCode::kTooLarge);
  EXPECT_EQ(Open(p.bob, sent[3]), "m3");  // 3 keys: allowed
  EXPECT_EQ(Open(p.bob, sent[5]), "m5");
  EXPECT_EQ(Open(p.bob, sent[4]), "m4");
  // Across a ratchet: pn beyond max_skip.
  Pair q = StartPair(backend(), backend(), Dake::kInteractive, 6, limits);
  for (int n = 0; n < 5; ++n) MustSend(q.alice, "lost");
  ASSERT_EQ(Open(q.alice, MustSend(q.bob, "B")), "B");
  ExpectRefused(q.bob, MustSend(q.alice, "C"), ErrorCode::kTooLarge);
}

TEST_P(RatchetTest, TotalStoredKeysAreBoundedPerConversation) {
  Limits limits;
  limits.max_skip = 10;
  limits.max_stored_keys = 12;
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 7, limits);
  std::vector<DataMessage> sent;
  for (int n = 0; n < 20; ++n) sent.push_back(MustSend(p.alice, "m"));
  EXPECT_EQ(Open(p.bob, sent[8]), "m");                  // 8 stored
  EXPECT_EQ(Open(p.bob, sent[13]), "m");                 // 4 more: 12
  ExpectRefused(p.bob, sent[15], ErrorCode::kTooLarge);  // 13 would be too many
  EXPECT_EQ(Open(p.bob, sent[14]), "m");                 // none stored
  EXPECT_EQ(p.bob.ratchet->stored_key_count(), 12u);
}

TEST_P(RatchetTest, TamperedMessagesAreRefusedWithoutStateChange) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 8);
  DataMessage a0 = MustSend(p.alice, "a0");
  ASSERT_EQ(Open(p.bob, a0), "a0");
  DataMessage a1 = MustSend(p.alice, "a1");
  {
    DataMessage bad = a1;
    bad.authenticator[5] ^= 1;
    ExpectRefused(p.bob, bad, ErrorCode::kBadMac);
  }
  {
    DataMessage bad = a1;
    bad.encrypted_message[0] ^= 1;
    ExpectRefused(p.bob, bad, ErrorCode::kBadMac);
  }
  {
    DataMessage bad = a1;
    bad.flags ^= 1;
    ExpectRefused(p.bob, bad, ErrorCode::kBadMac);
  }
  {
    DataMessage bad = a1;
    bad.message_id = 2;
    ExpectRefused(p.bob, bad, ErrorCode::kBadMac);
  }
  {
    DataMessage bad = a1;
    bad.header.sender_instance_tag ^= 1;
    ExpectRefused(p.bob, bad, ErrorCode::kBadMac);
  }
  {
    DataMessage bad = a1;
    bad.previous_chain_length = 1;
    ExpectRefused(p.bob, bad, ErrorCode::kBadMac);
  }
  {
    DataMessage bad = a1;
    bad.dh = Mpi();  // a DH ratchet's message without its DH key
    ExpectRefused(p.bob, bad, ErrorCode::kInvalidEncoding);
  }
  // A new ratchet tampered: its keys are derived, then the MAC fails.
  ASSERT_EQ(Open(p.alice, MustSend(p.bob, "b")), "b");
  DataMessage c = MustSend(p.alice, "c");
  {
    DataMessage bad = c;
    bad.authenticator[0] ^= 0x80;
    ExpectRefused(p.bob, bad, ErrorCode::kBadMac);
  }
  {
    DataMessage bad = c;
    bad.ecdh = a0.ecdh;  // an old key: not a new ratchet, not the current chain
    ExpectRefused(p.bob, bad, ErrorCode::kUnknownKeyId);
  }
  {
    DataMessage bad = c;
    bad.ecdh[3] ^= 0x10;  // most likely not a point; else a different ratchet
    const Ratchet before = *p.bob.ratchet;
    EXPECT_FALSE(p.bob.ratchet->Receive(1000, bad).ok());
    EXPECT_TRUE(SameState(backend(), before, *p.bob.ratchet));
  }
  // A stored key is not consumed by a forgery.
  DataMessage c1 = MustSend(p.alice, "c1");
  DataMessage c2 = MustSend(p.alice, "c2");
  ASSERT_EQ(Open(p.bob, c2), "c2");
  DataMessage bad_c1 = c1;
  bad_c1.encrypted_message.push_back(0);
  ExpectRefused(p.bob, bad_c1, ErrorCode::kBadMac);
  EXPECT_EQ(Open(p.bob, c), "c");
  EXPECT_EQ(Open(p.bob, c1), "c1");
}

// The sender's encoding is the message's, its Authenticator computed over
// its first part; the receiver checks the Authenticator over the bytes it
// was given (the message as sent), not over a new encoding of the fields.
TEST_P(RatchetTest, TheAuthenticatorCoversTheBytesAsSent) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 7);
  auto sent = SendText(p.alice, "as sent", 1000);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->encoded, EncodeDataMessage(sent->message));
  const ByteView mac_input = DataMessageMacInputOf(sent->encoded, sent->message);
  const Bytes reencoded = DataMessageMacInput(sent->message);
  EXPECT_TRUE(std::equal(mac_input.begin(), mac_input.end(), reencoded.begin(), reencoded.end()));

  // Bytes that differ from the fields (one bit of the ciphertext): refused,
  // with no state change, though the decoded message itself is intact.
  Bytes tampered(mac_input.begin(), mac_input.end());
  tampered.back() ^= 0x01;
  const Ratchet before = *p.bob.ratchet;
  auto refused = p.bob.ratchet->Receive(1000, sent->message, tampered);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kBadMac);
  EXPECT_TRUE(SameState(*p.bob.backend, before, *p.bob.ratchet));

  // The bytes as sent: accepted, as is the same message without bytes
  // (encoded again) on a copy of the receiver.
  Ratchet copy = *p.bob.ratchet;
  auto received = p.bob.ratchet->Receive(1000, sent->message, mac_input);
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(copy.Receive(1000, sent->message).ok());
}

TEST_P(RatchetTest, PlansAreAtomicAndStalePlansAreRefused) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 9);
  DataMessage a0 = MustSend(p.alice, "a0");
  DataMessage a1 = MustSend(p.alice, "a1");
  Ratchet& bob = *p.bob.ratchet;
  const Ratchet before = bob;
  auto plan0 = bob.PrepareReceive(1000, a0);
  auto plan1 = bob.PrepareReceive(1000, a1);
  ASSERT_TRUE(plan0.ok() && plan1.ok());
  EXPECT_TRUE(SameState(backend(), before, bob)) << "preparing changes nothing";
  ASSERT_TRUE(bob.Commit(std::move(plan1).value()).ok());
  auto stale = bob.Commit(std::move(plan0).value());
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.code(), ErrorCode::kBadState);
  EXPECT_EQ(Open(p.bob, a0), "a0");  // from the stored key
  // Sending: an uncommitted plan leaves the chain where it was.
  Header header;
  auto send_plan = bob.PrepareSend(1000, header, 0, AsBytes("x"), *p.bob.random);
  ASSERT_TRUE(send_plan.ok());
  const DataMessage first_try = send_plan->sent.message;
  EXPECT_EQ(MustSend(p.bob, "x").message_id, first_try.message_id);
}

TEST_P(RatchetTest, MacKeysAreRevealedInTheFirstMessageOfTheNextRatchet) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 10);
  DataMessage a0 = MustSend(p.alice, "a0");
  DataMessage a1 = MustSend(p.alice, "a1");
  ASSERT_EQ(Open(p.bob, a0), "a0");
  ASSERT_EQ(Open(p.bob, a1), "a1");
  EXPECT_EQ(p.bob.ratchet->mac_keys_to_reveal().size(), 2u);
  // Bob's first chain had begun at the start: its message 0 reveals them.
  DataMessage b0 = MustSend(p.bob, "b0");
  ASSERT_EQ(b0.revealed_mac_keys.size(), 2u);
  // The revealed keys verify Alice's messages: "HCMAC(usage_authenticator ||
  // MKmac || sections)" with the revealed MKmac.
  const crypto::SecretBytes mac0(ByteView(b0.revealed_mac_keys[0]));
  const crypto::SecretBytes tag = Authenticator(backend(), mac0, DataMessageMacInput(a0));
  EXPECT_TRUE(crypto::ConstantTimeEqual(tag.view(), a0.authenticator));
  EXPECT_TRUE(p.bob.ratchet->mac_keys_to_reveal().empty());
  DataMessage b1 = MustSend(p.bob, "b1");
  EXPECT_TRUE(b1.revealed_mac_keys.empty());
}

TEST_P(RatchetTest, StoredKeysAreDeletedAfterTheirLifetimeAndRevealed) {
  Limits limits;
  limits.stored_key_lifetime = 100;
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 11, limits);
  DataMessage a0 = MustSend(p.alice, "a0", 1000);
  DataMessage a1 = MustSend(p.alice, "a1", 1000);
  ASSERT_EQ(Open(p.bob, a1, 1000), "a1");
  EXPECT_EQ(p.bob.ratchet->DeleteExpiredKeys(1099), 0u);
  EXPECT_EQ(p.bob.ratchet->DeleteExpiredKeys(1100), 1u);
  EXPECT_EQ(p.bob.ratchet->stored_key_count(), 0u);
  EXPECT_EQ(p.bob.ratchet->mac_keys_to_reveal().size(), 2u);  // a1's and a0's
  ExpectRefused(p.bob, a0, ErrorCode::kReplayedCounter, 1200);
}

TEST_P(RatchetTest, SessionExpirationRevealsEveryMacKeyAndForgetsEverything) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 12);
  EXPECT_FALSE(p.alice.ratchet->SessionExpired(5000, 10)) << "no timer before the first message";
  DataMessage a0 = MustSend(p.alice, "a0", 1000);
  DataMessage a1 = MustSend(p.alice, "a1", 1000);
  DataMessage a2 = MustSend(p.alice, "a2", 1000);
  ASSERT_EQ(Open(p.bob, a2, 1000), "a2");
  EXPECT_FALSE(p.bob.ratchet->SessionExpired(1009, 10));
  EXPECT_TRUE(p.bob.ratchet->SessionExpired(1010, 10));
  std::vector<MacKey> old = p.bob.ratchet->Expire();
  EXPECT_EQ(old.size(), 3u);  // a2's (received) and those of a0, a1 (stored)
  EXPECT_TRUE(p.bob.ratchet->HeldSecrets().empty());
  EXPECT_TRUE(p.bob.ratchet->ended());
  auto after = p.bob.ratchet->Receive(1010, a0);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.code(), ErrorCode::kBadState);
  // A new ECDH key restarts the timer: Alice's when she turns the ratchet.
  Pair q = StartPair(backend(), backend(), Dake::kInteractive, 14);
  MustSend(q.alice, "first", 1000);
  ASSERT_EQ(Open(q.alice, MustSend(q.bob, "reply", 1000), 1005), "reply");
  EXPECT_TRUE(q.alice.ratchet->SessionExpired(1010, 10));
  MustSend(q.alice, "turn", 1008);
  EXPECT_FALSE(q.alice.ratchet->SessionExpired(1015, 10));
  EXPECT_TRUE(q.alice.ratchet->SessionExpired(1018, 10));
}

TEST_P(RatchetTest, ExtraSymmetricKeyAgreesOnBothSidesAndPerMessage) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 13);
  auto s0 = SendText(p.alice, "0");
  auto s1 = SendText(p.alice, "1");
  ASSERT_TRUE(s0.ok() && s1.ok());
  auto r1 = p.bob.ratchet->Receive(1000, s1->message);
  auto r0 = p.bob.ratchet->Receive(1000, s0->message);  // from a stored key
  ASSERT_TRUE(r0.ok() && r1.ok());
  EXPECT_TRUE(r0->from_skipped);
  const crypto::Backend& b = backend();
  const crypto::SecretBytes sent0 = s0->extra_symm_key.Derive(b);
  const crypto::SecretBytes sent1 = s1->extra_symm_key.Derive(b);
  EXPECT_TRUE(r0->extra_symm_key.Derive(b) == sent0);
  EXPECT_TRUE(r1->extra_symm_key.Derive(b) == sent1);
  EXPECT_FALSE(sent0 == sent1);
  EXPECT_EQ(sent0.size(), kExtraSymmetricKeySize);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(RatchetTest);

}  // namespace
}  // namespace otr::v4::ratchet

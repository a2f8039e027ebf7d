// Key erasure in the double ratchet (otrv4.md, "When you send a Data
// Message": "Securely delete chain_key_s[j] [...] MKenc and MKmac"; "When you
// receive a Data Message": "Once used, that key is deleted from the storage";
// "Rotating ECDH Keys and Brace Key as receiver": "Securely delete
// our_ecdh.secret"; "Session Expiration"). After every step of a
// conversation, each secret the two ratchets held before the step and no
// longer hold is in no live secret buffer of the process
// (crypto/secret_registry.h), not even as a substring; a message key is gone
// once its message was read; after Expire() nothing is left.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/backends.h"
#include "crypto/secret_registry.h"
#include "protocol/v4/ratchet/derive.h"
#include "tests/crypto/test_util.h"
#include "tests/v4/ratchet/pair.h"

namespace otr::v4::ratchet {
namespace {

using testing::Dake;
using testing::Pair;
using testing::SendText;
using testing::Side;
using testing::StartPair;

using KeyErasureTest = crypto::testing::BackendTest;

// Plain copies (test memory, not registered as secrets).
std::vector<Bytes> Held(const Pair& p) {
  std::vector<Bytes> out;
  for (const Side* side : {&p.alice, &p.bob}) {
    for (const crypto::SecretBytes* s : side->ratchet->HeldSecrets()) {
      out.push_back(s->Declassify());
    }
  }
  return out;
}

// True when `needle` is inside some live secret buffer.
bool StillLive(const Bytes& needle) {
  bool found = false;
  crypto::ForEachLiveSecret([&](ByteView buffer) {
    if (found || needle.empty() || buffer.size() < needle.size()) return;
    found = std::search(buffer.begin(), buffer.end(), needle.begin(), needle.end()) != buffer.end();
  });
  return found;
}

// Runs `step`, then checks that every secret held before and not after is gone.
template <typename Step>
void CheckStep(Pair& p, const std::string& what, Step&& step) {
  const std::vector<Bytes> before = Held(p);
  step();
  const std::vector<Bytes> after = Held(p);
  for (const Bytes& old : before) {
    if (std::find(after.begin(), after.end(), old) != after.end()) continue;
    EXPECT_FALSE(StillLive(old)) << what << ": a forgotten " << old.size()
                                 << "-byte secret is still in memory";
  }
}

TEST_P(KeyErasureTest, ForgottenKeysAreGoneAfterEveryStep) {
  for (Dake dake : {Dake::kInteractive, Dake::kNonInteractive}) {
    Pair p = StartPair(backend(), backend(), dake, 31);
    std::vector<DataMessage> to_bob, to_alice;
    for (int round = 0; round < 4; ++round) {
      CheckStep(p, "alice sends", [&] { to_bob.push_back(SendText(p.alice, "a")->message); });
      CheckStep(p, "alice sends", [&] { to_bob.push_back(SendText(p.alice, "a")->message); });
      // The second first: the first one's key is stored, then used.
      CheckStep(p, "bob reads", [&] { ASSERT_TRUE(p.bob.ratchet->Receive(1, to_bob[1]).ok()); });
      CheckStep(p, "bob reads", [&] { ASSERT_TRUE(p.bob.ratchet->Receive(1, to_bob[0]).ok()); });
      to_bob.clear();
      CheckStep(p, "bob sends", [&] { to_alice.push_back(SendText(p.bob, "b")->message); });
      CheckStep(p, "alice reads",
                [&] { ASSERT_TRUE(p.alice.ratchet->Receive(1, to_alice[0]).ok()); });
      to_alice.clear();
    }
    CheckStep(p, "expire", [&] {
      p.alice.ratchet->Expire();
      p.bob.ratchet->Expire();
    });
    EXPECT_TRUE(p.alice.ratchet->HeldSecrets().empty());
    EXPECT_TRUE(p.bob.ratchet->HeldSecrets().empty());
  }
}

TEST_P(KeyErasureTest, MessageKeyIsGoneOnceItsMessageWasRead) {
  Pair p = StartPair(backend(), backend(), Dake::kInteractive, 32);
  // The message keys as the test computes them (plain copies).
  const Bytes chain0 = p.alice.ratchet->state().chain_key_s.Declassify();
  crypto::SecretBytes chain0_secret{ByteView(chain0)};
  const Bytes mk_enc0 = DeriveMessageKey(backend(), chain0_secret).Declassify();
  const Bytes chain1 = NextChainKey(backend(), chain0_secret).Declassify();
  const Bytes mk_enc1 =
      DeriveMessageKey(backend(), crypto::SecretBytes{ByteView(chain1)}).Declassify();
  DataMessage m0 = SendText(p.alice, "m0")->message;
  DataMessage m1 = SendText(p.alice, "m1")->message;
  // Only the test's own registered copy of chain0 is live; drop it first.
  chain0_secret.Clear();
  EXPECT_FALSE(StillLive(mk_enc0)) << "the sender keeps no message key";
  ASSERT_TRUE(p.bob.ratchet->Receive(1, m1).ok());
  EXPECT_TRUE(StillLive(mk_enc0)) << "m0's key is stored (the oracle sees it)";
  EXPECT_FALSE(StillLive(mk_enc1));
  EXPECT_FALSE(StillLive(chain1)) << "chain_key_r[1] is deleted";
  ASSERT_TRUE(p.bob.ratchet->Receive(1, m0).ok());
  EXPECT_FALSE(StillLive(mk_enc0)) << "a stored key is deleted once used";
  EXPECT_FALSE(StillLive(chain0));
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(KeyErasureTest);

}  // namespace
}  // namespace otr::v4::ratchet

// `otr chat`'s PrekeyStore in the store directory (tools/chat_prekey_store.h,
// otr.v4_prekeys): what is published survives a restart with the same keys,
// a used or expired prekey value is gone from the disk too, other accounts'
// lines are kept, and a damaged file is refused.
#include "tools/chat_prekey_store.h"

#include <gtest/gtest.h>

#include "crypto/backends.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/engine/prekey_store.h"
#include "tests/tools/test_dir.h"

namespace otr::tools {
namespace {

constexpr int64_t kNow = 1'700'000'000;
constexpr wire::InstanceTag kTag = 0x1234;

std::unique_ptr<FilePrekeyStore> Open(const std::string& dir, std::string account,
                                      int64_t now = kNow) {
  auto store =
      FilePrekeyStore::Open(crypto::DefaultBackend(), dir, std::move(account), "prpl-jabber", now);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error());
  return store.ok() ? std::move(store).value() : nullptr;
}

Bytes Plain(const crypto::SecretBytes& s) { return Bytes(s.view().begin(), s.view().end()); }

TEST(ChatPrekeyStoreTest, WhatIsPublishedSurvivesARestart) {
  const crypto::Backend& backend = crypto::DefaultBackend();
  crypto::testing::DeterministicRandom random(7);
  const std::string dir = testing::MakeTestDir();
  auto store = Open(dir, "alice@localhost");
  ASSERT_NE(store, nullptr);
  auto messages = v4::GeneratePrekeyMessages(backend, *store, kTag, 3, kNow + 1000, kNow, random);
  ASSERT_TRUE(messages.ok());
  v4::PrekeyProfile profile;
  profile.owner_instance_tag = kTag;
  profile.expiration = kNow + 500;
  profile.shared_prekey[0] = 9;
  store->AddPrekeyProfile(v4::OurPrekeyProfile{profile, crypto::SecretBytes(Bytes(57, 0x42))},
                          kNow + 600);
  // Another account of the same directory.
  auto other = Open(dir, "carol@localhost");
  other->AddPrekeyProfile(v4::OurPrekeyProfile{profile, crypto::SecretBytes(Bytes(57, 1))},
                          kNow + 600);
  ASSERT_TRUE(other->Flush().ok());
  ASSERT_TRUE(store->Flush().ok());  // rereads nothing: carol's line must not be lost
  EXPECT_EQ(testing::ModeOf(dir + "/otr.v4_prekeys"), 0600);

  auto again = Open(dir, "alice@localhost");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->prekey_count(), 3u);
  for (const auto& m : *messages) {
    const auto* before = store->FindPrekey(m.identifier, kTag, kNow);
    const auto* after = again->FindPrekey(m.identifier, kTag, kNow);
    ASSERT_NE(before, nullptr);
    ASSERT_NE(after, nullptr);
    EXPECT_EQ(Plain(after->ecdh.secret()), Plain(before->ecdh.secret()));
    EXPECT_EQ(backend.Ed448Encode(after->ecdh.pub()), m.y);  // the published Y
    EXPECT_EQ(after->ecdh.pub_encoded(), m.y);               // and its encoding with it
    EXPECT_EQ(after->dh.pub, m.b);                           // and B
  }
  const auto* ours = again->FindPrekeyProfile(kTag, kNow);
  ASSERT_NE(ours, nullptr);
  EXPECT_EQ(ours->profile, profile);
  EXPECT_EQ(Plain(ours->shared_prekey_secret), Bytes(57, 0x42));
  EXPECT_EQ(again->FindPrekeyProfile(kTag, kNow + 600), nullptr);

  // Used: gone from the file too. Expired: gone at the next open.
  again->ErasePrekey((*messages)[0].identifier, kTag);
  ASSERT_TRUE(again->Flush().ok());
  auto third = Open(dir, "alice@localhost");
  EXPECT_EQ(third->prekey_count(), 2u);
  EXPECT_EQ(third->FindPrekey((*messages)[0].identifier, kTag, kNow), nullptr);
  third->KeepPrekeysUntil(kTag, kNow + 5000);
  ASSERT_TRUE(third->Flush().ok());
  auto later = Open(dir, "alice@localhost", kNow + 2000);
  EXPECT_EQ(later->prekey_count(), 2u);  // kept past their first expiry
  EXPECT_EQ(later->FindPrekeyProfile(kTag, kNow + 2000), nullptr);
  EXPECT_EQ(later->DeleteExpired(kNow + 5000), 2u);
  ASSERT_TRUE(later->Flush().ok());
  EXPECT_EQ(Open(dir, "alice@localhost")->prekey_count(), 0u);
  EXPECT_NE(Open(dir, "carol@localhost")->FindPrekeyProfile(kTag, kNow), nullptr);
}

TEST(ChatPrekeyStoreTest, RefusesADamagedFile) {
  const std::string dir = testing::MakeTestDir();
  testing::Spit(dir + "/otr.v4_prekeys", "alice\tprpl-jabber\tprekey\tx\n");
  EXPECT_FALSE(
      FilePrekeyStore::Open(crypto::DefaultBackend(), dir, "alice", "prpl-jabber", kNow).ok());
  // A profile line whose bytes are no Prekey Profile.
  testing::Spit(dir + "/otr.v4_prekeys", "alice\tprpl-jabber\tprofile\t" +
                                             std::to_string(kNow + 10) + "\t00\t" +
                                             std::string(114, 'a') + "\n");
  EXPECT_FALSE(
      FilePrekeyStore::Open(crypto::DefaultBackend(), dir, "alice", "prpl-jabber", kNow).ok());
}

}  // namespace
}  // namespace otr::tools

// The cases of the storage conformance suite (storage_conformance.h). Each
// names the point of the contract in protocol/prekey/server/storage.h that it
// checks.
#include "tests/prekey/storage_conformance.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace otr::prekey::testing {

void StorageConformanceTest::SetUp() {
  storage_ = GetParam()();
  ASSERT_NE(storage_, nullptr) << "the storage factory could not make a store";
}

namespace {

constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kWeek = 7 * 24 * 3600;
constexpr uint32_t kTag = 0x1234'5678;
constexpr uint32_t kOtherTag = 0x0000'0100;

Bytes Blob(std::string_view kind, uint32_t n) {
  return ToBytes(std::string(kind) + "-" + std::to_string(n));
}

Publication Full(std::string owner, uint32_t tag, uint32_t first_id, uint32_t count,
                 int64_t expires = kNow + kWeek, std::string_view version = "a") {
  Publication p;
  p.owner = std::move(owner);
  p.instance_tag = tag;
  p.client_profile = ToBytes("client-profile-" + std::string(version));
  p.client_profile_expires = expires;
  p.prekey_profile = ToBytes("prekey-profile-" + std::string(version));
  p.prekey_profile_expires = expires;
  for (uint32_t i = 0; i < count; ++i) {
    p.prekey_messages.emplace_back(first_id + i, Blob("message", first_id + i));
  }
  return p;
}

Publication MessagesOnly(std::string owner, uint32_t tag, uint32_t first_id, uint32_t count) {
  Publication p;
  p.owner = std::move(owner);
  p.instance_tag = tag;
  for (uint32_t i = 0; i < count; ++i) {
    p.prekey_messages.emplace_back(first_id + i, Blob("message", first_id + i));
  }
  return p;
}

uint32_t Count(Storage& s, std::string_view owner, int64_t now = kNow) {
  auto r = s.CountPrekeyMessages(owner, now);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : 0;
}

std::vector<StoredEnsemble> Take(Storage& s, std::string_view owner, int64_t now = kNow) {
  auto r = s.TakeEnsembles(owner, now);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::vector<StoredEnsemble>{};
}

}  // namespace

TEST_P(StorageConformanceTest, PublishedEnsembleIsTakenWithItsProfiles) {
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kTag, 1, 1), kNow).ok());
  auto got = Take(*storage_, "alice@localhost");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].instance_tag, kTag);
  EXPECT_EQ(got[0].client_profile, ToBytes("client-profile-a"));
  EXPECT_EQ(got[0].prekey_profile, ToBytes("prekey-profile-a"));
  EXPECT_EQ(got[0].prekey_message, Blob("message", 1));
}

// "Storage Status Message": the count for the instance tag of the DAKEZ,
// next to the count over all of an identity's instance tags.
TEST_P(StorageConformanceTest, CountsPerInstanceTag) {
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kTag, 1, 3), kNow).ok());
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kOtherTag, 10, 2), kNow).ok());
  ASSERT_TRUE(storage_->Publish(Full("bob@localhost", kTag, 20, 4), kNow).ok());
  auto of = [&](std::string_view owner, uint32_t tag, int64_t now = kNow) {
    auto r = storage_->CountPrekeyMessagesOf(owner, tag, now);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : 99u;
  };
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 5u);
  EXPECT_EQ(of("alice@localhost", kTag), 3u);
  EXPECT_EQ(of("alice@localhost", kOtherTag), 2u);
  EXPECT_EQ(of("alice@localhost", 0x0000'0999), 0u);
  EXPECT_EQ(of("bob@localhost", kTag), 4u);
  EXPECT_EQ(of("carol@localhost", kTag), 0u);
  Take(*storage_, "alice@localhost");  // one of each tag
  EXPECT_EQ(of("alice@localhost", kTag), 2u);
  EXPECT_EQ(of("alice@localhost", kOtherTag), 1u);
  EXPECT_EQ(of("alice@localhost", kTag, kNow + kWeek), 0u);  // expired
}

TEST_P(StorageConformanceTest, NewProfilesReplaceTheStoredOnes) {
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kTag, 1, 2), kNow).ok());
  ASSERT_TRUE(
      storage_->Publish(Full("alice@localhost", kTag, 10, 0, kNow + kWeek, "b"), kNow).ok());
  auto got = Take(*storage_, "alice@localhost");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].client_profile, ToBytes("client-profile-b"));
  EXPECT_EQ(got[0].prekey_profile, ToBytes("prekey-profile-b"));
  // Replacing only the prekey profile keeps the client profile.
  Publication only_prekey;
  only_prekey.owner = "alice@localhost";
  only_prekey.instance_tag = kTag;
  only_prekey.prekey_profile = ToBytes("prekey-profile-c");
  only_prekey.prekey_profile_expires = kNow + kWeek;
  ASSERT_TRUE(storage_->Publish(only_prekey, kNow).ok());
  got = Take(*storage_, "alice@localhost");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].client_profile, ToBytes("client-profile-b"));
  EXPECT_EQ(got[0].prekey_profile, ToBytes("prekey-profile-c"));
}

TEST_P(StorageConformanceTest, CountCoversAllInstanceTagsOfTheOwnerOnly) {
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 0u);
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kTag, 1, 3), kNow).ok());
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kOtherTag, 1, 2), kNow).ok());
  ASSERT_TRUE(storage_->Publish(Full("bob@localhost", kTag, 1, 5), kNow).ok());
  ASSERT_TRUE(storage_->Publish(MessagesOnly("alice@localhost", kTag, 100, 4), kNow).ok());
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 9u);
  EXPECT_EQ(Count(*storage_, "bob@localhost"), 5u);
  EXPECT_EQ(Count(*storage_, "alice"), 0u);  // owners are exact strings
  EXPECT_EQ(Take(*storage_, "alice@localhost").size(), 2u);
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 7u);
  EXPECT_EQ(Count(*storage_, "bob@localhost"), 5u);
}

TEST_P(StorageConformanceTest, EachPrekeyMessageIsTakenOnceOldestFirst) {
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kTag, 7, 3), kNow).ok());
  std::vector<Bytes> seen;
  for (int i = 0; i < 3; ++i) {
    auto got = Take(*storage_, "alice@localhost");
    ASSERT_EQ(got.size(), 1u);
    seen.push_back(got[0].prekey_message);
  }
  EXPECT_EQ(seen, (std::vector<Bytes>{Blob("message", 7), Blob("message", 8), Blob("message", 9)}));
  EXPECT_TRUE(Take(*storage_, "alice@localhost").empty());
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 0u);
  // The profiles stay: new prekey messages make ensembles again.
  ASSERT_TRUE(storage_->Publish(MessagesOnly("alice@localhost", kTag, 20, 1), kNow).ok());
  auto got = Take(*storage_, "alice@localhost");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].prekey_message, Blob("message", 20));
}

TEST_P(StorageConformanceTest, OneEnsemblePerInstanceTagInTagOrder) {
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kTag, 1, 2), kNow).ok());
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kOtherTag, 1, 2), kNow).ok());
  auto got = Take(*storage_, "alice@localhost");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].instance_tag, kOtherTag);
  EXPECT_EQ(got[1].instance_tag, kTag);
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 2u);
}

TEST_P(StorageConformanceTest, AnEnsembleNeedsBothProfilesAndAMessage) {
  ASSERT_TRUE(storage_->Publish(MessagesOnly("alice@localhost", kTag, 1, 2), kNow).ok());
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 2u);  // kept and counted
  EXPECT_TRUE(Take(*storage_, "alice@localhost").empty());
  Publication client_only;
  client_only.owner = "alice@localhost";
  client_only.instance_tag = kTag;
  client_only.client_profile = ToBytes("cp");
  client_only.client_profile_expires = kNow + kWeek;
  ASSERT_TRUE(storage_->Publish(client_only, kNow).ok());
  EXPECT_TRUE(Take(*storage_, "alice@localhost").empty());
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 2u);  // nothing was taken
  Publication prekey_only = client_only;
  prekey_only.client_profile.reset();
  prekey_only.prekey_profile = ToBytes("pp");
  prekey_only.prekey_profile_expires = kNow + kWeek;
  ASSERT_TRUE(storage_->Publish(prekey_only, kNow).ok());
  auto got = Take(*storage_, "alice@localhost");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].prekey_message, Blob("message", 1));
}

TEST_P(StorageConformanceTest, ExpiredClientProfileHidesTheTag) {
  Publication p = Full("alice@localhost", kTag, 1, 2);
  p.client_profile_expires = kNow + 10;
  ASSERT_TRUE(storage_->Publish(p, kNow).ok());
  EXPECT_EQ(Count(*storage_, "alice@localhost", kNow + 9), 2u);
  // Expired from the expiry on (now >= expiry).
  EXPECT_EQ(Count(*storage_, "alice@localhost", kNow + 10), 0u);
  EXPECT_TRUE(Take(*storage_, "alice@localhost", kNow + 10).empty());
  EXPECT_EQ(Take(*storage_, "alice@localhost", kNow + 9).size(), 1u);
}

TEST_P(StorageConformanceTest, ExpiredPrekeyProfileHidesTheTag) {
  Publication p = Full("alice@localhost", kTag, 1, 2);
  p.prekey_profile_expires = kNow + 10;
  ASSERT_TRUE(storage_->Publish(p, kNow).ok());
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kOtherTag, 1, 1), kNow).ok());
  EXPECT_EQ(Count(*storage_, "alice@localhost", kNow + 10), 1u);
  auto got = Take(*storage_, "alice@localhost", kNow + 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].instance_tag, kOtherTag);
  // A renewed prekey profile makes the stored messages usable again.
  Publication renewed;
  renewed.owner = "alice@localhost";
  renewed.instance_tag = kTag;
  renewed.prekey_profile = ToBytes("renewed");
  renewed.prekey_profile_expires = kNow + kWeek;
  ASSERT_TRUE(storage_->Publish(renewed, kNow + 10).ok());
  got = Take(*storage_, "alice@localhost", kNow + 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].instance_tag, kTag);
  EXPECT_EQ(got[0].prekey_profile, ToBytes("renewed"));
}

TEST_P(StorageConformanceTest, PurgeDeletesExpiredProfilesAndTheirMessages) {
  Publication expiring = Full("alice@localhost", kTag, 1, 3);
  expiring.prekey_profile_expires = kNow + 10;
  ASSERT_TRUE(storage_->Publish(expiring, kNow).ok());
  ASSERT_TRUE(storage_->Publish(Full("bob@localhost", kTag, 1, 2), kNow).ok());
  ASSERT_TRUE(storage_->Publish(MessagesOnly("carol@localhost", kTag, 1, 1), kNow).ok());
  auto none = storage_->PurgeExpired(kNow + 9);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0u);
  auto purged = storage_->PurgeExpired(kNow + 10);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 4u);  // alice's prekey profile and her 3 messages
  // What is left of alice is her unexpired client profile: a new prekey
  // profile and messages make an ensemble, the old messages are gone.
  Publication fresh = Full("alice@localhost", kTag, 50, 1);
  fresh.client_profile.reset();
  ASSERT_TRUE(storage_->Publish(fresh, kNow + 10).ok());
  auto got = Take(*storage_, "alice@localhost", kNow + 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].client_profile, ToBytes("client-profile-a"));
  EXPECT_EQ(got[0].prekey_message, Blob("message", 50));
  EXPECT_TRUE(Take(*storage_, "alice@localhost", kNow + 10).empty());
  EXPECT_EQ(Count(*storage_, "bob@localhost", kNow + 10), 2u);
  EXPECT_EQ(Count(*storage_, "carol@localhost", kNow + 10), 1u);
  // Everything expires in the end.
  auto all = storage_->PurgeExpired(kNow + 2 * kWeek);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 2u + 2u + 2u);  // alice: 2 profiles; bob: 2 profiles, 2 messages
  EXPECT_EQ(Count(*storage_, "bob@localhost", kNow + 2 * kWeek), 0u);
}

TEST_P(StorageConformanceTest, FailingPublicationStoresNothing) {
  Publication p = Full("alice@localhost", kTag, 1, 3);
  p.prekey_messages.emplace_back(2, Blob("again", 2));  // id 2 twice
  EXPECT_FALSE(storage_->Publish(p, kNow).ok());
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 0u);
  EXPECT_TRUE(Take(*storage_, "alice@localhost").empty());
  // Not even the profiles were stored.
  ASSERT_TRUE(storage_->Publish(MessagesOnly("alice@localhost", kTag, 10, 1), kNow).ok());
  EXPECT_TRUE(Take(*storage_, "alice@localhost").empty());
}

TEST_P(StorageConformanceTest, RepublishingAStoredIdFailsAndStoresNothing) {
  ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kTag, 1, 2), kNow).ok());
  Publication again = Full("alice@localhost", kTag, 2, 3, kNow + kWeek, "b");  // 2 is stored
  EXPECT_FALSE(storage_->Publish(again, kNow).ok());
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 2u);
  auto got = Take(*storage_, "alice@localhost");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].client_profile, ToBytes("client-profile-a"));  // not replaced
  // The same id under another tag or owner is another message.
  EXPECT_TRUE(storage_->Publish(MessagesOnly("alice@localhost", kOtherTag, 2, 1), kNow).ok());
  EXPECT_TRUE(storage_->Publish(MessagesOnly("bob@localhost", kTag, 2, 1), kNow).ok());
}

TEST_P(StorageConformanceTest, ConcurrentTakesNeverHandOutAMessageTwice) {
  constexpr uint32_t kMessages = 400;
  for (uint32_t first = 0; first < kMessages; first += 200) {
    ASSERT_TRUE(storage_->Publish(Full("alice@localhost", kTag, first, 200), kNow).ok());
  }
  constexpr int kThreads = 8;
  std::vector<std::vector<Bytes>> taken(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        auto r = storage_->TakeEnsembles("alice@localhost", kNow);
        if (!r.ok()) {
          ++errors;
          return;
        }
        if (r->empty()) return;
        for (auto& e : *r) taken[t].push_back(std::move(e.prekey_message));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<Bytes> unique;
  size_t total = 0;
  for (const auto& v : taken) {
    total += v.size();
    unique.insert(v.begin(), v.end());
  }
  EXPECT_EQ(total, kMessages);
  EXPECT_EQ(unique.size(), kMessages);
  EXPECT_EQ(Count(*storage_, "alice@localhost"), 0u);
}

TEST_P(StorageConformanceTest, BinaryContentIsKeptExactly) {
  Publication p = Full("ünïcode@localhost", kTag, 0xFFFF'FFFF, 1);
  p.client_profile = Bytes{0x00, 0xFF, 0x00, 0x01};
  p.prekey_profile = Bytes(70'000, 0xA5);
  p.prekey_messages[0].second = Bytes{0x00};
  ASSERT_TRUE(storage_->Publish(p, kNow).ok());
  auto got = Take(*storage_, "ünïcode@localhost");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].client_profile, *p.client_profile);
  EXPECT_EQ(got[0].prekey_profile, *p.prekey_profile);
  EXPECT_EQ(got[0].prekey_message, Bytes{0x00});
}

}  // namespace otr::prekey::testing

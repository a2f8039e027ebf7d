// Issue 20: libotr-ng's prekey client (prekey_manager.h), driven in this
// process, against our prekey-server core (protocol/prekey/server) with the
// opt-in ServerConfig::accept_libotr_ng (decision 0034): its callbacks' DAKE-1
// and DAKE-3 go to Server::Receive, the server's replies to
// otrng_prekey_receive. A spec-exact server refuses libotr-ng's DAKE-1 and
// names the variant. Each difference the variant reproduces
// (protocol/prekey/common/libotr_ng.h) is shown by a test that fails without
// it. Both backends.
#include <gtest/gtest.h>

#include <ctime>
#include <memory>
#include <string>

#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/v4/crypto/keys.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_ng_peer.h"

namespace otr {
namespace {

using prekey::MemoryStorage;
using prekey::Server;
using prekey::ServerConfig;
using prekey::ServerEventKind;
using prekey::ServerOutput;

constexpr uint32_t kBobTag = 0x10000b0b;
constexpr char kBob[] = "bob@example.org";
constexpr char kBobAddress[] = "bob@example.org/phone";
constexpr char kServer[] = "prekey.example.org";

// The OTRNG_PREKEY_CLIENT_* error of prekey_manager.h.
constexpr int kInvalidDake2 = 2;

class LibotrNgPrekeyTest : public crypto::testing::BackendTest {
 protected:
  void SetUp() override {
    auto s = v4::GenerateLongTermKeyPair(backend(), random_);
    ASSERT_TRUE(s.ok());
    server_key_ = std::make_unique<v4::Ed448KeyPair>(std::move(*s));
    bob_ = std::make_unique<testing::LibotrNgPeer>(kBob, "alice@example.org", kBobTag);
    bob_->UsePrekeyServer(kBob, kServer);
  }
  void MakeServer(bool accept_libotr_ng) {
    ServerConfig config;
    config.identity = kServer;
    config.accept_libotr_ng = accept_libotr_ng;
    server_ = std::make_unique<Server>(backend(), random_, storage_, *server_key_, config);
  }
  static int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }
  ServerOutput ToServer(const std::string& text) {
    return server_->Receive(kBob, kBobAddress, text, Now());
  }
  static bool Has(const ServerOutput& out, ServerEventKind kind) {
    for (const auto& e : out.events) {
      if (e.kind == kind) return true;
    }
    return false;
  }
  static std::string Causes(const ServerOutput& out) {
    std::string s;
    for (const auto& e : out.events) {
      s +=
          std::string(prekey::ServerEventName(e.kind)) + ": " + std::string(e.cause.context) + "; ";
    }
    return s;
  }
  // DAKE-1 -> DAKE-2 -> DAKE-3 -> the server's answer, which libotr-ng
  // receives; the server's output for DAKE-3.
  ServerOutput RunDake(const std::string& dake1) {
    const ServerOutput out2 = ToServer(dake1);
    EXPECT_TRUE(Has(out2, ServerEventKind::kDakeStarted)) << Causes(out2);
    EXPECT_EQ(out2.replies.size(), 1u);
    if (out2.replies.size() != 1) return {};
    bool handled = false;
    const std::string dake3 = bob_->PrekeyReceive(out2.replies[0], &handled);
    EXPECT_TRUE(handled);
    EXPECT_FALSE(dake3.empty()) << "libotr-ng refused our DAKE-2 (errors: "
                                << bob_->prekey_events().errors.size() << ")";
    if (dake3.empty()) return {};
    ServerOutput out3 = ToServer(dake3);
    for (const std::string& reply : out3.replies) {
      EXPECT_EQ(bob_->PrekeyReceive(reply, &handled), "");
      EXPECT_TRUE(handled);
    }
    return out3;
  }

  crypto::testing::DeterministicRandom random_{uint64_t{0x0ff1}};
  std::unique_ptr<v4::Ed448KeyPair> server_key_;
  MemoryStorage storage_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<testing::LibotrNgPeer> bob_;
};

// The DAKE and a Storage Information Request: libotr-ng verifies our DAKE-2
// (its ring signature over the composite identity with its key type), we
// verify its DAKE-3, both derive the same prekey_mac_k (its Storage
// Information MAC checks, our Storage Status MAC checks in libotr-ng).
TEST_P(LibotrNgPrekeyTest, StorageStatusThroughOurServer) {
  MakeServer(true);
  const ServerOutput out = RunDake(bob_->PrekeyStorageRequest());
  EXPECT_TRUE(Has(out, ServerEventKind::kStorageStatusSent)) << Causes(out);
  EXPECT_TRUE(bob_->prekey_events().errors.empty());
  ASSERT_EQ(bob_->prekey_events().storage_status.size(), 1u);
  EXPECT_EQ(bob_->prekey_events().storage_status[0], 0u);
  EXPECT_EQ(server_->pending_dakes(), 0u);
}

// Publication of its Client Profile, Prekey Profile and three Prekey
// Messages: our server verifies its MAC, its profiles over libotr-ng's bytes
// and its proofs (the ECDH ones over its G = 4B), stores them and answers
// with a Success libotr-ng accepts; the storage status then counts three.
// What is stored is libotr-ng's bytes.
TEST_P(LibotrNgPrekeyTest, PublicationThroughOurServer) {
  MakeServer(true);
  const ServerOutput out = RunDake(bob_->PrekeyPublish(true, true, 3));
  EXPECT_TRUE(Has(out, ServerEventKind::kPublished)) << Causes(out);
  EXPECT_EQ(bob_->prekey_events().successes, 1);
  EXPECT_EQ(bob_->prekey_events().failures, 0);
  EXPECT_TRUE(bob_->prekey_events().errors.empty());

  const ServerOutput status = RunDake(bob_->PrekeyStorageRequest());
  EXPECT_TRUE(Has(status, ServerEventKind::kStorageStatusSent)) << Causes(status);
  ASSERT_EQ(bob_->prekey_events().storage_status.size(), 1u);
  EXPECT_EQ(bob_->prekey_events().storage_status[0], 3u);

  auto taken = storage_.TakeEnsembles(kBob, Now());
  ASSERT_TRUE(taken.ok());
  ASSERT_FALSE(taken->empty());
  const prekey::StoredEnsemble& e = (*taken)[0];
  EXPECT_EQ(std::string(e.client_profile.begin(), e.client_profile.end()),
            bob_->ClientProfileBytesForTesting());
  EXPECT_EQ(std::string(e.prekey_profile.begin(), e.prekey_profile.end()),
            bob_->PrekeyProfileBytesForTesting());
}

// A second libotr-ng client retrieves the ensemble Bob published through
// our server (otrng_prekey_retrieve_prekeys, answered in libotr-ng's variant
// of the Ensemble Retrieval message: L as a BYTE, its bytes as stored), and
// libotr-ng validates each (otrng_prekey_ensemble_validate).
TEST_P(LibotrNgPrekeyTest, LibotrNgRetrievesLibotrNgsEnsemblesThroughOurServer) {
  MakeServer(true);
  const ServerOutput published = RunDake(bob_->PrekeyPublish(true, true, 2));
  ASSERT_TRUE(Has(published, ServerEventKind::kPublished)) << Causes(published);
  testing::LibotrNgPeer alice("alice@example.org", kBob, 0x20000a11);
  alice.UsePrekeyServer("alice@example.org", kServer);
  const ServerOutput out = server_->Receive("alice@example.org", "alice@example.org/laptop",
                                            alice.PrekeyRetrieve(kBob), Now());
  EXPECT_TRUE(Has(out, ServerEventKind::kEnsemblesSent)) << Causes(out);
  ASSERT_EQ(out.replies.size(), 1u);
  bool handled = false;
  EXPECT_EQ(alice.PrekeyReceive(out.replies[0], &handled), "");
  EXPECT_TRUE(handled);
  EXPECT_TRUE(alice.prekey_events().errors.empty());
  // One ensemble per instance tag of the target (Bob has one device).
  ASSERT_EQ(alice.prekey_events().ensembles.size(), 1u);
  EXPECT_EQ(alice.prekey_events().ensembles[0], 1);
  // The other Prekey Message is still stored: a second retrieval gets it.
  const ServerOutput again = server_->Receive("alice@example.org", "alice@example.org/laptop",
                                              alice.PrekeyRetrieve(kBob), Now());
  ASSERT_EQ(again.replies.size(), 1u);
  EXPECT_EQ(alice.PrekeyReceive(again.replies[0], &handled), "");
  ASSERT_EQ(alice.prekey_events().ensembles.size(), 2u);
}

// An offline start between two libotr-ng clients through our server core:
// Bob publishes and goes away; Alice retrieves his ensemble, starts with a
// Non-Interactive-Auth (otrng_send_non_interactive_auth); Bob, back, reads
// it; 20 messages then flow both ways, alternating (each one turns the
// ratchet). (Our Session's
// offline start with libotr-ng is not built yet: docs/libotr-ng-deviations.md.)
TEST_P(LibotrNgPrekeyTest, LibotrNgOfflineStartBetweenTwoLibotrNgClientsThroughOurServer) {
  MakeServer(true);
  const ServerOutput published = RunDake(bob_->PrekeyPublish(true, true, 2));
  ASSERT_TRUE(Has(published, ServerEventKind::kPublished)) << Causes(published);
  testing::LibotrNgPeer alice("alice@example.org", kBob, 0x20000a11);
  alice.UsePrekeyServer("alice@example.org", kServer);
  alice.StartOfflineOnEnsembles();
  const ServerOutput out = server_->Receive("alice@example.org", "alice@example.org/laptop",
                                            alice.PrekeyRetrieve(kBob), Now());
  ASSERT_EQ(out.replies.size(), 1u) << Causes(out);
  (void)alice.PrekeyReceive(out.replies[0]);
  const std::vector<std::string> auth = alice.TakeOfflineStart();
  ASSERT_FALSE(auth.empty()) << "libotr-ng made no Non-Interactive-Auth";
  std::vector<std::string> replies;
  for (const std::string& m : auth) {
    for (std::string& r : bob_->Receive(m)) replies.push_back(std::move(r));
  }
  // Alice is encrypted once she sent it; Bob waits for her first Data
  // Message (otrng.c: OTRNG_STATE_WAITING_DAKE_DATA_MESSAGE after the
  // Non-Interactive-Auth), as libotr-ng's Auth-I sender does.
  EXPECT_TRUE(alice.encrypted());
  for (int i = 0; i < 10; ++i) {
    const std::string a = "from alice " + std::to_string(i);
    for (const std::string& m : alice.Send(a)) (void)bob_->Receive(m);
    EXPECT_TRUE(bob_->encrypted());
    ASSERT_FALSE(bob_->displayed().empty());
    EXPECT_EQ(bob_->displayed().back(), a);
    const std::string b = "from bob " + std::to_string(i);
    for (const std::string& m : bob_->Send(b)) (void)alice.Receive(m);
    ASSERT_FALSE(alice.displayed().empty());
    EXPECT_EQ(alice.displayed().back(), b);
  }
}

// A spec-exact server (the default) refuses libotr-ng's DAKE-1, sends
// nothing, and says it is libotr-ng's variant.
TEST_P(LibotrNgPrekeyTest, SpecExactServerRefusesLibotrNgWithAClearReason) {
  MakeServer(false);
  const ServerOutput out = ToServer(bob_->PrekeyStorageRequest());
  EXPECT_TRUE(out.replies.empty());
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].kind, ServerEventKind::kDakeRefused);
  EXPECT_NE(out.events[0].cause.context.find("libotr-ng's variant of DAKE-1"), std::string::npos)
      << out.events[0].cause.context;
  EXPECT_NE(out.events[0].cause.context.find("accept_libotr_ng"), std::string::npos);
  EXPECT_EQ(server_->pending_dakes(), 0u);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgPrekeyTest);

}  // namespace
}  // namespace otr

#include "tests/prekey_server/server_round_trip.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "protocol/v4/crypto/fingerprint.h"
#include "tests/prekey/prekey_fixture.h"

namespace otr::prekey_server::testing {

void CheckServerRoundTrip(const crypto::Backend& backend, const Opener& open) {
  using prekey::ClientEventKind;
  using prekey::testing::FindEvent;
  using prekey::testing::HasEvent;
  using prekey::testing::kNow;
  constexpr wire::InstanceTag kAliceTag = 0x0000'1111;
  constexpr wire::InstanceTag kBobTag = 0x0000'3333;
  constexpr uint32_t kMessages = 5;

  crypto::testing::DeterministicRandom random(uint64_t{18});
  auto server_key = v4::GenerateLongTermKeyPair(backend, random);
  ASSERT_TRUE(server_key.ok());
  prekey::ServerConfig server_config;
  server_config.identity = std::string(prekey::testing::kServerIdentity);
  auto client = [&](std::string identity, std::string address, wire::InstanceTag tag,
                    prekey::ClientKeys keys) {
    prekey::ClientConfig config = prekey::testing::MakeClientConfig(identity, tag);
    config.server_fingerprint = v4::ComputePrekeyServerFingerprint(backend, server_key->pub);
    return prekey::testing::Endpoint{
        std::move(identity), std::move(address),
        std::make_unique<prekey::PrekeyClient>(backend, random, config, std::move(keys))};
  };

  prekey::ClientKeys alice_keys = prekey::testing::MakeKeys(backend, random, kAliceTag, kNow);
  const auto alice_client_profile = alice_keys.client_profile;
  {
    auto storage = open();
    ASSERT_NE(storage, nullptr);
    prekey::Server server(backend, random, *storage, *server_key, server_config);
    auto alice = client("alice@localhost", "alice@localhost/a", kAliceTag, std::move(alice_keys));
    auto started = alice.client->Publish({true, true, kMessages}, kNow);
    ASSERT_TRUE(started.ok());
    auto events = prekey::testing::Pump(server, alice, std::move(started->output.to_server), kNow);
    const prekey::ClientEvent* published = FindEvent(events, ClientEventKind::kPublished);
    ASSERT_NE(published, nullptr);
    EXPECT_EQ(published->count, kMessages);
  }
  // A new server process on the same database.
  auto storage = open();
  ASSERT_NE(storage, nullptr);
  prekey::Server server(backend, random, *storage, *server_key, server_config);
  auto bob = client("bob@localhost", "bob@localhost/b", kBobTag,
                    prekey::testing::MakeKeys(backend, random, kBobTag, kNow));
  std::set<uint32_t> handed_out;
  for (uint32_t k = 0; k < kMessages; ++k) {
    auto started = bob.client->RetrieveEnsembles("alice@localhost", kNow);
    ASSERT_TRUE(started.ok());
    auto got = prekey::testing::Pump(server, bob, std::move(started->to_server), kNow);
    const prekey::ClientEvent* e = FindEvent(got, ClientEventKind::kEnsembles);
    ASSERT_NE(e, nullptr) << k;
    ASSERT_EQ(e->ensembles.size(), 1u);
    EXPECT_EQ(e->ensembles[0].ensemble.client_profile, alice_client_profile);
    EXPECT_TRUE(handed_out.insert(e->ensembles[0].ensemble.prekey_message.identifier).second);
  }
  auto started = bob.client->RetrieveEnsembles("alice@localhost", kNow);
  ASSERT_TRUE(started.ok());
  EXPECT_TRUE(HasEvent(prekey::testing::Pump(server, bob, std::move(started->to_server), kNow),
                       ClientEventKind::kNoEnsembles));
}

}  // namespace otr::prekey_server::testing

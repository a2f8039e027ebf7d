#include "tests/session/v4_fixture.h"

#include <gtest/gtest.h>

#include <utility>

#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"

namespace otr::testing {

std::unique_ptr<v4::Identity> MakeV4Identity(const crypto::Backend& backend, uint64_t seed,
                                             wire::InstanceTag tag, uint64_t now,
                                             const char* versions) {
  crypto::testing::DeterministicRandom random(seed);
  auto id = std::make_unique<v4::Identity>();
  auto h = v4::GenerateLongTermKeyPair(backend, random);
  auto f = v4::GenerateForgingPoint(backend, random);
  EXPECT_TRUE(h.ok() && f.ok());
  if (!h.ok() || !f.ok()) return id;
  id->long_term = std::move(*h);
  id->forging_key = *f;
  v4::profile::ClientProfileParams params;
  params.owner_instance_tag = tag;
  params.forging_key = id->forging_key;
  params.versions = versions;
  params.expiration = v4::profile::ExpirationFrom(static_cast<int64_t>(now));
  auto profile = v4::profile::CreateClientProfile(backend, id->long_term.sym_key, params, random);
  EXPECT_TRUE(profile.ok());
  if (profile.ok()) id->client_profile = std::move(*profile);
  return id;
}

SessionConfig OfflineSessionConfig(const crypto::Backend& backend, Policy policy,
                                   wire::InstanceTag tag, const v4::Identity& identity,
                                   v4::PrekeyStore& store) {
  SessionConfig config;
  config.backend = &backend;
  config.policy = policy;
  config.our_tag = tag;
  config.identity.v4 = &identity;
  config.prekey_store = &store;
  return config;
}

int CountEvents(const std::vector<Event>& events, EventType type) {
  int n = 0;
  for (const Event& e : events) n += e.type() == type;
  return n;
}

std::vector<std::string> OfflineRefusals(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) {
    if (const auto* r = e.As<events::OfflineRefused>()) out.push_back(r->what);
  }
  return out;
}

}  // namespace otr::testing

// Helpers for the prekey server and client tests: a party's keys and
// profiles, a server, and the delivery of messages between them.
#ifndef OTR_TESTS_PREKEY_PREKEY_FIXTURE_H_
#define OTR_TESTS_PREKEY_PREKEY_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/client/client.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "tests/crypto/test_util.h"

namespace otr::prekey::testing {

inline constexpr int64_t kNow = 1'700'000'000;
inline constexpr std::string_view kServerIdentity = "prekey.localhost";

// A party's long-term key, forging key, shared prekey and both profiles,
// valid from `now` for the recommended week (or `lifetime`).
inline ClientKeys MakeKeys(const crypto::Backend& backend, crypto::Random& random,
                           wire::InstanceTag tag, int64_t now,
                           int64_t lifetime = v4::profile::kRecommendedLifetime) {
  ClientKeys keys;
  auto h = v4::GenerateLongTermKeyPair(backend, random);
  auto f = v4::GenerateForgingPoint(backend, random);
  auto d = v4::GenerateSharedPrekeyPair(backend, random);
  EXPECT_TRUE(h.ok() && f.ok() && d.ok());
  keys.long_term = std::move(*h);
  v4::profile::ClientProfileParams cp;
  cp.owner_instance_tag = tag;
  cp.forging_key = *f;
  cp.expiration = now + lifetime;
  auto client_profile =
      v4::profile::CreateClientProfile(backend, keys.long_term.sym_key, cp, random);
  EXPECT_TRUE(client_profile.ok());
  keys.client_profile = std::move(*client_profile);
  auto prekey_profile = v4::profile::CreatePrekeyProfile(backend, keys.long_term.sym_key,
                                                         {tag, now + lifetime, d->pub});
  EXPECT_TRUE(prekey_profile.ok());
  keys.prekey_profile = std::move(*prekey_profile);
  keys.shared_prekey_secret = d->secret;
  return keys;
}

inline ClientConfig MakeClientConfig(std::string identity, wire::InstanceTag tag) {
  ClientConfig c;
  c.identity = std::move(identity);
  c.server_identity = std::string(kServerIdentity);
  c.instance_tag = tag;
  return c;
}

// One client of the server as the transport sees it.
struct Endpoint {
  std::string identity;  // bare JID
  std::string address;   // full JID
  std::unique_ptr<PrekeyClient> client;
};

// Delivers `to_server` to the server, the replies to the client, and so on
// until nothing is left; returns every client event and collects the
// server's.
inline std::vector<ClientEvent> Pump(Server& server, Endpoint& e,
                                     std::vector<std::string> to_server, int64_t now,
                                     std::vector<ServerEvent>* server_events = nullptr) {
  std::vector<ClientEvent> events;
  int rounds = 0;
  while (!to_server.empty()) {
    EXPECT_LT(++rounds, 100000) << "no end to the exchange";
    if (rounds >= 100000) break;
    std::vector<std::string> replies;
    for (const auto& t : to_server) {
      ServerOutput so = server.Receive(e.identity, e.address, t, now);
      for (auto& r : so.replies) replies.push_back(std::move(r));
      if (server_events) {
        for (auto& ev : so.events) server_events->push_back(std::move(ev));
      }
    }
    to_server.clear();
    for (const auto& r : replies) {
      ClientOutput co = e.client->Receive(r, now);
      for (auto& t : co.to_server) to_server.push_back(std::move(t));
      for (auto& ev : co.events) events.push_back(std::move(ev));
    }
  }
  return events;
}

inline bool HasEvent(const std::vector<ClientEvent>& events, ClientEventKind kind) {
  for (const auto& e : events) {
    if (e.kind == kind) return true;
  }
  return false;
}

inline const ClientEvent* FindEvent(const std::vector<ClientEvent>& events, ClientEventKind kind) {
  for (const auto& e : events) {
    if (e.kind == kind) return &e;
  }
  return nullptr;
}

inline bool HasServerEvent(const std::vector<ServerEvent>& events, ServerEventKind kind) {
  for (const auto& e : events) {
    if (e.kind == kind) return true;
  }
  return false;
}

}  // namespace otr::prekey::testing

#endif  // OTR_TESTS_PREKEY_PREKEY_FIXTURE_H_

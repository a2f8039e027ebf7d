#include "tests/properties/v4_sessions.h"

#include <utility>

#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "tests/support/fixtures.h"

namespace otr::properties::v4s {

using crypto::testing::DeterministicRandom;

Policy V4Policy(V4Mode mode) {
  Policy p;
  p.allow_v4 = true;
  p.v4_mode = mode;
  if (mode == V4Mode::kV3Compatible) p.allow_v3 = true;
  return p;
}

namespace {

Result<std::unique_ptr<v4::Identity>> MakeIdentity(const crypto::Backend& backend,
                                                   crypto::Random& random, wire::InstanceTag tag,
                                                   bool speaks_v3) {
  auto id = std::make_unique<v4::Identity>();
  OTR_ASSIGN_OR_RETURN(id->long_term, v4::GenerateLongTermKeyPair(backend, random));
  OTR_ASSIGN_OR_RETURN(id->forging_key, v4::GenerateForgingPoint(backend, random));
  // Designated initialisers: assigning a short literal to `versions` trips
  // g++ 12's -Wmaybe-uninitialized at -O2.
  const v4::profile::ClientProfileParams params{
      .owner_instance_tag = tag,
      .forging_key = id->forging_key,
      .versions = speaks_v3 ? "34" : "4",
      .expiration = v4::profile::ExpirationFrom(static_cast<int64_t>(kStart))};
  OTR_ASSIGN_OR_RETURN(id->client_profile, v4::profile::CreateClientProfile(
                                               backend, id->long_term.sym_key, params, random));
  return id;
}

}  // namespace

Result<std::unique_ptr<Sessions>> Sessions::Create(const crypto::Backend& alice_backend,
                                                   const crypto::Backend& bob_backend,
                                                   uint64_t seed, const Options& options) {
  auto s = std::unique_ptr<Sessions>(new Sessions());
  const crypto::Backend* backends[2] = {&alice_backend, &bob_backend};
  for (int who = 0; who < 2; ++who) {
    auto p = std::make_unique<Party>();
    p->backend = backends[who];
    p->random = std::make_unique<DeterministicRandom>(seed * 2 + static_cast<uint64_t>(who));
    const wire::InstanceTag tag = 0x100 + static_cast<wire::InstanceTag>(who);
    const Policy& policy = options.policy[who];
    OTR_ASSIGN_OR_RETURN(p->identity, MakeIdentity(*p->backend, *p->random, tag, policy.allow_v3));
    SessionConfig config;
    config.backend = p->backend;
    config.identity.v4 = p->identity.get();
    if (policy.allow_v2 || policy.allow_v3) {
      config.identity.dsa = &otr::testing::CachedDsaKey(*p->backend, who);
    }
    config.policy = policy;
    config.our_tag = tag;
    config.heartbeat_seconds = options.heartbeat_seconds;
    config.ratchet_limits = options.ratchet_limits;
    config.session_expiry_seconds = options.session_expiry_seconds;
    OTR_ASSIGN_OR_RETURN(Session session, Session::Create(config, *p->random));
    p->session.emplace(std::move(session));
    s->party_[who] = std::move(p);
  }
  return s;
}

void Sessions::Take(int who, Output out) {
  Party& p = *party_[who];
  for (std::string& text : out.to_send) {
    sent_.push_back(Packet{1 - who, text});
    in_flight_.push_back(Packet{1 - who, std::move(text)});
  }
  for (Displayed& d : out.display) (d.encrypted ? p.shown : p.shown_plain).push_back(d.text);
  for (Event& e : out.events) p.events.push_back(std::move(e));
}

void Sessions::Deliver(size_t index) {
  Packet packet = std::move(in_flight_.at(index));
  in_flight_.erase(in_flight_.begin() + static_cast<std::ptrdiff_t>(index));
  delivered_.push_back(packet);
  Take(packet.to, party_[packet.to]->session->Receive(now, packet.text));
}

void Sessions::Inject(int to, const std::string& text) {
  Take(to, party_[to]->session->Receive(now, text));
}

void Sessions::Flush(int limit) {
  while (!in_flight_.empty() && limit-- > 0) Deliver(0);
}

Status Sessions::Establish() {
  Act(0, [](Session& s, uint64_t t) { return s.StartOtr(t); });
  Flush();
  for (int who = 0; who < 2; ++who) {
    if (session(who).state() != ConversationState::kEncrypted || session(who).version() != 4) {
      return MakeError(ErrorCode::kBadState, "v4 sessions: not ENCRYPTED in version 4");
    }
  }
  return Status::Ok();
}

bool HasEvent(const Party& p, EventType type) {
  for (const Event& e : p.events) {
    if (e.type() == type) return true;
  }
  return false;
}

}  // namespace otr::properties::v4s

#include "tests/v4/engine/peer.h"

#include <gtest/gtest.h>

#include <utility>
#include <variant>

#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/wire/classify.h"

namespace otr::v4::testing {

Policy V4Policy(V4Mode mode) {
  Policy p;
  p.allow_v4 = true;
  p.v4_mode = mode;
  if (mode == V4Mode::kV3Compatible) p.allow_v3 = true;
  return p;
}

Peer MakePeer(const crypto::Backend& backend, uint64_t seed, wire::InstanceTag tag,
              wire::InstanceTag their_tag, const Policy& policy, const ConversationConfig& base) {
  Peer p;
  p.backend = &backend;
  p.random = std::make_unique<crypto::testing::DeterministicRandom>(seed);
  p.tag = tag;
  p.identity = std::make_unique<Identity>();
  auto h = GenerateLongTermKeyPair(backend, *p.random);
  auto f = GenerateForgingPoint(backend, *p.random);
  EXPECT_TRUE(h.ok() && f.ok());
  if (!h.ok() || !f.ok()) return p;
  p.identity->long_term = std::move(*h);
  p.identity->forging_key = *f;
  profile::ClientProfileParams params;
  params.owner_instance_tag = tag;
  params.forging_key = *f;
  params.versions = policy.v4_mode == V4Mode::kV3Compatible ? "34" : "4";
  params.expiration = profile::ExpirationFrom(static_cast<int64_t>(kStartTime));
  auto profile =
      profile::CreateClientProfile(backend, p.identity->long_term.sym_key, params, *p.random);
  EXPECT_TRUE(profile.ok());
  if (profile.ok()) p.identity->client_profile = std::move(*profile);
  ConversationConfig config = base;
  config.backend = &backend;
  config.identity = p.identity.get();
  config.policy = policy;
  config.our_tag = tag;
  p.conversation = std::make_unique<Conversation>(config, their_tag);
  p.reassembler = std::make_unique<wire::ReassemblerV4>();
  return p;
}

void Peer::Deliver(const std::string& text, Output& out, uint64_t now) {
  wire::InboundMessage inbound = wire::Classify(text);
  if (const auto* fragment = std::get_if<wire::Fragment>(&inbound)) {
    auto whole = reassembler->Add(now, *fragment);
    if (!whole.ok()) {
      out.events.push_back(Event(events::MalformedMessage{}));
      return;
    }
    if (!whole->has_value()) return;
    inbound = wire::Classify(**whole);
  }
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, wire::PlainText>) {
          conversation->ReceivePlaintext(m.text, out, *random, now);
        } else if constexpr (std::is_same_v<T, wire::TaggedPlaintext>) {
          conversation->ReceiveTagged(m, out, *random, now);
        } else if constexpr (std::is_same_v<T, wire::QueryMessage>) {
          conversation->ReceiveQuery(m, out, *random, now);
        } else if constexpr (std::is_same_v<T, wire::ErrorMessage>) {
          conversation->ReceiveError(m, out, *random, now);
        } else if constexpr (std::is_same_v<T, wire::UnsupportedMessage>) {
          auto decoded =
              m.protocol_version == 4 ? DecodeMessage(m.message) : Result<Message>(m.error);
          if (!decoded.ok()) {
            out.events.push_back(Event(events::MalformedMessage{}));
            return;
          }
          conversation->ReceiveMessage(*decoded, out, *random, now);
        } else {
          out.events.push_back(Event(events::MalformedMessage{}));
        }
      },
      inbound);
}

}  // namespace otr::v4::testing

#include "bench/our_endpoint.h"

#include <optional>
#include <string>

#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/session/session.h"
#include "protocol/v4/engine/identity.h"
#include "tests/session/v4_fixture.h"

namespace otr::bench {
namespace {

// The time given to the sessions: fixed, so runs repeat.
constexpr uint64_t kNow = 1000;

class OurEndpoint : public Endpoint {
 public:
  // v3: `key` and the Manual policy. v4 (`v4` given): the v4-standalone
  // mode, only OTRv4, with that identity's instance tag.
  OurEndpoint(const crypto::Backend& backend, const crypto::DsaPrivateKey* key,
              const v4::Identity* v4, size_t max_message_size) {
    SessionConfig config;
    config.backend = &backend;
    config.max_message_size = max_message_size;
    if (v4 != nullptr) {
      config.identity.v4 = v4;
      config.policy = Policy::V4Standalone();
      config.our_tag = v4->client_profile.owner_instance_tag;
    } else {
      config.identity.dsa = key;
      config.policy = Policy::Manual();
    }
    auto session = Session::Create(config, random_);
    if (session.ok()) session_.emplace(std::move(session).value());
  }

  bool ok() const { return session_.has_value(); }

  Wire StartOtr() override { return Take(session_->StartOtr(kNow)); }
  Wire Send(std::string_view text) override { return Take(session_->Send(kNow, text)); }
  Wire Receive(const std::string& message) override {
    return Take(session_->Receive(kNow, message));
  }
  Wire StartSmp(std::string_view secret) override { return Take(session_->StartSmp(kNow, secret)); }
  Wire RespondSmp(std::string_view secret) override {
    smp_asked_ = false;
    return Take(session_->RespondSmp(kNow, secret));
  }
  bool encrypted() const override { return session_->state() == ConversationState::kEncrypted; }

 private:
  Wire Take(Output out) {
    displayed_ += out.display.size();
    for (const Event& e : out.events) {
      if (e.type() == EventType::kSmpAskSecret) smp_asked_ = true;
      if (e.type() == EventType::kSmpSucceeded) ++smp_successes_;
    }
    return std::move(out.to_send);
  }

  crypto::OsRandom random_;
  std::optional<Session> session_;
};

struct OurConversation : Conversation {
  OurConversation(const crypto::Backend& backend, const crypto::DsaPrivateKey* alice_key,
                  const crypto::DsaPrivateKey* bob_key, const v4::Identity* alice_v4,
                  const v4::Identity* bob_v4, size_t max_message_size)
      : a(backend, alice_key, alice_v4, max_message_size),
        b(backend, bob_key, bob_v4, max_message_size) {
    alice = &a;
    bob = &b;
  }
  OurEndpoint a, b;
};

class OurImplementation : public Implementation {
 public:
  OurImplementation(const crypto::Backend& backend, bool v4) : backend_(backend), v4_(v4) {}
  std::string_view name() const override { return backend_.name(); }

  std::unique_ptr<Conversation> NewConversation(size_t max_message_size) override {
    if (v4_) {
      if (alice_v4_ == nullptr) {
        // Distinct instance tags, profiles valid at kNow.
        alice_v4_ = testing::MakeV4Identity(backend_, 1, 0x1001, kNow, "4");
        bob_v4_ = testing::MakeV4Identity(backend_, 2, 0x1002, kNow, "4");
        if (alice_v4_->client_profile.owner_instance_tag != 0x1001 ||
            bob_v4_->client_profile.owner_instance_tag != 0x1002) {
          return nullptr;
        }
      }
      auto c = std::make_unique<OurConversation>(backend_, nullptr, nullptr, alice_v4_.get(),
                                                 bob_v4_.get(), max_message_size);
      if (!c->a.ok() || !c->b.ok()) return nullptr;
      return c;
    }
    if (!alice_key_ || !bob_key_) {
      auto a = backend_.GenerateDsaKey();
      auto b = backend_.GenerateDsaKey();
      if (!a.ok() || !b.ok()) return nullptr;
      alice_key_.emplace(std::move(a).value());
      bob_key_.emplace(std::move(b).value());
    }
    auto c = std::make_unique<OurConversation>(backend_, &*alice_key_, &*bob_key_, nullptr, nullptr,
                                               max_message_size);
    if (!c->a.ok() || !c->b.ok()) return nullptr;
    return c;
  }

 private:
  const crypto::Backend& backend_;
  const bool v4_;
  std::optional<crypto::DsaPrivateKey> alice_key_, bob_key_;
  std::unique_ptr<v4::Identity> alice_v4_, bob_v4_;
};

}  // namespace

std::unique_ptr<Implementation> NewOurImplementation(const crypto::Backend& backend) {
  return std::make_unique<OurImplementation>(backend, false);
}

std::unique_ptr<Implementation> NewOurV4Implementation(const crypto::Backend& backend) {
  return std::make_unique<OurImplementation>(backend, true);
}

}  // namespace otr::bench

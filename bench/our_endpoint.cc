#include "bench/our_endpoint.h"

#include <optional>
#include <string>

#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/session/session.h"

namespace otr::bench {
namespace {

// The time given to the sessions: fixed, so runs repeat.
constexpr uint64_t kNow = 1000;

class OurEndpoint : public Endpoint {
 public:
  OurEndpoint(const crypto::Backend& backend, const crypto::DsaPrivateKey& key,
              size_t max_message_size) {
    SessionConfig config;
    config.backend = &backend;
    config.identity.dsa = &key;
    config.policy = Policy::Manual();
    config.max_message_size = max_message_size;
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
  OurConversation(const crypto::Backend& backend, const crypto::DsaPrivateKey& alice_key,
                  const crypto::DsaPrivateKey& bob_key, size_t max_message_size)
      : a(backend, alice_key, max_message_size), b(backend, bob_key, max_message_size) {
    alice = &a;
    bob = &b;
  }
  OurEndpoint a, b;
};

class OurImplementation : public Implementation {
 public:
  explicit OurImplementation(const crypto::Backend& backend) : backend_(backend) {}
  std::string_view name() const override { return backend_.name(); }

  std::unique_ptr<Conversation> NewConversation(size_t max_message_size) override {
    if (!alice_key_ || !bob_key_) {
      auto a = backend_.GenerateDsaKey();
      auto b = backend_.GenerateDsaKey();
      if (!a.ok() || !b.ok()) return nullptr;
      alice_key_.emplace(std::move(a).value());
      bob_key_.emplace(std::move(b).value());
    }
    auto c = std::make_unique<OurConversation>(backend_, *alice_key_, *bob_key_, max_message_size);
    if (!c->a.ok() || !c->b.ok()) return nullptr;
    return c;
  }

 private:
  const crypto::Backend& backend_;
  std::optional<crypto::DsaPrivateKey> alice_key_, bob_key_;
};

}  // namespace

std::unique_ptr<Implementation> NewOurImplementation(const crypto::Backend& backend) {
  return std::make_unique<OurImplementation>(backend);
}

}  // namespace otr::bench

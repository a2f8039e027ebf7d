// Our Session with the libotr-ng profile as a scenario endpoint.
#include "tests/interop/session_ng_endpoint.h"

#include <gtest/gtest.h>

#include <ctime>
#include <optional>
#include <utility>
#include <vector>

#include "crypto/testing/deterministic_random.h"
#include "protocol/session/session.h"
#include "protocol/wire/fragment.h"
#include "tests/crypto/test_util.h"
#include "tests/session/v4_fixture.h"
#include "tests/support/fixtures.h"

namespace otr::testing {
namespace {

class SessionNgEndpoint : public V4Endpoint {
 public:
  SessionNgEndpoint(const crypto::Backend& backend, const std::string& account,
                    const std::string& buddy, uint32_t tag, Policy policy)
      : random_(tag), name_("our Session (libotr-ng profile) " + account) {
    now_ = static_cast<uint64_t>(std::time(nullptr));
    identity_ = MakeV4Identity(backend, tag, tag, now_, "4");
    policy.v4_variant = V4Variant::kLibotrNg;
    SessionConfig config;
    config.backend = &backend;
    config.policy = policy;
    if (policy.SpeaksV3()) config.identity.dsa = &CachedDsaKey(backend, 0);
    config.our_tag = tag;
    config.identity.v4 = identity_.get();
    config.phi_context = {account, buddy};
    auto s = Session::Create(config, random_);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().context);
    if (s.ok()) session_.emplace(std::move(s).value());
  }

  std::string name() const override { return name_; }
  std::vector<std::string> Start() override { return Take(session_->StartOtr(now_)); }
  std::vector<std::string> Send(const std::string& text, int max_size) override {
    std::vector<std::string> out = Take(session_->Send(now_, text));
    if (max_size <= 0) return out;
    // The Session fragments at its configured size; the scenario asks for
    // one message in pieces: the same v4 fragmenter the engine uses.
    std::vector<std::string> pieces;
    for (const std::string& m : out) {
      auto f = wire::FragmentMessageV4(m, static_cast<size_t>(max_size), random_,
                                       session_->our_tag(), their_tag_);
      EXPECT_TRUE(f.ok());
      if (f.ok()) pieces.insert(pieces.end(), f->begin(), f->end());
    }
    return pieces;
  }
  std::vector<std::string> Receive(const std::string& message) override {
    return Take(session_->Receive(now_, message));
  }
  std::vector<std::string> StartSmp(const std::string& secret,
                                    const std::string& question) override {
    std::optional<std::string_view> q;
    if (!question.empty()) q = question;
    return Take(session_->StartSmp(now_, secret, q));
  }
  std::vector<std::string> RespondSmp(const std::string& secret) override {
    return Take(session_->RespondSmp(now_, secret));
  }
  std::vector<std::string> AbortSmp() override { return Take(session_->AbortSmp(now_)); }
  std::vector<std::string> Disconnect() override { return Take(session_->EndOtr(now_)); }
  std::vector<std::string> UseSymmetricKey(uint32_t use, const std::string& data,
                                           std::string* key) override {
    key_ = key;
    auto out = session_->UseExtraSymmetricKey(now_, use, AsBytes(data));
    EXPECT_TRUE(out.ok());
    std::vector<std::string> sent =
        out.ok() ? Take(std::move(out).value()) : std::vector<std::string>{};
    key_ = nullptr;
    return sent;
  }
  // "Session Expiration": the clock moves past the expiry time.
  std::vector<std::string> ExpireSession() override {
    now_ += 2 * 60 * 60 + 1;
    return Take(session_->HandleTimeout(now_));
  }

  bool encrypted() const override { return session_->state() == ConversationState::kEncrypted; }
  bool finished() const override { return session_->state() == ConversationState::kFinished; }
  std::vector<std::string> displayed() const override { return displayed_; }
  int smp_successes() const override { return smp_successes_; }
  int smp_failures() const override { return smp_failures_; }
  int smp_aborts() const override { return smp_aborts_; }
  bool smp_asked() const override { return smp_asked_; }
  std::string last_smp_question() const override { return question_; }
  std::string received_symkey() const override { return received_symkey_; }
  std::string our_fingerprint_hex() const override {
    auto fp = session_->our_v4_fingerprint();
    return fp ? crypto::testing::ToHex(fp->bytes) : std::string();
  }
  std::string their_fingerprint_hex() const override {
    auto fp = session_->view().their_fingerprint;
    return fp ? crypto::testing::ToHex(fp->bytes) : std::string();
  }

  std::string compatibility;
  uint64_t now_ = 0;

 private:
  std::vector<std::string> Take(Output out) {
    for (const Displayed& d : out.display) {
      EXPECT_TRUE(d.encrypted) << name_ << " shows plaintext: " << d.text;
      displayed_.push_back(d.text);
    }
    for (const Event& e : out.events) {
      if (const auto* s = e.As<events::WentSecure>()) compatibility = s->compatibility;
      if (e.As<events::SmpSucceeded>()) ++smp_successes_;
      if (e.As<events::SmpFailed>()) ++smp_failures_;
      if (e.As<events::SmpAborted>()) ++smp_aborts_;
      if (const auto* ask = e.As<events::SmpAskSecret>()) {
        smp_asked_ = true;
        question_ = ask->question.value_or("");
      }
      if (const auto* k = e.As<events::ExtraSymmetricKey>()) {
        std::string bytes(k->key.data(), k->key.data() + k->key.size());
        if (key_ != nullptr) {
          *key_ = bytes;
        } else {
          received_symkey_ = bytes;
        }
      }
      if (const auto* f = e.As<events::ActionFailed>()) ADD_FAILURE() << name_ << ": " << f->what;
    }
    if (their_tag_ == 0 && session_->selected_instance() != 0) {
      their_tag_ = session_->selected_instance();
    }
    return std::move(out.to_send);
  }

  crypto::testing::DeterministicRandom random_;
  std::string name_;
  std::unique_ptr<v4::Identity> identity_;
  std::optional<Session> session_;
  uint32_t their_tag_ = 0;
  std::string* key_ = nullptr;
  std::vector<std::string> displayed_;
  int smp_successes_ = 0, smp_failures_ = 0, smp_aborts_ = 0;
  bool smp_asked_ = false;
  std::string question_;
  std::string received_symkey_;
};

}  // namespace

std::unique_ptr<V4Endpoint> MakeSessionNgEndpoint(const crypto::Backend& backend,
                                                  const std::string& account,
                                                  const std::string& buddy, uint32_t tag,
                                                  Policy policy) {
  return std::make_unique<SessionNgEndpoint>(backend, account, buddy, tag, policy);
}

std::string CompatibilityReported(const V4Endpoint& e) {
  return static_cast<const SessionNgEndpoint&>(e).compatibility;
}

}  // namespace otr::testing
